-- The latest report of each bureau about each customer, as `ardesk credit import` stored it: what the credit review
-- reads beside the ledger. A later report of the same bureau about the same customer hides an earlier one.
-- Parameters: company, as [erp] company was at the import ('' for an import to every company), as closes.sql reads
-- the closes; it is the first column of the unique key, which every database searches by.
SELECT b.CustID, b.Bureau, b.Score, b.RiskClass, b.RecommendedLimit, b.DaysBeyondTerms, b.ReportDate
FROM ardesk.ardesk_bureau_report AS b
WHERE b.Company = ?
  AND NOT EXISTS (
    SELECT 1 FROM ardesk.ardesk_bureau_report AS later
    WHERE later.Company = b.Company AND later.CustID = b.CustID AND later.Bureau = b.Bureau
      AND later.ReportDate > b.ReportDate
  )
ORDER BY b.CustID, b.Bureau
