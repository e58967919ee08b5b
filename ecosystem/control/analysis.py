"""``ControlAnalysis``: the control rules run once over a graph at a date; ask it many questions.

It ties the parts together: :mod:`.holdings` (graph to votes, rules and contract parts),
:mod:`.solver` (the fixed point, low and high runs), :mod:`.witnesses` (chains and explanations),
:mod:`.economic` (economic interest) and :mod:`.verdicts` (what is known about the entity asked about).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .. import dates
from ..models import share_text
from . import economic, lookthrough
from .holdings import Holdings, resolve_date
from .rules import (CONTROLS, EPSILON as _EPSILON, HIGH, LOW, MAY_CONTROL, NOT_YET_FOUNDED, ControlRules, bounds,
                    percent_range, rounded)
from .solver import Solver
from .verdicts import basis, flag_steps, lifetime_verdict, merge_basis, verdict, verdict_note
from ..registers import declared_beneficial_owners
from .witnesses import Witnesses


class ControlAnalysis:
    """The control rules run once over a graph at a date; ask it many questions."""

    def __init__(self, graph: nx.MultiDiGraph, as_of=None, rules: ControlRules | None = None):
        self.graph = graph
        self.rules = rules or ControlRules()
        self.when = resolve_date(graph, as_of)
        from ..collector import paused

        with paused():  # many small acyclic objects: collection passes over a big graph cost more than the work
            self.holdings = Holdings(graph, self.when, self.rules)
            self.solver = Solver(self.holdings)
        self.witnesses = Witnesses(self.holdings, self.solver)
        self.nodes = self.holdings.nodes
        self.dispersed = self.holdings.dispersed
        self.votes = self.holdings.votes
        self.require = self.holdings.require
        self.summary = self.holdings.summary
        self.status = self.solver.status
        self.ultimate_ids = self.solver.ultimate_ids
        self.ultimate_map = self.solver.ultimate_map
        self.chain = self.witnesses.chain
        self.edge = self.witnesses.edge
        self._pooled = self.solver._pooled
        self._ancestors = self.solver._ancestors
        self._control = self.solver.control
        self._node_for = self.solver._node_for

    def economic_interest(self, entity_id) -> dict:
        return economic.economic_interest(self, entity_id)

    def explain(self, controller_id, entity_id) -> dict:
        """Whether ``controller_id`` controls ``entity_id``, why or why not, and the entity's verdict."""
        found = self.verdict(entity_id)
        result = self.witnesses.explain(controller_id, entity_id, found)
        flag_steps(result["chain"], self.rules.stale_after)
        result["verdict"] = found
        outside = lifetime_verdict(self.graph.nodes[controller_id], self.when)
        result["controller_existence"] = outside or "exists"
        if outside is not None:
            result["reasons"].insert(0, f"{controller_id} {'did not exist yet' if outside == NOT_YET_FOUNDED else 'no longer existed'}"
                                        f" on {self.when} ({outside})")
        interest = economic.economic_interest(self, entity_id)
        found = next((h["interest"] for h in interest["holders"] if h["id"] == controller_id), None)
        unknown = [b for b in interest["behind"] if b["id"] == controller_id and b["interest"] is None]
        result["economic_basis"] = basis([self.edge(h.edge) for h in economic.holdings_between(self, entity_id, controller_id)])
        if unknown and not found:
            result["economic_interest"] = None
            result["reasons"].append("its economic interest: " + "; ".join(b["share"] for b in unknown))
        elif interest["closed_cycle"] is None:
            result["economic_interest"] = value = found or {"low": 0.0, "high": 0.0}
            open_ends = economic.uncertain_steps(self, entity_id, controller_id) if value["low"] != value["high"] else []
            result["reasons"].append(
                "its economic interest (equity through every path): " + percent_range(value["low"], value["high"])
                + (" (a range: not known exactly on the way: " + "; ".join(open_ends) + ")" if open_ends else ""))
        # what a source states as its interest through others (a register's or a report's look-through figure)
        result["declared_interests"] = [d for d in interest["declared_interests"] if d["id"] == controller_id]
        for declared in result["declared_interests"]:
            if "interest" in declared:
                share = ("~" if declared.get("approximate") else "") + percent_range(
                    declared["interest"]["low"], declared["interest"]["high"])
                result["reasons"].append(f"its interest through others as a source states it (look-through, not on the "
                                         f"register): {share} ({declared['relation']['id']})")
        result["look_through_votes"] = self.look_through(controller_id, entity_id)
        result["basis"] = merge_basis(basis(result["chain"]), result["economic_basis"],
                                      (result["look_through_votes"] or {}).get("basis", []),
                                      basis([d["relation"] for d in result["declared_interests"]]))
        return result

    def look_through(self, party, entity_id) -> dict | None:
        """The votes of ``entity_id`` that reach ``party`` (:mod:`.lookthrough`): ``low``, ``high``, the
        witness ``paths`` and their ``basis``; None when a closed cycle leaves it undefined."""
        found = lookthrough.look_through_votes(self, entity_id)
        if found["closed_cycle"] is not None:
            return None
        value = found["holders"].get(party, {"low": 0.0, "high": 0.0})
        paths = lookthrough.witness_paths(self, entity_id, party) if value["high"] > 0 else []
        return {"low": value["low"], "high": value["high"], "paths": paths,
                "basis": basis(*paths)}

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
            self._mark_stale(entry, chain)
            result.append(entry)
        return result

    def _mark_stale(self, entry, chain):
        """Flag the chain's steps by the age of their observations, and the answer by its oldest stale step."""
        flag_steps(chain, self.rules.stale_after)
        stale = [step for step in chain if step.get("stale")]
        if stale:
            entry["stale"] = True
            entry["last_observed"] = min((s["last_observed"] for s in stale), key=dates.first_day)

    def direct_controllers(self, entity_id) -> list[dict]:
        self.require(entity_id)
        low = self._control[LOW].get(entity_id, {})
        high = self._control[HIGH].get(entity_id, {})
        result = []
        for controller in sorted(high):
            mode = LOW if controller in low else HIGH
            step = self.witnesses.step(controller, entity_id, mode)
            flag_steps([step], self.rules.stale_after)
            result.append({**self.summary(controller), "status": CONTROLS if mode == LOW else MAY_CONTROL,
                           "rule": step["rule"], "approximate": step["approximate"], "chain": [step]})
        return result

    def controllers(self, entity_id) -> dict:
        """The full answer for ``entity_id`` (the ``controllers ID --json`` document)."""
        self.require(entity_id)
        ultimate = self.ultimate_controllers(entity_id)
        entity = self.summary(entity_id)
        found = verdict(self, entity_id, ultimate)
        direct = self.direct_controllers(entity_id)
        significant = self.significant_holders(entity_id)
        legal = self.legal_owners(entity_id)
        notes = self.notes(entity_id)
        note = verdict_note(found, entity, self.when, ultimate)
        if note:
            notes.insert(0, note)
        return {
            "entity": entity,
            "as_of": self.when,
            "verdict": found,
            "basis": basis(*(item["chain"] for item in ultimate + direct + significant),
                           [item["relation"] for item in legal]),
            "ultimate": ultimate,
            "direct": direct,
            "significant": significant,
            "legal_owners": legal,
            "declared_beneficial_owners": declared_beneficial_owners(self, entity_id),
            "notes": notes,
            "rules": self.rules.to_dict(),
        }

    def verdict(self, entity_id) -> str:
        """The verdict alone (see :mod:`ecosystem.control.verdicts`)."""
        self.require(entity_id)
        return verdict(self, entity_id, self.ultimate_ids(entity_id))

    def notes(self, entity_id) -> list[str]:
        notes = []
        parts = self.holdings.parts.get(entity_id, {})
        roles = self.holdings.bundle_roles
        held = [r for r in roles if parts.get(r)]
        if held and len(held) < len(roles):
            missing = [r for r in roles if r not in held]
            names = self.witnesses._role_names
            notes.append(f"incomplete contract bundle: has {names(held)}; lacks {names(missing)} "
                         "(a bare voting proxy gives at most 'may control')")
        if any(h.approximate for h in self.votes.get(entity_id, ())):
            notes.append("some shares are approximate ('~'): they count at their value")
        if any(h.kind == "influence" for h in self.votes.get(entity_id, ())):
            notes.append("other influence or control (significant influence) gives at most 'may control'")
        if any(h.low != h.high for h in self.votes.get(entity_id, ()) if h.kind not in ("bare proxy", "influence")):
            notes.append("some shares are ranges or unknown: low ends decide 'controls', high ends 'may control'")
        return notes

    # -- holders ----------------------------------------------------------------------------------

    def legal_owners(self, entity_id) -> list[dict]:
        """Who is on the register: ``owns`` relations into ``entity_id`` (nominees included)."""
        self.require(entity_id)
        result = []
        for holder, edge, data in self.holdings.legal(entity_id):
            entry = {**self.summary(holder), "equity": data.get("equity"), "share": share_text(data.get("equity")),
                     "relation": self.edge(edge)}
            if data.get("votes") is not None:
                entry["votes"] = data["votes"]
            if holder in self.holdings.nominee_of:
                entry["nominee_for"] = sorted(p for p, _ in self.holdings.nominee_of[holder])
            result.append(entry)
        result.sort(key=lambda e: (-bounds(e["equity"], 0)[0] if e["equity"] else 0, e["id"], e["relation"]["id"]))
        return result

    def significant_holders(self, entity_id) -> list[dict]:
        """Holders of at least the significant threshold of votes (pooled) or equity, who do not control."""
        self.require(entity_id)
        threshold = self.rules.significant_threshold - _EPSILON
        holdings = self.votes.get(entity_id, [])
        low = self._pooled(holdings, LOW)
        high = self._pooled(holdings, HIGH)
        equity = defaultdict(lambda: [0.0, 0.0])
        for h in self.holdings.economic_holdings(entity_id):
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
                           "votes": {"low": rounded(v_low), "high": rounded(v_high)},
                           "equity": {"low": rounded(e_low), "high": rounded(e_high)},
                           "via": via,
                           "approximate": any(h.approximate for h in holdings if holder in self._ancestors(h.holder, HIGH)),
                           "chain": self.witnesses.holding_steps(entity_id, holder, HIGH)})
        result.sort(key=lambda e: (-e["votes"]["high"], -e["equity"]["high"], e["id"]))
        return result

    def controlled_by(self, entity_id) -> list[dict]:
        self.require(entity_id)
        result = []
        for mode in (LOW, HIGH):
            below = self.solver.descendants(entity_id, mode)
            for target in below:
                if mode == HIGH and any(r["id"] == target for r in result):
                    continue
                chain = self.chain(self._node_for(entity_id, target, mode), target, mode)
                entry = {**self.summary(target), "status": CONTROLS if mode == LOW else MAY_CONTROL,
                         "via": list(dict.fromkeys(step["rule"] for step in chain)),
                         "depth": len(chain), "approximate": any(s.get("approximate") for s in chain),
                         "chain": chain}
                self._mark_stale(entry, chain)
                result.append(entry)
        result.sort(key=lambda e: (e["depth"], e["id"]))
        return result

