"""First load (read + validate + cross-check) of a synthetic dataset against its floor.

    python benchmarks/bench_load.py                 # N = 10,000 entities, 30,000 relations
    python benchmarks/bench_load.py --n 100000 --runs 3
    python benchmarks/bench_load.py --dir /tmp/bench   # keep the generated data (reused if present)

The floor of a first load is what reading the files with the parser we use and validating the
records with the same pydantic models costs: nothing of ours can make either faster. Measured in
the same run, each in a fresh interpreter with the garbage collector paused (as the loader runs):

* YAML: PyYAML's CSafeLoader parsing the files, then ``TypeAdapter(list[Model])`` validating and
  dumping each section (the baseline), against ``ecosystem.loader.read_dataset`` on the same
  folder (first load: no cache or index). Target: at most 1.3x.
* YAML with the index: ``open_index`` on the same folder with an empty cache (read, validate,
  cross-check, write the SQLite index: what a first command does), against the same baseline
  (reported).
* JSON lines: orjson parsing each line, then the same validation (the baseline), against
  ``read_dataset`` on the same records written as JSON lines (reported; the index benchmarks
  hold that target).

Each reports wall time and the process's CPU time (which other work on a busy machine moves
less). Timings are only comparable within one run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_PRELUDE = """
import gc, json, os, resource, sys, time
sys.path.insert(0, {root!r})
folder = {directory!r}
files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
def done(seconds, **extra):
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(dict(seconds=seconds, cpu=time.process_time() - cpu0, rss_mb=rss, **extra)))
from pydantic import TypeAdapter
from ecosystem.models import Entity, Relation, Source
MODELS = {{"sources": Source, "entities": Entity, "relations": Relation}}
ADAPTERS = {{section: TypeAdapter(list[model]) for section, model in MODELS.items()}}
def validate(sections):
    return {{section: ADAPTERS[section].dump_python(ADAPTERS[section].validate_python(items), mode="json",
            by_alias=True, exclude_none=True, exclude_defaults=True) for section, items in sections.items()}}
"""

SNIPPETS = {
    "PyYAML CSafeLoader + pydantic": """
import yaml
texts = [open(f, encoding="utf-8").read() for f in files]
gc.disable()
t = time.perf_counter(); cpu0 = time.process_time()
sections = {}
for text in texts:
    for section, items in yaml.load(text, Loader=yaml.CSafeLoader).items():
        sections.setdefault(section, []).extend(items)
validated = validate(sections)
done(time.perf_counter() - t, records=sum(map(len, validated.values())))
""",
    "orjson + pydantic": """
import orjson
blobs = [open(f, "rb").read() for f in files]
gc.disable()
t = time.perf_counter(); cpu0 = time.process_time()
sections = {}
plural = {"source": "sources", "entity": "entities", "relation": "relations"}
for blob in blobs:
    for line in blob.splitlines():
        if line.strip():
            item = orjson.loads(line)
            sections.setdefault(plural[item.pop("record")], []).append(item)
validated = validate(sections)
done(time.perf_counter() - t, records=sum(map(len, validated.values())))
""",
    "read_dataset": """
from ecosystem.loader import read_dataset
t = time.perf_counter(); cpu0 = time.process_time(); dataset = read_dataset(folder)
done(time.perf_counter() - t, records=len(dataset.entities) + len(dataset.relations) + len(dataset.sources))
""",
    "open_index": """
import shutil, tempfile
cache = tempfile.mkdtemp(prefix="ecosystem-bench-cache-")
os.environ["ECOSYSTEM_CACHE_DIR"] = cache
from ecosystem.index import open_index
t = time.perf_counter(); cpu0 = time.process_time(); dataset = open_index(folder).dataset()
done(time.perf_counter() - t, records=len(dataset.entities) + len(dataset.relations) + len(dataset.sources))
shutil.rmtree(cache)
""",
}


def measure(name: str, directory: Path, runs: int) -> dict:
    code = _PRELUDE.format(root=str(ROOT), directory=str(directory)) + SNIPPETS[name]
    results = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"{name} failed:\n{proc.stderr}")
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {"seconds": statistics.median(r["seconds"] for r in results),
            "cpu": statistics.median(r["cpu"] for r in results),
            "rss_mb": max(r["rss_mb"] for r in results), "records": results[0]["records"]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="First load against parse + validation (see the module docstring).")
    parser.add_argument("--n", type=int, default=10_000, help="entities (relations: 3N); default 10,000")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median); default 3")
    parser.add_argument("--files", type=int, default=1, help="entity and relation files each (default 1)")
    parser.add_argument("--dir", type=Path, help="keep the generated datasets here (reused if present)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import write_dataset

    with tempfile.TemporaryDirectory(prefix="ecosystem-bench-") as scratch:
        base = args.dir or Path(scratch)
        yaml_dir, lines_dir = base / f"yaml-{args.n}-{args.files}", base / f"jsonl-{args.n}-{args.files}"
        for directory, fmt in ((yaml_dir, "yaml"), (lines_dir, "jsonl")):
            if not directory.is_dir():
                write_dataset(directory, args.n, fmt=fmt, files=args.files)
        size = sum(f.stat().st_size for f in yaml_dir.iterdir()) / 1e6
        print(f"N = {args.n:,} entities, {3 * args.n:,} relations; YAML {size:.1f} MB; runs = {args.runs}")
        results = {}
        # interleaved, baseline first, so that a change in the machine's load touches both alike
        for label, name, directory in (("YAML baseline", "PyYAML CSafeLoader + pydantic", yaml_dir),
                                       ("YAML first load", "read_dataset", yaml_dir),
                                       ("YAML with index", "open_index", yaml_dir),
                                       ("JSONL baseline", "orjson + pydantic", lines_dir),
                                       ("JSONL first load", "read_dataset", lines_dir)):
            results[label] = result = measure(name, directory, args.runs)
            print(f"  {label:17s} {name:31s} {result['seconds']:7.2f} s wall {result['cpu']:7.2f} s CPU  "
                  f"peak RSS {result['rss_mb']:5.0f} MB  ({result['records']:,} records)")

    print("ratios (same run; CPU time is the steadier figure on a busy machine):")
    for label, first, base, target in (
            ("YAML", "YAML first load", "YAML baseline", "target <= 1.3x"),
            ("YAML", "YAML with index", "YAML baseline", "the index written too: reported"),
            ("JSONL", "JSONL first load", "JSONL baseline", "reported")):
        first, base = results[first], results[base]
        print(f"  {label:5s} {'first load + index' if 'index' in target else 'first load':18s} / (parser + pydantic)"
              f"  wall {first['seconds'] / base['seconds']:5.2f}x  CPU {first['cpu'] / base['cpu']:5.2f}x  ({target})")


if __name__ == "__main__":
    main()
