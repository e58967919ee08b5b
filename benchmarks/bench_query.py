"""A query's wall time against the bare import time of the CLI's own dependencies.

    python benchmarks/bench_query.py             # 7 runs each, medians
    python benchmarks/bench_query.py --runs 15

Baseline: a fresh interpreter that only imports typer, rich, networkx, pydantic and yaml (what
the CLI cannot start without). Measured: ``python cli.py show alibaba_group_holding --json`` on the
bundled data with a warm cache (one untimed run first fills it). Both are whole processes,
start-up included; the target is a ratio of at most 1.3.

Both run with compiled bytecode kept (in a temporary PYTHONPYCACHEPREFIX), as an installed
package has it, even when PYTHONDONTWRITEBYTECODE is set in the environment; ``--no-bytecode``
keeps the environment's setting (then every run compiles our modules from source: ~25 ms more).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "import typer, rich, rich.console, networkx, pydantic, yaml"


def _time(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
    return time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Query time vs dependency import time (see the docstring).")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--entity", default="alibaba_group_holding")
    parser.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="ecosystem-cache-") as cache:
        env = dict(os.environ, ECOSYSTEM_CACHE_DIR=cache)
        env.pop("ECOSYSTEM_DATA", None)
        if not args.no_bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = os.path.join(cache, "pycache")
        query = [sys.executable, "cli.py", "show", args.entity, "--json"]
        baseline = [sys.executable, "-c", BASELINE]
        _time(query, env)  # fills the cache
        _time(baseline, env)  # warms the file system cache
        imports, queries = [], []
        for _ in range(args.runs):  # interleaved, so a burst of other work hits both alike
            imports.append(_time(baseline, env))
            queries.append(_time(query, env))
    bare, full = statistics.median(imports), statistics.median(queries)
    print(f"bare import of typer, rich, networkx, pydantic, yaml: {bare * 1000:6.0f} ms (median of {args.runs})")
    print(f"`cli.py show {args.entity} --json`, warm cache:   {full * 1000:6.0f} ms (median of {args.runs})")
    print(f"ratio: {full / bare:.2f}x (target <= 1.3x); bytecode {'as the environment has it' if args.no_bytecode else 'cached'}")


if __name__ == "__main__":
    main()
