"""Economic interest: equity multiplied along chains and added across chains, cycle-safe.

``A[i, j]`` is the fraction of j's equity held by i, restricted to the upstream of X; F are the final
owners (nobody holds them), C the rest. The integrated interest is ``U = A_FC (I - A_CC)^-1``, column
X, by one sparse solve. A closed cycle (companies holding all of each other) has no number.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..models import share_text
from ..registers import declared_beneficial_owners, declared_interests
from .rules import CLOSED, HIGH, LOW, rounded
from .verdicts import basis


def economic_interest(analysis, entity_id) -> dict:
    """Integrated equity interest in ``entity_id`` of every holder upstream, as (low, high) in %.

    ``final`` holders (nobody owns them) split at most 100% between them. Intermediate holders'
    figures count every path (their own interest through the holders above them is not subtracted).
    A closed cycle of companies owning all of each other is reported in ``closed_cycle`` instead of
    numbers. ``behind`` lists who controls (through holdings or a stated relation, never a contract
    bundle; below a board nomination) a holder of the entity: their interest where the equity between
    them is recorded, else "unknown share, through <chain>".
    """
    analysis.require(entity_id)
    holdings_of = analysis.holdings.economic_holdings
    low = _integrated(holdings_of, entity_id, LOW)
    needs_high = _touches_approx(holdings_of, entity_id)
    high = _integrated(holdings_of, entity_id, HIGH) if needs_high else low
    holders = _holders(analysis, low, high)
    channel_types = analysis.holdings.roles.bundle_types("channel")
    part_types = analysis.holdings.part_types.get(entity_id, {})
    contractual = [analysis.edge(edge) for t in channel_types for _, edge in part_types.get(t, ())]
    from ..query import existence

    declared = declared_interests(analysis, entity_id)
    return {"entity": analysis.summary(entity_id), "as_of": analysis.when,
            "existence": existence(analysis.graph.nodes[entity_id], analysis.when), "holders": holders,
            "closed_cycle": low["closed_cycle"] or high["closed_cycle"],
            "declared_interests": declared,
            "declared_beneficial_owners": declared_beneficial_owners(analysis, entity_id),
            "contractual_channels": contractual,
            "behind": behind_holders(analysis, entity_id, holders),
            "basis": basis([analysis.edge(edge) for edge in _upstream_edges(holdings_of, entity_id)],
                           [item["relation"] for item in declared]),
            "approximate": needs_high}


def _holders(analysis, low, high) -> list[dict]:
    """The holders, final ones first, from the low and the high run (``high`` is ``low`` when no share
    upstream is uncertain): nothing when the low ends close a cycle; the low run's holders up to 100%
    when only the high ends close one."""
    holders = []
    if low["closed_cycle"] is None:
        values_high = high["interest"] if high["closed_cycle"] is None else {}
        # final: nobody holds it, even with the high ends (a share that may be positive makes it held)
        final = high["final"] if high["closed_cycle"] is None else low["final"]
        for holder in sorted(set(low["interest"]) | set(values_high)):
            lo = low["interest"].get(holder, 0.0)
            hi = min(100.0, values_high.get(holder, 100.0 if high["closed_cycle"] else lo))
            holders.append({**analysis.summary(holder), "final": holder in final,
                            "interest": {"low": rounded(min(100.0, lo)), "high": rounded(hi)}})
        holders.sort(key=lambda e: (not e["final"], -e["interest"]["low"], e["id"]))
    return holders


def final_owners_all(analysis) -> FinalOwners:
    """``final_owners`` and ``closed_cycle`` of :func:`economic_interest` for every entity of ``analysis``
    at once, as a mapping ``id -> (final_owners, closed_cycle)`` (see :class:`FinalOwners`)."""
    return FinalOwners(analysis)


class FinalOwners(Mapping):
    """Entity id -> ``(final_owners, closed_cycle)``, as :func:`economic_interest` defines them.

    ``final_owners``: the holders it marks ``final``, as ``{"id", "low", "high"}`` (percent, rounded to 6
    decimals), sorted by falling ``low``, then ``id``; ``closed_cycle``: the sorted ids of the closed cycle
    it reports, or ``[]`` (``final_owners`` is then empty, unless only the high ends close the cycle:
    the low ends' owners are given, up to 100%).

    One pass for every entity, in each run (low and high ends of shares): the strongly connected
    components of the equity holdings are visited upstream first, level by level; an entity's
    interests of final owners are its holders' (a final holder's own share) times the fraction each
    holds, added up, one sparse product per level; a component with a cycle solves its own small
    system with one right-hand side per final owner above it. A closed cycle passes to everything
    below it. The interests are kept as one sparse matrix per run (a row per entity); each entry of
    the mapping is built when asked for.
    """

    def __init__(self, analysis):
        from ..collector import paused

        with paused():  # a Holding per relation: collection passes over a big graph cost more than the work
            self._build(analysis)

    def _build(self, analysis):
        import numpy as np

        holdings = analysis.holdings
        self._analysis = analysis
        self._graph = analysis.graph
        names = self._names = list(holdings.current)
        index = self._index = {name: i for i, name in enumerate(names)}
        holder, target, low, high, uncertain = [], [], [], [], []
        for j, name in enumerate(names):
            for h in holdings.economic_holdings(name):
                holder.append(index[h.holder])
                target.append(j)
                low.append(h.low)
                high.append(h.high)
                if h.approximate or h.low != h.high:
                    uncertain.append(j)
        holder = np.asarray(holder, dtype=np.int64)
        target = np.asarray(target, dtype=np.int64)
        # the high run counts for an entity with an uncertain share at or above it (as _touches_approx)
        self._needs_high = _downstream(len(names), holder, target, np.asarray(uncertain, dtype=np.int64))
        self._runs = [_Run(names, holder, target, np.asarray(values, dtype=float) / 100.0) for values in (low, high)]

    def __getitem__(self, entity_id):
        i = self._index.get(entity_id)
        if i is None:
            if entity_id in self._graph:
                return [], []
            raise KeyError(entity_id)
        runs = [run.result(i, self._names, self._index) for run in self._runs[:2 if self._needs_high[i] else 1]]
        low, high = runs[0], runs[-1]
        owners = [{"id": h["id"], "low": h["interest"]["low"], "high": h["interest"]["high"]}
                  for h in _holders(self._analysis, low, high) if h["final"]]
        return owners, low["closed_cycle"] or high["closed_cycle"] or []

    def __iter__(self):
        return iter(self._graph)

    def __len__(self):
        return len(self._graph)


_NO_CYCLE = 2**62  # the rank of "no closed cycle upstream"


class _Run:
    """The interests of final owners of every entity in one run (low or high ends): ``fractions[k]`` is
    the fraction of ``target[k]`` held by ``holder[k]`` (node indices)."""

    def __init__(self, names, holder, target, fractions):
        import numpy as np
        from scipy.sparse import coo_matrix, csr_matrix, diags

        n = len(names)
        keep = fractions > 0
        a = coo_matrix((fractions[keep], (holder[keep], target[keep])), shape=(n, n)).tocsr()  # duplicates add up
        self.held = held = a.getnnz(axis=0) > 0
        count, labels, cyclic, closed = _components(a)
        # the closed cycles, ranked by their sorted ids: an entity reports the least one upstream (a
        # closed cycle is above its whole component)
        found = sorted((sorted(names[m] for m in members), int(labels[members[0]])) for members in closed)
        self.cycles = [cycle for cycle, _ in found]
        component_rank = np.full(count, _NO_CYCLE, dtype=np.int64)
        for number, (_, c) in reversed(list(enumerate(found))):
            component_rank[c] = number
        coo = a.tocoo()
        outside = labels[coo.row] != labels[coo.col]
        level = _levels(count, labels[coo.row[outside]], labels[coo.col[outside]])
        # the visiting order: by level (upstream first), a component's members together
        order = np.lexsort((labels, level[labels]))
        self.position = position = np.empty(n, dtype=np.int64)
        position[order] = np.arange(n)
        ordered_labels = labels[order]
        bounds = np.searchsorted(level[ordered_labels], np.arange(int(level.max(initial=-1)) + 2))
        # upward[r, c]: the fraction of the entity at position r held by the entity at position c
        upward = coo_matrix((coo.data, (position[coo.col], position[coo.row])), shape=(n, n)).tocsr()
        self.rank = rank = component_rank[ordered_labels]  # by position
        final = ~held[order]
        rows = _Rows(n, n)
        for s, e in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            block = upward[s:e]
            # a closed cycle above a holder is above the entity and its whole component
            part = block.tocoo()
            np.minimum.at(component_rank, ordered_labels[s + part.row], rank[part.col])
            rank[s:e] = component_rank[ordered_labels[s:e]]
            # external holders: one product with the rows written so far (the levels above)
            product = (block[:, :s] @ rows.matrix()).tocsr() if s else csr_matrix((e - s, n))
            extra_rows, extra_cols, extra_values = [], [], []
            plain = ~cyclic[ordered_labels[s:e]] & (rank[s:e] == _NO_CYCLE)
            finals = np.flatnonzero(final[s:e])
            extra_rows.append(finals)
            extra_cols.append(order[s + finals])  # a final owner holds all of itself
            extra_values.append(np.ones(len(finals)))
            for start, end in _runs_of(ordered_labels[s:e], cyclic[ordered_labels[s:e]] & (rank[s:e] == _NO_CYCLE)):
                rhs = product[start:end]
                columns = np.unique(rhs.indices)
                if not len(columns):
                    continue
                z = _solve(block[start:end, s + start:s + end], rhs[:, columns].toarray())
                r, k = np.nonzero(z)
                extra_rows.append(start + r)
                extra_cols.append(columns[k])
                extra_values.append(z[r, k])
            kept = diags(plain.astype(float)) @ product
            kept.eliminate_zeros()
            extra = coo_matrix((np.concatenate(extra_values), (np.concatenate(extra_rows), np.concatenate(extra_cols))),
                               shape=(e - s, n)).tocsr()
            rows.append((kept + extra).tocsr())
        self.matrix = rows.matrix()

    def result(self, i, names, index) -> dict:
        """Entity ``i``'s final owners in :func:`_integrated`'s shape (its intermediate holders left out)."""
        rank = self.rank[self.position[i]]
        if rank != _NO_CYCLE:
            return {"interest": {}, "final": set(), "closed_cycle": self.cycles[rank]}
        interest = {}
        if self.held[i]:  # an entity nobody holds has no owners
            matrix, r = self.matrix, self.position[i]
            start, end = matrix.indptr[r], matrix.indptr[r + 1]
            interest = {names[f]: float(v) * 100.0
                        for f, v in zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist()) if v > 0}
        return {"interest": interest, "final": _Unheld(self.held, index), "closed_cycle": None}


class _Unheld:
    """``name in _Unheld(held, index)``: nobody holds it in the run (a final owner wherever it stands)."""

    def __init__(self, held, index):
        self.held, self.index = held, index

    def __contains__(self, name) -> bool:
        return not self.held[self.index[name]]


class _Rows:
    """A sparse matrix written a block of rows at a time, readable whole after each block."""

    def __init__(self, rows, width):
        import numpy as np

        self.width = width
        self.indptr = np.zeros(rows + 1, dtype=np.int64)
        self.indices = np.empty(1024, dtype=np.int64)
        self.data = np.empty(1024)
        self.count = 0

    def append(self, block):
        import numpy as np

        size = int(self.indptr[self.count])
        added = block.nnz
        if size + added > len(self.data):
            capacity = max(2 * len(self.data), size + added)
            self.data = np.resize(self.data, capacity)
            self.indices = np.resize(self.indices, capacity)
        self.data[size:size + added] = block.data
        self.indices[size:size + added] = block.indices
        self.indptr[self.count + 1:self.count + 1 + block.shape[0]] = size + block.indptr[1:]
        self.count += block.shape[0]

    def matrix(self):
        from scipy.sparse import csr_matrix

        size = int(self.indptr[self.count])
        return csr_matrix((self.data[:size], self.indices[:size], self.indptr[:self.count + 1]),
                          shape=(self.count, self.width))


def _runs_of(labels, chosen):
    """(start, end) of each stretch of equal ``labels`` whose members are ``chosen``."""
    import numpy as np

    where = np.flatnonzero(chosen)
    if not len(where):
        return []
    breaks = np.flatnonzero(np.diff(labels[where]) != 0) + 1
    return [(int(where[a]), int(where[b - 1]) + 1)
            for a, b in zip(np.concatenate(([0], breaks)), np.concatenate((breaks, [len(where)])))]


def _levels(count, source, target):
    """The level of each node of a graph without cycles (``source[k] -> target[k]``): 0 for those
    without a predecessor, else one more than the highest of their predecessors."""
    import numpy as np

    indegree = np.bincount(target, minlength=count)
    order = np.argsort(source, kind="stable")
    targets = target[order]
    starts = np.searchsorted(source[order], np.arange(count + 1))
    level = np.zeros(count, dtype=np.int64)
    frontier = np.flatnonzero(indegree == 0)
    depth = 0
    while len(frontier):
        level[frontier] = depth
        first, lengths = starts[frontier], starts[frontier + 1] - starts[frontier]
        reached = targets[np.repeat(first - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())]
        np.subtract.at(indegree, reached, 1)
        frontier = np.unique(reached[indegree[reached] == 0])
        depth += 1
    return level


def _downstream(n, holder, target, seeds):
    """Whether each node is one of ``seeds`` or held, directly or not, by one (any share)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import breadth_first_order

    found = np.zeros(n, dtype=bool)
    if not len(seeds):
        return found
    rows = np.concatenate((holder, np.full(len(seeds), n)))
    cols = np.concatenate((target, seeds))
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n + 1, n + 1))
    reached = breadth_first_order(graph, n, directed=True, return_predecessors=False)
    found[reached[reached < n]] = True
    return found


