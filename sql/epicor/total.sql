-- The ERP's own total of what open_items.sql reads (base currency): the workbook must tie to it.
SELECT SUM(i.InvoiceBal) AS Total
FROM Erp.InvcHead AS i
WHERE i.Posted
  AND i.OpenInvoice
  AND i.InvoiceDate <= CAST(? AS DATE)
  AND (? = '' OR i.Company = ?)
