"""Neo4j: CSV files in the ``neo4j-admin database import`` header convention, and a Cypher script.

* ``nodes.csv``: ``id:ID``, ``:LABEL`` (``Entity`` plus the entity type in CamelCase, e.g.
  ``Entity|StateBody``), then typed properties (``equity_value:double``, ``inferred:boolean``,
  ``aliases:string[]``; untyped columns are strings);
* ``relationships.csv``: ``:START_ID``, ``:END_ID``, ``:TYPE`` (the relation type in upper case,
  ``OWNS``), ``id`` (the relation id), then typed properties;
* ``import.cypher``: ``LOAD CSV`` statements that load the same two files into a running
  database (one statement per label and relationship type, converting types as the headers say).

Arrays and multiple labels are separated by ``|`` (pass ``--array-delimiter="|"`` to
neo4j-admin). Dates: a full date (``2014-09-19``) is a Neo4j ``date`` (``start:date``); a partial
date keeps its precision as a string (``start_text: "2014-09"``); every dated value also gets
``start_precision`` (``day``, ``month`` or ``year``). The same for ``end`` and ``as_of``.
"""

from __future__ import annotations

import csv
import io

from ._common import merge_types as _merge, scalar_type
from ._common import (
    ExportResult, citation_text, clean_text, entity_type_label, flatten, prepare_directory,
    relation_type_definition, edges_in_time, sorted_nodes, write_text, _scalar,
)

ARRAY_DELIMITER = "|"
NODES_FILE = "nodes.csv"
RELATIONSHIPS_FILE = "relationships.csv"
SCRIPT_FILE = "import.cypher"
_SUFFIX = {"long": ":long", "double": ":double", "boolean": ":boolean", "string": "", "array": ":string[]",
           "date": ":date"}
_CONVERT = {"long": "toInteger({})", "double": "toFloat({})", "boolean": "toBoolean({})", "string": "{}",
            "array": "split({}, '" + ARRAY_DELIMITER + "')", "date": "date({})"}
DATE_FIELDS = ("start", "end", "as_of", "in_force_end")
_PRECISION = {4: "year", 7: "month", 10: "day"}


def _dated(properties: dict) -> dict:
    """Full dates stay in their column (typed ``:date``); partial ones move to ``<name>_text``; each
    dated value gets ``<name>_precision``."""
    for name in DATE_FIELDS:
        value = properties.get(name)
        if hasattr(value, "isoformat"):  # a date object in a hand-built graph
            value = properties[name] = value.isoformat()
        precision = _PRECISION.get(len(value)) if isinstance(value, str) else None
        if precision is None:
            continue
        properties[f"{name}_precision"] = precision
        if precision != "day":
            properties[f"{name}_text"] = properties.pop(name)
    return properties


def label_of(type_id) -> str:
    """``state_body`` -> ``StateBody``."""
    words = [part for part in clean_text(str(type_id or "")).replace("-", "_").split("_") if part]
    text = "".join(word[:1].upper() + word[1:] for word in words)
    return "".join(ch for ch in text if ch.isalnum()) or "Unknown"


def relationship_type_of(type_id) -> str:
    text = "".join(ch if ch.isalnum() else "_" for ch in clean_text(str(type_id or "")).upper()).strip("_")
    return text or "RELATED_TO"


def _properties(data: dict, rename: dict, drop=()) -> dict:
    """Record attributes as Neo4j property values: scalars, lists of strings, flattened mappings."""
    found = {}
    for key, value in data.items():
        if value is None or key in drop:
            continue
        name = rename.get(key, key)
        if key == "sources" and isinstance(value, (list, tuple)):
            found[name] = [clean_text(citation_text(item)) for item in value]
        elif isinstance(value, (list, tuple)) and value and all(_scalar(item) is not None for item in value):
            found[name] = [str(_scalar(item)) for item in value]
        else:
            found.update(flatten({name: value}))
    return {name: value for name, value in found.items() if value != []}




def _cell(value, kind) -> str:
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(item.replace(ARRAY_DELIMITER, "/") for item in value)
    if kind == "array":
        return str(value).replace(ARRAY_DELIMITER, "/")
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return str(value)


def _column_name(name: str) -> str:
    """A property name safe in a header (no ``:``) and in Cypher backticks."""
    return "".join(ch if (ch.isalnum() or ch == "_") else "_" for ch in name) or "_"


