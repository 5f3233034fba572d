-- The credit limits approved on the aging workbook's Credit Review sheet, staged by `ardesk credit limits` for the
-- ERP's customer import (or a person) to set Customer.CreditLimit and CreditReviewDate from, one row each. The primary
-- key is the approval's idempotency key (ardesk.ar.credit_limits.keys): staging the same approval twice stages it once.
CREATE TABLE ardesk.ardesk_credit_limit (
  LimitID CHAR(32) NOT NULL,
  Company VARCHAR(8) NOT NULL,
  CustID VARCHAR(20) NOT NULL,
  CreditLimit DECIMAL(20, 2) NOT NULL,     -- the approved limit, base currency (never 0: 0 is no limit in Epicor)
  PreviousLimit DECIMAL(20, 2) NOT NULL,   -- the ERP's limit when it was staged (0: none)
  ReviewDate DATE NOT NULL,                -- the review's day: the as-of date of the workbook it was approved on
  ApprovedBy VARCHAR(50) NOT NULL,         -- as named in [credit] approvers
  NoteID CHAR(36) NOT NULL,                -- the collection note saying who approved what
  Staged DATETIME NOT NULL,                -- the staging computer's clock
  PRIMARY KEY (LimitID)
);
