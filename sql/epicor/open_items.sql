-- Open, posted receivables as of a date: invoices, debit notes, credit memos and unapplied cash.
-- Parameters: as_of (documents dated after it are not yet on the ledger), company ('' = every company).
-- Unapplied cash carries the remittance text of its receipt (CashHead.CheckRef) as its reference: what the
-- customer said the money is for, which the credit matcher reads.
SELECT
  c.CustID,
  c.Name,
  i.InvoiceNum,
  CASE
    WHEN i.UnappliedCash THEN 'PAY'
    WHEN i.CreditMemo THEN 'CM'
    WHEN i.InvoiceSuffix = 'DN' THEN 'DM'
    ELSE 'INV'
  END AS DocType,
  i.InvoiceDate,
  i.DueDate,
  i.CurrencyCode,
  i.DocInvoiceAmt,
  i.DocInvoiceBal,
  i.InvoiceBal,
  i.TermsCode,
  COALESCE(r.Name, c.SalesRepCode) AS SalesRepName,
  COALESCE(a.CollectorName, '') AS CollectorName,
  COALESCE(ch.CheckRef, i.InvoiceRef) AS InvoiceRef,
  i.PONum,
  c.CreditLimit,
  i.Company
FROM Erp.InvcHead AS i
JOIN Erp.Customer AS c ON c.Company = i.Company AND c.CustNum = i.CustNum
LEFT JOIN Erp.SalesRep AS r ON r.Company = c.Company AND r.SalesRepCode = c.SalesRepCode
LEFT JOIN ardesk.ardesk_collector AS a ON a.Company = c.Company AND a.CustNum = c.CustNum
LEFT JOIN Erp.CashHead AS ch ON i.UnappliedCash AND ch.Company = i.Company AND ch.CreditMemoNum = i.InvoiceNum
WHERE i.Posted
  AND i.OpenInvoice
  AND i.InvoiceDate <= CAST(? AS DATE)
  AND (? = '' OR i.Company = ?)
ORDER BY c.CustID, i.InvoiceNum
