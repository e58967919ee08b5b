"""Parquet: four tables for pandas, Polars, DuckDB and Apache Spark (``analyse --engine spark``).

``entities.parquet``, ``relations.parquet``, ``citations.parquet`` and ``sources.parquet`` in one
folder; ``docs/SCALE.md`` documents every column. Shares are split into certain low and possible
high ends (percent) and an ``approximate`` flag, so that an engine can run the control rules on
numbers alone; dates keep their text (with its precision) and add the first day they name as a
Parquet date. ``in_force_start``/``in_force_end`` give when each relation counts, with supersession
by later observations applied (:func:`ecosystem.graph.relation_spans`), so that "in force at D" is a
comparison of dates. Each relation carries its type's roles from the vocabulary (control, bundle part,
concert, economic, standing). Needs pyarrow (``pip install 'ecosystem[parquet]'``).

Rows are sorted by id and written without timestamps: the same data gives the same bytes with the
same pyarrow version.
"""

from __future__ import annotations

import json

from ._common import ExportResult, atomic_path, prepare_directory, share_of, sorted_edges, sorted_nodes

TABLES = ("entities", "relations", "citations", "sources")


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        from ..errors import ExportError

        raise ExportError("the parquet format needs pyarrow: pip install 'ecosystem[parquet]'") from None
    return pa, pq


def _day(value):
    from .. import dates

    return dates.first_day(value) if value is not None else None


def _share_columns(prefix: str, value) -> dict:
    """low/high/approximate of a share dict; an absent share leaves all three null."""
    columns = {f"{prefix}_low": None, f"{prefix}_high": None, f"{prefix}_approximate": None}
    share = share_of(value)
    if share is not None:
        columns.update({f"{prefix}_low": float(share.low), f"{prefix}_high": float(share.high),
                        f"{prefix}_approximate": bool(share.approximate)})
    return columns


def entity_rows(graph) -> list[dict]:
    vocabulary = graph.graph.get("vocabulary")
    rows = []
    for node, data in sorted_nodes(graph):
        definition = vocabulary.entity_types.get(data.get("type")) if vocabulary is not None else None
        rows.append({
            "id": str(node),
            "name": data.get("name"),
            "type": data.get("type"),
            "type_label": definition.label if definition is not None else None,
            "name_zh": (data.get("names") or {}).get("zh"),
            "jurisdiction": data.get("jurisdiction"),
            "start": data.get("start"),
            "end": data.get("end"),
            "start_day": _day(data.get("start")),
            "end_day": _day(data.get("end")),
            "record": json.dumps(data, ensure_ascii=False, sort_keys=True, default=str),
        })
    return rows


def relation_rows(graph) -> list[dict]:
    from ..graph import effective_start, relation_spans

    vocabulary = graph.graph.get("vocabulary")
    spans = relation_spans(graph)
    rows = []
    for u, v, key, data in sorted_edges(graph):
        definition = vocabulary.relation_types.get(data["type"]) if vocabulary is not None else None
        row = {
            "id": str(key),
            "from": str(u),
            "to": str(v),
            "type": data["type"],
            "category": data.get("category") or (definition.category if definition is not None else None),
            "control_role": definition.control if definition is not None else "none",
            "bundle_role": definition.bundle if definition is not None else None,
            "concert": bool(definition.concert) if definition is not None else False,
            "economic": bool(definition.economic) if definition is not None else False,
            "standing": bool(definition.standing) if definition is not None else False,
        }
        row.update(_share_columns("equity", data.get("equity")))
        row.update(_share_columns("votes", data.get("votes")))
        for name in ("start", "end", "as_of"):
            row[name] = data.get(name)
            row[f"{name}_day"] = _day(data.get(name))
        # when it is in force, supersession applied (ecosystem.graph.relation_spans: the one definition)
        start, end, superseded_by = spans.get(key, (effective_start(data), data.get("end"), None))
        row.update(in_force_start=start, in_force_start_day=_day(start), in_force_end=end,
                   in_force_end_day=_day(end), superseded_by=superseded_by)
        row["supersedes"] = list(data.get("supersedes") or [])
        row["inferred"] = bool(data.get("inferred", False))
        # a register's look-through figure: listed, never a step of a chain of control
        row["indirect"] = bool(data.get("indirect", False))
        record = {k: value for k, value in data.items() if k != "category"}
        record.update({"from": str(u), "to": str(v)})
        row["record"] = json.dumps(record, ensure_ascii=False, sort_keys=True, default=str)
        rows.append(row)
    return rows


