-- Setting or lifting one customer's credit hold, only while the flag still stands as it was read: the update of a
-- hold someone else set or lifted since (another run at the same moment included) changes no row, so each change
-- is made once. Parameters: the new flag, the day, the source (ARDESK), company, customer ID, the flag as read.
UPDATE Erp.Customer
SET CreditHold = ?, CreditHoldDate = ?, CreditHoldSource = ?
WHERE Company = ? AND CustID = ? AND CreditHold = ?
