"""The Excel front door: the only code that imports xlwings."""
