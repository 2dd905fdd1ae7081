"""The studio's comparisons: this scenario against today's holders, against another saved
scenario (counted with its own package) and against an earlier version of itself."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import atlas, lots, scenarios
from dashboard.lots import Assignment
from dashboard.ui import cache, keyring, maps, scenario_panel
from dashboard.ui.text import md


def compare_section(
    store: scenarios.Store | None,
    state: Assignment,
    here: str,
    services: list[str],
    paint: pd.DataFrame,
    tally: pd.DataFrame,
    current: pd.DataFrame,
) -> None:
    """``here``: the open scenario's id ("" if unsaved); ``paint``: the lots map's colours;
    ``current``: today's holdings, one row per area and service."""
    loaded = cache.load_or_stop()
    baseline, table = loaded.baseline, loaded.table
    names = dict(zip(table["code"], table["name"], strict=True))
    service_names = dict(zip(baseline.services["id"], baseline.services["name"], strict=True))
    st.subheader("Compare")
    choices = {("today", 0): "Today's holders"}
    try:
        if store is not None:
            held = keyring.held()
            for entry in store.entries([*held["keys"], *held["links"]]):
                if entry.id != here:
                    choices[(entry.id, 0)] = f"Saved scenario: {entry.name}"
            for number, saved_at in store.history(here)[1:] if here else []:
                choices[(here, number)] = (
                    f"Version {number} of this scenario, saved {scenario_panel.when(saved_at)}"
                )
    except scenarios.ScenarioError as exc:
        st.caption(f"Saved scenarios cannot be compared now: {md(exc)}.")
    against = st.selectbox("Compare this scenario with", list(choices), format_func=choices.get)
    if against[0] == "today":
        first_service = services[0] if services else None
        sides = st.columns(2)
        if first_service is not None:
            view_of = atlas.View("service", first_service)
            with sides[0]:
                st.markdown(f"**Today: {md(service_names[first_service])}, by holder**")
                maps.area_map(
                    loaded.geometry,
                    cache.view_paint(view_of),
                    key="studio_compare_today",
                    height=420,
                )
        with sides[1]:
            st.markdown("**This scenario: lots**")
            maps.area_map(
                loaded.geometry,
                cache.paint(paint),
                key="studio_compare_lots",
                height=420,
                label="Lot",
            )
        after = scenarios.compare(baseline, state, services)
        if len(after):
            st.dataframe(after, hide_index=True, width="stretch")
            st.caption(
                "After: each lot's package run by one organisation, other services as today. "
                "The organisations a resident deals with are counted area by area and averaged "
                f"over the lot's areas. UK median today: {cache.fragmentation().median():g}."
            )
    else:
        other = store.load(*against) if against[1] else store.load(against[0])
        changed = scenarios.differences(state, other.assignment, names)
        st.markdown(
            f"**{len(changed)}** areas are in a different lot here than in "
            f"'{md(other.name)}'{f' version {other.version}' if against[1] else ''} "
            f"(package {md(other.package_id)})."
        )
        st.dataframe(changed, hide_index=True, width="stretch")
        theirs = lots.tallies(
            other.assignment,
            cache.projected_frame(),
            cache.groups(),
            # Their own package's holders, not this scenario's.
            current[current["service_id"].isin(scenarios.services_of(baseline, other.package_id))][
                ["area_code", "service", "holder"]
            ],
            cache.links(),
            names,
        )
        pair = st.columns(2)
        pair[0].markdown("**This scenario**")
        pair[0].dataframe(
            tally[["lot", "areas", "holders_replaced", "contiguous"]], hide_index=True
        )
        pair[1].markdown(f"**{md(other.name)}**")
        pair[1].dataframe(
            theirs[["lot", "areas", "holders_replaced", "contiguous"]], hide_index=True
        )
