"""Who controls what: control, legal ownership and economic interest, kept apart.

Pure functions over the graph of :mod:`ecosystem.graph`; see ``docs/CONTROL.md`` for the rules.
Three answers, never mixed:

* **legal owners** of X: who is on X's register (``owns`` relations into X, nominees included);
* **economic interest** in X: equity fractions multiplied along chains and added across chains,
  solved as ``U = A_FC (I - A_CC)^-1`` so that cross-holdings are counted once
  (:func:`economic_interest`);
* **control** of X: who decides — votes > 50% (pooled across what a holder already controls,
  to a fixed point), board appointment, general partner, contract bundle, statute or a stated
  ``controls`` relation (:func:`ultimate_controllers`, :func:`direct_controllers`, ...).

Uncertain shares are run twice, with their low ends (what is certain) and their high ends (what is
possible): a pair is ``controls``, ``may control`` or ``does not control``.

For many questions over one graph build a :class:`ControlAnalysis` once with :func:`analyse`;
the module-level functions build one per call. Heavy libraries (numpy, scipy) are imported inside
the functions that need them.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import asdict, dataclass

import networkx as nx

from . import dates
from .errors import QueryError, UnknownEntityError

CONTROLS = "controls"
MAY_CONTROL = "may control"
NO_CONTROL = "does not control"
NO_CONTROLLING_PARTY = "no controlling party"

LOW, HIGH = 0, 1  # the two runs: low ends of shares (certain), high ends (possible)

# the vocabulary's `control:` kinds that give control directly, and the rule each is reported as
_DIRECT_RULES = {
    "board": "board",
    "general_partner": "general partner",
    "contract": "contract",
    "statute": "statute",
    "stated": "stated",
}
# fallback when a graph carries no vocabulary (hand-built graphs in tests and benchmarks)
_DEFAULT_KINDS = {
    "owns": "equity", "holds_as_nominee": "nominee", "limited_partner_of": "none",
    "general_partner_of": "general_partner", "controls": "stated", "controls_by_contract": "contract",
    "appoints_board": "board", "voting_proxy": "contract_part", "exclusive_option": "contract_part",
    "equity_pledge": "contract_part", "exclusive_services": "contract_part",
}
_BUNDLE = ("voting_proxy", "exclusive_option", "exclusive_services")
_BUNDLE_EVIDENCE = ("equity_pledge", "loan_to_nominee")
_ECONOMIC_TYPES = ("owns", "limited_partner_of", "general_partner_of")
_DISPERSED = re.compile(r"\b(public (float|shareholders?|investors?)|free float|float)\b")
_EPSILON = 1e-9


@dataclass(frozen=True)
class ControlRules:
    """The thresholds and switches of the control rules (defaults as in docs/CONTROL.md).

    ``control_threshold``: votes strictly above this percentage control.
    ``significant_threshold``: votes or equity at or above this percentage are a significant holding.
    ``count_board``: appointing or nominating a board majority gives control.
    ``approximate_margin``: an approximate share ``~v`` counts as the range ``v ± margin``
    (default 0: it counts at its value and the answer is flagged approximate).
    """

    control_threshold: float = 50.0
    significant_threshold: float = 25.0
    count_board: bool = True
    approximate_margin: float = 0.0

    def __post_init__(self):
        if not 0 <= self.control_threshold < 100:
            raise QueryError(f"control threshold must be from 0 to below 100, not {self.control_threshold:g}")
        if not 0 < self.significant_threshold <= 100:
            raise QueryError(f"significant threshold must be above 0 and at most 100, not {self.significant_threshold:g}")
        if self.approximate_margin < 0:
            raise QueryError("approximate margin must not be negative")

    def to_dict(self) -> dict:
        return asdict(self)


# ------------------------------------------------------------------------------------------------
# module-level API (one analysis per call)


def analyse(graph: nx.MultiDiGraph, as_of=None, rules: ControlRules | None = None) -> "ControlAnalysis":
    """Run the control rules over ``graph`` as of a date (default: the snapshot's date, else the latest)."""
    return ControlAnalysis(graph, as_of, rules or ControlRules())


def ultimate_controllers(graph, entity_id, as_of=None, rules=None) -> list[dict]:
    """Who ultimately controls ``entity_id``: each with ``status`` and the ``chain`` that proves it."""
    return analyse(graph, as_of, rules).ultimate_controllers(entity_id)


def direct_controllers(graph, entity_id, as_of=None, rules=None) -> list[dict]:
    return analyse(graph, as_of, rules).direct_controllers(entity_id)


def significant_holders(graph, entity_id, as_of=None, rules=None) -> list[dict]:
    return analyse(graph, as_of, rules).significant_holders(entity_id)


def legal_owners(graph, entity_id, as_of=None, rules=None) -> list[dict]:
    return analyse(graph, as_of, rules).legal_owners(entity_id)


def controllers(graph, entity_id, as_of=None, rules=None) -> dict:
    """The ``controllers ID --json`` document: ``ultimate``, ``direct``, ``significant``, ``legal_owners``."""
    return analyse(graph, as_of, rules).controllers(entity_id)


def controlled_by(graph, entity_id, as_of=None, rules=None) -> list[dict]:
    """Everything ``entity_id`` controls, directly or through others, with how (``via``) and the chain."""
    return analyse(graph, as_of, rules).controlled_by(entity_id)


def status_of(graph, controller_id, entity_id, as_of=None, rules=None) -> str:
    """``controls``, ``may control`` or ``does not control``: does one entity control another?"""
    analysis = analyse(graph, as_of, rules)
    analysis.require(controller_id)
    analysis.require(entity_id)
    return analysis.status(controller_id, entity_id)


def economic_interest(graph, entity_id, as_of=None, rules=None) -> dict:
    return analyse(graph, as_of, rules).economic_interest(entity_id)


def explain(graph, controller_id, entity_id, as_of=None, rules=None) -> dict:
    """Whether ``controller_id`` controls ``entity_id``, and why or why not."""
    return analyse(graph, as_of, rules).explain(controller_id, entity_id)


def control_diff(graph, date_from, date_to, rules=None) -> dict:
    """Who gained or lost ultimate control of what between two dates."""
    rules = rules or ControlRules()
    before = analyse(graph, date_from, rules)
    after = analyse(graph, date_to, rules)
    changes = []
    for node in sorted(set(before.nodes) | set(after.nodes)):
        old = {item["id"]: item["status"] for item in before.ultimate_ids(node)} if node in before.nodes else {}
        new = {item["id"]: item["status"] for item in after.ultimate_ids(node)} if node in after.nodes else {}
        if old == new:
            continue
        data = after.graph.nodes[node] if node in after.graph else before.graph.nodes[node]
        changes.append({
            "id": node, "name": data["name"], "type": data["type"],
            "before": _status_list(before, old), "after": _status_list(after, new),
            "gained": sorted(k for k in new if old.get(k) != new[k]),
            "lost": sorted(k for k in old if k not in new),
        })
    return {"from": before.when, "to": after.when, "rules": rules.to_dict(), "changes": changes}


def _status_list(analysis, mapping):
    return [{**analysis.summary(k), "status": v} for k, v in sorted(mapping.items())]


# ------------------------------------------------------------------------------------------------
# the analysis


class _Holding:
    """Votes or equity of ``holder`` in ``target`` as a (low, high) interval, with its evidence."""

    __slots__ = ("holder", "target", "low", "high", "approximate", "edge", "nominee_edge", "kind")

    def __init__(self, holder, target, low, high, approximate, edge, nominee_edge=None, kind="owns"):
        self.holder = holder
        self.target = target
        self.low = low
        self.high = high
        self.approximate = approximate
        self.edge = edge  # (u, v, key)
        self.nominee_edge = nominee_edge
        self.kind = kind


class ControlAnalysis:
    """The control rules run once over a graph at a date; ask it many questions."""

    def __init__(self, graph: nx.MultiDiGraph, as_of=None, rules: ControlRules | None = None):
        self.graph = graph
        self.rules = rules or ControlRules()
        self.when = _resolve_date(graph, as_of)
        self._ultimate_cache = {}
        import gc

        enabled = gc.isenabled()
        gc.disable()  # many small acyclic objects: collection passes over a big graph cost more than the work
        try:
            self._prepare()
            self._solve()
        finally:
            if enabled:
                gc.enable()

    # -- preparation: one pass over the edges in force --------------------------------------------

    def _prepare(self):
        graph, rules = self.graph, self.rules
        when = self.when
        vocabulary = graph.graph.get("vocabulary")
        kinds = dict(_DEFAULT_KINDS)
        if vocabulary is not None:
            kinds.update((t, d.control) for t, d in vocabulary.relation_types.items())
        snapshot_date = graph.graph.get("as_of")
        filter_dates = when is not None and snapshot_date != when
        day = dates.first_day(when) if filter_dates else None
        node_data = graph.nodes
        self.nodes = [n for n, d in graph.nodes(data=True) if not filter_dates or _exists(d, when)]
        present = set(self.nodes) if filter_dates else node_data
        self.dispersed = {n for n in self.nodes if _is_dispersed(n, node_data[n])}

        self._filter = (filter_dates, present, day)
        nominee_of = defaultdict(list)
        self.direct = defaultdict(list)  # target -> [(controller, rule, edge)]
        self.parts = defaultdict(lambda: defaultdict(list))  # target -> type -> [(holder, edge)]
        proxies = []
        concert = []
        count_board = rules.count_board
        margin = rules.approximate_margin
        self.votes = votes = defaultdict(list)
        uncertain = set()
        Holding = _Holding
        for u, v, key, data in self._edges_in_force():
            rtype = data["type"]
            kind = kinds.get(rtype, "none")
            if kind == "equity" or kind == "votes":
                share = data.get("votes") or data.get("equity")
                if share is not None and "value" in share and not (margin and share.get("approximate")):
                    value = float(share["value"])
                    votes[v].append(Holding(u, v, value, value, bool(share.get("approximate")), (u, v, key)))
                else:
                    low, high, approx = _bounds(share, margin)
                    votes[v].append(Holding(u, v, low, high, approx, (u, v, key)))
                    uncertain.add(v)
            elif kind == "nominee":
                nominee_of[u].append((v, (u, v, key)))
            elif kind in _DIRECT_RULES:
                if kind == "board" and not count_board:
                    continue
                self.direct[v].append((u, _DIRECT_RULES[kind], (u, v, key)))
            elif kind == "contract_part":
                if rtype == "voting_proxy":
                    proxies.append((u, v, key, data))
                self.parts[v][rtype].append((u, (u, v, key)))
            elif rtype == "acts_in_concert_with":
                concert.append((u, v))
            elif rtype in _BUNDLE_EVIDENCE:
                self.parts[v][rtype].append((u, (u, v, key)))
        self.nominee_of = dict(nominee_of)
        if nominee_of:  # a nominee's votes count for its principal(s)
            for v, holdings in votes.items():
                if any(h.holder in nominee_of for h in holdings):
                    fixed = []
                    for h in holdings:
                        if h.holder not in nominee_of:
                            fixed.append(h)
                            continue
                        for holder, low, high, approx, nominee_edge in self._beneficiaries(
                                h.holder, (h.low, h.high, h.approximate)):
                            fixed.append(Holding(holder, v, low, high, approx, h.edge, nominee_edge))
                            if low != high:
                                uncertain.add(v)
                    votes[v] = fixed
        for u, v, key, data in proxies:
            share = data.get("votes") or data.get("equity")
            if share is None:
                # a bare proxy covers the whole register: the registered holders' votes move to it
                complete = all(self.parts[v].get(t) for t in _BUNDLE)
                for h in self.votes.get(v, ()):
                    if h.kind == "owns":
                        h.low = 0.0
                        if complete:
                            h.high = 0.0
                if complete:
                    continue  # inside a complete bundle it counts through the bundle rule
                # outside a complete bundle control by the proxy is possible, not certain
                self.votes[v].append(_Holding(u, v, 0.0, 100.0, False, (u, v, key), kind="bare proxy"))
                uncertain.add(v)
            else:
                low, high, approx = _bounds(share, margin)
                self.votes[v].append(_Holding(u, v, low, high, approx, (u, v, key), kind="proxy"))
                uncertain.add(v)
        for target in uncertain:
            _tighten(self.votes[target])
        self._uncertain = uncertain
        self._economic = None
        self._legal = None

        # parties acting in concert pool their votes: one group per connected set of parties
        self.group_of: dict[str, str] = {}
        self.group_members: dict[str, tuple[str, ...]] = {}
        if concert:
            pairs = nx.Graph(concert)
            for component in nx.connected_components(pairs):
                members = tuple(sorted(component))
                group = "concert::" + "+".join(members)
                self.group_members[group] = members
                for member in members:
                    self.group_of[member] = group

    def economic_holdings(self, target) -> list:
        """Equity holdings in ``target`` (after nominees), read from the graph on first use."""
        cache = self._economic
        if cache is None:
            cache = self._economic = {}
        found = cache.get(target)
        if found is not None:
            return found
        filter_dates, present, day = self._filter
        margin = self.rules.approximate_margin
        found = []
        for u, keyed in self.graph.pred[target].items():
            if u == target or (filter_dates and u not in present):
                continue
            for key, data in keyed.items():
                rtype = data["type"]
                if rtype not in _ECONOMIC_TYPES or (data.get("equity") is None and rtype == "general_partner_of"):
                    continue  # an unknown share of an owner or limited partner counts as 0 to what others leave
                if filter_dates:
                    start = data.get("start") or data.get("as_of")
                    end = data.get("end")
                    if (start is not None or end is not None) and not _current(start, end, day):
                        continue
                bounds = _bounds(data.get("equity"), margin)
                for holder, low, high, approx, nominee_edge in self._beneficiaries(u, bounds):
                    found.append(_Holding(holder, target, low, high, approx, (u, target, key), nominee_edge, rtype))
        _tighten(found)
        cache[target] = found
        return found

    def _edges_in_force(self):
        filter_dates, present, day = self._filter
        for u, v, key, data in self.graph.edges(keys=True, data=True):
            if u == v:
                continue
            if filter_dates:
                if u not in present or v not in present:
                    continue
                start = data.get("start") or data.get("as_of")
                end = data.get("end")
                if (start is not None or end is not None) and not _current(start, end, day):
                    continue
            yield u, v, key, data

    def _beneficiaries(self, holder, bounds):
        """Who the votes of ``holder`` count for: itself, or the principal(s) of a nominee."""
        low, high, approx = bounds
        principals = self.nominee_of.get(holder)
        if not principals:
            return [(holder, low, high, approx, None)]
        if len(principals) == 1:
            principal, edge = principals[0]
            return [(principal, low, high, approx, edge)]
        # a nominee for several principals: which block is whose is unknown
        return [(principal, 0.0, high, approx, edge) for principal, edge in principals]

    # -- the fixed point --------------------------------------------------------------------------

    def _solve(self):
        order = self._influence_order()
        threshold = self.rules.control_threshold
        self._control = ({}, {})  # mode -> target -> {controller: (rule, pooled votes)}
        for mode in (LOW, HIGH):
            table = self._control[mode]
            for target, items in self.direct.items():
                for controller, rule, _edge in items:
                    table.setdefault(target, {}).setdefault(controller, (rule, None))
        low_totals = {t: sum(h.low for h in hs) for t, hs in self.votes.items()}
        high_totals = dict(low_totals)
        for t in self._uncertain:
            high_totals[t] = sum(h.high for h in self.votes[t])
        self._totals = (low_totals, high_totals)
        # nodes whose controllers (transitively) differ between the runs
        self._differs = set()
        for component, cyclic in order:
            if not cyclic:
                self._evaluate_both(component[0], threshold)
                continue
            self._fixed_point(component, LOW, threshold, component)
            # the high run starts from the low run's control (it only adds to it), and first
            # re-evaluates what can differ: uncertain shares, holders whose control differs
            high = self._control[HIGH]
            for target in component:
                for controller, value in self._control[LOW].get(target, {}).items():
                    high.setdefault(target, {}).setdefault(controller, value)
            differs = self._differs
            first = [t for t in component
                     if any(h.low != h.high or h.holder in differs for h in self.votes.get(t, ()))
                     or any(holder in differs for ps in self.parts.get(t, {}).values() for holder, _ in ps)]
            self._fixed_point(component, HIGH, threshold, first)
            for target in component:
                self._mark_differs(target)

    def _evaluate_both(self, target, threshold):
        """Both runs for a target outside any cycle; the high run is a copy when it cannot differ."""
        holdings = self.votes.get(target, ())
        differs = self._differs
        same = all(h.low == h.high and h.holder not in differs for h in holdings) and not any(
            holder in differs for parts in self.parts.get(target, {}).values() for holder, _ in parts)
        self._evaluate(target, LOW, threshold, False)
        if same:
            low = self._control[LOW].get(target)
            if low is not None:
                high = self._control[HIGH].setdefault(target, {})
                for controller, value in low.items():
                    high.setdefault(controller, value)
        else:
            self._evaluate(target, HIGH, threshold, False)
        self._mark_differs(target)

    def _mark_differs(self, target):
        low = self._control[LOW].get(target, {})
        high = self._control[HIGH].get(target, {})
        if low.keys() != high.keys() or any(c in self._differs for c in high):
            self._differs.add(target)

    def _fixed_point(self, component, mode, threshold, first):
        """Evaluate a cycle of influence until nothing changes (control edges are only ever added)."""
        members = set(component)
        held_by = defaultdict(set)
        for target in component:
            for h in self.votes.get(target, ()):
                held_by[h.holder].add(target)
            for holders in self.parts.get(target, {}).values():
                for holder, _edge in holders:
                    held_by[holder].add(target)
        pending = list(first)
        while pending:
            gained = [target for target in pending if self._evaluate(target, mode, threshold, True)]
            # re-evaluate what is held by anything whose controllers (transitively) just grew
            table = self._control[mode]
            children = defaultdict(list)
            for target in members:
                for parent in table.get(target, ()):
                    children[parent].append(target)
            affected = set()
            stack = list(gained)
            seen = set(gained)
            while stack:
                node = stack.pop()
                affected.update(held_by.get(node, ()))
                for child in children.get(node, ()):
                    if child not in seen:
                        seen.add(child)
                        stack.append(child)
            pending = [target for target in component if target in affected]

    def _influence_order(self):
        """Targets grouped in strongly connected components of the influence graph, upstream first."""
        index = {}
        sources, targets = [], []
        idx = (lambda node: index.setdefault(node, len(index)))

        setdefault = index.setdefault
        for target, holdings in self.votes.items():
            t = setdefault(target, len(index))
            for h in holdings:
                sources.append(setdefault(h.holder, len(index)))
                targets.append(t)
        for target, items in self.direct.items():
            t = idx(target)
            for controller, _rule, _edge in items:
                sources.append(idx(controller))
                targets.append(t)
        for target, parts in self.parts.items():
            t = idx(target)
            for holders in parts.values():
                for holder, _edge in holders:
                    sources.append(idx(holder))
                    targets.append(t)
        # parties in concert influence each other's targets: tie them together
        for group, members in self.group_members.items():
            for a, b in zip(members, members[1:]):
                sources += [idx(a), idx(b)]
                targets += [idx(b), idx(a)]
        names = list(index)
        evaluate = set(self.votes) | set(self.parts)
        self._cycle_of = {}  # node -> number of its influence cycle (only nodes in one)
        order = []
        for number, (component, cyclic) in enumerate(_topological_components(len(names), sources, targets)):
            if cyclic:
                for i in component:
                    self._cycle_of[names[i]] = number
            members = [names[i] for i in component if names[i] in evaluate]
            if members:
                order.append((members, cyclic))
        return order

    def _ancestors(self, node, mode):
        """``node``, everything that controls it (transitively) in this run, and their concert groups."""
        table = self._control[mode]
        group_of = self.group_of
        if node not in table:
            group = group_of.get(node)
            return (node,) if group is None else (node, group)
        seen = {node}
        queue = [node]
        while queue:
            current = queue.pop()
            for parent in table.get(current, ()):
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)
        if group_of:
            seen.update(group_of[n] for n in list(seen) if n in group_of)
        return seen

    def _evaluate(self, target, mode, threshold, cyclic) -> bool:
        table = self._control[mode]
        added = False
        holdings = self.votes.get(target)
        if holdings and self._totals[mode][target] > threshold + _EPSILON:
            found = None
            if threshold >= 50 and self._totals[mode][target] <= 100 + _EPSILON:
                # one holder above the threshold: nobody else can gather a majority of what is left
                for h in holdings:
                    value = h.low if mode == LOW else h.high
                    if value > threshold + _EPSILON and h.holder not in self.dispersed:
                        found = {h.holder: value}
                        break
            if found is None:
                pooled = self._pooled(holdings, mode)
                candidates = {a for a, v in pooled.items() if v > threshold + _EPSILON and a != target}
                found = {a: pooled[a] for a in self._minimal(candidates, mode, cyclic)}
            for controller, value in found.items():
                current = table.setdefault(target, {})
                if controller not in current:
                    current[controller] = ("votes", value)
                    added = True
        parts = self.parts.get(target)
        if parts and all(parts.get(t) for t in _BUNDLE):
            common = None
            for part in _BUNDLE:
                reach = set()
                for holder, _edge in parts[part]:
                    reach.update(self._ancestors(holder, mode))
                common = reach if common is None else common & reach
            common.discard(target)
            for controller in self._minimal(common, mode, True):
                current = table.setdefault(target, {})
                if controller not in current:
                    current[controller] = ("contract bundle", None)
                    added = True
        return added

    def _pooled(self, holdings, mode) -> dict:
        """Votes in one target by every holder and everything above it in control (and concert groups)."""
        pooled = {}
        dispersed = self.dispersed
        table = self._control[mode]
        plain = not self.group_of
        for h in holdings:
            value = h.low if mode == LOW else h.high
            node = h.holder
            if value <= 0 or node in dispersed:
                continue
            if plain:
                # walk up a chain of single controllers without building a set (most chains)
                steps = 0
                while True:
                    pooled[node] = pooled.get(node, 0.0) + value
                    parents = table.get(node)
                    if not parents:
                        break
                    if len(parents) > 1 or steps > 64:
                        for a in self._ancestors(node, mode):
                            if a != node:
                                pooled[a] = pooled.get(a, 0.0) + value
                        break
                    (node,) = parents
                    steps += 1
                else:  # pragma: no cover
                    pass
                continue
            for a in self._ancestors(node, mode):
                pooled[a] = pooled.get(a, 0.0) + value
        return pooled

    def _minimal(self, candidates, mode, cyclic=True):  # noqa: ARG002 (kept for callers)
        """The candidates that do not control another candidate (control is then through it)."""
        if not candidates:
            return []
        table = self._control[mode]
        above = set()
        for candidate in candidates:
            for parent in table.get(candidate, ()):
                # a parent controls through the candidate, unless they sit in one control cycle
                cycle = self._cycle_of.get(parent)
                if cycle is None or cycle != self._cycle_of.get(candidate) \
                        or candidate not in self._ancestors(parent, mode):
                    above.add(parent)
        for group, members in self.group_members.items():
            if group in candidates and any(m in candidates for m in members):
                above.add(group)
        return sorted(c for c in candidates if c not in above)

    # -- entities ---------------------------------------------------------------------------------

    def require(self, entity_id):
        if entity_id in self.graph and entity_id in set(self.nodes):
            return
        from .query import suggest

        if entity_id in self.graph:
            raise QueryError(f"{entity_id!r} did not exist on {self.when}.")
        raise UnknownEntityError(entity_id, suggest(self.graph, entity_id))

    def summary(self, node) -> dict:
        if node.startswith("concert::"):
            members = self.group_members[node]
            return {"id": node, "name": " + ".join(self.graph.nodes[m]["name"] for m in members),
                    "type": "concert_group", "members": list(members)}
        data = self.graph.nodes[node]
        return {"id": node, "name": data["name"], "type": data["type"]}

    # -- status -----------------------------------------------------------------------------------

    def _reaches(self, controller, target, mode) -> bool:
        above = self._ancestors_strict(target, mode)
        return controller in above or self.group_of.get(controller) in above

    def _node_for(self, controller, target, mode):
        """The controlling node for ``controller``: itself, or its concert group when only jointly."""
        above = self._ancestors_strict(target, mode)
        return controller if controller in above else self.group_of.get(controller, controller)

    def _ancestors_strict(self, target, mode):
        table = self._control[mode]
        seen = set()
        queue = list(table.get(target, ()))
        while queue:
            current = queue.pop()
            if current in seen:
                continue
            seen.add(current)
            queue.extend(table.get(current, ()))
        return seen

    def status(self, controller, target) -> str:
        """``controls``, ``may control`` or ``does not control`` (directly or through others)."""
        if self._reaches(controller, target, LOW):
            return CONTROLS
        if self._reaches(controller, target, HIGH):
            return MAY_CONTROL
        return NO_CONTROL

    # -- ultimate controllers ---------------------------------------------------------------------

    def _ultimate_index(self, mode):
        """node -> frozenset of ultimate controlling components (tuples of ids), for every node."""
        if mode in self._ultimate_cache:
            return self._ultimate_cache[mode]
        table = self._control[mode]
        index = {}
        names = []
        sources, targets = [], []
        for target, parents in table.items():
            t = index.setdefault(target, len(index))
            for parent in parents:
                sources.append(index.setdefault(parent, len(index)))
                targets.append(t)
        names = [None] * len(index)
        for name, i in index.items():
            names[i] = name
        result = {}
        for component, cyclic in _topological_components(len(names), sources, targets):
            members = [names[i] for i in component]
            inside = set(members)
            parents = {p for m in members for p in table.get(m, ()) if p not in inside}
            if not parents:
                root = frozenset([tuple(sorted(members))]) if (cyclic or len(members) > 1) else frozenset([(members[0],)])
                # a root controls nothing above it; members of a closed cycle are controlled by the group
                value = root
            else:
                sets = {result[p] for p in parents}
                value = next(iter(sets)) if len(sets) == 1 else frozenset().union(*sets)
            for m in members:
                result[m] = value
        self._ultimate_cache[mode] = result
        return result

    def ultimate_ids(self, entity_id) -> list[dict]:
        """Ultimate controllers of ``entity_id`` without chains: ``id``, ``status``, ``group`` (fast)."""
        found = {}
        for mode in (LOW, HIGH):
            index = self._ultimate_index(mode)
            roots = index.get(entity_id, frozenset())
            for root in roots:
                if root == (entity_id,):
                    continue  # nobody above it
                status = CONTROLS if mode == LOW else MAY_CONTROL
                for member in root:
                    if member.startswith("concert::"):  # parties in concert: each listed, jointly
                        people = self.group_members[member]
                        for person in people:
                            found.setdefault(person, {"id": person, "status": status, "group": list(people),
                                                      "joint": True, "node": member})
                    elif member not in found:
                        found[member] = {"id": member, "status": status,
                                         "group": list(root) if len(root) > 1 else [], "node": member}
        return [found[k] for k in sorted(found)]

    def ultimate_map(self) -> dict[str, list[tuple[str, str]]]:
        """Ultimate controllers of every entity at once: id -> [(controller id, status)], sorted."""
        import gc

        enabled = gc.isenabled()
        gc.disable()
        try:
            low, high = self._ultimate_index(LOW), self._ultimate_index(HIGH)
            table_low, table_high = self._control
            memo = {}
            result = {}
            empty = frozenset()
            for node in self.nodes:
                if node not in table_high and node not in table_low:
                    result[node] = []  # nobody controls it
                    continue
                key = (low.get(node, empty), high.get(node, empty))
                if (node,) in key[0] or (node,) in key[1]:  # its own root in one run: not shareable
                    result[node] = [(item["id"], item["status"]) for item in self.ultimate_ids(node)]
                    continue
                found = memo.get(key)
                if found is None:
                    found = memo[key] = [(item["id"], item["status"]) for item in self.ultimate_ids(node)]
                result[node] = found
            return result
        finally:
            if enabled:
                gc.enable()

    def ultimate_controllers(self, entity_id) -> list[dict]:
        self.require(entity_id)
        result = []
        for item in self.ultimate_ids(entity_id):
            controller = item["id"]
            mode = LOW if item["status"] == CONTROLS else HIGH
            chain = self.chain(item["node"], entity_id, mode) if item["node"] != entity_id else []
            entry = {**self.summary(controller), "status": item["status"]}
            if item["group"]:
                entry["group"] = item["group"]
                entry["joint" if item.get("joint") else "cycle"] = True
            entry["rule"] = " + ".join(dict.fromkeys(step["rule"] for step in chain)) if chain else "control cycle"
            entry["approximate"] = any(step.get("approximate") for step in chain)
            entry["chain"] = chain
            result.append(entry)
        return result

    def direct_controllers(self, entity_id) -> list[dict]:
        self.require(entity_id)
        low = self._control[LOW].get(entity_id, {})
        high = self._control[HIGH].get(entity_id, {})
        result = []
        for controller in sorted(high):
            mode = LOW if controller in low else HIGH
            step = self._step(controller, entity_id, mode)
            result.append({**self.summary(controller), "status": CONTROLS if mode == LOW else MAY_CONTROL,
                           "rule": step["rule"], "approximate": step["approximate"], "chain": [step]})
        return result

    def controllers(self, entity_id) -> dict:
        """The full answer for ``entity_id`` (the ``controllers ID --json`` document)."""
        self.require(entity_id)
        ultimate = self.ultimate_controllers(entity_id)
        certain = any(item["status"] == CONTROLS for item in ultimate)
        if certain:
            verdict = "controlled"
        elif ultimate:
            verdict = "may be controlled"
        else:
            verdict = NO_CONTROLLING_PARTY
        return {
            "entity": self.summary(entity_id),
            "as_of": self.when,
            "verdict": verdict,
            "ultimate": ultimate,
            "direct": self.direct_controllers(entity_id),
            "significant": self.significant_holders(entity_id),
            "legal_owners": self.legal_owners(entity_id),
            "notes": self.notes(entity_id),
            "rules": self.rules.to_dict(),
        }

    def notes(self, entity_id) -> list[str]:
        notes = []
        parts = self.parts.get(entity_id, {})
        held = [t for t in _BUNDLE if parts.get(t)]
        if held and len(held) < len(_BUNDLE):
            missing = [t for t in _BUNDLE if t not in held]
            notes.append(f"incomplete contract bundle: has {', '.join(held)}; lacks {', '.join(missing)} "
                         "(a bare voting proxy gives at most 'may control')")
        if any(h.approximate for h in self.votes.get(entity_id, ())):
            notes.append("some shares are approximate ('~'): they count at their value")
        if any(h.low != h.high for h in self.votes.get(entity_id, ()) if h.kind != "bare proxy"):
            notes.append("some shares are ranges or unknown: low ends decide 'controls', high ends 'may control'")
        return notes

    # -- holders ----------------------------------------------------------------------------------

    def legal_owners(self, entity_id) -> list[dict]:
        """Who is on the register: ``owns`` relations into ``entity_id`` (nominees included)."""
        self.require(entity_id)
        result = []
        if self._legal is None:
            self._legal = defaultdict(list)
            kinds = {t: _kind(self.graph, t) for t in {d["type"] for _, _, d in self.graph.edges(data=True)}}
            for u, v, key, data in self._edges_in_force():
                if kinds[data["type"]] in ("equity", "votes"):
                    self._legal[v].append((u, (u, v, key), data))
        for holder, edge, data in self._legal.get(entity_id, ()):
            entry = {**self.summary(holder), "equity": data.get("equity"), "share": _share_text(data.get("equity")),
                     "relation": self._edge(edge)}
            if data.get("votes") is not None:
                entry["votes"] = data["votes"]
            if holder in self.nominee_of:
                entry["nominee_for"] = sorted(p for p, _ in self.nominee_of[holder])
            result.append(entry)
        result.sort(key=lambda e: (-_bounds(e["equity"], 0)[0] if e["equity"] else 0, e["id"], e["relation"]["id"]))
        return result

    def significant_holders(self, entity_id) -> list[dict]:
        """Holders of at least the significant threshold of votes (pooled) or equity, who do not control."""
        self.require(entity_id)
        threshold = self.rules.significant_threshold - _EPSILON
        holdings = self.votes.get(entity_id, [])
        low = self._pooled(holdings, LOW)
        high = self._pooled(holdings, HIGH)
        equity = defaultdict(lambda: [0.0, 0.0])
        for h in self.economic_holdings(entity_id):
            equity[h.holder][0] += h.low
            equity[h.holder][1] += h.high
        result = []
        for holder in sorted(set(high) | set(equity)):
            if holder.startswith("concert::") or holder == entity_id or holder in self.dispersed:
                continue
            v_low, v_high = low.get(holder, 0.0), high.get(holder, 0.0)
            e_low, e_high = equity[holder] if holder in equity else (0.0, 0.0)
            if max(v_high, e_high) < threshold:
                continue
            certain = max(v_low, e_low) >= threshold
            status = self.status(holder, entity_id)
            if status == CONTROLS or (status == MAY_CONTROL and not certain):
                continue
            via = sorted({h.holder for h in holdings if holder in self._ancestors(h.holder, HIGH) and h.holder != holder})
            result.append({**self.summary(holder), "status": "significant" if certain else "may be significant",
                           "votes": {"low": _round(v_low), "high": _round(v_high)},
                           "equity": {"low": _round(e_low), "high": _round(e_high)},
                           "via": via,
                           "approximate": any(h.approximate for h in holdings if holder in self._ancestors(h.holder, HIGH)),
                           "chain": self._holding_steps(entity_id, holder, HIGH)})
        result.sort(key=lambda e: (-e["votes"]["high"], -e["equity"]["high"], e["id"]))
        return result

    # -- what an entity controls -------------------------------------------------------------------

    def controlled_by(self, entity_id) -> list[dict]:
        self.require(entity_id)
        result = []
        for mode in (LOW, HIGH):
            below = self._descendants(entity_id, mode)
            for target in below:
                if mode == HIGH and any(r["id"] == target for r in result):
                    continue
                chain = self.chain(self._node_for(entity_id, target, mode), target, mode)
                result.append({**self.summary(target), "status": CONTROLS if mode == LOW else MAY_CONTROL,
                               "via": list(dict.fromkeys(step["rule"] for step in chain)),
                               "depth": len(chain), "approximate": any(s.get("approximate") for s in chain),
                               "chain": chain})
        result.sort(key=lambda e: (e["depth"], e["id"]))
        return result

    def _descendants(self, entity_id, mode):
        children = defaultdict(list)
        for target, parents in self._control[mode].items():
            for parent in parents:
                children[parent].append(target)
        starts = [entity_id] + ([self.group_of[entity_id]] if entity_id in self.group_of else [])
        seen = set()
        queue = list(starts)
        while queue:
            current = queue.pop()
            for child in children.get(current, ()):
                if child not in seen and child != entity_id:
                    seen.add(child)
                    queue.append(child)
        return seen

    # -- witnesses --------------------------------------------------------------------------------

    def chain(self, controller, target, mode) -> list[dict]:
        """The steps of a shortest control path from ``controller`` down to ``target``."""
        path = self._path(controller, target, mode)
        return [self._step(a, b, mode) for a, b in zip(path, path[1:])]

    def _path(self, controller, target, mode) -> list[str]:
        """The nodes of the best control path from ``controller`` to ``target`` ([] if none).

        Best: fewest steps that only state control (structure — votes, partnerships, contracts —
        is the better proof), then fewest steps, then by id.
        """
        import heapq

        if controller == target:
            return []
        table = self._control[mode]
        best = {target: (0, 0)}
        heap = [(0, 0, target, (target,))]
        while heap:
            stated, length, node, path = heapq.heappop(heap)
            if node == controller:
                return list(reversed(path))
            if best.get(node, (stated, length)) < (stated, length):
                continue
            for parent, (rule, _votes) in table.get(node, {}).items():
                cost = (stated + (rule == "stated"), length + 1)
                if parent not in best or cost < best[parent]:
                    best[parent] = cost
                    heapq.heappush(heap, (cost[0], cost[1], parent, path + (parent,)))
        return []

    def _step(self, controller, target, mode) -> dict:
        rule, pooled = self._control[mode][target][controller]
        threshold = self.rules.control_threshold
        step = {"from": controller, "to": target, "from_name": self.summary(controller)["name"],
                "to_name": self.summary(target)["name"], "rule": rule,
                "status": CONTROLS if mode == LOW or controller in self._control[LOW].get(target, {}) else MAY_CONTROL}
        if rule == "votes":
            relations = self._holding_steps(target, controller, mode)
            low = self._pooled(self.votes[target], LOW).get(controller, 0.0)
            high = self._pooled(self.votes[target], HIGH).get(controller, 0.0)
            step["votes"] = {"low": _round(low), "high": _round(high)}
            step["test"] = f"votes {_range(low, high)} > {threshold:g}% (control threshold)"
            step["relations"] = relations
            step["approximate"] = any(r.get("approximate") for r in relations)
        elif rule == "contract bundle":
            parts = self.parts[target]
            step["test"] = "voting proxy + exclusive option + economic channel (exclusive services) in force"
            step["relations"] = [self._edge(edge) for t in _BUNDLE + _BUNDLE_EVIDENCE for _, edge in parts.get(t, ())]
            step["approximate"] = False
        else:
            edges = [edge for c, r, edge in self.direct.get(target, ()) if c == controller and r == rule]
            step["test"] = {
                "board": "appoints or nominates the board majority (board nomination counted)",
                "general partner": "general partner of the partnership",
                "contract": "controls by contract (the bundle is recorded as one relation)",
                "statute": "control given by statute",
                "stated": "a source states the control",
            }.get(rule, rule)
            step["relations"] = [self._edge(edge) for edge in edges]
            step["approximate"] = False
        return step

    def _holding_steps(self, target, controller, mode) -> list[dict]:
        """The holdings in ``target`` whose votes count for ``controller``, as relation objects."""
        result = []
        for h in self.votes.get(target, ()):
            value = h.low if mode == LOW else h.high
            if value <= 0 or h.holder in self.dispersed:
                continue
            if controller not in self._ancestors(h.holder, mode):
                continue
            relation = self._edge(h.edge)
            relation["counted_for"] = h.holder
            relation["counted"] = {"low": _round(h.low), "high": _round(h.high)}
            relation["approximate"] = h.approximate
            if h.kind != "owns":
                relation["counted_as"] = h.kind
            if h.nominee_edge is not None:
                relation["nominee_relation"] = self._edge(h.nominee_edge)
            if h.holder != controller and not controller.startswith("concert::"):
                relation["through"] = self._path(controller, h.holder, mode)[1:]
            result.append(relation)
        result.sort(key=lambda r: (r["from"], r["id"]))
        return result

    def _edge(self, edge) -> dict:
        u, v, key = edge
        data = self.graph.edges[u, v, key]
        record = {"id": key, "from": u, "to": v, "type": data["type"]}
        for field in ("equity", "votes", "start", "end", "as_of", "instruments", "inferred", "note"):
            if data.get(field) not in (None, [], False):
                record[field] = data[field]
        if not (data.get("start") or data.get("as_of")):
            record["undated"] = True  # counts from before anything the data knows
        elif not data.get("start"):
            record["assumed_start"] = data["as_of"]
        record["sources"] = data.get("sources", [])
        return record

    # -- explanation ------------------------------------------------------------------------------

    def explain(self, controller_id, entity_id) -> dict:
        self.require(controller_id)
        self.require(entity_id)
        status = self.status(controller_id, entity_id)
        result = {"controller": self.summary(controller_id), "entity": self.summary(entity_id), "as_of": self.when,
                  "status": status, "rules": self.rules.to_dict(), "chain": [], "reasons": []}
        if status != NO_CONTROL:
            mode = LOW if status == CONTROLS else HIGH
            node = self._node_for(controller_id, entity_id, mode)
            result["chain"] = self.chain(node, entity_id, mode)
            if node != controller_id:
                others = [m for m in self.group_members[node] if m != controller_id]
                result["joint_with"] = others
                result["reasons"].append(f"jointly, acting in concert with {', '.join(others)}")
            if status == MAY_CONTROL:
                result["reasons"].append("control holds with the high ends of uncertain shares, not with the low ends")
            if any(s.get("approximate") for s in result["chain"]):
                result["reasons"].append("the chain uses approximate shares; they count at their value")
            return result
        reasons = result["reasons"]
        holdings = self.votes.get(entity_id, [])
        low = self._pooled(holdings, LOW).get(controller_id, 0.0)
        high = self._pooled(holdings, HIGH).get(controller_id, 0.0)
        threshold = self.rules.control_threshold
        if high > 0:
            reasons.append(f"its votes (own and through what it controls) are {_range(low, high)}, "
                           f"not above {threshold:g}% (control threshold)")
        else:
            reasons.append("it holds no votes in it, directly or through what it controls")
        if controller_id in self.dispersed:
            reasons.append("a public float is dispersed holders: it never controls")
        parts = self.parts.get(entity_id, {})
        mine = [t for t in _BUNDLE if any(controller_id in self._ancestors(h, HIGH) for h, _ in parts.get(t, ()))]
        if mine:
            reasons.append(f"contract bundle incomplete for it: holds {', '.join(mine)}; "
                           f"lacks {', '.join(t for t in _BUNDLE if t not in mine)}")
        links = sorted({d["type"] for d in self.graph.get_edge_data(controller_id, entity_id, default={}).values()
                        if self._in_force(d)})
        passive = [t for t in links if _kind(self.graph, t) == "none" and t not in ("limited_partner_of",)]
        if passive:
            reasons.append(f"its relations {', '.join(passive)} confer no control (regulating, licensing, "
                           "investing and the like never do)")
        others = self.ultimate_ids(entity_id)
        if others:
            reasons.append("controlled instead by " + ", ".join(f"{o['id']} ({o['status']})" for o in others))
        else:
            reasons.append("nobody controls it (no controlling party)")
        if not self.rules.count_board and any(self._kind_of_edge(e) == "board" for _, _, e in self.direct.get(entity_id, ())):
            reasons.append("board appointment is not counted (--no-board)")
        return result

    def _in_force(self, data) -> bool:
        if self.when is None:
            return True
        return dates.is_current(data.get("start") or data.get("as_of"), data.get("end"), self.when)

    def _kind_of_edge(self, edge):
        u, v, key = edge
        return _kind(self.graph, self.graph.edges[u, v, key]["type"])

    # -- economic interest ------------------------------------------------------------------------

    def economic_interest(self, entity_id) -> dict:
        """Integrated equity interest in ``entity_id`` of every holder upstream, as (low, high) in %.

        ``final`` holders (nobody owns them) split at most 100% between them. Intermediate
        holders' figures count every path (their own interest through the holders above them is
        not subtracted). A closed cycle of companies owning all of each other is reported in
        ``closed_cycle`` instead of numbers.
        """
        self.require(entity_id)
        low = _integrated(self.economic_holdings, entity_id, LOW)
        needs_high = _touches_approx(self.economic_holdings, entity_id)
        high = _integrated(self.economic_holdings, entity_id, HIGH) if needs_high else low
        holders = []
        if low["closed_cycle"] is None:
            values_high = high["interest"] if high["closed_cycle"] is None else {}
            for holder in sorted(set(low["interest"]) | set(values_high)):
                lo = low["interest"].get(holder, 0.0)
                hi = min(100.0, values_high.get(holder, 100.0 if high["closed_cycle"] else lo))
                holders.append({**self.summary(holder), "final": holder in low["final"],
                                "interest": {"low": _round(lo), "high": _round(hi)}})
            holders.sort(key=lambda e: (not e["final"], -e["interest"]["low"], e["id"]))
        contractual = [self._edge(edge) for t in ("exclusive_services",) for _, edge in self.parts.get(entity_id, {}).get(t, ())]
        return {"entity": self.summary(entity_id), "as_of": self.when, "holders": holders,
                "closed_cycle": low["closed_cycle"] or high["closed_cycle"],
                "contractual_channels": contractual,
                "approximate": needs_high}