def holdings_between(analysis, entity_id, holder) -> list:
    """The equity holdings on the way from ``holder`` down to ``entity_id`` (what its interest rests on)."""
    holdings_of = analysis.holdings.economic_holdings
    held = {}  # holder -> its holdings on the way up from the entity
    seen, queue = {entity_id}, [entity_id]
    while queue:
        for h in holdings_of(queue.pop()):
            held.setdefault(h.holder, []).append(h)
            if h.holder not in seen:
                seen.add(h.holder)
                queue.append(h.holder)
    found, reached, queue = [], {holder}, [holder]
    while queue:
        for h in held.get(queue.pop(), ()):
            found.append(h)
            if h.target not in reached:
                reached.add(h.target)
                queue.append(h.target)
    return found


def uncertain_steps(analysis, entity_id, holder) -> list[str]:
    """The equity relations between ``holder`` and ``entity_id`` whose share is a range or not recorded
    (why an interest is a range), as ``"from type to (share)"`` texts."""
    found = []
    for h in holdings_between(analysis, entity_id, holder):
        if h.low != h.high:
            data = analysis.holdings.current.edges[h.edge]
            share = share_text(data.get("equity")) if data.get("equity") else "share not recorded"
            found.append(f"{h.edge[0]} {data['type']} {h.edge[1]} ({share})")
    return sorted(set(found))


