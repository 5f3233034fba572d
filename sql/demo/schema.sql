-- The demo ERP: an Epicor-shaped subset (Epicor Kinetic / ERP 10 column names), canonical dialect.
-- Booleans carry no DEFAULT (SQL Server and PostgreSQL disagree on boolean literals); the loader sets them.
CREATE SCHEMA IF NOT EXISTS Erp;
CREATE SCHEMA IF NOT EXISTS ardesk;

CREATE TABLE Erp.Currency (
  Company VARCHAR(8) NOT NULL,
  CurrencyCode VARCHAR(4) NOT NULL,
  CurrDesc VARCHAR(30) NOT NULL,
  BaseCurr BOOLEAN NOT NULL,
  PRIMARY KEY (Company, CurrencyCode)
);

CREATE TABLE Erp.CurrExRate (
  Company VARCHAR(8) NOT NULL,
  SourceCurrCode VARCHAR(4) NOT NULL,
  TargetCurrCode VARCHAR(4) NOT NULL,
  EffectiveDate DATE NOT NULL,
  CurrentRate DECIMAL(18, 8) NOT NULL,
  PRIMARY KEY (Company, SourceCurrCode, TargetCurrCode, EffectiveDate)
);

CREATE TABLE Erp.Terms (
  Company VARCHAR(8) NOT NULL,
  TermsCode VARCHAR(4) NOT NULL,
  Description VARCHAR(30) NOT NULL,
  NumberOfPayments INT NOT NULL,
  DiscountPercent DECIMAL(5, 2) NOT NULL,
  DiscountDays INT NOT NULL,
  PRIMARY KEY (Company, TermsCode)
);

CREATE TABLE Erp.TermsSched (
  Company VARCHAR(8) NOT NULL,
  TermsCode VARCHAR(4) NOT NULL,
  PaySeq INT NOT NULL,
  PayDays INT NOT NULL,
  PayPercent DECIMAL(5, 2) NOT NULL,
  PRIMARY KEY (Company, TermsCode, PaySeq)
);

CREATE TABLE Erp.SalesRep (
  Company VARCHAR(8) NOT NULL,
  SalesRepCode VARCHAR(8) NOT NULL,
  Name VARCHAR(50) NOT NULL,
  EMailAddress VARCHAR(100) NOT NULL,
  PRIMARY KEY (Company, SalesRepCode)
);

CREATE TABLE Erp.Customer (
  Company VARCHAR(8) NOT NULL,
  CustNum INT NOT NULL,
  CustID VARCHAR(10) NOT NULL,
  Name VARCHAR(50) NOT NULL,
  TermsCode VARCHAR(4) NOT NULL,
  SalesRepCode VARCHAR(8) NOT NULL,
  TerritoryID VARCHAR(8) NOT NULL,
  GroupCode VARCHAR(4) NOT NULL,
  CurrencyCode VARCHAR(4) NOT NULL,
  CreditLimit DECIMAL(20, 3) NOT NULL,
  CreditHold BOOLEAN NOT NULL,
  CreditHoldDate DATE,
  CreditHoldSource VARCHAR(10) NOT NULL,
  CreditIncludeOrders BOOLEAN NOT NULL,
  CreditReviewDate DATE,
  EMailAddress VARCHAR(100) NOT NULL,
  Address1 VARCHAR(50) NOT NULL DEFAULT '',  -- address and phone: what letters and call lists need
  City VARCHAR(50) NOT NULL DEFAULT '',
  State VARCHAR(50) NOT NULL DEFAULT '',
  Zip VARCHAR(10) NOT NULL DEFAULT '',
  Country VARCHAR(50) NOT NULL DEFAULT '',
  PhoneNum VARCHAR(20) NOT NULL DEFAULT '',
  PrimBCon INT NOT NULL DEFAULT 0,     -- the primary billing contact's ConNum in CustCnt, 0 for none
  PrintStatements BOOLEAN NOT NULL,    -- false: the customer takes no statements of account
  ResaleID VARCHAR(30) NOT NULL DEFAULT '',  -- the tax ID the customer gave (EIN, VAT number): bureaus match on it
  PRIMARY KEY (Company, CustNum)
);

-- The customers' people (Epicor's customer contacts): ShipToNum '' for the customer's own, not a ship-to's.
CREATE TABLE Erp.CustCnt (
  Company VARCHAR(8) NOT NULL,
  CustNum INT NOT NULL,
  ShipToNum VARCHAR(14) NOT NULL,
  ConNum INT NOT NULL,
  Name VARCHAR(50) NOT NULL,
  Func VARCHAR(30) NOT NULL,           -- the person's role: Accounts Payable, Controller, Purchasing ...
  PhoneNum VARCHAR(30) NOT NULL,
  EMailAddress VARCHAR(100) NOT NULL,
  PRIMARY KEY (Company, CustNum, ShipToNum, ConNum)
);

