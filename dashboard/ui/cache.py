"""All caching, around pure loaders. Keys carry the boundary file and its modification time."""

from __future__ import annotations

import contextlib
import contextvars
import os
import threading
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import pandas as pd
import streamlit as st

from dashboard import (
    areas,
    atlas,
    boundaries,
    focus,
    franchises,
    holdings,
    paths,
    postcodes,
    vintages,
)
from dashboard.ui import maps, state
from dashboard.ui.text import md

PAGE = "page_title"  # the page being run (app.py sets it)
#: The pages whose maps answer for the As of day; every other page (the studio, the simulator)
#: plans on today's areas.
DATED_PAGES = ("Atlas",)


def set_page(title: str) -> None:
    st.session_state[PAGE] = title


#: A day fixed for what runs outside the page's script run (a download built when its button
#: is pressed) or for one part of a page (a former body's map on its last day).
_PINNED: contextvars.ContextVar[date | None] = contextvars.ContextVar("pinned_day", default=None)


@contextlib.contextmanager
def pinned(day: date):
    """Within this block, every cached loader answers for ``day``."""
    token = _PINNED.set(vintages.clip(day))
    try:
        yield
    finally:
        _PINNED.reset(token)


def at_day(build):
    """``build`` (a download's callable) bound to the day in view now: a download is built
    when its button is pressed, outside the page's run, where the day is not known."""
    day = as_of()

    def call():
        with pinned(day):
            return build()

    return call


def as_of() -> date:
    """The day the atlas answers for (its "As of" control; default today), within the span
    Centrifuge answers for. Today on pages that plan on today's areas."""
    if (day := _PINNED.get()) is not None:
        return day
    if st.session_state.get(PAGE, DATED_PAGES[0]) not in DATED_PAGES:
        return vintages.clip(date.today())
    return vintages.clip(st.session_state.get(state.AS_OF) or date.today())


def vintage() -> vintages.Vintage:
    """The boundary set in force on :func:`as_of`."""
    return vintages.for_day(as_of())


def _boundary_key() -> tuple[str, float, str]:
    """What the geometry depends on: the boundary file, its modification time, the vintage."""
    path = paths.boundaries_path()
    return str(path), path.stat().st_mtime if path.exists() else 0.0, vintage().name


def _today_key(key: tuple) -> bool:
    return key[2] == vintages.CURRENT.name


@st.cache_resource(show_spinner="Loading boundaries…")
def _display_frame(key: tuple[str, float, str]) -> gpd.GeoDataFrame:
    if not _today_key(key):
        return boundaries.load_vintage(key[2], display=True)
    if paths.using_own_boundaries():
        return boundaries.load(paths.DISPLAY_BOUNDARIES)
    return boundaries.simplify_for_display(boundaries.load(paths.boundaries_path()))


def display_frame() -> gpd.GeoDataFrame:
    """Simplified boundaries for the map (shared and read-only: never mutate it)."""
    return _display_frame(_boundary_key())


@st.cache_resource(show_spinner=False)
def _geometry(key: tuple) -> str:
    return maps.publish("areas", maps.topology(_display_frame(key)))


def geometry() -> str:
    """URL of the map's geometry: a static file the browser fetches once and caches."""
    return _geometry(_boundary_key())


@st.cache_data(show_spinner=False)
def _area_table(key: tuple[str, float, str]) -> pd.DataFrame:
    return areas.area_table(vintage=key[2])


def area_table() -> pd.DataFrame:
    return _area_table(_boundary_key())


def boundaries_label() -> str:
    if not _today_key(_boundary_key()) or paths.using_own_boundaries():
        return f"{vintage().label()}, {boundaries.METHOD}"
    return f"{os.path.basename(paths.boundaries_path())} (set by CENTRIFUGE_BOUNDARIES)"


def _data_key() -> tuple[str, tuple[tuple, ...]]:
    folder = paths.franchises_dir()
    stamps = tuple(
        (name, (folder / name).stat().st_mtime if (folder / name).exists() else 0.0)
        for name in franchises.COLUMNS
    )
    return str(folder), stamps


