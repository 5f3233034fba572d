-- What was applied to posted documents after a day (Erp.CashDtl: receipts' applications and credit memos used, in
-- the base currency), with the dates of the document applied to: a month-end's AR since that day is each
-- document's balance today plus what was applied to it after the month-end (ardesk.ar.summary.rebuild), the same
-- reckoning as open_items.sql as of a day. Parameters: since, company ('' = every company), company.
SELECT i.InvoiceDate, i.DueDate, d.TranDate, d.TranAmt
FROM Erp.CashDtl AS d
JOIN Erp.InvcHead AS i ON i.Company = d.Company AND i.InvoiceNum = d.InvoiceNum
WHERE d.TranDate > CAST(? AS DATE)
  AND i.Posted
  AND (? = '' OR d.Company = ?)
