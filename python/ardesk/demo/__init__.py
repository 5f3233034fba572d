"""The demo ERP's data: fake Epicor ledgers generated from a seed (ledger.generate), with no database in sight.

ardesk.erp.demo loads them into SQLite, PostgreSQL or MariaDB; nothing here imports pyodbc or ardesk.erp.odbc.
"""
