-- Money received from customers in (since, as_of]: posted cash receipts, what keeps promises to pay and payment
-- plans. TranAmt is the receipt's whole amount (applied and unapplied) in the base currency.
-- Parameters: since, as_of, company ('' = every company), company.
SELECT
  c.CustID,
  h.TranDate,
  h.TranAmt
FROM Erp.CashHead AS h
JOIN Erp.Customer AS c ON c.Company = h.Company AND c.CustNum = h.CustNum
WHERE h.Posted
  AND h.TranDate > CAST(? AS DATE)
  AND h.TranDate <= CAST(? AS DATE)
  AND (? = '' OR h.Company = ?)
ORDER BY h.Company, c.CustID, h.TranDate