# ------------------------------------------------------------------------------------------------
# helpers


def _resolve_date(graph, as_of):
    if as_of is not None:
        try:
            return dates.normalise(as_of)
        except dates.DateFormatError as error:
            raise QueryError(f"as-of date: {error}") from None
    return graph.graph.get("as_of") or graph.graph.get("latest_date")


def _exists(data, when):
    return dates.is_current(data.get("start"), data.get("end"), when)


def _current(start, end, day):
    if start is not None and dates.first_day(start) > day:
        return False
    if end is not None and dates.first_day(end) <= day:
        return False
    return True


def _is_dispersed(node, data) -> bool:
    if data.get("type") == "user_group":
        return True
    text = f"{node.replace('_', ' ')} {data.get('name', '')}".lower()
    return bool(_DISPERSED.search(text))


def _kind(graph, relation_type):
    vocabulary = graph.graph.get("vocabulary")
    if vocabulary is not None and relation_type in vocabulary.relation_types:
        return vocabulary.relation_types[relation_type].control
    return _DEFAULT_KINDS.get(relation_type, "none")


def _bounds(share, margin=0.0):
    """A share dict as (low, high, approximate); an unknown share is (0, 100) until tightened."""
    if share is None:
        return (0.0, 100.0, False)
    value = share.get("value")
    approximate = bool(share.get("approximate"))
    if value is not None:
        if approximate and margin:
            return (max(0.0, value - margin), min(100.0, value + margin), True)
        return (float(value), float(value), approximate)
    low = share.get("min")
    high = share.get("max")
    return (float(low or 0.0), 100.0 if high is None else float(high), approximate)