def _table(fixed: list[str], rows: list[tuple[list[str], dict]]) -> tuple[str, dict[str, str]]:
    kinds: dict[str, str] = {}
    for _, properties in rows:
        for name, value in properties.items():
            kinds[name] = "date" if name in DATE_FIELDS else _merge(kinds.get(name), _kind(value))
    names = sorted(kinds)
    header = fixed + [name + _SUFFIX[kinds[name]] for name in names]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for leading, properties in rows:
        writer.writerow(leading + [_cell(properties[name], kinds[name]) if name in properties else "" for name in names])
    return buffer.getvalue(), {name: kinds[name] for name in names}


def write_neo4j(graph, path) -> ExportResult:
    """Write ``nodes.csv``, ``relationships.csv`` and ``import.cypher`` into the folder ``path``."""
    directory = prepare_directory(path)
    node_rows, labels = [], set()
    for node, data in sorted_nodes(graph):
        label = "Entity" + ARRAY_DELIMITER + label_of(data.get("type")) if data.get("type") else "Entity"
        labels.add(label)
        properties = {_column_name(k): v for k, v in _properties(
            data, rename={"id": "record_id"}, drop=("id",) if data.get("id") == node else ()).items()}
        type_label = entity_type_label(graph, data.get("type"))
        if type_label:
            properties["type_label"] = type_label
        node_rows.append(([clean_text(str(node)), label], _dated(properties)))
    edge_rows, types = [], set()
    for u, v, key, data in edges_in_time(graph):
        relationship_type = relationship_type_of(data.get("type"))
        types.add(relationship_type)
        properties = {_column_name(k): value for k, value in _properties(
            data, rename={"id": "record_id"}, drop=("id",) if data.get("id") == key else ()).items()}
        definition = relation_type_definition(graph, data.get("type"))
        if definition is not None:
            properties["label"] = definition.label
        edge_rows.append(([clean_text(str(u)), clean_text(str(v)), relationship_type, clean_text(str(key))],
                          _dated(properties)))

    nodes_text, node_kinds = _table(["id:ID", ":LABEL"], node_rows)
    edges_text, edge_kinds = _table([":START_ID", ":END_ID", ":TYPE", "id"], edge_rows)
    paths = [write_text(directory / NODES_FILE, nodes_text),
             write_text(directory / RELATIONSHIPS_FILE, edges_text),
             write_text(directory / SCRIPT_FILE, cypher_script(sorted(labels), node_kinds, sorted(types), edge_kinds))]
    return ExportResult("neo4j", paths, len(node_rows), len(edge_rows))


def _sets(variable: str, kinds: dict[str, str]) -> str:
    parts = []
    for name, kind in kinds.items():
        column = f"row.`{name}{_SUFFIX[kind]}`"
        parts.append(f"{variable}.`{name}` = {_CONVERT[kind].format(column)}")
    return ",\n    ".join(parts)


def cypher_script(labels: list[str], node_kinds: dict, types: list[str], edge_kinds: dict) -> str:
    lines = [
        "// Load the graph into a running Neo4j (5.x): copy nodes.csv and relationships.csv into the",
        "// database's import folder, then: cypher-shell -f import.cypher",
        "// Into an empty database, the same files load offline with:",
        f'//   neo4j-admin database import full --delimiter="," --array-delimiter="{ARRAY_DELIMITER}" '
        f"--nodes={NODES_FILE} --relationships={RELATIONSHIPS_FILE} <database>",
        "// Full dates become Neo4j dates; a partial date is kept as text (start_text) with start_precision.",
        "",
        "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;",
        "",
    ]
    node_sets = _sets("n", node_kinds)
    for label in labels:
        cypher_labels = ":".join(f"`{part}`" for part in label.split(ARRAY_DELIMITER))
        lines += [
            f"LOAD CSV WITH HEADERS FROM 'file:///{NODES_FILE}' AS row",
            f"WITH row WHERE row.`:LABEL` = '{label}'",
            f"MERGE (n:{cypher_labels} {{id: row.`id:ID`}})",
            (f"SET {node_sets};" if node_sets else ";").replace("SET ;", ";"),
            "",
        ]
    edge_sets = _sets("r", edge_kinds)
    for relationship_type in types:
        lines += [
            f"LOAD CSV WITH HEADERS FROM 'file:///{RELATIONSHIPS_FILE}' AS row",
            f"WITH row WHERE row.`:TYPE` = '{relationship_type}'",
            "MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})",
            f"MERGE (a)-[r:`{relationship_type}` {{id: row.id}}]->(b)",
            f"SET {edge_sets};" if edge_sets else ";",
            "",
        ]
    return "\n".join(lines)


def _kind(value) -> str:
    return "array" if isinstance(value, list) else scalar_type(value)
