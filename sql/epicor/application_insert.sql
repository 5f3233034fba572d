-- Applying approved credits: one approved application, write-off or short pay into ardesk's staging table,
-- from which the ERP's cash receipt import (or a person) applies it. The primary key on ApplicationID refuses a
-- line staged before, so applying twice stages it once. Written as one row: ardesk repeats the VALUES group.
INSERT INTO ardesk.ardesk_application (ApplicationID, Company, CustID, CreditDoc, InvoiceCustID, InvoiceDoc, Kind,
                                       CurrencyCode, Amount, MatchRule, ApprovedBy, Staged)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS DECIMAL(20, 2)), ?, ?, CAST(? AS TIMESTAMP))