CREATE TABLE Erp.InvcHead (
  Company VARCHAR(8) NOT NULL,
  InvoiceNum INT NOT NULL,
  InvoiceSuffix VARCHAR(2) NOT NULL,   -- '' invoice, CM credit memo, UR unapplied receipt, DN debit note, FC finance charge
  CustNum INT NOT NULL,
  InvoiceType VARCHAR(3) NOT NULL,     -- SHP, MIS, ADV, DEP
  CreditMemo BOOLEAN NOT NULL,
  UnappliedCash BOOLEAN NOT NULL,
  Posted BOOLEAN NOT NULL,
  OpenInvoice BOOLEAN NOT NULL,
  ClosedDate DATE,
  InvoiceDate DATE NOT NULL,
  ApplyDate DATE NOT NULL,             -- the day it posts to the GL, as a rule its InvoiceDate
  DueDate DATE NOT NULL,
  TermsCode VARCHAR(4) NOT NULL,
  InvoiceAmt DECIMAL(20, 3) NOT NULL,  -- base currency
  InvoiceBal DECIMAL(20, 3) NOT NULL,  -- base currency; negative for credit memos and unapplied cash
  DocInvoiceAmt DECIMAL(20, 3) NOT NULL,
  DocInvoiceBal DECIMAL(20, 3) NOT NULL,
  CurrencyCode VARCHAR(4) NOT NULL,
  ExchangeRate DECIMAL(18, 8) NOT NULL,
  SalesRepList VARCHAR(50) NOT NULL,
  OrderNum INT NOT NULL,
  PONum VARCHAR(50) NOT NULL,
  InvoiceRef VARCHAR(50) NOT NULL,
  PRIMARY KEY (Company, InvoiceNum)
);

CREATE TABLE Erp.CashHead (
  Company VARCHAR(8) NOT NULL,
  GroupID VARCHAR(8) NOT NULL,
  HeadNum INT NOT NULL,
  Posted BOOLEAN NOT NULL,
  TranType VARCHAR(8) NOT NULL,        -- PayInv, MisPay, DepPay, CMApply
  CheckRef VARCHAR(30) NOT NULL,
  CustNum INT NOT NULL,
  TranDate DATE NOT NULL,
  CurrencyCode VARCHAR(4) NOT NULL,
  TranAmt DECIMAL(20, 3) NOT NULL,
  AppliedAmt DECIMAL(20, 3) NOT NULL,
  UnAppliedAmt DECIMAL(20, 3) NOT NULL,
  CreditMemoNum INT NOT NULL,          -- the unapplied-cash InvcHead row, 0 when fully applied
  ReverseRef INT NOT NULL,
  PRIMARY KEY (Company, HeadNum)
);

-- What changed each document's balance and when: a receipt's application to an invoice (PayInv, HeadNum the
-- receipt), a credit memo's use (CMApply, HeadNum 0) or an adjustment without cash (Adjust, HeadNum 0): a write-off
-- of what the customer will not pay, with the ReasonCode (Erp.Reason) it was written off for; a negative one puts
-- back what was written off when the customer pays after all (a recovery, applied the same day by its receipt). TranAmt in the base currency at the rate the ERP applied it,
-- DocTranAmt in the document's currency, both signed as the document (negative for a credit memo): a document's
-- balance as of a day is its amount less what was applied to it by that day.
CREATE TABLE Erp.CashDtl (
  Company VARCHAR(8) NOT NULL,
  HeadNum INT NOT NULL,
  DtlNum INT NOT NULL,
  InvoiceNum INT NOT NULL,
  TranType VARCHAR(8) NOT NULL,
  TranDate DATE NOT NULL,
  TranAmt DECIMAL(20, 3) NOT NULL,
  DocTranAmt DECIMAL(20, 3) NOT NULL,
  ReasonCode VARCHAR(8) NOT NULL DEFAULT '',  -- an Adjust row's reason; '' for the others
  PRIMARY KEY (Company, DtlNum)
);

-- Why balances were adjusted (ReasonType W: written off), as the site defines its reason codes.
CREATE TABLE Erp.Reason (
  Company VARCHAR(8) NOT NULL,
  ReasonType VARCHAR(1) NOT NULL,
  ReasonCode VARCHAR(8) NOT NULL,
  Description VARCHAR(50) NOT NULL,
  PRIMARY KEY (Company, ReasonType, ReasonCode)
);

