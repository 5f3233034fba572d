-- What was applied to posted documents after a day (Erp.CashDtl: receipts' applications and credit memos used, in
-- the base currency), with the dates of the document applied to: a month-end's AR since that day is each
-- document's balance today plus what was applied to it after the month-end (ardesk.ar.summary.rebuild), the same
-- reckoning as open_items.sql as of a day; the document's customer rebuilds each collector's AR (the Summary's
-- figures per collector). Parameters: since, company ('' = every company), company.
SELECT c.CustID, i.InvoiceDate, i.DueDate, d.TranDate, d.TranAmt
FROM Erp.CashDtl AS d
JOIN Erp.InvcHead AS i ON i.Company = d.Company AND i.InvoiceNum = d.InvoiceNum
JOIN Erp.Customer AS c ON c.Company = i.Company AND c.CustNum = i.CustNum
WHERE d.TranDate > CAST(? AS DATE)
  AND i.Posted
  AND (? = '' OR d.Company = ?)
