"""Download map: the map on screen as PNG, SVG or PDF, drawn on the server at print quality
(:mod:`dashboard.mapexport`) only when a button is pressed."""

from __future__ import annotations

import streamlit as st

from dashboard import paths
from dashboard.ui import cache

# matplotlib is imported when a map is first drawn, not when a page opens.
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


@st.cache_resource(show_spinner=False)
def _sources(data_key: tuple, boundary_key: tuple, day):
    from dashboard import mapexport

    return mapexport.Sources(
        frame=cache.display_frame(),
        baseline=cache.baseline(),
        areas=cache.area_table(),
        adjacency=cache.adjacency(),
        projected_frame=cache.projected_frame(),
        groups=cache.groups(),
        own_boundaries=paths.using_own_boundaries(),
        boundaries_label=cache.boundaries_label(),
        data_label=cache.data_label(),
    )


def sources():
    """What every map export draws from (a :class:`dashboard.mapexport.Sources`), shared by
    every session."""
    return _sources(*cache.keys(), cache.as_of())


def _draw(fmt: str, url: str, drawing: dict) -> bytes:
    from dashboard import mapexport

    return mapexport.draw(fmt=fmt, sources=sources(), url=url or None, **drawing)


def map_downloads(stem: str, query: str = "", **drawing) -> None:
    """Three buttons, PNG, SVG and PDF, each drawing the map with ``drawing`` (the arguments of
    :func:`dashboard.mapexport.draw`) when pressed. ``query`` is the page's view in the URL that
    the file prints, so a reader can find the map again."""
    url = f"{cache.page_address()}?{query}" if query else cache.page_address()
    st.markdown("**Download this map** (for papers: A4, with its key, sources and date)")
    for column, fmt in zip(st.columns(3), MIME, strict=True):
        column.download_button(
            fmt.upper(),
            cache.at_day(lambda fmt=fmt: _draw(fmt, url, drawing)),
            f"{stem}.{fmt}",
            MIME[fmt],
            on_click="ignore",
            width="stretch",
            key=f"map_download_{stem}_{fmt}",
        )
