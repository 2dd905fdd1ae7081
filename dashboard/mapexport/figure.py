"""Drawing an exported map with matplotlib: Figure objects on the Agg canvas, no pyplot state.

A4 landscape pages: the title, the map (areas with thin white borders, each holder's territory
outlined, a number on each piece that matches its legend row, insets where the map is too
crowded to read), a scale bar in British National Grid metres, a north arrow, the legend in
columns and the credits. PNG and SVG stack the pages in one tall image; PDF has real pages.
"""

from __future__ import annotations

import io
import math
import threading
import warnings
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # before geopandas imports pyplot: never a GUI backend on a server

import geopandas as gpd
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle

from dashboard.mapexport import labels, layout, text
from dashboard.mapexport.labels import Frame
from dashboard.mapexport.model import DIMMED, Painted
from dashboard.mapexport.sources import Sources

FORMATS = ("png", "svg", "pdf")
PAGE = (297 / 25.4, 210 / 25.4)  # A4 landscape, inches
MARGIN = 0.4
DPI = 200  # PNG: 2338 × 1654 pixels a page
INK, GREY, OUTLINE, FAINT = "#1a1a1a", "#666666", "#333333", "#b4b4b4"
#: Matplotlib settings of every export. rcParams are global, so exports take turns (a lock).
RC = {
    "svg.fonttype": "none",  # SVG text stays text: names can be selected and searched
    "svg.hashsalt": "centrifuge",  # stable element ids: the same map gives the same bytes
    "pdf.fonttype": 42,  # embedded TrueType: PDF text can be selected and searched too
    "text.usetex": False,
    "font.family": text.FAMILY,
    "axes.unicode_minus": False,
}
_LOCK = threading.Lock()
LONDON = "London"
_HALO = [patheffects.withStroke(linewidth=1.6, foreground="white")]


class _Canvas(FigureCanvasAgg):
    """The Agg canvas, drawn only when saved: geopandas asks for a redraw after each plot."""

    def draw_idle(self, *args, **kwargs) -> None:
        pass


@dataclass(frozen=True)
class Rendered:
    """An exported map: its bytes, page size (inches), number of pages, the legend as drawn,
    and where each area's representative point is on page 1 (inches from the top left), for
    whoever wants to check the picture."""

    data: bytes
    fmt: str
    page: tuple[float, float]
    pages: int
    dpi: int
    legend: pd.DataFrame
    points: dict[str, tuple[float, float]]


def render(
    painted: Painted, sources: Sources, fmt: str, url: str | None = None, note: str | None = None
) -> Rendered:
    """Draw ``painted`` as ``fmt`` (png, svg or pdf)."""
    with _LOCK, matplotlib.rc_context(RC), warnings.catch_warnings():
        # A name in a script DejaVu Sans lacks still goes into SVG and PDF as its own text (in
        # PNG its glyphs show as boxes): nothing to warn the server's console about.
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        return _render(painted, sources, fmt, url, note)


