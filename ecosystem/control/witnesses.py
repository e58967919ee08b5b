"""Witnesses: the chain of relations that proves an answer, and why a party does not control.

Each step carries the rule that fired, the test with its threshold, the pooled votes and the relations
(type, shares, dates, observation age, citations). The chain shown is the one with fewest steps that
merely *state* control, then the shortest.
"""

from __future__ import annotations

from .. import dates
from .rules import (CONTROLS, DISSOLVED, HIGH, LOW, MAY_CONTROL, NO_CONTROL, NOT_YET_FOUNDED, UNKNOWN,
                    percent_range as _range, rounded as _round)


def observation_age(observed, when) -> float:
    """Years from an observation to the date asked (negative never: an observation counts from its date)."""
    days = (dates.first_day(when) - dates.first_day(observed)).days
    return round(max(0.0, days / 365.25), 2)


class Witnesses:
    """Chains, steps and explanations over the solved control tables."""

    def __init__(self, holdings, solver):
        self.holdings = holdings
        self.solver = solver
        self.current = holdings.current
        self.roles = holdings.roles
        self.rules = holdings.rules
        self.when = holdings.when
        self.votes = holdings.votes
        self.parts = holdings.parts
        self.direct = holdings.direct
        self.dispersed = holdings.dispersed
        self.group_members = holdings.group_members
        self.summary = holdings.summary
        self.require = holdings.require
        self._control = solver.control
        self._ancestors = solver._ancestors
        self._pooled = solver._pooled
        self._node_for = solver._node_for
        self.status = solver.status
        self.ultimate_ids = solver.ultimate_ids

    def _role_names(self, roles) -> str:
        return ", ".join("/".join(self.roles.bundle_types(role)) or role for role in roles)

    def chain(self, controller, target, mode) -> list[dict]:
        """The steps of a shortest control path from ``controller`` down to ``target``."""
        path = self.path(controller, target, mode)
        return [self.step(a, b, mode) for a, b in zip(path, path[1:])]

    def path(self, controller, target, mode) -> list[str]:
        """The nodes of the best control path from ``controller`` to ``target`` ([] if none).

        Best: fewest steps that only state control (structure — votes, partnerships, contracts —
        is the better proof), then one whose last step (into the target) is structural, then fewest
        steps, then by id. So where a source states that Jack Ma controls Ant and also that he
        controls Yunbo, whose partnerships hold a majority of Ant's votes, the proof shown is the
        chain through Yunbo: as many stated steps, and the votes are computed.
        """
        import heapq

        if controller == target:
            return []
        table = self._control[mode]
        best = {target: (0, 0, 0)}
        heap = [(0, 0, 0, target, (target,))]
        while heap:
            stated, last_stated, length, node, path = heapq.heappop(heap)
            if node == controller:
                return list(reversed(path))
            if best.get(node, (stated, last_stated, length)) < (stated, last_stated, length):
                continue
            for parent, (rule, _votes) in table.get(node, {}).items():
                cost = (stated + (rule == "stated"), int(rule == "stated") if node == target else last_stated,
                        length + 1)
                if parent not in best or cost < best[parent]:
                    best[parent] = cost
                    heapq.heappush(heap, (*cost, parent, path + (parent,)))
        return []

    def step(self, controller, target, mode) -> dict:
        rule, pooled = self._control[mode][target][controller]
        threshold = self.rules.control_threshold
        step = {"from": controller, "to": target, "from_name": self.summary(controller)["name"],
                "to_name": self.summary(target)["name"], "rule": rule,
                "status": CONTROLS if mode == LOW or controller in self._control[LOW].get(target, {}) else MAY_CONTROL}
        if rule == "votes":
            relations = self.holding_steps(target, controller, mode)
            low = self._pooled(self.votes[target], LOW).get(controller, 0.0)
            high = self._pooled(self.votes[target], HIGH).get(controller, 0.0)
            step["votes"] = {"low": _round(low), "high": _round(high)}
            step["test"] = f"votes {_range(low, high)} > {threshold:g}% (control threshold)"
            step["relations"] = relations
            step["approximate"] = any(r.get("approximate") for r in relations)
        elif rule == "contract bundle":
            parts = self.holdings.part_types[target]
            step["test"] = "voting proxy + exclusive option + economic channel (exclusive services) in force"
            types = self.roles.bundle_types("power", "option", "channel", "evidence")
            step["relations"] = [self.edge(edge) for t in types for _, edge in parts.get(t, ())]
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
            step["relations"] = [self.edge(edge) for edge in edges]
            step["approximate"] = False
        return step

    def holding_steps(self, target, controller, mode) -> list[dict]:
        """The holdings in ``target`` whose votes count for ``controller``, as relation objects."""
        result = []
        for h in self.votes.get(target, ()):
            value = h.low if mode == LOW else h.high
            if value <= 0 or h.holder in self.dispersed:
                continue
            if controller not in self._ancestors(h.holder, mode):
                continue
            relation = self.edge(h.edge)
            relation["counted_for"] = h.holder
            relation["counted"] = {"low": _round(h.low), "high": _round(h.high)}
            relation["approximate"] = h.approximate
            if h.kind != "owns":
                relation["counted_as"] = h.kind
            if h.nominee_edge is not None:
                relation["nominee_relation"] = self.edge(h.nominee_edge)
            if h.holder != controller and not controller.startswith("concert::"):
                relation["through"] = self.path(controller, h.holder, mode)[1:]
            result.append(relation)
        result.sort(key=lambda r: (r["from"], r["id"]))
        return result

    def edge(self, edge) -> dict:
        u, v, key = edge
        data = self.current.edges[u, v, key]
        record = {"id": key, "from": u, "to": v, "type": data["type"]}
        for field in ("equity", "votes", "start", "end", "as_of", "instruments", "indirect", "beneficial", "inferred",
                      "note"):
            if data.get(field) not in (None, [], False):
                record[field] = data[field]
        if not (data.get("start") or data.get("as_of")):
            record["undated"] = True  # counts from before anything the data knows
        elif not data.get("start"):
            record["assumed_start"] = data["as_of"]
        observed = data.get("as_of")
        if observed and self.when is not None:
            age = observation_age(observed, self.when)
            record["age_years"] = age
            record["stale"] = age > self.rules.stale_after
        record["sources"] = data.get("sources", [])
        return record

    def explain(self, controller_id, entity_id, verdict=None) -> dict:
        """Whether ``controller_id`` controls ``entity_id``, why or why not; ``verdict`` is the entity's."""
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
        roles = self.holdings.bundle_roles
        mine = [r for r in roles if any(controller_id in self._ancestors(h, HIGH) for h, _ in parts.get(r, ()))]
        if mine:
            reasons.append(f"contract bundle incomplete for it: holds {self._role_names(mine)}; "
                           f"lacks {self._role_names(r for r in roles if r not in mine)}")
        links = sorted({d["type"] for d in self.current.get_edge_data(controller_id, entity_id, default={}).values()})
        passive = [t for t in links if self.roles.kind_of(t) == "none" and t not in self.roles.economic]
        if passive:
            reasons.append(f"its relations {', '.join(passive)} confer no control (regulating, licensing, "
                           "investing and the like never do)")
        others = self.ultimate_ids(entity_id)
        if others:
            reasons.append("controlled instead by " + ", ".join(f"{o['id']} ({o['status']})" for o in others))
        elif verdict == UNKNOWN:
            reasons.append("nobody is recorded as controlling it: no relation that can confer control points at "
                           "it at this date (unknown, not 'no controlling party')")
        elif verdict in (NOT_YET_FOUNDED, DISSOLVED):
            reasons.append(f"nobody controls it: it {'did not exist yet' if verdict == NOT_YET_FOUNDED else 'no longer existed'}"
                           f" on {self.when} ({verdict})")
        else:
            reasons.append("nobody controls it (no controlling party)")
        if not self.rules.count_board and any(self.roles.kind_of(d["type"]) == "board" for d in self.current.pred.get(entity_id, {}).get(controller_id, {}).values()):
            reasons.append("board appointment is not counted (--no-board)")
        return result

