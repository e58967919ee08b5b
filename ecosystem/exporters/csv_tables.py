"""CSV: ``nodes.csv`` and ``edges.csv``, every attribute a column, for pandas and spreadsheets.

UTF-8 (no byte-order mark), comma-separated, RFC 4180 quoting, ``\\n`` line ends. The first
columns are fixed (``id, name, type, type_label`` and ``id, from, to, type, label, category``),
the rest sorted. Records are flattened as for GraphML: shares become ``equity_value``,
``equity_min``, ``equity_max``, ``equity_approximate`` (and ``equity_text``), lists are joined
with ``"; "``, facts are JSON, a missing value is an empty cell; booleans are ``true``/``false``.
"""

from __future__ import annotations

import csv
import io

from ._common import (
    ExportResult, clean_text, entity_type_label, flatten, prepare_directory, relation_type_definition,
    share_label, edges_in_time, sorted_nodes, write_text,
)

NODE_COLUMNS = ("id", "name", "type", "type_label")
EDGE_COLUMNS = ("id", "from", "to", "type", "label", "category")


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def _table(rows: list[dict], first: tuple) -> str:
    names = set()
    for row in rows:
        names.update(row)
    header = list(first) + sorted(names - set(first))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row[name]) if name in row else "" for name in header])
    return buffer.getvalue()


def node_rows(graph) -> list[dict]:
    rows = []
    for node, data in sorted_nodes(graph):
        row = {"id": clean_text(str(node))}
        # a record `id` that differs from the node key is kept beside it
        row.update(flatten(data, rename={"id": "record_id", "from": "record_from", "to": "record_to"},
                           drop=("id",) if data.get("id") == node else ()))
        label = entity_type_label(graph, data.get("type"))
        if label:
            row["type_label"] = label
        rows.append(row)
    return rows


def edge_rows(graph) -> list[dict]:
    rows = []
    for u, v, key, data in edges_in_time(graph):
        row = {"id": clean_text(str(key)), "from": clean_text(str(u)), "to": clean_text(str(v))}
        row.update(flatten(data, rename={"id": "record_id", "from": "record_from", "to": "record_to",
                                         "label": "record_label"},
                           drop=("id",) if data.get("id") == key else ()))
        definition = relation_type_definition(graph, data.get("type"))
        if definition is not None:
            row["label"] = definition.label
        for share in ("equity", "votes"):
            text = share_label(data.get(share))
            if text:
                row[f"{share}_text"] = text
        rows.append(row)
    return rows


def write_csv(graph, path) -> ExportResult:
    """Write ``nodes.csv`` and ``edges.csv`` into the folder ``path``."""
    directory = prepare_directory(path)
    nodes, edges = node_rows(graph), edge_rows(graph)
    paths = [write_text(directory / "nodes.csv", _table(nodes, NODE_COLUMNS)),
             write_text(directory / "edges.csv", _table(edges, EDGE_COLUMNS))]
    return ExportResult("csv", paths, len(nodes), len(edges))
