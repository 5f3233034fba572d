"""The workbook edge: the only code that writes xlsx."""