@st.cache_data(show_spinner="Loading who runs what…")
def _baseline(key: tuple) -> franchises.Baseline:
    return holdings.load(paths.franchises_dir())


def baseline() -> franchises.Baseline:
    """The checked franchise data in use; raises :class:`franchises.DataError` (never cached)."""
    return _baseline(_data_key())


def data_label() -> str:
    if "CENTRIFUGE_DATA" in os.environ:
        return f"{paths.franchises_dir()} (set by CENTRIFUGE_DATA)"
    return "the Centrifuge baseline (data/franchises)"


@st.cache_resource(show_spinner=False)
def _adjacency(key: tuple) -> dict[str, set[str]]:
    return atlas.adjacency(_display_frame(key))


def adjacency() -> dict[str, set[str]]:
    """Which areas touch which (shared, read-only)."""
    return _adjacency(_boundary_key())


@st.cache_data(show_spinner=False, max_entries=64)
def _view(data_key: tuple, boundary_key: tuple, view: atlas.View, day: date) -> pd.DataFrame:
    return atlas.area_colours(baseline(), area_table(), view, adjacency(), on=day)


def view_frame(view: atlas.View) -> pd.DataFrame:
    """Colours, labels and holders of every area for ``view`` on the day in view (raises
    DataError, UnknownView)."""
    return _view(_data_key(), _boundary_key(), view, as_of())


@st.cache_resource(show_spinner="Drawing outlines…")
def _outlines(data_key: tuple, boundary_key: tuple, which: str, day: date) -> gpd.GeoDataFrame:
    return atlas.outline_frame(
        _display_frame(boundary_key), baseline(), area_table(), which, on=day
    )


def outlines(which: str) -> gpd.GeoDataFrame:
    """Dissolved outlines of police force areas, nations… (shared, read-only)."""
    return _outlines(_data_key(), _boundary_key(), which, as_of())


@st.cache_resource(show_spinner=False)
def _outline_url(data_key: tuple, boundary_key: tuple, which: str, day: date) -> str:
    return maps.publish(f"outlines-{which}", maps.outline_topology(outlines(which)))


def outline_layers(which: list[str]) -> list[dict]:
    """The map's outline layers: for each, a static file of lines and its name."""
    return [
        {"url": _outline_url(_data_key(), _boundary_key(), w, as_of()), "name": atlas.OUTLINES[w]}
        for w in which
        if w in atlas.OUTLINES
    ]


@st.cache_data(show_spinner=False, max_entries=64)
def _view_paint(
    data_key: tuple,
    boundary_key: tuple,
    view: atlas.View,
    within: tuple[str, ...] | None,
    highlight: str,
    day: date,
) -> dict:
    shown = atlas.dimmed(view_frame(view), None if within is None else list(within), highlight)
    return maps.paint(_display_frame(boundary_key)["code"], shown)


@st.cache_resource(show_spinner=False)
def _border_url(data_key: tuple, boundary_key: tuple, view: atlas.View, day: date) -> str:
    lines = maps.outline_topology(atlas.borders(_display_frame(boundary_key), view_frame(view)))
    return maps.publish("borders", lines)


def holder_borders(view: atlas.View) -> dict:
    """An outline layer of each holder's territory, for ``view`` coloured by holder."""
    url = _border_url(
        _data_key(), _boundary_key(), atlas.View(view.kind, view.id, "holder"), as_of()
    )
    return {"url": url, "name": "Holders' borders", "weight": 2.2, "color": "#ffffff"}


def view_paint(view: atlas.View, within: list[str] | None = None, highlight: str = "") -> dict:
    """The map colours of ``view``, in the geometry's order: areas outside ``within`` and, with
    ``highlight``, every other holder dimmed."""
    kept = None if within is None else tuple(within)
    return _view_paint(_data_key(), _boundary_key(), view, kept, highlight, as_of())


def paint(frame: pd.DataFrame) -> dict:
    """Map colours from a frame of code, colour and label (the simulator's, the studio's…)."""
    return maps.paint(display_frame()["code"], frame)


@st.cache_data(show_spinner=False)
def _fragmentation(data_key: tuple, day: date) -> pd.Series:
    return atlas.fragmentation(baseline(), day)


