-- Staging approved credit limits: every customer of the company ([erp] company; '' = every company) with its company
-- and today's credit limit, to find each approved customer's company and say what its limit was.
-- Parameters: company, company.
SELECT c.Company, c.CustID, c.CreditLimit
FROM Erp.Customer AS c
WHERE (? = '' OR c.Company = ?)
ORDER BY c.Company, c.CustID