def _render(painted: Painted, sources: Sources, fmt: str, url, note) -> Rendered:
    page_w, page_h = PAGE
    content = page_w - 2 * MARGIN
    geo = sources.metric.merge(painted.frame, on="code", how="inner")
    region_of = dict(zip(sources.grouped["code"], sources.grouped["region"], strict=True))
    shown = geo[geo["in_focus"]]

    title = text.wrap(painted.title, content * 72, 15, bold=True)
    subtitle = text.wrap(painted.subtitle, content * 72, 9)
    header = len(title) * 15 * 1.2 / 72 + len(subtitle) * 9 * 1.35 / 72 + 0.15
    credits = [*sources.credits(), *([note] if note else [])]
    if url:
        credits.append(f"View online: {url}")
    credits = [text.clean(c) for c in credits]
    footer_lines = [line for c in credits for line in text.wrap(c, content * 72, 5.5)]
    footer = len(footer_lines) * 5.5 * 1.35 / 72
    bottom, top = MARGIN + footer + 0.2, page_h - MARGIN - header

    main = _main_frame(shown, top - bottom, top, content)
    numbers = dict(zip(painted.legend["key"], painted.legend["number"], strict=True))
    found = labels.pieces(shown, sources.touching, region_of)
    size = 6.5 if len(found) <= 90 else 5.5
    taken = [_scale_box(main), _north_box(main)]
    columns = [main.box[2] + 0.25 + k * (labels.INSET_WIDTH + labels.INSET_GAP) for k in range(2)]
    insets, placed = labels.plan(
        found, main, numbers, size, taken, columns, top, bottom, _london(shown, region_of, main)
    )
    right = max([main.box[2], *(i.frame.box[2] for i in insets)])
    legend_x = right + 0.35
    legend_w = page_w - MARGIN - legend_x
    heading = text.wrap(painted.legend_title, legend_w * 72, 9, bold=True)
    heading_h = len(heading) * 9 * 1.25 / 72 + 0.08
    table = painted.legend
    dim = bool(table["highlighted"].any())
    rows = [
        (
            int(r.number),
            DIMMED if dim and not r.highlighted else r.colour,
            r.text,
            bool(r.highlighted),
            dim and not r.highlighted,
        )
        for r in table.itertuples(index=False)
    ]
    band = top - bottom - heading_h
    legend = layout.pack(rows, (legend_w, band), (content, band))
    pages = len(legend.pages)

    if fmt == "pdf":
        figures = [Figure(figsize=PAGE, dpi=DPI) for _ in range(pages)]
    else:
        figures = [Figure(figsize=(page_w, page_h * pages), dpi=DPI)]
    for fig in figures:
        _Canvas(fig)
    for k in range(pages):
        fig = figures[k] if fmt == "pdf" else figures[0]
        page = _Page(fig, 0.0 if fmt == "pdf" else page_h * (pages - 1 - k))
        page.lines(title, MARGIN, page_h - MARGIN, 15, bold=True, step=1.2)
        page.lines(subtitle, MARGIN, page_h - MARGIN - len(title) * 15 * 1.2 / 72, 9, GREY)
        page.lines(footer_lines, MARGIN, MARGIN + footer, 5.5, GREY)
        x0 = legend_x if k == 0 else MARGIN
        if k:
            heading = text.wrap(
                f"{painted.legend_title} (continued, page {k + 1} of {pages})",
                content * 72,
                9,
                bold=True,
            )
        page.lines(heading, x0, top, 9, bold=True, step=1.25)
        _legend(page, legend, legend.pages[k], x0, top - heading_h)
        if k == 0:
            _maps(page, geo, painted.focused, main, insets, placed)
    points = {}
    for code, point in zip(
        shown["code"], shapely.point_on_surface(shown.geometry.values), strict=True
    ):
        if main.shows(point.x, point.y):
            x, y = main.to_page(point.x, point.y)
            points[code] = (x, page_h - y)
    return Rendered(_save(figures, fmt, painted.title), fmt, PAGE, pages, DPI, table, points)


def _main_frame(shown, band: float, top: float, content: float) -> Frame:
    x0, y0, x1, y1 = shown.total_bounds
    pad = max(x1 - x0, y1 - y0) * 0.03 + 1000
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    aspect = (x1 - x0) / (y1 - y0)
    width = min(max(band * aspect, 3.0), content * 0.6)
    height = min(band, width / aspect)
    return Frame(MARGIN, top - height, width, height, labels.fit((x0, y0, x1, y1), width / height))


def _london(shown, region_of, main: Frame):
    """London's extent when it is in view, held by more than one key, and too small to read."""
    london = shown[shown["code"].map(region_of) == LONDON]
    if london.empty or london["key"].nunique() < 2:
        return None
    x0, y0, x1, y1 = london.total_bounds
    return None if (x1 - x0) * main.scale >= 1.2 else (x0, y0, x1, y1)


