"""Look-through votes: whose hands the votes of an entity end up in, followed through the vehicles
that hold them.

Each block of votes in X (a holding with a share) is followed upward: a holder that one party controls
(votes, general partner, board, statute, a stated relation: the control rules decide) passes the whole
block to its controller; a holder that nobody controls passes it to its own shareholders in proportion
to their equity; a holder controlled jointly or by X itself, or neither controlled nor held, keeps it (votes never go round to X's
own holders through X). A party's
look-through votes in X are the sum of what reaches it over every path. The sum is the integrated
interest of :mod:`.economic` over that "who directs whom" matrix, so cross-holdings are counted once
and a closed cycle is reported instead of a number.

This is how a figure such as Jack Ma's ~6.2% of Ant's voting rights after January 2023 is reached:
Hangzhou Junhan's 31.04% of Ant is directed by its general partner, Hangzhou Xingtao, which nobody
controls and which Ma owns a fifth of: 20% x 31.04% = 6.208%. It is a measure of votes, not of
economic interest (a limited partner's share of a partnership's profits plays no part in it), and
not of control (the control rules answer that, with their threshold).

Uncertain shares are run as everywhere else: the low ends with the control of the low run, the high
ends with the control of the high run; the figure reported is the interval between the two.
"""

from __future__ import annotations

from . import economic
from .holdings import Holding
from .rules import HIGH, LOW, rounded

_PASSIVE = ("bare proxy", "influence")  # no share of the votes to follow: a possibility, not a block
PATHS_KEPT = 10  # witness paths listed per party (the figure counts every path)
STEPS = 20_000  # steps the search for witness paths takes at most


def look_through_votes(analysis, entity_id) -> dict:
    """``{"holders": {party: {"low", "high", "final"}}, "closed_cycle"}`` for the votes of ``entity_id``.

    Every party reached is listed, the direct holders and each vehicle above them too; ``final`` marks
    those that keep what reaches them (nobody above them to pass it to).
    """
    analysis.require(entity_id)
    runs = {mode: economic._integrated(_directed_by(analysis, entity_id, mode), entity_id, mode)
            for mode in (LOW, HIGH)}
    cycle = runs[LOW]["closed_cycle"] or runs[HIGH]["closed_cycle"]
    holders = {}
    if cycle is None:
        for party in sorted(set(runs[LOW]["interest"]) | set(runs[HIGH]["interest"])):
            values = [runs[mode]["interest"].get(party, 0.0) for mode in (LOW, HIGH)]
            holders[party] = {"low": rounded(min(100.0, min(values))), "high": rounded(min(100.0, max(values))),
                              "final": party in runs[HIGH]["final"] or party in runs[LOW]["final"]}
    return {"holders": holders, "closed_cycle": cycle}


def _directed_by(analysis, entity_id, mode):
    """``holdings_of`` for :func:`economic._integrated`: who each node's block passes to."""
    table = analysis.solver.control[mode]
    dispersed = analysis.dispersed

    def holdings_of(node):
        if node == entity_id:
            return [h for h in analysis.votes.get(node, ()) if h.kind not in _PASSIVE and h.holder not in dispersed]
        controllers = [c for c in table.get(node, ()) if c != node]
        if controllers:
            if len(controllers) > 1 or controllers[0].startswith("concert::") or controllers[0] == entity_id:
                return []  # directed jointly, disputed, or by the entity itself: the block stays with the node
            return [Holding(controllers[0], node, 100.0, 100.0, False, None, kind="controls")]
        # the part of a holder that the entity itself owns is not passed back round to the entity's holders
        return [h for h in analysis.holdings.economic_holdings(node) if h.holder not in dispersed and h.holder != entity_id]

    return holdings_of


def witness_paths(analysis, entity_id, party, limit: int = PATHS_KEPT) -> list[list[dict]]:
    """Up to ``limit`` simple paths by which votes of ``entity_id`` reach ``party`` (certain control and
    the low ends of shares; the high ends where the low run reaches nothing), each a list of steps from
    the party down: ``{"from", "to", "how", "share", "rule", "relations"}`` with ``how`` one of
    ``owns`` (the block passes in proportion to ``share``), ``controls`` (the whole block, by ``rule``)
    and ``holds`` (the votes of the entity)."""
    for mode in (LOW, HIGH):
        found = _paths(analysis, entity_id, party, mode, limit)
        if found:
            return found
    return []


def _paths(analysis, entity_id, party, mode, limit):
    holdings_of = _directed_by(analysis, entity_id, mode)
    found = []
    stack = [(entity_id, [], {entity_id})]
    budget = STEPS
    while stack and len(found) < limit and budget > 0:
        budget -= 1
        node, steps, seen = stack.pop()
        for h in sorted(holdings_of(node), key=lambda h: h.holder, reverse=True):
            share = h.low if mode == LOW else h.high
            if share <= 0 or h.holder in seen:
                continue
            if h.kind == "controls":
                witness = analysis.witnesses.step(h.holder, node, mode)
                step = {"from": h.holder, "to": node, "how": "controls", "rule": witness["rule"],
                        "relations": witness["relations"]}
            else:
                step = {"from": h.holder, "to": node, "how": "holds" if node == entity_id else "owns",
                        "share": rounded(share), "relations": [analysis.edge(h.edge)]}
            path = steps + [step]
            if h.holder == party:
                found.append(list(reversed(path)))
                if len(found) >= limit:
                    break
            else:
                stack.append((h.holder, path, seen | {h.holder}))
    return found
