-- The ERP's own total of what open_items.sql reads as of a date (base currency), for the workbook to tie to. Worked
-- out the other way round, so that a mistake in either cannot tie: every posted document dated by the day, at its
-- amount, less every application made by that day (an application is never dated before its document, nor made to
-- one not posted); neither a document's balance today nor whether it is open today enters.
-- Parameters: as_of and company ('' = every company) for the documents, then the same for the applications.
SELECT COALESCE((
  SELECT SUM(i.InvoiceAmt)
  FROM Erp.InvcHead AS i
  WHERE i.Posted
    AND i.InvoiceDate <= CAST(? AS DATE)
    AND (? = '' OR i.Company = ?)
), 0) - COALESCE((
  SELECT SUM(d.TranAmt)
  FROM Erp.CashDtl AS d
  WHERE d.TranDate <= CAST(? AS DATE)
    AND (? = '' OR d.Company = ?)
), 0) AS Total