def _tighten(holdings, proxies=True):
    """An uncertain share is at most 100 minus what the others certainly hold."""
    if all(h.low == h.high for h in holdings):
        return
    owners = [h for h in holdings if h.kind in ("owns", "limited_partner_of", "general_partner_of")]
    total_low = sum(h.low for h in owners)
    for h in owners:
        if h.high > h.low:
            h.high = max(h.low, min(h.high, 100.0 - (total_low - h.low)))


def _share_text(share) -> str:
    if share is None:
        return "unknown"
    from .graph import share as as_share

    return str(as_share(share))


def _round(value: float) -> float:
    return round(value + 0.0, 6)


def _range(low, high) -> str:
    return f"{low:.4g}%" if abs(high - low) < 1e-9 else f"{low:.4g}-{high:.4g}%"


def _touches_approx(holdings_of, entity_id) -> bool:
    seen = {entity_id}
    queue = [entity_id]
    while queue:
        current = queue.pop()
        for h in holdings_of(current):
            if h.approximate or h.low != h.high:
                return True
            if h.holder not in seen:
                seen.add(h.holder)
                queue.append(h.holder)
    return False


def _topological_components(n, sources, targets):
    """Strongly connected components of a directed graph, upstream first: [(indices, cyclic)]."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if n == 0:
        return []
    src = np.asarray(sources, dtype=np.int64)
    dst = np.asarray(targets, dtype=np.int64)
    matrix = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n)).tocsr()
    count, labels = connected_components(matrix, directed=True, connection="strong")
    sizes = np.bincount(labels, minlength=count)
    cross = labels[src] != labels[dst]
    ls, ld = labels[src][cross], labels[dst][cross]
    if len(ls) == 0 or np.all(ls < ld):
        order = np.arange(count)
    elif np.all(ls > ld):
        order = np.arange(count)[::-1]
    else:  # Kahn's algorithm on the condensation
        pairs = np.unique(np.stack([ls, ld], axis=1), axis=0)
        indegree = np.bincount(pairs[:, 1], minlength=count)
        children = defaultdict(list)
        for a, b in pairs.tolist():
            children[a].append(b)
        queue = deque(int(i) for i in np.flatnonzero(indegree == 0))
        order = []
        indegree = indegree.tolist()
        while queue:
            c = queue.popleft()
            order.append(c)
            for child in children.get(c, ()):
                indegree[child] -= 1
                if indegree[child] == 0:
                    queue.append(child)
    self_loops = set(src[src == dst].tolist())
    members = np.argsort(labels, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    result = []
    for c in order:
        component = members[starts[c]:starts[c + 1]].tolist()
        cyclic = len(component) > 1 or component[0] in self_loops
        result.append((component, cyclic))
    return result


def _solve_neumann(a_cc, rhs, tolerance=1e-13, limit=2000):
    """Solve (I - A) z = rhs by z = rhs + A z (converges because the spectral radius is below 1).

    Each step is one sparse product, so the cost is linear in the relations; LU factors of a large
    cross-held graph fill in badly. None when it has not converged within ``limit`` steps.
    """
    z = rhs.copy()
    term = rhs
    for _ in range(limit):
        term = a_cc @ term
        z += term
        if term.max(initial=0.0) < tolerance:
            return z
    return None


def _integrated(holdings_of, entity_id, mode) -> dict:
    """Integrated interest in ``entity_id``: U = A_FC (I - A_CC)^-1 restricted to its upstream."""
    import numpy as np
    from scipy.sparse import coo_matrix, identity
    from scipy.sparse.csgraph import connected_components
    from scipy.sparse.linalg import spsolve

    # the upstream of the entity (holders of holders ...)
    index = {entity_id: 0}
    rows, cols, values = [], [], []
    queue = [entity_id]
    while queue:
        current = queue.pop()
        j = index[current]
        for h in holdings_of(current):
            value = (h.low if mode == LOW else h.high) / 100.0
            if value <= 0:
                continue
            i = index.get(h.holder)
            if i is None:
                i = index[h.holder] = len(index)
                queue.append(h.holder)
            rows.append(i)
            cols.append(j)
            values.append(value)
    names = list(index)
    n = len(names)
    if not rows:
        return {"interest": {}, "final": set(), "closed_cycle": None}
    a = coo_matrix((values, (rows, cols)), shape=(n, n)).tocsr()  # duplicates add up
    held = np.zeros(n, dtype=bool)
    held[np.asarray(cols)] = True
    intermediate = np.flatnonzero(held)
    final = np.flatnonzero(~held)
    a_cc = a[intermediate][:, intermediate]
    # a closed cycle: a strongly connected set of companies holding all of each other's equity
    count, labels = connected_components(a_cc, directed=True, connection="strong")
    column_inside = np.zeros(len(intermediate))
    coo = a_cc.tocoo()
    inside = labels[coo.row] == labels[coo.col]
    np.add.at(column_inside, coo.col[inside], coo.data[inside])
    for label in range(count):
        members = np.flatnonzero(labels == label)
        if (len(members) > 1 or a_cc[members[0], members[0]] > 0) and np.all(column_inside[members] >= 1 - 1e-12):
            return {"interest": {}, "final": set(),
                    "closed_cycle": sorted(names[intermediate[m]] for m in members)}
    position = {int(c): k for k, c in enumerate(intermediate)}
    rhs = np.zeros(len(intermediate))
    rhs[position[0]] = 1.0
    through = _solve_neumann(a_cc, rhs)  # N[c, entity]: all paths from c to the entity
    if through is None:  # slow convergence (spectral radius near 1): a direct sparse solve
        system = (identity(len(intermediate), format="csc") - a_cc.tocsc()).tocsc()
        through = np.atleast_1d(spsolve(system, rhs))
    interest = {}
    if len(final):
        u = a[final][:, intermediate] @ through
        for k, f in enumerate(final):
            if u[k] > 0:
                interest[names[f]] = float(u[k]) * 100.0
    for k, c in enumerate(intermediate):
        if c != 0 and through[k] > 0:
            interest[names[c]] = float(through[k]) * 100.0
    return {"interest": interest, "final": {names[f] for f in final}, "closed_cycle": None}