def fragmentation() -> pd.Series:
    return _fragmentation(_data_key(), as_of())


@st.cache_data(show_spinner=False, max_entries=32)
def _export(
    data_key: tuple, boundary_key: tuple, view: atlas.View, base_url: str, day: date
) -> pd.DataFrame:
    return atlas.export_table(baseline(), area_table(), view, on=day, base_url=base_url)


def page_address() -> str:
    """The atlas's address in the user's browser, without its query ("" when unknown)."""
    return (st.context.url or "").split("?")[0]


def export_table(view: atlas.View) -> pd.DataFrame:
    """The long table (area × service) behind a view, each row with its card's address."""
    return _export(_data_key(), _boundary_key(), view, page_address(), as_of())


@st.cache_data(show_spinner=False, max_entries=32)
def _export_csv(
    data_key: tuple, boundary_key: tuple, view: atlas.View, base_url: str, day: date
) -> bytes:
    return atlas.to_csv(_export(data_key, boundary_key, view, base_url, day))


def export_csv(view: atlas.View) -> bytes:
    return _export_csv(_data_key(), _boundary_key(), view, page_address(), as_of())


@st.cache_data(show_spinner=False, max_entries=16)
def _export_geojson(data_key: tuple, boundary_key: tuple, view: atlas.View, day: date) -> str:
    return atlas.to_geojson(_display_frame(boundary_key), baseline(), area_table(), view, day)


def export_geojson(view: atlas.View) -> str:
    return _export_geojson(_data_key(), _boundary_key(), view, as_of())


@st.cache_resource(show_spinner=False)
def _links(key: tuple) -> dict[str, set[str]]:
    from dashboard import lots

    return lots.links(_display_frame(key), _adjacency(key))


def links() -> dict[str, set[str]]:
    """Adjacency plus ferry links to islands (shared, read-only)."""
    return _links(_boundary_key())


@st.cache_resource(show_spinner=False)
def _projected(key: tuple) -> gpd.GeoDataFrame:
    return _display_frame(key).to_crs(27700)


def projected_frame() -> gpd.GeoDataFrame:
    """Display boundaries in British National Grid, for areas and compactness (read-only)."""
    return _projected(_boundary_key())


@st.cache_data(show_spinner=False)
def _groups(data_key: tuple, boundary_key: tuple, day: date) -> pd.DataFrame:
    return focus.groups(baseline(), area_table(), day)


def groups() -> pd.DataFrame:
    """Per area: its police force, fire service, upper tier, region, nation and population, on
    the day in view."""
    return _groups(_data_key(), _boundary_key(), as_of())


@dataclass(frozen=True)
class Loaded:
    frame: gpd.GeoDataFrame
    geometry: str
    table: pd.DataFrame
    baseline: franchises.Baseline


def load_or_stop() -> Loaded:
    """Everything a map page needs; on a broken boundary file or data folder, say what is
    wrong (every data problem, as `centrifuge validate` lists them) and stop the page."""
    try:
        frame, url, table = display_frame(), geometry(), area_table()
    except boundaries.BoundaryFileError as exc:
        st.error(f"The boundaries could not be loaded: {md(exc)}")
        st.stop()
    try:
        return Loaded(frame, url, table, baseline())
    except franchises.DataError as exc:
        st.error(
            f"The franchise data in {md(exc.directory)} has {len(exc.problems)} problem(s), so no "
            "holdings are shown. Fix them (`centrifuge validate` lists the same) and reload."
        )
        st.code("\n".join(str(p) for p in exc.problems[:50]), language=None)
        st.stop()


@st.cache_resource(show_spinner=False)
def warm_postcodes() -> threading.Thread:
    """Load the postcode index in the background once per server (about 1.2 s and 50 MB), so
    that no user's first search waits for it."""
    thread = threading.Thread(target=postcodes.warm, name="warm-postcodes", daemon=True)
    thread.start()
    return thread


def keys() -> tuple[tuple, tuple]:
    """What the cached data depends on: the franchise data and the boundary file."""
    return _data_key(), _boundary_key()
