-- The documents of one closed period as it was closed (ardesk.ardesk_close_doc): a re-run of the close compares
-- them with the ERP's history today. Parameters: company (as at the close), the period's last day.
SELECT d.DocCompany, d.DocNo, d.CustID, d.DocType, d.Closing, d.Posted, d.Applied
FROM ardesk.ardesk_close_doc AS d
WHERE d.Company = ? AND d.PeriodEnd = ?
