"""Maps drawn on the server for papers (dashboard.mapexport) and `centrifuge map`: what the
picture, the text and the pages say, hostile names drawn literally, and bad input refused."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from dashboard import atlas, cli, focus, holdings, mapexport
from dashboard.mapexport import layout, model, text
from tests.conftest import HOSTILE_NAME, ROOT

ASC = atlas.View("service", "adult_social_care")
POLICE = atlas.View("service", "police")
NORTH_WEST = ("region", "North West")


@pytest.fixture(scope="module")
def sources() -> mapexport.Sources:
    return mapexport.Sources.load()


def svg_text(data: bytes) -> list[str]:
    """Every text element's text, in document order."""
    root = ET.fromstring(data)
    return ["".join(el.itertext()) for el in root.iter() if el.tag.endswith("}text")]


def words(strings: list[str]) -> str:
    return " ".join(" ".join(strings).split())


def colour_near(image: Image.Image, x: float, y: float, colour: str, reach: int = 4) -> bool:
    """Whether ``colour`` (#rrggbb) is in the few pixels around (x, y)."""
    want = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for dx in range(-reach, reach + 1):
        for dy in range(-reach, reach + 1):
            if image.getpixel((round(x) + dx, round(y) + dy))[:3] == want:
                return True
    return False


def nw_codes(sources) -> set[str]:
    return set(focus.members(sources.grouped, "region", "North West"))


# --------------------------------------------------------------------------- the picture


def test_a_png_is_print_sized_and_paints_every_area_of_the_focus_in_its_holders_colour(sources):
    drawn = mapexport.render(ASC, "png", sources=sources, focus=NORTH_WEST)
    image = Image.open(io.BytesIO(drawn.data)).convert("RGB")
    assert image.size == (2338, 1653)  # A4 landscape at 200 dpi
    assert drawn.page == pytest.approx((11.69, 8.27), abs=0.01)
    colours = atlas.area_colours(sources.baseline, sources.areas, ASC, dict(sources.touching))
    colour_of = dict(zip(colours["code"], colours["colour"], strict=True))
    members = nw_codes(sources)
    painted = [
        code
        for code in members
        if colour_near(image, *(v * drawn.dpi for v in drawn.points[code]), colour_of[code])
    ]
    assert len(painted) >= 0.9 * len(members), sorted(members - set(painted))
    # A holder with one small area has its number printed on that area's point: look around it
    # (20 px is 2.5 mm; neighbouring holders never share a colour).
    near = {
        code
        for code in members
        if colour_near(
            image, *(v * drawn.dpi for v in drawn.points[code]), colour_of[code], reach=20
        )
    }
    by_holder = colours[colours["code"].isin(members)].groupby("key")["code"].apply(set)
    assert all(codes & near for codes in by_holder), "a holder is missing from the map"


def test_focus_limits_the_legend_to_the_holders_there_and_its_counts_to_its_areas(sources):
    drawn = mapexport.render(ASC, "svg", sources=sources, focus=NORTH_WEST)
    members = nw_codes(sources)
    held = holdings.current(sources.baseline)
    held = held[(held["service_id"] == "adult_social_care") & held["area_code"].isin(members)]
    assert set(drawn.legend["key"]) == set(held["holder_id"])
    assert drawn.legend["areas"].sum() == len(members) == 35
    assert list(drawn.legend["number"]) == list(range(1, len(drawn.legend) + 1))
    shown = words(svg_text(drawn.data))
    assert "Adult social care, North West" in shown
    assert "Lancashire County Council — 12 areas, 1.3 million people" in shown
    assert "Kent County Council" not in shown and "Glasgow" not in shown


