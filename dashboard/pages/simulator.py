"""Fire up the centrifuge: rounds of franchise bidding, watched on the map year by year."""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import lads, population, scenarios
from dashboard import simulation as sim
from dashboard.ui import cache, maps, state
from dashboard.ui.text import md

state.init()
st.title("Simulator")
st.caption(
    "No provider has a right to deliver anything: every area's services are tendered, terms are "
    "short and failure is not tolerated for long. Year one is business as usual; watch how fast "
    "the landscape changes, and what drives it. The model and its defaults are explained in "
    "docs/simulation.md; simulated newcomers never carry real company names."
)

loaded = cache.load_or_stop()
topology, baseline = loaded.topology, loaded.baseline

store = scenarios.Store()
saved = [n for n, _, _ in store.names()]


def market_for(choice: str) -> sim.Market:
    """Every area × service as today, or a saved studio scenario's lots as units."""
    table = lads.lad_table()
    if choice == PRESET:
        return sim.Market.from_baseline(baseline, table)
    scenario = store.load(choice)
    package = scenarios.services_of(baseline, scenario.package_id)
    if package:  # the map opens on a service the scenario tenders
        st.session_state["sim_service"] = package[0]
    return sim.Market.from_baseline(
        baseline, table, scenarios.market_lots(scenario), package, scenario.name
    )


PRESET = "\u0000preset"
DEFAULTS = sim.Settings()
HELP = {
    "term": "How many years a franchise runs before it is tendered again.",
    "failure_tolerance": "How far performance, averaged over three years, may fall short of "
    "what was promised; three years in a row beyond it (a warning, an improvement plan, then "
    "termination) end the franchise (0 = no shortfall tolerated).",
    "incumbent_advantage": "Score bonus for the sitting holder when its lot is re-tendered.",
    "price_weight": "Weight of price against quality when bids are scored.",
    "local_voice": "Score bonus for bidders that answer to a locally elected body.",
    "spec": "Outcome specifications let bidders show how they differ; input specifications "
    "narrow the quality bidders can show.",
    "challengers": "Simulated firms in the market at the first round (they have money, can "
    "fail, leave and be bought up).",
    "entry_rate": "New simulated challengers a year, on average.",
}


def settings_form(column, label: str, key: str, preset: dict) -> sim.Settings:
    column.markdown(f"**{label}**")
    return sim.Settings(
        years=30,
        term=column.slider(
            "Term (years)", 1, 15, preset["term"], key=f"{key}_term", help=HELP["term"]
        ),
        failure_tolerance=column.slider(
            "Failure tolerance",
            0.0,
            0.5,
            preset["failure_tolerance"],
            0.05,
            key=f"{key}_tolerance",
            help=HELP["failure_tolerance"],
        ),
        incumbent_advantage=column.slider(
            "Incumbent advantage",
            0.0,
            0.3,
            preset["incumbent_advantage"],
            0.01,
            key=f"{key}_advantage",
            help=HELP["incumbent_advantage"],
        ),
        price_weight=column.slider(
            "Price weight",
            0.0,
            1.0,
            preset["price_weight"],
            0.05,
            key=f"{key}_price",
            help=HELP["price_weight"],
        ),
        local_voice=column.slider(
            "Local voice",
            0.0,
            0.3,
            preset["local_voice"],
            0.01,
            key=f"{key}_local",
            help=HELP["local_voice"],
        ),
        spec=column.radio(
            "Specification",
            ["outcome", "input"],
            key=f"{key}_spec",
            horizontal=True,
            help=HELP["spec"],
        ),
        challengers=column.number_input(
            "Challengers at the start",
            0,
            500,
            preset["challengers"],
            key=f"{key}_challengers",
            help=HELP["challengers"],
        ),
        entry_rate=column.number_input(
            "New challengers a year",
            0.0,
            50.0,
            preset["entry_rate"],
            0.5,
            key=f"{key}_entry",
            help=HELP["entry_rate"],
        ),
    )


# Outside the form, so that turning it on shows Setting B at once.
compare = st.toggle("Compare two settings side by side", key="sim_compare")
with st.form("simulate"):
    lots_choice = st.selectbox(
        "What is tendered",
        [PRESET, *saved],
        format_func=lambda n: (
            "Every area × service, as today" if n == PRESET else f"Studio scenario: {n}"
        ),
        help="A studio scenario tenders each of its lots (its package over its areas) as one "
        "unit; everything else is tendered area by area.",
    )
    left, right = st.columns(2)
    chosen = [("A", settings_form(left, "Setting A", "a", {**DEFAULTS.__dict__, "term": 3}))]
    if compare:
        chosen.append(
            ("B", settings_form(right, "Setting B", "b", {**DEFAULTS.__dict__, "term": 10}))
        )
    row = st.columns(3)
    seed = row[0].number_input("Seed", 0, 10**9, 1, help="The same seed gives the same run.")
    runs = row[1].number_input(
        "Runs", 1, 200, 20, help="Independent runs for the median and the 10–90% band."
    )
    started = row[2].form_submit_button("Fire up the centrifuge", type="primary")

