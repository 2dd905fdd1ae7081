"""Users may point CENTRIFUGE_BOUNDARIES at an official ONS LAD boundary file of any vintage."""

import json

import pytest

from dashboard import boundaries, paths


def test_an_ons_file_is_read_with_its_own_vintage(official_file, monkeypatch):
    monkeypatch.setenv("CENTRIFUGE_BOUNDARIES", str(official_file))
    assert paths.boundaries_path() == official_file
    frame = boundaries.load()
    assert list(frame["code"]) == ["E09000001", "E09000020", "E09000033"]
    assert set(frame["vintage"]) == {"LAD 2024"}
    assert set(frame["country"]) == {"England"}
    assert frame.set_index("code").loc["E09000033", "region"] == "London"


def test_a_file_without_lad_columns_is_refused_with_the_reason(tmp_path):
    bad = tmp_path / "wrong.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"foo": 1},
                        "geometry": {"type": "Point", "coordinates": [0, 51]},
                    }
                ],
            }
        )
    )
    with pytest.raises(boundaries.BoundaryFileError, match="no LAD code and name columns"):
        boundaries.load(bad)


@pytest.mark.parametrize("content", ["", "not json at all", '{"type": "Feature'])
def test_a_broken_file_is_refused_not_crashed_on(tmp_path, content):
    bad = tmp_path / "broken.geojson"
    bad.write_text(content)
    with pytest.raises(boundaries.BoundaryFileError):
        boundaries.load(bad)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(boundaries.BoundaryFileError, match="not found"):
        boundaries.load(tmp_path / "nope.geojson")
