-- ardesk's own tables as the first ardesk to keep tables in the ERP created them (sql/demo/schema.sql at commit
-- a120a4c), and the table that records which of these steps the ERP has. An ERP that already has a table keeps it
-- as it is: ardesk.erp.migrations skips a CREATE TABLE whose table exists, so this step adopts one made by hand.
CREATE SCHEMA IF NOT EXISTS ardesk;

-- Which migration steps this ERP has, one row each: the step's number and name, when it was applied and by which
-- ardesk. The highest Version is the ERP's layout; commands that write ardesk's tables need the latest.
CREATE TABLE ardesk.ardesk_schema (
  Version INT NOT NULL,
  Name VARCHAR(100) NOT NULL,
  Applied DATETIME NOT NULL,           -- the migrating computer's clock
  AppliedBy VARCHAR(50) NOT NULL,      -- "ardesk 0.1.0"
  PRIMARY KEY (Version)
);

CREATE TABLE ardesk.ardesk_collector (
  Company VARCHAR(8) NOT NULL,
  CustNum INT NOT NULL,
  CollectorID VARCHAR(20) NOT NULL,
  CollectorName VARCHAR(50) NOT NULL,
  PRIMARY KEY (Company, CustNum)
);

CREATE TABLE ardesk.ardesk_note (
  NoteID CHAR(36) NOT NULL,
  Company VARCHAR(8) NOT NULL,
  Key1 VARCHAR(50) NOT NULL,
  CallSeqNum INT NOT NULL,
  Pushed DATETIME NOT NULL,
  PRIMARY KEY (NoteID),
  UNIQUE (Company, CallSeqNum)
);

CREATE TABLE ardesk.ardesk_application (
  ApplicationID CHAR(32) NOT NULL,
  Company VARCHAR(8) NOT NULL,
  CustID VARCHAR(20) NOT NULL,
  CreditDoc VARCHAR(20) NOT NULL,
  InvoiceCustID VARCHAR(20) NOT NULL,
  InvoiceDoc VARCHAR(20) NOT NULL,
  Kind VARCHAR(12) NOT NULL,
  CurrencyCode VARCHAR(4) NOT NULL,
  Amount DECIMAL(20, 2) NOT NULL,
  MatchRule VARCHAR(12) NOT NULL,
  ApprovedBy VARCHAR(50) NOT NULL,
  Staged DATETIME NOT NULL,
  PRIMARY KEY (ApplicationID)
);
