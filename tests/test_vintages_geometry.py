"""Every vintage's boundaries (LAD 2019 to LAD 2027) are drawn from the same pieces.

Sources: the changes of areas in data/boundaries/area_changes.csv (structural change orders on
legislation.gov.uk); the only boundary change between vintages is The Barnsley and Sheffield
(Boundary Change) Order 2024 (SI 2024/1328), which moved E08000016/E08000019 to E08000038/39.
"""

from __future__ import annotations

import pytest
import shapely

from dashboard import boundaries, landmask, vintages

NAMES = [v.name for v in vintages.VINTAGES]
CHANGED = {"E08000016", "E08000019", "E08000038", "E08000039"}


@pytest.fixture(scope="module", params=[False, True], ids=["full", "display"])
def drawn(request):
    return {name: boundaries.load_vintage(name, display=request.param) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_every_area_of_the_vintage_is_drawn_once_validly(name, drawn):
    frame = drawn[name]
    assert list(frame["code"]) == sorted(vintages.areas_of(name)["code"])
    assert set(frame["vintage"]) == {name}
    assert frame.geometry.is_valid.all() and (~frame.geometry.is_empty).all()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}


@pytest.mark.parametrize("name", NAMES)
def test_no_vintage_has_overlaps_or_gaps(name, drawn):
    frame = drawn[name]
    is_ni = frame["code"].str.startswith("N")
    for part, crs in ((frame[~is_ni], landmask.GB_CRS), (frame[is_ni], landmask.NI_CRS)):
        geoms = part.to_crs(crs).geometry.values
        union = shapely.union_all(geoms)
        overlap = sum(g.area for g in geoms) - union.area
        assert overlap < 1e-6 * union.area, f"{overlap:.0f} m² of overlap"
        # Gaps narrower than 5 m between neighbours (a wide hole is a lake or an estuary).
        assert shapely.coverage_is_valid(shapely.set_precision(geoms, 0.01), gap_width=5.0) or (
            overlap < 1.0
        )


def test_same_code_same_boundary_in_every_vintage_but_barnsley_and_sheffield(drawn):
    seen: dict[str, shapely.Geometry] = {}
    for name in NAMES:
        for code, geom in zip(drawn[name]["code"], drawn[name].geometry, strict=True):
            if code in seen and code not in CHANGED:
                assert shapely.equals_exact(seen[code], geom, tolerance=1e-9) or (
                    shapely.symmetric_difference(seen[code], geom).area < 1e-12
                ), f"{code} is drawn differently in {name}"
            seen.setdefault(code, geom)


@pytest.mark.parametrize(
    ("whole", "vintage", "parts", "parts_vintage"),
    [
        (
            "E06P27001",
            "LAD 2027",
            ["E07000207", "E07000208", "E07000210", "E07000211", "E07000215"],
            "LAD 2025",
        ),
        (
            "E06P27002",
            "LAD 2027",
            ["E07000209", "E07000212", "E07000213", "E07000214", "E07000216", "E07000217"],
            "LAD 2025",
        ),
        ("E06000065", "LAD 2023", [f"E0700016{i}" for i in range(3, 10)], "LAD 2021"),
        ("E06000063", "LAD 2023", ["E07000026", "E07000028", "E07000029"], "LAD 2021"),
        ("E06000064", "LAD 2023", ["E07000027", "E07000030", "E07000031"], "LAD 2021"),
        ("E06000066", "LAD 2023", ["E07000187", "E07000188", "E07000189", "E07000246"], "LAD 2021"),
        ("E06000060", "LAD 2020", ["E07000004", "E07000005", "E07000006", "E07000007"], "LAD 2019"),
        ("E06000061", "LAD 2021", ["E07000150", "E07000152", "E07000153", "E07000156"], "LAD 2020"),
        ("E06000062", "LAD 2021", ["E07000151", "E07000154", "E07000155"], "LAD 2020"),
    ],
)
def test_a_merged_area_is_exactly_the_union_of_its_parts(
    whole, vintage, parts, parts_vintage, drawn
):
    merged = drawn[vintage].set_index("code").loc[whole, "geometry"]
    pieces = drawn[parts_vintage].set_index("code").loc[parts, "geometry"]
    union = shapely.union_all(pieces.values)
    sliver = shapely.symmetric_difference(merged, union).area
    assert sliver < 1e-9 * merged.area + 1e-12, f"{whole}: {sliver:.3g} deg² of sliver"


def test_barnsley_and_sheffield_changed_only_between_themselves(drawn):
    before = drawn["LAD 2023"].set_index("code").loc[["E08000016", "E08000019"], "geometry"]
    after = drawn["LAD 2025"].set_index("code").loc[["E08000038", "E08000039"], "geometry"]
    a, b = shapely.union_all(before.values), shapely.union_all(after.values)
    assert shapely.symmetric_difference(a, b).area < 1e-9 * a.area + 1e-12
