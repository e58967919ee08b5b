"""BODS import speed and memory on a synthetic JSON-lines register.

    python benchmarks/bench_import_bods.py [--statements 200000] [--runs 3]

Writes a synthetic BODS 0.4 register as JSON lines (companies, people, relationships with share
bands and exact shares, some records restated and closed), then measures, interleaved in one run:

* baseline: orjson parsing every line of the same file (``orjson.loads`` per line, results dropped);
* ours: ``ecosystem.importers.bods.convert`` (read, map, keep the records; nothing written);

and reports the ratio of the medians, of the wall time and of the process's CPU time (target: at most 5x). Memory: the peak traced by tracemalloc
while converting, against the size of the records the import keeps (measured the same way), for the
full file and a quarter of it: a streamed import's peak grows with the records kept, not with the file.
With ``--phases``, also the CPU time of each step of the conversion per statement (the importer's own
steps, ``bods._Converter.steps``: reading, entity records, relationship records, ordering), each against
orjson's parse. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PUBLICATION = {"publicationDate": "2024-01-31", "bodsVersion": "0.4", "publisher": {"name": "Synthetic register"}}


def write_register(path: Path, statements: int, seed: int = 11) -> None:
    """About ``statements`` BODS statements: a third entities and people, the rest relationships."""
    rng = random.Random(seed)
    companies = max(statements // 6, 2)
    people = max(statements // 6, 1)
    written = 0
    with path.open("w", encoding="utf-8") as stream:
        def put(statement):
            nonlocal written
            stream.write(json.dumps(statement, separators=(",", ":")) + "\n")
            written += 1

        for number in range(companies):
            put({"statementId": f"s-c{number}", "statementDate": "2020-01-15", "recordId": f"GB-COH-{number:08d}",
                 "recordType": "entity", "recordStatus": "new", "publicationDetails": PUBLICATION,
                 "recordDetails": {"isComponent": False, "entityType": {"type": "registeredEntity"},
                                   "name": f"Synthetic Company {number} Ltd",
                                   "identifiers": [{"scheme": "GB-COH", "id": f"{number:08d}"}],
                                   "jurisdiction": {"name": "United Kingdom", "code": "GB"},
                                   "foundingDate": f"{1990 + number % 30}-0{1 + number % 9}-1{number % 10}"}})
        for number in range(people):
            put({"statementId": f"s-p{number}", "statementDate": "2020-01-15", "recordId": f"person-{number}",
                 "recordType": "person", "recordStatus": "new", "publicationDetails": PUBLICATION,
                 "recordDetails": {"isComponent": False, "personType": "knownPerson",
                                   "names": [{"type": "individual", "fullName": f"Person {number} Example"}],
                                   "birthDate": f"{1950 + number % 50}-0{1 + number % 9}"}})
        number = 0
        while written < statements:
            subject = f"GB-COH-{rng.randrange(companies):08d}"
            party = f"person-{rng.randrange(people)}" if rng.random() < 0.7 else f"GB-COH-{rng.randrange(companies):08d}"
            if party == subject:
                continue
            band = rng.choice([{"minimum": 25, "maximum": 50, "exclusiveMaximum": False},
                               {"exclusiveMinimum": 50, "maximum": 75}, {"minimum": 75, "maximum": 100},
                               {"exact": round(rng.uniform(1, 40), 2)}])
            interests = [{"type": "shareholding", "directOrIndirect": "direct", "beneficialOwnershipOrControl": True,
                          "share": band, "startDate": f"{2016 + number % 5}-04-06"},
                         {"type": "votingRights", "directOrIndirect": "direct", "beneficialOwnershipOrControl": True,
                          "share": band, "startDate": f"{2016 + number % 5}-04-06"}]
            if number % 7 == 0:
                interests.append({"type": "appointmentOfBoard", "directOrIndirect": "direct",
                                  "beneficialOwnershipOrControl": True, "startDate": "2017-01-01"})
            record = f"rel-{number}"
            put({"statementId": f"s-r{number}", "statementDate": "2021-03-01", "recordId": record,
                 "recordType": "relationship", "recordStatus": "new", "publicationDetails": PUBLICATION,
                 "recordDetails": {"isComponent": False, "subject": subject, "interestedParty": party,
                                   "interests": interests}})
            if number % 10 == 0 and written < statements:  # restated, then sometimes closed
                put({"statementId": f"s-r{number}-u", "statementDate": "2022-06-01", "recordId": record,
                     "recordType": "relationship", "recordStatus": "closed" if number % 20 == 0 else "updated",
                     "publicationDetails": PUBLICATION,
                     "recordDetails": {"isComponent": False, "subject": subject, "interestedParty": party,
                                       "interests": [dict(i, endDate="2022-05-31") if number % 20 == 0 else i
                                                     for i in interests]}})
            number += 1


def parse_with_orjson(path: Path) -> int:
    import orjson

    count = 0
    loads = orjson.loads
    with path.open("rb") as stream:
        for line in stream:
            loads(line)
            count += 1
    return count


def convert(path: Path):
    from ecosystem.importers.bods import convert as run

    return run(path)


def phases(path: Path) -> None:
    """CPU seconds of each step of ``convert``: the importer's own steps (``bods._Converter.steps``), run
    one by one in their order."""
    from ecosystem.importers import bods

    vocabulary = bods._bundled_vocabulary()
    gc.collect()
    clock = time.process_time
    start = clock()
    parse_with_orjson(path)
    steps = {"orjson's parse": clock() - start}
    converter = bods._Converter(path, vocabulary)
    for label, step in converter.steps():
        start = clock()
        step()
        steps[label + (" (the parse included)" if label == "reading" else "")] = clock() - start
    count = converter.result.statements
    base = steps["orjson's parse"]
    for label, seconds in steps.items():
        print(f"  {label:30} {seconds:6.2f} s CPU  {seconds / count * 1e6:5.1f} us a statement  {seconds / base:4.1f}x the parse")
    total = sum(seconds for label, seconds in steps.items() if label != "orjson's parse")
    print(f"  {'conversion':30} {total:6.2f} s CPU  {total / count * 1e6:5.1f} us a statement  {total / base:4.1f}x the parse")


def timed(function, *args):
    """(wall seconds, CPU seconds of this process, result): on a shared machine the CPU time is what the
    work took, the wall time also what other processes took from it."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return time.perf_counter() - start, time.process_time() - cpu, result


