"""The shipped baseline: complete, consistent, and right where we can say for sure.

Spot checks name their source beside them. Postcodes are public buildings whose addresses are
published by their owners.
"""

from __future__ import annotations

import pytest

from dashboard import areas, franchises, holdings, lads, lookup, paths

SERVICES = [
    "council_tax",
    "housing_benefit",
    "universal_credit",
    "police",
    "fire",
    "ambulance",
    "adult_social_care",
    "childrens_social_care",
]


@pytest.fixture(scope="module")
def today(baseline):
    return holdings.current(baseline).set_index(["area_code", "service_id"])


def test_the_shipped_data_validates_clean():
    assert franchises.check(paths.FRANCHISES_DIR, holdings.area_lives()) == []


def test_the_required_services_and_families_are_there(baseline):
    services = baseline.services.set_index("id")
    assert set(SERVICES) <= set(services.index)
    assert services.loc["police", "family"] == "blue_light"
    assert services.loc["universal_credit", "family"] == "benefits"
    assert services.loc["adult_social_care", "family"] == "social_care"
    assert services.loc["adult_social_care", "risk"] == "high"


def test_every_area_has_exactly_one_holder_for_every_service(today):
    codes = set(lads.lad_table()["code"])
    assert len(codes) == 361
    assert today.index.is_unique
    assert set(today.index) == {(code, service) for code in codes for service in SERVICES}
    assert today["holder"].notna().all() and (today["holder"] != "").all()


def test_every_holder_exists_and_every_holding_has_a_source_and_check_date(baseline, today):
    assert set(today["holder_id"]) <= set(baseline.organisations["id"])
    assert (today["source"].str.len() > 10).all()
    assert (today["checked"].str.match(r"^\d{4}-\d{2}-\d{2}$")).all()


def test_packages_bundle_the_three_families(baseline):
    bundles = baseline.packages.groupby("package_id")["service_id"].apply(set).to_dict()
    assert bundles["blue-light"] == {"police", "fire", "ambulance"}
    assert bundles["transactional"] == {"council_tax", "housing_benefit", "universal_credit"}
    assert bundles["social-care"] == {"adult_social_care", "childrens_social_care"}


def test_english_and_welsh_social_care_is_held_by_the_upper_tier_council(today):
    # Upper tiers: ONS LTLA to UTLA lookup (April 2021) plus the 2023 orders, in lads.csv.
    table = lads.lad_table()
    table = table[table["country"].isin(["England", "Wales"])]
    for service in ("adult_social_care", "childrens_social_care"):
        held = today.xs(service, level="service_id")
        council_tax = today.xs("council_tax", level="service_id")
        for upper, group in table.groupby("upper_tier_code"):
            holders = set(held.loc[group["code"], "holder_id"])
            assert len(holders) == 1, (upper, holders)
            holder = holders.pop()
            if upper in set(group["code"]):  # a unitary: the same council as council tax
                assert council_tax.at[upper, "holder_id"] == holder
            else:  # two-tier: the county council, not a district
                assert holder not in set(council_tax.loc[group["code"], "holder_id"])
                assert held.at[group["code"].iat[0], "holder"].endswith("County Council")
            assert held.at[group["code"].iat[0], "holder_kind"] == "local_authority"


def test_council_tax_is_local_except_in_northern_ireland(today):
    held = today.xs("council_tax", level="service_id")
    northern_ireland = held.index.str.startswith("N")
    assert set(held.loc[northern_ireland, "holder"]) == {"Land & Property Services"}
    assert set(held.loc[~northern_ireland, "holder_kind"]) == {"local_authority"}
    assert held.loc[northern_ireland, "notes"].str.contains("no council tax").all()


def test_national_services_cover_their_whole_nation(today):
    by_nation = {
        ("S", "police"): "Police Scotland (Police Service of Scotland)",
        ("S", "fire"): "Scottish Fire and Rescue Service",
        ("S", "ambulance"): "Scottish Ambulance Service",
        ("W", "ambulance"): "Welsh Ambulance Services University NHS Trust",
        ("N", "police"): "Police Service of Northern Ireland",
        ("N", "fire"): "Northern Ireland Fire and Rescue Service Board",
        ("N", "ambulance"): "Northern Ireland Ambulance Service Health and Social Care Trust",
        ("N", "universal_credit"): "Department for Communities",
        ("E", "universal_credit"): "Department for Work and Pensions",
    }
    for (prefix, service), holder in by_nation.items():
        held = today.xs(service, level="service_id")
        assert set(held.loc[held.index.str.startswith(prefix), "holder"]) == {holder}


def test_doubtful_rows_carry_their_caveat(today):
    assert "Glossop" in today.loc[("E07000037", "ambulance"), "notes"]
    assert "Limavady" in today.loc[("N09000004", "adult_social_care"), "notes"]


def _holders(query: str, baseline) -> tuple[str, dict[str, tuple[str, str]]]:
    match = lookup.resolve(query, areas.area_table())
    held = holdings.for_area(baseline, match.code)
    return match.code, {h.service_id: (h.holder, h.accountable_to) for h in held}


