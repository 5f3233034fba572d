-- Write-offs and recoveries in (since, as_of]: the adjustments without cash of Erp.CashDtl (TranType Adjust), each
-- with its document, the day, what it took off the document's balance (base currency; a recovery, putting back
-- what a customer paid after all, is negative) and the reason it was written off for (Erp.Reason; the code itself
-- when the site has no description). The Bad Debt sheet and the historical loss rates of a close read them.
-- Parameters: since, as_of, company ('' = every company), company.
SELECT c.CustID, c.Name, i.InvoiceNum, i.InvoiceDate, i.DueDate, d.TranDate, d.TranAmt, d.ReasonCode,
       COALESCE(r.Description, d.ReasonCode) AS Reason, d.Company
FROM Erp.CashDtl AS d
JOIN Erp.InvcHead AS i ON i.Company = d.Company AND i.InvoiceNum = d.InvoiceNum
JOIN Erp.Customer AS c ON c.Company = i.Company AND c.CustNum = i.CustNum
LEFT JOIN Erp.Reason AS r ON r.Company = d.Company AND r.ReasonType = 'W' AND r.ReasonCode = d.ReasonCode
WHERE d.TranType = 'Adjust'
  AND d.TranDate > CAST(? AS DATE)
  AND d.TranDate <= CAST(? AS DATE)
  AND (? = '' OR d.Company = ?)
ORDER BY d.TranDate, d.DtlNum