def _scale_box(frame: Frame) -> tuple:
    x, y = frame.x0 + 0.15, frame.y0 + 0.18
    return (x - 0.1, y - 0.16, x + frame.width * 0.2 + 0.35, y + 0.09)


def _north_box(frame: Frame) -> tuple:
    x, y = frame.x0 + 0.25, frame.y0 + 0.42
    return (x - 0.1, y - 0.02, x + 0.1, y + 0.4)


class _Page:
    """Drawing on one page of a figure, in inches from the page's bottom-left corner."""

    def __init__(self, fig: Figure, offset: float):
        self.fig, self.offset = fig, offset
        self.transform = fig.dpi_scale_trans

    def text(self, x, y, s, size, colour=INK, *, bold=False, ha="left", va="baseline", **kw):
        return self.fig.text(
            x,
            y + self.offset,
            s,
            transform=self.transform,
            fontsize=size,
            ha=ha,
            va=va,
            fontweight="bold" if bold else "normal",
            color=colour,
            parse_math=False,
            **kw,
        )

    def lines(self, lines, x, top, size, colour=INK, *, bold=False, step=1.35):
        """Lines of text from ``top`` down."""
        for i, line in enumerate(lines):
            self.text(x, top - (i * step + 0.95) * size / 72, line, size, colour, bold=bold)

    def rect(self, x, y, w, h, **kw):
        self.fig.add_artist(Rectangle((x, y + self.offset), w, h, transform=self.transform, **kw))

    def polygon(self, xy, **kw):
        xy = [(x, y + self.offset) for x, y in xy]
        self.fig.add_artist(Polygon(xy, closed=True, transform=self.transform, **kw))

    def line(self, xs, ys, **kw):
        ys = [y + self.offset for y in ys]
        self.fig.add_artist(Line2D(xs, ys, transform=self.transform, **kw))

    def axes(self, frame: Frame):
        w, h = self.fig.get_size_inches()
        ax = self.fig.add_axes(
            (frame.x0 / w, (frame.y0 + self.offset) / h, frame.width / w, frame.height / h)
        )
        ax.set_axis_off()
        return ax


def _legend(page: _Page, legend: layout.Legend, laid: layout.Page, x0: float, top: float):
    right, indent = legend.indent()
    size = legend.size
    for c, column in enumerate(laid.columns):
        x = x0 + c * (laid.column + layout.COLUMN_GAP)
        y = top
        for row in column:
            first = y - 0.95 * size / 72
            page.rect(
                x,
                first - 0.12 * size / 72,
                legend.swatch,
                legend.swatch,
                facecolor=row.colour,
                edgecolor="#555555",
                linewidth=0.3,
            )
            colour = GREY if row.dimmed else INK
            if row.number:
                page.text(x + right, first, str(row.number), size, colour, bold=True, ha="right")
            for i, line in enumerate(row.lines):
                page.text(
                    x + indent, first - i * legend.line, line, size, colour, bold=row.highlighted
                )
            y -= legend.height(row)


def _maps(page: _Page, geo, focused: bool, main: Frame, insets, placed) -> None:
    ax = page.axes(main)
    _areas(ax, geo, main.extent, focused)
    for inset in insets:
        frame = inset.frame
        _areas(page.axes(frame), geo, frame.extent, focused)
        page.rect(
            frame.x0, frame.y0, frame.width, frame.height, fill=False, edgecolor=GREY, linewidth=0.6
        )
        page.text(
            frame.x0,
            frame.box[3] + 0.06,
            f"{inset.letter}  {text.clean(inset.title)}",
            7.5,
            INK,
            bold=True,
        )
        x0, y0, x1, y1 = frame.extent
        ax.add_patch(
            Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=INK, linewidth=0.7)
        )
        page.text(
            *main.to_page(x0, y1),
            f" {inset.letter}",
            7,
            INK,
            bold=True,
            va="bottom",
            path_effects=_HALO,
        )
    _scale_bar(page, main)
    _north(page, main)
    dimmed = set(geo.loc[geo["fill"] == DIMMED, "key"])
    for label in placed:
        if label.moved:
            page.line(
                [label.anchor[0], label.centre[0]],
                [label.anchor[1], label.centre[1]],
                color=GREY,
                linewidth=0.4,
            )
        colour = GREY if label.key in dimmed else INK
        page.text(
            *label.centre,
            label.number,
            label.size,
            colour,
            bold=True,
            ha="center",
            va="center_baseline",
            path_effects=_HALO,
        )


