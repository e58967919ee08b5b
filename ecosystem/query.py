"""Queries over the graph: search, show, neighbours, paths, timeline.

Pure functions of a graph; every result is plain data (lists and dicts) ready for ``--json``.
Entities are named by id, and an entity object always carries ``id``, ``name`` and ``type``.
"""

from __future__ import annotations

import difflib
import functools
import re
from itertools import groupby, islice

import networkx as nx

from . import dates
from .errors import QueryError, UnknownEntityError
from .graph import entity_summary, hops
from .text import plain

# how a look-through (indirect) figure is described: in answers, figures and the FollowTheMoney export (read back by its import)
INDIRECT = "indirect (look-through, not on the register)"

_PUNCTUATION = re.compile(r"[\s'’`\"\-_.,:;()/&!?]+")


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for matching names."""
    return _PUNCTUATION.sub(" ", plain(text)).strip()


def _compact(text: str) -> str:
    return fold(text).replace(" ", "")


def names_of(data: dict) -> list[tuple[str, str]]:
    """Every (kind, name) an entity answers to, with the pinyin of its Chinese names."""
    found = [("name", data["name"])]
    found += [(f"name:{language}", name) for language, name in sorted(data.get("names", {}).items())]
    found += [("alias", alias) for alias in data.get("aliases", [])]
    for identifier in data.get("identifiers") or ():  # a register's identifiers: "GB-COH-01234567" and "01234567"
        if identifier.get("id"):
            if identifier.get("scheme"):
                found.append(("identifier", f"{identifier['scheme']}-{identifier['id']}"))
            found.append(("identifier", identifier["id"]))
    if data.get("record_id"):
        found.append(("record", data["record_id"]))
    for entry in data.get("same_as") or ():  # records merged into it (same_as): their ids answer too
        found.append(("merged", entry["id"]))
        if entry.get("record", {}).get("record_id"):
            found.append(("record", entry["record"]["record_id"]))
    for language, name in sorted(data.get("names", {}).items()):
        if language == "zh" or language.startswith("zh-"):
            spelled = pinyin(name)
            if spelled:
                found.append(("pinyin", spelled))
    return found


@functools.lru_cache(maxsize=65536)
def pinyin(text: str) -> str:
    """Toneless pinyin of the Chinese characters in ``text`` ("蚂蚁集团" -> "ma yi ji tuan")."""
    try:
        words = _pypinyin_words(text)
    except ImportError:  # pragma: no cover - pypinyin is a dependency; searching still works without it
        return ""
    # what pypinyin.lazy_pinyin(text) gives: its segmentation, then each word's reading (a word's
    # reading does not depend on its neighbours), kept per word: names share most of their words
    parts = [part for word in words for part in _word_pinyin(word)]
    return " ".join(part.strip() for part in parts if part.strip())


def _pypinyin_words(text: str) -> list[str]:
    """The words pypinyin's default segmentation (``pypinyin.seg.simpleseg.seg``) cuts ``text`` into:
    runs of characters with a reading and runs without (each character tested by pypinyin's own
    ``RE_HANS``), each run with readings cut by its phrase segmenter (``mmseg``). The same steps as
    pypinyin's, without its character-by-character loop in Python; ``tests/test_index_queries.py``
    compares the result with ``lazy_pinyin`` on names and on random text."""
    from pypinyin.constants import PHRASES_DICT

    words: list[str] = []
    for han, chars in groupby(text, _han_chars().__getitem__):
        run = "".join(chars)
        if han and PHRASES_DICT:
            words.extend(_cut(run))
        else:
            words.append(run)
    return words


@functools.cache
def _han_chars() -> dict:
    """character -> whether pypinyin reads it (its ``RE_HANS``), filled as characters are met."""
    from pypinyin.constants import RE_HANS

    class Han(dict):
        def __missing__(self, char):
            found = self[char] = RE_HANS.match(char) is not None
            return found

    return Han()


@functools.lru_cache(maxsize=65536)
def _cut(run: str) -> tuple[str, ...]:  # a run of Chinese characters cut into pypinyin's words
    from pypinyin.seg.mmseg import seg

    return tuple(seg.cut(run))


@functools.lru_cache(maxsize=65536)
def _word_pinyin(word: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(word))


def require_entity(graph: nx.MultiDiGraph, entity_id: str) -> dict:
    """The node data of ``entity_id``, or an :class:`UnknownEntityError` suggesting close ids."""
    if entity_id in graph:
        return graph.nodes[entity_id]
    raise UnknownEntityError(entity_id, suggest(graph, entity_id))


def suggest(graph: nx.MultiDiGraph, text: str, limit: int = 3) -> list[str]:
    close = difflib.get_close_matches(text, list(graph.nodes), n=limit, cutoff=0.6)
    return suggestions(close, search(graph, text, limit=limit), limit)


def suggestions(close_ids: list[str], hits: list[dict], limit: int) -> list[str]:
    """What an unknown id is met with: entities named or aliased exactly so first (``alibaba`` is
    Alibaba Group Holding's alias), then ids spelt alike, then other search hits."""
    named = [hit["id"] for hit in hits if hit["score"] >= EXACT_NAME_SCORE]
    found = []
    for entity_id in named + close_ids + [hit["id"] for hit in hits]:
        if entity_id not in found:
            found.append(entity_id)
    return found[:limit]


def search(graph: nx.MultiDiGraph, text: str, limit: int | None = 20, entity_type: str | None = None) -> list[dict]:
    """Entities matching ``text`` by id, name, Chinese name, alias or pinyin, best first; then
    entities whose description (or a fact's note) holds the text.

    Each hit is an entity object plus ``score`` (0-100) and ``matched`` (the name that matched, or
    ``description`` / ``note``). Ranking: exact id or name, then exact alias, prefix, word prefix, substring,
    near misses (spelling distance), and last a description holding the text; ties broken by name.
    """
    query = fold(text)
    compact = query.replace(" ", "")
    if not compact:
        return []
    hits = []
    for entity_id, data in graph.nodes(data=True):
        if entity_type and data["type"] != entity_type:
            continue
        score, matched = match(text, entity_id, names_of(data), texts_of(data))
        if score > 0:
            hits.append({**entity_summary(graph, entity_id), "score": score, "matched": matched})
    return rank(hits, limit)


DESCRIPTION_SCORE = 20.0  # below every match of a name, near misses included (at least 30)


def texts_of(data: dict) -> list[tuple[str, str]]:
    """The (kind, text) pairs searched after the names: the description, then the facts' notes."""
    found = [("description", data["description"])] if data.get("description") else []
    found += [("note", fact["note"]) for fact in data.get("facts", ()) if fact.get("note")]
    return found


def match(text: str, entity_id: str, names: list[tuple[str, str]], texts=()) -> tuple[float, str]:
    """How well ``text`` matches an entity: (score 0-100, the name that matched), (0, "") for no match.

    ``names`` are the entity's (kind, name) pairs (:func:`names_of`), ``texts`` its (kind, text)
    pairs (:func:`texts_of`). The one definition of the ranking, used over the whole graph and over
    the index's candidates alike.
    """
    query = fold(text)
    compact = query.replace(" ", "")
    if not compact:
        return 0.0, ""
    best = (0.0, "")
    if entity_id == text or entity_id == compact:
        best = (100.0, entity_id)
    for kind, name in names:
        score = _score(query, compact, name, kind)
        if score > best[0]:
            best = (score, name)
    if best[0] == 0:
        best = next(((DESCRIPTION_SCORE, kind) for kind, value in texts if compact in fold(value).replace(" ", "")), best)
    return round(best[0], 1), best[1]


def rank(hits: list[dict], limit: int | None) -> list[dict]:
    """Hits best first (score, then name, then id), at most ``limit``."""
    hits.sort(key=lambda hit: (-hit["score"], fold(hit["name"]), hit["id"]))
    return hits if limit is None else hits[:limit]


EXACT_NAME_SCORE = 95.0  # a name or alias matched whole (folded); a primary name scores 98


def _score(query: str, compact: str, name: str, kind: str) -> float:
    folded = fold(name)
    squeezed = folded.replace(" ", "")
    primary = kind == "name" or kind.startswith("name:")
    if folded == query or squeezed == compact:
        return 98.0 if primary else EXACT_NAME_SCORE
    if squeezed.startswith(compact):
        return (85.0 if primary else 82.0) - min(len(squeezed) - len(compact), 30) * 0.1
    if any(word.startswith(query) for word in folded.split()):
        return 75.0 if primary else 72.0
    if compact in squeezed:
        return 60.0 if primary else 58.0
    if len(compact) >= 3:
        # a near miss: the whole name, or one of its words, spelt almost the same
        candidates = [squeezed] + [word for word in folded.split() if len(word) >= 3]
        ratio = max(difflib.SequenceMatcher(None, compact, candidate).ratio() for candidate in candidates)
        if ratio >= 0.75:
            return 40.0 * ratio
    return 0.0


def show(graph: nx.MultiDiGraph, entity_id: str, whole: nx.MultiDiGraph | None = None) -> dict:
    """An entity with its relations in both directions (dates, shares, citations).

    ``graph`` is a snapshot (``as_of`` is its date) or the whole graph (every date; ``as_of`` None).
    ``existence`` says whether the entity existed at that date: ``exists``, ``not yet founded`` or
    ``dissolved`` (None for every date). An entity outside its own dates is not in the snapshot:
    given the ``whole`` graph, it is shown from there with no relation in force.
    """
    when = graph.graph.get("as_of")
    if entity_id not in graph and whole is not None and entity_id in whole:
        data = whole.nodes[entity_id]
        return {**data, "id": entity_id, "as_of": when, "existence": existence(data, when),
                "outgoing": [], "incoming": []}
    data = require_entity(graph, entity_id)
    outgoing = [_edge(graph, u, v, key, d) for u, v, key, d in sorted(graph.out_edges(entity_id, keys=True, data=True), key=_edge_order)]
    incoming = [_edge(graph, u, v, key, d) for u, v, key, d in sorted(graph.in_edges(entity_id, keys=True, data=True), key=_edge_order)]
    return {**data, "id": entity_id, "as_of": when, "existence": existence(data, when),
            "outgoing": outgoing, "incoming": incoming}


def existence(data: dict, when) -> str | None:
    """``exists``, ``not yet founded`` or ``dissolved`` at ``when`` by the entity's own dates (None: no date)."""
    if when is None:
        return None
    from .control.verdicts import lifetime_verdict

    return lifetime_verdict(data, when) or "exists"


def _edge_order(edge):
    u, v, key, data = edge
    return (data.get("category", ""), data["type"], dates.sort_key(data["start"]) if data.get("start") else "", key)


def _edge(graph: nx.MultiDiGraph, u: str, v: str, key: str, data: dict) -> dict:
    """An edge object of the JSON contract: ``from``, ``to``, ``type``, ``sources`` and the rest."""
    record = {"id": key, "from": u, "to": v}
    record.update((k, value) for k, value in data.items() if k != "id")
    record["from_name"] = graph.nodes[u]["name"]
    record["to_name"] = graph.nodes[v]["name"]
    return record


def neighbours(graph: nx.MultiDiGraph, entity_id: str, depth: int = 1, relation_types=None,
               direction: str = "both", whole: nx.MultiDiGraph | None = None) -> dict:
    """Entities within ``depth`` hops and the relations among them that lead there.

    ``existence`` as in :func:`show`: an entity outside its own dates (found in ``whole``) has none.
    """
    if direction not in ("in", "out", "both"):
        raise QueryError(f"direction must be in, out or both, not {direction!r}")
    _check_types(graph, relation_types)
    when = graph.graph.get("as_of")
    if entity_id not in graph and whole is not None and entity_id in whole:
        return {"entity": entity_summary(whole, entity_id), "as_of": when,
                "existence": existence(whole.nodes[entity_id], when), "depth": depth, "direction": direction,
                "neighbours": [], "relations": []}
    require_entity(graph, entity_id)
    distance = hops(graph, entity_id, depth, direction, relation_types)  # over relations of those types
    reached = set(distance)
    entities = sorted(
        ({**entity_summary(graph, node), "distance": distance[node]} for node in reached if node != entity_id),
        key=lambda item: (item["distance"], fold(item["name"]), item["id"]),
    )
    edges = [
        _edge(graph, u, v, key, data)
        for u, v, key, data in graph.edges(keys=True, data=True)
        if u in reached and v in reached and (relation_types is None or data["type"] in relation_types)
    ]
    edges.sort(key=lambda edge: (edge["from"], edge["to"], edge["id"]))
    return {"entity": entity_summary(graph, entity_id), "as_of": when,
            "existence": existence(graph.nodes[entity_id], when), "depth": depth, "direction": direction,
            "neighbours": entities, "relations": edges}


def paths(graph: nx.MultiDiGraph, source: str, target: str, relation_types=None, limit: int = 10,
          directed: bool = False, whole: nx.MultiDiGraph | None = None) -> list[list[dict]]:
    """Shortest chains of relations connecting two entities, each a list of edges.

    By default relations are followed in either direction (a tie is a tie); ``directed`` follows
    them only from holder/actor to what is held/acted on. With parallel relations between two
    entities, each choice of relation is its own path (up to ``limit`` paths in all). An end that
    did not exist at the snapshot's date (found in ``whole``) has no path.
    """
    for end in (source, target):
        if end not in graph and (whole is None or end not in whole):
            require_entity(graph, end)
    _check_types(graph, relation_types)
    if source not in graph or target not in graph:
        return []
    if source == target:
        return []
    simple = nx.DiGraph() if directed else nx.Graph()
    simple.add_nodes_from(graph)
    for u, v, data in graph.edges(data=True):
        if relation_types is None or data["type"] in relation_types:
            simple.add_edge(u, v)
    try:
        node_paths = sorted(nx.all_shortest_paths(simple, source, target))
    except nx.NetworkXNoPath:
        return []
    found: list[list[dict]] = []
    for node_path in node_paths:
        for chain in _edge_choices(graph, node_path, relation_types, directed):
            found.append(chain)
            if len(found) >= limit:
                return found
    return found


def _edge_choices(graph, node_path, relation_types, directed):
    hops = []
    for u, v in zip(node_path, node_path[1:]):
        options = []
        for a, b in ((u, v), (v, u)) if not directed else ((u, v),):
            for key, data in sorted(graph.get_edge_data(a, b, default={}).items()):
                if relation_types is None or data["type"] in relation_types:
                    options.append(_edge(graph, a, b, key, data))
        hops.append(options)

    def expand(index, prefix):
        if index == len(hops):
            yield list(prefix)
            return
        for option in hops[index]:
            prefix.append(option)
            yield from expand(index + 1, prefix)
            prefix.pop()

    return islice(expand(0, []), 1000)


def timeline(graph: nx.MultiDiGraph, entity_id: str | None = None, since=None, until=None) -> list[dict]:
    """Dated facts in order: relations starting, ending or observed; entities founded or ended; figures."""
    if since is not None and until is not None and dates.first_day(since) > dates.last_day(until):
        raise QueryError(f"the range starts ({since}) after it ends ({until}): nothing can be dated in it; "
                         "swap the two dates (--since is the earlier, --until the later)")
    if entity_id is not None:
        require_entity(graph, entity_id)
    items = []
    for node, data in graph.nodes(data=True):
        if entity_id is not None and node != entity_id:
            continue
        for key, what in (("start", "began"), ("end", "ended")):
            if data.get(key):
                items.append({"date": data[key], "kind": f"entity {what}", "entity": entity_summary(graph, node),
                              "text": f"{data['name']} {what}", "sources": data.get("sources", [])})
        for fact in data.get("facts", []):
            if fact.get("date"):
                items.append({"date": fact["date"], "kind": "fact", "entity": entity_summary(graph, node),
                              "text": f"{data['name']}: {fact['name']} {fact_value(fact)}",
                              "fact": fact, "sources": fact.get("sources", [])})
    vocabulary = graph.graph.get("vocabulary")
    from .graph import relation_spans

    spans = relation_spans(graph)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if entity_id is not None and entity_id not in (u, v):
            continue
        label = vocabulary.relation_types[data["type"]].label if vocabulary else data["type"]
        sentence = f"{graph.nodes[u]['name']} {label} {graph.nodes[v]['name']}"
        for field, kind, then in (("start", "relation began", ""), ("end", "relation ended", ": ended"),
                                  ("as_of", "relation observed", "")):
            if data.get(field):
                items.append({"date": data[field], "kind": kind, "relation": _edge(graph, u, v, key, data),
                              "text": sentence + _share_text(data) + then, "sources": data.get("sources", [])})
        superseded = spans.get(key)
        if superseded is not None and superseded[1] is not None:
            items.append({"date": superseded[1], "kind": "relation superseded", "relation": _edge(graph, u, v, key, data),
                          "superseded_by": superseded[2],
                          "text": f"{sentence}{_share_text(data)}: superseded by {superseded[2]}",
                          "sources": data.get("sources", [])})
    if since is not None:
        items = [item for item in items if dates.first_day(item["date"]) >= dates.first_day(since)]
    if until is not None:
        items = [item for item in items if dates.first_day(item["date"]) <= dates.last_day(until)]
    items.sort(key=lambda item: (dates.sort_key(item["date"]), item["kind"], item["text"]))
    return items


def pointing_at(incoming: list[dict], vocabulary, limit: int = 4) -> list[str]:
    """Relations into an entity in the vocabulary's words, one phrase per type: ``is operated by
    Alipay.com Co., Ltd. (alipay_com_co), Ant Group (ant_group)`` (``incoming``: :func:`show`'s)."""
    found: dict[str, list[str]] = {}
    for edge in incoming:
        definition = vocabulary.relation_types.get(edge["type"]) if vocabulary is not None else None
        phrase = definition.inverse if definition is not None and definition.inverse else f"is {edge['type']} of"
        who = f"{edge.get('from_name', edge['from'])} ({edge['from']})"
        if who not in found.setdefault(phrase, []):
            found[phrase].append(who)
    return [f"{phrase} {', '.join(names[:limit])}" + (f" and {len(names) - limit} more" if len(names) > limit else "")
            for phrase, names in list(found.items())[:limit]]


def fact_value(fact: dict) -> str:
    """A figure in words: ``CNY ~52 billion``, ``989,000,000 people`` (one wording for show and the timeline;
    a whole number is written out, never as ``9.89e+08``)."""
    prefix = "~" if fact.get("approximate") else ""
    currency = f"{fact['currency']} " if fact.get("currency") else ""
    value = fact["value"]
    number = f"{int(value):,}" if float(value).is_integer() and abs(value) < 1e18 else f"{value:,g}"
    return f"{currency}{prefix}{number} {fact['unit']}"


def relation_details(data: dict) -> list[str]:
    """The particulars of a relation in words: shares, amount, instruments, role, law.

    One wording for the CLI, the timeline and the figures' tooltips.
    """
    from .graph import share

    parts = []
    if data.get("equity"):
        parts.append(f"{share(data['equity'])} equity")
    if data.get("votes"):
        parts.append(f"{share(data['votes'])} votes")
    if data.get("amount"):
        from .models import Amount

        parts.append(str(Amount.model_validate(data["amount"])))
    if data.get("instruments"):
        parts.append("via " + ", ".join(str(item).replace("_", " ") for item in data["instruments"]))
    if data.get("role"):
        parts.append(str(data["role"]))
    if data.get("law"):
        parts.append(f"under {data['law']}")
    if data.get("indirect"):
        parts.append(INDIRECT)
    return parts


def period(data: dict) -> str:
    """When a relation held, in words: ``2014 – 2023-01``, ``2014 –``, ``as of 2019-11`` or, for an
    observation that ended, ``as of 2020-08-25 – 2023-01-07``."""
    if data.get("start") or data.get("end"):
        begun = data.get("start") or (f"as of {data['as_of']}" if data.get("as_of") else "…")
        return f"{begun} – {data.get('end', '')}".rstrip()
    if data.get("as_of"):
        return f"as of {data['as_of']}"
    return ""


def _share_text(data: dict) -> str:
    parts = relation_details(data)
    return f" ({', '.join(parts)})" if parts else ""


def _check_types(graph: nx.MultiDiGraph, relation_types) -> None:
    if not relation_types:
        return
    known = graph.graph["vocabulary"].relation_types
    for relation_type in relation_types:
        if relation_type not in known:
            raise QueryError(f"Unknown relation type {relation_type!r}.",
                             difflib.get_close_matches(relation_type, list(known), n=3))


def statistics(graph: nx.MultiDiGraph) -> dict:
    """Counts by entity type and relation category/type, dated share and citation coverage."""
    vocabulary = graph.graph["vocabulary"]
    entity_types: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        entity_types[data["type"]] = entity_types.get(data["type"], 0) + 1
    relation_types: dict[str, int] = {}
    categories: dict[str, int] = {}
    dated = inferred = cited_relations = 0
    for _, _, data in graph.edges(data=True):
        relation_types[data["type"]] = relation_types.get(data["type"], 0) + 1
        category = vocabulary.relation_types[data["type"]].category
        categories[category] = categories.get(category, 0) + 1
        dated += bool(data.get("start") or data.get("end") or data.get("as_of"))
        inferred += bool(data.get("inferred"))
        cited_relations += bool(data.get("sources"))
    cited_entities = sum(bool(data.get("sources")) for _, data in graph.nodes(data=True))
    cited_sources = {c["source"] for _, data in graph.nodes(data=True) for c in data.get("sources", [])}
    cited_sources |= {c["source"] for _, data in graph.nodes(data=True)
                      for fact in data.get("facts", []) for c in fact.get("sources", [])}
    cited_sources |= {c["source"] for _, _, data in graph.edges(data=True) for c in data.get("sources", [])}
    sources = graph.graph.get("sources", {})
    isolated = sorted(node for node in graph if graph.degree(node) == 0)
    return {
        "entities": graph.number_of_nodes(),
        "relations": graph.number_of_edges(),
        "sources": len(sources),
        "entity_types": dict(sorted(entity_types.items())),
        "relation_types": dict(sorted(relation_types.items())),
        "categories": dict(sorted(categories.items())),
        "dated_relations": dated,
        "inferred_relations": inferred,
        "cited_entities": cited_entities,
        "cited_relations": cited_relations,
        "uncited_sources": sorted(set(sources) - cited_sources),
        "isolated_entities": isolated,
    }


def diff(graph: nx.MultiDiGraph, before, after) -> dict:
    """What changed between two dates: relations and entities that began or ended in between."""
    from .graph import snapshot

    from .graph import relation_spans

    first, second = snapshot(graph, before), snapshot(graph, after)
    old_edges = set(first.edges(keys=True))
    new_edges = set(second.edges(keys=True))
    spans = relation_spans(graph)

    def edge(source, u, v, key):
        found = _edge(source, u, v, key, source.edges[u, v, key])
        superseded = spans.get(key)
        if source is first and superseded is not None and (u, v, key) not in new_edges:
            found["superseded_by"] = superseded[2]  # a later observation replaced it
        return found

    def edges(keys, source):
        return sorted((edge(source, u, v, key) for u, v, key in keys),
                      key=lambda edge: (edge.get("category", ""), edge["type"], edge["from"], edge["to"], edge["id"]))

    return {
        "from": first.graph["as_of"],
        "to": second.graph["as_of"],
        "relations_added": edges(new_edges - old_edges, second),
        "relations_removed": edges(old_edges - new_edges, first),
        "entities_added": sorted((entity_summary(second, n) for n in set(second) - set(first)), key=lambda e: e["id"]),
        "entities_removed": sorted((entity_summary(first, n) for n in set(first) - set(second)), key=lambda e: e["id"]),
    }