def test_every_police_force_is_in_the_svg_legend_as_searchable_text(sources):
    data = mapexport.draw(POLICE, "svg", sources=sources, url="https://example.org/?service=police")
    shown = words(svg_text(data))
    colours = atlas.area_colours(sources.baseline, sources.areas, POLICE, dict(sources.touching))
    forces = atlas.legend(colours)
    assert len(forces) == 45
    for row in forces.itertuples():
        assert f"{row.label} — {row.areas} area" in shown, row.label
    assert "Police Service of Northern Ireland — 11 areas, population unknown" in shown
    assert "View online: https://example.org/?service=police" in shown


def test_all_two_hundred_adult_social_care_holders_are_listed_over_as_many_pages_as_needed(
    sources,
):
    drawn = mapexport.render(ASC, "svg", sources=sources)
    colours = atlas.area_colours(sources.baseline, sources.areas, ASC, dict(sources.touching))
    holders = atlas.legend(colours)
    assert len(holders) > 200
    shown = words(svg_text(drawn.data))
    missing = [label for label in holders["label"] if f"{label} — " not in shown]
    assert not missing
    assert drawn.pages >= 2 and drawn.legend["areas"].sum() == 361
    assert "(continued, page 2 of" in shown


def test_the_credits_name_every_source_and_licence(sources):
    shown = words(svg_text(mapexport.draw(POLICE, "svg", sources=sources)))
    for needed in (
        "LAD 2025, drawn from ONS LSOA 2011 (England and Wales) and NISRA Small Areas 2011",
        "Contains National Statistics data © Crown copyright and database right 2011",
        "NISRA Small Areas: Source: NISRA, licensed under the Open Government Licence v3.0",
        "Office for National Statistics licensed under the Open Government Licence v.3.0",
        "Contains OS data © Crown copyright and database right 2025",
        "Contains Royal Mail data",
        "Contains LPS Intellectual Property",
        "the Centrifuge baseline (data/franchises)",
        "Each holding cites its own source",
        population_label(),
    ):
        assert needed in shown, needed


def population_label() -> str:
    from dashboard import population

    return population.LABEL


def test_highlight_keeps_one_holder_in_colour_and_greys_the_rest(sources):
    key = "lancashire-county-council"
    drawn = mapexport.render(ASC, "png", sources=sources, focus=NORTH_WEST, highlight=key)
    image = Image.open(io.BytesIO(drawn.data)).convert("RGB")
    colours = atlas.area_colours(sources.baseline, sources.areas, ASC, dict(sources.touching))
    colours = colours[colours["code"].isin(nw_codes(sources))]
    lit, grey = colours[colours["key"] == key], colours[colours["key"] != key]
    points = drawn.points

    def seen(code, colour):
        return colour_near(image, *(v * drawn.dpi for v in points[code]), colour)

    assert sum(seen(c, col) for c, col in zip(lit["code"], lit["colour"], strict=True)) >= 10
    assert sum(seen(c, model.DIMMED) for c in grey["code"]) >= 0.9 * len(grey)
    assert sum(seen(c, col) for c, col in zip(grey["code"], grey["colour"], strict=True)) == 0
    assert drawn.legend.loc[drawn.legend["highlighted"], "key"].tolist() == [key]
    shown = words(svg_text(mapexport.draw(ASC, "svg", sources=sources, highlight=key)))
    assert "highlighting Lancashire County Council" in shown


def test_a_package_highlights_every_combination_with_the_holder(sources):
    view = atlas.View("package", "blue-light")
    drawn = mapexport.render(view, "svg", sources=sources, highlight="police-kent")
    lit = drawn.legend.loc[drawn.legend["highlighted"], "key"]
    assert len(lit) >= 1 and all("police-kent" in k.split(" + ") for k in lit)
    assert "highlighting Kent Police" in words(svg_text(drawn.data))


