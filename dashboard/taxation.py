"""Who taxes you for which service: Band D council tax per area, and the bodies whose precepts
make up the bill, derived from the holdings (who holds police, fire and social care) and the law.

Figures come from ``data/taxation/council_tax_band_d.csv`` (MHCLG, Welsh Government and Scottish
Government tables; see its README). Northern Ireland has domestic rates, not council tax: its
amounts are unknown here, with the reason.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from dashboard import paths

BAND_D = paths.DATA / "taxation" / "council_tax_band_d.csv"
YEARS = ("2025-26", "2026-27")
LGFA = "https://www.legislation.gov.uk/ukpga/1992/14"
#: Where each nation's rules come from (what a precept is and who may issue one).
LAW = {
    "England": (
        "Local Government Finance Act 1992, Part I: the billing authority sets council tax "
        "(s.1) and collects the precepts of the major precepting authorities (s.39(1): county "
        "councils, police and crime commissioners and mayors with their functions, the Greater "
        "London Authority, fire and rescue authorities, mayoral combined authorities) and of "
        "local precepting authorities (s.39(2): parish and town councils)",
        f"{LGFA}/part/I",
    ),
    "Wales": (
        "Local Government Finance Act 1992, Part I: the county or county borough council sets "
        "council tax and collects the precepts of the police and crime commissioner and of "
        "community councils (s.39); the Welsh fire and rescue authorities issue no precept, "
        "they are paid for by contributions from their constituent councils",
        f"{LGFA}/part/I",
    ),
    "Scotland": (
        "Local Government Finance Act 1992, Part II: the council sets council tax and no other "
        "body precepts; Police Scotland and the Scottish Fire and Rescue Service are funded "
        "nationally (Police and Fire Reform (Scotland) Act 2012)",
        f"{LGFA}/part/II",
    ),
    "Northern Ireland": (
        "Rates (Northern Ireland) Order 1977: no council tax; domestic rates are a district "
        "rate set by the district council and a regional rate set by the Executive, both "
        "collected by Land & Property Services",
        "https://www.legislation.gov.uk/nisi/1977/2157",
    ),
}
#: What each nation's Band D figure covers.
COVERS = {
    "England": "England's Band D is the average for the area, with every precept, parish and "
    "town councils' included.",
    "Wales": "Wales's Band D is the overall average for the area, community councils' included.",
    "Scotland": "Scotland's Band D is the council's alone; water and waste water charges, billed "
    "with it, are not included.",
}
NI_UNKNOWN = (
    "Northern Ireland has domestic rates, not council tax. The district and regional rate "
    "poundages are not in any package we can verify them from, so the amount is unknown here."
)


class TaxationError(ValueError):
    """The Band D file is missing or malformed; the message names the problem."""


@dataclass(frozen=True)
class BandD:
    code: str
    amounts: dict[str, float | None]  # year -> £, None where unknown
    what: str
    source: str

    def change(self) -> float | None:
        """Year-on-year change from the first year to the last, as a fraction."""
        old, new = (self.amounts.get(y) for y in YEARS)
        return None if not old or new is None else new / old - 1


@cache
def _band_d(path: Path = BAND_D) -> dict[str, BandD]:
    if not path.exists():
        raise TaxationError(f"{path} is missing; run `make council-tax`")
    rows: dict[str, dict] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), 2):
            code, year = row.get("code", ""), row.get("year", "")
            if year not in YEARS:
                raise TaxationError(f"{path.name}:{line}: unknown year {year!r}")
            try:
                amount = float(row["band_d_gbp"]) if row["band_d_gbp"] else None
            except ValueError:
                raise TaxationError(
                    f"{path.name}:{line}: band_d_gbp {row['band_d_gbp']!r} is not a number"
                ) from None
            entry = rows.setdefault(code, {"amounts": {}, "what": row["what"], "source": {}})
            entry["amounts"][year] = amount
            entry["source"][year] = row["source"]
    return {
        code: BandD(
            code,
            {y: e["amounts"].get(y) for y in YEARS},
            e["what"],
            " ".join(e["source"][y] for y in YEARS if y in e["source"]),
        )
        for code, e in rows.items()
    }


def band_d(code: str) -> BandD | None:
    """Band D for a billing authority's area (None where there is no council tax: NI)."""
    return _band_d().get(code)


