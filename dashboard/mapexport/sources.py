"""What an exported map is drawn from: boundaries, areas, the baseline, and the lines that
credit them. The app passes what it has cached; the command line loads from disk."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import pandas as pd

from dashboard import areas, atlas, boundaries, focus, holdings, paths, population
from dashboard.franchises import Baseline

#: Drawing coordinates: British National Grid, in metres.
METRIC_CRS = 27700

#: The attribution the ONS Postcode Directory's licence requires (data/boundaries/README.md).
ONSPD_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2025. Contains Royal Mail data "
    "© Royal Mail copyright and database right 2025. Contains GeoPlace data © Local Government "
    "Information House Limited copyright and database right 2025. Contains LPS Intellectual "
    "Property © Crown copyright and database right 2025."
)

#: The small-area boundaries' attributions (data/boundaries/README.md).
SMALL_AREAS_ATTRIBUTION = (
    "Contains National Statistics data © Crown copyright and database right 2011 (LSOA "
    "boundaries). NISRA Small Areas: Source: NISRA, licensed under the Open Government Licence "
    "v3.0."
)


@dataclass(frozen=True, eq=False)
class Sources:
    """Inputs of a map. ``frame``: display boundaries (simplified, any CRS) with a ``code``
    column; ``areas``: the area table; the rest is derived when not given. Treat every frame
    as read-only: they may be the app's shared cache."""

    frame: gpd.GeoDataFrame
    baseline: Baseline
    areas: pd.DataFrame
    adjacency: Mapping[str, set[str]] | None = None
    projected_frame: gpd.GeoDataFrame | None = None  # ``frame`` in EPSG:27700, if at hand
    groups: pd.DataFrame | None = None  # focus.groups(baseline, areas), if at hand
    own_boundaries: bool = True
    boundaries_label: str = f"{paths.VINTAGE}, {boundaries.METHOD}"
    data_label: str = "the Centrifuge baseline (data/franchises)"

    @classmethod
    def load(cls) -> Sources:
        """Everything from disk, as the app loads it (``CENTRIFUGE_BOUNDARIES`` and
        ``CENTRIFUGE_DATA`` respected). Raises BoundaryFileError or DataError."""
        own = paths.using_own_boundaries()
        if own:
            frame = boundaries.load(paths.DISPLAY_BOUNDARIES)
            table = areas.area_table()
            label = f"{paths.VINTAGE}, {boundaries.METHOD}"
        else:
            full = boundaries.load(paths.boundaries_path())
            frame = boundaries.simplify_for_display(full)
            table = areas.area_table(full)
            label = f"{os.path.basename(paths.boundaries_path())} (set by CENTRIFUGE_BOUNDARIES)"
        data = (
            f"{paths.franchises_dir()} (set by CENTRIFUGE_DATA)"
            if "CENTRIFUGE_DATA" in os.environ
            else "the Centrifuge baseline (data/franchises)"
        )
        return cls(
            frame=frame,
            baseline=holdings.load(),
            areas=table,
            own_boundaries=own,
            boundaries_label=label,
            data_label=data,
        )

    @cached_property
    def metric(self) -> gpd.GeoDataFrame:
        """code and geometry in British National Grid, in the frame's order."""
        given = self.projected_frame
        if given is not None and given.crs is not None and given.crs.to_epsg() == METRIC_CRS:
            return given[["code", "geometry"]]
        return self.frame[["code", "geometry"]].to_crs(METRIC_CRS)

    @cached_property
    def touching(self) -> Mapping[str, set[str]]:
        return self.adjacency if self.adjacency is not None else atlas.adjacency(self.frame)

    @cached_property
    def grouped(self) -> pd.DataFrame:
        if self.groups is not None:
            return self.groups
        table = self.areas if "population" in self.areas else population.attach(self.areas)
        return focus.groups(self.baseline, table)

    def credits(self) -> list[str]:
        """The footer: where the boundaries, the holdings and the population come from."""
        if self.own_boundaries:
            shapes = (
                f"Boundaries: {self.boundaries_label}, by Centrifuge's own code and simplified "
                f"for display. {ONSPD_ATTRIBUTION} {SMALL_AREAS_ATTRIBUTION}"
            )
        else:
            shapes = f"Boundaries: {self.boundaries_label}, simplified for display."
        checked = self.baseline.holdings["checked"]
        checked = checked[checked != ""]
        when = f", checked {checked.max()}" if len(checked) else ""
        held = (
            f"Who runs what: {self.data_label}{when}. Each holding cites its own source "
            "(legislation, the ONS lookup or the body's own statement): see "
            "data/franchises/README.md."
        )
        people = f"Population: {population.LABEL} (Open Government Licence v3.0)."
        return [shapes, held, people]
