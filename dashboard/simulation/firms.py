"""Who can hold a unit: today's public holders, the operator of last resort, and simulated firms.

Every bidder is a row of :class:`Bidders`: the original public holders first, then the operator
of last resort (the franchiser itself, state-run), then simulated challenger firms as they enter.
A firm belongs to an owning group (itself, until it is acquired); the group holds the money
(reserves), the capacity (the annual contract value it can run) and its mobilisation capacity (new
contracts it can take on in a year),
and it bids once per tender, with the best of its firms' capabilities. Simulated firms are
labelled "Simulated …" and never carry a real company's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dashboard.simulation.market import LOCALLY_ACCOUNTABLE, Market

LAST_RESORT_ID = "operator-of-last-resort"
LAST_RESORT_NAME = "Operator of last resort (the franchiser, state-run)"
LAST_RESORT_KIND = "last_resort"
#: Kinds the simulation adds to the data's own (labels for maps and tables).
SIMULATED_KINDS = {LAST_RESORT_KIND: "Operator of last resort (state-run)"}


@dataclass(frozen=True)
class FirmType:
    """A kind of simulated entrant. Money is in £; costs are shares of today's cost."""

    kind: str
    label: str
    share: float  # of entrants
    regions: int  # 0 = national
    families: str  # "all", "one", or a family id it specialises in
    capability: tuple[float, float]
    capacity_gbp: tuple[float, float]  # annual contract value it can run
    mobilise: tuple[int, int]  # new contracts it can take on in a year
    cost: tuple[float, float]  # cost on a low-risk service, as a share of today's cost
    margin: float
    optimism: float  # share by which it over-promises quality
    appetite: float  # for risk, 0-1


ENTRANTS = {
    "outsourcer": FirmType(
        "private", "outsourcer", 0.22, 0, "all", (0.50, 0.65), (3e8, 3e9), (10, 40), (0.74, 0.86),
        0.06, 0.05, 0.50,
    ),
    "sme": FirmType(
        "sme", "small business", 0.28, 1, "one", (0.50, 0.70), (3e6, 3e7), (1, 3), (0.84, 0.94),
        0.05, 0.04, 0.50,
    ),
    "spin_out": FirmType(
        "mutual", "public-service spin-out", 0.22, 1, "one", (0.58, 0.72), (5e6, 8e7), (1, 3),
        (0.86, 0.96), 0.03, 0.02, 0.75,
    ),
    "utility": FirmType(
        "utility", "utility", 0.10, 3, "benefits", (0.55, 0.70), (5e7, 6e8), (4, 10),
        (0.80, 0.92), 0.05, 0.03, 0.40,
    ),
    "charity": FirmType(
        "charity", "charity", 0.18, 2, "social_care", (0.55, 0.72), (1e7, 2e8), (1, 4),
        (0.88, 0.98), 0.02, 0.02, 0.80,
    ),
}  # fmt: skip
#: A new group's reserves, as a share of the contract value it can run.
RESERVES = 0.06


