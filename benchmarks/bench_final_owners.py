"""Benchmark: the final owners of every entity at once, against one control analysis and the per-entity loop.

    python benchmarks/bench_final_owners.py --n 100000
    flock /work/wt/big.lock python benchmarks/bench_final_owners.py --n 300000     # the big-run lock

For each N, in a fresh process: the synthetic graph of ``bench_spark.py`` (``benchmarks/synthetic.py``:
N entities, 3N relations), then at one date, one after the other:

* baseline: the embedded engine's records of every entity (``analysis.networkx_records``: one control
  analysis, then the control fields of every record);
* ``economic.final_owners_all`` on a control analysis of the same date (the analysis itself is not
  counted: the records have one), then its two fields built for every entity (with the collector
  paused, as a writer of millions of records runs);
* the per-entity loop: ``economic_interest`` for ``--sample`` entities drawn at random (all with
  ``--sample 0``), its time per entity times N; the sample's fields are checked equal to the
  all-at-once ones.

Prints the time of each and its ratio to the baseline, and the memory each step adds to the process
(its peak resident memory, reset before the step through ``/proc/self/clear_refs``, minus what the
process held before it). Give ``uptime`` with the figures: the machine may be shared. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DATE = "2023"


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Step:
    """Time and added memory (MB) of one step: peak resident memory during it minus resident before."""

    def __init__(self):
        try:
            Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current resident size
        except OSError:
            pass
        self.before = _status("VmRSS")
        self.started = time.perf_counter()

    def done(self) -> dict:
        seconds = time.perf_counter() - self.started
        return {"seconds": round(seconds, 3), "added_peak_mb": round(_status("VmHWM") - self.before, 1),
                "kept_mb": round(_status("VmRSS") - self.before, 1)}


def child(n: int, sample: int) -> dict:
    from bench_spark import build_graph

    from ecosystem import analysis as records_module, control
    from ecosystem.collector import paused
    from ecosystem.control import economic

    graph = build_graph(n)
    result = {"n": n, "entities": graph.number_of_nodes(), "relations": graph.number_of_edges(),
              "graph_mb": round(_status("VmRSS"), 1)}
    step = Step()
    records = records_module.networkx_records(graph, [DATE])
    result["baseline"] = step.done()
    del records
    analysis = control.analyse(graph, DATE)
    step = Step()
    every = economic.final_owners_all(analysis)
    result["all_at_once"] = step.done()
    step = Step()
    with paused():
        fields = {node: every[node] for node in graph}
    result["fields"] = step.done()
    result["fields"]["entries"] = sum(len(owners) for owners, _ in fields.values())
    result["fields"]["with_owners"] = sum(bool(owners) for owners, _ in fields.values())
    result["fields"]["closed"] = sum(bool(closed) for _, closed in fields.values())
    nodes = sorted(graph)
    chosen = nodes if not sample or sample >= len(nodes) else random.Random(5).sample(nodes, sample)
    step = Step()
    for node in chosen:
        found = economic.economic_interest(analysis, node)
        owners = [{"id": h["id"], "low": h["interest"]["low"], "high": h["interest"]["high"]}
                  for h in found["holders"] if h["final"]]
        if (owners, found["closed_cycle"] or []) != fields[node]:
            raise SystemExit(f"{node}: the all-at-once fields differ from economic_interest's")
    loop = step.done()
    loop["entities"] = len(chosen)
    loop["seconds_for_all"] = round(loop["seconds"] * len(nodes) / len(chosen), 1)
    result["per_entity"] = loop
    base = result["baseline"]["seconds"]
    result["ratios"] = {
        "all_at_once / baseline": round(result["all_at_once"]["seconds"] / base, 3),
        "all_at_once + fields / baseline": round((result["all_at_once"]["seconds"] + result["fields"]["seconds"]) / base, 3),
        "per_entity (all, estimated) / baseline": round(loop["seconds_for_all"] / base, 2),
        "per_entity (all, estimated) / (all_at_once + fields)": round(
            loop["seconds_for_all"] / (result["all_at_once"]["seconds"] + result["fields"]["seconds"]), 1)}
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="entities (again for more sizes)")
    parser.add_argument("--sample", type=int, default=2000, help="entities for the per-entity loop (0: all)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per size")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = args.n or [100_000]
    if args.child:
        print(json.dumps(child(sizes[0], args.sample)), flush=True)
        return
    for n in sizes:
        print(f"N={n:,}: load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        command = [sys.executable, __file__, "--child", "--n", str(n), "--sample", str(args.sample)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"N={n:,}: timed out after {args.timeout:.0f} s", flush=True)
            continue
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode or not lines:
            print(f"N={n:,}: failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}", flush=True)
            continue
        found = json.loads(lines[-1])
        print(f"N={n:,}: " + json.dumps(found, indent=1), flush=True)
        print(f"N={n:,}: load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
