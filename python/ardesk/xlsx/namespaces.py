"""The XML namespaces of the parts ardesk writes (ECMA-376 transitional)."""

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
"""SpreadsheetML: workbook, sheets, styles, shared strings, tables, pivots."""
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
"""The `r:` prefix of attributes that name a relationship (r:id)."""
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
