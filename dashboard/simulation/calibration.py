"""History as tests: the calibration scenarios of ``scenarios/history/`` and the patterns every
run should show, each checked over the median of many seeds.

A scenario file is a settings file plus ``[[targets]]``: a figure at a ``year`` (or its mean over
``years = [from, to]``), optionally minus the same figure at ``compare_year`` /
``compare_years``, whose median over the seeds must fall inside ``band``. No target has a rule
of its own: every scenario runs the same engine with its own settings.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dashboard import paths
from dashboard.simulation.market import Market
from dashboard.simulation.runs import many
from dashboard.simulation.settings import Settings, from_toml

HISTORY = paths.ROOT / "scenarios" / "history"
SEEDS = 20


@dataclass(frozen=True)
class Result:
    """One target: the band, and the model's median with its 10–90% band over the seeds."""

    scenario: str
    name: str
    band: tuple[float, float]
    median: float
    p10: float
    p90: float
    seeds: int
    source: str = ""

    @property
    def passed(self) -> bool:
        return self.band[0] - 1e-12 <= self.median <= self.band[1] + 1e-12

    @property
    def band_text(self) -> str:
        low, high = self.band
        if low == -np.inf:
            return f"at most {_fmt(high)}"
        if high == np.inf:
            return f"at least {_fmt(low)}"
        return f"{_fmt(low)}" if low == high else f"{_fmt(low)} to {_fmt(high)}"

    def line(self) -> str:
        mark = "pass" if self.passed else "FAIL"
        return (
            f"{mark}  {self.scenario}: {self.name}: model {_fmt(self.median)} "
            f"(10-90% {_fmt(self.p10)} to {_fmt(self.p90)}, {self.seeds} seeds); "
            f"target {self.band_text}"
        )


def _fmt(x: float) -> str:
    return f"{x:.3f}" if abs(x) < 100 else f"{x:,.0f}"


def band_of(target: dict) -> tuple[float, float]:
    """A target's band: ``band = [low, high]``, ``at_most = x`` or ``at_least = x``."""
    if "band" in target:
        return float(target["band"][0]), float(target["band"][1])
    return float(target.get("at_least", -np.inf)), float(target.get("at_most", np.inf))


def _figure(rows: list[dict], name: str, year=None, years=None) -> float:
    if year is not None:
        value = rows[year][name]
        return float("nan") if value is None else float(value)
    values = [rows[y][name] for y in range(years[0], years[1] + 1) if rows[y][name] is not None]
    return float(np.mean(values)) if values else float("nan")


def evaluate(target: dict, runs: list[list[dict]]) -> np.ndarray:
    """The target's figure in each run."""
    figure = target["figure"]
    out = []
    for rows in runs:
        value = _figure(rows, figure, target.get("year"), target.get("years"))
        if "compare_year" in target or "compare_years" in target:
            value -= _figure(rows, figure, target.get("compare_year"), target.get("compare_years"))
        out.append(value)
    return np.array(out)


def _result(scenario: str, name: str, band, values: np.ndarray, source: str = "") -> Result:
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return Result(scenario, name, tuple(band), float("nan"), float("nan"), float("nan"), 0)
    return Result(
        scenario,
        name,
        (float(band[0]), float(band[1])),
        float(np.median(values)),
        float(np.percentile(values, 10)),
        float(np.percentile(values, 90)),
        len(values),
        source,
    )


def scenario_files() -> list[Path]:
    return sorted(HISTORY.glob("*.toml"))


@dataclass(frozen=True)
class History:
    """A calibration scenario: its settings, its story and sources, and its targets."""

    key: str
    name: str
    stand_in: str
    sources: tuple[str, ...]
    settings: Settings
    targets: tuple[dict, ...]

    @property
    def label(self) -> str:
        return self.name.split(" - ")[0]

    def check(self, runs: list[list[dict]]) -> list[Result]:
        """Each target against these runs' per-year figures."""
        return [
            _result(self.label, t["name"], band_of(t), evaluate(t, runs), t.get("source", ""))
            for t in self.targets
        ]


def history(path: Path) -> History:
    text = path.read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    about = doc.get("about", {})
    return History(
        key=path.stem,
        name=about.get("name", path.stem),
        stand_in=about.get("stand_in", ""),
        sources=tuple(about.get("sources", [])),
        settings=from_toml(text),
        targets=tuple(doc.get("targets", [])),
    )


def histories() -> dict[str, History]:
    """The calibration scenarios by key (the file's name without ``.toml``)."""
    return {h.key: h for h in map(history, scenario_files())}


def run_scenario(
    path: Path, market_for: Callable[[Settings], Market], seeds: int, workers: int
) -> list[Result]:
    scenario = history(path)
    settings = scenario.settings
    return scenario.check(many(settings, market_for(settings), 1, seeds, workers))


def patterns(market: Market, seeds: int, workers: int) -> list[Result]:
    """P1-P6 of HISTORY.md with the default settings (P5 and P6 change one lever at a time)."""
    base = Settings()
    long = many(base, market, 1, seeds, workers)
    round2 = base.term + 1
    out = [
        _result(
            "P1",
            f"bids per tender, year 30 against the end of round 2 (year {round2})",
            (-np.inf, 0),
            evaluate({"figure": "bids_per_tender", "year": 30, "compare_year": round2}, long),
        ),
        _result(
            "P2",
            "owning groups, years 26-30 against years 2-6 (fewer once the market has matured)",
            (-np.inf, 0),
            evaluate({"figure": "owning_groups", "years": [26, 30], "compare_years": [2, 6]}, long),
        ),
        _result(
            "P3",
            "termination hazard with defaults (terminations per franchise-year)",
            (-np.inf, 0.02),
            evaluate({"figure": "failure_rate", "years": [1, 30]}, long),
        ),
        _result(
            "P4",
            "cost index of lots kept in-house, year 10",
            (-np.inf, 0.99),
            evaluate({"figure": "in_house_cost_index", "year": 10}, long),
        ),
    ]
    short = base.replace(years=12, term=3)
    at12 = {"figure": "incumbent_share", "year": 12}
    strict = evaluate(at12, many(short.replace(failure_tolerance=0.05), market, 1, seeds, workers))
    lenient = evaluate(at12, many(short.replace(failure_tolerance=0.3), market, 1, seeds, workers))
    slow = evaluate(at12, many(base.replace(years=12, term=10), market, 1, seeds, workers))
    fast = evaluate(at12, many(short, market, 1, seeds, workers))
    out += [
        _result(
            "P5",
            "year-12 incumbent share at term 3: tolerance 0.05 minus tolerance 0.3",
            (-np.inf, -0.05),
            strict - lenient,
        ),
        _result(
            "P5",
            "year-12 incumbent share at tolerance 0.2: term 3 minus term 10",
            (-np.inf, -0.05),
            fast - slow,
        ),
    ]
    # No challengers: no firms, none entering, and no other public body bidding.
    none = base.replace(years=10, term=2, challengers=0, entry_rate=0, public_reach="own")
    quiet = many(none, market, 1, seeds, workers)
    changed = np.array([max(1 - r["incumbent_share"] for r in rows) for rows in quiet])
    out.append(
        _result("P6", "with no challengers and no entry, share that changes hands", (0, 0), changed)
    )
    return out


def calibrate(
    market_for: Callable[[Settings], Market], seeds: int = SEEDS, workers: int = 1
) -> list[Result]:
    """Every history scenario and pattern; ``market_for(settings)`` builds a scenario's market."""
    results = []
    for path in scenario_files():
        results += run_scenario(path, market_for, seeds, workers)
    results += patterns(market_for(Settings()), seeds, workers)
    return results
