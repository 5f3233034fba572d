-- The general ledger's balance of the receivables control accounts at the end of a day (base currency, debit
-- less credit): what the close ties the aging of that day to. Parameters: as_of, company ('' = every company),
-- company, then the accounts as one JSON document (ardesk.erp.writer).
SELECT COALESCE(SUM(g.DebitAmount - g.CreditAmount), 0) AS Balance
FROM Erp.GLJrnDtl AS g
WHERE g.JEDate <= CAST(? AS DATE)
  AND (? = '' OR g.Company = ?)
  AND g.GLAccount IN (SELECT k.account FROM JSON_TABLE(?, '$[*]' COLUMNS (account VARCHAR(50) PATH '$.account')) AS k)
