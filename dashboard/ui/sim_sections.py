"""The simulator page's sections after a run: money, which areas flip first, history and
sweeps. Each takes the run's results and draws its part of the page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import simulation as sim
from dashboard.simulation import money as money_
from dashboard.ui import simulator as page
from dashboard.ui.text import md


def money(by: dict, year: int, years: list[int], services: dict[str, str]) -> None:
    """Medians of spend, savings and the costs of change, per setting and per service."""
    st.subheader("Money")
    st.caption(
        f"Medians over the runs, with the 10–90% band. All £ figures are {money_.LABEL}; they "
        "cover only the area-services with a known value (not Universal Credit, Scotland or "
        "Northern Ireland, whose figures are unknown)."
    )
    st.dataframe(page.money_table(by, year, years[1]), width="stretch")
    with st.expander("By service"):
        st.dataframe(page.money_by_service(by, year, services), hide_index=True, width="stretch")
        st.caption(
            "Universal Credit has no sourced value, so it is not in these sums; see "
            "data/simulation/README.md."
        )


def flip_first(
    by: dict,
    results: dict,
    market,
    year: int,
    years: list[int],
    services: dict[str, str],
    names: dict[str, str],
) -> None:
    """Every area-service: when it first changes hands, how often it changed and failed, and
    its money; the per-area and tender CSVs."""
    st.subheader("Which areas flip first")
    risk_label = st.radio(
        "Setting",
        list(by),
        horizontal=True,
        key="sim_risk_setting",
        format_func="Setting {}".format,
    )
    never = "—"
    risk = by[risk_label]["per_area"].assign(
        area=lambda t: t["area_code"].map(names),
        service=lambda t: t["service_id"].map(services),
        changed_by=sim.changed_by(by[risk_label]["first"], year),
    )
    for column in ("first_change_year", "first_change_year_p10", "first_change_year_p90"):
        risk[column] = risk[column].astype("string").fillna(never)
    st.dataframe(
        risk[
            [
                "area",
                "area_code",
                "service",
                "first_change_year",
                "first_change_year_p10",
                "first_change_year_p90",
                "changed_by",
                "share_of_runs_failed",
                "annual_value_gbp",
                "spend_at_end_gbp",
            ]
        ],
        hide_index=True,
        width="stretch",
        height=320,
        column_config={
            "area": "Area",
            "area_code": "Code",
            "service": "Service",
            "first_change_year": st.column_config.TextColumn(
                "First change (median)",
                help=f"The median year it first leaves its original holder; {never}: not within "
                "the horizon in more than half the runs",
            ),
            "first_change_year_p10": st.column_config.TextColumn("10%"),
            "first_change_year_p90": st.column_config.TextColumn("90%"),
            "changed_by": st.column_config.ProgressColumn(
                f"Changed by {year}", format="percent", min_value=0.0, max_value=1.0
            ),
            "share_of_runs_failed": st.column_config.ProgressColumn(
                "Failed", format="percent", min_value=0.0, max_value=1.0
            ),
            "annual_value_gbp": st.column_config.NumberColumn(
                "Value today (£)", format="localized", help=money_.LABEL
            ),
            "spend_at_end_gbp": st.column_config.NumberColumn(
                f"Cost in {years[-1]} (£, median)", format="localized", help=money_.LABEL
            ),
        },
    )
    per_area_csv = by[risk_label]["per_area"]
    chosen_run = by[risk_label]
    example_seed = sim.seeds_for(results["seed"], results["runs"])[chosen_run["example"]]
    downloads = st.columns(2)
    downloads[0].download_button(
        "Download every area-service (CSV)",
        lambda: per_area_csv.to_csv(index=False),
        f"centrifuge-per-area-setting-{risk_label.lower()}.csv",
        "text/csv",
        width="stretch",
    )
    downloads[1].download_button(
        "Download every tender of the example run (CSV)",
        lambda: sim.tender_log(chosen_run["settings"], market, example_seed).to_csv(index=False),
        f"centrifuge-tenders-setting-{risk_label.lower()}.csv",
        "text/csv",
        width="stretch",
        help="Year, lot, areas, services, value in £ (indicative), bids, winner, kind of winner, "
        "price (share of today's cost) and why it was let: the first round, term end, failure, "
        "re-let after the state stepped in, direct award or recall.",
    )


def against_history(by: dict) -> None:
    """A preset's targets beside the model's figures, per setting."""
    checked = {label: r["history"] for label, r in by.items() if r.get("history")}
    if checked:
        st.subheader("Against history")
        for label, found in checked.items():
            st.markdown(
                f"**Setting {label}**: {sum(r.passed for r in found)} of {len(found)} "
                "of the history's figures reproduced."
            )
            st.dataframe(
                pd.DataFrame(
                    {
                        "Target": [r.name for r in found],
                        "History": [r.band_text for r in found],
                        "Model: median (10–90%)": [
                            f"{r.median:.3f} ({r.p10:.3f} to {r.p90:.3f})" for r in found
                        ],
                        "Reproduced": ["yes" if r.passed else "no" for r in found],
                        "Source": [r.source for r in found],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        st.caption(
            "The history's bands come from scenarios/history/ (see docs/simulation.md, section 8); "
            "`centrifuge calibrate` checks them with 20 runs each. With fewer runs, or other "
            "settings, the model's figures move."
        )


def sweep(by: dict, results: dict, market) -> None:
    """A grid of Setting A's settings: the phase diagram of one figure in one year."""
    st.subheader("Sweep: the phase diagram")
    st.caption(
        "Run Setting A again over a grid of one or two of its settings, over the same areas and "
        "services, and see one figure in one year across the grid. Each cell is the median of its "
        "runs; hover for the 10–90% band. From the command line, `centrifuge sweep` does the same "
        "on local processes or a Dask cluster."
    )
    with st.form("sweep"):
        cols = st.columns(2)
        first = cols[0].selectbox(
            "First setting", list(page.NAMES), format_func=page.NAMES.get, key="sweep_first"
        )
        first_values = cols[0].text_input("Its values", "2,3,5,7,10", key="sweep_first_values")
        second = cols[1].selectbox(
            "Second setting (optional)",
            ["", *page.NAMES],
            index=2,
            format_func=lambda n: page.NAMES.get(n, "None"),
            key="sweep_second",
        )
        second_values = cols[1].text_input(
            "Its values", "0.05,0.1,0.2,0.3", key="sweep_second_values"
        )
        sweep_runs = st.number_input("Runs per cell", 1, 20, 3, key="sweep_runs")
        swept = st.form_submit_button("Run the sweep")
    if swept:
        from dashboard.simulation import sweep as sweeps

        try:
            grid = {first: sweeps.parse(first, first_values)}
            if second and second != first:
                grid[second] = sweeps.parse(second, second_values)
            total = len(sweeps.grid(grid)) * int(sweep_runs)
            if total > 400:
                raise sim.SettingsError(
                    f"this sweep asks for {total} runs; the page runs at most 400 (use "
                    "`centrifuge sweep` for more)"
                )
        except sim.SettingsError as exc:
            st.error(f"The sweep could not run: {md(exc)}.")
        else:
            bar = st.progress(0.0, text="Sweeping…")
            table = sweeps.sweep(
                by["A"]["settings"],
                market,
                grid,
                results["seed"],
                int(sweep_runs),
                progress=lambda done, total: bar.progress(done / total, f"Run {done} of {total}"),
            )
            bar.empty()
            st.session_state["sim_sweep"] = {"table": table, "grid": list(grid), "runs": sweep_runs}
    done_sweep = st.session_state.get("sim_sweep")
    if done_sweep:
        from dashboard.simulation import sweep as sweeps

        names = done_sweep["grid"]
        cols = st.columns(2)
        figure = cols[0].selectbox(
            "Figure",
            [m for m, *_ in page.CHARTS],
            format_func=lambda m: next(t for n, t, *_ in page.CHARTS if n == m),
            key="sweep_figure",
        )
        swept_years = sorted(set(done_sweep["table"]["year"]))[1:]
        sweep_year = cols[1].selectbox(
            "In year", swept_years, index=min(11, len(swept_years) - 1), key="sweep_year"
        )
        frame = sweeps.at_year(done_sweep["table"], sweep_year, figure)
        st.altair_chart(
            page.phase_chart(frame, names[0], names[1] if len(names) > 1 else None, figure),
            width="stretch",
        )
        st.caption(
            f"In {sweep_year}; each cell the median of {done_sweep['runs']} runs of Setting A "
            "with the other settings as they are."
        )
        sweep_csv = done_sweep["table"]
        st.download_button(
            "Download the sweep (CSV)",
            lambda: sweep_csv.to_csv(index=False),
            "centrifuge-sweep.csv",
            "text/csv",
        )
