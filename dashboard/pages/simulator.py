"""Fire up the centrifuge: rounds of franchise bidding, watched on the map year by year."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import lads, population, scenarios
from dashboard import simulation as sim
from dashboard.simulation import calibration
from dashboard.ui import cache, exports, keyring, maps, state
from dashboard.ui import sim_sections as sections
from dashboard.ui import simulator as page
from dashboard.ui.text import md

state.init()
st.set_page_config(page_title="Simulator · Centrifuge")
st.title("Simulator")
st.caption(
    "No provider has a right to deliver anything: every area's services are tendered, terms are "
    "short and failure is not tolerated for long. Year one is business as usual; watch how fast "
    "the landscape changes, and what drives it. The model and its defaults are explained in "
    "docs/simulation.md; simulated newcomers never carry real company names."
)

loaded = cache.load_or_stop()
baseline = loaded.baseline

keyring.sync()  # which saved scenarios are this browser's (yours, and opened by link)
try:
    store = scenarios.Store()
    held = keyring.held()
    saved = {e.id: e.name for e in store.entries([*held["keys"], *held["links"]])}
except scenarios.ScenarioError as exc:
    st.warning(f"Saved studio scenarios are unavailable: {md(exc)}.")
    store, saved = None, {}


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


def settings_form(column, label: str, key: str, preset: sim.Settings) -> sim.Settings:
    column.markdown(f"**{label}**")
    return preset.replace(
        term=column.slider(
            "Term (years)", 1, 15, preset.term, key=f"{key}_term", help=HELP["term"]
        ),
        failure_tolerance=column.slider(
            "Failure tolerance",
            0.0,
            0.5,
            float(preset.failure_tolerance),
            0.05,
            key=f"{key}_tolerance",
            help=HELP["failure_tolerance"],
        ),
        incumbent_advantage=column.slider(
            "Incumbent advantage",
            0.0,
            0.3,
            float(preset.incumbent_advantage),
            0.01,
            key=f"{key}_advantage",
            help=HELP["incumbent_advantage"],
        ),
        price_weight=column.slider(
            "Price weight",
            0.0,
            1.0,
            float(preset.price_weight),
            0.05,
            key=f"{key}_price",
            help=HELP["price_weight"],
        ),
        local_voice=column.slider(
            "Local voice",
            0.0,
            0.3,
            float(preset.local_voice),
            0.01,
            key=f"{key}_local",
            help=HELP["local_voice"],
        ),
        spec=column.radio(
            "Specification",
            ["outcome", "input"],
            index=["outcome", "input"].index(preset.spec),
            key=f"{key}_spec",
            horizontal=True,
            help=HELP["spec"],
        ),
        challengers=column.number_input(
            "Challengers at the start",
            0,
            500,
            min(int(preset.challengers), 500),
            key=f"{key}_challengers",
            help=HELP["challengers"],
        ),
        entry_rate=column.number_input(
            "New challengers a year",
            0.0,
            50.0,
            min(float(preset.entry_rate), 50.0),
            0.5,
            key=f"{key}_entry",
            help=HELP["entry_rate"],
        ),
    )


HISTORIES = calibration.histories()
preset = st.selectbox(
    "Start from",
    ["", *HISTORIES],
    index=["", *HISTORIES].index(page.preset_from_url(HISTORIES)),
    format_func=lambda k: (
        "Today, with the default settings" if not k else f"History: {HISTORIES[k].name}"
    ),
    key="sim_preset",
    help="A history preset sets the scope, the rules and the market of a real franchising "
    "programme; after the run the page sets the model's figures beside the history's.",
)
story = HISTORIES.get(preset)
if story:
    st.markdown(f"**{md(story.name)}.** Stands in: {md(story.stand_in)}.")
    with st.expander("Sources"):
        st.markdown("\n".join(f"- {md(source)}" for source in story.sources))
chosen, refused = page.presets(preset, story.settings if story else None)
for problem in refused:
    st.warning(f"A setting in the link was not used: {md(problem)}.")
# Outside the form, so that turning it on shows Setting B at once.
compare = st.toggle(
    "Compare two settings side by side", value=chosen["B"] is not None, key="sim_compare"
)
with st.form("simulate"):
    lots_choice = st.selectbox(
        "What is tendered",
        [PRESET] if story else [PRESET, *saved],
        format_func=lambda n: (  # options are plain text, never markdown
            (f"The preset's scope: {story.stand_in}" if story else "Every area × service")
            if n == PRESET
            else f"Studio scenario: {saved[n]}"
        ),
        help="A studio scenario tenders each of its lots (its package over its areas) as one "
        "unit; everything else is tendered area by area.",
    )
    left, right = st.columns(2)
    # Each starting point has its own widgets, so choosing a preset shows its values.
    version = st.session_state.get("sim_form_version", 0)  # a loaded file starts afresh
    prefix = (f"{preset}_" if preset else "") + (f"v{version}_" if version else "")
    forms = {"A": settings_form(left, "Setting A", f"{prefix}a", chosen["A"])}
    if compare:
        forms["B"] = settings_form(
            right, "Setting B", f"{prefix}b", chosen["B"] or chosen["A"].replace(term=10)
        )
    row = st.columns(3)
    seed = row[0].number_input(
        "Seed", 0, 10**9, chosen["seed"], help="The same seed gives the same runs."
    )
    runs = row[1].number_input(
        "Runs",
        1,
        200,
        chosen["runs"],
        help="Independent runs for the median and the 10–90% band.",
    )
    started = row[2].form_submit_button("Fire up the centrifuge", type="primary")

with st.expander("Settings file: save these settings, or load yours"):
    st.download_button(
        "Download Setting A as a settings file (.toml)",
        lambda: forms["A"].to_toml(),
        "centrifuge-settings.toml",
        "application/toml",
        help="The same file `centrifuge simulate --settings FILE.toml` reads.",
    )
    upload = st.file_uploader(
        "Load a settings file into Setting A",
        type=["toml"],
        key="sim_settings_file",
        help="Tables [market], [rules] and [scope]; anything left out takes its default.",
    )
    loaded_settings, problem = page.read_upload(upload)
    if problem:
        st.error(f"The settings file was not used: {md(problem)}")
    elif loaded_settings is not None:
        page.remember({**chosen, "A": loaded_settings, "preset": preset})
        st.session_state["sim_form_version"] = st.session_state.get("sim_form_version", 0) + 1
        st.rerun()

# Progress and errors of a run go here: always present, so the elements below keep their place
# (a moved slider loses the keyboard focus, a moved map is rebuilt).
working = st.container()
# A shared link runs its settings on opening.
if started or (page.from_url() and page.RESULTS not in st.session_state and not refused):
    try:
        if lots_choice == PRESET:  # the settings' own scope (a preset's, or a loaded file's)
            market = sim.market_for(forms["A"], baseline=baseline, areas=lads.lad_table())
        else:
            market = market_for(lots_choice)
    except scenarios.ScenarioError as exc:
        working.error(f"The scenario could not be used: {md(exc)}")
        st.stop()
    page.remember(
        {
            "A": forms["A"],
            "B": forms.get("B"),
            "seed": int(seed),
            "runs": int(runs),
            "preset": preset,
        }
    )
    st.session_state["sim_market"] = market
    bar = working.progress(0.0, text="Spinning…")
    results = {}
    total, done = len(forms) * int(runs), 0
    for label, settings in forms.items():
        seeds = sim.seeds_for(int(seed), int(runs))
        cells = []
        for n, child in enumerate(seeds, 1):
            cells.append(sim.run_with_cells((settings, market, child)))
            done += 1
            bar.progress(done / total, text=f"Setting {label}: run {n} of {runs}")
        batch = [c["rows"] for c in cells]
        example = sim.median_run(batch)
        results[label] = {
            "settings": settings,
            # The example's states again, from its own seed (the same run, kept for the map).
            "states": list(sim.run(settings, market, np.random.default_rng(seeds[example]))),
            "example": example,
            "rows": sim.summarise(batch) if len(batch) > 1 else batch[0],
            "per_area": sim.per_area_frame(market, cells),
            "first": [{"first": c["first"]} for c in cells],
            "moved": {
                name: sim.cumulative(batch, name)
                for name in ("transition_cost_gbp", "termination_cost_gbp")
            },
            "history": story.check(batch) if story else None,
        }
    bar.empty()
    st.session_state[page.RESULTS] = {
        "seed": int(seed),
        "runs": int(runs),
        "by": results,
        "preset": story.name if story else None,
    }

results = st.session_state.get(page.RESULTS)
if not results:
    st.info("Set the parameters and press **Fire up the centrifuge**.")
    st.stop()

page.write_url()
by = results["by"]
market = st.session_state.get("sim_market") or market_for(PRESET)
if results.get("preset"):
    st.caption(f"These results started from the preset {md(results['preset'])}.")
if market.scenario:
    st.caption(
        f"Tendered: the lots of the studio scenario '{md(market.scenario)}' as "
        f"{market.units} units."
    )
st.subheader("The map, year by year")
controls = st.columns([3, 2, 3])
first_states = next(iter(by.values()))["states"]
years = [s.year for s in first_states]
year = controls[0].select_slider("Year", years, value=years[-1], key="sim_year")
services = dict(zip(baseline.services["id"], baseline.services["name"], strict=True))
in_scope = [s for s in services if s in market.service_ids]
if st.session_state.get("sim_service") not in in_scope:
    st.session_state["sim_service"] = in_scope[0]
service = controls[1].selectbox("Service", in_scope, format_func=services.get, key="sim_service")
SHOW = {
    "holder": "Holder",
    "kind": "Kind",
    "first": "Year it first changes hands",
    "changed": "Changed hands by this year",
    "failed": "Failed at least once",
}
colour_by = controls[2].radio(
    "Colour by",
    list(SHOW),
    horizontal=True,
    format_func=SHOW.get,
    key="sim_colour",
    help="Holder and kind: the example run. The other three: over all the runs.",
)


def painted(result: dict) -> tuple[object, str, bool]:
    """The map frame for the chosen colouring, its legend title, and whether the legend
    keeps the frame's own order (early to late, low to high)."""
    if colour_by in ("holder", "kind"):
        year_state = next(s for s in result["states"] if s.year == year)
        frame = sim.map_frame(year_state, market, service, colour_by, cache.adjacency())
        return frame, SHOW[colour_by], False
    per_area = result["per_area"]
    if colour_by == "first":
        frame = sim.first_change_frame(per_area, service, years[1], years[-1])
        return frame, "First changes hands (median year)", True
    if colour_by == "changed":
        per_area = per_area.assign(changed=sim.changed_by(result["first"], year))
        return sim.share_frame(per_area, service, "changed"), f"Changed by {year}", True
    return sim.share_frame(per_area, service, "share_of_runs_failed"), "Failed", True


