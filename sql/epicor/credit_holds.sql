-- Setting and lifting credit holds: where each customer's hold stands now, read by position: company, customer ID,
-- the hold flag, the day it was last set or lifted and by whom (Epicor's CreditHoldSource: CREDIT, MANUAL; ardesk
-- writes ARDESK). Parameters: company ('' = every company), company.
SELECT c.Company, c.CustID, c.CreditHold, c.CreditHoldDate, c.CreditHoldSource
FROM Erp.Customer AS c
WHERE (? = '' OR c.Company = ?)
