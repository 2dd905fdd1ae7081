"""The legend of an exported map laid out in columns, in inches: the largest type that fits
beside the map, and when not even the smallest does, more pages of columns. No row is ever
left out or cut: long names wrap."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.mapexport import text

#: Legend type sizes tried, largest first; the narrowest column worth having (inches).
LEGEND_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0)
MIN_COLUMN = 1.6
#: Columns of the pages that continue the legend, at least this wide.
LATER_COLUMN = 2.4
COLUMN_GAP = 0.2


@dataclass(frozen=True)
class Row:
    number: int  # 0: no data, shown without a number
    colour: str
    lines: tuple[str, ...]
    highlighted: bool
    dimmed: bool


@dataclass(frozen=True)
class Page:
    column: float  # column width, inches
    columns: tuple[tuple[Row, ...], ...]


@dataclass(frozen=True)
class Legend:
    """Rows packed into columns, page by page (page 1 first), at ``size`` points."""

    size: float
    widest: int  # the largest row number, which sets the number column's width
    pages: tuple[Page, ...]

    @property
    def line(self) -> float:
        return self.size * 1.22 / 72

    @property
    def gap(self) -> float:
        return self.size * 0.45 / 72

    @property
    def swatch(self) -> float:
        return self.size / 72

    def indent(self) -> tuple[float, float]:
        """Offsets (inches) of the number's right edge and of the text, from a column's left."""
        number = text.width(str(self.widest), self.size, bold=True) / 72
        right = self.swatch + 0.05 + number
        return right, right + 0.06

    def height(self, row: Row) -> float:
        return len(row.lines) * self.line + self.gap


def pack(
    rows: list[tuple[int, str, str, bool, bool]],
    first: tuple[float, float],
    later: tuple[float, float],
) -> Legend:
    """Lay out ``rows`` (number, colour, text, highlighted, dimmed) in an area of ``first``
    (width, height, inches) on page 1 and, if they do not all fit there at the smallest size,
    of ``later`` on each page after it."""
    widest = max([r[0] for r in rows] + [0])
    width, height = first
    most = max(1, int((width + COLUMN_GAP) // (MIN_COLUMN + COLUMN_GAP)))
    for size in LEGEND_SIZES:
        for columns in range(1, most + 1):
            legend = _fill(rows, size, widest, [_split(width, columns, height)])
            if legend is not None:
                return legend
    more = max(1, int((later[0] + COLUMN_GAP) // (LATER_COLUMN + COLUMN_GAP)))
    pages = [_split(width, most, height)] + [_split(later[0], more, later[1])] * len(rows)
    legend = _fill(rows, LEGEND_SIZES[-1], widest, pages)
    assert legend is not None  # every page takes at least one row
    return legend


def _split(width: float, columns: int, height: float) -> tuple[float, int, float]:
    return (width - COLUMN_GAP * (columns - 1)) / columns, columns, height


def _fill(rows, size: float, widest: int, pages) -> Legend | None:
    """Rows in column order over ``pages`` (column width, columns, height); None if they do
    not all fit."""
    probe = Legend(size, widest, ())
    indent = probe.indent()[1]
    wrapped: dict[float, list[Row]] = {}
    out: list[Page] = []
    i = 0
    for column, count, height in pages:
        if column not in wrapped:
            limit = (column - indent) * 72
            wrapped[column] = [
                Row(n, colour, tuple(text.wrap(words, limit, size, bold=lit)), lit, dim)
                for n, colour, words, lit, dim in rows
            ]
        laid = wrapped[column]
        page = []
        for _ in range(count):
            used, col = 0.0, []
            # A row taller than a whole column (a name of thousands of characters) still goes
            # in, alone: rows are never left out.
            while i < len(laid) and (not col or used + probe.height(laid[i]) <= height):
                col.append(laid[i])
                used += probe.height(laid[i])
                i += 1
            page.append(tuple(col))
            if i >= len(laid):
                return Legend(size, widest, (*out, Page(column, tuple(page))))
        out.append(Page(column, tuple(page)))
    return None
