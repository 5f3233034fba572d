-- The last day anything was applied to each document by a day (Erp.CashDtl: cash, credits, adjustments): a
-- write-off proposal's "no activity since". Documents nothing was applied to are not listed (their own date is
-- their last activity). Parameters: as_of, company ('' = every company), company.
SELECT d.Company, d.InvoiceNum, MAX(d.TranDate) AS LastApplied
FROM Erp.CashDtl AS d
WHERE d.TranDate <= CAST(? AS DATE)
  AND (? = '' OR d.Company = ?)
GROUP BY d.Company, d.InvoiceNum
