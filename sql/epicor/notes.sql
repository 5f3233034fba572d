-- Collection notes kept in the ERP: CRM calls about a customer (RelatedToFile 'Customer') made in
-- (since, as_of]. Such a call names its customer twice, in Key1 as text and in CallCustNum: the join uses the
-- integer, which every database looks up by the customer's key (SQLite scans on the text cast).
-- The CASEs turn call type codes and descriptions into ardesk's contact types, outcomes and dispute reasons
-- where the meaning is plain (profile.toml [notes] lists the mapping); other codes stay as they are.
-- Notes ardesk pushed (note_insert.sql) come back with their note ID and the details ardesk.ardesk_note keeps
-- (every invoice, contact, promise, disputed amount, follow-up, time written); other calls have NoteID ''.
-- CallText is cut to 900 characters so subject and text fit arrow-odbc's text buffer.
-- Parameters: since, as_of, company ('' = every company), company.
SELECT
  c.CustID,
  COALESCE(n.Invoices, CAST(NULLIF(k.CallInvoiceNum, 0) AS VARCHAR(20))) AS Invoices,
  COALESCE(n.Written, k.OrigDate) AS Written,
  CASE k.CallTypeCode
    WHEN 'CALL' THEN 'Call'
    WHEN 'EMAIL' THEN 'Email'
    WHEN 'PORTAL' THEN 'Portal'
    WHEN 'LETTER' THEN 'Letter'
    WHEN 'MEETING' THEN 'Meeting'
    WHEN 'CREDIT' THEN 'Credit'
    WHEN 'PLACEMENT' THEN 'Placement'
    ELSE k.CallTypeCode
  END AS ContactType,
  CASE
    WHEN k.CallTypeCode = 'PROMISE' THEN 'Promised'
    WHEN k.CallTypeCode = 'DISPUTE' THEN 'Disputed'
    WHEN k.CallDesc IN ('Reached', 'Left message', 'Promised', 'Disputed', 'Refused', 'Wrong contact', 'Paid')
      THEN k.CallDesc
    WHEN k.CallDesc LIKE 'Disputed - %' THEN 'Disputed'
    ELSE ''
  END AS Outcome,
  CASE
    WHEN k.CallDesc = 'Dispute - pricing' THEN 'Pricing'
    WHEN k.CallDesc = 'Dispute - short ship' THEN 'Shortage'
    WHEN k.CallDesc = 'Dispute - damaged' THEN 'Damage'
    WHEN k.CallDesc LIKE 'Disputed - %' THEN SUBSTRING(k.CallDesc, 12, 40)
    ELSE ''
  END AS DisputeReason,
  CASE
    WHEN k.CallDesc = '' THEN SUBSTRING(k.CallText, 1, 900)
    ELSE CONCAT(k.CallDesc, ': ', SUBSTRING(k.CallText, 1, 900))
  END AS CallNote,
  k.OrigDcdUserID,
  COALESCE(n.NoteID, '') AS NoteID,
  COALESCE(n.ContactPerson, '') AS ContactPerson,
  n.PromiseAmt,
  n.PromiseDate,
  n.DisputeAmt,
  n.FollowUp
FROM Erp.CRMCall AS k
JOIN Erp.Customer AS c ON c.Company = k.Company AND c.CustNum = k.CallCustNum
LEFT JOIN ardesk.ardesk_note AS n ON n.Company = k.Company AND n.CallSeqNum = k.CallSeqNum AND n.Key1 = k.Key1
WHERE k.RelatedToFile = 'Customer'
  AND k.OrigDate > CAST(? AS DATE)
  AND k.OrigDate <= CAST(? AS DATE)
  AND (? = '' OR k.Company = ?)
ORDER BY k.Company, c.CustID, k.OrigDate, k.CallSeqNum
