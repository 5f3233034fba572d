-- Journal entries typed straight into the receivables control accounts by the end of a day (not posted by the
-- receivables module, so no document of the aging stands behind them). Read by position: journal code, number,
-- line, date, description, debit less credit. Parameters: as_of, company ('' = every company), company, then the
-- accounts as one JSON document (ardesk.erp.writer).
SELECT g.JournalCode, g.JournalNum, g.JournalLine, g.JEDate, g.Description, g.DebitAmount - g.CreditAmount AS Amount
FROM Erp.GLJrnDtl AS g
WHERE g.SourceModule <> 'AR'
  AND g.JEDate <= CAST(? AS DATE)
  AND (? = '' OR g.Company = ?)
  AND g.GLAccount IN (SELECT k.account FROM JSON_TABLE(?, '$[*]' COLUMNS (account VARCHAR(50) PATH '$.account')) AS k)
ORDER BY g.JEDate, g.JournalCode, g.JournalNum, g.JournalLine