def citation_rows(graph) -> list[dict]:
    rows = []
    for node, data in sorted_nodes(graph):
        for citation in data.get("sources") or ():
            rows.append({"record": "entity", "id": str(node), "source": citation.get("source"),
                         "locator": citation.get("locator")})
    for _, _, key, data in sorted_edges(graph):
        for citation in data.get("sources") or ():
            rows.append({"record": "relation", "id": str(key), "source": citation.get("source"),
                         "locator": citation.get("locator")})
    return rows


def source_rows(graph) -> list[dict]:
    sources = graph.graph.get("sources") or {}
    return [{"id": source_id, "kind": record.get("kind"), "title": record.get("title"),
             "date": None if record.get("date") is None else str(record.get("date")),
             "url": record.get("url"),
             "record": json.dumps(record, ensure_ascii=False, sort_keys=True, default=str)}
            for source_id, record in sorted(sources.items())]


def schemas():
    """The Arrow schema of each table (the columns docs/SCALE.md describes)."""
    pa, _ = _pyarrow()
    text, day, flag, number = pa.string(), pa.date32(), pa.bool_(), pa.float64()
    share = [(f"{p}_{s}", t) for p in ("equity", "votes") for s, t in (("low", number), ("high", number),
                                                                         ("approximate", flag))]
    return {
        "entities": pa.schema([("id", text), ("name", text), ("type", text), ("type_label", text),
                               ("name_zh", text), ("jurisdiction", text), ("start", text), ("end", text),
                               ("start_day", day), ("end_day", day), ("record", text)]),
        "relations": pa.schema([("id", text), ("from", text), ("to", text), ("type", text), ("category", text),
                                ("control_role", text), ("bundle_role", text), ("concert", flag),
                                ("economic", flag), ("standing", flag), *share,
                                ("start", text), ("start_day", day), ("end", text), ("end_day", day),
                                ("as_of", text), ("as_of_day", day),
                                ("in_force_start", text), ("in_force_start_day", day),
                                ("in_force_end", text), ("in_force_end_day", day), ("superseded_by", text),
                                ("supersedes", pa.list_(text)),
                                ("inferred", flag), ("indirect", flag), ("record", text)]),
        "citations": pa.schema([("record", text), ("id", text), ("source", text), ("locator", text)]),
        "sources": pa.schema([("id", text), ("kind", text), ("title", text), ("date", text), ("url", text),
                              ("record", text)]),
    }


def write_tables(tables: dict[str, list[dict]], folder) -> list:
    """Write rows (dicts keyed by column) as one Parquet file per table; the paths written."""
    pa, pq = _pyarrow()
    directory = prepare_directory(folder)
    found = schemas()
    paths = []
    for name, rows in tables.items():
        schema = found[name]
        table = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
        path = directory / f"{name}.parquet"
        with atomic_path(path, "wb") as stream:
            pq.write_table(table, stream, compression="zstd", write_statistics=True)
        paths.append(path)
    return paths


def write_parquet(graph, path) -> ExportResult:
    """Write ``graph`` as Parquet tables into the folder ``path``."""
    result = ExportResult("parquet")
    relations = relation_rows(graph)
    entities = entity_rows(graph)
    result.paths = write_tables({"entities": entities, "relations": relations,
                                 "citations": citation_rows(graph), "sources": source_rows(graph)}, path)
    result.nodes, result.edges = len(entities), len(relations)
    return result