map_columns = st.columns(len(by))
for column, (label, result) in zip(map_columns, by.items(), strict=True):
    frame, title, ordered = painted(result)
    with column:
        st.markdown(page.headline(label, result, year, results["runs"]))
        maps.area_map(
            loaded.geometry,
            cache.paint(frame),
            key=f"sim_map_{label}",
            height=460,
            label=title,
        )
        exports.map_downloads(
            f"centrifuge-simulation-{label}-{year}-{service}".replace(" ", "-"),
            colours=frame,
            title=f"Simulated: {services[service]} in {year}, {label}",
            legend_title=title,
            note="A simulation with indicative values and simulated firms: a model, not a "
            "forecast and not today's holders.",
        )
        if colour_by in ("holder", "kind"):
            st.caption(
                "The map shows one example: "
                + (
                    f"run {result['example'] + 1} of {results['runs']}, the run whose share "
                    "held by today's holders stays closest to the median."
                    if results["runs"] > 1
                    else f"the only run (seed {results['seed']})."
                )
            )
        else:
            st.caption(
                f"Over all {results['runs']} runs, for {md(services[service])}: "
                + {
                    "first": "the median year the area-service first leaves its original "
                    "holder; grey where it stays in more than half the runs.",
                    "changed": f"the share of runs in which it had left its original holder "
                    f"by {year}.",
                    "failed": "the share of runs in which it was terminated, handed back or "
                    "lost in an insolvency at least once.",
                }[colour_by]
            )
        with st.expander("Legend", expanded=colour_by not in ("holder",)):
            page.legend(frame, title, order_by_key=ordered)

