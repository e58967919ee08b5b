"""How long a command takes to end after it has printed: interpreter teardown vs leaving at once.

A process holding a large graph spends seconds freeing it object by object at exit; the console
script (``ecosystem.cli.main``) flushes its output and leaves with ``os._exit`` instead. Both runs load
the same synthetic dataset (N entities, 3N relations) and print the same answer; the figure is the
time from the last line printed to the end of the process, and their ratio.

    python -m benchmarks.bench_exit --n 100000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SNIPPET = """
import sys, time
from ecosystem.api import Ecosystem
eco = Ecosystem(sys.argv[1], use_cache=False)
eco.stats()
print(time.monotonic(), flush=True)
if sys.argv[2] == "leave":
    from ecosystem.cli import leave
    leave(0)
"""


def time_to_exit(data: Path, mode: str) -> float:
    process = subprocess.run([sys.executable, "-c", SNIPPET, str(data), mode], capture_output=True, text=True,
                             check=True)
    ended = time.monotonic()
    printed = float(process.stdout.strip().splitlines()[-1])
    return ended - printed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="entities (relations: 3N)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from benchmarks.synthetic import write_dataset

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        write_dataset(data, args.n, fmt="json")
        teardown = min(time_to_exit(data, "teardown") for _ in range(args.repeat))
        leave = min(time_to_exit(data, "leave") for _ in range(args.repeat))
    print(f"N={args.n:,}: after printing, teardown {teardown:.3f} s, leaving at once {leave:.3f} s "
          f"(ratio {leave / teardown:.3f})")


if __name__ == "__main__":
    main()
