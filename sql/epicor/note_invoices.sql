-- Pushing notes: the invoices the notes name that exist, and whose they are. Read by position: company, invoice
-- number, customer ID. Parameters: the company the notes are pushed to (the one note_customers found), then the
-- invoice numbers as one JSON document (ardesk.erp.writer): the primary key (Company, InvoiceNum) finds each.
SELECT i.Company, i.InvoiceNum, c.CustID
FROM Erp.InvcHead AS i
JOIN Erp.Customer AS c ON c.Company = i.Company AND c.CustNum = i.CustNum
WHERE i.Company = ?
  AND i.InvoiceNum IN (SELECT k.invoice FROM JSON_TABLE(?, '$[*]' COLUMNS (invoice INT PATH '$.invoice')) AS k)
