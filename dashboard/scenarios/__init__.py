"""Saved scenarios: named lots of areas and a package of services.

- :mod:`~dashboard.scenarios.model`: the scenario, its JSON document and its URL token;
- :mod:`~dashboard.scenarios.store`: the database (SQLite or PostgreSQL) with history, trash and
  edit keys; :mod:`~dashboard.scenarios.keys`: ids and keys;
- :mod:`~dashboard.scenarios.files`: lot CSVs in, tables, boundaries and bid packs out;
- :mod:`~dashboard.scenarios.compare`: a scenario against today and against another.
"""

from dashboard.scenarios.compare import compare, differences, market_lots, services_of
from dashboard.scenarios.files import (
    LineProblem,
    LotFileError,
    bid_pack,
    lots_frame,
    lots_table,
    read_lot_csv,
)
from dashboard.scenarios.model import (
    FORMAT,
    MAX_FILE,
    MAX_TOKEN,
    VERSION,
    Scenario,
    ScenarioError,
    decode,
    encode,
    from_payload,
    read_file,
)
from dashboard.scenarios.store import (
    TRASH_DAYS,
    Conflict,
    Entry,
    Forbidden,
    Store,
    Unavailable,
)

__all__ = [
    "FORMAT",
    "MAX_FILE",
    "MAX_TOKEN",
    "TRASH_DAYS",
    "VERSION",
    "Conflict",
    "Entry",
    "Forbidden",
    "LineProblem",
    "LotFileError",
    "Scenario",
    "ScenarioError",
    "Store",
    "Unavailable",
    "bid_pack",
    "compare",
    "decode",
    "differences",
    "encode",
    "from_payload",
    "lots_frame",
    "lots_table",
    "market_lots",
    "read_file",
    "read_lot_csv",
    "services_of",
]
