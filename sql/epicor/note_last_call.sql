-- Pushing notes: the company's highest call number, read once per push (it may scan CRMCall).
-- Parameters: company.
SELECT MAX(k.CallSeqNum)
FROM Erp.CRMCall AS k
WHERE k.Company = ?