@dataclass
class Bidders:
    """All bidders, as arrays indexed by bidder; groups' figures sit at the owner's index."""

    ids: list[str]
    names: list[str]
    kinds: list[str]
    simulated: list[bool]
    capability: np.ndarray  # bidders × families
    presence: np.ndarray  # bidders × regions (bool)
    appetite: np.ndarray
    cost: np.ndarray  # low-risk cost, share of today's
    margin: np.ndarray
    optimism: np.ndarray
    local: np.ndarray  # bool: answers to a locally elected body
    owner: np.ndarray  # owning group (a bidder index)
    alive: np.ndarray  # bool: still in the market (groups)
    reserves: np.ndarray  # £ (groups)
    capacity: np.ndarray  # £ a year (groups)
    mobilise: np.ndarray  # new contracts a year (groups)
    bids: np.ndarray  # bids made so far (groups)
    wins: np.ndarray  # tenders won so far (groups)
    idle: np.ndarray  # years in a row with no contract (groups)
    losing: np.ndarray  # bids lost in a row (groups)
    n_public: int = 0  # bidders before this index are today's (public) holders
    counter: dict[str, int] = field(default_factory=dict)

    @property
    def last_resort(self) -> int:
        return self.n_public

    @property
    def first_firm(self) -> int:
        return self.n_public + 1

    def add(self, rng: np.random.Generator, market: Market, key: str) -> None:
        """One simulated entrant of type ``key``, its own owning group."""
        t = ENTRANTS[key]
        n_regions, n_families = len(market.regions), len(market.families)
        capability = np.zeros(n_families)
        presence = np.zeros(n_regions, dtype=bool)
        if t.regions == 0:
            presence[:] = True
        else:
            presence[rng.choice(n_regions, size=min(t.regions, n_regions), replace=False)] = True
        if t.families == "all":
            capability[:] = rng.uniform(*t.capability, n_families)
        elif t.families in market.families:
            capability[market.families.index(t.families)] = rng.uniform(*t.capability)
        else:
            capability[rng.integers(n_families)] = rng.uniform(*t.capability)
        capacity = float(np.exp(rng.uniform(*np.log(t.capacity_gbp))))
        self.counter[key] = self.counter.get(key, 0) + 1
        number = self.counter[key]
        self.ids.append(f"simulated-{key.replace('_', '-')}-{number}")
        self.names.append(f"Simulated {t.label} {number}")
        self.kinds.append(t.kind)
        self.simulated.append(True)
        me = len(self.ids) - 1
        self.capability = np.vstack([self.capability, capability])
        self.presence = np.vstack([self.presence, presence])
        self.appetite = np.append(self.appetite, t.appetite + rng.normal(0, 0.05))
        self.cost = np.append(self.cost, rng.uniform(*t.cost))
        self.margin = np.append(self.margin, t.margin)
        self.optimism = np.append(self.optimism, t.optimism)
        self.local = np.append(self.local, t.kind in LOCALLY_ACCOUNTABLE)
        self.owner = np.append(self.owner, me)
        self.alive = np.append(self.alive, True)
        self.reserves = np.append(self.reserves, RESERVES * capacity)
        self.capacity = np.append(self.capacity, capacity)
        self.mobilise = np.append(
            self.mobilise, int(rng.integers(t.mobilise[0], t.mobilise[1] + 1))
        )
        self.bids = np.append(self.bids, 0)
        self.wins = np.append(self.wins, 0)
        self.idle = np.append(self.idle, 0)
        self.losing = np.append(self.losing, 0)

    def spawn(self, rng: np.random.Generator, market: Market, count: int, kinds=()) -> None:
        """``count`` entrants, their types drawn by share among the ``kinds`` allowed."""
        keys = [k for k in ENTRANTS if not kinds or ENTRANTS[k].kind in kinds]
        shares = np.array([ENTRANTS[k].share for k in keys])
        for _ in range(count):
            self.add(rng, market, keys[rng.choice(len(keys), p=shares / shares.sum())])

    def groups(self) -> np.ndarray:
        """Indices of the owning groups still in the market."""
        firms = np.arange(self.first_firm, len(self.ids))
        return firms[(self.owner[firms] == firms) & self.alive[firms]]

    def acquire(self, buyer: int, target: int) -> None:
        """``buyer``'s group takes over ``target``'s: its firms, money, capacity and know-how."""
        moved = self.owner == target
        self.owner[moved] = buyer
        self.reserves[buyer] += self.reserves[target]
        self.capacity[buyer] += self.capacity[target]
        self.mobilise[buyer] += self.mobilise[target]
        self.capability[buyer] = np.maximum(self.capability[buyer], self.capability[target])
        self.presence[buyer] |= self.presence[target]
        self.cost[buyer] = min(self.cost[buyer], self.cost[target])
        self.alive[target] = False
        self.reserves[target] = 0.0


def public_holders(market: Market, rng: np.random.Generator) -> Bidders:
    """Today's holders (capability in their own services drawn once per run) and the operator
    of last resort."""
    n = len(market.bidder_ids)
    capability = np.zeros((n + 1, len(market.families)))
    presence = np.zeros((n + 1, len(market.regions)), dtype=bool)
    base = np.clip(rng.normal(0.6, 0.04, n), 0.45, 0.75)
    capability[market.original, market.lot_family] = base[market.original]
    presence[market.original, market.lot_region] = True
    capability[n] = 0.55  # the state stepping in: adequate, not good
    presence[n] = True
    kinds = [*market.bidder_kinds, LAST_RESORT_KIND]
    zeros = np.zeros(n + 1)
    return Bidders(
        ids=[*market.bidder_ids, LAST_RESORT_ID],
        names=[*market.bidder_names, LAST_RESORT_NAME],
        kinds=kinds,
        simulated=[False] * (n + 1),
        capability=capability,
        presence=presence,
        appetite=np.ones(n + 1),
        cost=np.ones(n + 1),
        margin=zeros.copy(),
        optimism=zeros.copy(),
        local=np.array([k in LOCALLY_ACCOUNTABLE for k in kinds]),
        owner=np.arange(n + 1),
        alive=np.ones(n + 1, dtype=bool),
        reserves=np.full(n + 1, np.inf),
        capacity=np.full(n + 1, np.inf),
        mobilise=np.zeros(n + 1, dtype=int),
        bids=np.zeros(n + 1, dtype=int),
        wins=np.zeros(n + 1, dtype=int),
        idle=np.zeros(n + 1, dtype=int),
        losing=np.zeros(n + 1, dtype=int),
        n_public=n,
    )
