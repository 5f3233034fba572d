-- Pushing notes: the highest call number ardesk has written for the company, read before every batch (an index
-- lookup): the next batch numbers its calls from above both this and note_last_call.
-- Parameters: company.
SELECT MAX(n.CallSeqNum)
FROM ardesk.ardesk_note AS n
WHERE n.Company = ?
