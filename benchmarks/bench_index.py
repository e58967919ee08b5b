"""The SQLite index on a large dataset: first load, warm one-entity queries, stats, control of everything.

    python benchmarks/bench_index.py                      # N = 300,000 entities, 900,000 relations
    python benchmarks/bench_index.py --n 30000 --dir /tmp/bench-index   # keep the data for another run

Writes ``benchmarks/synthetic.py``'s dataset of N entities as JSON lines (4 files each for entities and
relations), then measures in one run, each command a fresh process (start-up included), medians of
``--runs``; every figure is a ratio to a baseline measured in the same run:

* first load: ``ecosystem validate`` with an empty cache (read, validate, cross-check, write the
  index) against the floor of this design: orjson parsing the same files plus pydantic validating the
  same records (``TypeAdapter(list[Model])``, validated and dumped), in a fresh interpreter; also
  the CPU time (user + system) of both whole processes, the steadier figure on a shared machine;
* ``controllers ID`` and ``show ID`` with a warm index against the same command on the bundled data
  (ID: an entity with at most 50 entities above it), with each process's peak memory;
* ``stats`` with a warm index against ``stats`` on the bundled data;
* control of every entity at one date (library, warm index: the dataset read in bulk, the graph,
  the analysis, every entity's ultimate controllers) against one networkx BFS over the same graph.

Targets: 2x, 2x (and 250 MB), 2x, 20x. Not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")

_FLOOR = """
import gc, sys, time
from pathlib import Path
import orjson
from pydantic import TypeAdapter
from ecosystem.models import Entity, Relation, Source
gc.disable()
started = time.perf_counter()
sections = {"source": [], "entity": [], "relation": []}
for path in sorted(Path(sys.argv[1]).glob("*.jsonl")):
    for line in path.read_bytes().splitlines():
        if line.strip():
            record = orjson.loads(line)
            sections[record.pop("record")].append(record)
for kind, model in (("source", Source), ("entity", Entity), ("relation", Relation)):
    for item in TypeAdapter(list[model]).validate_python(sections[kind]):
        item.model_dump(mode="json", exclude_none=True, by_alias=True)
print(time.perf_counter() - started)
"""


def _cli(*args) -> list[str]:
    return [sys.executable, str(ROOT / "cli.py"), *args]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(command: list[str], env: dict) -> float:
    return _time_and_cpu(command, env)[0]


def _time_and_cpu(command: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds of ``command`` and the CPU seconds (user + system) of its process."""
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
    return time.perf_counter() - started, _children_cpu() - cpu


def _peak_mb(command: list[str], env: dict) -> float:
    result = subprocess.run([sys.executable, "-c", _PEAK, *command], check=True, capture_output=True, text=True,
                            env=env, cwd=ROOT)
    return int(result.stdout.strip()) / 1024


