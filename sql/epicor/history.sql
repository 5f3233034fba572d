-- Posted documents for sales per period and month-end AR: those dated in (since, as_of], plus those dated
-- earlier that were still open after since (open today, or closed after since), so the AR of every month-end
-- from since to as_of can be rebuilt. A document closed after as_of has OpenInvoice false today but was open
-- at as_of: its ClosedDate says so. DocType is the same CASE as open_items.sql.
-- Parameters: as_of, since, since, company ('' = every company), company.
SELECT
  c.CustID,
  CASE
    WHEN i.UnappliedCash THEN 'PAY'
    WHEN i.CreditMemo THEN 'CM'
    WHEN i.InvoiceSuffix = 'DN' THEN 'DM'
    ELSE 'INV'
  END AS DocType,
  i.InvoiceDate,
  i.DueDate,
  i.ClosedDate,
  i.InvoiceAmt,
  i.InvoiceBal
FROM Erp.InvcHead AS i
JOIN Erp.Customer AS c ON c.Company = i.Company AND c.CustNum = i.CustNum
WHERE i.Posted
  AND i.InvoiceDate <= CAST(? AS DATE)
  AND (i.InvoiceDate > CAST(? AS DATE) OR i.OpenInvoice OR i.ClosedDate > CAST(? AS DATE))
  AND (? = '' OR i.Company = ?)
ORDER BY i.Company, c.CustID, i.InvoiceNum