# (postcode, area, police, fire, ambulance, adult social care, children's social care)
SPOT_CHECKS = [
    # Scottish Parliament, Edinburgh. Police and Fire Reform (Scotland) Act 2012; NHS (Scotland)
    # Act 1978; Public Bodies (Joint Working) (Scotland) Act 2014 (Edinburgh IJB).
    pytest.param(
        "EH99 1SP",
        "S12000036",
        "Police Scotland (Police Service of Scotland)",
        "Scottish Fire and Rescue Service",
        "Scottish Ambulance Service",
        "Edinburgh Integration Joint Board",
        "City of Edinburgh Council",
        id="scotland-edinburgh",
    ),
    # Highland Council HQ, Inverness: NHS Highland runs adult social care as lead agency.
    pytest.param(
        "IV3 5NX",
        "S12000017",
        "Police Scotland (Police Service of Scotland)",
        "Scottish Fire and Rescue Service",
        "Scottish Ambulance Service",
        "NHS Highland",
        "The Highland Council",
        id="scotland-highland",
    ),
    # Senedd, Cardiff Bay. Police Act 1996 Sch. 1 (South Wales); South Wales FRA combination
    # scheme (1996); Social Services and Well-being (Wales) Act 2014.
    pytest.param(
        "CF99 1SN",
        "W06000015",
        "South Wales Police",
        "South Wales Fire and Rescue Authority",
        "Welsh Ambulance Services University NHS Trust",
        "Cardiff Council",
        "Cardiff Council",
        id="wales-cardiff",
    ),
    # Parliament Buildings, Stormont. Police (NI) Act 2000; Fire and Rescue Services (NI) Order
    # 2006; Belfast HSC Trust area.
    pytest.param(
        "BT4 3XX",
        "N09000003",
        "Police Service of Northern Ireland",
        "Northern Ireland Fire and Rescue Service Board",
        "Northern Ireland Ambulance Service Health and Social Care Trust",
        "Belfast Health and Social Care Trust",
        "Belfast Health and Social Care Trust",
        id="northern-ireland-belfast",
    ),
    # Guildhall, Derry: Western HSC Trust.
    pytest.param(
        "BT48 6DQ",
        "N09000005",
        "Police Service of Northern Ireland",
        "Northern Ireland Fire and Rescue Service Board",
        "Northern Ireland Ambulance Service Health and Social Care Trust",
        "Western Health and Social Care Trust",
        "Western Health and Social Care Trust",
        id="northern-ireland-derry",
    ),
    # Oxford Town Hall: a two-tier district. Thames Valley (Police Act 1996 Sch. 1); Oxfordshire
    # County Council runs fire (FRSA 2004 s.1) and social care (Care Act 2014; Children Act 2004).
    pytest.param(
        "OX1 1BX",
        "E07000178",
        "Thames Valley Police",
        "Oxfordshire County Council",
        "South Central Ambulance Service NHS Foundation Trust",
        "Oxfordshire County Council",
        "Oxfordshire County Council",
        id="england-two-tier-oxford",
    ),
    # Buckingham Palace: Westminster. MOPAC (PRSRA 2011 s.3); London Fire Commissioner (GLA
    # Act 1999 s.327A); London Ambulance Service.
    pytest.param(
        "SW1A 1AA",
        "E09000033",
        "Metropolitan Police Service",
        "London Fire Commissioner",
        "London Ambulance Service NHS Trust",
        "Westminster City Council",
        "Westminster City Council",
        id="london-westminster",
    ),
    # Guildhall, City of London: its own police (City of London Police Act 1839).
    pytest.param(
        "EC2V 7HH",
        "E09000001",
        "City of London Police",
        "London Fire Commissioner",
        "London Ambulance Service NHS Trust",
        "City of London Corporation",
        "City of London Corporation",
        id="london-city",
    ),
    # County Hall, Newport: the Isle of Wight NHS Trust runs the island's ambulances (SI 2012/786);
    # fire is the Hampshire and Isle of Wight authority (SI 2020/186).
    pytest.param(
        "PO30 1UD",
        "E06000046",
        "Hampshire and Isle of Wight Constabulary",
        "Hampshire and Isle of Wight Fire and Rescue Authority",
        "Isle of Wight NHS Trust",
        "Isle of Wight Council",
        "Isle of Wight Council",
        id="england-isle-of-wight",
    ),
    # Carlisle: Cumberland Council since 1 April 2023 (SI 2022/331); Cumbria fire under the PFCC
    # (SI 2022/1230).
    pytest.param(
        "CA3 8QG",
        "E06000063",
        "Cumbria Constabulary",
        "Cumbria Commissioner Fire and Rescue Authority",
        "North West Ambulance Service NHS Trust",
        "Cumberland Council",
        "Cumberland Council",
        id="england-new-unitary-cumberland",
    ),
]


@pytest.mark.parametrize(
    ("postcode", "code", "police", "fire", "ambulance", "adults", "children"), SPOT_CHECKS
)
def test_a_postcode_returns_the_right_blue_light_and_social_care_bodies(
    baseline, postcode, code, police, fire, ambulance, adults, children
):
    found, held = _holders(postcode, baseline)
    assert found == code
    assert held["police"][0] == police
    assert held["fire"][0] == fire
    assert held["ambulance"][0] == ambulance
    assert held["adult_social_care"][0] == adults
    assert held["childrens_social_care"][0] == children


def test_who_answers_for_the_service_follows_local_democracy(baseline):
    # Mayors hold PCC functions in Greater Manchester (SI 2017/470) and South Yorkshire
    # (SI 2024/414); the Cumbria PFCC is the fire authority (SI 2022/1230).
    _, manchester = _holders("M60 2LA", baseline)
    _, sheffield = _holders("S1 2HH", baseline)
    _, carlisle = _holders("CA3 8QG", baseline)
    assert manchester["police"][1] == "Mayor of Greater Manchester"
    assert sheffield["police"][1] == "Mayor of South Yorkshire"
    assert sheffield["fire"][1] == "South Yorkshire Fire and Rescue Authority"
    assert carlisle["fire"][1] == "Cumbria Police, Fire and Crime Commissioner"
