"""Write data/taxation/council_tax_band_d.csv: Band D council tax per billing authority.

Run when the source year changes (``make council-tax``), then review the diff.

One row per GB billing authority (LAD 2025 code) per year, for 2025-26 and 2026-27, read from
the PyPI package policyengine-uk 2.162.10, file
``policyengine_uk/parameters/gov/local_authorities/council_tax/band_d/amounts.yaml``. The
package is AGPL-3.0, so it is not a dependency: its wheel is fetched with pip into a temporary
folder, checked against the SHA-256 pinned below, and only that one YAML file's figures are
read. The figures are the governments' own published statistics (Open Government Licence
v3.0), which the YAML cites and every row names:

- England: MHCLG, Council tax levels set by local authorities in England, Table 10, sheet
  Data_Billing, line 17: the average Band D for the area of the billing authority, including
  county, police, fire, combined-authority and parish precepts.
- Wales: Welsh Government, Council tax levels April 2026 to March 2027, Tables 1 and 2,
  'Overall average band D' (county council, community council and police elements combined).
- Scotland: Scottish Government, Band D council tax 1996-97 to 2026-27: the council's Band D,
  without the water and waste water charges, which are billed separately.

The YAML is keyed by authority name in capitals (``BRISTOL_CITY_OF``). Names are matched to
codes in data/boundaries/lads.csv by one rule (see ``key``) plus the explicit ``ALIASES``
table, and the script stops, listing them all, on any name it cannot match and on any GB billing
authority left without a figure. Northern Ireland has domestic rates, not council tax: it has
no row here.

The YAML dates its figures 2025-01-01 and 2026-01-01: PolicyEngine's fiscal years 2025 and
2026, i.e. 2025-26 and 2026-27 (the package's ``council_tax_band_d_amount`` variable says
"Fiscal 2025 and 2026 are loaded", which this script checks). YAML is parsed with PyYAML,
already installed as a locked dependency of dask/distributed; no new package is added.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from dashboard import lads, paths  # noqa: E402
from scripts.pinned_wheel import read_members  # noqa: E402

PACKAGE = "policyengine-uk"
VERSION = "2.162.10"
WHEEL_SHA256 = "7802fbb015485b1a0493389773e4792001d90529440d07c94185bdef8127ba93"
MEMBER = "policyengine_uk/parameters/gov/local_authorities/council_tax/band_d/amounts.yaml"
#: The package's variable that reads MEMBER; its documentation names the fiscal years loaded.
VARIABLE = (
    "policyengine_uk/variables/gov/local_authorities/council_tax/council_tax_band_d_amount.py"
)
YEARS_PHRASE = "Fiscal 2025 and 2026 are loaded"
OUTPUT = paths.DATA / "taxation" / "council_tax_band_d.csv"

#: YAML period → fiscal year (PolicyEngine dates a fiscal year by the year it starts in).
YEARS = {"2025-01-01": "2025-26", "2026-01-01": "2026-27"}
#: Billing authorities: LADs whose codes start so (English districts, unitaries, metropolitan
#: districts, London boroughs and the City, Isles of Scilly; Welsh principal councils;
#: Scottish councils). LAD 2025 has 296, 22 and 32 of them.
BILLING = {"England": ("E06", "E07", "E08", "E09"), "Wales": ("W06",), "Scotland": ("S12",)}
EXPECTED_COUNTS = {"England": 296, "Wales": 22, "Scotland": 32}

#: YAML name → lads.csv name, for names the rule in ``key`` does not reach. Empty for
#: policyengine-uk 2.162.10: its names are ONS's in capitals with punctuation as underscores
#: (BRISTOL_CITY_OF, KINGSTON_UPON_HULL_CITY_OF, HEREFORDSHIRE_COUNTY_OF, ST_HELENS,
#: KINGS_LYNN_AND_WEST_NORFOLK, CITY_OF_EDINBURGH, NA_H_EILEANAN_SIAR, ISLE_OF_ANGLESEY,
#: VALE_OF_GLAMORGAN), so every one matches by the rule. Add an entry here, never a guess in
#: ``key``, if a later version renames one; an entry that is not needed stops the script.
ALIASES: dict[str, str] = {}

#: GB billing authorities the YAML genuinely lacks, code → why. Written with an empty amount.
#: Empty for 2.162.10; an entry whose code has a figure stops the script.
MISSING: dict[str, str] = {}

#: Sanity band for a Band D figure. Figures outside it must be listed, with the reason.
LOW, HIGH = 1_000.0, 4_000.0
OUTSIDE_BAND = {
    ("E09000032", "2025-26"): (
        "Below £1,000, as the source gives it: Wandsworth's area Band D is the lowest in this file."
    ),
}
#: Year-on-year change that is reported (not an error), and the band beyond which the change
#: is taken for a data error.
REPORT_RISE = 0.10
PLAUSIBLE_CHANGE = (-0.20, 0.30)

LICENCE = "Open Government Licence v3.0"
VIA = f"{PACKAGE} {VERSION}, {MEMBER}"
PUBLISHER = {
    "England": "Ministry of Housing, Communities and Local Government (MHCLG)",
    "Wales": "Welsh Government",
    "Scotland": "Scottish Government",
}
#: Where each country-year's reference starts in the YAML's metadata.reference titles.
REFERENCE = {
    ("England", "2025-26"): "England 2025-26: ",
    ("England", "2026-27"): "England 2026-27: ",
    ("Wales", "2025-26"): "Wales 2026-27 and 2025-26: ",
    ("Wales", "2026-27"): "Wales 2026-27 and 2025-26: ",
    ("Scotland", "2025-26"): "Scotland 2026-27 and 2025-26: ",
    ("Scotland", "2026-27"): "Scotland 2026-27 and 2025-26: ",
}
WHAT = {
    "England": (
        "Area Band D including county, police, fire, combined-authority and parish precepts "
        "(MHCLG Table 10 line 17: average Band D 2 adult equivalent council tax for the area "
        "of the billing authority, including both local and major precepts)"
    ),
    "Wales": (
        "Area Band D: Welsh Government 'Overall average band D' (county council, community "
        "council and police authority elements combined)"
    ),
    "Scotland": (
        "Council Band D only: excludes the water and waste water charges, which are billed "
        "separately"
    ),
}
COLUMNS = [
    *("code", "name", "country", "year", "band_d_gbp"),
    *("what", "source", "licence", "via", "note"),
]


def fetch() -> tuple[dict, str]:
    """The parsed YAML and the variable's source text, from the wheel pinned above."""
    document, variable = read_members(PACKAGE, VERSION, WHEEL_SHA256, MEMBER, VARIABLE)
    return yaml.safe_load(document), variable