if started:
    try:
        market = market_for(lots_choice)
    except scenarios.ScenarioError as exc:
        st.error(f"The scenario could not be used: {md(exc)}")
        st.stop()
    st.session_state["sim_market"] = market
    bar = st.progress(0.0, text="Spinning…")
    results = {}
    total = len(chosen) * int(runs)
    done = 0
    for label, settings in chosen:
        # As the command line does: one run uses the seed itself, several spawn from it.
        root = np.random.SeedSequence(int(seed))
        seeds = root.spawn(int(runs)) if runs > 1 else [root]
        batch = []
        for n, child in enumerate(seeds, 1):
            batch.append(
                sim.yearly_metrics(sim.run(settings, market, np.random.default_rng(child)))
            )
            done += 1
            bar.progress(done / total, text=f"Setting {label}: run {n} of {runs}")
        rows = sim.summarise(batch) if len(batch) > 1 else batch[0]
        example = sim.median_run(batch)
        # The example's states again, from its own seed (the same run, kept for the map).
        states = list(sim.run(settings, market, np.random.default_rng(seeds[example])))
        results[label] = {"settings": settings, "states": states, "example": example, "rows": rows}
    st.session_state["sim_results"] = {"seed": int(seed), "runs": int(runs), "by": results}

results = st.session_state.get("sim_results")
if not results:
    st.info("Set the parameters and press **Fire up the centrifuge**.")
    st.stop()

by = results["by"]
market = st.session_state.get("sim_market") or market_for(PRESET)
if market.scenario:
    st.caption(
        f"Tendered: the lots of the studio scenario '{md(market.scenario)}' as "
        f"{market.units} units."
    )


def headline(label: str, result: dict, year: int, runs: int) -> str:
    """The year's figures for one setting: medians over the runs, with their 10–90% band."""
    row = next(r for r in result["rows"] if r["year"] == year)
    settings = result["settings"]
    text = (
        f"**Setting {label}** (term {settings.term}, tolerance {settings.failure_tolerance:g}) "
        f"in {year}: incumbents hold {row['incumbent_share']:.0%} of area-services"
    )
    if row["incumbent_share_population"] is not None:
        text += f" ({row['incumbent_share_population']:.0%} weighted by residents, where known)"
    text += f"; {row['distinct_holders']:.0f} holders."
    if runs > 1:
        text += (
            f" Medians of {runs} runs; 10–90% band {row['incumbent_share_p10']:.0%}–"
            f"{row['incumbent_share_p90']:.0%} of area-services and "
            f"{row['distinct_holders_p10']:.0f}–{row['distinct_holders_p90']:.0f} holders."
        )
    return text


st.subheader("The map, year by year")
controls = st.columns([3, 2, 2])
first_states = next(iter(by.values()))["states"]
years = [s.year for s in first_states]
year = controls[0].select_slider("Year", years, value=years[-1], key="sim_year")
services = dict(zip(baseline.services["id"], baseline.services["name"], strict=True))
service = controls[1].selectbox(
    "Service", list(services), format_func=services.get, key="sim_service"
)
colour_by = controls[2].radio(
    "Colour by",
    ["holder", "kind"],
    horizontal=True,
    format_func={"holder": "Holder", "kind": "Kind"}.get,
    key="sim_colour",
)
map_columns = st.columns(len(by))
for column, (label, result) in zip(map_columns, by.items(), strict=True):
    year_state = next(s for s in result["states"] if s.year == year)
    painted = sim.map_frame(year_state, market, service, colour_by, cache.adjacency())
    with column:
        st.markdown(headline(label, result, year, results["runs"]))
        st_folium(
            maps.base_map(topology),
            key=f"sim_map_{label}",
            **maps.whole_uk(460),
            use_container_width=True,
            feature_group_to_add=[maps.recolour_layer(painted, name="Holders")],
            returned_objects=[],
        )
        st.caption(
            "The map shows one example: "
            + (
                f"run {result['example'] + 1} of {results['runs']}, the run whose share held "
                "by today's holders stays closest to the median."
                if results["runs"] > 1
                else f"the only run (seed {results['seed']})."
            )
        )

st.subheader("How the landscape changes")
long = pd.concat([sim.band_frame(r["rows"], f"Setting {k}") for k, r in by.items()])
NAMES = {
    "incumbent_share": "Share held by today's holders",
    "incumbent_share_population": "…weighted by residents (England and Wales)",
    "distinct_holders": "Distinct holders",
    "hhi": "Concentration (HHI)",
    "fragmentation": "Organisations a resident deals with (mean over areas)",
    "tenders": "Tenders a year",
    "failures": "Units in breach of tolerance a year",
    "cost_index": "Cost index (today = 1)",
}
charts = st.columns(2)
for n, (metric, title) in enumerate(NAMES.items()):
    data = long[long["metric"] == metric]
    base = alt.Chart(data).encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, values=years[::5])),
        color=alt.Color("setting:N", title=None, scale=alt.Scale(range=["#e15759", "#4e79a7"])),
    )
    band = base.mark_area(opacity=0.2).encode(y=alt.Y("low:Q", title=None), y2="high:Q")
    line = base.mark_line().encode(y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)))
    charts[n % 2].altair_chart((band + line).properties(title=title, height=220), width="stretch")
st.caption(
    f"Lines: the median of {results['runs']} runs (seed {results['seed']}); shaded: the 10–90% "
    "band. Shares are of area-services; the resident-weighted share counts only areas with a "
    f"population figure ({population.LABEL})."
)

download = {
    label: {
        "settings": sim.settings_dict(r["settings"], results["seed"], results["runs"]),
        "years": r["rows"],
    }
    for label, r in by.items()
}
cols = st.columns(2)
cols[0].download_button(
    "Download results (JSON)",
    json.dumps(download, indent=2),
    "centrifuge-simulation.json",
    "application/json",
    width="stretch",
)
flat = pd.concat(
    [pd.json_normalize(r["rows"], sep="_").assign(setting=label) for label, r in by.items()]
)
cols[1].download_button(
    "Download results (CSV)",
    flat.to_csv(index=False),
    "centrifuge-simulation.csv",
    "text/csv",
    width="stretch",
)
