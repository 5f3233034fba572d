-- Applying approved credits: which of these applications ardesk's staging table already holds.
-- Parameters: the application IDs, as one JSON document (ardesk.erp.writer), read as CHAR(32), ApplicationID's
-- own type, so that every database looks each one up in the primary key.
SELECT a.ApplicationID
FROM ardesk.ardesk_application AS a
WHERE a.ApplicationID IN (SELECT k.application_id FROM JSON_TABLE(?, '$[*]' COLUMNS (
  application_id CHAR(32) PATH '$.application_id'
)) AS k)
