"""Economic interest: equity multiplied along chains and added across chains, cycle-safe.

``A[i, j]`` is the fraction of j's equity held by i, restricted to the upstream of X; F are the final
owners (nobody holds them), C the rest. The integrated interest is ``U = A_FC (I - A_CC)^-1``, column
X, by one sparse solve. A closed cycle (companies holding all of each other) has no number.
"""

from __future__ import annotations

from ..models import share_text
from ..registers import declared_beneficial_owners, declared_interests
from .rules import HIGH, LOW, rounded
from .verdicts import basis


def economic_interest(analysis, entity_id) -> dict:
    """Integrated equity interest in ``entity_id`` of every holder upstream, as (low, high) in %.

    ``final`` holders (nobody owns them) split at most 100% between them. Intermediate holders'
    figures count every path (their own interest through the holders above them is not subtracted).
    A closed cycle of companies owning all of each other is reported in ``closed_cycle`` instead of
    numbers. ``behind`` lists who controls (through holdings or a stated relation, never a contract
    bundle) a holder of the entity: their interest where the equity between them is recorded, else
    "unknown share, through <chain>".
    """
    analysis.require(entity_id)
    holdings_of = analysis.holdings.economic_holdings
    low = _integrated(holdings_of, entity_id, LOW)
    needs_high = _touches_approx(holdings_of, entity_id)
    high = _integrated(holdings_of, entity_id, HIGH) if needs_high else low
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
    """Who controls a direct holder of ``entity_id`` without a recorded equity path to the entity."""
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
