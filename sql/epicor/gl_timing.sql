-- Posted documents on one side of a day in the receivables ledger (by InvoiceDate, as the aging dates them) and on
-- the other in the general ledger (by ApplyDate, the day they posted there): timing differences of the close.
-- Read by position: customer ID, document number, its date, the day it reached the GL, its amount (base currency).
-- Parameters: as_of four times, company ('' = every company), company.
SELECT c.CustID, i.InvoiceNum, i.InvoiceDate, i.ApplyDate, i.InvoiceAmt
FROM Erp.InvcHead AS i
JOIN Erp.Customer AS c ON c.Company = i.Company AND c.CustNum = i.CustNum
WHERE i.Posted
  AND ((i.InvoiceDate <= CAST(? AS DATE) AND i.ApplyDate > CAST(? AS DATE))
       OR (i.ApplyDate <= CAST(? AS DATE) AND i.InvoiceDate > CAST(? AS DATE)))
  AND (? = '' OR i.Company = ?)
ORDER BY i.InvoiceDate, i.InvoiceNum
