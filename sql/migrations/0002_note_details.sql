-- What CRMCall has no field for, kept beside each pushed note so that it reads back whole (commit 322feeb): when
-- the contact happened, every invoice named, the contact, the promise, the disputed amount, the follow-up. One
-- column per statement (SQLite adds one at a time); a column the ERP already has is skipped. Notes pushed before
-- this step get '' for the text columns and NULL for the rest, which is what a note without them says.
ALTER TABLE ardesk.ardesk_note ADD COLUMN Written DATETIME NULL;
ALTER TABLE ardesk.ardesk_note ADD COLUMN Invoices VARCHAR(400) NOT NULL DEFAULT '';
ALTER TABLE ardesk.ardesk_note ADD COLUMN ContactPerson VARCHAR(100) NOT NULL DEFAULT '';
ALTER TABLE ardesk.ardesk_note ADD COLUMN PromiseAmt DECIMAL(20, 2) NULL;
ALTER TABLE ardesk.ardesk_note ADD COLUMN PromiseDate DATE NULL;
ALTER TABLE ardesk.ardesk_note ADD COLUMN DisputeAmt DECIMAL(20, 2) NULL;
ALTER TABLE ardesk.ardesk_note ADD COLUMN FollowUp DATE NULL;
