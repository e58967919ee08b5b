"""Control of every entity at one date, as records: the output of ``ecosystem analyse``.

One record per entity: ``id``, ``as_of``, ``verdict``, ``direct`` (controllers with ``id``,
``status``, ``rule``), ``ultimate`` (controllers with ``id``, ``status``, ``group``), lists sorted,
and the economic interest of final owners as :func:`ecosystem.control.economic.economic_interest`
defines it: ``final_owners`` (``id``, ``low``, ``high`` in percent, 6 decimals, largest first) and
``closed_cycle`` (sorted ids, or empty).
The embedded engine (networkx, :mod:`ecosystem.control`) and the Spark engine
(:mod:`ecosystem.spark_engine`) write the same records, as Parquet and JSON lines.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import control, dates
from .control.economic import final_owners_all


def networkx_records(graph, as_of_dates, rules=None) -> list[dict]:
    """The records computed by the embedded engine, for each date (sorted by date, then id)."""
    records = []
    for when in sorted({dates.normalise(d) for d in as_of_dates}, key=dates.sort_key):
        analysis = control.analyse(graph, when, rules)
        low, high = analysis.solver.control
        economic = final_owners_all(analysis)  # every entity's final owners at once
        for node in sorted(graph.nodes):
            ultimate = [{"id": item["id"], "status": item["status"], "group": list(item["group"])}
                        for item in analysis.ultimate_ids(node)]
            direct = [{"id": controller,
                       "status": control.CONTROLS if controller in low.get(node, {}) else control.MAY_CONTROL,
                       "rule": (low.get(node, {}).get(controller) or high[node][controller])[0]}
                      for controller in set(high.get(node, {})) | set(low.get(node, {}))]
            records.append({"id": node, "as_of": when, "verdict": analysis.verdict(node),
                            "direct": sorted(direct, key=_order), "ultimate": sorted(ultimate, key=_order),
                            "final_owners": economic[node][0], "closed_cycle": economic[node][1]})
    return records


def spark_records(graph, as_of_dates, rules=None, *, output, parquet=None, master="local[*]", remote=None,
                  partitions=8) -> list[dict]:
    """The same records computed by the Spark engine from the Parquet tables (exported first when
    ``parquet`` is not given, into ``output``/parquet), collected to this process."""
    from . import spark_engine

    return _on_spark(graph, as_of_dates, rules, output, parquet, master, remote, partitions, spark_engine.to_records)


def spark_write(graph, as_of_dates, rules=None, *, output, parquet=None, master="local[*]", remote=None,
                partitions=8) -> tuple[list[str], int]:
    """The Spark engine's records written by Spark into ``output``, not collected: ``control.jsonl``
    and ``control.parquet`` files with a local master, Spark's folders of part files on a cluster or
    through Spark Connect (:func:`ecosystem.spark_engine.write_records`). (paths, number of records)."""
    from . import spark_engine

    single = remote is None and master.startswith("local")
    return _on_spark(graph, as_of_dates, rules, output, parquet, master, remote, partitions,
                     lambda result: spark_engine.write_records(result, output, single))


def _on_spark(graph, as_of_dates, rules, output, parquet, master, remote, partitions, then):
    from . import spark_engine
    from .exporters import export

    if parquet is not None and not (Path(parquet) / "relations.parquet").exists():
        from .errors import QueryError

        raise QueryError(f"{parquet}: no relations.parquet here; write one with: ecosystem export parquet -o {parquet}")
    spark = spark_engine.session(master, remote, partitions)  # first: a missing pyspark or Java is named at once
    try:
        if parquet is None:
            parquet = Path(output) / "parquet"
            export(graph, "parquet", parquet)
        entities, relations = spark_engine.read_tables(spark, parquet)
        return then(spark_engine.analyse(spark, entities, relations, as_of_dates, rules))
    finally:
        if not remote:
            spark.stop()


def _order(item):
    return tuple(str(item[key]) for key in sorted(item))


def write_records(records: list[dict], folder) -> list[Path]:
    """``control.jsonl`` and ``control.parquet`` (Parquet when pyarrow is there) in ``folder``."""
    from .exporters._common import atomic_path, prepare_directory

    directory = prepare_directory(folder)
    paths = []
    with atomic_path(directory / "control.jsonl") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    paths.append(directory / "control.jsonl")
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return paths
    controller = pa.struct([("id", pa.string()), ("status", pa.string()), ("rule", pa.string())])
    ultimate = pa.struct([("id", pa.string()), ("status", pa.string()), ("group", pa.list_(pa.string()))])
    owner = pa.struct([("id", pa.string()), ("low", pa.float64()), ("high", pa.float64())])
    schema = pa.schema([("id", pa.string()), ("as_of", pa.string()), ("verdict", pa.string()),
                        ("direct", pa.list_(controller)), ("ultimate", pa.list_(ultimate)),
                        ("final_owners", pa.list_(owner)), ("closed_cycle", pa.list_(pa.string()))])
    with atomic_path(directory / "control.parquet", "wb") as stream:
        pq.write_table(pa.Table.from_pylist(records, schema=schema), stream, compression="zstd")
    paths.append(directory / "control.parquet")
    return paths
