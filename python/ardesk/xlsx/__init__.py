"""The xlsx file format itself, below every workbook ardesk writes or reads: the OPC package (parts, content
types, relationships, the atomic write), its namespaces, escaped XML text, and reading a saved workbook's cells.

book/ (the aging workbook) and addin/ (ardesk.xlam) write through package.py; book/ and erp/files.py read
through reading.py. Nothing here knows about receivables.
"""
