"""Tables and map frames of a simulated year, for the page and the exports."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.simulation.engine import YearState
from dashboard.simulation.firms import SIMULATED_KINDS
from dashboard.simulation.market import Market


def holders_in(state: YearState, market: Market) -> pd.DataFrame:
    """area_code, service_id, holder_id, holder, holder_kind and incumbent flag of every
    area-service in scope in one year."""
    return pd.DataFrame(
        {
            "area_code": [market.area_codes[a] for a in market.lot_area],
            "service_id": [market.service_ids[s] for s in market.lot_service],
            "holder_id": [state.bidder_ids[b] for b in state.holder],
            "holder": [state.bidder_names[b] for b in state.holder],
            "holder_kind": [state.bidder_kinds[b] for b in state.holder],
            "incumbent": state.holder == market.original,
        }
    )


def map_frame(
    state: YearState,
    market: Market,
    service_id: str,
    colour_by: str,
    adjacency: dict[str, set[str]] | None = None,
) -> pd.DataFrame:
    """code, key, label and colour of every area for one service in one simulated year."""
    from dashboard import atlas, franchises

    table = holders_in(state, market)
    table = table[table["service_id"] == service_id]
    if colour_by == "kind":
        keys = table["holder_kind"]
        labels = keys.map({**franchises.KINDS, **SIMULATED_KINDS})
    else:
        keys, labels = table["holder_id"], table["holder"]
    frame = pd.DataFrame(
        {"code": table["area_code"].to_numpy(), "key": keys.to_numpy(), "label": labels.to_numpy()}
    )
    frame["label"] = frame["label"].fillna(frame["key"])
    frame["colour"] = frame["key"].map(atlas.colours_for(frame, colour_by, adjacency))
    return frame


#: Early to late: the years an area-service first changes hands (dark is early).
FLIP_COLOURS = ["#67000d", "#a50f15", "#cb181d", "#ef3b2c", "#fb6a4a", "#fc9272", "#fcbba1"]
NEVER_COLOUR = "#bdbdbd"
#: Shares of runs, low to high (dark is high).
SHARE_EDGES = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
SHARE_COLOURS = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]


def first_change_frame(per_area: pd.DataFrame, service_id: str, first_year: int, last_year: int):
    """code, key, label and colour per area for one service: the median year it first changes
    hands, in bins of equal width from ``first_year`` to ``last_year``, or "never within the
    horizon". Keys sort early to late, "never" last."""
    rows = per_area[per_area["service_id"] == service_id]
    span = max(1, -(-(last_year - first_year + 1) // len(FLIP_COLOURS)))
    keys, labels, colours = [], [], []
    for year in rows["first_change_year"]:
        if pd.isna(year):
            keys.append(f"{len(FLIP_COLOURS):02d}")
            labels.append(f"Not within the horizon (to {last_year})")
            colours.append(NEVER_COLOUR)
            continue
        step = min((int(year) - first_year) // span, len(FLIP_COLOURS) - 1)
        low = first_year + step * span
        high = min(low + span - 1, last_year)
        keys.append(f"{step:02d}")
        labels.append(f"{low}" if low == high else f"{low}–{high}")
        colours.append(FLIP_COLOURS[step])
    return pd.DataFrame(
        {"code": rows["area_code"].to_numpy(), "key": keys, "label": labels, "colour": colours}
    )


def share_frame(per_area: pd.DataFrame, service_id: str, column: str) -> pd.DataFrame:
    """code, key, label and colour per area for one service: a share of runs (``column`` of
    ``per_area``) in five bands of 20%."""
    rows = per_area[per_area["service_id"] == service_id]
    band = np.clip(np.searchsorted(SHARE_EDGES, rows[column].to_numpy(), side="right") - 1, 0, 4)
    band = np.where(rows[column].to_numpy() >= 1.0, 4, band)
    labels = [
        f"{SHARE_EDGES[b]:.0%}–{SHARE_EDGES[b + 1]:.0%}" + (" of runs" if b == 4 else "")
        for b in band
    ]
    return pd.DataFrame(
        {
            "code": rows["area_code"].to_numpy(),
            "key": [f"{b:02d}" for b in band],
            "label": labels,
            "colour": [SHARE_COLOURS[b] for b in band],
        }
    )
