-- How to reach every customer: its billing address, its primary billing contact (Customer.PrimBCon, a contact of
-- the customer itself in Erp.CustCnt, not of a ship-to) and whether it takes no statements of account. A customer
-- without a billing contact, or whose contact has no phone or e-mail, falls back to the customer's own. The tax ID
-- (EIN, VAT number) is Customer.ResaleID, Customer Maintenance's "Resale ID": bureau imports match on it first.
-- Parameters: company ('' = every company), company.
SELECT
  c.CustID,
  c.Name,
  c.Address1,
  c.City,
  c.State,
  c.Zip,
  c.Country,
  COALESCE(k.Name, '') AS ContactName,
  COALESCE(NULLIF(k.PhoneNum, ''), c.PhoneNum) AS ContactPhone,
  COALESCE(NULLIF(k.EMailAddress, ''), c.EMailAddress) AS ContactEMail,
  NOT c.PrintStatements AS NoStatements,
  c.ResaleID
FROM Erp.Customer AS c
LEFT JOIN Erp.CustCnt AS k
  ON k.Company = c.Company AND k.CustNum = c.CustNum AND k.ShipToNum = '' AND k.ConNum = c.PrimBCon
WHERE (? = '' OR c.Company = ?)
ORDER BY c.Company, c.CustID