def _areas(ax, geo: gpd.GeoDataFrame, extent, focused: bool) -> None:
    """Context areas pale, the focus in its fills, thin white borders, then each holder's
    territory outlined (greyed holders faintly), and the focus's edge."""
    x0, y0, x1, y1 = extent
    seen = geo.cx[x0:x1, y0:y1]
    context, shown = seen[~seen["in_focus"]], seen[seen["in_focus"]]
    for part, width in ((context, 0.3), (shown, 0.25)):
        if not part.empty:
            part.plot(
                ax=ax, aspect=None, color=part["fill"].tolist(), edgecolor="white", linewidth=width
            )
    if not shown.empty:
        territories = shown.dissolve(by="key", as_index=False, sort=True)
        faint = territories["key"].isin(set(shown.loc[shown["fill"] == DIMMED, "key"]))
        for part, colour in ((territories[faint], FAINT), (territories[~faint], OUTLINE)):
            if not part.empty:
                part.boundary.plot(ax=ax, aspect=None, color=colour, linewidth=0.55)
        if focused:
            edge = gpd.GeoSeries([shapely.union_all(geo.loc[geo["in_focus"]].geometry.values)])
            edge.boundary.plot(ax=ax, aspect=None, color=INK, linewidth=1.0)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def _scale_bar(page: _Page, frame: Frame) -> None:
    """A bar of a round length (1, 2 or 5 × 10ⁿ m) about a fifth of the map's width."""
    span = (frame.extent[2] - frame.extent[0]) * 0.2
    exp = 10 ** math.floor(math.log10(span))
    metres = max(m * exp for m in (1, 2, 5) if m * exp <= span)
    length = metres * frame.scale
    x, y = frame.x0 + 0.15, frame.y0 + 0.18
    for i, fill in enumerate(("#333333", "white")):
        page.rect(
            x + i * length / 2,
            y,
            length / 2,
            0.045,
            facecolor=fill,
            edgecolor="#333333",
            linewidth=0.5,
        )
    km = metres >= 1000
    for at in (0, 0.5, 1):
        value = metres * at / (1000 if km else 1)
        words = f"{value:g}" + ((" km" if km else " m") if at == 1 else "")
        page.text(
            x + at * length,
            y - 0.11,
            words,
            6,
            ha="center" if at < 1 else "left",
            path_effects=_HALO,
        )


def _north(page: _Page, frame: Frame) -> None:
    """A north arrow (grid north) above the scale bar."""
    x, y = frame.x0 + 0.25, frame.y0 + 0.42
    page.polygon(
        [(x - 0.06, y), (x, y + 0.2), (x + 0.06, y), (x, y + 0.05)],
        facecolor="#333333",
        edgecolor="none",
    )
    page.text(x, y + 0.23, "N", 7, bold=True, ha="center", va="bottom")


def _save(figures: list[Figure], fmt: str, title: str) -> bytes:
    out = io.BytesIO()
    if fmt == "png":
        figures[0].savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    elif fmt == "svg":
        figures[0].savefig(out, format="svg", metadata={"Date": None, "Title": title})
    else:
        meta = {"Title": title, "Creator": "Centrifuge", "CreationDate": None, "ModDate": None}
        with PdfPages(out, metadata=meta) as pdf:
            for fig in figures:
                pdf.savefig(fig)
    return out.getvalue()
