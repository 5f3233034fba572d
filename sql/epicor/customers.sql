-- Every customer of the ledger, with or without open items: what credit decisions need. CreditReviewDate is the
-- day of the customer's last credit review (NULL: never reviewed).
-- Open orders are OrderHed.OrderAmt (base currency) of the orders still open and dated by as_of; 0 when none.
-- (A partly shipped order still counts whole: the release-level open value would need OrderRel.)
-- The CAST keeps it a decimal: SQLite's driver would otherwise type the column from its first value (0: integer).
-- Parameters: as_of, company ('' = every company), company.
SELECT
  c.CustID,
  c.Name,
  COALESCE(r.Name, c.SalesRepCode) AS SalesRepName,
  COALESCE(a.CollectorName, '') AS CollectorName,
  c.TermsCode,
  c.CreditLimit,
  c.CreditHold,
  CAST(COALESCE(o.OpenOrderAmt, 0) AS DECIMAL(20, 3)) AS OpenOrderAmt,
  c.CreditHoldDate,
  c.CreditHoldSource,
  c.CreditReviewDate
FROM Erp.Customer AS c
LEFT JOIN Erp.SalesRep AS r ON r.Company = c.Company AND r.SalesRepCode = c.SalesRepCode
LEFT JOIN ardesk.ardesk_collector AS a ON a.Company = c.Company AND a.CustNum = c.CustNum
LEFT JOIN (
  SELECT h.Company, h.CustNum, SUM(h.OrderAmt) AS OpenOrderAmt
  FROM Erp.OrderHed AS h
  WHERE h.OpenOrder
    AND h.OrderDate <= CAST(? AS DATE)
  GROUP BY h.Company, h.CustNum
) AS o ON o.Company = c.Company AND o.CustNum = c.CustNum
WHERE (? = '' OR c.Company = ?)
ORDER BY c.Company, c.CustID
