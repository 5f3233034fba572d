-- The month-end closes: each closed period's figures as the accountant closed them, so that a later run of the same
-- period can tell what in the ERP's history has changed since (a back-dated entry), and the Summary's trend shows
-- what was reported, not what a changed history would rebuild. One row per close; Company is [erp] company at the
-- close ('' when it read every company), PeriodEnd the month's last day.
CREATE TABLE ardesk.ardesk_close (
  Company VARCHAR(8) NOT NULL,
  PeriodEnd DATE NOT NULL,
  Closed DATETIME NOT NULL,            -- the closing computer's clock
  ClosedBy VARCHAR(50) NOT NULL,       -- the account that ran the close
  Opening DECIMAL(20, 2) NOT NULL,     -- the aging of the day before the period, base currency
  Closing DECIMAL(20, 2) NOT NULL,     -- the aging of PeriodEnd
  CurrentAmt DECIMAL(20, 2) NOT NULL,  -- of Closing, not yet due on PeriodEnd
  Over90Amt DECIMAL(20, 2) NOT NULL,   -- of Closing, more than 90 days past due on PeriodEnd
  GLBalance DECIMAL(20, 2) NULL,       -- the receivables control accounts' balance; NULL when none is set
  Residual DECIMAL(20, 2) NULL,        -- what the GL tie-out left unexplained
  PRIMARY KEY (Company, PeriodEnd)
);

-- Each document the close counted: open at either end of the period or moved in it, with its closing balance and
-- what was posted and applied to it in the period (base currency), as they stood when the period was closed.
CREATE TABLE ardesk.ardesk_close_doc (
  Company VARCHAR(8) NOT NULL,
  PeriodEnd DATE NOT NULL,
  DocCompany VARCHAR(8) NOT NULL,
  DocNo VARCHAR(20) NOT NULL,
  CustID VARCHAR(20) NOT NULL,
  DocType VARCHAR(4) NOT NULL,
  Closing DECIMAL(20, 2) NOT NULL,
  Posted DECIMAL(20, 2) NOT NULL,
  Applied DECIMAL(20, 2) NOT NULL,
  PRIMARY KEY (Company, PeriodEnd, DocCompany, DocNo)
);
