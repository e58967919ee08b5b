"""Where an index build's time goes: CPU seconds per phase, against the floor, in one run.

    python benchmarks/bench_index_phases.py /tmp/bench-100k            # a folder of JSON lines
    python -m benchmarks.synthetic /tmp/bench-100k --n 100000 --fmt jsonl --files 4   # to make one

Measures, in one process (the collector paused, as the loader runs), the CPU time of
``read_dataset`` (read, validate, cross-check) and of writing the index into a temporary file,
each SQL statement of the write on its own line (rows handed to SQLite, the indexes, the
statistics); the rest of the write is the Python that prepares the rows (names, pinyin, folding,
JSON). A second write leaves out the full-text part (pinyin, the texts of the ``search`` table, the
``search`` and ``cjk_bigrams`` rows): what the first load would cost if that part were written
elsewhere, later (e.g. on the first search). The floor is the one of ``bench_index.py`` (orjson +
pydantic validating the same records), run in a fresh interpreter before and after, the lower
kept, in CPU seconds too: CPU time is what other work on a shared machine moves least, though
under a load above the number of cores it grows too. Not a test.
"""

from __future__ import annotations

import argparse
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

    def __init__(self, connection: sqlite3.Connection, times: list, skip: tuple = ()):
        self._connection, self._times, self._skip = connection, times, skip

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
        if self._skip and any(table in sql for table in self._skip):
            return None
        return self._timed("executemany", sql, rows)

    def executescript(self, sql):
        return self._timed("executescript", sql)


def main(argv=None) -> None:
    from benchmarks.bench_index import _FLOOR

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    floor_code = _FLOOR.replace("perf_counter", "process_time")

    def measure_floor() -> float:
        return float(subprocess.run([sys.executable, "-c", floor_code, str(args.folder)], check=True,
                                    capture_output=True, text=True, cwd=ROOT).stdout)

    floors = [measure_floor()]

    from ecosystem import index, query
    from ecosystem.loader import read_dataset

    query.pinyin("蚂蚁")  # pypinyin's dictionaries load once, before anything is timed
    started = time.process_time()
    dataset = read_dataset(args.folder)
    read = time.process_time() - started

    def write(times: list, full_text: bool = True) -> float:
        kept = query.pinyin, query.texts_of
        if not full_text:
            query.pinyin, query.texts_of = (lambda text: ""), (lambda record: [])
        try:
            with tempfile.TemporaryDirectory(prefix="ecosystem-phases-") as scratch:
                connection = sqlite3.connect(os.path.join(scratch, "index.sqlite"))
                connection.execute("PRAGMA journal_mode = OFF")  # as the index build sets them
                connection.execute("PRAGMA synchronous = OFF")
                started = time.process_time()  # the write pauses the collector itself (collector.paused)
                skip = () if full_text else ("INTO search ", "INTO cjk_bigrams ")
                index._write(_Timed(connection, times, skip), "", dataset, None)
                spent = time.process_time() - started
                connection.close()
        finally:
            query.pinyin, query.texts_of = kept
        return spent

    times: list[tuple[float, str]] = []
    written = write(times)
    without = write([], full_text=False)
    floors.append(measure_floor())
    floor = min(floors)
    sql = sum(seconds for seconds, _ in times)
    print(f"{len(dataset.entities):,} entities, {len(dataset.relations):,} relations; CPU seconds; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"floor (orjson + pydantic)            {floor:7.2f}  (runs: {', '.join(f'{f:.2f}' for f in floors)})")
    print(f"read_dataset                         {read:7.2f}  {read / floor:5.2f}x the floor")
    print(f"write the index                      {written:7.2f}  {written / floor:5.2f}x")
    for seconds, statement in times:
        if seconds >= 0.01:
            print(f"  {seconds:7.2f}  {statement}")
    print(f"  SQLite statements {sql:7.2f} ({sql / floor:.2f}x); the Python preparing rows {written - sql:7.2f} "
          f"({(written - sql) / floor:.2f}x)")
    print(f"  without the full-text part         {without:7.2f}  {without / floor:5.2f}x "
          f"(the full-text part: {(written - without) / floor:.2f}x)")
    print(f"read + write                         {read + written:7.2f}  {(read + written) / floor:5.2f}x the floor "
          f"({(read + without) / floor:.2f}x without the full-text part)")


if __name__ == "__main__":
    main()
