"""xl/theme/theme1.xml: the Office theme every workbook and the add-in carry.

Excel writes a theme part into every file it saves, and the Open XML SDK's validator requires the workbook's
theme relationship (Sem_MissingRelationshipType); LibreOffice opens a package without one, Excel is reported
to repair it. The theme holds the palette and fonts of Excel's default "Office" theme, so a user's theme-colour
picks and new styles look as they do in a workbook Excel created; the cells themselves name their fonts and
colours explicitly (styles.py) and do not depend on it.
"""
from ardesk.xlsx.namespaces import XML_DECLARATION
from ardesk.xlsx.package import Part, rel_type

NAME = "xl/theme/theme1.xml"
LINK = (rel_type("theme"), NAME)
"""The workbook part's relationship to the theme."""
_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
_COLORS = (
    ("dk2", "44546A"), ("lt2", "E7E6E6"), ("accent1", "4472C4"), ("accent2", "ED7D31"), ("accent3", "A5A5A5"),
    ("accent4", "FFC000"), ("accent5", "5B9BD5"), ("accent6", "70AD47"), ("hlink", "0563C1"), ("folHlink", "954F72"),
)
"""The Office theme's colours after dark 1 and light 1 (the system's window text and window colours)."""
_LINE_WIDTHS = (6350, 12700, 19050)
"""Thin, medium and thick lines in EMU (0.5, 1 and 1.5 pt)."""


def _fonts(latin: str) -> str:
    return f'<a:latin typeface="{latin}"/><a:ea typeface=""/><a:cs typeface=""/>'


def _xml() -> str:
    colors = "".join(f'<a:{slot}><a:srgbClr val="{rgb}"/></a:{slot}>' for slot, rgb in _COLORS)
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    lines = "".join(f'<a:ln w="{w}">{fill}</a:ln>' for w in _LINE_WIDTHS)
    return (
        f'{XML_DECLARATION}<a:theme xmlns:a="{_DRAWING}" name="Office Theme"><a:themeElements>'
        '<a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
        f'<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>{colors}</a:clrScheme>'
        f'<a:fontScheme name="Office"><a:majorFont>{_fonts("Calibri Light")}</a:majorFont>'
        f'<a:minorFont>{_fonts("Calibri")}</a:minorFont></a:fontScheme>'
        f'<a:fmtScheme name="Office"><a:fillStyleLst>{fill * 3}</a:fillStyleLst><a:lnStyleLst>{lines}</a:lnStyleLst>'
        f'<a:effectStyleLst>{"<a:effectStyle><a:effectLst/></a:effectStyle>" * 3}</a:effectStyleLst>'
        f"<a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst></a:fmtScheme>"
        "</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )


def part() -> Part:
    return Part(NAME, "application/vnd.openxmlformats-officedocument.theme+xml", _xml())
