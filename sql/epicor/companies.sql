-- The companies the ERP knows: those with customers (the demo ERP has no Erp.Company table, and a company
-- without customers has no receivables to read). A [erp] company not among them is refused before anything is
-- read or written, so that a typo is not taken for a ledger with nothing open.
SELECT DISTINCT c.Company
FROM Erp.Customer AS c
ORDER BY c.Company