def _upstream_edges(holdings_of, entity_id) -> list:
    """Every equity relation the interest in ``entity_id`` is computed from."""
    seen, edges = {entity_id}, {}
    queue = [entity_id]
    while queue:
        for h in holdings_of(queue.pop()):
            edges[h.edge[2]] = h.edge
            if h.holder not in seen:
                seen.add(h.holder)
                queue.append(h.holder)
    return [edges[k] for k in sorted(edges)]


def behind_holders(analysis, entity_id, holders) -> list[dict]:
    """Who controls a direct holder of ``entity_id`` without a recorded equity path to the entity.

    Through holdings, a partnership or a stated relation: a chain with a contract step is left out, and
    a chain topped by a board nomination names the party below the (last) nomination."""
    known = {h["id"]: h for h in holders}
    result = {}
    for h in analysis.holdings.economic_holdings(entity_id):
        for item in analysis.ultimate_ids(h.holder) if h.holder in analysis.holdings.current else ():
            controller = item["id"]
            if controller in (entity_id, h.holder) or item["status"] != "controls":
                continue
            path = analysis.witnesses.path(item["node"], h.holder, LOW)
            rules = [analysis.solver.control[LOW][b][a][0] for a, b in zip(path, path[1:])]
            if not path or any(rule in ("contract", "contract bundle") for rule in rules):
                continue  # a contract bundle gives control, not an economic interest in what is held
            boards = [i for i, rule in enumerate(rules) if rule == "board"]
            if boards:  # nominating a board carries no interest either: behind is the party below the nomination
                path, rules = path[boards[-1] + 1:], rules[boards[-1] + 1:]
                controller = path[0]
                if controller in (entity_id, h.holder):
                    continue
            through = path if path[0] == controller else [controller] + path[1:]
            entry = result.setdefault((controller, h.edge[2]), {
                **analysis.summary(controller), "holder": h.holder, "relation": h.edge[2],
                "through": through, "rules": rules, "status": item["status"]})
            if controller in known:
                entry["interest"] = known[controller]["interest"]
                entry["share"] = _interval_text(known[controller]["interest"])
            else:
                entry["interest"] = None
                entry["share"] = "unknown share, through " + " → ".join(through)
    return [result[k] for k in sorted(result)]


