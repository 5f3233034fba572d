"""The ERP edge: the only code that imports pyodbc or arrow-odbc."""
