-- Freezing a closed period (ardesk.erp.closes): its figures, one row. The primary key on (Company, PeriodEnd)
-- refuses a second close of the period, so two closes at once freeze it once: the loser rolls back and compares
-- with what the winner froze. The row comes as one JSON array (ardesk.erp.writer), money as exact decimal text.
INSERT INTO ardesk.ardesk_close (Company, PeriodEnd, Closed, ClosedBy, Opening, Closing, CurrentAmt, Over90Amt,
                                 GLBalance, Residual)
SELECT c.company, c.period_end, c.closed, c.closed_by, c.opening, c.closing, c.current_amount, c.over_90,
       c.gl_balance, c.residual
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  company LONGTEXT PATH '$.company',
  period_end DATE PATH '$.period_end',
  closed DATETIME PATH '$.closed',
  closed_by LONGTEXT PATH '$.closed_by',
  opening DECIMAL(20, 2) PATH '$.opening',
  closing DECIMAL(20, 2) PATH '$.closing',
  current_amount DECIMAL(20, 2) PATH '$.current_amount',
  over_90 DECIMAL(20, 2) PATH '$.over_90',
  gl_balance DECIMAL(20, 2) PATH '$.gl_balance',
  residual DECIMAL(20, 2) PATH '$.residual'
)) AS c
