"""Benchmark: control of every entity by the embedded engine and by the Spark engine (local mode).

    python benchmarks/bench_spark.py --n 100000 --n 300000 --n 1000000 --dir /tmp/bench-spark
    python benchmarks/bench_spark.py --n 20000 --timeout 1800          # a quick run

For each N: synthetic data (``benchmarks/synthetic.py``: N entities, 3N relations), its Parquet
tables (the rows of ``export parquet``, written as the records are made, in batches: the whole graph is
never held for them), then, each in a fresh process, at one date:

* the embedded engine: ``ecosystem.analysis.networkx_records`` on the graph (every entity's record:
  controllers, verdict, final owners' economic interest);
* the Spark engine in ``local[2]``: the same records from the Parquet tables.

Prints the time of each (the analysis only: the graph or the tables are ready; Spark's includes
writing its records as Parquet, since they are not collected to the Python process), the peak memory of
the Python process and of Spark's JVM (``VmHWM`` of each), Spark's time over the embedded
engine's, and, between the sizes, how Spark's time grows against the size (target: 300,000 to
1,000,000 entities multiplies it by at most 1.2x the size ratio). Give ``uptime`` with the figures:
the machine may be shared. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DATE = "2023"


def _cited(record):
    """"src_3 §4.2, n 149" as the loader reads it: {source, locator}."""
    record = dict(record)
    record["sources"] = [dict(zip(("source", "locator"), c.split(" ", 1))) if isinstance(c, str) else c
                         for c in record.get("sources", ())]
    return record


def _edge(number: int, relation: dict, vocabulary):
    """(from, to, key, attributes) of one synthetic relation, shares as the loader makes them."""
    from ecosystem.models import Share

    data = _cited(relation)
    data.setdefault("id", f"r{number}")
    for key in ("equity", "votes"):
        if key in data:
            data[key] = Share.model_validate(data[key]).model_dump(exclude_defaults=True)
    data["category"] = vocabulary.relation_types[data["type"]].category
    return data.pop("from"), data.pop("to"), data["id"], data


def _empty_graph(vocabulary, sources=()):
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.graph.update(name="synthetic", vocabulary=vocabulary, views={}, latest_date=DATE,
                       sources={s["id"]: s for s in sources})
    return graph


def build_graph(n: int, seed: int = 0):
    """The synthetic records as a graph of the graph contract (shares as the loader makes them)."""
    from ecosystem.vocabulary import bundled_vocabulary
    from synthetic import iter_records

    vocabulary = bundled_vocabulary()
    graph = _empty_graph(vocabulary)
    number = 0
    for section, record in iter_records(n, seed):  # the graph is made as the records are (not all held)
        if section == "sources":
            graph.graph["sources"][record["id"]] = record
        elif section == "entities":
            graph.add_node(record["id"], **_cited(record))
        else:
            u, v, key, data = _edge(number, record, vocabulary)
            graph.add_edge(u, v, key=key, **data)
            number += 1
    return graph


def write_parquet_tables(n: int, folder: Path, seed: int = 0, batch: int = 100_000) -> dict:
    """The entity and relation tables ``export parquet`` writes for :func:`build_graph` (the same
    rows, in the generator's order), written as the records are made, a batch at a time: each batch
    is a graph of its own, so neither the whole graph nor all the records are ever held (at
    1,000,000 entities they would not fit beside the rows). The synthetic data has at most one
    relation of a type between two entities and names none it supersedes, so every relation's span
    is its own and a batch decides it as the whole graph would. Only what the Spark engine reads: no
    citations or sources tables."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ecosystem.exporters import parquet as exporter
    from ecosystem.vocabulary import bundled_vocabulary
    from synthetic import iter_records

    vocabulary = bundled_vocabulary()
    schemas = exporter.schemas()
    folder.mkdir(parents=True, exist_ok=True)
    writers = {name: pq.ParquetWriter(folder / f"{name}.parquet", schemas[name], compression="zstd")
               for name in ("entities", "relations")}
    counts = {"entities": 0, "relations": 0}
    pending = {"entities": [], "relations": []}

    def flush(name):
        graph = _empty_graph(vocabulary)
        if name == "entities":
            graph.add_nodes_from((e["id"], _cited(e)) for e in pending[name])
            rows = exporter.entity_rows(graph)
        else:
            for number, relation in pending[name]:
                u, v, key, data = _edge(number, relation, vocabulary)
                graph.add_edge(u, v, key=key, **data)
            rows = exporter.relation_rows(graph)
        writers[name].write_table(pa.Table.from_pylist(rows, schema=schemas[name]))
        counts[name] += len(rows)
        pending[name] = []

    try:
        number = 0
        for section, record in iter_records(n, seed):
            if section == "entities":
                pending[section].append(record)
            elif section == "relations":
                pending[section].append((number, record))  # numbered as build_graph numbers them
                number += 1
            else:
                continue
            if len(pending[section]) >= batch:
                flush(section)
        for name in pending:
            if pending[name]:
                flush(name)
    finally:
        for writer in writers.values():
            writer.close()
    return counts


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: ru_maxrss would include what the parent held
    when it started this process)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def jvm_peak_mb() -> float | None:
    """The peak resident memory of this process's Java child (Spark's driver JVM), from /proc."""
    me = str(os.getpid())
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == me and fields.get("Name", "").strip() == "java":
            return int(fields["VmHWM"].split()[0]) / 1024
    return None


