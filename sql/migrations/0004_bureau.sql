-- Credit bureau reports (`ardesk credit import FILE --bureau NAME`): each row of a bureau's export that ardesk matched
-- to a customer, as the bureau said it. ReportID is the row's idempotency key (ardesk.erp.bureau: company, bureau,
-- customer and report date), so importing a file again, or two imports at once, store each report once; the unique
-- key says the same in the ERP's own terms and serves the read of each customer's latest report. Company is
-- [erp] company at the import ('' when it read every company).
CREATE TABLE ardesk.ardesk_bureau_report (
  ReportID CHAR(32) NOT NULL,
  Company VARCHAR(8) NOT NULL,
  CustID VARCHAR(20) NOT NULL,
  Bureau VARCHAR(30) NOT NULL,          -- the NAME of [bureaus.NAME]
  ReportDate DATE NOT NULL,
  Score INT NULL,                       -- on 0-100, the highest the least risk
  RiskClass VARCHAR(20) NOT NULL,       -- as the bureau writes it ('' when its export has none)
  RecommendedLimit DECIMAL(20, 2) NULL, -- base currency
  DaysBeyondTerms INT NULL,
  MatchedBy VARCHAR(20) NOT NULL,       -- tax ID, name and address, or confirmed (by a person, on the review list)
  Confidence INT NOT NULL,              -- 0-100
  SourceFile VARCHAR(255) NOT NULL,     -- the export's file name
  SourceLine INT NOT NULL,              -- its line (CSV) or row (XLSX)
  Imported DATETIME NOT NULL,           -- the importing computer's clock
  ImportedBy VARCHAR(50) NOT NULL,
  PRIMARY KEY (ReportID),
  UNIQUE (Company, CustID, Bureau, ReportDate)
);
