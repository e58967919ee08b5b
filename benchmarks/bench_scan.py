"""The YAML 1.1/1.2 safety scan (`_yaml.safe_for_fast`) against its first version, on big files.

    python benchmarks/bench_scan.py                       # /tmp/bench/yaml-100000-1, 5 runs each, medians
    python benchmarks/bench_scan.py --dir /tmp/syn --runs 9

The first version is the frozen reference kept in ``tests/test_yaml_scan_equivalence.py``. Each
file is read once; the two scans then run alternately on the same text (so a burst of other work
on the machine hits both alike), and must give the same answer. A missing directory is filled
with ``benchmarks.synthetic.write_dataset(dir, 100_000)`` first (a minute or so).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # (a `tests` package elsewhere may shadow ours)
from benchmarks.synthetic import write_dataset  # noqa: E402
from ecosystem._yaml import safe_for_fast  # noqa: E402
from test_yaml_scan_equivalence import _reference_safe_for_fast  # noqa: E402

FILES = ("relations.yaml", "entities.yaml")


def _time(scan, text: str) -> tuple[float, bool]:
    start = time.perf_counter()
    result = scan(text)
    return time.perf_counter() - start, result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="safe_for_fast against its first version (see the docstring).")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench/yaml-100000-1"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    if not all((args.dir / name).exists() for name in FILES):
        write_dataset(args.dir, 100_000)

    for name in FILES:
        text = (args.dir / name).read_text(encoding="utf-8")
        before, after = [], []
        for _ in range(args.runs):
            seconds, old = _time(_reference_safe_for_fast, text)
            before.append(seconds)
            seconds, new = _time(safe_for_fast, text)
            after.append(seconds)
            if new != old:
                raise SystemExit(f"{name}: the scans disagree (first version {old}, now {new})")
        old_ms, new_ms = statistics.median(before) * 1000, statistics.median(after) * 1000
        print(f"{name:15s} {len(text) / 1e6:5.1f} M chars  first version {old_ms:6.0f} ms  now {new_ms:6.0f} ms  "
              f"{old_ms / new_ms:4.2f}x faster  (medians of {args.runs}; both say {'safe' if new else 'not safe'})")


if __name__ == "__main__":
    main()
