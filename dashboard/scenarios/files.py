"""Scenarios in and out as files: lots from an ``area_code,lot`` CSV (every bad line reported,
nothing changed), the lots as a table and as dissolved boundaries, and a bid pack for one lot."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from dashboard import population
from dashboard.franchises import records
from dashboard.lots import Assignment, LotError, clean_name
from dashboard.scenarios.model import MAX_FILE, Scenario, ScenarioError


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class LotFileError(ScenarioError):
    """A lot file with problems; ``problems`` lists each by line, and nothing was changed."""

    def __init__(self, problems: list[LineProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was changed: {problems[0]}")


def read_lot_csv(data: bytes, known_areas, base: Assignment | None = None) -> Assignment:
    """Lots from a CSV with columns ``area_code,lot``: a new assignment built on ``base``
    (locked lots kept), or LotFileError listing every problem by line."""
    if not data.strip():
        raise LotFileError(
            [LineProblem(1, "the file is empty; the first line should be area_code,lot")]
        )
    if len(data) > MAX_FILE:
        raise LotFileError([LineProblem(1, f"the file is larger than {MAX_FILE // 1000} kB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LotFileError(
            [LineProblem(line, "is not UTF-8 text: save the file as UTF-8")]
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[LineProblem] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        header = []
    if header[:2] != ["area_code", "lot"]:
        raise LotFileError(
            [LineProblem(1, f"columns should be area_code,lot; found {','.join(header)[:80]}")]
        )
    known = set(known_areas)
    wanted: dict[str, str] = {}
    first_line: dict[str, int] = {}
    try:
        for line, fields in records(reader):
            if len(fields) < 2:
                problems.append(LineProblem(line, "expected an area code and a lot name"))
                continue
            code, lot = fields[0].strip().upper(), " ".join(fields[1].split())
            if code not in known:
                problems.append(LineProblem(line, f"{code[:20]} is not a known LAD code"))
                continue
            if code in wanted and wanted[code] != lot:
                problems.append(
                    LineProblem(
                        line,
                        f"{code} is already in lot '{wanted[code][:60]}' (line {first_line[code]})",
                    )
                )
                continue
            if lot:
                try:
                    clean_name(lot)
                except LotError as exc:
                    problems.append(LineProblem(line, str(exc)))
                    continue
            wanted[code] = lot
            first_line.setdefault(code, line)
    except csv.Error as exc:
        problems.append(LineProblem(reader.line_num, f"cannot read this line: {exc}"))
    if problems:
        raise LotFileError(problems)
    if not wanted:
        raise LotFileError([LineProblem(2, "there are no rows after the header")])
    result = base or Assignment()
    try:
        for lot in dict.fromkeys(v for v in wanted.values() if v):
            if lot not in result.order:
                result = result.add_lot(lot)
        result = result.assign([c for c, v in wanted.items() if not v], None)
        for lot in dict.fromkeys(v for v in wanted.values() if v):
            result = result.assign([c for c, v in wanted.items() if v == lot], lot)
    except LotError as exc:
        raise LotFileError([LineProblem(first_line.get(next(iter(wanted)), 2), str(exc))]) from exc
    return result


def lots_frame(assignment: Assignment, frame, names) -> object:
    """Dissolved lots as a GeoDataFrame (EPSG:4326): lot, colour, areas, area codes."""
    rows = []
    for lot in assignment.order:
        codes = assignment.areas_of(lot)
        if not codes:
            continue
        shape = frame[frame["code"].isin(codes)].geometry.union_all()
        rows.append(
            {
                "lot": lot,
                "colour": assignment.colours.get(lot, ""),
                "areas": len(codes),
                "area_codes": " ".join(codes),
                "area_names": "; ".join(names.get(c, c) for c in codes),
                "geometry": shape,
            }
        )
    columns = ["lot", "colour", "areas", "area_codes", "area_names", "geometry"]
    result = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=columns), geometry="geometry", crs=frame.crs
    )
    return result.to_crs(4326)


def lots_table(assignment: Assignment, names) -> object:
    """area_code, area_name, lot: one row per assigned area, lot by lot."""
    return pd.DataFrame(
        [
            {"area_code": c, "area_name": names.get(c, c), "lot": lot}
            for lot in assignment.order
            for c in assignment.areas_of(lot)
        ],
        columns=["area_code", "area_name", "lot"],
    )


def bid_pack(scenario: Scenario, lot: str, frame, names, holders, tally: dict) -> bytes:
    """A zip for bidders: the lot's boundary (GeoJSON), its areas with their population where
    known, who holds each of the package's services there today, and the lot's figures."""
    from dashboard.atlas import to_csv

    codes = scenario.assignment.areas_of(lot)
    shape = lots_frame(Assignment().add_lot(lot).assign(codes, lot), frame, names)
    areas = population.attach(
        lots_table(Assignment().add_lot(lot).assign(codes, lot), names).rename(
            columns={"area_code": "code"}
        )
    ).rename(columns={"code": "area_code"})
    today = holders[holders["area_code"].isin(codes)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr("lot.geojson", shape.to_json(drop_id=True) if len(shape) else "{}")
        pack.writestr("areas.csv", to_csv(areas))
        pack.writestr("current_holders.csv", to_csv(today))
        pack.writestr(
            "totals.json",
            json.dumps(
                {
                    "scenario": scenario.name,
                    "package_id": scenario.package_id,
                    "lot": lot,
                    **{k: _plain(v) for k, v in tally.items() if k != "lot"},
                    "population_source": population.LABEL,
                },
                indent=2,
                ensure_ascii=False,
                default=str,
            ),
        )
        pack.writestr(
            "README.txt",
            f"Bid pack for lot '{lot}' of scenario '{scenario.name}' (package "
            f"{scenario.package_id}), made by Centrifuge. Boundaries: LAD 2025 derived from the "
            "ONS Postcode Directory (Open Government Licence v3.0). Holders: the Centrifuge "
            f"baseline, each with its source. Population ({population.LABEL}): the sum of the "
            "known figures, with the number of areas that have none.\n",
        )
    return out.getvalue()


def _plain(value):
    """A tally value as JSON has it: numpy numbers as numbers, NaN and NA as null."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value
