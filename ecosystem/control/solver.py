"""The fixed point of the control rules, run with the low ends of shares (certain) and the high ends.

Control edges are only ever added, so the iteration terminates. The targets are visited in one pass
over the strongly connected components of the influence graph, upstream first, iterating only inside
a cycle of cross-holdings. ``control[mode][target]`` maps each direct controller to
``(rule, pooled votes)``.
"""

from __future__ import annotations

from collections import defaultdict, deque

from .rules import CONTROLS, DIRECT_RULES, EPSILON as _EPSILON, HIGH, LOW, MAY_CONTROL, NO_CONTROL

_RULE_RANK = {rule: rank for rank, rule in enumerate(DIRECT_RULES.values())}


class Solver:
    """The control tables of both runs over :class:`~ecosystem.control.holdings.Holdings`."""

    def __init__(self, holdings):
        self.holdings = holdings
        self.rules = holdings.rules
        self.votes = holdings.votes
        self.direct = holdings.direct
        self.parts = holdings.parts
        self.dispersed = holdings.dispersed
        self.group_of = holdings.group_of
        self.group_members = holdings.group_members
        self._uncertain = holdings.uncertain
        self.nodes = holdings.nodes
        self._ultimate_cache = {}
        self._solve()

    @property
    def control(self):
        return self._control

    def _solve(self):
        order = self._influence_order()
        threshold = self.rules.control_threshold
        self._control = ({}, {})  # mode -> target -> {controller: (rule, pooled votes)}
        for mode in (LOW, HIGH):
            table = self._control[mode]
            for target, items in self.direct.items():
                # one party with several direct rules over a target: the first in DIRECT_RULES' order
                for controller, rule, _edge in sorted(items, key=lambda item: _RULE_RANK[item[1]]):
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
            self._settle(component, LOW, threshold)
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
            self._settle(component, HIGH, threshold)
            # until nothing is added: whether a member differs depends on the others, in any order
            size = None
            while size != len(self._differs):
                size = len(self._differs)
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

    def _settle(self, component, mode, threshold):
        """At the fixed point of a cycle, each target's controllers by votes and by bundle become the
        ones the rules give from the control found: the lowest parties above the threshold.

        The fixed point only adds control, in the order targets happen to be visited: a party found
        before the one it stands above (which it controls, found later) would otherwise stay a
        direct controller. Here every target is evaluated against the same control (the fixed
        point's, whose reach does not depend on the order) and "stands above" is read from that
        reach (:meth:`_minimal` with ``cyclic``). A dropped party still controls the target through
        the party below it; where it would not (it reached the target only through that edge, as
        when the party below is in a cycle with the target), the edge is kept. So the result
        depends on the rules and the data, not on the order of the visits.
        """
        table = self._control[mode]
        derived = ("votes", "contract bundle")
        settled, dropped = {}, []
        for target in component:
            current = table.get(target, {})
            kept = {c: v for c, v in current.items() if v[0] not in derived}
            everyone = {}
            for controller, value in self._found(target, mode, threshold, True, everyone):
                kept.setdefault(controller, value)
            dropped += [(target, c, v) for c, v in sorted(everyone.items()) if c not in kept]
            settled[target] = kept
        for target, kept in settled.items():
            if kept:
                table[target] = kept
            else:
                table.pop(target, None)
        while dropped:  # restore what a party above the threshold would otherwise lose: its control
            reach = {t: self._ancestors_strict(t, mode) for t in {t for t, _, _ in dropped}}  # once per pass
            lost = [(t, c, v) for t, c, v in dropped if c not in reach[t]]
            if not lost:
                break
            for target, controller, value in lost:
                table.setdefault(target, {})[controller] = value
            dropped = [(t, c, v) for t, c, v in dropped if c in reach[t]]

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
        """Add ``target``'s controllers by votes and by contract bundle; whether any was new."""
        current = self._control[mode].setdefault(target, {})
        added = False
        for controller, value in self._found(target, mode, threshold, cyclic):
            if controller not in current:
                current[controller] = value
                added = True
        if not current:
            del self._control[mode][target]
        return added

    def _found(self, target, mode, threshold, cyclic=True, everyone=None) -> list:
        """[(controller, (rule, pooled votes))]: ``target``'s controllers by votes, then by contract
        bundle, as the control found so far gives them (the lowest parties above the threshold).
        ``everyone``, when given, receives every party above the threshold, lowest or not."""
        found_all = []
        everyone = {} if everyone is None else everyone
        holdings = self.votes.get(target)
        if holdings and self._totals[mode][target] > threshold + _EPSILON:
            found = None
            if threshold >= 50 and self._totals[mode][target] <= 100 + _EPSILON:
                # one holder above the threshold: nobody else can gather a majority of what is left
                for h in holdings:
                    value = h.low if mode == LOW else h.high
                    if value > threshold + _EPSILON and h.holder not in self.dispersed:
                        found = {h.holder: value}
                        everyone.setdefault(h.holder, ("votes", value))
                        break
            if found is None:
                pooled = self._pooled(holdings, mode)
                candidates = {a for a, v in pooled.items() if v > threshold + _EPSILON and a != target}
                for a in candidates:
                    everyone.setdefault(a, ("votes", pooled[a]))
                found = {a: pooled[a] for a in self._minimal(candidates, mode, cyclic)}
            found_all += [(controller, ("votes", value)) for controller, value in found.items()]
        parts = self.parts.get(target)
        if parts and all(parts.get(t) for t in self.holdings.bundle_roles):
            common = None
            for part in self.holdings.bundle_roles:
                reach = set()
                for holder, _edge in parts[part]:
                    reach.update(self._ancestors(holder, mode))
                common = reach if common is None else common & reach
            common.discard(target)
            for controller in common:
                everyone.setdefault(controller, ("contract bundle", None))
            found_all += [(controller, ("contract bundle", None)) for controller in self._minimal(common, mode, cyclic)]
        return found_all

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
                # walk up a chain of single controllers without building a set (most chains); a
                # control cycle is left at once, so that no holder is credited twice with one block
                walked = [node]
                while True:
                    pooled[node] = pooled.get(node, 0.0) + value
                    parents = table.get(node)
                    if not parents:
                        break
                    if len(parents) > 1 or len(walked) > 64:
                        for a in self._ancestors(node, mode):
                            if a not in walked:
                                pooled[a] = pooled.get(a, 0.0) + value
                        break
                    (node,) = parents
                    if node in walked:
                        break
                    walked.append(node)
                continue
            for a in self._ancestors(node, mode):
                pooled[a] = pooled.get(a, 0.0) + value
        # high ends of different holders are each possible, not all at once: no party has more than all votes
        for party, value in pooled.items():
            if value > 100.0:
                pooled[party] = 100.0
        return pooled

    def _minimal(self, candidates, mode, cyclic=True):
        """The candidates that do not control another candidate (control is then through it).

        Outside a cycle of influence a candidate's parents are enough (every party above a
        candidate is a candidate too). Inside one (``cyclic``) "controls" is read from the whole
        reach of control, so that it does not matter which of two paths the fixed point found
        first: a candidate above another one is dropped unless that one is above it as well.
        """
        if not candidates:
            return []
        table = self._control[mode]
        above = set()
        if cyclic:
            pool = set(candidates)
            reach = {c: self._ancestors_strict(c, mode) for c in pool}  # each walk once, not once per pair
            above |= {other for c in pool for other in reach[c] & pool if other != c and c not in reach[other]}
        for candidate in (() if cyclic else candidates):
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
        from ..collector import paused

        with paused():
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

    def descendants(self, entity_id, mode):
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


