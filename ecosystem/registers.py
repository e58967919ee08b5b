"""What a register declares, beside what the control rules conclude.

A beneficial-ownership register (BODS) states some things outright: that a party is a beneficial
owner or controller (``beneficial: true`` on a relation) and what interest a party holds through
others (``indirect: true``, a look-through figure). The control rules never count these declarations
(an indirect interest is not a step of a chain, a declaration is not a rule), but the answers list
them, so a reader sees both what the register says and what the rules derive.
"""

from __future__ import annotations


def _declared(analysis, entity_id, wanted):
    """(holder, edge, data) of the relations into ``entity_id`` in force at the analysis' date that ``wanted`` keeps."""
    current = analysis.holdings.current  # the snapshot at the analysis' date (supersession applied)
    if entity_id not in current:
        return []
    found = [(holder, (holder, entity_id, key), data)
             for holder, keyed in current.pred[entity_id].items() if holder != entity_id
             for key, data in keyed.items() if wanted(data)]
    found.sort(key=lambda item: (item[0], item[1][2]))
    return found


def declared_beneficial_owners(analysis, entity_id) -> list[dict]:
    """The parties the register declares beneficial owners or controllers of ``entity_id``, with the relation."""
    return [{**analysis.summary(holder), "relation_type": data["type"], "indirect": bool(data.get("indirect")),
             "relation": analysis.edge(edge)}
            for holder, edge, data in _declared(analysis, entity_id, lambda d: d.get("beneficial"))]


def declared_interests(analysis, entity_id) -> list[dict]:
    """Look-through (indirect) interests the register declares in ``entity_id``: the economic interest it states."""
    from .control.rules import bounds, rounded

    result = []
    for holder, edge, data in _declared(analysis, entity_id, lambda d: d.get("indirect")):
        entry = {**analysis.summary(holder), "relation_type": data["type"]}
        share = data.get("equity") or data.get("votes")
        if share is not None:
            low, high, approximate = bounds(share)
            entry["interest"] = {"low": rounded(low), "high": rounded(high)}
            entry["approximate"] = approximate
        entry["relation"] = analysis.edge(edge)
        result.append(entry)
    return result


def entity_for_record(graph, record_id: str) -> str | None:
    """The entity a register's record id (``record_id``) names, or None (a record merged into another
    entity by same_as names that entity)."""
    index = graph.graph.get("record_ids")
    if index is None:
        from .same_as import merged_record_ids

        index = {}
        for node, data in graph.nodes(data=True):
            record = data.get("record_id")
            if record is not None:
                index.setdefault(record, node)
        for record, node in merged_record_ids(graph.nodes(data=True)).items():
            index.setdefault(record, node)
        graph.graph["record_ids"] = index
    return index.get(record_id)


def entity_for_merged(graph, entity_id: str) -> str | None:
    """The id kept for an entity merged into another by same_as (``entity_id``: the merged id), or None."""
    index = graph.graph.get("merged_ids")
    if index is None:
        from .same_as import merged_ids

        index = graph.graph["merged_ids"] = merged_ids(graph.nodes(data=True))
    return index.get(entity_id)
