"""The workbook's one stylesheet and the indexes of its cell formats.

A fixed, small stylesheet: every cell refers to one of the formats below by index (`s="4"`), which keeps
the cell XML short and the styles part trivially valid.
"""
from ardesk.book.namespaces import MAIN, XML_DECLARATION

ACCOUNTING = '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)'
"""Excel's accounting format without a currency symbol: negatives in parentheses, zero as a dash."""
ACCOUNTING_ID = 164
_ACCOUNTING_ATTRIBUTE = ACCOUNTING.replace('"', "&quot;")
SHORT_DATE_ID = 14
"""Built-in: the reader's locale short date (m/d/yyyy in the US)."""
PERCENT_ID = 10
"""Built-in: 0.00%."""
DAYS_FORMAT = "0.0"
DAYS_ID = 165

# Indexes into cellXfs, in the order written below.
PLAIN, BOLD, TITLE, DATE, MONEY, MONEY_BOLD, QUOTED, PERCENT, DAYS = range(9)

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
)


def stylesheet() -> str:
    """xl/styles.xml."""
    font = '<font>{}<sz val="{}"/><name val="Calibri"/><family val="2"/></font>'
    fonts = font.format("", 11) + font.format("<b/>", 11) + font.format("<b/>", 14)
    return (
        f'{XML_DECLARATION}<styleSheet xmlns="{MAIN}">'
        f'<numFmts count="2"><numFmt numFmtId="{ACCOUNTING_ID}" formatCode="{_ACCOUNTING_ATTRIBUTE}"/>'
        f'<numFmt numFmtId="{DAYS_ID}" formatCode="{DAYS_FORMAT}"/></numFmts>'
        f'<fonts count="3">{fonts}</fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(_FORMATS)}">{"".join(_FORMATS)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/>'
        '<tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>'
        "</styleSheet>"
    )
