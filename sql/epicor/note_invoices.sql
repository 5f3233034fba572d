-- Pushing notes: the invoices the notes name that exist, and whose they are. Read by position: company, invoice
-- number, customer ID. Parameters: company ('' = every company), company, then the invoice numbers (the IN list
-- grows to their count).
SELECT i.Company, i.InvoiceNum, c.CustID
FROM Erp.InvcHead AS i
JOIN Erp.Customer AS c ON c.Company = i.Company AND c.CustNum = i.CustNum
WHERE (? = '' OR i.Company = ?)
  AND i.InvoiceNum IN (?)