def test_a_pdf_is_a4_landscape_with_a_page_per_legend_page(sources):
    drawn = mapexport.render(ASC, "pdf", sources=sources)
    boxes = re.findall(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", drawn.data)
    assert len(boxes) == drawn.pages >= 2
    for width, height in boxes:
        assert float(width) == pytest.approx(841.89, abs=0.5)
        assert float(height) == pytest.approx(595.28, abs=0.5)
    assert drawn.data.startswith(b"%PDF") and b"(Adult social care)" in drawn.data


def test_the_same_map_gives_the_same_bytes(sources):
    for fmt in ("svg", "pdf"):
        first = mapexport.draw(POLICE, fmt, sources=sources, focus=("nation", "Wales"))
        assert first == mapexport.draw(POLICE, fmt, sources=sources, focus=("nation", "Wales"))


def test_a_scenarios_lots_and_a_ready_made_frame_are_drawn_with_their_own_legend(sources):
    codes = sources.frame["code"].tolist()
    lots = {"North lot": ("#4e79a7", codes[:5]), "South $lot$": ("#f28e2b", codes[5:9])}
    drawn = mapexport.render(lots=lots, fmt="svg", sources=sources, title="Plan A")
    assert drawn.legend["label"].tolist() == ["North lot", "South $lot$", "Not in any lot"]
    assert drawn.legend["number"].tolist() == [1, 2, 0]
    shown = words(svg_text(drawn.data))
    assert "Plan A" in shown and "Lot" in shown and "South $lot$ — 4 areas" in shown

    frame = atlas.area_colours(sources.baseline, sources.areas, POLICE, dict(sources.touching))
    frame = frame[["code", "label", "colour"]].assign(label="Simulated firm 1")
    drawn = mapexport.render(
        colours=frame, fmt="svg", sources=sources, title="Year 5", legend_title="Holder in year 5"
    )
    assert set(drawn.legend["label"]) == {"Simulated firm 1"}
    assert len(drawn.legend) == frame["colour"].nunique()  # a row per colour the frame uses
    assert drawn.legend["number"].is_unique
    assert "Holder in year 5" in words(svg_text(drawn.data))
    lit = mapexport.render(colours=frame, fmt="svg", sources=sources, highlight="Simulated firm 1")
    assert lit.legend["highlighted"].all()


def test_exactly_one_of_a_view_a_frame_or_lots_and_a_known_format(sources):
    with pytest.raises(mapexport.MapExportError, match="exactly one"):
        mapexport.draw(POLICE, "svg", sources=sources, lots={})
    with pytest.raises(mapexport.MapExportError, match="not a map format"):
        mapexport.draw(POLICE, "gif", sources=sources)
    with pytest.raises(focus.FocusError, match="no region called"):
        mapexport.draw(POLICE, "svg", sources=sources, focus=("region", "Atlantis"))
    with pytest.raises(mapexport.MapExportError, match="holds nothing"):
        mapexport.draw(POLICE, "svg", sources=sources, highlight="police-nowhere")
    with pytest.raises(atlas.UnknownView):
        mapexport.draw(atlas.View("service", "nope"), "svg", sources=sources)


# --------------------------------------------------------------------------- hostile names

LONG = "Ω" * 40 + " " + "x" * 300


def hostile_sources(tmp_path, sources) -> mapexport.Sources:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "franchises", folder)
    path = folder / "organisations.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    names = {
        "police-metropolitan": HOSTILE_NAME + " $x$ \\frac{1}{2} 警察 🚓",
        "police-kent": LONG,
    }
    for row in rows[1:]:
        row[1] = names.get(row[0], row[1])
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return dataclasses.replace(sources, baseline=holdings.load(folder), groups=None)