-- The general ledger's journal lines, for the receivables control account and the allowance for doubtful accounts
-- and nothing else here: what the receivables module posted each day (the documents by ApplyDate, the applications
-- by their day; SourceModule AR; write-offs debit the allowance), journal entries typed straight into the
-- receivables account, and the month-end provisions credited to the allowance (SourceModule GL). Debit and credit
-- in the base currency.
CREATE TABLE Erp.GLJrnDtl (
  Company VARCHAR(8) NOT NULL,
  JournalCode VARCHAR(4) NOT NULL,     -- AR (the receivables module's postings), BD (its bad debts'), GJ (a general journal entry)
  JournalNum INT NOT NULL,
  JournalLine INT NOT NULL,
  GLAccount VARCHAR(50) NOT NULL,
  JEDate DATE NOT NULL,
  SourceModule VARCHAR(2) NOT NULL,
  Description VARCHAR(100) NOT NULL,
  DebitAmount DECIMAL(20, 3) NOT NULL,
  CreditAmount DECIMAL(20, 3) NOT NULL,
  PRIMARY KEY (Company, JournalCode, JournalNum, JournalLine)
);

CREATE TABLE Erp.OrderHed (
  Company VARCHAR(8) NOT NULL,
  OrderNum INT NOT NULL,
  CustNum INT NOT NULL,
  OrderDate DATE NOT NULL,
  OpenOrder BOOLEAN NOT NULL,
  CurrencyCode VARCHAR(4) NOT NULL,
  OrderAmt DECIMAL(20, 3) NOT NULL,
  DocOrderAmt DECIMAL(20, 3) NOT NULL,
  PONum VARCHAR(50) NOT NULL,
  PRIMARY KEY (Company, OrderNum)
);

CREATE TABLE Erp.CRMCall (
  Company VARCHAR(8) NOT NULL,
  RelatedToFile VARCHAR(20) NOT NULL,
  Key1 VARCHAR(50) NOT NULL,
  Key2 VARCHAR(50) NOT NULL,
  Key3 VARCHAR(50) NOT NULL,
  CallSeqNum INT NOT NULL,
  CallTypeCode VARCHAR(8) NOT NULL,
  CallDesc VARCHAR(100) NOT NULL,
  CallText LONGTEXT NOT NULL,            -- Epicor: nvarchar(max); MariaDB's TEXT stops at 64 KB
  CallCustNum INT NOT NULL,
  CallInvoiceNum INT NOT NULL,
  SalesRepCode VARCHAR(8) NOT NULL,
  OrigDcdUserID VARCHAR(75) NOT NULL,
  OrigDate DATE NOT NULL,
  PRIMARY KEY (Company, RelatedToFile, Key1, Key2, Key3, CallSeqNum)
);

-- ardesk's own: who collects which customer (Epicor has no collector assignment).
CREATE TABLE ardesk.ardesk_collector (
  Company VARCHAR(8) NOT NULL,
  CustNum INT NOT NULL,
  CollectorID VARCHAR(20) NOT NULL,
  CollectorName VARCHAR(50) NOT NULL,
  PRIMARY KEY (Company, CustNum)
);