def _interval_text(value) -> str:
    low, high = value["low"], value["high"]
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


def _solve_neumann(a_cc, rhs, tolerance=1e-13, limit=2000):
    """Solve (I - A) z = rhs by z = rhs + A z (converges because the spectral radius is below 1).

    Each step is one sparse product, so the cost is linear in the relations; LU factors of a large
    cross-held graph fill in badly. ``rhs`` is a vector or a matrix (one column per right-hand side).
    None when it has not converged within ``limit`` steps.
    """
    z = rhs.copy()
    term = rhs
    for _ in range(limit):
        term = a_cc @ term
        z += term
        if term.max(initial=0.0) < tolerance:
            return z
    return None


def _solve(a_cc, rhs):
    """(I - A) z = rhs: the Neumann series, or a direct sparse solve when it converges slowly (spectral
    radius near 1). The result is checked (finite, not negative): a system without such a solution
    (spectral radius 1 or more) raises ValueError instead of giving figures."""
    import numpy as np
    from scipy.sparse import identity
    from scipy.sparse.linalg import spsolve

    z = _solve_neumann(a_cc, rhs)
    if z is None:
        import warnings

        system = (identity(a_cc.shape[0], format="csc") - a_cc.tocsc()).tocsc()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a singular system is reported below
            z = np.asarray(spsolve(system, rhs)).reshape(rhs.shape)
        if not np.all(np.isfinite(z)) or z.min(initial=0.0) < -1e-9 * max(1.0, np.abs(z).max(initial=0.0)):
            raise ValueError("the holdings of a cycle add up to 100% or more: its interest has no figure")
    return z


