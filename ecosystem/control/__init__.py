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

The package: :mod:`.rules` (settings, vocabulary roles), :mod:`.holdings` (graph to votes, rules and
contract parts), :mod:`.solver` (fixed point, low and high runs), :mod:`.witnesses` (chains and
explanations), :mod:`.economic` (economic interest), :mod:`.verdicts` and :mod:`.analysis`
(:class:`ControlAnalysis`, tying them together).

For many questions over one graph build a :class:`ControlAnalysis` once with :func:`analyse`;
the module-level functions build one per call. Heavy libraries (numpy, scipy) are imported inside
the functions that need them.
"""

from __future__ import annotations

import networkx as nx

from .analysis import ControlAnalysis
from .rules import (CONTESTED, CONTROLLED, CONTROLS, DISSOLVED, MAY_BE_CONTROLLED, MAY_CONTROL, NO_CONTROL,
                    NO_CONTROLLING_PARTY, NOT_YET_FOUNDED, UNKNOWN, VERDICTS, ControlRules)

__all__ = [
    "CONTESTED", "CONTROLLED", "CONTROLS", "DISSOLVED", "MAY_BE_CONTROLLED", "MAY_CONTROL", "NO_CONTROL",
    "NO_CONTROLLING_PARTY", "NOT_YET_FOUNDED", "UNKNOWN", "VERDICTS", "ControlAnalysis", "ControlRules",
    "analyse", "control_diff", "controlled_by", "controllers", "direct_controllers", "economic_interest",
    "explain", "legal_owners", "significant_holders", "status_of", "ultimate_controllers",
]


# # module-level API (one analysis per call)


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
            "verdict_before": before.verdict(node) if node in before.graph else None,
            "verdict_after": after.verdict(node) if node in after.graph else None,
            "before": _status_list(before, old), "after": _status_list(after, new),
            "gained": sorted(k for k in new if old.get(k) != new[k]),
            "lost": sorted(k for k in old if k not in new),
        })
    return {"from": before.when, "to": after.when, "rules": rules.to_dict(), "changes": changes}


def _status_list(analysis, mapping):
    return [{**analysis.summary(k), "status": v} for k, v in sorted(mapping.items())]


