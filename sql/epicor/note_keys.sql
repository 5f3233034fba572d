-- Pushing notes: the notes the ERP already holds (from an earlier push, another computer's, or a push cut off
-- after its commit). Read by position: note ID, company, Key1, CallSeqNum, when pushed.
-- Parameters: the note IDs (the IN list grows to their count).
SELECT n.NoteID, n.Company, n.Key1, n.CallSeqNum, n.Pushed
FROM ardesk.ardesk_note AS n
WHERE n.NoteID IN (?)
