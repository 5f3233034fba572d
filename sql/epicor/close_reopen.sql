-- Closing a period again (`ardesk close --reclose`): its frozen row goes, in the transaction that freezes it anew;
-- close_doc_reopen.sql removes its documents. Parameters: company, the period's last day.
DELETE FROM ardesk.ardesk_close WHERE Company = ? AND PeriodEnd = ?
