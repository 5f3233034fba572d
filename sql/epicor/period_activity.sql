-- What moved the receivables in a period (since, as_of]: each posted document dated in it, at its amount, and each
-- application made in it (Erp.CashDtl), at what it took off its document's balance, both in the base currency and
-- signed as their effect on the receivables (an invoice adds, cash applied to it takes off, a credit memo used
-- adds back). Opening balance (the aging of `since`) plus these is the closing balance (the aging of as_of).
-- Movement is Posted or Applied; DocType is the same CASE as open_items.sql.
-- Parameters: since, as_of, company ('' = every company), company; then the same four for the applications.
SELECT c.CustID, c.Name, COALESCE(a.CollectorName, '') AS CollectorName, i.InvoiceNum,
       CASE
         WHEN i.UnappliedCash THEN 'PAY'
         WHEN i.CreditMemo THEN 'CM'
         WHEN i.InvoiceSuffix = 'DN' THEN 'DM'
         ELSE 'INV'
       END AS DocType,
       'Posted' AS Movement, i.InvoiceDate AS MovementDate, i.InvoiceAmt AS Amount, i.Company
FROM Erp.InvcHead AS i
JOIN Erp.Customer AS c ON c.Company = i.Company AND c.CustNum = i.CustNum
LEFT JOIN ardesk.ardesk_collector AS a ON a.Company = c.Company AND a.CustNum = c.CustNum
WHERE i.Posted
  AND i.InvoiceDate > CAST(? AS DATE)
  AND i.InvoiceDate <= CAST(? AS DATE)
  AND (? = '' OR i.Company = ?)
UNION ALL
SELECT c.CustID, c.Name, COALESCE(a.CollectorName, '') AS CollectorName, i.InvoiceNum,
       CASE
         WHEN i.UnappliedCash THEN 'PAY'
         WHEN i.CreditMemo THEN 'CM'
         WHEN i.InvoiceSuffix = 'DN' THEN 'DM'
         ELSE 'INV'
       END AS DocType,
       'Applied' AS Movement, d.TranDate AS MovementDate, -d.TranAmt AS Amount, i.Company
FROM Erp.CashDtl AS d
JOIN Erp.InvcHead AS i ON i.Company = d.Company AND i.InvoiceNum = d.InvoiceNum
JOIN Erp.Customer AS c ON c.Company = i.Company AND c.CustNum = i.CustNum
LEFT JOIN ardesk.ardesk_collector AS a ON a.Company = c.Company AND a.CustNum = c.CustNum
WHERE i.Posted
  AND d.TranDate > CAST(? AS DATE)
  AND d.TranDate <= CAST(? AS DATE)
  AND (? = '' OR d.Company = ?)
