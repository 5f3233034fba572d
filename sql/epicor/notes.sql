-- Collection notes kept in the ERP: CRM calls about a customer (RelatedToFile 'Customer') made in
-- (since, as_of]. Such a call names its customer twice, in Key1 as text and in CallCustNum: the join uses the
-- integer, which every database looks up by the customer's key (SQLite scans on the text cast).
-- The CASEs turn call type codes and descriptions into ardesk's contact types, outcomes and dispute reasons
-- where the meaning is plain (profile.toml [notes] lists the mapping); other codes stay as they are.
-- CallText is cut to 900 characters so subject and text fit arrow-odbc's text buffer.
-- Parameters: since, as_of, company ('' = every company), company.
SELECT
  c.CustID,
  NULLIF(k.CallInvoiceNum, 0) AS CallInvoiceNum,
  k.OrigDate,
  CASE k.CallTypeCode
    WHEN 'CALL' THEN 'Call'
    WHEN 'EMAIL' THEN 'Email'
    ELSE k.CallTypeCode
  END AS ContactType,
  CASE k.CallTypeCode
    WHEN 'PROMISE' THEN 'Promised'
    WHEN 'DISPUTE' THEN 'Disputed'
    ELSE ''
  END AS Outcome,
  CASE k.CallDesc
    WHEN 'Dispute - pricing' THEN 'Pricing'
    WHEN 'Dispute - short ship' THEN 'Shortage'
    WHEN 'Dispute - damaged' THEN 'Damage'
    ELSE ''
  END AS DisputeReason,
  CASE
    WHEN k.CallDesc = '' THEN SUBSTRING(k.CallText, 1, 900)
    ELSE CONCAT(k.CallDesc, ': ', SUBSTRING(k.CallText, 1, 900))
  END AS CallNote,
  k.OrigDcdUserID
FROM Erp.CRMCall AS k
JOIN Erp.Customer AS c ON c.Company = k.Company AND c.CustNum = k.CallCustNum
WHERE k.RelatedToFile = 'Customer'
  AND k.OrigDate > CAST(? AS DATE)
  AND k.OrigDate <= CAST(? AS DATE)
  AND (? = '' OR k.Company = ?)
ORDER BY k.Company, c.CustID, k.OrigDate, k.CallSeqNum
