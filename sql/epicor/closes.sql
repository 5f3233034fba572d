-- The periods closed by `ardesk close`, as they were closed: the close compares a re-run with its period's row, and
-- the Summary's trend shows each closed month-end's figures from here. Parameters: company, as [erp] company was
-- at the close ('' for a close of every company).
SELECT c.PeriodEnd, c.Closed, c.ClosedBy, c.Opening, c.Closing, c.CurrentAmt, c.Over90Amt, c.GLBalance, c.Residual
FROM ardesk.ardesk_close AS c
WHERE c.Company = ?
