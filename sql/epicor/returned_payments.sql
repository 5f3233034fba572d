-- Returned payments in (since, as_of]: receipts that came back unpaid (a bounced cheque, a rejected direct debit, a
-- stopped payment). Epicor's Reverse Cash Receipt posts a CashHead row of the receipt's negative amount naming it in
-- ReverseRef, with a negative CashDtl line for each invoice the receipt had paid, dated the day of the return and
-- carrying its reason (Erp.Reason, ReasonType R; the code itself when the site has no description): the invoices
-- are open again from that day (open_items.sql adds those lines back as it does every application after its day).
-- Amount is what came back, in the base currency; the original receipt gives its date. Invoices lists the
-- invoices it had paid in no set order (SQLite's GROUP_CONCAT takes no ORDER BY): ardesk.ar.returns sorts them.
-- Parameters: since, as_of, company ('' = every company), company.
SELECT
  c.CustID,
  c.Name,
  h.HeadNum,
  h.ReverseRef,
  h.TranDate,
  o.TranDate AS ReceivedOn,
  -h.TranAmt AS Amount,
  h.CheckRef,
  COALESCE(l.ReasonCode, '') AS ReasonCode,
  COALESCE(e.Description, l.ReasonCode, '') AS Reason,
  COALESCE(l.Invoices, '') AS Invoices,
  h.Company
FROM Erp.CashHead AS h
JOIN Erp.Customer AS c ON c.Company = h.Company AND c.CustNum = h.CustNum
LEFT JOIN Erp.CashHead AS o ON o.Company = h.Company AND o.HeadNum = h.ReverseRef
LEFT JOIN (
  SELECT d.Company, d.HeadNum, MAX(d.ReasonCode) AS ReasonCode,
         GROUP_CONCAT(CAST(d.InvoiceNum AS VARCHAR(20)) SEPARATOR ', ') AS Invoices
  FROM Erp.CashDtl AS d
  JOIN Erp.CashHead AS x ON x.Company = d.Company AND x.HeadNum = d.HeadNum
  WHERE x.ReverseRef <> 0
  GROUP BY d.Company, d.HeadNum
) AS l ON l.Company = h.Company AND l.HeadNum = h.HeadNum
LEFT JOIN Erp.Reason AS e ON e.Company = h.Company AND e.ReasonType = 'R' AND e.ReasonCode = l.ReasonCode
WHERE h.Posted
  AND h.ReverseRef <> 0
  AND h.TranDate > CAST(? AS DATE)
  AND h.TranDate <= CAST(? AS DATE)
  AND (? = '' OR h.Company = ?)
ORDER BY h.Company, c.CustID, h.TranDate, h.HeadNum
