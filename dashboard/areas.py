"""Areas (LADs) as the rest of the code sees them: one table, keyed by GSS code."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from dashboard import boundaries, paths, population


def area_table(frame: gpd.GeoDataFrame | None = None, vintage: str | None = None) -> pd.DataFrame:
    """code, name, country, region, upper tier, vintage and population (NA where unknown) of
    every area in use (no geometry): of ``frame``, or of the boundary set ``vintage`` (default
    today's, which ``CENTRIFUGE_BOUNDARIES`` may replace)."""
    if vintage is not None and vintage != paths.VINTAGE:
        from dashboard import lads, vintages

        table = vintages.areas_of(vintage)[list(lads.COLUMNS)].assign(vintage=vintage)
        return population.attach(table)
    if frame is None:
        if paths.using_own_boundaries():
            from dashboard import lads

            table = lads.lad_table().copy()
            table["vintage"] = paths.VINTAGE
            return population.attach(table)
        frame = boundaries.load()
    return population.attach(pd.DataFrame(frame.drop(columns="geometry")))
