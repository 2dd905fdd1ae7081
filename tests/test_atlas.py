"""The atlas as pure functions: a 3×3 grid of made-up authorities, then the real baseline."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import box

from dashboard import atlas, franchises, holdings, lads, paths
from tests.test_franchises import write_folder

TODAY = date(2026, 1, 15)
# Codes by position: row r, column c of a 3×3 grid (E0999990 + 1..9).
CODES = [f"E099999{n:02d}" for n in range(1, 10)]
# Police: the left column is West, the rest East; fire: one authority for all but the centre.
POLICE = {code: ("police-west" if i % 3 == 0 else "police-east") for i, code in enumerate(CODES)}
FIRE = {code: ("fire-centre" if i == 4 else "fire-grid") for i, code in enumerate(CODES)}


@pytest.fixture
def grid(tmp_path):
    rows = ["area_code,service_id,holder_id,accountable_to,since,until,source,checked"]
    for code in CODES:
        rows.append(f"{code},police,{POLICE[code]},PCC,,,Police Act 1996,2026-01-01")
        rows.append(f"{code},fire,{FIRE[code]},FRA,,,FRSA 2004,2026-01-01")
    files = {
        "services.csv": "id,name,family,risk,description\n"
        "police,Police,blue_light,high,\nfire,Fire and rescue,blue_light,high,\n",
        "organisations.csv": "id,name,kind,website,notes\n"
        "police-west,West Police,police,,\npolice-east,East Police,police,,\n"
        "fire-grid,Grid Fire,fire,,\nfire-centre,=Centre Fire,local_authority,,\n",
        "holdings.csv": "\n".join(rows) + "\n",
        "packages.csv": "package_id,name,service_id\nblue,Blue,police\nblue,Blue,fire\n",
    }
    baseline = franchises.load(write_folder(tmp_path / "grid", files), CODES, TODAY)
    frame = gpd.GeoDataFrame(
        {
            "code": CODES,
            "name": [f"Area {n}" for n in range(1, 10)],
            "country": "England",
            "region": ["North"] * 3 + ["Middle"] * 3 + ["South"] * 3,
            "upper_tier_name": ["Shire"] * 9,
        },
        geometry=[box(c, -r, c + 1, -r + 1) for r in range(3) for c in range(3)],
        crs=27700,
    )
    areas = pd.DataFrame(frame.drop(columns="geometry"))
    return baseline, frame, areas


def test_a_service_view_colours_each_area_by_its_holder(grid):
    baseline, _, areas = grid
    view = atlas.area_colours(baseline, areas, atlas.View("service", "police"), None, TODAY)
    assert dict(zip(view["code"], view["label"], strict=True)) == {
        code: "West Police" if holder == "police-west" else "East Police"
        for code, holder in POLICE.items()
    }
    legend = atlas.legend(view)
    assert legend[["label", "areas"]].values.tolist() == [["East Police", 6], ["West Police", 3]]


def test_the_legend_sums_population_per_holder_and_counts_the_areas_without_a_figure(grid):
    baseline, _, areas = grid
    # West's three areas all have figures; East has figures for two of its six areas.
    people = {CODES[0]: 100, CODES[3]: 200, CODES[6]: 300, CODES[1]: 1000, CODES[2]: 2000}
    areas = areas.assign(population=areas["code"].map(people).astype("Int64"))
    view = atlas.area_colours(baseline, areas, atlas.View("service", "police"), None, TODAY)
    legend = atlas.legend(view).set_index("label")
    assert legend.loc["West Police", "population"] == 600
    assert legend.loc["West Police", "people"] == "600"
    assert legend.loc["East Police", "population"] == 3000
    assert legend.loc["East Police", "population_unknown"] == 4
    assert legend.loc["East Police", "people"] == "3,000 + 4 areas unknown"


def test_neighbouring_holders_never_share_a_colour(grid):
    baseline, frame, areas = grid
    touching = atlas.adjacency(frame)
    assert touching["E09999905"] == set(CODES) - {"E09999905"}  # the centre touches all
    view = atlas.area_colours(baseline, areas, atlas.View("service", "fire"), touching, TODAY)
    colour = dict(zip(view["code"], view["colour"], strict=True))
    assert colour["E09999905"] != colour["E09999901"]
    assert len(set(colour.values())) == 2


def test_a_package_shows_the_combination_of_holders(grid):
    baseline, _, areas = grid
    view = atlas.area_colours(baseline, areas, atlas.View("package", "blue"), None, TODAY)
    labels = dict(zip(view["code"], view["label"], strict=True))
    assert labels["E09999905"] == "East Police + =Centre Fire"
    assert labels["E09999901"] == "West Police + Grid Fire"
    assert len(atlas.legend(view)) == 3


def test_colouring_by_kind_uses_one_colour_per_kind(grid):
    baseline, _, areas = grid
    view = atlas.area_colours(baseline, areas, atlas.View("service", "fire", "kind"), None, TODAY)
    assert set(view["label"]) == {"Fire and rescue", "Local authority"}
    assert set(view["colour"]) == {
        atlas.KIND_COLOURS["fire"],
        atlas.KIND_COLOURS["local_authority"],
    }


def test_areas_the_data_does_not_cover_are_grey_and_say_so(grid):
    baseline, _, areas = grid
    extra = pd.concat([areas, pd.DataFrame([{"code": "E09999999", "name": "Elsewhere"}])])
    view = atlas.area_colours(baseline, extra, atlas.View("service", "police"), None, TODAY)
    row = view.set_index("code").loc["E09999999"]
    assert (row["label"], row["colour"]) == ("No data", atlas.NO_DATA)


def test_an_unknown_view_is_refused_by_name(grid):
    baseline, _, areas = grid
    with pytest.raises(atlas.UnknownView, match="no package 'orange'"):
        atlas.area_colours(baseline, areas, atlas.View("package", "orange"), None, TODAY)


def test_fragmentation_counts_distinct_organisations_per_area(grid):
    baseline, _, _ = grid
    spread = atlas.fragmentation(baseline, TODAY)
    assert spread.to_dict() == {code: 2 for code in CODES}


def test_an_organisation_footprint_lists_what_it_holds(grid):
    baseline, _, _ = grid
    west = atlas.footprint(baseline, "police-west", TODAY)
    assert sorted(west["area_code"]) == ["E09999901", "E09999904", "E09999907"]
    assert set(west["service_id"]) == {"police"}


def test_outlines_dissolve_areas_into_larger_geographies(grid):
    baseline, frame, areas = grid
    regions = atlas.outline_frame(frame, baseline, areas, "region")
    assert sorted(regions["group"]) == ["Middle", "North", "South"]
    assert regions.area.round(6).tolist() == [3.0, 3.0, 3.0]


def test_csv_export_neutralises_formulas_and_keeps_the_text(grid):
    baseline, _, areas = grid
    table = atlas.export_table(baseline, areas, atlas.View("service", "fire"))
    data = atlas.to_csv(table).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    centre = next(r for r in rows if r["area_code"] == "E09999905")
    assert centre["holder"] == "'=Centre Fire"
    assert len(rows) == 9


@given(st.text(max_size=30))
def test_no_csv_cell_starts_with_a_formula_character(text):
    cell = atlas.safe_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.endswith(text)


def test_geojson_export_carries_each_service_holder_and_source(grid):
    baseline, frame, areas = grid
    doc = json.loads(atlas.to_geojson(frame, baseline, areas, atlas.View("package", "blue")))
    assert len(doc["features"]) == 9
    first = doc["features"][0]["properties"]
    assert first["police"] == "West Police" and first["fire"] == "Grid Fire"
    assert first["police_source"] == "Police Act 1996"
    assert doc["view"] == {"kind": "package", "id": "blue"}


def test_on_the_real_map_no_two_neighbouring_police_forces_look_alike():
    from dashboard import boundaries

    baseline = holdings.load(paths.FRANCHISES_DIR)
    frame = boundaries.load(paths.DISPLAY_BOUNDARIES)
    touching = atlas.adjacency(frame)
    view = atlas.area_colours(baseline, lads.lad_table(), atlas.View("service", "police"), touching)
    key = dict(zip(view["code"], view["key"], strict=True))
    colour = dict(zip(view["code"], view["colour"], strict=True))
    clashes = [
        (a, b)
        for a, ns in touching.items()
        for b in ns
        if key[a] != key[b] and colour[a] == colour[b]
    ]
    assert clashes == []
    assert len(atlas.legend(view)) == 45


def _contrast(colour: str, other: str = "#ffffff") -> float:
    def luminance(hexa: str) -> float:
        channels = [int(hexa.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(colour), luminance(other)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_swatch_stands_out_from_white_at_least_three_to_one():
    for colour in [*atlas.PALETTE, *atlas.KIND_COLOURS.values(), *atlas.MIXTURE_COLOURS]:
        assert _contrast(colour) >= 3.0, colour


@pytest.mark.parametrize("kind", ["service", "package"])
def test_neighbouring_holders_never_share_a_colour_in_any_view(kind):
    from dashboard import areas, boundaries, holdings

    baseline, table = holdings.load(), areas.area_table()
    touching = atlas.adjacency(boundaries.load())
    for ident in atlas.choices(baseline)[kind]:
        frame = atlas.area_colours(baseline, table, atlas.View(kind, ident), touching)
        key = dict(zip(frame["code"], frame["key"], strict=True))
        colour = dict(zip(frame["code"], frame["colour"], strict=True))
        assert set(colour.values()) <= {*atlas.PALETTE, atlas.NO_DATA}
        for code, others in touching.items():
            for other in others:
                if key.get(code) and key.get(other) and key[code] != key[other]:
                    assert colour[code] != colour[other], (ident, code, other)


def test_smallest_last_colouring_needs_no_more_than_six_colours_on_a_planar_graph():
    # A wheel of 7 around a hub, and a triangulated grid: both planar.
    wheel = {"hub": {f"r{i}" for i in range(7)}}
    for i in range(7):
        wheel[f"r{i}"] = {"hub", f"r{(i + 1) % 7}", f"r{(i - 1) % 7}"}
    order = atlas.smallest_last(wheel)
    assert sorted(order) == sorted(wheel)
    frame = pd.DataFrame({"code": list(wheel), "key": list(wheel)})
    colours = atlas.colours_for(frame, "holder", wheel)
    assert len(set(colours.values())) <= 4
    assert all(colours[a] != colours[b] for a, ns in wheel.items() for b in ns)
