"""Resident population per area, where a sourced figure exists (data/boundaries/population.csv).

England and Wales have ONS mid-2023 estimates; Scotland and Northern Ireland are unknown in this
release. Unknown is NA, never zero: sums say how many areas they leave out.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from dashboard import paths

#: How the figures are labelled wherever they are shown.
LABEL = "ONS mid-2023 estimates; England and Wales only, Scotland and Northern Ireland unknown"


@cache
def by_code() -> pd.Series:
    """Area code -> population (nullable integer; NA where no figure is sourced)."""
    frame = pd.read_csv(paths.POPULATION, dtype={"code": str, "population": "Int64"})
    return frame.set_index("code")["population"]


def attach(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (with a ``code`` column) plus a ``population`` column; codes without a figure,
    including codes from another boundary vintage, get NA."""
    return table.assign(population=table["code"].map(by_code()).astype("Int64"))


def total(values: pd.Series) -> tuple[int | None, int]:
    """The sum of the known figures (None when none is known, 0 for no areas at all) and how
    many are unknown."""
    if len(values) == 0:
        return 0, 0
    known = values.dropna()
    return (int(known.sum()) if len(known) else None), int(values.isna().sum())


def describe(values: pd.Series) -> str:
    """'1,234,567', '1,234,567 + 3 areas unknown' or 'unknown', for a set of areas."""
    return words(*total(values))


def words(people: int | None, unknown: int) -> str:
    """A known sum and a count of areas without a figure, as :func:`describe` says them."""
    if people is None or pd.isna(people):
        return "unknown"
    if unknown:
        return f"{int(people):,} + {unknown} area{'s' if unknown > 1 else ''} unknown"
    return f"{int(people):,}"
