-- Pushing notes: one collection note as a CRM call about its customer (RelatedToFile 'Customer', Key1 = CustNum).
-- CallTypeCode is the contact type in capitals (CALL, EMAIL, PORTAL, LETTER, MEETING; notes.sql reads them back);
-- CallDesc is the note's subject (its outcome, "Disputed - Pricing" for a dispute) and CallText its body (the text,
-- then its details); CallInvoiceNum the first invoice it names (0 for none); OrigDate the day it was written.
-- Written as one row: the pusher repeats the VALUES group.
INSERT INTO Erp.CRMCall (
  Company, RelatedToFile, Key1, Key2, Key3, CallSeqNum, CallTypeCode, CallDesc, CallText, CallCustNum,
  CallInvoiceNum, SalesRepCode, OrigDcdUserID, OrigDate
)
VALUES (?, 'Customer', ?, '', '', ?, UPPER(?), ?, ?, CAST(? AS INT), ?, ?, ?, ?)
