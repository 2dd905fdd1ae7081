"""The franchise data format: a tiny valid folder, then one broken copy per rule."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard import franchises, holdings

AREAS = ["E09999901", "E09999902"]
TODAY = date(2026, 1, 15)
FILES = {
    "services.csv": (
        "id,name,family,risk,description\n"
        "council_tax,Council tax,benefits,low,Billing the tax on homes\n"
        "police,Police,blue_light,high,\n"
    ),
    "organisations.csv": (
        "id,name,kind,website,notes\n"
        "north-council,North Council,local_authority,https://north.example,\n"
        "south-council,South Council,local_authority,,\n"
        "police-grid,Grid Police,police,,\n"
    ),
    "holdings.csv": (
        "area_code,service_id,holder_id,accountable_to,since,until,source,checked\n"
        "E09999901,council_tax,north-council,North Council,1993-04-01,,LGFA 1992,2026-01-01\n"
        "E09999902,council_tax,south-council,South Council,,,LGFA 1992,2026-01-01\n"
        "E09999901,police,police-grid,Grid PCC,,,Police Act 1996,2026-01-01\n"
        "E09999902,police,police-grid,Grid PCC,,,Police Act 1996,2026-01-01\n"
    ),
    "packages.csv": (
        "package_id,name,service_id\nmixed,Mixed bundle,council_tax\nmixed,Mixed bundle,police\n"
    ),
}


def write_folder(root: Path, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if isinstance(content, bytes):
            (root / name).write_bytes(content)
        else:
            (root / name).write_text(content, encoding="utf-8")
    return root


def broken(tmp_path: Path, name: str, content: str | bytes | None) -> list[str]:
    files = dict(FILES)
    if content is None:
        del files[name]
    else:
        files[name] = content
    folder = write_folder(tmp_path / "data", files)
    return [str(p) for p in franchises.check(folder, AREAS, TODAY)]


def test_a_complete_folder_has_no_problems(tmp_path):
    assert franchises.check(write_folder(tmp_path, FILES), AREAS, TODAY) == []


def test_a_byte_order_mark_and_blank_lines_are_accepted(tmp_path):
    files = dict(FILES, **{"services.csv": "\ufeff" + FILES["services.csv"] + "\n\n"})
    assert franchises.check(write_folder(tmp_path, files), AREAS, TODAY) == []


def test_holdings_are_read_with_the_services_and_holders_they_name(tmp_path):
    baseline = franchises.load(write_folder(tmp_path, FILES), AREAS, TODAY)
    held = holdings.for_area(baseline, "E09999901", TODAY)
    assert [(h.service_id, h.holder, h.holder_kind, h.since) for h in held] == [
        ("council_tax", "North Council", "local_authority", "1993-04-01"),
        ("police", "Grid Police", "police", ""),
    ]
    assert held[1].as_json()["since"] is None


def test_history_rows_are_kept_and_the_holder_in_force_is_chosen_by_date(tmp_path):
    rows = FILES["holdings.csv"].replace(
        "E09999902,police,police-grid,Grid PCC,,,",
        "E09999902,police,south-council,South Council,,2020-03-31,Police Act 1996,2026-01-01\n"
        "E09999902,police,police-grid,Grid PCC,2020-04-01,,",
    )
    baseline = franchises.load(write_folder(tmp_path, {**FILES, "holdings.csv": rows}), AREAS)
    assert [h.holder for h in holdings.for_area(baseline, "E09999902", date(2019, 6, 1))] == [
        "South Council",
        "South Council",
    ]
    assert holdings.for_area(baseline, "E09999902", TODAY)[1].holder == "Grid Police"


HOLDINGS_HEADER = "area_code,service_id,holder_id,accountable_to,since,until,source,checked\n"
GOOD_ROWS = FILES["holdings.csv"].split("\n", 1)[1]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        pytest.param(
            "holdings.csv",
            GOOD_ROWS.join([HOLDINGS_HEADER, "E0999990X,police,police-grid,,,,Act,2026-01-01\n"]),
            "holdings.csv:6: area code E0999990X is not a known LAD code",
            id="unknown-area",
        ),
        pytest.param(
            "holdings.csv",
            HOLDINGS_HEADER + GOOD_ROWS.replace("E09999902,police,", "E09999902,policing,"),
            "holdings.csv:5: unknown service_id 'policing'",
            id="unknown-service",
        ),
        pytest.param(
            "holdings.csv",
            HOLDINGS_HEADER + GOOD_ROWS.replace("south-council,", "south-cuncil,"),
            "holdings.csv:3: holder_id 'south-cuncil' is not in organisations.csv",
            id="dangling-holder",
        ),
        pytest.param(
            "holdings.csv",
            HOLDINGS_HEADER
            + GOOD_ROWS.replace(
                "E09999902,police,police-grid,Grid PCC,,,Police Act 1996,2026-01-01\n", ""
            ),
            "holdings.csv:1: area E09999902 has no current holder for 'police'",
            id="missing-service",
        ),
        pytest.param(
            "holdings.csv",
            HOLDINGS_HEADER
            + GOOD_ROWS
            + "E09999901,police,north-council,,2025-01-01,,Act,2026-01-01\n",
            "holdings.csv:6: E09999901 police: holders 'police-grid' (line 4) and "
            "'north-council' overlap in time",
            id="two-holders",
        ),
        pytest.param(
            "holdings.csv",
            HOLDINGS_HEADER + GOOD_ROWS.replace("1993-04-01,,", "1993-04-01,1990-01-01,"),
            "holdings.csv:2: until 1990-01-01 is before since 1993-04-01",
            id="until-before-since",
        ),
        pytest.param(
            "holdings.csv",
            HOLDINGS_HEADER + GOOD_ROWS.replace("1993-04-01", "1993-13-01"),
            "holdings.csv:2: since '1993-13-01' is not a date like 2023-04-01",
            id="bad-date",
        ),
        pytest.param(
            "holdings.csv",
            HOLDINGS_HEADER + GOOD_ROWS.replace("1993-04-01", "01/04/1993"),
            "holdings.csv:2: since '01/04/1993' is not a date like 2023-04-01",
            id="british-date",
        ),
        pytest.param(
            "holdings.csv",
            HOLDINGS_HEADER + GOOD_ROWS.replace("LGFA 1992,2026-01-01", "LGFA 1992,2027-01-01", 1),
            "holdings.csv:2: checked 2027-01-01 is in the future",
            id="checked-in-future",
        ),
        pytest.param(
            "holdings.csv",
            HOLDINGS_HEADER + GOOD_ROWS.replace("LGFA 1992", "", 1),
            "holdings.csv:2: source is empty",
            id="no-source",
        ),
        pytest.param(
            "holdings.csv",
            HOLDINGS_HEADER + GOOD_ROWS.replace("LGFA 1992", "javascript:alert(1)", 1),
            "holdings.csv:2: source uses a 'javascript:' link; only http(s) allowed",
            id="script-source",
        ),
        pytest.param(
            "holdings.csv",
            HOLDINGS_HEADER + GOOD_ROWS.replace("LGFA 1992,2026-01-01", "LGFA,1992,2026-01-01", 1),
            "holdings.csv:2: expected 8 fields, found 9",
            id="extra-field",
        ),
        pytest.param(
            "organisations.csv",
            FILES["organisations.csv"].replace("police-grid,Grid Police,police", "x,X,quango"),
            "organisations.csv:4: kind 'quango' is not one of local_authority",
            id="bad-kind",
        ),
        pytest.param(
            "organisations.csv",
            FILES["organisations.csv"] + "north-council,North Again,local_authority,,\n",
            "organisations.csv:5: duplicate id 'north-council' (first on line 2)",
            id="duplicate-id",
        ),
        pytest.param(
            "organisations.csv",
            FILES["organisations.csv"].replace("North Council", "North Council Of Everything"),
            None,
            id="renamed-holder-is-fine",
        ),
        pytest.param(
            "organisations.csv",
            FILES["organisations.csv"].replace("https://north.example", "javascript:alert(1)"),
            "organisations.csv:2: website uses a 'javascript:' link; only http(s) allowed",
            id="script-website",
        ),
        pytest.param(
            "organisations.csv",
            FILES["organisations.csv"].replace("North Council,", "North Council Ltd,Inc,", 1),
            "organisations.csv:2: expected 5 fields, found 6",
            id="unquoted-comma",
        ),
        pytest.param(
            "services.csv",
            FILES["services.csv"].replace("id,name,family", "id,title,family"),
            "services.csv:1: columns should be id,name,family,risk,description; found "
            "id,title,family,risk,description (missing name; unexpected title)",
            id="wrong-columns",
        ),
        pytest.param(
            "services.csv",
            FILES["services.csv"].replace("blue_light,high", "blue_light,extreme"),
            "services.csv:3: risk 'extreme' is not one of low, medium, high",
            id="bad-risk",
        ),
        pytest.param(
            "services.csv",
            FILES["services.csv"].replace("Police,blue_light", "Police,emergency"),
            "services.csv:3: family 'emergency' is not one of benefits",
            id="bad-family",
        ),
        pytest.param(
            "services.csv",
            FILES["services.csv"].replace("police,Police", "Police Service,Police"),
            "services.csv:3: id 'Police Service' must be lower-case letters and digits",
            id="bad-id",
        ),
        pytest.param(
            "packages.csv",
            FILES["packages.csv"] + "mixed,Mixed bundle,parking\n",
            "packages.csv:4: unknown service_id 'parking'",
            id="package-unknown-service",
        ),
        pytest.param(
            "packages.csv",
            FILES["packages.csv"] + "mixed,Mixed bundle,police\n",
            "packages.csv:4: service 'police' is already in package 'mixed' (line 3)",
            id="package-twice",
        ),
        pytest.param("packages.csv", "", "packages.csv:1: file is empty", id="empty-file"),
        pytest.param(
            "packages.csv",
            "package_id,name,service_id\n",
            "packages.csv:1: has a header but no rows",
            id="header-only",
        ),
        pytest.param(
            "organisations.csv",
            FILES["organisations.csv"].replace("South", "Général").encode("latin-1"),
            "organisations.csv:3: is not UTF-8 text",
            id="not-utf8",
        ),
        pytest.param(
            "holdings.csv", None, "holdings.csv:0: file is missing from", id="missing-file"
        ),
    ],
)
def test_a_broken_folder_names_the_file_line_and_problem(tmp_path, name, content, expected):
    problems = broken(tmp_path, name, content)
    if expected is None:
        assert problems == []
    else:
        assert any(p.startswith(expected) for p in problems), problems


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    rows = HOLDINGS_HEADER + GOOD_ROWS.replace("south-council,", "nobody,").replace(
        "1993-04-01", "1993-02-30"
    )
    problems = broken(tmp_path, "holdings.csv", rows)
    assert "holdings.csv:2: since '1993-02-30' is not a date like 2023-04-01" in problems
    assert "holdings.csv:3: holder_id 'nobody' is not in organisations.csv" in problems


def test_loading_a_broken_folder_raises_with_every_problem(tmp_path):
    folder = write_folder(tmp_path, {**FILES, "packages.csv": ""})
    with pytest.raises(franchises.DataError) as caught:
        franchises.load(folder, AREAS, TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "packages.csv:1: file is empty; the first line should be: package_id,name,service_id"
    ]
    assert "1 problem" in str(caught.value)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as hst  # noqa: E402


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=hst.sampled_from(sorted(FILES)),
    content=hst.one_of(hst.binary(max_size=400), hst.text(max_size=400)),
)
def test_any_bytes_in_any_file_give_problems_not_a_crash(tmp_path_factory, name, content):
    folder = write_folder(tmp_path_factory.mktemp("fuzz"), {**FILES, name: content})
    problems = franchises.check(folder, AREAS, TODAY)
    assert all(p.file in FILES and p.line >= 0 and p.message for p in problems)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cell=hst.text(max_size=60))
def test_any_text_in_a_holding_cell_is_either_accepted_or_named(tmp_path_factory, cell):
    quoted = '"' + cell.replace('"', '""') + '"'
    rows = FILES["holdings.csv"].replace(
        "Grid PCC,,,Police Act 1996", f"{quoted},,,Police Act 1996", 1
    )
    folder = write_folder(tmp_path_factory.mktemp("cell"), {**FILES, "holdings.csv": rows})
    for problem in franchises.check(folder, AREAS, TODAY):
        assert problem.file == "holdings.csv" and problem.line in (1, 4), problem
