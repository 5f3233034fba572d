"""SQL shipped with ardesk (see README.md here); a package so that importlib.resources finds it."""

CANONICAL = "mysql"
"""The sqlglot dialect every statement here is written in (MySQL syntax, `?` placeholders, tables qualified by
their SQL Server schema); ardesk.erp.dialect renders it for each database, the demo ledger reads its schema."""
