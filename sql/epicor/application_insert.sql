-- Applying approved credits: approved applications, write-offs and short pays into ardesk's staging table, from
-- which the ERP's cash receipt import (or a person) applies them. The primary key on ApplicationID refuses a line
-- staged before, so applying twice stages it once. The lines come as one JSON array (ardesk.erp.writer); the
-- amount as exact decimal text.
INSERT INTO ardesk.ardesk_application (ApplicationID, Company, CustID, CreditDoc, InvoiceCustID, InvoiceDoc, Kind,
                                       CurrencyCode, Amount, MatchRule, ApprovedBy, Staged)
SELECT a.application_id, a.company, a.customer_id, a.credit_doc, a.invoice_customer_id, a.invoice_doc, a.kind,
       a.currency, a.amount, a.rule, a.approver, a.staged
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  application_id LONGTEXT PATH '$.application_id',
  company LONGTEXT PATH '$.company',
  customer_id LONGTEXT PATH '$.customer_id',
  credit_doc LONGTEXT PATH '$.credit_doc',
  invoice_customer_id LONGTEXT PATH '$.invoice_customer_id',
  invoice_doc LONGTEXT PATH '$.invoice_doc',
  kind LONGTEXT PATH '$.kind',
  currency LONGTEXT PATH '$.currency',
  amount DECIMAL(20, 2) PATH '$.amount',
  rule LONGTEXT PATH '$.rule',
  approver LONGTEXT PATH '$.approver',
  staged DATETIME PATH '$.staged'
)) AS a
