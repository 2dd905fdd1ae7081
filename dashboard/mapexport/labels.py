"""The number labels of an exported map, and the detail insets that make room for them.

Each holder's territory splits into pieces of areas that touch; each piece big enough to see
(and always each holder's largest) gets its legend number at its pole of inaccessibility. A
label that finds no free spot near its piece marks a crowded place: the region with most of
them gets an inset beside the map, drawn larger, and its pieces are labelled there (London
first, when it is too small to read). What still does not fit goes at its piece anyway, so no
holder is left without a number.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.ops import polylabel

from dashboard.mapexport import text

INSET_WIDTH = 1.75
INSET_GAP = 0.2
TITLE_HEIGHT = 0.2
#: A piece other than its holder's largest is labelled if it covers this much paper (in²).
VISIBLE = 0.02
_NEAR = (0.9, 1.4, 2.0, 2.8)
_FAR = (3.8, 5.0, 6.5)


@dataclass(frozen=True)
class Frame:
    """A map on the page: a box (inches from the page's bottom left) showing an extent
    (British National Grid metres) at one scale."""

    x0: float
    y0: float
    width: float
    height: float
    extent: tuple[float, float, float, float]

    @property
    def scale(self) -> float:  # inches per metre
        return self.width / (self.extent[2] - self.extent[0])

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        return (
            self.x0 + (x - self.extent[0]) * self.scale,
            self.y0 + (y - self.extent[1]) * self.scale,
        )

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.x0, self.y0, self.x0 + self.width, self.y0 + self.height

    def shows(self, x: float, y: float) -> bool:
        e = self.extent
        return e[0] <= x <= e[2] and e[1] <= y <= e[3]


def fit(extent, aspect: float) -> tuple[float, float, float, float]:
    """``extent`` grown about its centre to ``aspect`` (width / height)."""
    x0, y0, x1, y1 = extent
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        grow = (h * aspect - w) / 2
        return x0 - grow, y0, x1 + grow, y1
    grow = (w / aspect - h) / 2
    return x0, y0 - grow, x1, y1 + grow


@dataclass(frozen=True)
class Piece:
    key: str
    members: tuple[str, ...]
    shape: shapely.Geometry  # the piece's largest polygon
    area: float  # of the whole piece, m²
    x: float  # where its label points, metres
    y: float
    region: str


@dataclass(frozen=True)
class Inset:
    frame: Frame
    title: str
    letter: str


@dataclass(frozen=True)
class Placed:
    key: str
    number: str
    frame: Frame
    anchor: tuple[float, float]  # inches
    centre: tuple[float, float]  # inches
    size: float  # points

    @property
    def moved(self) -> bool:
        dx, dy = self.centre[0] - self.anchor[0], self.centre[1] - self.anchor[1]
        return math.hypot(dx, dy) > self.size / 72 * 0.6


def pieces(geo, touching: Mapping[str, set[str]], region_of: Mapping[str, str]) -> list[Piece]:
    """The pieces of every key in ``geo`` (code, key, geometry; key "" is no data, left out),
    largest first."""
    codes = geo["code"].tolist()
    key_of = dict(zip(codes, geo["key"], strict=True))
    shape_of = dict(zip(codes, geo.geometry.values, strict=True))
    parent = {c: c for c in codes}

    def root(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for c in codes:
        for other in touching.get(c, ()):
            if key_of[c] and key_of.get(other) == key_of[c]:
                parent[root(c)] = root(other)
    groups: dict[str, list[str]] = {}
    for c in codes:
        if key_of[c]:
            groups.setdefault(root(c), []).append(c)
    out = []
    for members in groups.values():
        members.sort()
        union = shapely.union_all([shape_of[c] for c in members])
        parts = [p for p in shapely.get_parts(union) if p.geom_type == "Polygon" and p.area > 0]
        if not parts:
            continue
        largest = max(parts, key=lambda p: p.area)
        anchor = polylabel(largest, tolerance=max(math.sqrt(largest.area) / 40, 1.0))
        out.append(
            Piece(
                key_of[members[0]],
                tuple(members),
                largest,
                union.area,
                anchor.x,
                anchor.y,
                region_of.get(members[0], ""),
            )
        )
    out.sort(key=lambda p: (-p.area, p.members[0]))
    return out


def plan(
    found: list[Piece],
    main: Frame,
    numbers: Mapping[str, int],
    size: float,
    taken: list[tuple[float, float, float, float]],
    columns: list[float],
    top: float,
    bottom: float,
    london: tuple[float, float, float, float] | None,
) -> tuple[list[Inset], list[Placed]]:
    """Insets (in ``columns``, lefts in inches, from ``top`` down to ``bottom``) and every
    label. ``london``: London's extent, when it deserves an inset whatever else happens."""
    insets: list[Inset] = []
    space = [top] * len(columns)

    def add(extent, title: str, span: int = 1) -> bool:
        """Put an inset of ``extent`` in the first column (or ``span`` columns) with room."""
        w, h = extent[2] - extent[0], extent[3] - extent[1]
        for c in range(len(columns) - span + 1):
            level = min(space[c : c + span])
            width = INSET_WIDTH * span + INSET_GAP * (span - 1)
            height = min(width * h / w, 2.4 if span == 1 else 2.5, level - bottom - TITLE_HEIGHT)
            if height < 0.9:
                continue
            # Short of room, keep the scale and narrow the inset rather than zoom out.
            width = max(min(width, height * w / h), min(width, 1.2))
            y0 = level - TITLE_HEIGHT - height
            frame = Frame(columns[c], y0, width, height, fit(extent, width / height))
            insets.append(Inset(frame, title, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[len(insets)]))
            space[c : c + span] = [y0 - INSET_GAP] * span
            return True
        return False

    if london is not None:
        crowded = len({p.key for p in found if p.region == "London"}) >= 12
        add(_padded(london, 0.04), "London", span=min(len(columns), 2 if crowded else 1))
    for _ in range(12):
        mine = [p for p in found if _home(p, main, insets) is main]
        spots = place(_boxes(mine, main, numbers, size), main.box, taken, strict=True)
        failed = [p for p, spot in zip(mine, spots, strict=True) if spot is None]
        crowded = _crowd(failed, (main.extent[2] - main.extent[0]) * 0.08)
        if len(crowded) < 2:
            break
        regions = Counter(p.region for p in crowded)
        region = min(regions, key=lambda r: (-regions[r], r))
        bounds = shapely.bounds(shapely.union_all([p.shape for p in crowded]))
        least = (main.extent[2] - main.extent[0]) * 0.1
        if not add(_padded(_at_least(bounds, least), 0.08), region):
            break
    placed: list[Placed] = []
    seen: set[str] = set()
    for frame in [main, *(i.frame for i in insets)]:
        mine = [p for p in found if _home(p, main, insets) is frame]
        mine = [p for p in mine if _wanted(p, frame, seen)]
        boxes = _boxes(mine, frame, numbers, size)
        spots = place(boxes, frame.box, taken if frame is main else [], strict=False)
        for p, b, spot in zip(mine, boxes, spots, strict=True):
            placed.append(Placed(p.key, str(numbers[p.key]), frame, b[:2], spot, size))
    return insets, placed


def _crowd(failed: list[Piece], radius: float) -> list[Piece]:
    """The failed labels within ``radius`` of the one with most such neighbours."""
    if not failed:
        return []
    xy = np.array([(p.x, p.y) for p in failed])
    near = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1]) <= radius
    centre = int(np.argmax(near.sum(axis=1)))
    return [p for p, close in zip(failed, near[centre], strict=True) if close]


