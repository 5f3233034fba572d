"""Native Excel charts: DrawingML chart parts, and the drawing part that places them on a sheet.

Each series names its cells on the sheet (c:f), so Excel redraws it from the cells, and also carries the
values computed here (c:strCache / c:numCache), so a viewer that never recalculates still draws the chart.
A sheet links to one drawing; the drawing links to its charts, the k-th chart as rId<k>.
"""
from collections.abc import Sequence
from dataclasses import dataclass

from ardesk.book.cells import column_letter, number_text
from ardesk.xlsx.namespaces import REL, XML_DECLARATION
from ardesk.xlsx.package import Part, rel_type, rid
from ardesk.xlsx.text import xml_text

CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006/main"
SPREADSHEET_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
_HEAD = f'{XML_DECLARATION}<c:chartSpace xmlns:c="{CHART}" xmlns:a="{DRAWINGML}" xmlns:r="{REL}">'


def cell_range(sheet: str, column: int, first_row: int, last_row: int) -> str:
    """An absolute reference to rows first..last of one column (0 = A), e.g. 'Summary'!$F$5:$F$9."""
    letter = column_letter(column)
    quoted = sheet.replace("'", "''")
    cells = f"${letter}${first_row}" + (f":${letter}${last_row}" if last_row != first_row else "")
    return f"'{quoted}'!{cells}"


@dataclass(frozen=True)
class Cells:
    """A range on a sheet and the values in it now (None where a cell is empty or not a number)."""

    ref: str
    values: Sequence[str | float | None]
    number_format: str | None = None
    """The cells' number format; None when they hold text."""


@dataclass(frozen=True)
class Series:
    name: Cells
    """The one cell holding the series' name (a column header)."""
    values: Cells
    color: str
    """RGB hex, e.g. 1F4E79: set on each series, since the package has no theme to take colors from."""


@dataclass(frozen=True)
class Axis:
    """A value axis: its title and how its tick labels are formatted."""

    title: str
    number_format: str


@dataclass(frozen=True)
class Anchor:
    """Where a chart sits on the sheet: from the top-left corner of one cell to that of another (0-based)."""

    column: int
    row: int
    to_column: int
    to_row: int


def _val(name: str, value) -> str:
    return f'<c:{name} val="{value}"/>'


def _rich(text: str) -> str:
    return f"<c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>{xml_text(text)}</a:t></a:r></a:p></c:rich>"


def _title(text: str) -> str:
    return f'<c:title><c:tx>{_rich(text)}</c:tx>{_val("overlay", 0)}</c:title>'


def _data(cells: Cells) -> str:
    """A c:strRef or c:numRef: the range and a cache of its values (empty cells left out, as Excel does)."""
    points = "".join(
        f'<c:pt idx="{i}"><c:v>{xml_text(v) if cells.number_format is None else number_text(v)}</c:v></c:pt>'
        for i, v in enumerate(cells.values) if v is not None
    )
    count = _val("ptCount", len(cells.values))
    if cells.number_format is None:
        return f"<c:strRef><c:f>{xml_text(cells.ref)}</c:f><c:strCache>{count}{points}</c:strCache></c:strRef>"
    code = f"<c:formatCode>{xml_text(cells.number_format)}</c:formatCode>"
    return f"<c:numRef><c:f>{xml_text(cells.ref)}</c:f><c:numCache>{code}{count}{points}</c:numCache></c:numRef>"