-- ardesk's own: the idempotency key of every note ardesk wrote to Erp.CRMCall, and that row's key. A note is
-- inserted only together with its key, in one transaction: the primary key makes a second insert fail, and the
-- unique (Company, CallSeqNum) makes two pushers that picked the same call numbers collide instead of both
-- writing (see ardesk.erp.writeback). It also keeps what CRMCall has no field for (every invoice named, the
-- promise, the disputed amount, the follow-up, the time of day), exactly, so that the note reads back whole.
CREATE TABLE ardesk.ardesk_note (
  NoteID CHAR(36) NOT NULL,            -- the note's UUID, lower-case text
  Company VARCHAR(8) NOT NULL,
  Key1 VARCHAR(50) NOT NULL,           -- the CRMCall row: RelatedToFile 'Customer', Key1 = CustNum, Key2 = Key3 = ''
  CallSeqNum INT NOT NULL,
  Pushed DATETIME NOT NULL,            -- when ardesk wrote it (the pushing computer's clock)
  Written DATETIME NULL,               -- when the contact happened (CRMCall.OrigDate keeps only the day)
  Invoices VARCHAR(400) NOT NULL,      -- every invoice the note names, "1001, 1002" ('' for the account)
  ContactPerson VARCHAR(100) NOT NULL,
  PromiseAmt DECIMAL(20, 2) NULL,      -- base currency
  PromiseDate DATE NULL,
  DisputeAmt DECIMAL(20, 2) NULL,
  FollowUp DATE NULL,
  PRIMARY KEY (NoteID),
  UNIQUE (Company, CallSeqNum)
);

-- ardesk's own: the approved applications of credits (and the write-offs and short pays beside them) that
-- `ardesk reconcile apply` staged for the ERP's cash receipt import, one row each. The primary key is the line's
-- idempotency key (ardesk.ar.applications.keys): applying the same approval twice stages it once.
CREATE TABLE ardesk.ardesk_application (
  ApplicationID CHAR(32) NOT NULL,
  Company VARCHAR(8) NOT NULL,
  CustID VARCHAR(20) NOT NULL,          -- the credit's customer
  CreditDoc VARCHAR(20) NOT NULL,       -- the unapplied cash or credit memo (InvoiceNum)
  InvoiceCustID VARCHAR(20) NOT NULL,   -- the invoice's customer (another one only within a parent/child family)
  InvoiceDoc VARCHAR(20) NOT NULL,
  Kind VARCHAR(12) NOT NULL,            -- Apply, Write off or Short pay
  CurrencyCode VARCHAR(4) NOT NULL,
  Amount DECIMAL(20, 2) NOT NULL,       -- document currency
  MatchRule VARCHAR(12) NOT NULL,
  ApprovedBy VARCHAR(50) NOT NULL,
  Staged DATETIME NOT NULL,
  PRIMARY KEY (ApplicationID)
);

-- ardesk's own: the periods `ardesk close` froze, one row each, and each one's documents as they were closed
-- (sql/migrations/0003_closes.sql says what each column holds).
CREATE TABLE ardesk.ardesk_close (
  Company VARCHAR(8) NOT NULL,
  PeriodEnd DATE NOT NULL,
  Closed DATETIME NOT NULL,
  ClosedBy VARCHAR(50) NOT NULL,
  Opening DECIMAL(20, 2) NOT NULL,
  Closing DECIMAL(20, 2) NOT NULL,
  CurrentAmt DECIMAL(20, 2) NOT NULL,
  Over90Amt DECIMAL(20, 2) NOT NULL,
  GLBalance DECIMAL(20, 2) NULL,
  Residual DECIMAL(20, 2) NULL,
  PRIMARY KEY (Company, PeriodEnd)
);

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

-- ardesk's own: the credit bureau reports `ardesk credit import` stored, one row each
-- (sql/migrations/0004_bureau.sql says what each column holds).
CREATE TABLE ardesk.ardesk_bureau_report (
  ReportID CHAR(32) NOT NULL,
  Company VARCHAR(8) NOT NULL,
  CustID VARCHAR(20) NOT NULL,
  Bureau VARCHAR(30) NOT NULL,
  ReportDate DATE NOT NULL,
  Score INT NULL,
  RiskClass VARCHAR(20) NOT NULL,
  RecommendedLimit DECIMAL(20, 2) NULL,
  DaysBeyondTerms INT NULL,
  MatchedBy VARCHAR(20) NOT NULL,
  Confidence INT NOT NULL,
  SourceFile VARCHAR(255) NOT NULL,
  SourceLine INT NOT NULL,
  Imported DATETIME NOT NULL,
  ImportedBy VARCHAR(50) NOT NULL,
  PRIMARY KEY (ReportID),
  UNIQUE (Company, CustID, Bureau, ReportDate)
);

-- ardesk's own: the credit limits `ardesk credit limits` staged (sql/migrations/0005_credit_limits.sql says what each
-- column holds).
CREATE TABLE ardesk.ardesk_credit_limit (
  LimitID CHAR(32) NOT NULL,
  Company VARCHAR(8) NOT NULL,
  CustID VARCHAR(20) NOT NULL,
  CreditLimit DECIMAL(20, 2) NOT NULL,
  PreviousLimit DECIMAL(20, 2) NOT NULL,
  ReviewDate DATE NOT NULL,
  ApprovedBy VARCHAR(50) NOT NULL,
  NoteID CHAR(36) NOT NULL,
  Staged DATETIME NOT NULL,
  PRIMARY KEY (LimitID)
);

-- Indexes beside the keys, for the joins of the profile's reads (a live ERP has its own). Every query joins on a key
-- (Customer by Company+CustNum, SalesRep by Company+SalesRepCode, ardesk_note by Company+CallSeqNum) except
-- open_items' unapplied cash, which finds its receipt by the CashHead row's CreditMemoNum: without CashHead_CreditMemo
-- SQLite compared each of the demo's 27,522 open items with each of its 14,953 receipts (8.2 s of a refresh) and
-- MariaDB read every receipt of the company per item (2.8 s); with it the query takes 0.4 s on either. open_items
-- also reads the applications made after its day (none for today's aging) by CashDtl_Date.
-- ardesk.erp.demo.exists counts a demo ERP without one of these as not built (an older ardesk made it).
CREATE INDEX InvcHead_Open ON Erp.InvcHead (Company, OpenInvoice, CustNum);
CREATE INDEX CashHead_CreditMemo ON Erp.CashHead (Company, CreditMemoNum);
CREATE INDEX CashDtl_Date ON Erp.CashDtl (TranDate, Company, InvoiceNum);
