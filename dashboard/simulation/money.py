"""Money: an indicative annual value in £ for every area-service, and the costs of changing hands.

An area-service's indicative value is its residents × the national spend per resident on that
service, from the published national totals in ``data/simulation/service_spend.csv`` (each row
cites its source, year and geography). It is a model figure, not a council's real budget: a
planner can supply their own (``area_code,service_id,annual_value_gbp``). Where the population
or the national figure is unknown, the value is unknown (NaN) and every £ figure says so.
"""

from __future__ import annotations

import csv
import io
import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import paths, population

SPEND = paths.ROOT / "data" / "simulation" / "service_spend.csv"
#: Label shown beside every £ figure.
LABEL = (
    "indicative: residents × national spend per resident (data/simulation/service_spend.csv); "
    "not any council's budget"
)
MAX_VALUES_BYTES = 5_000_000


class ValuesError(ValueError):
    """A values file that cannot be used; the message names the line and the problem."""


@cache
def national_spend() -> pd.DataFrame:
    """service_id, spend_gbp (NaN if not sourced), financial_year, geography, source, url,
    residents (the geography's population from our population table) and per_resident."""
    frame = pd.read_csv(SPEND, dtype=str, keep_default_na=False)
    frame["spend_gbp"] = pd.to_numeric(frame["spend_gbp"], errors="coerce")
    people = population.by_code()
    england = float(people[people.index.str.startswith("E")].sum())
    wales = float(people[people.index.str.startswith("W")].sum())
    residents = {"England": england, "England and Wales": england + wales}
    frame["residents"] = frame["geography"].map(residents)
    frame["per_resident"] = frame["spend_gbp"] / frame["residents"]
    return frame


def per_resident() -> dict[str, float]:
    """service id -> £ per resident a year (NaN where no national figure could be sourced, or
    its geography's population is not known)."""
    frame = national_spend()
    return {s: float(v) for s, v in zip(frame["service_id"], frame["per_resident"], strict=True)}


def cell_values(
    table: pd.DataFrame, residents: np.ndarray, values: pd.DataFrame | None = None
) -> tuple[np.ndarray, str]:
    """Per row of ``table`` (area_code, service_id): indicative annual £, and where it came from.
    ``values`` (area_code, service_id, annual_value_gbp) overrides the rows it names."""
    rate = table["service_id"].map(per_resident()).astype(float).to_numpy()
    out = residents * rate
    source = "indicative (national spend per resident)"
    if values is not None and len(values):
        given = values.set_index(["area_code", "service_id"])["annual_value_gbp"]
        keys = pd.MultiIndex.from_arrays([table["area_code"], table["service_id"]])
        supplied = given.reindex(keys).to_numpy(dtype=float)
        out = np.where(np.isnan(supplied), out, supplied)
        source = f"the planner's values for {int((~np.isnan(supplied)).sum())} area-services"
        if np.isnan(supplied).any():
            source += ", indicative for the rest"
    return out, source


def weights(value: np.ndarray, service: np.ndarray) -> np.ndarray:
    """The value each cell carries in the dynamics: its £ value where known, else the median
    known value of its service, else of all services, else 1 (never reported as £)."""
    out = value.astype(float).copy()
    known = ~np.isnan(out)
    fallback = float(np.median(out[known])) if known.any() else 1.0
    for s in np.unique(service):
        here = service == s
        pool = out[here & known]
        out[here & ~known] = float(np.median(pool)) if len(pool) else fallback
    return np.maximum(out, 1e-9)


def read_values(data: bytes, known_areas, known_services, name: str = "values") -> pd.DataFrame:
    """A planner's CSV of ``area_code,service_id,annual_value_gbp``; ValuesError naming the
    line of the first problems (all of them, up to ten)."""
    if len(data) > MAX_VALUES_BYTES:
        raise ValuesError(f"{name} is larger than {MAX_VALUES_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValuesError(f"{name} is not UTF-8 text") from None
    if not text.strip():
        raise ValuesError(f"{name} is empty")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    wanted = ["area_code", "service_id", "annual_value_gbp"]
    if header[:3] != wanted:
        raise ValuesError(f"{name}: line 1 must be the header {','.join(wanted)}")
    areas, services = set(known_areas), set(known_services)
    rows, problems, seen = [], [], set()
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) < 3:
            problems.append(f"line {line}: expected 3 columns, found {len(record)}")
            continue
        area, service, amount = (cell.strip() for cell in record[:3])
        if area not in areas:
            problems.append(f"line {line}: area code '{area[:20]}' is not a known area")
        elif service not in services:
            problems.append(f"line {line}: service '{service[:30]}' is not a known service")
        elif (area, service) in seen:
            problems.append(f"line {line}: {area} {service} is given twice")
        else:
            try:
                pounds = float(amount)
            except ValueError:
                pounds = math.nan
            if not math.isfinite(pounds) or pounds < 0:
                problems.append(f"line {line}: annual_value_gbp '{amount[:20]}' is not £0 or more")
            else:
                seen.add((area, service))
                rows.append((area, service, pounds))
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise ValuesError(f"{name}: " + "; ".join(problems[:10]) + more)
    if not rows:
        raise ValuesError(f"{name} has a header but no rows")
    return pd.DataFrame(rows, columns=wanted)


def read_values_file(path, known_areas, known_services) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise ValuesError(f"{path} is not a file")
    return read_values(path.read_bytes(), known_areas, known_services, str(path))
