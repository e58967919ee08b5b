"""From the graph to what the control rules read: votes, direct control rules, contract parts, groups.

One pass over the relations in force at the date (:func:`ecosystem.graph.snapshot` decides what is in
force). Shares become (low, high) intervals; nominees' holdings count for their principals; voting
proxies move votes; parties acting in concert form groups.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .. import dates
from ..errors import QueryError
from .rules import DIRECT_RULES, OWNER_TYPES, bounds, is_dispersed, roles_of


class Holding:
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


def resolve_date(graph, as_of):
    if as_of is not None:
        try:
            return dates.normalise(as_of)
        except dates.DateFormatError as error:
            raise QueryError(f"as-of date: {error}") from None
    return graph.graph.get("as_of") or graph.graph.get("latest_date")


def tighten(holdings):
    """An uncertain share is at most 100 minus what the others certainly hold."""
    if all(h.low == h.high for h in holdings):
        return
    owners = [h for h in holdings if h.kind in OWNER_TYPES]
    total_low = sum(h.low for h in owners)
    for h in owners:
        if h.high > h.low:
            h.high = max(h.low, min(h.high, 100.0 - (total_low - h.low)))


class Holdings:
    """The relations in force at ``when`` as the control rules read them.

    ``graph`` is the whole graph given (entities outside their dates included, for the verdicts);
    ``current`` the snapshot at ``when`` (or ``graph`` itself when it already is one, or no date).
    """

    def __init__(self, graph: nx.MultiDiGraph, when, rules):
        from ..graph import snapshot

        self.graph = graph
        self.rules = rules
        self.when = when
        self.roles = roles = roles_of(graph)
        if when is not None and graph.graph.get("as_of") != when:
            self.current = snapshot(graph, when)
        else:
            self.current = graph
        current = self.current
        self.nodes = list(current)
        self.dispersed = {n for n, d in current.nodes(data=True) if is_dispersed(n, d)}
        self.power_types = roles.bundle_types("power")
        self.bundle_roles = ("power", "option", "channel")
        nominee_of = defaultdict(list)
        self.direct = defaultdict(list)  # target -> [(controller, rule, edge)]
        self.parts = defaultdict(lambda: defaultdict(list))  # target -> bundle role -> [(holder, edge)]
        self.part_types = defaultdict(lambda: defaultdict(list))  # target -> relation type -> [(holder, edge)]
        proxies = []
        concert = []
        count_board = rules.count_board
        margin = rules.approximate_margin
        self.votes = votes = defaultdict(list)
        uncertain = set()
        kind_of = roles.kind
        bundle_of = roles.bundle
        concert_types = roles.concert
        for u, v, key, data in current.edges(keys=True, data=True):
            if u == v or data.get("indirect"):
                continue  # an indirect (look-through) interest confers nothing itself: its chain does
            rtype = data["type"]
            kind = kind_of.get(rtype, "none")
            if kind == "equity" or kind == "votes":
                share = data.get("votes") or data.get("equity")
                if share is not None and "value" in share and not (margin and share.get("approximate")):
                    value = float(share["value"])
                    votes[v].append(Holding(u, v, value, value, bool(share.get("approximate")), (u, v, key)))
                else:
                    low, high, approx = bounds(share, margin)
                    votes[v].append(Holding(u, v, low, high, approx, (u, v, key)))
                    uncertain.add(v)
                continue  # holdings play no part in a contract bundle
            if kind == "influence":
                # significant influence (a register's "other influence or control"): may control, never certainly
                votes[v].append(Holding(u, v, 0.0, 100.0, False, (u, v, key), kind="influence"))
                uncertain.add(v)
            elif kind == "nominee":
                nominee_of[u].append((v, (u, v, key)))
            elif kind in DIRECT_RULES:
                if kind == "board" and not count_board:
                    continue
                self.direct[v].append((u, DIRECT_RULES[kind], (u, v, key)))
            elif rtype in concert_types:
                concert.append((u, v))
            role = bundle_of.get(rtype)
            if role is not None:
                if role == "power":
                    proxies.append((u, v, key, data))
                self.parts[v][role].append((u, (u, v, key)))
                self.part_types[v][rtype].append((u, (u, v, key)))
        self.nominee_of = dict(nominee_of)
        if nominee_of:  # a nominee's votes count for its principal(s)
            for v, holdings in votes.items():
                if any(h.holder in nominee_of for h in holdings):
                    fixed = []
                    for h in holdings:
                        if h.holder not in nominee_of:
                            fixed.append(h)
                            continue
                        for holder, low, high, approx, nominee_edge in self.beneficiaries(
                                h.holder, (h.low, h.high, h.approximate)):
                            fixed.append(Holding(holder, v, low, high, approx, h.edge, nominee_edge))
                            if low != high:
                                uncertain.add(v)
                    votes[v] = fixed
        for u, v, key, data in proxies:
            share = data.get("votes") or data.get("equity")
            if share is None:
                # a bare proxy covers the whole register: the registered holders' votes move to it
                complete = self.bundle_complete(v)
                for h in votes.get(v, ()):
                    if h.kind == "owns":
                        h.low = 0.0
                        if complete:
                            h.high = 0.0
                if complete:
                    continue  # inside a complete bundle it counts through the bundle rule
                # outside a complete bundle control by the proxy is possible, not certain
                votes[v].append(Holding(u, v, 0.0, 100.0, False, (u, v, key), kind="bare proxy"))
                uncertain.add(v)
            else:
                low, high, approx = bounds(share, margin)
                votes[v].append(Holding(u, v, low, high, approx, (u, v, key), kind="proxy"))
                uncertain.add(v)
        for target in uncertain:
            tighten(votes[target])
        self.uncertain = uncertain
        self._economic = {}
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

    def bundle_complete(self, target) -> bool:
        parts = self.parts.get(target, {})
        return all(parts.get(role) for role in self.bundle_roles)

    def beneficiaries(self, holder, share_bounds):
        """Who the votes of ``holder`` count for: itself, or the principal(s) of a nominee."""
        low, high, approx = share_bounds
        principals = self.nominee_of.get(holder)
        if not principals:
            return [(holder, low, high, approx, None)]
        if len(principals) == 1:
            principal, edge = principals[0]
            return [(principal, low, high, approx, edge)]
        # a nominee for several principals: which block is whose is unknown
        return [(principal, 0.0, high, approx, edge) for principal, edge in principals]

    def economic_holdings(self, target) -> list:
        """Equity holdings in ``target`` (after nominees), read from the graph on first use."""
        found = self._economic.get(target)
        if found is not None:
            return found
        margin = self.rules.approximate_margin
        economic = self.roles.economic
        found = []
        current = self.current
        if target in current:
            for u, keyed in current.pred[target].items():
                if u == target:
                    continue
                for key, data in keyed.items():
                    rtype = data["type"]
                    if data.get("indirect"):
                        continue  # a declared look-through figure, not a step of the chain (registers.declared_interests)
                    if rtype not in economic or (data.get("equity") is None and self.roles.kind_of(rtype) == "general_partner"):
                        continue  # a partner's unknown share counts as 0 to what others leave
                    share_bounds = bounds(data.get("equity"), margin)
                    for holder, low, high, approx, nominee_edge in self.beneficiaries(u, share_bounds):
                        found.append(Holding(holder, target, low, high, approx, (u, target, key), nominee_edge, rtype))
        tighten(found)
        self._economic[target] = found
        return found

    def legal(self, target) -> list:
        """``(holder, edge, data)`` of every equity or votes relation into ``target``."""
        if self._legal is None:
            self._legal = defaultdict(list)
            kind_of = self.roles.kind_of
            for u, v, key, data in self.current.edges(keys=True, data=True):
                if u != v and kind_of(data["type"]) in ("equity", "votes") and not data.get("indirect"):
                    self._legal[v].append((u, (u, v, key), data))
        return self._legal.get(target, ())

    def control_roles_into(self, target) -> list:
        """The relations in force into ``target`` whose type can confer control (for ``unknown``)."""
        if target not in self.current:
            return []
        confers = self.roles.confers_control
        return [(u, key) for u, keyed in self.current.pred[target].items() if u != target
                for key, data in keyed.items() if confers(data["type"])]

    def require(self, entity_id):
        """An entity of the graph (outside its own dates too: the verdict then says so)."""
        if entity_id in self.graph or entity_id in self.current:
            return
        from ..errors import UnknownEntityError
        from ..query import suggest

        raise UnknownEntityError(entity_id, suggest(self.graph, entity_id))

    def summary(self, node) -> dict:
        if node.startswith("concert::"):
            members = self.group_members[node]
            return {"id": node, "name": " + ".join(self.graph.nodes[m]["name"] for m in members),
                    "type": "concert_group", "members": list(members)}
        data = self.graph.nodes[node]
        return {"id": node, "name": data["name"], "type": data["type"]}
