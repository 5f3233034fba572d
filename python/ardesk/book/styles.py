"""The workbook's one stylesheet: the indexes of its cell formats and of its conditional formats.

A fixed, small stylesheet: every cell refers to one of the formats below by index (`s="4"`), and every
conditional-formatting rule to one of the differential formats (`dxfId="0"`), which keeps the cell XML short
and the styles part trivially valid.
"""
from ardesk.xlsx.namespaces import MAIN, XML_DECLARATION

ACCOUNTING = '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)'
"""Excel's accounting format without a currency symbol: negatives in parentheses, zero as a dash."""
ACCOUNTING_ID = 164
LIMIT_FORMAT = '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "Unlimited"_);_(@_)'
"""A credit limit: the accounting format, but 0 reads `Unlimited` (as in Epicor) while staying the number 0."""
LIMIT_ID = 166
SHORT_DATE_ID = 14
"""Built-in: the reader's locale short date (m/d/yyyy in the US)."""
PERCENT_ID = 10
"""Built-in: 0.00%."""
DAYS_FORMAT = "0.0"
DAYS_ID = 165
_NUMBER_FORMATS = ((ACCOUNTING_ID, ACCOUNTING), (DAYS_ID, DAYS_FORMAT), (LIMIT_ID, LIMIT_FORMAT))

# Indexes into cellXfs, in the order written below.
PLAIN, BOLD, TITLE, DATE, MONEY, MONEY_BOLD, QUOTED, PERCENT, DAYS, LIMIT = range(10)

_FORMATS = (
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
    f'<xf numFmtId="{SHORT_DATE_ID}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
    f'<xf numFmtId="{ACCOUNTING_ID}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
    f'<xf numFmtId="{ACCOUNTING_ID}" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>',
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>',
    f'<xf numFmtId="{PERCENT_ID}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
    f'<xf numFmtId="{DAYS_ID}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
    f'<xf numFmtId="{LIMIT_ID}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
)

# Indexes into dxfs: the conditional formats' looks, Excel's own "light red" and "yellow" presets.
OVERDUE_90, OVERDUE_61_90, DISPUTED = range(3)

_DIFFERENTIAL = (
    '<dxf><font><color rgb="FF9C0006"/></font><fill><patternFill><bgColor rgb="FFFFC7CE"/></patternFill></fill></dxf>',
    '<dxf><font><color rgb="FF9C5700"/></font><fill><patternFill><bgColor rgb="FFFFEB9C"/></patternFill></fill></dxf>',
    "<dxf><font><i/></font></dxf>",
)


def _attribute(text: str) -> str:
    return text.replace('"', "&quot;")


def stylesheet() -> str:
    """xl/styles.xml."""
    font = '<font>{}<sz val="{}"/><name val="Calibri"/><family val="2"/></font>'
    fonts = font.format("", 11) + font.format("<b/>", 11) + font.format("<b/>", 14)
    number_formats = "".join(f'<numFmt numFmtId="{i}" formatCode="{_attribute(code)}"/>' for i, code in _NUMBER_FORMATS)
    return (
        f'{XML_DECLARATION}<styleSheet xmlns="{MAIN}">'
        f'<numFmts count="{len(_NUMBER_FORMATS)}">{number_formats}</numFmts>'
        f'<fonts count="3">{fonts}</fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(_FORMATS)}">{"".join(_FORMATS)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        f'<dxfs count="{len(_DIFFERENTIAL)}">{"".join(_DIFFERENTIAL)}</dxfs>'
        '<tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>'
        "</styleSheet>"
    )
