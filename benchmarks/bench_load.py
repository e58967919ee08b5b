"""Load + validate + build for a synthetic dataset of N entities and 3N relations.

    python benchmarks/bench_load.py                 # N = 100,000 (writes ~70 MB of YAML, ~90 MB of JSON)
    python benchmarks/bench_load.py --quick         # N = 10,000
    python benchmarks/bench_load.py --n 50000 --runs 3 --pyyaml

Every measurement runs in a fresh interpreter (so none inherits another's memory or warm
allocator), N times with --runs, and reports the median time and the peak resident memory
(ru_maxrss) of that process. Measured in the same run:

* baseline 1: orjson parsing the same records written as JSON (the repeat-load target is 3x this);
* baseline 2: the fastest YAML parser we use (yaml-rs; fastyaml-rs too if installed) parsing the
  YAML files (the first-load target is 1.5x this); PyYAML's CSafeLoader with --pyyaml (slow);
* our first load (empty cache) and our repeat load (warm cache), each then building the graph;
  the first load again with the C reader of the plain YAML subset turned off, as a file written
  outside that subset is read (the scan, then yaml-rs); our first load of the same records written
  as JSON and as JSON lines (no target; reported).

Parsers run as the loader runs them: with the cyclic garbage collector paused (the loader pauses
it too); the orjson figure with the collector running is printed beside it for reference.
Timings are only comparable within one run: other work on the machine moves them all.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each snippet runs in its own interpreter; it prints one JSON line {"seconds": ..., ...}.
_PRELUDE = """
import gc, json, os, resource, sys, time
sys.path.insert(0, {root!r})
files = sorted(os.path.join(d, f) for d in [{directory!r}] for f in os.listdir(d))
def done(seconds, **extra):
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the loader's second process
    print(json.dumps(dict(seconds=seconds, rss_mb=rss, worker_rss_mb=worker, **extra)))
"""

# our load (whatever the cache holds: the plan empties it for a first load), then build_graph
_LOAD = """
from ecosystem.loader import load
from ecosystem.graph import build_graph
t = time.perf_counter(); dataset = load({directory!r}); t1 = time.perf_counter()
graph = build_graph(dataset); t2 = time.perf_counter()
done(t1 - t, build=t2 - t1, relations=len(dataset.relations))
"""

SNIPPETS = {
    "orjson": """
import orjson
data = [open(f, "rb").read() for f in files]
gc.disable()
t = time.perf_counter(); parsed = [orjson.loads(b) for b in data]; done(time.perf_counter() - t)
""",
    "orjson (gc on)": """
import orjson
data = [open(f, "rb").read() for f in files]
t = time.perf_counter(); parsed = [orjson.loads(b) for b in data]; done(time.perf_counter() - t)
""",
    "yaml-rs": """
import yaml_rs
texts = [open(f, encoding="utf-8").read() for f in files]
gc.disable()
t = time.perf_counter(); parsed = [yaml_rs.loads(x, parse_datetime=True) for x in texts]; done(time.perf_counter() - t)
""",
    "fastyaml-rs": """
import fast_yaml
texts = [open(f, encoding="utf-8").read() for f in files]
gc.disable()
t = time.perf_counter(); parsed = [fast_yaml.safe_load(x) for x in texts]; done(time.perf_counter() - t)
""",
    "PyYAML CSafeLoader": """
import yaml
texts = [open(f, encoding="utf-8").read() for f in files]
gc.disable()
t = time.perf_counter(); parsed = [yaml.load(x, Loader=yaml.CSafeLoader) for x in texts]; done(time.perf_counter() - t)
""",
    "first load, PyYAML only": """
