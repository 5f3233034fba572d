"""The worksheet part around a sheet's rows: view, column widths, frozen panes, print setup, table link;
and Sheet, one worksheet with the parts it owns, as the workbook assembles them.

Rows arrive as an iterable of `<row>` strings so that the big Detail sheet streams into the zip in chunks.
"""
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ardesk.book.cells import column_letter
from ardesk.xlsx.namespaces import MAIN, REL, XML_DECLARATION
from ardesk.xlsx.package import Part


@dataclass(frozen=True)
class Layout:
    widths: Sequence[float]
    """Column widths in characters, from column A."""
    dimension: str | None = None
    """The used range, e.g. A1:Q30001, when known up front (readers use it to size the sheet)."""
    frozen_rows: int = 0
    frozen_columns: int = 0
    selected: bool = False
    """The sheet Excel shows first."""
    table_rel: str | None = None
    """Relationship id of the sheet's Excel Table, if it has one."""
    drawing_rel: str | None = None
    """Relationship id of the sheet's drawing (its charts), if it has one."""
    conditional_formats: tuple[str, ...] = ()
    """Whole `<conditionalFormatting>` elements, in order."""
    validations: tuple[str, ...] = ()
    """`<dataValidation>` elements (dropdowns, date and amount checks)."""


@dataclass(frozen=True)
class Sheet:
    """One worksheet and the parts it owns (its Table, PivotTable, drawing and charts)."""

    name: str
    xml: Iterable[str]
    links: tuple[Part, ...] = ()
    """Parts the sheet links to: the N-th has relationship id rIdN (use rid(N) in its Layout)."""
    owned: tuple[Part, ...] = ()
    """Further parts reached through those (a drawing's charts), written into the package with them."""
    hidden: bool = False
    print_titles: str | None = None
    """Rows repeated on every printed page, e.g. `$1:$1`."""


def _pane(rows: int, columns: int) -> str:
    if not rows and not columns:
        return ""
    corner = f"{column_letter(columns)}{rows + 1}"
    active = {(True, True): "bottomRight", (True, False): "bottomLeft", (False, True): "topRight"}[
        (rows > 0, columns > 0)
    ]
    split = (f' xSplit="{columns}"' if columns else "") + (f' ySplit="{rows}"' if rows else "")
    return (
        f'<pane{split} topLeftCell="{corner}" activePane="{active}" state="frozen"/>'
        f'<selection pane="{active}" activeCell="{corner}" sqref="{corner}"/>'
    )


def worksheet(rows: Iterable[str], layout: Layout) -> Iterator[str]:
    """xl/worksheets/sheetN.xml, yielded in pieces: head, each chunk of rows, tail."""
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width:.1f}" customWidth="1"/>' for i, width in enumerate(layout.widths, 1)
    )
    selected = ' tabSelected="1"' if layout.selected else ""
    dimension = f'<dimension ref="{layout.dimension}"/>' if layout.dimension else ""
    yield (
        f'{XML_DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f"{dimension}"
        f'<sheetViews><sheetView{selected} workbookViewId="0">{_pane(layout.frozen_rows, layout.frozen_columns)}'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{cols}</cols><sheetData>"
    )
    yield from rows
    table = f'<tableParts count="1"><tablePart r:id="{layout.table_rel}"/></tableParts>' if layout.table_rel else ""
    drawing = f'<drawing r:id="{layout.drawing_rel}"/>' if layout.drawing_rel else ""
    checks = layout.validations
    validations = f'<dataValidations count="{len(checks)}">{"".join(checks)}</dataValidations>' if checks else ""
    yield (
        f'</sheetData>{"".join(layout.conditional_formats)}{validations}'
        '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        f"{drawing}{table}</worksheet>"
    )
