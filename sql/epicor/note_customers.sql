-- Pushing notes: the customers a note may name. Read by position: company, the customer's key (CustNum: CRMCall's
-- Key1 and CallCustNum), the customer ID people type, the sales rep code the call is filed under.
-- Parameters: company ('' = every company), company.
SELECT c.Company, c.CustNum, c.CustID, c.SalesRepCode
FROM Erp.Customer AS c
WHERE (? = '' OR c.Company = ?)