def band_d_frame() -> pd.DataFrame:
    """code, band_d_2025_26, band_d_2026_27 and change (fraction) for every area with figures."""
    return pd.DataFrame(
        [
            {
                "code": b.code,
                "band_d_2025_26": b.amounts[YEARS[0]],
                "band_d_2026_27": b.amounts[YEARS[1]],
                "change": b.change(),
            }
            for b in _band_d().values()
        ],
        columns=["code", "band_d_2025_26", "band_d_2026_27", "change"],
    )


@dataclass(frozen=True)
class Precept:
    body: str
    services: list[str]
    note: str = ""


@dataclass(frozen=True)
class CouncilTax:
    """Who taxes an area's residents for what: the answer the card and ``who-runs`` give."""

    kind: str  # "council_tax" or "domestic_rates"
    billing_authority: str
    band_d: dict[str, float | None]
    precepts: list[Precept] = field(default_factory=list)
    own_services: list[str] = field(default_factory=list)
    law: str = ""
    law_url: str = ""
    source: str = ""
    note: str = ""

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "billing_authority": self.billing_authority,
            "band_d": self.band_d,
            "precepts": [{"body": p.body, "services": p.services} for p in self.precepts],
            "billing_authority_services": self.own_services,
            "law": {"text": self.law, "url": self.law_url},
            "source": self.source,
            "note": self.note,
        }


def _funds(held: list, body: str) -> list[str]:
    """Services in ``held`` whose holder or accountable body is ``body``."""
    return [h.service for h in held if body in (h.holder, h.accountable_to)]


def council_tax(held: list, country: str, code: str) -> CouncilTax:
    """The bill's makers for one area from its holdings (``holdings.for_area``) and nation."""
    law, url = LAW.get(country, ("", ""))
    by_service = {h.service_id: h for h in held}
    billing = by_service.get("council_tax")
    billing_body = billing.accountable_to if billing else ""
    if country == "Northern Ireland":
        return CouncilTax(
            "domestic_rates",
            billing.holder if billing else "Land & Property Services",
            {y: None for y in YEARS},
            law=law,
            law_url=url,
            note=NI_UNKNOWN,
        )
    figures = band_d(code)
    amounts = figures.amounts if figures else {y: None for y in YEARS}
    own = _funds(held, billing_body) if billing_body else []
    precepts: list[Precept] = []
    if country in ("England", "Wales"):
        precepts = _precepts(by_service, held, billing_body, country)
    fire = by_service.get("fire")
    welsh_fire = (
        f" Fire: {fire.accountable_to} issues no precept; the councils it serves pay for it out "
        "of their own council tax."
        if country == "Wales" and fire is not None
        else ""
    )
    note = COVERS.get(country, "")
    return CouncilTax(
        "council_tax",
        billing_body,
        amounts,
        precepts,
        own,
        law,
        url,
        figures.source if figures else "",
        (note + welsh_fire) if figures else f"No Band D figure for {code} in {BAND_D.name}.",
    )


def _precepts(by_service: dict, held: list, billing: str, country: str) -> list[Precept]:
    bodies: dict[str, list[str]] = {}
    notes: dict[str, str] = {}

    def add(body: str, service: str, note: str = "") -> None:
        if body and body != billing and not body.startswith(billing + " "):
            bodies.setdefault(body, [])
            if service not in bodies[body]:
                bodies[body].append(service)
            if note:
                notes[body] = note

    police, fire = by_service.get("police"), by_service.get("fire")
    london = (police is not None and police.accountable_to.startswith("Mayor of London")) or (
        fire is not None and fire.accountable_to.startswith("London Fire Commissioner")
    )
    if london:  # the GLA's precept pays for the Mayor's police (MOPAC) and fire (the LFC)
        if police is not None and police.accountable_to.startswith("Mayor of London"):
            add("Greater London Authority (Mayor of London)", "police")
        add("Greater London Authority (Mayor of London)", "fire")
    else:
        if police is not None:
            add(police.accountable_to, "police")
        if fire is not None and country == "England":
            add(fire.accountable_to, "fire")
    # The county council in two-tier areas (the council holding adult social care that is not
    # the billing authority): every service it holds here.
    care = by_service.get("adult_social_care")
    if care is not None and care.holder_kind == "local_authority" and care.holder != billing:
        for h in held:
            if h.holder == care.holder:  # fire as the fire precept above names it
                add(care.holder, "fire" if h.service_id == "fire" else h.service.lower())
    local = (
        "parish and town councils, where the area has them"
        if country == "England"
        else "community councils, where the area has them"
    )
    listed = [Precept(body, services, notes.get(body, "")) for body, services in bodies.items()]
    return [*listed, Precept(local.capitalize(), ["local services"], "local precepting")]


