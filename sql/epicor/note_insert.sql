-- Pushing notes: each collection note as a CRM call about its customer (RelatedToFile 'Customer', Key1 = CustNum).
-- CallTypeCode is the contact type in capitals (CALL, EMAIL, PORTAL, LETTER, MEETING; notes.sql reads them back);
-- CallDesc is the note's subject (its outcome, "Disputed - Pricing" for a dispute) and CallText its body (the text,
-- then its details); CallInvoiceNum the first invoice it names (0 for none); OrigDate the day it was written.
-- A batch's notes come as one JSON array (ardesk.erp.writer), text read as long text (see note_key_insert.sql).
INSERT INTO Erp.CRMCall (
  Company, RelatedToFile, Key1, Key2, Key3, CallSeqNum, CallTypeCode, CallDesc, CallText, CallCustNum,
  CallInvoiceNum, SalesRepCode, OrigDcdUserID, OrigDate
)
SELECT n.company, 'Customer', n.customer_key, '', '', n.sequence, UPPER(n.contact_type), n.subject, n.body,
       CAST(n.customer_key AS INT), n.invoice, n.sales_rep, n.author, n.written
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  company LONGTEXT PATH '$.company',
  customer_key LONGTEXT PATH '$.customer_key',
  sequence INT PATH '$.sequence',
  contact_type LONGTEXT PATH '$.contact_type',
  subject LONGTEXT PATH '$.subject',
  body LONGTEXT PATH '$.body',
  invoice INT PATH '$.invoice',
  sales_rep LONGTEXT PATH '$.sales_rep',
  author LONGTEXT PATH '$.author',
  written DATE PATH '$.written'
)) AS n