def test_hostile_names_are_drawn_literally_and_make_no_markup(tmp_path, sources):
    hostile = hostile_sources(tmp_path, sources)
    data = mapexport.draw(POLICE, "svg", sources=hostile, highlight="police-metropolitan")
    root = ET.fromstring(data)  # still well-formed XML
    assert not [el for el in root.iter() if el.tag.split("}")[-1].lower() in ("script", "img")]
    assert b"<script" not in data and b"<img" not in data
    shown = svg_text(data)
    joined = words(shown)
    assert HOSTILE_NAME + " $x$ \\frac{1}{2} 警察 🚓 — 32 areas" in joined
    assert f"highlighting {HOSTILE_NAME}" in joined
    squeezed = "".join(joined.split())
    assert "".join(LONG.split()) + "—" in squeezed  # wrapped, never cut
    assert all(len(line) < 200 for line in shown if "x" * 20 in line)
    for fmt in ("png", "pdf"):  # draws without mathtext errors or glyph warnings
        assert mapexport.draw(POLICE, fmt, sources=hostile)[:4] in (b"\x89PNG", b"%PDF")


def test_wrapping_keeps_every_character_and_fits_the_width():
    for sample in (HOSTILE_NAME, LONG, "a b", "", "Clackmannanshire and Stirling Integration"):
        lines = text.wrap(sample, 60, 7)
        assert "".join("".join(lines).split()) == "".join(sample.split())
        assert all(text.width(line, 7) <= 60 for line in lines if len(line) > 1)


def test_clean_makes_control_characters_visible_and_keeps_the_rest():
    assert text.clean("a\x00b\nc\u202e$x$") == "a\ufffdb c\u202e$x$"


def test_a_legend_too_long_for_a_page_continues_and_loses_no_row():
    rows = [
        (i, "#4e79a7", f"Holder number {i} with a long name — 1 area", False, False)
        for i in range(1, 901)
    ]
    legend = layout.pack(rows, (4.0, 6.0), (10.0, 6.0))
    laid = [row.number for page in legend.pages for column in page.columns for row in column]
    assert laid == list(range(1, 901)) and len(legend.pages) > 1
    assert legend.size == layout.LEGEND_SIZES[-1]


# --------------------------------------------------------------------------- the command


def test_centrifuge_map_writes_the_format_its_name_says(tmp_path, capsys):
    out = tmp_path / "police wales.svg"
    assert (
        cli.main(["map", "--service", "police", "--focus", "nation", "wales", "--out", str(out)])
        == 0
    )
    assert "wrote the service police map as svg" in capsys.readouterr().out
    shown = words(svg_text(out.read_bytes()))
    assert "Police, Wales" in shown and "Dyfed-Powys Police" in shown and "Kent Police" not in shown
    pdf = tmp_path / "map.bin"
    code = cli.main(
        ["map", "--family", "blue_light", "--colour", "kind", "--format", "pdf", "--out", str(pdf)]
    )
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.bin", "police wales.svg"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--service", "nope"], "there is no service 'nope'"),
        (["--service", "police", "--focus", "region", "Atlantis"], "no region called 'Atlantis'"),
        (["--service", "police", "--focus", "planet", "Mars"], "--focus 'planet' is not one of"),
        (["--service", "police", "--format", "gif"], "cannot tell a map format from 'gif'"),
        (["--service", "police", "--colour", "tax"], "--colour must be one of"),
        (["--service", "police", "--highlight", "police-nowhere"], "holds nothing"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "map.png"
    assert cli.main(["map", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("centrifuge: ") and err.count("\n") == 1 and message in err
    assert list(tmp_path.iterdir()) == []


def test_a_file_name_without_a_format_or_a_place_to_write_is_refused(tmp_path, capsys):
    for out, message in (
        (tmp_path / "map.txt", "cannot tell a map format from the name map.txt"),
        (tmp_path / "missing" / "map.png", "folder"),
    ):
        assert cli.main(["map", "--service", "police", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err
    (tmp_path / "taken.png").mkdir()  # a folder where the file should go: rename fails
    assert cli.main(["map", "--service", "fire", "--out", str(tmp_path / "taken.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("centrifuge: cannot write") and err.count("\n") == 1
    assert [p.name for p in tmp_path.iterdir()] == ["taken.png"]  # no partial file left
