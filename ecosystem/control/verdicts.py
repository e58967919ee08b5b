"""Verdicts about the entity asked about, and the observations an answer rests on.

``controlled``, ``may be controlled``, ``no controlling party``, ``unknown`` (no relation that can
confer control points at it at the date: never read as "no controlling party"), ``not yet founded`` /
``dissolved`` (the date is outside the entity's own dates) and ``contested`` (two or more ultimate
controllers that certainly control, outside one concert group or control cycle).
"""

from __future__ import annotations

from .. import dates
from .rules import (CONTESTED, CONTROLLED, CONTROLS, DISSOLVED, MAY_BE_CONTROLLED, NO_CONTROLLING_PARTY,
                    NOT_YET_FOUNDED, UNKNOWN)


def lifetime_verdict(data: dict, when) -> str | None:
    """``not yet founded`` or ``dissolved`` when ``when`` is outside the entity's own dates, else None."""
    if when is None:
        return None
    day = dates.first_day(when)
    if data.get("start") is not None and dates.first_day(data["start"]) > day:
        return NOT_YET_FOUNDED
    if data.get("end") is not None and dates.first_day(data["end"]) <= day:
        return DISSOLVED
    return None


def verdict(analysis, entity_id, ultimate: list[dict]) -> str:
    """The verdict for ``entity_id`` given its ultimate controllers (each with ``status``)."""
    outside = lifetime_verdict(analysis.graph.nodes[entity_id], analysis.when)
    if outside is not None:
        return outside
    certain = {_root(item) for item in ultimate if item["status"] == CONTROLS}
    if len(certain) > 1:
        return CONTESTED
    if certain:
        return CONTROLLED
    if ultimate:
        return MAY_BE_CONTROLLED
    if not analysis.holdings.control_roles_into(entity_id):
        return UNKNOWN
    return NO_CONTROLLING_PARTY


def _root(item: dict):
    """Members of one concert group or control cycle are one controlling party."""
    if item.get("group"):
        return tuple(sorted(item["group"]))
    return item["id"]


def verdict_note(result_verdict: str, entity: dict, when, ultimate: list[dict]) -> str | None:
    if result_verdict == UNKNOWN:
        return (f"no relation that can confer control (holdings, control, contracts) points at {entity['id']} "
                f"in force on {when}: who controls it is unknown, not 'no controlling party'")
    if result_verdict == NOT_YET_FOUNDED:
        return f"{entity['id']} did not exist yet on {when}"
    if result_verdict == DISSOLVED:
        return f"{entity['id']} no longer existed on {when}"
    if result_verdict == CONTESTED:
        names = ", ".join(item["id"] for item in ultimate if item["status"] == CONTROLS)
        return (f"the data gives more than one party certain control ({names}), outside one concert group or "
                "control cycle: the sources disagree or a relation has ended without an end date; both chains shown")
    return None


def flag_steps(chain: list[dict], stale_after: float) -> None:
    """Mark each step with the date of its latest observation, and ``stale`` when it is too old."""
    for step in chain:
        observed = [r for r in step.get("relations", ()) if r.get("as_of")]
        if not observed:
            continue
        latest = max(observed, key=lambda r: dates.first_day(r["as_of"]))
        step["last_observed"] = latest["as_of"]
        step["age_years"] = latest.get("age_years")
        step["stale"] = bool(latest.get("stale"))


def basis(*chains_or_relations) -> list[dict]:
    """The observations an answer rests on: ``[{relation, as_of, age_years, stale}]``, sorted."""
    found = {}

    def visit(relation):
        if relation.get("as_of") and relation["id"] not in found:
            found[relation["id"]] = {"relation": relation["id"], "as_of": relation["as_of"],
                                     "age_years": relation.get("age_years"), "stale": bool(relation.get("stale"))}
        if relation.get("nominee_relation"):
            visit(relation["nominee_relation"])

    for group in chains_or_relations:
        for item in group:
            if "relations" in item:  # a step
                for relation in item["relations"]:
                    visit(relation)
            else:
                visit(item)
    return [found[k] for k in sorted(found)]


def merge_basis(*bases) -> list[dict]:
    """Several answers' ``basis`` lists as one (each observation once, sorted)."""
    found = {item["relation"]: item for group in bases for item in group}
    return [found[k] for k in sorted(found)]


def stale_text(step_or_item: dict) -> str:
    """`` (last observed 2000)`` for a stale step or controller, else ''."""
    if step_or_item.get("stale") and step_or_item.get("last_observed"):
        return f" (last observed {dates.parse_partial(step_or_item['last_observed'])[0]})"
    return ""
