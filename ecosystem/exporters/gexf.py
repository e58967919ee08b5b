"""GEXF 1.3, for Gephi: attributes declared and typed, relations dated as GEXF time intervals.

Checked against the GEXF 1.3 schema. Written by hand rather than with ``networkx.write_gexf``,
which writes ``<graph name="">`` (rejected by the 1.2draft schema), and which would read our
``type``, ``start``, ``end`` attributes as GEXF's own. Here GEXF's reserved names never appear as
attribute titles: the record's ``type`` is written as ``entity_type`` / ``relation_type``, its
partial dates as ``start_date`` / ``end_date`` (precision kept), ``label`` and ``weight`` are the
element's own (the name; the relation's wording and its certain share).

Time: an entity or relation with a start (a relation's ``as_of`` when it has no start) or an end
(or a later observation that supersedes it, :func:`ecosystem.graph.relation_spans`)
gets GEXF ``start`` / ``end`` days; a partial date counts from its first day (``2014`` is
2014-01-01), as the as-of queries do, and as GEXF bounds are inclusive the end is the day before
our (exclusive) end. The graph is then ``mode="dynamic"`` with ``timeformat="date"``.
No write date is recorded unless ``last_modified`` is given, so the same graph gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ._common import merge_types as _merge, scalar_type as _type_of
from ._common import (
    ExportResult, atomic_path, clean_text, flatten, graph_metadata, relation_type_definition,
    share_label, slugger, sorted_edges, sorted_nodes, entity_type_label, weight,
)

NAMESPACE = "http://gexf.net/1.3"
# names GEXF (or its readers: Gephi, networkx.read_gexf) give a meaning of their own
RESERVED = {"id", "label", "start", "end", "weight", "type", "source", "target", "kind", "pid",
            "timestamp", "timestamps", "intervals", "spells", "mode", "networkx_key"}
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                       "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def _renames(kind: str) -> dict:
    renames = {name: f"record_{name}" for name in RESERVED}
    renames.update(type=f"{kind}_type", start="start_date", end="end_date")
    return renames


NODE_RENAMES = _renames("entity")
EDGE_RENAMES = _renames("relation")




def _value(value, kind) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return str(value).translate(_TEXT)


def interval(attributes: dict) -> tuple[str | None, str | None]:
    """GEXF start and end days (inclusive) for a record with partial-date ``start``/``as_of``/``end``."""
    from .. import dates

    def day(value):
        try:
            return dates.first_day(value) if value is not None else None
        except (ValueError, TypeError):
            return None

    start = day(attributes.get("start") or attributes.get("as_of"))
    end = day(attributes.get("end"))
    if end is not None:
        end = end - _dt.timedelta(days=1)
        if start is not None and end < start:  # ends the day it starts: no interval fits
            return None, None
    return (start.isoformat() if start else None, end.isoformat() if end else None)


def write_gexf(graph, path, *, last_modified: str | None = None) -> ExportResult:
    """Write ``graph`` as GEXF 1.3 to ``path`` (``last_modified``: an ISO date for the meta block)."""
    from ..graph import relation_spans

    spans = relation_spans(graph)  # a superseded observation's spell ends where it is replaced
    result = ExportResult("gexf")
    node_slug = slugger()
    edge_slug = slugger(fresh=True)
    node_kinds: dict = {}
    edge_kinds: dict = {}
    dynamic = False

    nodes = []
    for node, attributes in sorted_nodes(graph):
        drop = ("id",) if attributes.get("id") == node else ()
        columns = flatten(attributes, rename=NODE_RENAMES, drop=drop)
        type_label = entity_type_label(graph, attributes.get("type"))
        if type_label:
            columns["entity_type_label"] = type_label
        for name, value in columns.items():
            node_kinds[name] = _merge(node_kinds.get(name), _type_of(value))
        start, end = interval(attributes)
        dynamic = dynamic or bool(start or end)
        nodes.append((node_slug(node), clean_text(str(attributes.get("name") or node)), start, end, columns))

    edges = []
    for u, v, key, attributes in sorted_edges(graph):
        definition = relation_type_definition(graph, attributes.get("type"))
        drop = ("id",) if attributes.get("id") == key else ()
        columns = flatten(attributes, rename=EDGE_RENAMES, drop=drop)
        for share in ("equity", "votes"):
            text = share_label(attributes.get(share))
            if text:
                columns[f"{share}_text"] = text
        if definition is not None:
            columns["directed"] = definition.directed
        for name, value in columns.items():
            edge_kinds[name] = _merge(edge_kinds.get(name), _type_of(value))
        span = spans.get(key)
        start, end = interval(attributes if span is None else {**attributes, "end": span[1]})
        dynamic = dynamic or bool(start or end)
        label = clean_text(definition.label if definition else str(attributes.get("type") or key))
        edges.append((edge_slug(key), node_slug(u), node_slug(v), label, weight(attributes), start, end, columns))

    metadata = graph_metadata(graph)
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
           f'<gexf xmlns="{NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           f'xsi:schemaLocation="{NAMESPACE} http://gexf.net/1.3/gexf.xsd" version="1.3">\n']
    modified = f' lastmodifieddate="{_dt.date.fromisoformat(last_modified).isoformat()}"' if last_modified else ""
    description = "Knowledge graph " + metadata.get("name", "")
    if metadata.get("as_of"):
        description += f" as of {metadata['as_of']}"
    if metadata.get("view"):
        description += f", view {metadata['view']}"
    out.append(f"  <meta{modified}>\n    <creator>ecosystem</creator>\n"
               f"    <description>{description.strip().translate(_TEXT)}</description>\n  </meta>\n")
    mode = ' mode="dynamic" timeformat="date" timerepresentation="interval"' if dynamic else ' mode="static"'
    out.append(f'  <graph defaultedgetype="directed" idtype="string"{mode}>\n')
    ids = {}
    for klass, kinds in (("node", node_kinds), ("edge", edge_kinds)):
        out.append(f'    <attributes class="{klass}" mode="static">\n')
        attribute_slug = slugger()
        for name in sorted(kinds):
            ids[klass, name] = attribute_slug(name)
            gexf_type = {"long": "long", "double": "double", "boolean": "boolean"}.get(kinds[name], "string")
            out.append(f'      <attribute id="{ids[klass, name]}" title="{name.translate(_TEXT)}" type="{gexf_type}"/>\n')
        out.append("    </attributes>\n")

    with atomic_path(path, newline="") as stream:
        stream.write("".join(out))
        write = stream.write
        write(f'    <nodes count="{len(nodes)}">\n')
        for slug, label, start, end, columns in nodes:
            times = (f' start="{start}"' if start else "") + (f' end="{end}"' if end else "")
            parts = [f'      <node id="{slug}" label="{label.translate(_TEXT)}"{times}>\n        <attvalues>\n']
            for name in sorted(columns):
                parts.append(f'          <attvalue for="{ids["node", name]}" value="{_value(columns[name], node_kinds[name])}"/>\n')
            parts.append("        </attvalues>\n      </node>\n")
            write("".join(parts))
        write("    </nodes>\n")
        write(f'    <edges count="{len(edges)}">\n')
        for slug, source, target, label, edge_weight, start, end, columns in edges:
            times = (f' start="{start}"' if start else "") + (f' end="{end}"' if end else "")
            parts = [f'      <edge id="{slug}" source="{source}" target="{target}" label="{label.translate(_TEXT)}" '
                     f'weight="{edge_weight!r}"{times}>\n        <attvalues>\n']
            for name in sorted(columns):
                parts.append(f'          <attvalue for="{ids["edge", name]}" value="{_value(columns[name], edge_kinds[name])}"/>\n')
            parts.append("        </attvalues>\n      </edge>\n")
            write("".join(parts))
        write("    </edges>\n  </graph>\n</gexf>\n")
    result.paths.append(Path(path))
    result.nodes, result.edges = len(nodes), len(edges)
    return result
