"""Questions about one entity, answered from the index by reading only what they need.

Each function fetches the entities and relations its question depends on, builds a small graph with
the contract of :mod:`ecosystem.graph`, takes its snapshot with :func:`ecosystem.graph.snapshot` and
runs the same code the whole graph would run (:mod:`ecosystem.query`, :mod:`ecosystem.control`), so
the answers are the same; ``tests/test_index_queries.py`` compares them. ``search`` and ``statistics``
read the index's tables directly.

An entity that did not exist at the date asked is answered from the local graph too: its record,
with ``existence`` (``not yet founded`` or ``dissolved``) and no relation in force.
"""

from __future__ import annotations

import difflib

from .. import dates
from ..errors import QueryError, UnknownEntityError
from . import Index, _chunks

SMALL = 20_000  # up to this many entities, near misses in search are looked for among all of them


def resolve_date(index: Index, as_of) -> str | None:
    """The date a question is asked at: ``as_of`` (checked), else the latest date in the data."""
    if as_of is None:
        return index.latest_date()
    try:
        return dates.normalise(as_of)
    except dates.DateFormatError as error:
        raise QueryError(f"--as-of: {error}") from None


def at(graph, when):
    """The snapshot of a local graph at ``when`` (no date: the graph itself, as the whole-graph path)."""
    from ..graph import snapshot

    return snapshot(graph, when) if when is not None else graph


def require(index: Index, entity_id: str) -> None:
    """An :class:`UnknownEntityError` (with suggestions) unless ``entity_id`` is in the index."""
    if index.entity(entity_id) is None:
        raise UnknownEntityError(entity_id, suggest(index, entity_id))


def _neighbour_ids(index: Index, entity_id: str) -> set[str]:
    found = {entity_id}
    found.update(row[0] for row in index.connection.execute('SELECT "to" FROM relations WHERE "from" = ?', (entity_id,)))
    found.update(row[0] for row in index.connection.execute('SELECT "from" FROM relations WHERE "to" = ?', (entity_id,)))
    return found


# --- show, timeline, neighbours, path -------------------------------------------------------------


def show(index: Index, entity_id: str, as_of=None, all_dates: bool = False):
    """(:func:`ecosystem.query.show`'s answer, the local graph it was read from)."""
    from .. import query

    require(index, entity_id)
    when = None if all_dates else resolve_date(index, as_of)
    local = index.graph_of(_neighbour_ids(index, entity_id))
    graph = at(local, when)
    return query.show(graph, entity_id, whole=local), graph


def timeline(index: Index, entity_id: str, since=None, until=None) -> list[dict]:
    """:func:`ecosystem.query.timeline` for one entity."""
    from .. import query

    require(index, entity_id)
    return query.timeline(index.graph_of(_neighbour_ids(index, entity_id)), entity_id, since, until)


def _ball(index: Index, start: set[str], radius: int, direction: str, relation_types, day):
    """Entities within ``radius`` hops of ``start`` over relations whose effective start is on or
    before ``day`` (a superset of those in force), with each one's distance."""
    distance = {node: 0 for node in start}
    frontier = list(start)
    types = list(relation_types or ())
    type_clause = f" AND type IN ({','.join('?' * len(types))})" if types else ""
    date_clause = " AND (effective_day IS NULL OR effective_day <= ?)" if day else ""
    steps = {"out": [('"from"', '"to"')], "in": [('"to"', '"from"')], "both": [('"from"', '"to"'), ('"to"', '"from"')]}
    for hop in range(1, radius + 1):
        following = set()
        for chunk in _chunks(frontier):
            marks = ",".join("?" * len(chunk))
            for near, far in steps[direction]:
                following.update(row[0] for row in index.connection.execute(
                    f"SELECT {far} FROM relations WHERE {near} IN ({marks}){type_clause}{date_clause}",  # noqa: S608
                    [*chunk, *types, *([day] if day else [])]))
        frontier = [node for node in following if node not in distance]
        if not frontier:
            break
        distance.update(dict.fromkeys(frontier, hop))
    return distance


def neighbours(index: Index, entity_id: str, depth: int = 1, relation_types=None, direction: str = "both",
               as_of=None):
    """(:func:`ecosystem.query.neighbours`'s answer, the local graph)."""
    from .. import query

    require(index, entity_id)
    when = resolve_date(index, as_of)
    day = dates.first_day(when).isoformat() if when else None
    walk = direction if direction in ("in", "out") else "both"
    known = index.vocabulary().relation_types
    types = relation_types if relation_types and all(t in known for t in relation_types) else None
    nodes = _ball(index, {entity_id}, depth, walk, types, day)
    local = index.graph_of(nodes)
    graph = at(local, when)
    return query.neighbours(graph, entity_id, depth, relation_types, direction, whole=local), graph


