"""Lots as pure functions on a 3×3 grid of made-up authorities, plus an island."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from dashboard import atlas, lots
from dashboard.lots import Assignment, LotError

# Grid codes E09999901..09 by row and column; E09999910 is an island off the right edge.
CODES = [f"E099999{n:02d}" for n in range(1, 11)]
NAMES = {code: f"Area {n}" for n, code in enumerate(CODES, 1)}
NAMES["E09999910"] = "Isle of Test"


@pytest.fixture(scope="module")
def grid():
    shapes = [
        box(c * 1000, -r * 1000, (c + 1) * 1000, (-r + 1) * 1000)
        for r in range(3)
        for c in range(3)
    ]
    shapes.append(box(3500, -700, 4000, -300))  # 500 m off the east coast of area 6
    frame = gpd.GeoDataFrame({"code": CODES}, geometry=shapes, crs=27700)
    graph = lots.links(frame, atlas.adjacency(frame))
    groups = pd.DataFrame(
        {
            "code": CODES,
            "police": ["West"] * 3 + ["East"] * 7,
            "fire": ["All"] * 10,
            "upper_tier": [f"County {i // 3}" for i in range(9)] + ["County 2"],
            "country": ["England"] * 10,
        }
    )
    holders = pd.DataFrame({"area_code": CODES, "holder": [f"Council {i // 2}" for i in range(10)]})
    return frame, graph, groups, holders


def test_an_area_is_never_in_two_lots():
    state = Assignment().add_lot("North").add_lot("South")
    state = state.assign(["E09999901", "E09999902"], "North").assign(["E09999902"], "South")
    assert state.areas_of("North") == ["E09999901"]
    assert state.areas_of("South") == ["E09999902"]


def test_every_edit_returns_a_new_state_and_undo_walks_back():
    start = Assignment().add_lot("North")
    one = start.assign(["E09999901"], "North")
    two = one.toggle("E09999902", "North")
    assert start.areas_of("North") == [] and one.areas_of("North") == ["E09999901"]
    assert lots.undo(two) == one and lots.undo(lots.undo(two)) == start
    assert two.toggle("E09999902", "North").areas_of("North") == ["E09999901"]


def test_a_locked_lot_refuses_changes_by_name():
    state = Assignment().add_lot("North").add_lot("South").assign(["E09999901"], "North")
    state = state.lock("North")
    with pytest.raises(LotError, match="lot 'North' is locked"):
        state.assign(["E09999901"], "South")
    with pytest.raises(LotError, match="lot 'North' is locked"):
        state.assign(["E09999905"], "North")
    assert state.clear().areas_of("North") == ["E09999901"]


def test_rename_recolour_and_bad_names():
    state = Assignment().add_lot("North").assign(["E09999901"], "North")
    state = state.rename("North", "  Upper   North ").recolour("Upper North", "#ABCDEF")
    assert state.areas_of("Upper North") == ["E09999901"]
    assert state.colours["Upper North"] == "#abcdef"
    with pytest.raises(LotError, match="already a lot called"):
        state.add_lot("Upper North")
    with pytest.raises(LotError, match="needs a name"):
        state.add_lot("   ")
    with pytest.raises(LotError, match="not a colour"):
        state.recolour("Upper North", "red")


def test_a_lot_with_a_gap_is_not_contiguous(grid):
    _, graph, _, _ = grid
    state = Assignment().add_lot("Ends").assign(["E09999901", "E09999903"], "Ends")
    rule = lots.contiguity(state, "Ends", graph, NAMES)
    assert not rule.ok
    assert rule.message == "Lot Ends is not contiguous: Area 3 is separate"
    state = state.assign(["E09999902"], "Ends")
    assert lots.contiguity(state, "Ends", graph, NAMES).ok


def test_an_island_joins_the_nearest_area_across_the_water(grid):
    _, graph, _, _ = grid
    assert graph["E09999910"] == {"E09999906"}
    with_link = Assignment().add_lot("East").assign(["E09999906", "E09999910"], "East")
    assert lots.contiguity(with_link, "East", graph, NAMES).ok
    without = Assignment().add_lot("East").assign(["E09999903", "E09999910"], "East")
    rule = lots.contiguity(without, "East", graph, NAMES)
    assert rule.message == "Lot East is not contiguous: Isle of Test is separate"


def test_tallies_count_areas_holders_compactness_and_coterminosity(grid):
    frame, graph, groups, holders = grid
    state = Assignment().add_lot("West").add_lot("Rest")
    state = state.assign(["E09999901", "E09999904", "E09999907"], "West")
    state = state.assign(["E09999902", "E09999905"], "Rest")
    table = lots.tallies(state, frame, groups, holders, graph, NAMES).set_index("lot")
    west = table.loc["West"]
    assert west["areas"] == 3 and west["contiguous"]
    assert pd.isna(west["population"]) and west["population_unknown"] == 3
    assert west["holders_replaced"] == 3  # Councils 0, 1 and 3
    assert west["compactness"] == pytest.approx(4 * 3.14159265 * 3 / 64, rel=1e-6)
    assert (west["police_areas_touched"], west["police_areas_split"]) == (2, 2)
    assert (west["upper_tiers_touched"], west["upper_tiers_split"]) == (3, 3)
    assert (west["nations_touched"], west["nations_split"]) == (1, 1)
    assert lots.unassigned(state, CODES) == [
        "E09999903",
        "E09999906",
        "E09999908",
        "E09999909",
        "E09999910",
    ]


def test_a_lots_population_is_the_sum_of_its_known_figures_with_the_unknown_counted(grid):
    frame, graph, groups, holders = grid
    people = pd.array([1000, 2000, None, 4000, None, 6000, 7000, 8000, 9000, 10], dtype="Int64")
    groups = groups.assign(population=people)
    state = Assignment().add_lot("West").add_lot("Rest").add_lot("Empty")
    state = state.assign(["E09999901", "E09999904", "E09999907"], "West")
    state = state.assign(["E09999903", "E09999905"], "Rest")
    table = lots.tallies(state, frame, groups, holders, graph, NAMES).set_index("lot")
    assert (table.loc["West", "population"], table.loc["West", "population_unknown"]) == (12000, 0)
    assert pd.isna(table.loc["Rest", "population"])
    assert table.loc["Rest", "population_unknown"] == 2
    assert (table.loc["Empty", "population"], table.loc["Empty", "population_unknown"]) == (0, 0)


def test_a_scenario_round_trips_through_its_document_and_bad_ones_are_named():
    state = Assignment().add_lot("North", "#112233").assign(["E09999901"], "North").lock("North")
    again = Assignment.from_dict(state.to_dict(), CODES)
    assert again.to_dict() == state.to_dict()
    doc = {"lots": [{"name": "A", "areas": ["E09999901"]}, {"name": "B", "areas": ["E09999901"]}]}
    with pytest.raises(LotError, match="E09999901 is in both 'A' and 'B'"):
        Assignment.from_dict(doc, CODES)
    with pytest.raises(LotError, match="not a known LAD code"):
        Assignment.from_dict({"lots": [{"name": "A", "areas": ["X1"]}]}, CODES)


def test_a_drawn_shape_takes_the_areas_it_mostly_covers(grid):
    frame, _, _, _ = grid
    # A shape over all of areas 1 and 2 and a quarter of areas 4 and 5.
    shape = gpd.GeoSeries([box(0, -250, 2000, 1000)], crs=27700).to_crs(4326).iloc[0]
    assert lots.covered(frame, shape) == ["E09999901", "E09999902"]
    nothing = gpd.GeoSeries([box(100, 100, 300, 300)], crs=27700).to_crs(4326).iloc[0]
    assert lots.covered(frame, nothing) == []


def test_the_map_reads_a_drawn_polygon_and_a_click_and_ignores_anything_else():
    from dashboard.ui import maps

    triangle = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    drawn = maps.parse_event({"event": "draw", "geometry": triangle, "nonce": "a"})
    assert drawn.kind == "draw" and drawn.shape.area == pytest.approx(0.5)
    assert maps.parse_event({"event": "click", "code": "E09999901"}).code == "E09999901"
    for junk in (
        {"event": "draw", "geometry": {"type": "Point", "coordinates": [0, 0]}},
        {"event": "draw", "geometry": {"type": "Polygon", "coordinates": "x"}},
        {"event": "draw", "geometry": {"type": "Polygon", "coordinates": [[[0, 0]] * 6000]}},
        {"event": "click", "code": ""},
        {"event": "click", "code": 7},
        {"event": "scroll"},
    ):
        assert maps.parse_event(junk) is None, junk


def test_one_lot_per_group_keeps_locked_lots(grid):
    _, _, groups, _ = grid
    held = Assignment().add_lot("Mine").assign(["E09999901"], "Mine").lock("Mine")
    state = lots.one_per_group(held, groups, "police")
    assert state.order == ("Mine", "East", "West")
    assert state.areas_of("Mine") == ["E09999901"]
    assert state.areas_of("West") == ["E09999902", "E09999903"]
    assert len(state.areas_of("East")) == 7
    assert lots.undo(state) == held
