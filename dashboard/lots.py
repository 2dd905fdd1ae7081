"""Lots: areas grouped for tendering a package of services, with the figures and rules planners
check as they sketch.

An :class:`Assignment` keeps both directions (area → lot, lot → areas), refuses an area in two
lots, and never changes: every edit returns a new assignment linked to its parent, so undo is
walking back the chain (redo is kept by the caller). Tallies and rules are plain functions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from dashboard import atlas, population

#: Enough for one lot per area (361), or per county and unitary authority (218).
MAX_LOTS = 400
MAX_NAME = 60
#: Lot colours: the first twelve of the atlas palette.
LOT_COLOURS = atlas.USER_PALETTE


class LotError(ValueError):
    """An edit that cannot be made; the message says why."""


@dataclass(frozen=True)
class Assignment:
    """Which lot each area is in (unassigned areas are absent), lot colours and locks."""

    lots: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    order: tuple[str, ...] = ()  # lot names in creation order (lots may be empty)
    colours: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    locked: frozenset[str] = frozenset()
    parent: Assignment | None = field(default=None, repr=False, compare=False)

    def areas_of(self, lot: str) -> list[str]:
        return sorted(code for code, name in self.lots.items() if name == lot)

    def lot_of(self, code: str) -> str | None:
        return self.lots.get(code)

    def _next(self, **changes) -> Assignment:
        values = {
            "lots": self.lots,
            "order": self.order,
            "colours": self.colours,
            "locked": self.locked,
            **changes,
        }
        values["lots"] = MappingProxyType(dict(values["lots"]))
        values["colours"] = MappingProxyType(dict(values["colours"]))
        return Assignment(**values, parent=self)

    def add_lot(self, name: str, colour: str | None = None) -> Assignment:
        name = clean_name(name)
        if name in self.order:
            raise LotError(f"there is already a lot called '{name}'")
        if len(self.order) >= MAX_LOTS:
            raise LotError(f"a scenario can have at most {MAX_LOTS} lots")
        colour = colour or LOT_COLOURS[len(self.order) % len(LOT_COLOURS)]
        return self._next(order=(*self.order, name), colours={**self.colours, name: colour})

    def assign(self, codes: Iterable[str], lot: str | None) -> Assignment:
        """Put ``codes`` into ``lot`` (None: take them out of any lot). Areas in a locked lot,
        or moves into a locked lot, are refused."""
        if lot is not None and lot not in self.order:
            raise LotError(f"there is no lot called '{lot}'")
        if lot in self.locked:
            raise LotError(f"lot '{lot}' is locked")
        codes = list(dict.fromkeys(codes))
        held = sorted({self.lots[c] for c in codes if c in self.lots} & self.locked)
        if held:
            raise LotError(f"lot '{held[0]}' is locked: unlock it to move its areas")
        lots = dict(self.lots)
        for code in codes:
            if lot is None:
                lots.pop(code, None)
            else:
                lots[code] = lot
        return self._next(lots=lots)

    def toggle(self, code: str, lot: str) -> Assignment:
        """A click: add the area to ``lot``, or take it out if it is already there."""
        return self.assign([code], None if self.lots.get(code) == lot else lot)

    def rename(self, old: str, new: str) -> Assignment:
        new = clean_name(new)
        if old not in self.order:
            raise LotError(f"there is no lot called '{old}'")
        if new != old and new in self.order:
            raise LotError(f"there is already a lot called '{new}'")
        return self._next(
            lots={c: (new if n == old else n) for c, n in self.lots.items()},
            order=tuple(new if n == old else n for n in self.order),
            colours={(new if n == old else n): c for n, c in self.colours.items()},
            locked=frozenset(new if n == old else n for n in self.locked),
        )

    def recolour(self, lot: str, colour: str) -> Assignment:
        if lot not in self.order:
            raise LotError(f"there is no lot called '{lot}'")
        if not (len(colour) == 7 and colour.startswith("#")):
            raise LotError(f"'{colour}' is not a colour like #4e79a7")
        int(colour[1:], 16)
        return self._next(colours={**self.colours, lot: colour.lower()})

    def lock(self, lot: str, locked: bool = True) -> Assignment:
        if lot not in self.order:
            raise LotError(f"there is no lot called '{lot}'")
        return self._next(locked=self.locked | {lot} if locked else self.locked - {lot})

    def remove_lot(self, lot: str) -> Assignment:
        if lot in self.locked:
            raise LotError(f"lot '{lot}' is locked")
        return self._next(
            lots={c: n for c, n in self.lots.items() if n != lot},
            order=tuple(n for n in self.order if n != lot),
            colours={n: c for n, c in self.colours.items() if n != lot},
        )

    def clear(self) -> Assignment:
        """Empty every unlocked lot."""
        return self._next(lots={c: n for c, n in self.lots.items() if n in self.locked})

    def to_dict(self) -> dict:
        return {
            "lots": [
                {
                    "name": name,
                    "colour": self.colours.get(name, LOT_COLOURS[0]),
                    "locked": name in self.locked,
                    "areas": self.areas_of(name),
                }
                for name in self.order
            ]
        }

    @classmethod
    def from_dict(cls, doc: dict, known: Iterable[str] | None = None) -> Assignment:
        """Rebuild from :meth:`to_dict`; raises LotError naming the first problem."""
        if not isinstance(doc, dict) or not isinstance(doc.get("lots"), list):
            raise LotError("a scenario needs a 'lots' list")
        known_set = set(known) if known is not None else None
        result = cls()
        seen: dict[str, str] = {}
        for n, lot in enumerate(doc["lots"], 1):
            if not isinstance(lot, dict) or not isinstance(lot.get("areas", []), list):
                raise LotError(f"lot {n} is not a name with a list of areas")
            result = result.add_lot(str(lot.get("name", "")), _colour(lot.get("colour")))
            name = result.order[-1]
            mine = []
            for code in lot.get("areas", []):
                code = str(code).strip().upper()
                if known_set is not None and code not in known_set:
                    raise LotError(f"lot '{name}': {code[:20]} is not a known LAD code")
                if code in seen:
                    raise LotError(f"{code} is in both '{seen[code]}' and '{name}'")
                seen[code] = name
                mine.append(code)
            result = result.assign(mine, name)
            if lot.get("locked"):
                result = result.lock(name)
        return Assignment(result.lots, result.order, result.colours, result.locked)


def _colour(value) -> str | None:
    if isinstance(value, str) and len(value) == 7 and value.startswith("#"):
        try:
            int(value[1:], 16)
            return value.lower()
        except ValueError:
            return None
    return None


def clean_name(name: str) -> str:
    """A lot name: trimmed, single-spaced, 1–60 printable characters."""
    text = " ".join(str(name).split())
    if not text:
        raise LotError("a lot needs a name")
    if len(text) > MAX_NAME:
        raise LotError(f"a lot name can be at most {MAX_NAME} characters")
    if any(not c.isprintable() for c in text):
        raise LotError("a lot name cannot contain control characters")
    return text


def one_per_group(current: Assignment, groups: pd.DataFrame, column: str) -> Assignment:
    """One lot per group (police force area, region…), named after it; locked lots and their
    areas are kept, every other lot is replaced."""
    kept = [n for n in current.order if n in current.locked]
    result = Assignment(
        {c: n for c, n in current.lots.items() if n in current.locked},
        tuple(kept),
        {n: current.colours[n] for n in kept if n in current.colours},
        current.locked,
        parent=current,
    )
    taken = set(result.lots)
    for name, members in groups.groupby(column, sort=True)["code"]:
        if not name:
            continue
        lot = clean_name(str(name))
        if lot in result.order:
            lot = clean_name(f"{lot} ({column})")
        result = result.add_lot(lot).assign([c for c in members if c not in taken], lot)
    return Assignment(result.lots, result.order, result.colours, result.locked, parent=current)


def undo(current: Assignment) -> Assignment:
    """The state before the last edit (the same state when there is none)."""
    return current.parent if current.parent is not None else current


# --- groups, links and tallies -------------------------------------------------------------


#: Fixed links across estuaries, treated like a land border: (area, area, the crossing).
FIXED_LINKS = [
    ("E08000012", "E08000015", "Mersey: the Queensway and Kingsway tunnels (Liverpool, Wirral)"),
    ("E06000011", "E06000013", "Humber: the Humber Bridge (East Riding, North Lincolnshire)"),
    ("W06000021", "E06000025", "Severn: the Severn bridges (Monmouthshire, South Gloucestershire)"),
    ("S12000036", "S12000047", "Forth: the Forth bridges (City of Edinburgh, Fife)"),
    ("S12000042", "S12000047", "Tay: the Tay bridges (Dundee City, Fife)"),
]


def links(frame: gpd.GeoDataFrame, touching: dict[str, set[str]]) -> dict[str, set[str]]:
    """Adjacency, the fixed links across estuaries (:data:`FIXED_LINKS`), plus one "ferry
    link" per island group: every group of areas with no land
    border to the rest (the Isle of Wight, Anglesey, Scilly, Orkney, Shetland, the Western
    Isles, Northern Ireland…) is linked to the nearest area outside it, repeatedly, until the
    whole map is one connected network. A lot that holds an island without the area it is
    linked to is not contiguous."""
    graph = {code: set(neighbours) for code, neighbours in touching.items()}
    for a, b, _ in FIXED_LINKS:
        if a in graph and b in graph:
            graph[a].add(b)
            graph[b].add(a)
    shapes = frame.set_index("code").geometry
    if shapes.crs is not None and shapes.crs.is_geographic:
        shapes = shapes.to_crs(27700)
    while True:
        groups = _components(graph)
        if len(groups) <= 1:
            return graph
        groups.sort(key=len)
        island = groups[0]
        others = [c for c in graph if c not in island]
        inside = shapes.loc[sorted(island)]
        outside = shapes.loc[others]
        distance = outside.apply(lambda g, inside=inside: inside.distance(g).min())
        nearest = distance.idxmin()
        here = inside.distance(shapes.loc[nearest]).idxmin()
        graph[here].add(nearest)
        graph[nearest].add(here)


def _components(graph: dict[str, set[str]], within: set[str] | None = None) -> list[set[str]]:
    nodes = set(graph) if within is None else set(within)
    groups = []
    while nodes:
        start = nodes.pop()
        group, stack = {start}, [start]
        while stack:
            for n in graph.get(stack.pop(), ()):
                if n in nodes:
                    nodes.discard(n)
                    group.add(n)
                    stack.append(n)
        groups.append(group)
    return groups


@dataclass(frozen=True)
class RuleResult:
    ok: bool
    message: str


def contiguity(
    assignment: Assignment, lot: str, graph: dict[str, set[str]], names: Mapping[str, str]
) -> RuleResult:
    """Whether a lot is one connected piece over land borders and ferry links; if not, which
    areas are cut off from its largest piece."""
    codes = set(assignment.areas_of(lot))
    if not codes:
        return RuleResult(True, f"Lot {lot} is empty")
    pieces = sorted(_components(graph, codes), key=lambda g: (-len(g), sorted(g)))
    if len(pieces) == 1:
        return RuleResult(True, f"Lot {lot} is contiguous")
    apart = sorted(names.get(c, c) for piece in pieces[1:] for c in piece)
    shown = ", ".join(apart[:4]) + (f" and {len(apart) - 4} more" if len(apart) > 4 else "")
    verb = "is" if len(apart) == 1 else "are"
    return RuleResult(False, f"Lot {lot} is not contiguous: {shown} {verb} separate")


def compactness(geometry) -> float | None:
    """Polsby–Popper score of a (projected) shape: 4πA / P², 1 for a circle, near 0 for a
    sprawl. None for an empty shape."""
    if geometry is None or geometry.is_empty or geometry.length == 0:
        return None
    return float(4 * math.pi * geometry.area / geometry.length**2)


def tallies(
    assignment: Assignment,
    frame: gpd.GeoDataFrame,
    groups: pd.DataFrame,
    holders: pd.DataFrame,
    graph: dict[str, set[str]],
    names: Mapping[str, str],
) -> pd.DataFrame:
    """One row per lot: areas, population, the current holders it would replace, contiguity,
    compactness and coterminosity (how many police force areas, fire areas, upper-tier
    authorities and nations it touches, and how many of those it splits).

    ``groups`` has columns code, police, fire, upper_tier, country and, optionally,
    population (NA where unknown); ``holders`` has area_code, holder for the package's
    services; ``frame`` is in EPSG:27700. ``population`` is the sum of the known figures (NA
    when none is known) and ``population_unknown`` the number of the lot's areas without one."""
    shapes = frame.set_index("code").geometry
    by_group = {c: groups.groupby(c)["code"].apply(set) for c in COTERMINOUS}
    group_of = groups.set_index("code")
    people = group_of.get("population")
    rows = []
    for lot in assignment.order:
        codes = assignment.areas_of(lot)
        rule = contiguity(assignment, lot, graph, names)
        shape = shapes.loc[[c for c in codes if c in shapes.index]].union_all() if codes else None
        known, unknown = (
            population.total(people.reindex(codes)) if people is not None else (None, len(codes))
        )
        row = {
            "lot": lot,
            "areas": len(codes),
            "population": known,
            "population_unknown": unknown,
            "holders_replaced": int(
                holders.loc[holders["area_code"].isin(codes), "holder"].nunique()
            ),
            "contiguous": rule.ok,
            "rule": rule.message,
            "compactness": None if shape is None else compactness(shape),
        }
        for column, label in COTERMINOUS.items():
            touched = set(group_of.loc[codes, column]) if codes else set()
            split = sum(1 for g in touched if not by_group[column][g] <= set(codes))
            row[f"{label}_touched"] = len(touched)
            row[f"{label}_split"] = split
        rows.append(row)
    table = pd.DataFrame(rows)
    if len(table):
        table["population"] = table["population"].astype("Int64")
    return table


COTERMINOUS = {
    "police": "police_areas",
    "fire": "fire_areas",
    "upper_tier": "upper_tiers",
    "country": "nations",
}


COVER_SHARE = 0.5


def covered(frame: gpd.GeoDataFrame, drawn, share: float = COVER_SHARE) -> list[str]:
    """Areas a drawn shape (EPSG:4326) mostly covers: at least ``share`` of the area's land
    inside the shape. ``frame`` is in EPSG:27700. This is the studio's drawing rule: touching
    an area is not enough, so a rough outline does not pull in every neighbour."""
    shape = gpd.GeoSeries([drawn], crs=4326).to_crs(frame.crs).iloc[0]
    candidates = frame.iloc[frame.sindex.query(shape, predicate="intersects")]
    inside = candidates.geometry.intersection(shape).area / candidates.geometry.area
    return sorted(candidates.loc[inside >= share, "code"])


def unassigned(assignment: Assignment, codes: Iterable[str]) -> list[str]:
    return sorted(c for c in codes if c not in assignment.lots)
