-- Importing a bureau's reports: which of these reports ardesk's table already holds.
-- Parameters: the report IDs, as one JSON document (ardesk.erp.writer), read as CHAR(32), ReportID's own type.
SELECT b.ReportID
FROM ardesk.ardesk_bureau_report AS b
WHERE b.ReportID IN (SELECT k.report_id FROM JSON_TABLE(?, '$[*]' COLUMNS (
  report_id CHAR(32) PATH '$.report_id'
)) AS k)
