"""The boundary build is reproducible: the same inputs give the same bytes."""

from __future__ import annotations

import hashlib

import pandas as pd

from dashboard import boundaries, onspd, paths


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_build_gives_identical_files_twice_on_the_same_postcodes(tmp_path):
    sample = pd.concat([onspd.read_letter("T"), onspd.read_letter("Z")], ignore_index=True)
    digests = []
    for run in range(2):
        frame, report = boundaries.build(sample)
        out = tmp_path / f"run{run}.geojson"
        boundaries.write_geojson(frame, out, boundaries.FULL_DECIMALS)
        digests.append(_digest(out))
    assert digests[0] == digests[1]
    assert report.postcodes_used > 50_000
    # Cornwall, the Isles of Scilly, Shetland
    assert {"E06000052", "E06000053", "S12000027"} <= set(frame["code"])


def test_the_committed_boundaries_are_exactly_what_the_build_makes(rebuilt):
    """``make boundaries`` from its pinned inputs (two wheels, checked by SHA-256) writes the
    committed files byte for byte (the build runs beside the other tests: see conftest)."""
    code, folder, output = rebuilt
    assert code == 0, output[-2000:]
    for name in (
        paths.FULL_BOUNDARIES.name,
        paths.DISPLAY_BOUNDARIES.name,
        boundaries.OTHER_VINTAGES.name,
        boundaries.OTHER_VINTAGES_DISPLAY.name,
        "postcodes_lad2021.csv",
    ):
        assert _digest(folder / name) == _digest(paths.BOUNDARIES_DIR / name), (
            f"{name} differs: run `make boundaries` and commit"
        )
