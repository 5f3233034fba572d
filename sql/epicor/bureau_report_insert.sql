-- Importing a bureau's reports: the matched rows into ardesk's table. The primary key on ReportID refuses a report
-- stored before, so importing twice stores it once. The rows come as one JSON array (ardesk.erp.writer); the
-- recommended limit as exact decimal text.
INSERT INTO ardesk.ardesk_bureau_report (ReportID, Company, CustID, Bureau, ReportDate, Score, RiskClass,
                                         RecommendedLimit, DaysBeyondTerms, MatchedBy, Confidence, SourceFile,
                                         SourceLine, Imported, ImportedBy)
SELECT r.report_id, r.company, r.customer_id, r.bureau, r.report_date, r.score, r.risk_class, r.recommended_limit,
       r.days_beyond_terms, r.matched_by, r.confidence, r.source_file, r.source_line, r.imported, r.imported_by
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  report_id LONGTEXT PATH '$.report_id',
  company LONGTEXT PATH '$.company',
  customer_id LONGTEXT PATH '$.customer_id',
  bureau LONGTEXT PATH '$.bureau',
  report_date DATE PATH '$.report_date',
  score INT PATH '$.score',
  risk_class LONGTEXT PATH '$.risk_class',
  recommended_limit DECIMAL(20, 2) PATH '$.recommended_limit',
  days_beyond_terms INT PATH '$.days_beyond_terms',
  matched_by LONGTEXT PATH '$.matched_by',
  confidence INT PATH '$.confidence',
  source_file LONGTEXT PATH '$.source_file',
  source_line INT PATH '$.source_line',
  imported DATETIME PATH '$.imported',
  imported_by LONGTEXT PATH '$.imported_by'
)) AS r