def describe(tax: CouncilTax) -> str:
    """One sentence for the card: the Band D, its change, and who sets and precepts it."""
    if tax.kind == "domestic_rates":
        return f"No council tax: domestic rates, collected by {tax.billing_authority}. {tax.note}"
    old, new = (tax.band_d.get(y) for y in YEARS)
    if new is None:
        return f"Council tax is set by {tax.billing_authority}; its Band D is unknown here."
    change = ""
    if old:
        change = f", {'up' if new >= old else 'down'} {abs(new / old - 1):.1%} on {YEARS[0]}"
    text = f"Your council tax: Band D £{new:,.2f} ({YEARS[1]}){change}. "
    text += f"Set by {tax.billing_authority}"
    if tax.precepts:
        parts = [f"{p.body} ({', '.join(p.services)})" for p in tax.precepts]
        text += ", with precepts for " + "; ".join(parts)
    return text + "."


#: Colourings of the atlas by council tax (beside atlas's holder and kind).
COLOUR_BY = {"band_d": f"Band D {YEARS[1]}", "band_d_change": f"Band D change on {YEARS[0]}"}
#: A sequential, colour-blind-safe scale (viridis, light for low to dark for high).
SEQUENTIAL = ["#fde725", "#a0da39", "#4ac16d", "#1fa187", "#277f8e", "#365c8d", "#46327e"]
UNKNOWN_COLOUR = "#bdbdbd"
#: Holders residents elect: their council, or their mayor's combined authority.
ELECTED_KINDS = {"local_authority", "combined_authority"}
_BINS = {
    "band_d": [1300, 1600, 1900, 2100, 2300, 2500],  # £
    "band_d_change": [0.03, 0.04, 0.05, 0.06, 0.07, 0.08],
}


def _bin_labels(by: str) -> list[str]:
    edges = _BINS[by]
    show = (lambda v: f"£{v:,.0f}") if by == "band_d" else (lambda v: f"{v:.0%}")
    labels = [f"under {show(edges[0])}"]
    labels += [f"{show(lo)} to under {show(hi)}" for lo, hi in itertools.pairwise(edges)]
    return [*labels, f"{show(edges[-1])} or more"]


def colour_frame(areas: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per area (columns code, name, population of ``areas``): a ``key`` and ``label`` naming
    its band of Band D (or of its change), a sequential ``colour`` and the band's ``order``;
    areas without council tax or a figure are "unknown", in grey, last."""
    figures = band_d_frame().set_index("code")
    column = "band_d_2026_27" if by == "band_d" else "change"
    values = areas["code"].map(figures[column]) if len(figures) else pd.Series(dtype=float)
    labels = _bin_labels(by)
    edges = _BINS[by]
    rows = []
    for code, value in zip(areas["code"], values, strict=True):
        if value is None or pd.isna(value):
            order = len(labels)
            label = "Unknown: no council tax (Northern Ireland) or no figure"
            colour = UNKNOWN_COLOUR
        else:
            order = sum(value >= e for e in edges)
            label, colour = labels[order], SEQUENTIAL[order]
        rows.append({"code": code, "key": f"{order}", "label": label, "colour": colour})
    frame = areas[["code", "name", "population"]].merge(pd.DataFrame(rows), on="code")
    return frame.assign(holders="", organisations=0, order=frame["key"].astype(int))


def accountability(held: list) -> str:
    """Who answers for this area's services today, and who would under a franchise."""
    elected = [
        h.service for h in held if h.holder_kind in ("local_authority", "combined_authority")
    ]
    if not held:
        return ""
    today = (
        f"Run by a body residents elect (their council or mayor): {', '.join(elected)} "
        f"({len(elected)} of {len(held)}); the others answer to the body named for each."
        if elected
        else f"None of these {len(held)} services is run by a body residents elect."
    )
    return (
        f"{today} Under a franchise, each would answer to the franchiser (central government) "
        "through its contract, not to the voters here, whoever won it."
    )