def key(name: str) -> str:
    """The rule: capitals, '&' as AND, apostrophes and full stops dropped, the rest as '_'."""
    name = re.sub(r"['’.]", "", name.upper().replace("&", " AND "))
    return re.sub(r"[^A-Z0-9]+", "_", name).strip("_")


def billing_authorities(table: pd.DataFrame) -> pd.DataFrame:
    """The GB billing authorities in lads.csv, checked against the expected counts."""
    gb = table[table["country"].isin(BILLING)]
    odd = [
        f"{r.code} ({r.name})" for r in gb.itertuples() if not r.code.startswith(BILLING[r.country])
    ]
    if odd:
        raise SystemExit(f"GB areas that are not billing authorities: {', '.join(odd)}")
    counts = gb["country"].value_counts().to_dict()
    if counts != EXPECTED_COUNTS:
        raise SystemExit(f"billing authorities per country {counts}, expected {EXPECTED_COUNTS}")
    return gb


def match_names(names: Iterable[str], table: pd.DataFrame) -> dict[str, str]:
    """YAML name → LAD 2025 code of a GB billing authority; stops listing every failure."""
    authorities = billing_authorities(table)
    by_key: dict[str, str] = {}
    for area in authorities.itertuples():
        if key(area.name) in by_key:
            raise SystemExit(f"two areas share the key {key(area.name)}")
        by_key[key(area.name)] = area.code
    code_of_name = dict(zip(authorities["name"], authorities["code"], strict=True))
    names = list(names)
    unused = sorted(alias for alias in ALIASES if alias not in names or alias in by_key)
    if unused:
        raise SystemExit(f"aliases not needed (drop them): {', '.join(unused)}")
    matched, unmatched = {}, []
    for name in names:
        code = code_of_name.get(ALIASES[name]) if name in ALIASES else by_key.get(name)
        if code is None:
            unmatched.append(name)
        else:
            matched[name] = code
    if unmatched:
        raise SystemExit(
            f"{len(unmatched)} names in {MEMBER} match no GB billing authority in "
            f"{paths.LAD_TABLE.name}: {', '.join(unmatched)}"
        )
    twice = sorted({c for c in matched.values() if list(matched.values()).count(c) > 1})
    if twice:
        raise SystemExit(f"codes matched by more than one name: {', '.join(twice)}")
    return matched


