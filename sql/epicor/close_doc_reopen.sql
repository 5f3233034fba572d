-- Closing a period again: its frozen documents go with its row (close_reopen.sql). Parameters: company, the
-- period's last day.
DELETE FROM ardesk.ardesk_close_doc WHERE Company = ? AND PeriodEnd = ?
