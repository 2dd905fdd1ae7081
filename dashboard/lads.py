"""The curated table of LAD names, countries, regions and upper tiers (data/boundaries/lads.csv)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from dashboard import paths

COUNTRY_BY_PREFIX = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}
COLUMNS = ["code", "name", "country", "region", "upper_tier_code", "upper_tier_name"]


@cache
def lad_table() -> pd.DataFrame:
    """code, name, country, region, upper_tier_code, upper_tier_name for every LAD 2025 code."""
    frame = pd.read_csv(paths.LAD_TABLE, dtype=str, keep_default_na=False)
    return frame[COLUMNS].copy()
