"""Maps as images for committee papers: the atlas's view of a service, package or family (or a
studio scenario's lots, or any frame of code, label and colour) drawn on the server as PNG, SVG
or PDF at print quality, with a numbered legend, scale bar and credits.

No streamlit here: the pages pass what they have cached in a :class:`Sources`; the command line
(``centrifuge map``) loads it from disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd

from dashboard import atlas
from dashboard.mapexport.figure import DPI, FORMATS, PAGE, Rendered
from dashboard.mapexport.figure import render as _render
from dashboard.mapexport.model import MapExportError, Painted, lots_frame, paint
from dashboard.mapexport.sources import Sources

__all__ = [
    "DPI",
    "FORMATS",
    "PAGE",
    "MapExportError",
    "Painted",
    "Rendered",
    "Sources",
    "draw",
    "lots_frame",
    "paint",
    "render",
]


def render(
    view: atlas.View | None = None,
    fmt: str = "png",
    *,
    sources: Sources | None = None,
    colours: pd.DataFrame | None = None,
    lots: Mapping[str, tuple[str, Iterable[str]]] | None = None,
    focus: tuple[str, str] | None = None,
    highlight: str | None = None,
    title: str | None = None,
    legend_title: str | None = None,
    url: str | None = None,
    note: str | None = None,
    on: date | None = None,
) -> Rendered:
    """Draw the map as ``fmt`` ("png", "svg" or "pdf"), A4 landscape (PNG at 200 dpi), and say
    what was drawn (:class:`Rendered`: the bytes, pages, legend and where each area fell).

    Give exactly one of ``view`` (an atlas view), ``colours`` (a frame of code, label,
    colour and optionally key, as the simulator paints) or ``lots`` (lot name -> (colour,
    area codes), as the studio has them). ``focus`` (kind, name or area code; kinds as in
    :data:`dashboard.focus.KINDS`, or "nation" and "county") limits the map and its legend to
    one group of areas; ``highlight`` (a legend key: a holder id, a kind, a lot name) greys
    every other. ``title`` replaces the view's name, ``legend_title`` the legend's heading;
    ``url`` and ``note`` are added to the credits; ``on`` is the date of the holdings
    (default today). ``sources`` defaults to everything loaded from disk.

    Raises MapExportError, atlas.UnknownView or focus.FocusError (all ValueErrors) for a map
    that cannot be drawn, with a message that says why.
    """
    if fmt not in FORMATS:
        raise MapExportError(f"'{str(fmt)[:20]}' is not a map format: use {', '.join(FORMATS)}")
    sources = sources or Sources.load()
    painted = paint(
        sources,
        view,
        colours=colours,
        lots=lots,
        focus_on=focus,
        highlight=highlight,
        title=title,
        legend_title=legend_title,
        on=on,
    )
    return _render(painted, sources, fmt, url=url, note=note)


def draw(*args, **kwargs) -> bytes:
    """The map's bytes: :func:`render` with the same arguments, without the account of it."""
    return render(*args, **kwargs).data
