-- Freezing a closed period: its documents, in the same transaction as its row (close_insert.sql). A batch comes as
-- one JSON array (ardesk.erp.writer), money as exact decimal text.
INSERT INTO ardesk.ardesk_close_doc (Company, PeriodEnd, DocCompany, DocNo, CustID, DocType, Closing, Posted, Applied)
SELECT d.company, d.period_end, d.doc_company, d.doc_no, d.customer_id, d.doc_type, d.closing, d.posted, d.applied
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  company LONGTEXT PATH '$.company',
  period_end DATE PATH '$.period_end',
  doc_company LONGTEXT PATH '$.doc_company',
  doc_no LONGTEXT PATH '$.doc_no',
  customer_id LONGTEXT PATH '$.customer_id',
  doc_type LONGTEXT PATH '$.doc_type',
  closing DECIMAL(20, 2) PATH '$.closing',
  posted DECIMAL(20, 2) PATH '$.posted',
  applied DECIMAL(20, 2) PATH '$.applied'
)) AS d