sections.money(by, year, years, services)
names = dict(zip(loaded.table["code"], loaded.table["name"], strict=False))
sections.flip_first(by, results, market, year, years, services, names)
sections.against_history(by)
sections.sweep(by, results, market)

st.subheader("How the landscape changes")
long = pd.concat([sim.band_frame(r["rows"], f"Setting {k}") for k, r in by.items()])
charts = st.columns(2)
for n, (metric, title, axis, share) in enumerate(page.CHARTS):
    charts[n % 2].altair_chart(page.chart(long, metric, title, axis, share), width="stretch")
st.caption(
    f"Lines: the median of {results['runs']} runs (seed {results['seed']}); shaded: the 10–90% "
    "band. Shares are of area-services; the resident-weighted share counts only areas with a "
    f"population figure ({population.LABEL}). Year 1 tenders every unit at once (the first "
    "round), so tenders spike then settle at about one unit in every term's length a year. "
    "A franchise ends early when its holder is three years in a row beyond the failure "
    "tolerance, hands back a loss-making contract, or its owning group runs out of money; "
    "the operator of last resort (the franchiser, state-run) runs such a unit until it is "
    "re-let the next year."
)

download = {
    label: {
        "settings": sim.settings_dict(r["settings"], results["seed"], results["runs"]),
        "years": r["rows"],
    }
    for label, r in by.items()
}
flat = pd.concat(
    [pd.json_normalize(r["rows"], sep="_").assign(setting=label) for label, r in by.items()]
)
cols = st.columns(2)
cols[0].download_button(
    "Download results (JSON)",
    lambda: json.dumps(download, indent=2),
    "centrifuge-simulation.json",
    "application/json",
    width="stretch",
)
cols[1].download_button(
    "Download results (CSV)",
    lambda: flat.to_csv(index=False),
    "centrifuge-simulation.csv",
    "text/csv",
    width="stretch",
)
