-- Staging approved credit limits into ardesk's staging table, from which the ERP's customer import (or a person)
-- sets Customer.CreditLimit and CreditReviewDate. The primary key on LimitID refuses an approval staged before, so
-- staging twice stages it once. The rows come as one JSON array (ardesk.erp.writer); amounts as exact decimal text.
INSERT INTO ardesk.ardesk_credit_limit (LimitID, Company, CustID, CreditLimit, PreviousLimit, ReviewDate, ApprovedBy,
                                        NoteID, Staged)
SELECT l.limit_id, l.company, l.customer_id, l.credit_limit, l.previous_limit, l.review_date, l.approver, l.note_id,
       l.staged
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  limit_id LONGTEXT PATH '$.limit_id',
  company LONGTEXT PATH '$.company',
  customer_id LONGTEXT PATH '$.customer_id',
  credit_limit DECIMAL(20, 2) PATH '$.credit_limit',
  previous_limit DECIMAL(20, 2) PATH '$.previous_limit',
  review_date DATE PATH '$.review_date',
  approver LONGTEXT PATH '$.approver',
  note_id LONGTEXT PATH '$.note_id',
  staged DATETIME PATH '$.staged'
)) AS l
