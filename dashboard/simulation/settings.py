"""The settings of a run: what the franchiser decides, what the market is like, what is in scope.

One flat, frozen :class:`Settings`; a settings file groups the same names in three TOML tables,
``[market]``, ``[rules]`` and ``[scope]`` (see ``SPEC``). Anything left out takes its default;
unknown keys and bad values raise :class:`SettingsError` naming the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields, replace

#: Kinds of simulated challenger (the ``eligible_kinds`` vocabulary).
CHALLENGER_KINDS = ("private", "sme", "mutual", "utility", "charity")
PUBLIC_BIDDERS = ("allowed", "barred", "barred_first_round")
TENDER_ON = ("term_end", "failure_only")
PUBLIC_REACH = ("region", "own")
LOT_KINDS = ("area", "upper_tier", "police_force_area", "fire_area", "region", "nation")
NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}
SPECS = ("outcome", "input")


class SettingsError(ValueError):
    """A setting that is unknown or out of range; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Everything a run depends on, besides the data and the random generator.

    Every default is explained, with why, in ``docs/simulation.md``.
    """

    # [market]
    years: int = 30
    term: int = 7
    failure_tolerance: float = 0.2
    incumbent_advantage: float = 0.05
    price_weight: float = 0.4
    spec: str = "outcome"
    local_voice: float = 0.05
    challengers: int = 40
    entry_rate: float = 2.0
    start_year: int = 2026
    review_years: int = 3
    strikes: int = 3
    merger_rate: float = 0.15
    bid_cost: float = 0.02
    transition_cost: float = 0.05
    termination_cost: float = 0.10
    values: str = ""
    # [rules]
    public_bidders: str = "allowed"
    tender_on: str = "term_end"
    eligible_kinds: tuple[str, ...] = ()
    direct_award_share: float = 0.0
    insourcing: bool = True
    public_reach: str = "region"
    recall_year: int = 0
    # [scope]
    nations: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    lots: str = "area"
    bundle: bool = False

    def check(self) -> None:
        """Raise :class:`SettingsError` naming the first setting out of range."""
        for name, (_table, kind, rule, words) in SPEC.items():
            value = getattr(self, name)
            if not _fits(value, kind) or not rule(value):
                raise SettingsError(f"{name} {words}")
        if self.recall_year > self.years:
            raise SettingsError("recall_year must be 0 (never) or a year within the run")

    def replace(self, **changes) -> Settings:
        return replace(self, **changes)

    def as_dict(self) -> dict:
        doc = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in doc.items()}

    def to_toml(self) -> str:
        """The settings as a file ``from_toml`` reads back to the same settings."""
        out = []
        for table in ("market", "rules", "scope"):
            out.append(f"[{table}]")
            for name, (where, _kind, _rule, _words) in SPEC.items():
                if where == table:
                    out.append(f"{name} = {_toml_value(getattr(self, name))}")
            out.append("")
        return "\n".join(out)


def _between(low, high):
    return lambda v: low <= v <= high


def _all_in(choices):
    return lambda v: all(x in choices for x in v)


#: name -> (table, type, rule, what the rule says). The one list of every setting.
SPEC: dict[str, tuple[str, type, object, str]] = {
    "years": ("market", int, _between(1, 100), "must be between 1 and 100"),
    "term": ("market", int, _between(1, 50), "must be between 1 and 50 years"),
    "failure_tolerance": ("market", float, _between(0, 1), "must be between 0 and 1"),
    "incumbent_advantage": ("market", float, _between(0, 1), "must be between 0 and 1"),
    "price_weight": ("market", float, _between(0, 1), "must be between 0 and 1"),
    "spec": ("market", str, lambda v: v in SPECS, "must be 'outcome' or 'input'"),
    "local_voice": ("market", float, _between(0, 1), "must be between 0 and 1"),
    "challengers": ("market", int, _between(0, 1000), "must be between 0 and 1000"),
    "entry_rate": ("market", float, _between(0, 100), "must be between 0 and 100 a year"),
    "start_year": ("market", int, _between(1900, 2200), "must be between 1900 and 2200"),
    "review_years": ("market", int, _between(1, 10), "must be between 1 and 10 years"),
    "strikes": ("market", int, _between(1, 10), "must be between 1 and 10 years in breach"),
    "merger_rate": ("market", float, _between(0, 1), "must be between 0 and 1 a year"),
    "bid_cost": ("market", float, _between(0, 0.5), "must be between 0 and 0.5"),
    "transition_cost": ("market", float, _between(0, 1), "must be between 0 and 1"),
    "termination_cost": ("market", float, _between(0, 1), "must be between 0 and 1"),
    "values": ("market", str, lambda v: len(v) < 4096, "must be a path to a CSV file"),
    "public_bidders": (
        "rules",
        str,
        lambda v: v in PUBLIC_BIDDERS,
        "must be one of " + ", ".join(PUBLIC_BIDDERS),
    ),
    "tender_on": ("rules", str, lambda v: v in TENDER_ON, "must be one of " + ", ".join(TENDER_ON)),
    "eligible_kinds": (
        "rules",
        tuple,
        _all_in(CHALLENGER_KINDS),
        "must list kinds among " + ", ".join(CHALLENGER_KINDS) + " (empty = all)",
    ),
    "direct_award_share": ("rules", float, _between(0, 1), "must be between 0 and 1"),
    "insourcing": ("rules", bool, lambda v: True, "must be true or false"),
    "public_reach": (
        "rules",
        str,
        lambda v: v in PUBLIC_REACH,
        "must be 'region' (public bodies bid in their region) or 'own' (only for their own)",
    ),
    "recall_year": ("rules", int, _between(0, 100), "must be 0 (never) or a year of the run"),
    "nations": (
        "scope",
        tuple,
        _all_in(NATIONS),
        "must list nations among E, W, S, N (empty = all)",
    ),
    "services": ("scope", tuple, lambda v: True, "must be a list of service ids (empty = all)"),
    "lots": (
        "scope",
        str,
        lambda v: v in LOT_KINDS or v.endswith(".json"),
        "must be one of " + ", ".join(LOT_KINDS) + " or a studio scenario file (.json)",
    ),
    "bundle": ("scope", bool, lambda v: True, "must be true or false"),
}
assert set(SPEC) == {f.name for f in fields(Settings)}


def _fits(value, kind) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is tuple:
        return isinstance(value, tuple) and all(isinstance(x, str) for x in value)
    return isinstance(value, kind)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def coerce(name: str, value):
    """A value from a file or the command line, as the setting's type; SettingsError if not."""
    if name not in SPEC:
        raise SettingsError(f"unknown setting '{name[:60]}'")
    kind = SPEC[name][1]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if kind is tuple and isinstance(value, list):
        value = tuple(value)
    if not _fits(value, kind):
        raise SettingsError(f"{name} {SPEC[name][3]}")
    return value


def from_toml(text: str, base: Settings | None = None) -> Settings:
    """Settings from a settings file's text; what it leaves out comes from ``base``."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"the settings file is not valid TOML: {exc}") from None
    changes = {}
    for table, entries in doc.items():
        if table not in ("market", "rules", "scope", "about", "targets"):
            raise SettingsError(f"unknown table [{table[:40]}] (use [market], [rules], [scope])")
        if table in ("about", "targets"):
            continue  # descriptions and calibration bands ride along; the engine ignores them
        if not isinstance(entries, dict):
            raise SettingsError(f"[{table}] must be a table")
        for name, value in entries.items():
            if name not in SPEC:
                raise SettingsError(f"unknown setting '{name[:60]}' in [{table}]")
            if SPEC[name][0] != table:
                raise SettingsError(f"{name} belongs in [{SPEC[name][0]}], not [{table}]")
            changes[name] = coerce(name, value)
    settings = replace(base or Settings(), **changes)
    settings.check()
    return settings


def read(path) -> Settings:
    """Settings from a settings file on disk."""
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise SettingsError(f"{path} is not a file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SettingsError(f"{path} is not UTF-8 text") from None
    return from_toml(text)
