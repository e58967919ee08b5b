"""The settings of the control rules, the roles the vocabulary gives relation types, and share bounds."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ..errors import QueryError
from ..models import EXCLUDED_BOUND_STEP

CONTROLS = "controls"
MAY_CONTROL = "may control"
NO_CONTROL = "does not control"

# verdicts about the entity asked about (docs/CONTROL.md, Verdicts)
CONTROLLED = "controlled"
MAY_BE_CONTROLLED = "may be controlled"
NO_CONTROLLING_PARTY = "no controlling party"
UNKNOWN = "unknown"
NOT_YET_FOUNDED = "not yet founded"
DISSOLVED = "dissolved"
CONTESTED = "contested"
VERDICTS = (CONTROLLED, MAY_BE_CONTROLLED, NO_CONTROLLING_PARTY, UNKNOWN, NOT_YET_FOUNDED, DISSOLVED, CONTESTED)

LOW, HIGH = 0, 1  # the two runs: low ends of shares (certain), high ends (possible)
EPSILON = 1e-9
# the relation types whose certain equity counts as owners' (Holdings.tighten; read by both engines)
OWNER_TYPES = ("owns", "limited_partner_of", "general_partner_of")
# a company whose holders inside a cycle hold at least this fraction of it is held in full there (closed cycle)
CLOSED = 1 - 1e-12

# the vocabulary's `control:` kinds that give control directly, and the rule each is reported as
DIRECT_RULES = {
    "board": "board",
    "general_partner": "general partner",
    "contract": "contract",
    "statute": "statute",
    "stated": "stated",
}
BUNDLE_ROLES = ("power", "option", "channel")  # a complete contract bundle (VIE) holds all three
# a holder that stands for a dispersed public (one pattern, read by both engines)
DISPERSED_PATTERN = r"\b(public (float|shareholders?|investors?)|free float|float)\b"
_DISPERSED = re.compile(DISPERSED_PATTERN)


@dataclass(frozen=True)
class ControlRules:
    """The thresholds and switches of the control rules (defaults as in docs/CONTROL.md).

    ``control_threshold``: votes strictly above this percentage control.
    ``significant_threshold``: votes or equity at or above this percentage are a significant holding.
    ``count_board``: appointing or nominating a board majority gives control.
    ``approximate_margin``: an approximate share ``~v`` counts as the range ``v ± margin``
    (default 0: it counts at its value and the answer is flagged approximate).
    ``stale_after``: an observation older than this many years at the date asked is flagged stale.
    """

    control_threshold: float = 50.0
    significant_threshold: float = 25.0
    count_board: bool = True
    approximate_margin: float = 0.0
    stale_after: float = 3.0

    def __post_init__(self):
        if not 0 <= self.control_threshold < 100:
            raise QueryError(f"control threshold must be from 0 to below 100, not {self.control_threshold:g}")
        if not 0 < self.significant_threshold <= 100:
            raise QueryError(f"significant threshold must be above 0 and at most 100, not {self.significant_threshold:g}")
        if self.approximate_margin < 0:
            raise QueryError("approximate margin must not be negative")
        if self.stale_after < 0:
            raise QueryError("the stale-after horizon must not be negative")

    def to_dict(self) -> dict:
        return asdict(self)


class Roles:
    """What the control rules make of each relation type, read from the vocabulary.

    ``kind``: the vocabulary's ``control:`` (equity, votes, board, ..., none); ``bundle``: the part a
    type plays in a contract bundle (power, option, channel, evidence); ``concert``: parties acting in
    concert; ``economic``: equity that carries an economic interest. A graph without a vocabulary
    (built by hand in tests and benchmarks) uses the bundled one.
    """

    def __init__(self, vocabulary):
        types = vocabulary.relation_types
        self.kind = {t: d.control for t, d in types.items()}
        self.bundle = {t: d.bundle for t, d in types.items() if d.bundle}
        self.concert = frozenset(t for t, d in types.items() if d.concert)
        self.economic = frozenset(t for t, d in types.items() if d.economic)
        self.by_bundle_role = {role: tuple(sorted(t for t, r in self.bundle.items() if r == role))
                               for role in BUNDLE_ROLES + ("evidence",)}

    def kind_of(self, relation_type) -> str:
        return self.kind.get(relation_type, "none")

    def confers_control(self, relation_type) -> bool:
        """A relation of this type can point control at its target (used by the verdict ``unknown``)."""
        kind = self.kind.get(relation_type, "none")
        return (kind not in ("none", "nominee")) or relation_type in self.bundle

    def bundle_types(self, *roles) -> tuple[str, ...]:
        return tuple(t for role in roles for t in self.by_bundle_role.get(role, ()))


def roles_of(graph) -> Roles:
    vocabulary = graph.graph.get("vocabulary")
    if vocabulary is None:
        return _bundled_roles()
    return Roles(vocabulary)


@lru_cache(maxsize=1)
def _bundled_roles() -> Roles:
    from ..vocabulary import bundled_vocabulary

    return Roles(bundled_vocabulary())


def is_dispersed(node, data) -> bool:
    """A public float or other dispersed holders: never a controller nor a significant holder."""
    if data.get("type") == "user_group":
        return True
    text = f"{node.replace('_', ' ')} {data.get('name', '')}".lower()
    return bool(_DISPERSED.search(text))


def bounds(share, margin=0.0):
    """A share dict as (low, high, approximate); an unknown share is (0, 100) until tightened."""
    if share is None:
        return (0.0, 100.0, False)
    value = share.get("value")
    approximate = bool(share.get("approximate"))
    if value is not None:
        if approximate and margin:
            return (max(0.0, value - margin), min(100.0, value + margin), True)
        return (float(value), float(value), approximate)
    low = float(share.get("min") or 0.0)
    high = share.get("max")
    high = 100.0 if high is None else float(high)
    if share.get("exclusive_min"):  # "more than 50%": certainly above 50, so it controls
        low += EXCLUDED_BOUND_STEP
    if share.get("exclusive_max"):
        high -= EXCLUDED_BOUND_STEP
    return (low, high, approximate)


ROUNDING_DIGITS = (9, 6)  # a figure is rounded half up to 9 decimals, then half up to 6 (see rounded)
_QUANTUM = {digits: Decimal(1).scaleb(-digits) for digits in ROUNDING_DIGITS}


def rounded(value: float) -> float:
    """A share or interest in percent as the records give it: half up to 9 decimals, then half up to 6
    (both on the shortest decimal form of the float, as Spark's ``round``: the Spark engine applies
    ``F.round(F.round(x, 9), 6)``, the same rule). The first step absorbs the float noise left by the
    order of the arithmetic (48.3% x 56.3% x 52.5% is 14.2762725% whichever product comes first), the
    second decides a tie upwards (14.276273)."""
    value += 0.0  # -0.0 is 0.0
    if not math.isfinite(value):
        return value
    for digits in ROUNDING_DIGITS:
        scaled = value * 10.0 ** digits
        if abs(scaled - math.floor(scaled) - 0.5) < 1e-3:  # at (or within noise of) a tie: decimal arithmetic
            value = float(Decimal(repr(value)).quantize(_QUANTUM[digits], ROUND_HALF_UP))
        else:  # away from a tie, round() of the binary value gives the same figure, faster
            value = round(value, digits)
    return value


def percent_range(low, high) -> str:
    return f"{low:.4g}%" if abs(high - low) < 1e-9 else f"{low:.4g}-{high:.4g}%"