def _pick_entity(folder: Path, env: dict) -> tuple[str, int]:
    """The company with the most entities above it at the latest date, up to 50 (itself included),
    among the last 400 companies (read from the warm index; each upward walk stops past 50)."""
    code = ("import sys; from ecosystem.index import open_index; index = open_index(sys.argv[1]); "
            "when = index.latest_date(); "
            "ids = [r[0] for r in index.connection.execute(\"SELECT id FROM entities WHERE type = 'company' "
            "ORDER BY position DESC LIMIT 400\")]; "
            "sizes = [(len(index._walk([i], when, 'up', limit=50)), i) for i in ids]; "
            "best = max((s, i) for s, i in sizes if s <= 50); print(best[1], best[0])")
    out = subprocess.run([sys.executable, "-c", code, str(folder)], check=True, capture_output=True, text=True,
                         env=env, cwd=ROOT).stdout.split()
    return out[0], int(out[1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, help="keep the dataset here (made when missing)")
    parser.add_argument("--skip-first-load", action="store_true")
    args = parser.parse_args(argv)

    scratch = tempfile.TemporaryDirectory(prefix="ecosystem-bench-index-")
    folder = args.dir or Path(scratch.name) / "data"
    if not (folder / "sources.jsonl").exists():
        from benchmarks.synthetic import write_dataset

        started = time.perf_counter()
        write_dataset(folder, args.n, fmt="jsonl", files=4)
        print(f"dataset: {args.n:,} entities as JSON lines in {folder} ({time.perf_counter() - started:.0f}s to write)")
        past = time.time() - 10  # data written a moment ago is hashed again on every load (see docs/INDEX.md)
        for path in folder.iterdir():
            os.utime(path, (past, past))
    size = sum(path.stat().st_size for path in folder.iterdir()) / 1e6
    print(f"data: {folder} ({size:,.0f} MB)")

    cache = Path(scratch.name) / "cache"
    env = dict(os.environ, ECOSYSTEM_CACHE_DIR=str(cache), COLUMNS="120")
    env.pop("ECOSYSTEM_DATA", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(scratch.name) / "pycache")
    big = ["--data", str(folder)]

    if not args.skip_first_load:
        floors, builds, floor_cpus, build_cpus = [], [], [], []
        for _ in range(args.runs):
            cpu = _children_cpu()
            floor = subprocess.run([sys.executable, "-c", _FLOOR, str(folder)], check=True, capture_output=True,
                                   text=True, env=env, cwd=ROOT)
            floor_cpus.append(_children_cpu() - cpu)  # the whole process, as for the build
            floors.append(float(floor.stdout.strip()))
            for path in cache.glob("*"):
                if path.is_file():
                    path.unlink()
            wall, cpu = _time_and_cpu(_cli(*big, "validate"), env)
            builds.append(wall)
            build_cpus.append(cpu)
        floor, build = statistics.median(floors), statistics.median(builds)
        floor_cpu, build_cpu = statistics.median(floor_cpus), statistics.median(build_cpus)
        print(f"first load  orjson + pydantic alone: {floor:7.2f}s | `validate`, empty cache (index built): "
              f"{build:7.2f}s | ratio {build / floor:.2f}x (target <= 2x); CPU time {build_cpu:.2f}s / "
              f"{floor_cpu:.2f}s = {build_cpu / floor_cpu:.2f}x")
    else:
        _time(_cli(*big, "validate"), env)

    entity, above = _pick_entity(folder, env)
    small_id = "alibaba_group_holding"
    _time(_cli("show", small_id, "--json"), env)  # the bundled data's index
    print(f"entity: {entity} ({above} entities above it, itself included)")
    for name, small, large in (
        ("controllers", ["controllers", small_id, "--json"], [*big, "controllers", entity, "--json"]),
        ("show", ["show", small_id, "--json"], [*big, "show", entity, "--json"]),
        ("stats", ["stats", "--json"], [*big, "stats", "--json"]),
    ):
        smalls, larges = [], []
        for _ in range(args.runs):  # interleaved
            smalls.append(_time(_cli(*small), env))
            larges.append(_time(_cli(*large), env))
        a, b = statistics.median(smalls), statistics.median(larges)
        peak = _peak_mb(_cli(*large), env)
        print(f"{name:<11} bundled {a * 1000:6.0f} ms | {args.n:,} entities, warm index {b * 1000:6.0f} ms | "
              f"ratio {b / a:.2f}x (target <= 2x) | peak memory {peak:,.0f} MB (target <= 250 MB)")

    code = f"""
import sys, time, gc
sys.path.insert(0, {str(ROOT)!r})
from benchmarks.bench_control import bfs_everything
from ecosystem.index import open_index
from ecosystem.graph import build_graph
from ecosystem.control import analyse
index = open_index(sys.argv[1])
when = index.latest_date()
started = time.perf_counter()
graph = build_graph(open_index(sys.argv[1]).dataset())
analysis = analyse(graph, when)
every = analysis.ultimate_map()
control = time.perf_counter() - started
started = time.perf_counter()
bfs_everything(graph)
bfs = time.perf_counter() - started
print(control, bfs, len(every))
"""
    result = subprocess.run([sys.executable, "-c", code, str(folder)], check=True, capture_output=True, text=True,
                            env=env, cwd=ROOT).stdout.split()
    control, bfs = float(result[0]), float(result[1])
    print(f"control of every entity (library, warm index: read, graph, analysis, ultimate map) {control:.2f}s | "
          f"one networkx BFS over the graph {bfs:.2f}s | ratio {control / bfs:.1f}x (target <= 20x)")
    scratch.cleanup()


if __name__ == "__main__":
    main()
