"""Benchmark: control of every entity by the embedded engine and by the Spark engine (local mode).

    python benchmarks/bench_spark.py --n 100000 --n 300000 --n 1000000 --dir /tmp/bench-spark
    python benchmarks/bench_spark.py --n 20000 --timeout 1800          # a quick run

For each N: synthetic data (``benchmarks/synthetic.py``: N entities, 3N relations) as a graph, the
Parquet tables of ``export parquet``, then, each in a fresh process, at one date:

* the embedded engine: ``ecosystem.analysis.networkx_records`` (every entity's record);
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


def build_graph(n: int, seed: int = 0):
    """The synthetic records as a graph of the graph contract (shares as the loader makes them)."""
    import networkx as nx

    from ecosystem.models import Share
    from ecosystem.vocabulary import bundled_vocabulary
    from synthetic import make_records

    records = make_records(n, seed)
    vocabulary = bundled_vocabulary()
    graph = nx.MultiDiGraph()
    graph.graph.update(name="synthetic", vocabulary=vocabulary, views={}, latest_date=DATE,
                       sources={s["id"]: s for s in records["sources"]})
    def cited(record):  # "src_3 §4.2, n 149" as the loader reads it: {source, locator}
        record = dict(record)
        record["sources"] = [dict(zip(("source", "locator"), c.split(" ", 1))) if isinstance(c, str) else c
                             for c in record.get("sources", ())]
        return record

    graph.add_nodes_from((e["id"], cited(e)) for e in records["entities"])
    for number, relation in enumerate(records["relations"]):
        data = cited(relation)
        data.setdefault("id", f"r{number}")
        for key in ("equity", "votes"):
            if key in data:
                data[key] = Share.model_validate(data[key]).model_dump(exclude_defaults=True)
        data["category"] = vocabulary.relation_types[data["type"]].category
        graph.add_edge(data.pop("from"), data.pop("to"), key=data["id"], **data)
    return graph


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
        from ecosystem.exporters import export

        started = time.perf_counter()
        graph = build_graph(n)
        export(graph, "parquet", folder / "parquet")
        return {"parquet": str(folder / "parquet"), "entities": graph.number_of_nodes(),
                "relations": graph.number_of_edges(), "seconds": time.perf_counter() - started}
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
