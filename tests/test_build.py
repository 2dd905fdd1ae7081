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


def test_the_committed_boundaries_are_exactly_what_the_build_makes(tmp_path):
    frame, _report = boundaries.build()
    full = tmp_path / "full.geojson"
    display = tmp_path / "display.geojson"
    boundaries.write_geojson(frame, full, boundaries.FULL_DECIMALS)
    boundaries.write_geojson(
        boundaries.simplify_for_display(frame), display, boundaries.DISPLAY_DECIMALS
    )
    assert _digest(full) == _digest(paths.FULL_BOUNDARIES), "run `make boundaries` and commit"
    assert _digest(display) == _digest(paths.DISPLAY_BOUNDARIES), "run `make boundaries`"
