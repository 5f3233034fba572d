"""The workbook edge: the aging workbook's sheets and parts, written through ardesk.xlsx (the package format).

`write_aging_workbook` turns a Contents (the aged items and every report computed from them, plus what people
typed) into the aging workbook: Summary, the Detail table, native PivotTables by customer, collector and sales
rep, the report sheets, the Notes and Archive tables, a Check sheet and the hidden settings; `write_hit_list`
writes one Hit List on its own; `write_month_end` the Month-End workbook (a period's rollforward);
`write_dunning` the Dunning workbook (the letters proposed, with an Approve column);
`read_config` reads the settings back so `ardesk refresh` can rebuild a workbook; `render_png` draws each sheet
as a picture (through LibreOffice).

The parts are written as XML text by small modules, one per kind of sheet or part, chosen by measurement: the
whole workbook for 111,000 items (5,500 customers) takes about 3.5 s, the process peaking at 430 MB with the
ERP read and the reports, where openpyxl's write-only mode needs 17 s for the Detail's rows alone at 12
columns (bench/bench_workbook.py). Every part validates against the ECMA-376 schemas.
"""
from ardesk.book.contents import Contents
from ardesk.book.render import render_png
from ardesk.book.settings_sheet import read_config
from ardesk.book.sharing import back_up, file_name_part, refuse_if_open
from ardesk.book.workbook import write_aging_workbook, write_dunning, write_hit_list, write_month_end

__all__ = ["Contents", "back_up", "file_name_part", "read_config", "refuse_if_open", "render_png",
           "write_aging_workbook", "write_dunning", "write_hit_list", "write_month_end"]