def _fill(color: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'


def _series(index: int, series: Series, categories: Cells, line: bool) -> str:
    """One c:ser: a filled bar, or a line with round markers of the series' color."""
    if line:
        look = (
            f'<c:spPr><a:ln w="28575">{_fill(series.color)}</a:ln></c:spPr><c:marker>{_val("symbol", "circle")}'
            f'{_val("size", 6)}<c:spPr>{_fill(series.color)}<a:ln>{_fill(series.color)}</a:ln></c:spPr></c:marker>'
        )
    else:
        look = f'<c:spPr>{_fill(series.color)}</c:spPr>{_val("invertIfNegative", 0)}'
    return (
        f'<c:ser>{_val("idx", index)}{_val("order", index)}<c:tx>{_data(series.name)}</c:tx>{look}'
        f"<c:cat>{_data(categories)}</c:cat><c:val>{_data(series.values)}</c:val>"
        f'{_val("smooth", 0) if line else ""}</c:ser>'
    )


def _axes(category_id: int, value_id: int, value: Axis, categories: Cells, *, secondary: bool = False) -> str:
    """A category axis and the value axis it crosses; a secondary pair hides its category axis and puts its
    value axis on the right. Category labels sit low so negative bars (net credits) do not cover them."""
    category_format = (
        f'<c:numFmt formatCode="{xml_text(categories.number_format)}" sourceLinked="0"/>'
        if categories.number_format else ""
    )
    ticks = _val("majorTickMark", "out") + _val("minorTickMark", "none")
    scaling = f'<c:scaling>{_val("orientation", "minMax")}</c:scaling>'
    category = (
        f'<c:catAx>{_val("axId", category_id)}{scaling}{_val("delete", int(secondary))}{_val("axPos", "b")}'
        f'{category_format}{ticks}{_val("tickLblPos", "low")}{_val("crossAx", value_id)}'
        f'{_val("crosses", "autoZero")}{_val("auto", 1)}{_val("lblAlgn", "ctr")}{_val("lblOffset", 100)}'
        f'{_val("noMultiLvlLbl", 0)}</c:catAx>'
    )
    gridlines = "" if secondary else "<c:majorGridlines/>"
    return category + (
        f'<c:valAx>{_val("axId", value_id)}{scaling}{_val("delete", 0)}{_val("axPos", "r" if secondary else "l")}'
        f'{gridlines}{_title(value.title)}'
        f'<c:numFmt formatCode="{xml_text(value.number_format)}" sourceLinked="0"/>{ticks}'
        f'{_val("tickLblPos", "nextTo")}{_val("crossAx", category_id)}'
        f'{_val("crosses", "max" if secondary else "autoZero")}{_val("crossBetween", "between")}</c:valAx>'
    )


def _chart_space(title: str, plot: str) -> str:
    """The chart part around a plot area: title, legend below, empty cells left as gaps."""
    return (
        f'{_HEAD}{_val("roundedCorners", 0)}<c:chart>{_title(title)}{_val("autoTitleDeleted", 0)}'
        f'<c:plotArea><c:layout/>{plot}</c:plotArea>'
        f'<c:legend>{_val("legendPos", "b")}{_val("overlay", 0)}</c:legend>'
        f'{_val("plotVisOnly", 1)}{_val("dispBlanksAs", "gap")}</c:chart></c:chartSpace>'
    )


def bar_chart(title: str, categories: Cells, series: Series, axis: Axis) -> str:
    """A clustered column chart of one series over text categories."""
    bars = _series(0, series, categories, line=False)
    plot = (
        f'<c:barChart>{_val("barDir", "col")}{_val("grouping", "clustered")}{_val("varyColors", 0)}{bars}'
        f'{_val("gapWidth", 80)}{_val("axId", 1)}{_val("axId", 2)}</c:barChart>'
    )
    return _chart_space(title, plot + _axes(1, 2, axis, categories))


def line_chart(title: str, categories: Cells, primary: tuple[Series, Axis], secondary: tuple[Series, Axis]) -> str:
    """Two lines over the same categories, the second measured on its own axis at the right."""
    plots, axes = [], []
    for index, ((series, axis), ids) in enumerate(zip((primary, secondary), ((1, 2), (3, 4)))):
        line = _series(index, series, categories, line=True)
        plots.append(
            f'<c:lineChart>{_val("grouping", "standard")}{_val("varyColors", 0)}{line}'
            f'{_val("marker", 1)}{_val("axId", ids[0])}{_val("axId", ids[1])}</c:lineChart>'
        )
        axes.append(_axes(*ids, axis, categories, secondary=index == 1))
    return _chart_space(title, "".join(plots) + "".join(axes))


def _frame(number: int, anchor: Anchor) -> str:
    """A twoCellAnchor holding the graphic frame of the drawing's `number`-th chart (from 1)."""
    corner = "<xdr:col>{}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{}</xdr:row><xdr:rowOff>0</xdr:rowOff>"
    return (
        f'<xdr:twoCellAnchor editAs="oneCell"><xdr:from>{corner.format(anchor.column, anchor.row)}</xdr:from>'
        f"<xdr:to>{corner.format(anchor.to_column, anchor.to_row)}</xdr:to>"
        f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{number + 1}" name="Chart {number}"/>'
        "<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
        '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
        f'<a:graphic><a:graphicData uri="{CHART}"><c:chart xmlns:c="{CHART}" r:id="{rid(number)}"/>'
        "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>"
    )


def drawing_parts(name: str, charts: Sequence[tuple[str, str, Anchor]]) -> tuple[Part, tuple[Part, ...]]:
    """The drawing part `name` placing each (chart part name, chart XML, anchor), and the chart parts.

    The sheet links to the drawing (its Sheet.links) and carries the charts as owned parts.
    """
    frames = "".join(_frame(n, anchor) for n, (_, _, anchor) in enumerate(charts, 1))
    body = (f'{XML_DECLARATION}<xdr:wsDr xmlns:xdr="{SPREADSHEET_DRAWING}" xmlns:a="{DRAWINGML}" xmlns:r="{REL}">'
            f"{frames}</xdr:wsDr>")
    links = tuple((rel_type("chart"), chart_name) for chart_name, _, _ in charts)
    return Part(name, DRAWING_TYPE, body, links), tuple(Part(n, CHART_TYPE, xml) for n, xml, _ in charts)
