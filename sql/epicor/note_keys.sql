-- Pushing notes: the notes the ERP already holds (from an earlier push, another computer's, or a push cut off
-- after its commit). Read by position: note ID, company, Key1, CallSeqNum, when pushed.
-- Parameters: the note IDs, as one JSON document (ardesk.erp.writer); read as CHAR(36), NoteID's own type, so
-- that every database looks each one up in the primary key.
SELECT n.NoteID, n.Company, n.Key1, n.CallSeqNum, n.Pushed
FROM ardesk.ardesk_note AS n
WHERE n.NoteID IN (SELECT k.note_id FROM JSON_TABLE(?, '$[*]' COLUMNS (note_id CHAR(36) PATH '$.note_id')) AS k)
