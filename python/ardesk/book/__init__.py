"""The workbook edge: the only code that writes xlsx.

`write_aging_workbook` turns an AGED frame into the aging workbook (Detail table, native PivotTables by
customer and by collector, a Check sheet, the hidden _ardesk settings); `read_config` reads those settings
back so `ardesk refresh` can rebuild a workbook.

The parts are written as XML text by small modules, one per kind of part (cells, styles, sheet, detail,
pivot, check, settings_sheet, package), chosen by measurement: 30,000 items take about 0.5 s, where openpyxl's
write-only mode needs 4 s for the Detail rows alone. Every part validates against the ECMA-376 schemas.
"""
from ardesk.book.settings_sheet import read_config
from ardesk.book.sharing import back_up, refuse_if_open
from ardesk.book.workbook import write_aging_workbook

__all__ = ["back_up", "read_config", "refuse_if_open", "write_aging_workbook"]