def traced_peak(path: Path) -> tuple[int, int, int]:
    """(peak while converting, bytes of the records kept, records) as tracemalloc sees them."""
    gc.collect()
    tracemalloc.start()
    records, _ = convert(path)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, current, len(records)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--phases", action="store_true", help="also time each phase of the conversion")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        full = Path(folder) / "register.jsonl"
        quarter = Path(folder) / "quarter.jsonl"
        write_register(full, arguments.statements)
        write_register(quarter, arguments.statements // 4)
        size = full.stat().st_size
        print(f"synthetic register: {arguments.statements:,} statements, {size / 1e6:.1f} MB")
        timed(convert, quarter)  # warm up: imports, vocabulary
        baseline, ours = [], []
        for _ in range(arguments.runs):
            baseline.append(timed(parse_with_orjson, full)[:2])
            seconds, cpu, (records, result) = timed(convert, full)
            ours.append((seconds, cpu))
        base, mine = (statistics.median(t[0] for t in baseline), statistics.median(t[0] for t in ours))
        base_cpu, mine_cpu = (statistics.median(t[1] for t in baseline), statistics.median(t[1] for t in ours))
        print(f"orjson parse of every line: {base:.2f} s wall, {base_cpu:.2f} s CPU (median of {arguments.runs})")
        print(f"import (convert):           {mine:.2f} s wall, {mine_cpu:.2f} s CPU  -> {result.summary()}")
        print(f"ratio: {mine / base:.2f}x wall, {mine_cpu / base_cpu:.2f}x CPU (target: at most 5x)")
        for label, path in (("quarter", quarter), ("full", full)):
            peak, kept, count = traced_peak(path)
            print(f"memory, {label} file ({path.stat().st_size / 1e6:.1f} MB): peak {peak / 1e6:.0f} MB, "
                  f"records kept {kept / 1e6:.0f} MB ({count:,} records): peak/kept {peak / kept:.2f}")
        if arguments.phases:
            print("phases (CPU; the garbage collector paused, as convert pauses it):")
            from ecosystem.collector import paused

            with paused():
                phases(full)


if __name__ == "__main__":
    main()
