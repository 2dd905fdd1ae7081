"""Where Centrifuge's data lives, with the environment overrides users may set."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
BOUNDARIES_DIR = DATA / "boundaries"
FRANCHISES_DIR = DATA / "franchises"
STATIC_DIR = ROOT / "static"

#: Vintage of the LAD codes we build: the ONS Postcode Directory of November 2025 uses LAD 2025.
VINTAGE = "LAD 2025"
FULL_BOUNDARIES = BOUNDARIES_DIR / "lad_2025.geojson"
DISPLAY_BOUNDARIES = BOUNDARIES_DIR / "lad_2025_display.geojson"
LAD_TABLE = BOUNDARIES_DIR / "lads.csv"
POPULATION = BOUNDARIES_DIR / "population.csv"


def boundaries_path() -> Path:
    """The boundary file to analyse: ``CENTRIFUGE_BOUNDARIES`` if set, else ours."""
    override = os.environ.get("CENTRIFUGE_BOUNDARIES")
    return Path(override) if override else FULL_BOUNDARIES


def using_own_boundaries() -> bool:
    return "CENTRIFUGE_BOUNDARIES" not in os.environ


def franchises_dir() -> Path:
    """The franchise data folder: ``CENTRIFUGE_DATA`` if set, else the shipped baseline."""
    override = os.environ.get("CENTRIFUGE_DATA")
    return Path(override) if override else FRANCHISES_DIR
