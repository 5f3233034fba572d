-- Invoices entered and dated by a day but not posted: in neither the aging nor the general ledger yet, listed by
-- the close so that nobody takes them for either. Read by position: customer ID, document number, date, amount
-- (base currency). Parameters: as_of, company ('' = every company), company.
SELECT c.CustID, i.InvoiceNum, i.InvoiceDate, i.InvoiceAmt
FROM Erp.InvcHead AS i
JOIN Erp.Customer AS c ON c.Company = i.Company AND c.CustNum = i.CustNum
WHERE NOT i.Posted
  AND i.InvoiceDate <= CAST(? AS DATE)
  AND (? = '' OR i.Company = ?)
ORDER BY i.InvoiceDate, i.InvoiceNum
