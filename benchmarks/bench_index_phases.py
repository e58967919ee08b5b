"""Where an index build's time goes: CPU seconds per phase, against the floor, in one run.

    python benchmarks/bench_index_phases.py /tmp/bench-100k            # a folder of JSON lines
    python -m benchmarks.synthetic /tmp/bench-100k --n 100000 --fmt jsonl --files 4   # to make one

Measures, in one process (the collector paused, as the loader runs), the CPU time of
``read_dataset`` (read, validate, cross-check) and of writing the index into a temporary file,
each SQL statement of the write on its own line (rows handed to SQLite, the indexes, the
statistics); the rest of the write is the Python that prepares the rows (names, pinyin, folding,
JSON). The floor is the one of ``bench_index.py`` (orjson + pydantic validating the same records),
run in a fresh interpreter, in CPU seconds too: CPU time is what other work on a shared machine
moves least. Not a test.
"""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class _Timed:
    """A connection whose statements print their CPU time."""

    def __init__(self, connection: sqlite3.Connection, times: list):
        self._connection, self._times = connection, times

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def __enter__(self):
        return self._connection.__enter__()

    def __exit__(self, *exc):
        return self._connection.__exit__(*exc)

    def _timed(self, method, sql, *args):
        started = time.process_time()
        result = getattr(self._connection, method)(sql, *args)
        self._times.append((time.process_time() - started, " ".join(sql.split())[:60]))
        return result

    def execute(self, sql, *args):
        return self._timed("execute", sql, *args)

    def executemany(self, sql, rows):
        return self._timed("executemany", sql, rows)

    def executescript(self, sql):
        return self._timed("executescript", sql)


def main(argv=None) -> None:
    from benchmarks.bench_index import _FLOOR

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    floor_code = _FLOOR.replace("perf_counter", "process_time")
    floor = float(subprocess.run([sys.executable, "-c", floor_code, str(args.folder)], check=True,
                                 capture_output=True, text=True, cwd=ROOT).stdout)

    from ecosystem import index
    from ecosystem.loader import read_dataset
    from ecosystem.query import pinyin

    pinyin("蚂蚁")  # pypinyin's dictionaries load once, before anything is timed
    started = time.process_time()
    dataset = read_dataset(args.folder)
    read = time.process_time() - started
    times: list[tuple[float, str]] = []
    with tempfile.TemporaryDirectory(prefix="ecosystem-phases-") as scratch:
        connection = sqlite3.connect(os.path.join(scratch, "index.sqlite"))
        connection.execute("PRAGMA journal_mode = OFF")  # as the index build sets them
        connection.execute("PRAGMA synchronous = OFF")
        gc.disable()
        started = time.process_time()
        index._write(_Timed(connection, times), "", dataset, None)
        write = time.process_time() - started
        gc.enable()
        connection.close()
    sql = sum(seconds for seconds, _ in times)
    print(f"{len(dataset.entities):,} entities, {len(dataset.relations):,} relations; CPU seconds")
    print(f"floor (orjson + pydantic)            {floor:7.2f}")
    print(f"read_dataset                         {read:7.2f}  {read / floor:5.2f}x the floor")
    print(f"write the index                      {write:7.2f}  {write / floor:5.2f}x")
    for seconds, statement in times:
        if seconds >= 0.01:
            print(f"  {seconds:7.2f}  {statement}")
    print(f"  SQLite statements {sql:7.2f} ({sql / floor:.2f}x); the Python preparing rows {write - sql:7.2f} "
          f"({(write - sql) / floor:.2f}x)")
    print(f"read + write                         {read + write:7.2f}  {(read + write) / floor:5.2f}x the floor")


if __name__ == "__main__":
    main()
