"""GraphML, for Gephi, igraph, Cytoscape, yEd and networkx.

Checked against the GraphML 1.0 schema. Nodes carry slug ids (the entity id, which is already
one) and a ``label`` (the name) that Gephi shows; edges carry unique ids (the relation id), a
``label`` (the relation's wording from the vocabulary) and a numeric ``weight`` (the certain
share in percent, else 1). Keys have readable ids (``node_name``, ``edge_equity_value``), one
key per attribute name and one type per key. GraphML holds scalars only, so records are
flattened as :func:`ecosystem.exporters._common.flatten` describes: shares become
``equity_value`` / ``equity_min`` / ``equity_max`` / ``equity_approximate`` (plus a readable
``equity_text``), lists are joined with ``"; "``, facts are JSON, ``None`` is left out.
The graph's vocabulary and bibliography are not written.

The writer streams text itself: no element tree in memory, and faster than
``networkx.write_graphml`` on the same graph.
"""

from __future__ import annotations

from pathlib import Path

from ._common import merge_types as _merge_type, scalar_type as _type_of
from ._common import (
    ExportResult, atomic_path, clean_text, flatten, graph_metadata, relation_type_definition, share_label,
    slugger, edges_in_time, sorted_nodes, entity_type_label, weight,
)

NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<graphml xmlns="{NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'xsi:schemaLocation="{NAMESPACE} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                                    "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})
# the format's own columns win; a record attribute of the same name is kept under another name
NODE_RENAMES = {"label": "record_label"}
EDGE_RENAMES = {"label": "record_label", "weight": "record_weight"}


def node_columns(graph, node, attributes: dict) -> dict:
    """The flat columns of one node, ``label`` first."""
    drop = ("id",) if attributes.get("id") == node else ()
    rename = dict(NODE_RENAMES, id="record_id")
    columns = {"label": clean_text(str(attributes.get("name") or node))}
    columns.update(flatten(attributes, rename=rename, drop=drop))
    type_label = entity_type_label(graph, attributes.get("type"))
    if type_label:
        columns["type_label"] = type_label
    return columns


def edge_columns(graph, key, attributes: dict) -> dict:
    """The flat columns of one edge, ``label`` and ``weight`` first."""
    definition = relation_type_definition(graph, attributes.get("type"))
    columns = {
        "label": clean_text(definition.label if definition else str(attributes.get("type") or key)),
        "weight": weight(attributes),
    }
    drop = ("id",) if attributes.get("id") == key else ()
    columns.update(flatten(attributes, rename=dict(EDGE_RENAMES, id="record_id"), drop=drop))
    for share in ("equity", "votes"):
        text = share_label(attributes.get(share))
        if text:
            columns[f"{share}_text"] = text
    return columns




def _text(value, kind: str) -> str:
    if kind == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value).translate(_TEXT_ESCAPES)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return str(int(value))


def write_graphml(graph, path) -> ExportResult:
    """Write ``graph`` (the graph contract of :mod:`ecosystem.graph`) as GraphML to ``path``."""
    result = ExportResult("graphml")
    node_slug = slugger()
    edge_slug = slugger(fresh=True)
    types = {"graph": {}, "node": {}, "edge": {}}

    metadata = graph_metadata(graph)
    for name, value in metadata.items():
        types["graph"][name] = "string"

    nodes = []
    node_types = types["node"]
    for node, attributes in sorted_nodes(graph):
        columns = node_columns(graph, node, attributes)
        for name, value in columns.items():
            node_types[name] = _merge_type(node_types.get(name), _type_of(value))
        nodes.append((node_slug(node), columns))

    edges = []
    edge_types = types["edge"]
    for u, v, key, attributes in edges_in_time(graph):
        columns = edge_columns(graph, key, attributes)
        for name, value in columns.items():
            edge_types[name] = _merge_type(edge_types.get(name), _type_of(value))
        edges.append((edge_slug(key), node_slug(u), node_slug(v), columns))

    key_ids = {}
    lines = [_HEADER]
    for domain in ("graph", "node", "edge"):
        key_slug = slugger()
        ordered = sorted(types[domain], key=lambda name: (name not in ("label", "weight"), name))
        types[domain] = {name: types[domain][name] for name in ordered}
        for name, kind in types[domain].items():
            key_id = key_slug(f"{domain}_{name}")
            key_ids[domain, name] = key_id
            lines.append(f'  <key id="{key_id}" for="{domain}" attr.name="{name.translate(_ATTRIBUTE_ESCAPES)}" '
                         f'attr.type="{kind}"/>\n')
    lines.append('  <graph id="G" edgedefault="directed">\n')
    for name, value in metadata.items():
        lines.append(f'    <data key="{key_ids["graph", name]}">{_text(value, "string")}</data>\n')

    with atomic_path(path, newline="") as stream:
        stream.write("".join(lines))
        write = stream.write
        kinds = types["node"]
        keys = {name: key_ids["node", name] for name in kinds}
        for slug, columns in nodes:
            parts = [f'    <node id="{slug}">\n']
            for name, value in sorted(columns.items(), key=_column_order):
                parts.append(f'      <data key="{keys[name]}">{_text(value, kinds[name])}</data>\n')
            parts.append("    </node>\n")
            write("".join(parts))
        kinds = types["edge"]
        keys = {name: key_ids["edge", name] for name in kinds}
        for slug, source, target, columns in edges:
            parts = [f'    <edge id="{slug}" source="{source}" target="{target}">\n']
            for name, value in sorted(columns.items(), key=_column_order):
                parts.append(f'      <data key="{keys[name]}">{_text(value, kinds[name])}</data>\n')
            parts.append("    </edge>\n")
            write("".join(parts))
        write("  </graph>\n</graphml>\n")
    result.paths.append(Path(path))
    result.nodes, result.edges = len(nodes), len(edges)
    return result


def _column_order(item):
    name = item[0]
    return (name not in ("label", "weight"), name)
