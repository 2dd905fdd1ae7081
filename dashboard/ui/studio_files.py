"""The studio's files: import lots (a CSV) or a scenario (JSON), and download the scenario, its
lots as a table and as boundaries, and a bid pack for one lot. Every file is built only when its
button is pressed."""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import atlas, scenarios
from dashboard.lots import Assignment
from dashboard.ui import cache
from dashboard.ui.text import md


def files_section(
    scenario: scenarios.Scenario,
    state: Assignment,
    keys,
    start: Callable,
    tally: pd.DataFrame,
    package_holders: pd.DataFrame,
) -> None:
    """``keys`` names the session keys STATE, NAME and MESSAGE; ``start`` opens a scenario."""
    table = cache.area_table()
    codes = table["code"].tolist()
    names = dict(zip(table["code"], table["name"], strict=True))
    imp, exp = st.columns(2)
    with imp:
        upload = st.file_uploader(
            "Import lots (CSV with area_code,lot) or a scenario file (.json)", type=["csv", "json"]
        )
        if upload is not None and st.button("Import"):
            data = upload.getvalue()
            try:
                if upload.name.lower().endswith(".json"):
                    loaded = scenarios.read_file(data, codes)
                    start(loaded.assignment, loaded.name, 0, loaded.package_id)
                else:
                    edit_base = scenarios.read_lot_csv(data, codes, state)
                    st.session_state[keys.STATE] = edit_base
                st.session_state[keys.MESSAGE] = f"Imported {upload.name}."
                st.rerun()
            except scenarios.LotFileError as exc:
                st.error(f"{md(upload.name)} was not imported; nothing was changed.")
                st.code("\n".join(str(p) for p in exc.problems[:100]), language=None)
            except scenarios.ScenarioError as exc:
                st.error(f"{md(upload.name)} was not imported ({md(exc)}); nothing was changed.")
    with exp:
        # Each file is built when its button is pressed (the callables), never on an ordinary rerun.
        stem = (st.session_state[keys.NAME] or "scenario").replace(" ", "-")[:40]
        st.download_button(
            "Scenario file (JSON)",
            lambda: json.dumps(scenario.payload(), indent=2, ensure_ascii=False),
            f"{stem}.json",
            "application/json",
            on_click="ignore",
            width="stretch",
        )
        st.download_button(
            "Lots (CSV)",
            lambda: atlas.to_csv(scenarios.lots_table(state, names)),
            f"{stem}-lots.csv",
            "text/csv",
            on_click="ignore",
            width="stretch",
        )
        st.download_button(
            "Lots, dissolved (GeoJSON)",
            lambda: scenarios.lots_frame(state, cache.projected_frame(), names).to_json(
                drop_id=True
            ),
            f"{stem}-lots.geojson",
            "application/geo+json",
            on_click="ignore",
            width="stretch",
        )
        if len(tally):
            lot_pick = st.selectbox("Bid pack for lot", list(state.order))
            row = tally.set_index("lot").loc[lot_pick].to_dict()
            st.download_button(
                f"Bid pack for {md(lot_pick)} (zip)",
                lambda: scenarios.bid_pack(
                    scenario, lot_pick, cache.projected_frame(), names, package_holders, row
                ),
                f"{stem}-{lot_pick.replace(' ', '-')[:30]}-bid-pack.zip",
                "application/zip",
                on_click="ignore",
                width="stretch",
            )
