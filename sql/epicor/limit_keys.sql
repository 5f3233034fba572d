-- Staging approved credit limits: which of these approvals ardesk's staging table already holds.
-- Parameters: the limit IDs, as one JSON document (ardesk.erp.writer), read as CHAR(32), LimitID's own type, so that
-- every database looks each one up in the primary key.
SELECT l.LimitID
FROM ardesk.ardesk_credit_limit AS l
WHERE l.LimitID IN (SELECT k.limit_id FROM JSON_TABLE(?, '$[*]' COLUMNS (
  limit_id CHAR(32) PATH '$.limit_id'
)) AS k)
