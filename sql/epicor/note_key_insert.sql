-- Pushing notes: one note's idempotency key and the key of the CRMCall row written with it, in the same
-- transaction and before it. The primary key on NoteID refuses a note already written; the unique
-- (Company, CallSeqNum) refuses a call number another pusher took first. Either failure rolls the whole batch back
-- and the pusher tries again (ardesk.erp.writeback). The note's details that CRMCall has no field for go with
-- the key (notes.sql reads them back). Written as one row: the pusher repeats the VALUES group.
INSERT INTO ardesk.ardesk_note (
  NoteID, Company, Key1, CallSeqNum, Pushed, Written, Invoices, ContactPerson, PromiseAmt, PromiseDate, DisputeAmt,
  FollowUp
)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
