"""JSON: networkx node-link data, and our own full-fidelity document.

* :func:`write_node_link`: ``networkx.node_link_data(graph, edges="edges")``, readable back with
  ``networkx.node_link_graph(data, edges="edges")``; every record attribute as it is in the graph
  (shares as ``{"value": 33}`` objects, citations as ``{"source", "locator"}``).
* :func:`write_json`: the dataset as records (``entities``, ``relations`` with ``from``/``to``,
  ``sources`` the bibliography), each record with the vocabulary's wording added
  (``type_label``; for relations ``label``, ``inverse_label``, ``category_label``, ``directed``),
  plus the vocabulary's entity and relation types. Enough to rebuild the graph.

Both sort entities and relations by id and keys alphabetically; no timestamps.
"""

from __future__ import annotations

import json
from pathlib import Path

from ._common import ExportResult, edges_in_time, graph_metadata, plain, sorted_nodes, write_text

FORMAT_NAME = "ecosystem-graph"
FORMAT_VERSION = 1


def _dump(document) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def write_node_link(graph, path) -> ExportResult:
    """Write networkx node-link JSON (``edges="edges"``) to ``path``."""
    import networkx as nx

    clean = nx.MultiDiGraph()
    clean.graph.update(graph_metadata(graph))
    clean.add_nodes_from((node, plain(data)) for node, data in sorted_nodes(graph))
    clean.add_edges_from((u, v, key, plain(data)) for u, v, key, data in edges_in_time(graph))
    document = nx.node_link_data(clean, edges="edges")
    write_text(path, _dump(document))
    return ExportResult("node-link", [Path(path)], clean.number_of_nodes(), clean.number_of_edges())


def full_document(graph) -> dict:
    """The graph as one JSON-ready document (see the module docstring)."""
    vocabulary = graph.graph.get("vocabulary")
    entity_types = vocabulary.entity_types if vocabulary else {}
    relation_types = vocabulary.relation_types if vocabulary else {}
    categories = vocabulary.categories if vocabulary else {}

    entities = []
    for node, data in sorted_nodes(graph):
        record = plain(data)
        if record.get("id", node) != node:  # the node key is the id relations refer to
            record["record_id"] = record["id"]
        record["id"] = plain(node)
        definition = entity_types.get(record.get("type"))
        if definition is not None:
            record["type_label"] = definition.label
        entities.append(record)

    relations = []
    for u, v, key, data in edges_in_time(graph):
        record = {"id": key, "from": u, "to": v}
        record.update(plain({name: value for name, value in data.items() if name not in ("from", "to")}))
        definition = relation_types.get(record.get("type"))
        if definition is not None:
            record.update(label=definition.label, inverse_label=definition.inverse, directed=definition.directed)
            category = categories.get(definition.category)
            if category is not None:
                record["category_label"] = category.label
        relations.append(record)

    cited = {c.get("source") for item in entities + relations for c in item.get("sources", []) if isinstance(c, dict)}
    for entity in entities:
        for fact in entity.get("facts", []):
            cited.update(c.get("source") for c in fact.get("sources", []) if isinstance(c, dict))
    bibliography = graph.graph.get("sources") or {}
    sources = [plain({"id": source_id, **record}) for source_id, record in sorted(bibliography.items())]

    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "graph": graph_metadata(graph),
        "entities": entities,
        "relations": relations,
        "sources": sources,
        "uncited_sources": sorted(source["id"] for source in sources if source["id"] not in cited),
    }
    if vocabulary is not None:
        document["vocabulary"] = {
            "categories": {key: value.model_dump(mode="json") for key, value in sorted(categories.items())},
            "entity_types": {key: value.model_dump(mode="json", by_alias=True) for key, value in sorted(entity_types.items())},
            "relation_types": {key: value.model_dump(mode="json", by_alias=True) for key, value in sorted(relation_types.items())},
        }
    return document


def write_json(graph, path) -> ExportResult:
    """Write the full-fidelity JSON document to ``path``."""
    document = full_document(graph)
    write_text(path, _dump(document))
    return ExportResult("json", [Path(path)], len(document["entities"]), len(document["relations"]))