import ecosystem._yaml
ecosystem._yaml._yaml_rs = None  # no fast path
from ecosystem.loader import load
from ecosystem.graph import build_graph
t = time.perf_counter(); dataset = load({directory!r}, use_cache=False); t1 = time.perf_counter()
graph = build_graph(dataset); t2 = time.perf_counter()
done(t1 - t, build=t2 - t1, relations=len(dataset.relations))
""",
    "first load": _LOAD,
    # the same files read as a file outside the plain YAML subset would be: yaml-rs after the scan
    "first load, yaml-rs path": "from ecosystem import _fastload\n_fastload._parse_items = None\n" + _LOAD,
    "first load, JSON": _LOAD,
    "first load, JSON lines": _LOAD,
    "repeat load": _LOAD,
}


def measure(name: str, directory: Path, cache: Path, runs: int, fresh_cache: bool) -> dict | None:
    code = _PRELUDE.format(root=str(ROOT), directory=str(directory)) + SNIPPETS[name].format(directory=str(directory))
    results = []
    for _ in range(runs):
        if fresh_cache:
            shutil.rmtree(cache)
            cache.mkdir()
        env = dict(os.environ, ECOSYSTEM_CACHE_DIR=str(cache))
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["?"])[-1]
            print(f"  {name}: skipped ({last})", file=sys.stderr)
            return None
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    summary = {key: statistics.median(r[key] for r in results) for key in results[0] if isinstance(results[0][key], float)}
    summary["rss_mb"] = max(r["rss_mb"] for r in results)
    summary["worker_rss_mb"] = max(r.get("worker_rss_mb", 0.0) for r in results)
    return summary


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Load + validate + build benchmark (see the module docstring).")
    parser.add_argument("--n", type=int, default=100_000, help="entities (relations: 3N); default 100,000")
    parser.add_argument("--quick", action="store_true", help="N = 10,000")
    parser.add_argument("--runs", type=int, default=1, help="runs per measurement (median); default 1")
    parser.add_argument("--files", type=int, default=1, help="entity and relation files each (default 1)")
    parser.add_argument("--pyyaml", action="store_true", help="also time PyYAML alone (about 50 s at N = 100,000)")
    parser.add_argument("--dir", type=Path, help="keep the generated datasets here (reused if present)")
    args = parser.parse_args(argv)
    n = 10_000 if args.quick else args.n

    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import write_dataset

    with tempfile.TemporaryDirectory(prefix="ecosystem-bench-") as scratch:
        base = args.dir or Path(scratch)
        yaml_dir, json_dir, cache = base / f"yaml-{n}-{args.files}", base / f"json-{n}-{args.files}", Path(scratch) / "cache"
        cache.mkdir()
        lines_dir = base / f"jsonl-{n}-{args.files}"
        for directory, fmt in ((yaml_dir, "yaml"), (json_dir, "json"), (lines_dir, "jsonl")):
            if not directory.is_dir():
                write_dataset(directory, n, fmt=fmt, files=args.files)
        size = sum(f.stat().st_size for f in yaml_dir.iterdir()) / 1e6
        print(f"N = {n:,} entities, {3 * n:,} relations; YAML {size:.0f} MB in {len(list(yaml_dir.iterdir()))} files; "
              f"runs = {args.runs}")

        plan = [("orjson", json_dir, False), ("orjson (gc on)", json_dir, False),
                ("yaml-rs", yaml_dir, False), ("fastyaml-rs", yaml_dir, False)]
        if args.pyyaml:
            plan += [("PyYAML CSafeLoader", yaml_dir, False), ("first load, PyYAML only", yaml_dir, False)]
        plan += [("first load, JSON", json_dir, True), ("first load, JSON lines", lines_dir, True),
                 ("first load", yaml_dir, True), ("first load, yaml-rs path", yaml_dir, True),
                 ("repeat load", yaml_dir, False)]
        results = {}
        for name, directory, fresh in plan:
            result = measure(name, directory, cache, args.runs, fresh)
            if result is None:
                continue
            results[name] = result
            extra = f"  + build {result['build']:.2f} s" if "build" in result else ""
            worker = f" (+ worker {result['worker_rss_mb']:.0f} MB)" if result.get("worker_rss_mb", 0) > 1 else ""
            print(f"  {name:26s} {result['seconds']:7.2f} s{extra:18s}  peak RSS {result['rss_mb']:6.0f} MB{worker}")

    orjson = results.get("orjson", {}).get("seconds")
    fastest_yaml = min((results[k]["seconds"], k) for k in ("yaml-rs", "fastyaml-rs") if k in results) if (
        "yaml-rs" in results or "fastyaml-rs" in results) else None
    first, repeat = results.get("first load"), results.get("repeat load")
    print("ratios (same run):")
    if orjson and repeat:
        print(f"  repeat load / orjson            {repeat['seconds'] / orjson:5.2f}x  (target <= 3x); "
              f"with build {(repeat['seconds'] + repeat['build']) / orjson:5.2f}x")
    if fastest_yaml and first:
        seconds, name = fastest_yaml
        print(f"  first load / {name:18s} {first['seconds'] / seconds:5.2f}x  (target <= 1.5x); "
              f"with build {(first['seconds'] + first['build']) / seconds:5.2f}x")
    if fastest_yaml and "first load, yaml-rs path" in results:
        seconds, name = fastest_yaml
        print(f"  first load, yaml-rs path / {name:4s} {results['first load, yaml-rs path']['seconds'] / seconds:5.2f}x  "
              "(files outside the subset the C reader reads)")
    for name in ("first load, JSON", "first load, JSON lines"):
        if orjson and name in results:
            print(f"  {name[12:]:10s} first load / orjson  {results[name]['seconds'] / orjson:5.2f}x  (no target)")
    if "PyYAML CSafeLoader" in results and first:
        print(f"  PyYAML parse / first load       {results['PyYAML CSafeLoader']['seconds'] / first['seconds']:5.2f}x")
    if first:
        if first.get("worker_rss_mb", 0) > 1:
            print(f"first load's second process: peak RSS {first['worker_rss_mb']:.0f} MB (while the first is still parsing)")
        print(f"peak memory, first load + build: {first['rss_mb']:.0f} MB; repeat load + build: "
              f"{repeat['rss_mb'] if repeat else float('nan'):.0f} MB")


if __name__ == "__main__":
    main()
