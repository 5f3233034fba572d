-- Open, posted receivables as of a date: invoices, debit notes, credit memos and unapplied cash.
-- Parameters: as_of three times (applications after it are undone; documents dated after it are not yet on the
-- ledger; documents closed after it were open then), company ('' = every company).
-- A document's balance as of the day is its balance today plus what was applied to it after that day (Erp.CashDtl:
-- receipts' applications and credit memos used, in the base currency at the rate each was applied and in the
-- document's own): the documents paid since are open again, those paid in part carry what they owed then. As of
-- today nothing was applied later, and the items are those the ERP has open.
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
  i.DocInvoiceBal + COALESCE(t.DocLater, 0) AS DocInvoiceBal,
  i.InvoiceBal + COALESCE(t.Later, 0) AS InvoiceBal,
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
LEFT JOIN (
  SELECT d.Company, d.InvoiceNum, SUM(d.TranAmt) AS Later, SUM(d.DocTranAmt) AS DocLater
  FROM Erp.CashDtl AS d
  WHERE d.TranDate > CAST(? AS DATE)
  GROUP BY d.Company, d.InvoiceNum
) AS t ON t.Company = i.Company AND t.InvoiceNum = i.InvoiceNum
WHERE i.Posted
  AND i.InvoiceDate <= CAST(? AS DATE)
  AND (i.OpenInvoice OR i.ClosedDate > CAST(? AS DATE))
  AND i.DocInvoiceBal + COALESCE(t.DocLater, 0) <> 0
  AND (? = '' OR i.Company = ?)
ORDER BY c.CustID, i.InvoiceNum
