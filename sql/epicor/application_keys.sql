-- Applying approved credits: which of these applications ardesk's staging table already holds.
-- Parameters: the application IDs (the IN list grows to their count).
SELECT a.ApplicationID
FROM ardesk.ardesk_application AS a
WHERE a.ApplicationID IN (?)