def _home(piece: Piece, main: Frame, insets: list[Inset]) -> Frame:
    return next((i.frame for i in insets if i.frame.shows(piece.x, piece.y)), main)


def _wanted(piece: Piece, frame: Frame, seen: set[str]) -> bool:
    """Each key's first (largest) piece, and any other that covers enough paper."""
    first = piece.key not in seen
    seen.add(piece.key)
    return first or piece.area * frame.scale**2 >= VISIBLE


def _padded(extent, share: float):
    x0, y0, x1, y1 = extent
    pad = max(x1 - x0, y1 - y0) * share + 1000
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def _at_least(extent, least: float):
    x0, y0, x1, y1 = extent
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = max(x1 - x0, least), max(y1 - y0, least * 0.7)
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _boxes(found: list[Piece], frame: Frame, numbers, size: float) -> list[tuple]:
    """(x, y, width, height) in inches of each piece's label at its anchor."""
    out = []
    for p in found:
        x, y = frame.to_page(p.x, p.y)
        out.append(
            (x, y, text.width(str(numbers[p.key]), size, bold=True) / 72 + 0.03, size / 72 + 0.02)
        )
    return out


def place(labels: list[tuple], box, taken, strict: bool) -> list[tuple[float, float] | None]:
    """A centre for each label (x, y, width, height; most important first) inside ``box``
    (x0, y0, x1, y1) clear of the others and of ``taken``: at its point if free, else the
    nearest free spot on rings around it. Where none is free, None if ``strict``, else its
    point."""
    placed = [np.asarray(t, dtype=float) for t in taken]
    out: list[tuple[float, float] | None] = []
    for x, y, w, h in labels:
        rings = _NEAR if strict else _NEAR + _FAR
        cx, cy = _candidates(x, y, w, h, rings)
        half_w, half_h = w / 2 + 0.01, h / 2 + 0.01
        ok = (
            (cx - w / 2 >= box[0])
            & (cx + w / 2 <= box[2])
            & (cy - h / 2 >= box[1])
            & (cy + h / 2 <= box[3])
        )
        if placed:
            b = np.vstack(placed)
            clash = (
                (cx[:, None] - half_w < b[None, :, 2])
                & (b[None, :, 0] < cx[:, None] + half_w)
                & (cy[:, None] - half_h < b[None, :, 3])
                & (b[None, :, 1] < cy[:, None] + half_h)
            )
            ok &= ~clash.any(axis=1)
        if ok.any():
            i = int(np.argmax(ok))
            spot = (float(cx[i]), float(cy[i]))
        elif strict:
            out.append(None)
            continue
        else:
            spot = (x, y)
        out.append(spot)
        placed.append(
            np.array([spot[0] - half_w, spot[1] - half_h, spot[0] + half_w, spot[1] + half_h])
        )
    return out


def _candidates(x, y, w, h, rings) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [x], [y]
    step = max(h, 0.06)
    stretch = max(1.0, w / h / 2)
    for ring in rings:
        count = 8 if ring < 2 else 16
        angles = 2 * math.pi * np.arange(count) / count + math.pi / 2
        xs.extend(x + np.cos(angles) * step * ring * stretch)
        ys.extend(y + np.sin(angles) * step * ring)
    return np.asarray(xs), np.asarray(ys)