def paths(index: Index, source: str, target: str, relation_types=None, limit: int = 10, directed: bool = False,
          as_of=None):
    """(:func:`ecosystem.query.paths`'s answer, the local graph).

    A bidirectional search over the indexed relations: balls around both ends grow, alternately,
    until the snapshot of what they hold has a path of length L <= the sum of their radii (then
    every shortest path lies inside them), or until they stop growing (no path).
    """
    import networkx as nx

    from .. import query

    require(index, source)
    require(index, target)
    when = resolve_date(index, as_of)
    day = dates.first_day(when).isoformat() if when else None
    known = index.vocabulary().relation_types
    if relation_types and any(t not in known for t in relation_types):
        return query.paths(index.graph_of({source, target}), source, target, relation_types, limit, directed), None
    radius = {source: 0, target: 0}
    balls = {source: {source}, target: {target}}
    grows = {source: True, target: True}
    while True:
        local = index.graph_of(balls[source] | balls[target])
        graph = at(local, when)
        if source not in graph or target not in graph:  # an end outside its own dates: no path
            return query.paths(graph, source, target, relation_types, limit, directed, whole=local), graph
        simple = nx.DiGraph() if directed else nx.Graph()
        simple.add_nodes_from(graph)
        simple.add_edges_from((u, v) for u, v, data in graph.edges(data=True)
                              if relation_types is None or data["type"] in relation_types)
        try:
            length = nx.shortest_path_length(simple, source, target)
        except nx.NetworkXNoPath:
            length = None
        if length is not None and length <= radius[source] + radius[target]:
            break  # every shortest path lies inside the two balls
        if not grows[source] or not grows[target]:
            break  # a ball holds everything reachable from its end: every path lies inside it
        end = min((source, target), key=lambda node: (len(balls[node]), node != source))
        walk = "both" if not directed else ("out" if end == source else "in")
        grown = set(_ball(index, balls[end], 1, walk, relation_types, day))
        grows[end] = len(grown) > len(balls[end])
        balls[end] = grown
        radius[end] += 1
    return query.paths(graph, source, target, relation_types, limit=limit, directed=directed), graph


# --- search ---------------------------------------------------------------------------------------


def _is_cjk(text: str) -> bool:
    from . import _CJK_ONLY

    return _CJK_ONLY.fullmatch(text) is not None


def search(index: Index, text: str, limit: int | None = 20, entity_type: str | None = None) -> list[dict]:
    """:func:`ecosystem.query.search` over the index: candidates from the full-text index (any part of
    three or more characters; pairs of Chinese characters; shorter text by a scan), near misses
    among all entities when there are at most :data:`SMALL` of them, else among those sharing the
    most trigrams; each candidate scored by :func:`ecosystem.query.match`."""
    from ..query import fold, match, rank

    query = fold(text)
    compact = query.replace(" ", "")
    if not compact:
        return []
    connection = index.connection
    candidates: set[str] = {row[0] for row in connection.execute(
        "SELECT id FROM entities WHERE id IN (?, ?)", (text, compact))}
    if len(compact) >= 3:
        phrase = '"' + compact.replace('"', '""') + '"'
        candidates.update(row[0] for row in connection.execute("SELECT entity FROM search WHERE text MATCH ?", (phrase,)))
    elif len(compact) == 2 and _is_cjk(compact):
        candidates.update(row[0] for row in connection.execute(
            "SELECT entity FROM cjk_bigrams WHERE cjk_bigrams MATCH ?", ('"' + compact + '"',)))
    else:
        candidates.update(row[0] for row in connection.execute("SELECT entity FROM search WHERE instr(text, ?) > 0", (compact,)))
    if len(compact) >= 3:  # near misses: a whole name or one of its words spelt almost the same
        if index.count("entities") <= SMALL:
            candidates.update(row[0] for row in connection.execute("SELECT id FROM entities"))
        else:
            grams = {compact[i:i + 3] for i in range(len(compact) - 2)}
            expression = " OR ".join('"' + gram.replace('"', '""') + '"' for gram in sorted(grams))
            candidates.update(row[0] for row in connection.execute(
                "SELECT entity FROM search WHERE text MATCH ? ORDER BY rank LIMIT 2000", (expression,)))
    names: dict[str, list] = {}
    texts: dict[str, list] = {}
    summaries: dict[str, dict] = {}
    type_clause = " AND type = ?" if entity_type else ""
    for chunk in _chunks(sorted(candidates)):
        marks = ",".join("?" * len(chunk))
        extra = [entity_type] if entity_type else []
        for entity_id, name, kind in connection.execute(
                f"SELECT id, name, type FROM entities WHERE id IN ({marks}){type_clause}", chunk + extra):  # noqa: S608
            summaries[entity_id] = {"id": entity_id, "name": name, "type": kind}
        for entity_id, kind, name in connection.execute(
                f"SELECT entity, kind, name FROM names WHERE entity IN ({marks}) ORDER BY rowid", chunk):  # noqa: S608
            names.setdefault(entity_id, []).append((kind, name))
        for entity_id, description, record in connection.execute(
                f"SELECT id, description, json_extract(record, '$.facts') FROM entities WHERE id IN ({marks})",  # noqa: S608
                chunk):
            found = [("description", description)] if description else []
            if record:
                found += [("note", fact["note"]) for fact in index._loads(record) if fact.get("note")]
            texts[entity_id] = found
    hits = []
    for entity_id, summary in summaries.items():
        score, matched = match(text, entity_id, names.get(entity_id, []), texts.get(entity_id, ()))
        if score > 0:
            hits.append({**summary, "score": score, "matched": matched})
    return rank(hits, limit)