def _components(a):
    """Strongly connected components of ``a`` (fraction of j's equity held by i at ``a[i, j]``):
    ``(count, labels, cyclic, closed)``; ``cyclic`` marks components with a cycle (several members or a
    self-holding); ``closed`` lists the closed cycles (arrays of node indices), whose interest has no
    figure.

    A closed cycle is, as the Spark engine finds it, a set of companies reaching each other through
    holdings, each held in full (:data:`CLOSED`) by the others, among the companies that their
    holders in the same set hold in full (the largest such set, found by trimming); or a component
    whose holdings, with the high ends of shares, add up to 100% or more around its cycles without
    closing one (spectral radius 1 or more: the system has no non-negative solution)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    n = a.shape[0]
    count, labels = connected_components(a, directed=True, connection="strong")
    coo = a.tocoo()
    cyclic = np.bincount(labels, minlength=count) > 1
    cyclic[labels[coo.row[(coo.row == coo.col) & (coo.data > 0)]]] = True
    # the companies held in full by others of the set, trimmed until none is dropped
    kept = np.ones(n, dtype=bool)
    while True:
        inside = kept[coo.row] & kept[coo.col]
        total = np.bincount(coo.col[inside], weights=coo.data[inside], minlength=n)
        trimmed = kept & (total >= CLOSED)
        if trimmed.sum() == kept.sum():
            break
        kept = trimmed
    closed = []
    if kept.any():
        inside = kept[coo.row] & kept[coo.col]
        sub = csr_matrix((coo.data[inside], (coo.row[inside], coo.col[inside])), shape=(n, n))
        _, sub_labels = connected_components(sub, directed=True, connection="strong")
        own = inside & (sub_labels[coo.row] == sub_labels[coo.col])
        held = np.bincount(coo.col[own], weights=coo.data[own], minlength=n)
        looped = np.zeros(n, dtype=bool)
        looped[coo.row[own]] = True  # on a cycle of the set (a self-holding included)
        candidates = np.flatnonzero(kept & looped)
        for label in np.unique(sub_labels[candidates]):
            members = candidates[sub_labels[candidates] == label]
            if (held[members] >= CLOSED).all():
                closed.append(members)
    # a component whose holdings add up past 100% somewhere (high ends) may have no solution
    column = np.bincount(coo.col[labels[coo.row] == labels[coo.col]],
                         weights=coo.data[labels[coo.row] == labels[coo.col]], minlength=n)
    shut = np.zeros(count, dtype=bool)
    shut[[labels[m[0]] for m in closed]] = True
    for label in np.unique(labels[column > 1.0]):
        if not cyclic[label] or shut[label]:
            continue
        members = np.flatnonzero(labels == label)
        try:
            _solve(a[members][:, members], np.ones(len(members)))
        except ValueError:
            closed.append(members)
    return count, labels, cyclic, closed


def _first_cycle(cycles):
    """The closed cycle reported when several stand upstream: the least of their sorted id lists (the
    same whatever the order of the graph)."""
    return min(sorted(cycle) for cycle in cycles)


def _integrated(holdings_of, entity_id, mode) -> dict:
    """Integrated interest in ``entity_id``: U = A_FC (I - A_CC)^-1 restricted to its upstream."""
    import numpy as np
    from scipy.sparse import coo_matrix

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
    closed = _components(a_cc)[3]
    if closed:
        return {"interest": {}, "final": set(), "closed_cycle": _first_cycle(
            [names[intermediate[m]] for m in members] for members in closed)}
    position = {int(c): k for k, c in enumerate(intermediate)}
    rhs = np.zeros(len(intermediate))
    rhs[position[0]] = 1.0
    through = _solve(a_cc, rhs)  # N[c, entity]: all paths from c to the entity
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