def child(engine: str, n: int, folder: Path) -> dict:
    from ecosystem import analysis

    if engine == "parquet":
        started = time.perf_counter()
        counts = write_parquet_tables(n, folder / "parquet")
        return {"parquet": str(folder / "parquet"), **counts, "seconds": time.perf_counter() - started,
                "python_mb": peak_mb()}
    if engine == "networkx":
        graph = build_graph(n)
        started = time.perf_counter()
        records = analysis.networkx_records(graph, [DATE])
        elapsed = time.perf_counter() - started
        return {"engine": engine, "n": n, "seconds": elapsed, "records": len(records), "python_mb": peak_mb()}
    from ecosystem import spark_engine

    spark = spark_engine.session("local[2]", partitions=4)
    started = time.perf_counter()
    entities, relations = spark_engine.read_tables(spark, folder / "parquet")
    # the records are written by Spark (as a cluster would write them), not collected to this process
    out = str(folder / "spark-records")
    spark_engine.records_frame(spark_engine.analyse(spark, entities, relations, [DATE])) \
        .write.mode("overwrite").parquet(out)
    elapsed = time.perf_counter() - started
    result = {"engine": engine, "n": n, "seconds": elapsed, "records": spark.read.parquet(out).count(),
              "python_mb": peak_mb(), "jvm_mb": jvm_peak_mb(),
              "driver_memory": os.environ.get("ECOSYSTEM_SPARK_DRIVER_MEMORY", "2g")}
    spark.stop()
    return result


def run(engine: str, n: int, folder: Path, timeout: float) -> dict:
    command = [sys.executable, __file__, "--child", engine, "--n", str(n), "--dir", str(folder)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"engine": engine, "n": n, "timeout": timeout}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        return {"engine": engine, "n": n, "returncode": done.returncode,
                "error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(lines[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="entities (again for more sizes)")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-spark"))
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per engine and size")
    parser.add_argument("--engines", default="networkx,spark")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = args.n or [100_000, 300_000, 1_000_000]
    if args.child:
        print(json.dumps(child(args.child, sizes[0], args.dir)), flush=True)
        return
    print(f"load average at start: {os.getloadavg()[0]:.2f}", flush=True)
    results = {}
    for n in sizes:
        folder = args.dir / str(n)
        if not (folder / "parquet" / "relations.parquet").exists():  # in a child: this process stays small
            found = run("parquet", n, folder, args.timeout)
            print(f"N={n:,}: " + json.dumps(found), flush=True)
        for engine in args.engines.split(","):
            found = run(engine, n, folder, args.timeout)
            results[(engine, n)] = found
            print(f"N={n:,} {engine}: " + json.dumps(found) + " (load average {:.2f} {:.2f} {:.2f})".format(
                *os.getloadavg()), flush=True)
        nx_, sp = results.get(("networkx", n), {}), results.get(("spark", n), {})
        if "seconds" in nx_ and "seconds" in sp:
            print(f"N={n:,}: Spark / embedded = {sp['seconds'] / nx_['seconds']:.1f}x", flush=True)
    spark_times = [(n, results[("spark", n)]["seconds"]) for n in sizes if "seconds" in results.get(("spark", n), {})]
    for (a, ta), (b, tb) in zip(spark_times, spark_times[1:]):
        print(f"Spark growth {a:,} -> {b:,}: time x{tb / ta:.2f} for size x{b / a:.2f} "
              f"(target <= {1.2 * b / a:.2f})", flush=True)


if __name__ == "__main__":
    main()