def amounts(document: dict) -> dict[str, dict[str, float]]:
    """Name → fiscal year → Band D, checking each name has exactly the two years."""
    out = {}
    for name, series in document.items():
        if name in ("description", "metadata"):
            continue
        periods = {str(period): value for period, value in series.items()}
        if set(periods) != set(YEARS):
            raise SystemExit(f"{name}: periods {sorted(periods)}, expected {sorted(YEARS)}")
        for period, value in periods.items():
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise SystemExit(f"{name} {period}: {value!r} is not a positive amount")
        out[name] = {YEARS[period]: float(value) for period, value in periods.items()}
    return out


def sources(document: dict) -> dict[tuple[str, str], str]:
    """Country-year → the government table the YAML cites for it, title verbatim, and address."""
    references = document["metadata"]["reference"]
    out = {}
    for (country, year), prefix in REFERENCE.items():
        (reference,) = [r for r in references if r["title"].startswith(prefix)]
        out[country, year] = f"{PUBLISHER[country]}: {reference['title']} ({reference['href']})"
    return out


def build(document: dict, variable: str, table: pd.DataFrame) -> list[dict[str, str]]:
    # The documentation is a run of adjacent string literals: join them before looking.
    if YEARS_PHRASE not in re.sub(r'"\s*\n\s*"', "", variable):
        raise SystemExit(f"{VARIABLE} no longer says {YEARS_PHRASE!r}: check the years")
    figures = amounts(document)
    codes = match_names(figures, table)
    by_code = {code: figures[name] for name, code in codes.items()}
    cited = sources(document)
    authorities = billing_authorities(table)
    missing = [
        f"{r.code} ({r.name})"
        for r in authorities.itertuples()
        if r.code not in by_code and r.code not in MISSING
    ]
    if missing:
        raise SystemExit(f"billing authorities without a figure: {', '.join(missing)}")
    stale = sorted(code for code in MISSING if code in by_code)
    if stale:
        raise SystemExit(f"listed as missing but the YAML has a figure: {', '.join(stale)}")
    rows, outside = [], []
    for area in authorities.sort_values("code").itertuples():
        for year in YEARS.values():
            amount = by_code.get(area.code, {}).get(year)
            note = MISSING.get(area.code, "")
            if amount is not None and not LOW <= amount <= HIGH:
                if (area.code, year) not in OUTSIDE_BAND:
                    outside.append(f"{area.name} {year} £{amount:,.2f}")
                note = OUTSIDE_BAND.get((area.code, year), note)
            rows.append(
                dict(
                    code=area.code,
                    name=area.name,
                    country=area.country,
                    year=year,
                    band_d_gbp="" if amount is None else f"{amount:.2f}",
                    what=WHAT[area.country],
                    source=cited[area.country, year],
                    licence=LICENCE,
                    via=VIA,
                    note=note,
                )
            )
    if outside:
        raise SystemExit(f"outside £{LOW:,.0f}–£{HIGH:,.0f}, unexplained: {', '.join(outside)}")
    explained = {(r["code"], r["year"]) for r in rows if r["note"] in OUTSIDE_BAND.values()}
    if explained != set(OUTSIDE_BAND):
        raise SystemExit(f"OUTSIDE_BAND entries not needed: {set(OUTSIDE_BAND) - explained}")
    check_changes(rows)
    return rows


def changes(rows: list[dict[str, str]]) -> list[tuple[float, str, str]]:
    """(2026-27 over 2025-26 − 1, name, country) for every authority with both figures."""
    first, second = YEARS.values()
    amount = {(r["code"], r["year"]): r["band_d_gbp"] for r in rows}
    out = []
    for r in rows:
        if r["year"] == first and amount[r["code"], first] and amount[r["code"], second]:
            change = float(amount[r["code"], second]) / float(amount[r["code"], first]) - 1
            out.append((change, r["name"], r["country"]))
    return sorted(out, reverse=True)


def check_changes(rows: list[dict[str, str]]) -> None:
    low, high = PLAUSIBLE_CHANGE
    wild = [
        f"{name} {change:+.2%}" for change, name, _ in changes(rows) if not low <= change <= high
    ]
    if wild:
        raise SystemExit(f"2025-26 to 2026-27 changes beyond {low:+.0%}..{high:+.0%}: {wild}")


def main() -> None:
    document, variable = fetch()
    rows = build(document, variable, lads.lad_table())
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUTPUT, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    known = sum(1 for r in rows if r["band_d_gbp"])
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {known} of {len(rows)} rows with a figure")
    per_country = pd.Series([r["country"] for r in rows if r["year"] == "2025-26"])
    print("authorities per country:", per_country.value_counts().to_dict())
    for change, name, country in changes(rows):
        if change > REPORT_RISE:
            print(f"rise over {REPORT_RISE:.0%}: {name} ({country}) {change:+.2%}")


if __name__ == "__main__":
    main()
