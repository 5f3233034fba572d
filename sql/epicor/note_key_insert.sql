-- Pushing notes: each note's idempotency key and the key of the CRMCall row written with it, in the same
-- transaction and before it. The primary key on NoteID refuses a note already written; the unique
-- (Company, CallSeqNum) refuses a call number another pusher took first. Either failure rolls the whole batch back
-- and the pusher tries again (ardesk.erp.writeback). The note's details that CRMCall has no field for go with
-- the key (notes.sql reads them back). A batch's notes come as one JSON array (ardesk.erp.writer); text is read
-- as long text so that the table's own column refuses a value too long rather than JSON_TABLE cutting it.
INSERT INTO ardesk.ardesk_note (
  NoteID, Company, Key1, CallSeqNum, Pushed, Written, Invoices, ContactPerson, PromiseAmt, PromiseDate, DisputeAmt,
  FollowUp
)
SELECT n.note_id, n.company, n.customer_key, n.sequence, n.pushed, n.written_at, n.invoices, n.contact_person,
       n.promise_amount, n.promise_date, n.dispute_amount, n.follow_up
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  note_id LONGTEXT PATH '$.note_id',
  company LONGTEXT PATH '$.company',
  customer_key LONGTEXT PATH '$.customer_key',
  sequence INT PATH '$.sequence',
  pushed DATETIME PATH '$.pushed',
  written_at DATETIME PATH '$.written_at',
  invoices LONGTEXT PATH '$.invoices',
  contact_person LONGTEXT PATH '$.contact_person',
  promise_amount DECIMAL(20, 2) PATH '$.promise_amount',
  promise_date DATE PATH '$.promise_date',
  dispute_amount DECIMAL(20, 2) PATH '$.dispute_amount',
  follow_up DATE PATH '$.follow_up'
)) AS n