def suggest(index: Index, text: str, limit: int = 3) -> list[str]:
    """Close ids, then search hits: as :func:`ecosystem.query.suggest`."""
    if index.count("entities") <= SMALL:
        ids = index.entity_ids()
    else:  # ids sharing the first two characters (a typo further on)
        prefix = text[:2]
        ids = [row[0] for row in index.connection.execute(
            "SELECT id FROM entities WHERE id >= ? AND id < ? ORDER BY position", (prefix, prefix + "\U0010ffff"))]
    from ..query import suggestions

    return suggestions(difflib.get_close_matches(text, ids, n=limit, cutoff=0.6), search(index, text, limit=limit), limit)


# --- statistics -----------------------------------------------------------------------------------


def statistics(index: Index) -> dict:
    """:func:`ecosystem.query.statistics` of the whole dataset: SQL aggregates, computed once when the
    index is written (``meta.statistics``)."""
    import json

    kept = index.meta("statistics")
    return json.loads(kept) if kept else aggregate_statistics(index.connection)


def aggregate_statistics(connection) -> dict:
    """The statistics of the dataset in an index, by SQL aggregates over its tables."""

    def counts(sql):
        return dict(sorted(connection.execute(sql).fetchall()))

    def one(sql):
        return connection.execute(sql).fetchone()[0]

    cited = {row[0] for row in connection.execute("SELECT DISTINCT source FROM citations")}
    sources = [row[0] for row in connection.execute("SELECT id FROM sources")]
    return {
        "entities": one("SELECT count(*) FROM entities"),
        "relations": one("SELECT count(*) FROM relations"),
        "sources": len(sources),
        "entity_types": counts("SELECT type, count(*) FROM entities GROUP BY type"),
        "relation_types": counts("SELECT type, count(*) FROM relations GROUP BY type"),
        "categories": counts("SELECT category, count(*) FROM relations GROUP BY category"),
        "dated_relations": one("SELECT count(*) FROM relations WHERE start IS NOT NULL OR \"end\" IS NOT NULL"
                               " OR as_of IS NOT NULL"),
        "inferred_relations": one("SELECT count(*) FROM relations WHERE inferred"),
        "cited_entities": one("SELECT count(DISTINCT owner) FROM citations WHERE owner_kind = 'entity'"),
        "cited_relations": one("SELECT count(DISTINCT owner) FROM citations WHERE owner_kind = 'relation'"),
        "uncited_sources": sorted(set(sources) - cited),
        "isolated_entities": [row[0] for row in connection.execute(
            "SELECT id FROM entities e WHERE NOT EXISTS (SELECT 1 FROM relations WHERE \"from\" = e.id)"
            " AND NOT EXISTS (SELECT 1 FROM relations WHERE \"to\" = e.id) ORDER BY id")],
    }


# --- control --------------------------------------------------------------------------------------


def control_analysis(index: Index, entity_id: str, as_of=None, rules=None, *, below: bool = False, also=()):
    """A :class:`~ecosystem.control.ControlAnalysis` of what control of ``entity_id`` depends on
    (``below``: of what it may control): the entities above it (below it, with every holder of each)
    over relations whose effective start is on or before the date, every relation among them. The
    analysis takes its own snapshot, as over the whole graph."""
    from ..control import analyse

    require(index, entity_id)
    for other in also:
        require(index, other)
    when = resolve_date(index, as_of)
    if below:
        local = index.subgraph_below(entity_id, when)
    else:
        local = index.subgraph_above(entity_id, when, also=also)
    return analyse(local, as_of, rules)


def resolve(index, entity_id: str, plain: bool) -> str | None:
    """The entity an argument names (see :meth:`ecosystem.api.Ecosystem.resolve`): ``entity_id`` itself,
    the entity a record merged by same_as (``plain``: an id of ours) or a register's record id became, else None."""
    connection = index.connection
    if plain and connection.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone():
        return entity_id
    for kind in ("merged", "record") if plain else ("record",):
        row = connection.execute("SELECT entity FROM names WHERE kind = ? AND name = ? ORDER BY rowid LIMIT 1",
                                 (kind, entity_id)).fetchone()
        if row:
            return row[0]
    return None
