"""From a validated dataset to a ``networkx.MultiDiGraph``; as-of snapshots; subgraphs.

The graph contract (queries, control analysis, views and exporters all rely on it):

* node key: the entity id; node attributes: the entity record as a plain dict
  (``id``, ``name``, ``type`` always; ``names``, ``aliases``, ``jurisdiction``, ``start``, ``end``,
  ``description``, ``facts``, ``inferred``, ``sources`` when present);
* edge ``(from, to, key)``: ``key`` is the relation id; edge attributes: the relation record
  without ``from``/``to``, plus ``category`` from the vocabulary. Shares are dicts
  (``{"value": 33}``, ``{"value": 25, "approximate": true}``, ``{"min": 20, "max": 30}``);
  :func:`share` turns one back into a :class:`~ecosystem.models.Share`;
* ``graph.graph``: ``name``, ``vocabulary`` (a :class:`~ecosystem.vocabulary.Vocabulary`),
  ``sources`` (bibliography dicts by id), ``views`` (the parsed views.yaml), ``latest_date``,
  on a snapshot ``as_of`` and, on a graph of part of the data read from the index, ``superseding``
  (the records outside it that end one of its relations: :func:`relation_spans`).

Nothing here reads or writes files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import dates
from .loader import Dataset

# networkx is imported where a graph is made: the time model here (relation_spans, supersession)
# is also what the loader's checks read, and a first load need not import networkx
if TYPE_CHECKING:
    import networkx as nx


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """The whole dataset as a graph (every relation, whatever its dates)."""
    from .collector import paused

    with paused():  # a graph is millions of small dicts and no cycles: the collector only costs time
        return _build_graph(dataset)


def _build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    import networkx as nx

    vocabulary = dataset.vocabulary
    graph = nx.MultiDiGraph()
    graph.graph.update(
        name=dataset.path.name,
        vocabulary=vocabulary,
        sources=dataset.sources,
        views=dataset.views,
        latest_date=dataset.latest_date(),
    )
    categories = {type_id: definition.category for type_id, definition in vocabulary.relation_types.items()}
    graph.add_nodes_from(dataset.entities.items())
    graph.add_edges_from(_edges(dataset.relations, categories))
    return graph


def _edges(relations: dict[str, dict], categories: dict[str, str]):
    """(from, to, relation id, attributes) for add_edges_from: the record without its ends, plus its category."""
    for relation_id, record in relations.items():
        attributes = record.copy()
        source = attributes.pop("from")
        target = attributes.pop("to")
        attributes["category"] = categories.get(record["type"], "")
        yield source, target, relation_id, attributes


def load_graph(path=None, *, as_of=None, use_cache: bool = True) -> nx.MultiDiGraph:
    """Load the dataset in ``path`` (default: bundled) and build its graph, optionally as of a date."""
    from .loader import load

    graph = build_graph(load(path, use_cache=use_cache))
    return snapshot(graph, as_of) if as_of is not None else graph


def effective_start(attributes: dict) -> str | None:
    """When a fact starts to count: its start, else the date it was observed (the first date known)."""
    return attributes.get("start") or attributes.get("as_of")


def is_current(attributes: dict, when) -> bool:
    """True when one record, taken alone, holds at ``when`` (start, else as_of, <= when < end).

    A relation may also be superseded by a later observation: :func:`relation_spans` and
    :func:`snapshot` apply that; this per-record test does not.
    """
    return dates.is_current(effective_start(attributes), attributes.get("end"), when)


def relation_spans(graph: nx.MultiDiGraph) -> dict:
    """When each relation is in force, supersession applied: ``{key: (start, end, superseded_by)}``.

    The one definition of "in force" (docs/CONTROL.md, Time). A relation counts from its ``start``,
    else from its observation (``as_of``), else always, until its ``end``. For a relation type the
    vocabulary marks ``standing`` (holdings, control, offices), a later record of the same holder,
    target and type supersedes an earlier one from the later one's start (or observation); a record may
    also name the relations it supersedes (``supersedes: [ids]``). Events never supersede each other.
    ``end`` and ``superseded_by`` are None when they do not apply. Only relations whose span differs
    from the record's own ``start``/``end`` are listed: look others up with :func:`effective_start`.
    A graph holding part of the data (the index's answer to one question) lists in
    ``graph.graph["superseding"]`` the relations outside it that name one of its relations, as
    ``(from, to, id, attributes)``: a stake passed to a holder the graph does not hold still ends.
    """
    standing = _standing_types(graph)
    candidates, named = [], list(graph.graph.get("superseding") or ())
    for u, neighbours in graph.adjacency():
        for v, keyed in neighbours.items():
            several = len(keyed) > 1  # only several relations between one pair can supersede each other
            for key, data in keyed.items():
                if "supersedes" in data:
                    named.append((u, v, key, data))
                elif several and data.get("type") in standing:
                    candidates.append((u, v, key, data))
    if named:
        wanted = {old for _, _, _, data in named for old in data["supersedes"]}
        seen = {key for _, _, key, _ in candidates}
        candidates += [(u, v, key, data) for u, v, key, data in graph.edges(keys=True, data=True)
                       if key in wanted and key not in seen]
    return supersession(candidates + named, standing)


def supersession(relations, standing) -> dict:
    """:func:`relation_spans` over ``(from, to, key, attributes)`` tuples (the loader's checks use it too)."""
    changed = {}
    by_key = {}
    groups = {}
    named = []
    for u, v, key, data in relations:
        by_key[key] = data
        if data.get("type") in standing:
            # a register's look-through interest never supersedes a direct one, nor one record another's
            group = (u, v, data["type"], bool(data.get("indirect")), data.get("record_id"))
            groups.setdefault(group, []).append((key, data))
        if data.get("supersedes"):
            named.append((key, data))

    def cut(key, data, at, by):
        start = effective_start(data)
        end = data.get("end")
        previous = changed.get(key)
        if previous is not None:
            end = previous[1]
        if end is None or at is None or dates.first_day(at) < dates.first_day(end):
            changed[key] = (start, at, by)

    for items in groups.values():
        if len(items) < 2:
            continue
        ordered = sorted(items, key=lambda item: (_start_key(item[1]), item[0]))
        for position, (key, data) in enumerate(ordered):
            begins = _start_key(data)
            later = next((other for other in ordered[position + 1:] if _start_key(other[1]) > begins), None)
            if later is not None:
                cut(key, data, effective_start(later[1]), later[0])
    for key, data in named:
        for old in data["supersedes"]:
            if old in by_key and old != key:
                cut(old, by_key[old], effective_start(data), key)
    return changed


def _start_key(data: dict) -> str:
    start = effective_start(data)
    return dates.first_day(start).isoformat() if start is not None else ""


def _standing_types(graph) -> frozenset:
    return standing_types(graph.graph.get("vocabulary"))


def standing_types(vocabulary) -> frozenset:
    """The relation types whose observations supersede each other (vocabulary ``standing: true``)."""
    if vocabulary is None:
        from .vocabulary import bundled_vocabulary

        vocabulary = bundled_vocabulary()
    return frozenset(t for t, d in vocabulary.relation_types.items() if d.standing)


def in_force(data: dict, day, spans: dict, key) -> bool:
    """Whether relation ``key`` (attributes ``data``) is in force on ``day`` (a date), given :func:`relation_spans`."""
    span = spans.get(key)
    if span is None:
        return dates.holds_on(effective_start(data), data.get("end"), day)
    return dates.holds_on(span[0], span[1], day)


def snapshot(graph: nx.MultiDiGraph, as_of) -> nx.MultiDiGraph:
    """A new graph of what held at ``as_of``: entities that existed and relations then in force.

    Superseded observations are left out (:func:`relation_spans`). A graph holding only part of the
    data (the index's answer to one question) gives the right answer as long as it holds every
    relation of the same holder, target and type as the relations it holds.
    """
    import networkx as nx

    when = dates.normalise(as_of)
    day = dates.first_day(when)
    spans = relation_spans(graph)
    result = nx.MultiDiGraph()
    result.graph.update(graph.graph)
    result.graph["as_of"] = when
    result.add_nodes_from((node, data) for node, data in graph.nodes(data=True)
                          if dates.holds_on(data.get("start"), data.get("end"), day))
    present = set(result)
    result.add_edges_from(
        (u, v, key, data)
        for u, v, key, data in graph.edges(keys=True, data=True)
        if u in present and v in present and in_force(data, day, spans, key)
    )
    return result


def entity_exists(attributes: dict, when) -> bool:
    """An entity exists from its start to its end; an undated one always."""
    return dates.is_current(attributes.get("start"), attributes.get("end"), when)


def subgraph(graph: nx.MultiDiGraph, nodes=None, relation_types=None, categories=None) -> nx.MultiDiGraph:
    """A copy restricted to ``nodes`` and to edges of the given relation types or categories."""
    import networkx as nx

    keep = set(graph) if nodes is None else set(nodes) & set(graph)
    result = nx.MultiDiGraph()
    result.graph.update(graph.graph)
    result.add_nodes_from((node, graph.nodes[node]) for node in graph if node in keep)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if u not in keep or v not in keep:
            continue
        if relation_types is not None and data["type"] not in relation_types:
            continue
        if categories is not None and data.get("category") not in categories:
            continue
        result.add_edge(u, v, key=key, **data)
    return result


def neighbourhood(graph: nx.MultiDiGraph, centre: str, depth: int = 1, direction: str = "both",
                  relation_types=None) -> set[str]:
    """Entity ids within ``depth`` hops of ``centre`` (direction: out, in or both)."""
    return set(hops(graph, centre, depth, direction, relation_types))


def hops(graph: nx.MultiDiGraph, centre: str, depth: int = 1, direction: str = "both",
         relation_types=None) -> dict[str, int]:
    """Entity ids within ``depth`` hops of ``centre``, each with its number of hops (over relations
    of the given types only)."""
    found = {centre: 0}
    frontier = {centre}
    for hop in range(1, depth + 1):
        following = set()
        for node in frontier:
            if direction in ("out", "both"):
                following.update(v for _, v, d in graph.out_edges(node, data=True) if _type_ok(d, relation_types))
            if direction in ("in", "both"):
                following.update(u for u, _, d in graph.in_edges(node, data=True) if _type_ok(d, relation_types))
        frontier = following - found.keys()
        found.update(dict.fromkeys(frontier, hop))
        if not frontier:
            break
    return found


def _type_ok(data: dict, relation_types) -> bool:
    return relation_types is None or data["type"] in relation_types


def share(value: dict | None) -> Share | None:
    """A share attribute (a dict) as a :class:`Share` with ``low``/``high``/``exact``."""
    if value is None:
        return None
    from .models import Share

    return Share.model_validate(value)


def entity_summary(graph: nx.MultiDiGraph, entity_id: str) -> dict:
    """The minimal entity object of the JSON contract: ``id``, ``name``, ``type``."""
    data = graph.nodes[entity_id]
    return {"id": entity_id, "name": data["name"], "type": data["type"]}
