"""Tables and map frames of a simulated year, for the page and the exports."""

from __future__ import annotations

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
