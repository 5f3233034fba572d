-- What moved the receivables in a period (since, as_of]: each posted document dated in it, at its amount, and each
-- application made in it (Erp.CashDtl), at what it took off its document's balance, both in the base currency and
-- signed as their effect on the receivables (an invoice adds, cash applied to it takes off, a credit memo used
-- adds back). Opening balance (the aging of `since`) plus these is the closing balance (the aging of as_of).
-- Movement is Posted or Applied; DocType, of the document posted or applied to, is the same CASE as open_items.sql.
-- Parameters: since, as_of, company ('' = every company), company; then the same four for the applications.
SELECT c.CustID, c.Name, COALESCE(a.CollectorName, '') AS CollectorName, i.InvoiceNum,
       CASE
         WHEN i.UnappliedCash THEN 'PAY'
         WHEN i.CreditMemo THEN 'CM'
         WHEN i.InvoiceSuffix = 'DN' THEN 'DM'
         ELSE 'INV'
       END AS DocType,
       m.Movement, m.MovementDate, m.Amount, i.Company
FROM (
  SELECT p.Company, p.InvoiceNum, 'Posted' AS Movement, p.InvoiceDate AS MovementDate, p.InvoiceAmt AS Amount
  FROM Erp.InvcHead AS p
  WHERE p.InvoiceDate > CAST(? AS DATE)
    AND p.InvoiceDate <= CAST(? AS DATE)
    AND (? = '' OR p.Company = ?)
  UNION ALL
  SELECT d.Company, d.InvoiceNum, 'Applied' AS Movement, d.TranDate AS MovementDate, -d.TranAmt AS Amount
  FROM Erp.CashDtl AS d
  WHERE d.TranDate > CAST(? AS DATE)
    AND d.TranDate <= CAST(? AS DATE)
    AND (? = '' OR d.Company = ?)
) AS m
JOIN Erp.InvcHead AS i ON i.Company = m.Company AND i.InvoiceNum = m.InvoiceNum
JOIN Erp.Customer AS c ON c.Company = i.Company AND c.CustNum = i.CustNum
LEFT JOIN ardesk.ardesk_collector AS a ON a.Company = c.Company AND a.CustNum = c.CustNum
WHERE i.Posted
