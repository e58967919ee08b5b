"""The fast first load: plainly valid datasets read in pieces, on two cores when there are two.

`load` gives the same :class:`~ecosystem.loader.Dataset` the loader's reader gives (same records,
same order, same locations), or None as soon as anything is not plainly valid or not of a shape it
knows: the loader then reads the data the usual way, which finds, locates and explains every
problem. So this module never reports a problem; it only has to be sure there is none.

How:

* Each record file is cut into pieces of whole records. A YAML file laid out as top-level
  ``entities:`` / ``relations:`` / ``sources:`` keys over block sequences (``- ...`` items at one
  indentation) is cut before item lines; a JSON-lines file at line ends; an indented JSON file
  before record lines (see _json_pieces); any other layout is one piece. A YAML piece is read by
  the C reader of the plain subset of YAML most record files are written in (``parse_items`` in
  ecosystem/_speedups.c: what PyYAML gives, or nothing); a piece outside that subset is parsed on
  its own as ``<section>:`` followed by its items, and accepted only when it passes the YAML
  1.1/1.2 scan and yaml-rs parses it. Either way it must give one list holding as many records as
  it has item lines. A cut that fell inside a quoted scalar or flow collection would leave a piece
  that does not parse, so an accepted piece holds exactly the records the whole file holds there.
* Each piece is checked where it is parsed: record shapes (the loader's ``_fast_*`` checks),
  types known to the vocabulary, dates in order, shares only where the type carries them, no
  relation from an entity to itself, no id used twice. What needs the whole dataset (ids unique
  across pieces, references to entities and sources, endpoint types, names shared by two
  entities, equity past 100%) is summarised per piece as sets and small tables, and checked once
  with set operations when the pieces are put together.
* With two cores, a forked process reads the later pieces (about 60% of the records) in batches,
  leaving each batch's marshalled records and summaries in a folder and saying so through a
  pipe, while this process reads the first pieces and then takes the batches in order. The
  records files are those the cache keeps: when the load is cached, the folder is the cache
  entry being made, so the records are marshalled once.

Where the time goes (N = 100,000, benchmarks/README.md): the parse and the checks (both in C
when the extension is built), the Python objects they make and free, marshalling the records for
the cache, handing the second process's records over, and putting the dataset together.
"""

from __future__ import annotations

import json
import marshal
import os
import re
import shutil
import sys
import tempfile
import threading
from collections import defaultdict
from pathlib import Path

from . import _yaml
from . import loader as _loader

enabled = True  # tests turn it off to compare with the reader
parallel = True  # tests turn the second process off
PIECE_BYTES = 2_000_000  # records per piece: about this many bytes
PARALLEL_MIN_BYTES = 4_000_000  # below this a second process costs more than it saves
SHARE_HERE = 0.40  # of the records, read in this process (it also puts the pieces together)
BATCH = 4  # pieces the second process hands over at a time

_SECTIONS = ("sources", "entities", "relations")
_BOM = "\ufeff".encode()
# on the bytes of a file; a pattern that starts with a newline looks for the line after it
_COLUMN_0 = re.compile(rb"\n(?:[^ \t#\r\n-]|-[^ \t\r\n])")  # not a comment, a blank or a `- ` item
_KEY_LINE = re.compile(rb"(sources|entities|relations):[ \t]*(?:#[^\r\n]*)?\r?(?=\n|\Z)")  # at a line's start
_FIRST_ITEM = re.compile(rb"\n( *)-[ \t]")
_BLANK_OR_COMMENTS = re.compile(rb"(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*[ \t]*(?:#[^\r\n]*)?")
_JSON_KEY = re.compile(rb'\n([ \t]*)"(sources|entities|relations)"[ \t]*:[ \t]*\[[ \t]*(?=\r?\n)')
_JSON_FIRST_ITEM = re.compile(rb"\n([ \t]*)\{")
# markers of pieces that are not YAML: a whole JSON document, a piece of a JSON-lines file (a piece
# of a JSON record list has a tuple, see _json_pieces)
_JSON = b"json"
_JSON_LINES = b"jsonl"
try:  # pragma: no cover - depends on the environment
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover
    _orjson_loads = None


def load(data_dir: Path, contents: dict[Path, bytes], vocabulary_file: Path, views_file: Path | None,
         files: list[Path], staging: Path | None = None):
    """(the dataset, the record files it left in ``staging``), or None when the usual reader must
    read it (see the module docstring).

    ``staging`` is the empty folder of a cache entry being made, or None: with one, the records
    are left there as the cache keeps them, in order (files of marshalled [(section, records)]);
    the second process hands its pieces over through files there too (else in a temporary folder).
    """
    if not (enabled and files and (_yaml.fast_available() or _parse_items is not None) and _loader._Reader.fast_validate):
        return None
    if any(file.suffix.lower() not in _READ_AS for file in files):
        return None
    reader = _loader._Reader(data_dir, contents)
    vocabulary = reader._read_vocabulary(vocabulary_file)
    views = reader._read_views(views_file) if views_file else {}
    if reader.problems:
        return None
    datas = [contents[file] for file in files]
    jobs = [job for index, (file, data) in enumerate(zip(files, datas))
            for job in _READ_AS[file.suffix.lower()](index, data)]
    assembly = _Assembly(reader, data_dir, files, vocabulary, views)
    dataset = parts = None
    try:
        folder = staging if staging is not None else Path(tempfile.mkdtemp(prefix="ecosystem-load-"))
    except OSError:  # no temporary folder to be had: the reader reads it all
        return None
    try:
        parts = _run(jobs, datas, _Rules(vocabulary), assembly, folder, staging is not None)
        dataset = assembly.finish() if parts is not None else None
    except OSError:  # a folder that cannot be written (a full disk): declined, the reader reads it all
        dataset = None
    finally:
        if staging is None:
            shutil.rmtree(folder, ignore_errors=True)
        elif dataset is None:  # declined: leave the cache entry's folder empty for the reader's records
            for leftover in staging.iterdir():
                leftover.unlink(missing_ok=True)
    return None if dataset is None else (dataset, parts)


# ---------------------------------------------------------------------------------------------
# cutting files into pieces


def _pieces(index: int, data: bytes) -> list[tuple]:
    """(file index, section or None, start, end, item marker, weight) for each piece of a file.

    A piece with a section is ``data[start:end]``, whole item lines of that section, each of
    which starts after a newline with the marker (the indentation and ``- ``); one with None is
    the whole file, for layouts this does not cut (read as the reader reads a file). The weight
    estimates the piece's records, which the work goes with far more than with its bytes.
    """
    whole = [(index, None, 0, len(data), b"", len(data) / 150)]
    first = len(_BOM) if data.startswith(_BOM) else 0
    # lines at column 0 other than comments, blanks and `- ` items: each must be a section's key
    lines = [match.start() + 1 for match in _COLUMN_0.finditer(data, first)]
    if _COLUMN_0.match(b"\n" + data[first:first + 2]) is not None:
        lines.insert(0, first)  # the first line (no newline before it)
    keys = [_KEY_LINE.match(data, start) for start in lines]
    if not keys or None in keys or _BLANK_OR_COMMENTS.fullmatch(data, first, lines[0]) is None:
        return whole  # another layout, or other text at column 0
    sections = [match.group(1) for match in keys]
    if len(set(sections)) != len(sections):
        return whole
    jobs = []
    for number, match in enumerate(keys):
        body_start, body_end = match.end(), lines[number + 1] - 1 if number + 1 < len(keys) else len(data)
        item = _FIRST_ITEM.search(data, body_start, body_end)
        if item is None:
            if _BLANK_OR_COMMENTS.fullmatch(data, body_start, body_end) is None:
                return whole  # a value on the key's line or something other than items under it
            continue  # `relations:` and nothing under it
        if _BLANK_OR_COMMENTS.fullmatch(data, body_start, item.start()) is None:
            return whole
        marker = b"\n" + item.group(1) + b"- "
        section = match.group(1).decode()
        cut = item.start() + 1  # the first item line
        record_bytes = None  # the average record's size, from the first piece
        while cut < body_end:
            following = data.find(marker, cut + PIECE_BYTES, body_end) + 1 if cut + PIECE_BYTES < body_end else 0
            end = following or body_end
            if record_bytes is None:
                record_bytes = (end - cut) / max(1, data.count(marker, cut - 1, end))
            jobs.append((index, section, cut, end, marker, (end - cut) / record_bytes))
            cut = end
    return jobs


def _json_document(index: int, data: bytes) -> list[tuple]:
    """A JSON file read whole, as one piece (its records weigh more bytes each than YAML's)."""
    return [(index, None, 0, len(data), _JSON, len(data) / 250)]


def _json_pieces(index: int, data: bytes) -> list[tuple]:
    """A JSON file laid out one record list per top-level key, each list opened at the end of its
    key's line and closed on a line of its own, records starting on lines of one indentation (as
    json.dumps(..., indent=n) writes it): pieces of whole records; any other layout: the whole.

    A JSON string holds no line break, so a line is never inside a string. What is left when the
    record lists' contents are taken out must be a JSON object of empty lists, one per key; a
    piece is read as ``[<its records>]`` (the comma after its last record dropped, except for a
    list's last piece, which must have none) and must hold as many records as record lines.
    """
    whole = _json_document(index, data)
    first = len(_BOM) if data.startswith(_BOM) else 0
    top = _JSON_KEY.search(data, first)  # the first key gives the top level's indentation
    if top is None:
        return whole
    at_top = rb"\n(" + re.escape(top.group(1)) + rb")" + _JSON_KEY.pattern[len(rb"\n([ \t]*)"):]
    keys = list(re.compile(at_top).finditer(data, first))
    skeleton, jobs, at = [], [], first
    for key in keys:
        close = re.compile(rb"\n" + re.escape(key.group(1)) + rb"\]").search(data, key.end())
        if close is None or close.start() < at:
            return whole
        skeleton.append(data[at:key.end()])
        at = close.start()
        item = _JSON_FIRST_ITEM.search(data, key.end(), close.start())
        if item is None:
            if data[key.end():close.start()].strip(b" \t\r\n"):
                return whole  # not a list of records on lines of their own
            continue  # an empty list
        if data[key.end():item.start()].strip(b" \t\r\n"):
            return whole
        marker = b"\n" + item.group(1) + b"{"
        cut = item.start() + 1
        while cut < close.start():
            following = data.find(marker, cut + PIECE_BYTES, close.start()) + 1 if cut + PIECE_BYTES < close.start() else 0
            end = following or close.start()
            jobs.append((index, key.group(2).decode(), cut, end, (_JSON, marker, end == close.start()), (end - cut) / 250))
            cut = end
    skeleton.append(data[at:])
    try:
        outline = _parse_json(b"".join(skeleton).decode("utf-8"))
    except UnicodeDecodeError:
        return whole
    if type(outline) is not dict or list(outline) != [key.group(2).decode() for key in keys] \
            or any(value != [] for value in outline.values()):
        return whole  # other keys or values, a key twice, or not JSON
    return jobs


def _json_lines(index: int, data: bytes) -> list[tuple]:
    """A JSON-lines file is cut into pieces of whole lines."""
    jobs, cut = [], 0
    while cut < len(data):
        end = data.find(b"\n", cut + PIECE_BYTES) + 1 if cut + PIECE_BYTES < len(data) else 0
        end = end or len(data)
        jobs.append((index, None, cut, end, _JSON_LINES, (end - cut) / 200))
        cut = end
    return jobs


_READ_AS = {".yaml": _pieces, ".yml": _pieces, ".json": _json_pieces, ".jsonl": _json_lines}


# ---------------------------------------------------------------------------------------------
# reading pieces, here and in a second process


def _run(jobs: list[tuple], datas: list[bytes], rules: "_Rules", assembly: "_Assembly", folder: Path,
         keep_records: bool) -> list[str] | None:
    """Read every piece into ``assembly``; the record files left in ``folder`` (none unless
    ``keep_records``), or None when a piece is not plainly valid.

    With a second process: this one reads the first pieces while the other reads the rest in
    batches, leaving each batch's records and summaries in ``folder`` and saying so through a
    pipe; this one then takes the batches in order as they come. If the other process fails,
    this one reads what it left.
    """
    split = _split(jobs)
    # batches of BATCH pieces, the last three of one: what this process waits for at the end is small
    rest = jobs[split:]
    head = max(0, len(rest) - 3)
    batches = [rest[start:min(start + BATCH, head)] for start in range(0, head, BATCH)] + [[job] for job in rest[head:]]
    # the second process ends with os._exit and frees nothing: it keeps what it parsed rather
    # than spend time freeing it piece by piece
    worker = _Worker(lambda say: _work(batches, datas, rules, folder, say)) if batches else None
    try:
        parts: list[str] = []
        if _read_pieces(jobs[:split], "0", datas, rules, folder, keep_records, assembly.add, parts) is None:
            return None
        for number, batch in enumerate(batches, 1):
            said = worker.next()
            if said == b"-":
                return None
            names = [f"{number}.{piece}.records" for piece in range(len(batch))]
            summary = folder / f"{number}.summary"
            if said == b"+":
                records = [record for name in names for record in marshal.loads((folder / name).read_bytes())]
                for (index, section, summarised), (_, piece) in zip(marshal.loads(summary.read_bytes()), records):
                    assembly.add(index, section, (piece,) + summarised)
                if keep_records:
                    parts.extend(names)
            elif _read_pieces(batch, str(number), datas, rules, folder, keep_records, assembly.add, parts) is None:
                return None  # (the second process failed: its batch was read here)
            summary.unlink(missing_ok=True)
            if not keep_records:
                for name in names:
                    (folder / name).unlink(missing_ok=True)
        return parts
    finally:
        if worker is not None:
            worker.close()


def _split(jobs: list[tuple]) -> int:
    """How many of the first pieces this process reads: all, or its share when there is a second."""
    # fork without exec only where it is safe: Linux (macOS frameworks may not survive it), and no
    # other thread that could hold a lock at the moment of the fork
    if not (parallel and len(jobs) > 1 and _loader._cpu_count() >= 2 and threading.active_count() == 1
            and sys.platform.startswith("linux") and sum(end - start for _, _, start, end, _, _ in jobs) >= PARALLEL_MIN_BYTES):
        return len(jobs)
    total, done = sum(job[-1] for job in jobs), 0.0
    for split, job in enumerate(jobs):
        if done >= total * SHARE_HERE:
            return max(split, 1)
        done += job[-1]
    return len(jobs) - 1  # the second process reads the last piece at least


def _read_pieces(jobs: list[tuple], batch: str, datas: list[bytes], rules: "_Rules", folder: Path, keep_records: bool,
                 take, parts: list[str], keep: list | None = None) -> list | None:
    """Read ``jobs`` one by one, giving each result to ``take``; each piece's records marshalled
    into ``folder`` at once (while they are still in the CPU's caches) when ``keep_records``, the
    files' names added to ``parts``. The results, or None when a piece is not plainly valid."""
    results = []
    for number, job in enumerate(jobs):
        found = _read([job], datas, rules, keep)
        if found is None:
            return None
        for result in found:
            take(*result)
        if keep_records:
            parts.append(_write(folder, f"{batch}.{number}.records", _records(found)))
        results.extend(found)
    return results


def _work(batches: list[list[tuple]], datas: list[bytes], rules: "_Rules", folder: Path, say) -> None:
    """In the second process: read each batch, leave its pieces' records and the batch's summaries
    in ``folder``, and ``say`` b"+" (done) or b"-" (a piece is not plainly valid: stop)."""
    keep: list = []
    for number, batch in enumerate(batches, 1):
        results = _read_pieces(batch, str(number), datas, rules, folder, True, lambda *result: None, [], keep)
        if results is None:
            say(b"-")
            return
        _write(folder, f"{number}.summary", marshal.dumps([(index, section, result[1:]) for index, section, result in results]))
        say(b"+")


def _records(results: list) -> bytes:
    """The records of pieces' results as the cache keeps them: [(section, records)], marshalled."""
    return marshal.dumps([(section, result[0]) for _, section, result in results])


def _write(folder: Path, name: str, data: bytes) -> str:
    with open(folder / name, "wb") as handle:
        handle.write(data)
    return name


class _Worker:
    """A forked process running ``work(say)``; what it says (one byte at a time) comes through a pipe."""

    def __init__(self, work):
        reading, writing = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the child (coverage does not follow it)
            status = 1
            try:
                os.close(reading)
                work(lambda word: os.write(writing, word))
                status = 0
            finally:
                os._exit(status)
        os.close(writing)
        self.reading = reading

    def next(self) -> bytes | None:
        """What the process says next: b"+" or b"-"; None when it ended without saying (failed)."""
        try:
            return os.read(self.reading, 1) or None
        except OSError:  # pragma: no cover - the pipe is gone
            return None

    def close(self) -> None:
        """Stop the process if it is still running (nothing more is wanted from it) and reap it."""
        os.close(self.reading)
        try:
            os.kill(self.pid, 9)
        except OSError:  # pragma: no cover - already gone
            pass
        os.waitpid(self.pid, 0)


class _Rules:
    """What a piece is checked against: the vocabulary's types, read once into plain sets."""

    def __init__(self, vocabulary):
        self.entity_types = frozenset(vocabulary.entity_types)
        self.relation_types = frozenset(vocabulary.relation_types)
        self.with_shares = frozenset(key for key, value in vocabulary.relation_types.items() if value.shares)
        self.counted = frozenset(key for key, value in vocabulary.relation_types.items()
                                 if value.control in ("equity", "none"))


def _read(jobs: list[tuple], datas: list[bytes], rules: _Rules, keep: list | None = None) -> list | None:
    """The results of reading ``jobs`` (None if any is not plainly valid); parsed data is added to
    ``keep`` when given (not freed)."""
    results = []
    for index, section, start, end, marker, _ in jobs:
        if type(marker) is tuple:  # a piece of a JSON document's record list
            found = _read_json_piece(index, section, datas[index], start, end, marker, rules, keep)
            if found is None:
                return None
            results.append(found)
            continue
        if section is not None:  # a piece of a YAML file's record list
            items = _yaml_piece(datas[index], section, start, end, marker, keep)
            if items is None or len(items) != datas[index].count(marker, start - 1, end):
                return None
            result = _READERS[section](items, rules)
            if result is None:
                return None
            results.append((index, section, result))
            continue
        try:
            text = datas[index][start:end].decode("utf-8")
        except UnicodeDecodeError:
            return None
        if start == 0 and text.startswith("\ufeff"):
            text = text[1:]
        if marker == _JSON_LINES:
            if not _read_json_lines(index, text, rules, results, keep):
                return None
            continue
        # a whole file, of a layout not cut into pieces
        data = (_parse_json(text) if marker == _JSON else _yaml.fast_parse(text)) if text.strip() else None
        if keep is not None:
            keep.append(data)
        if type(data) is not dict:
            return None
        for key, items in data.items():
            if key not in _SECTIONS or (items is not None and type(items) is not list):
                return None
            if items:
                result = _READERS[key](items, rules)
                if result is None:
                    return None
                results.append((index, key, result))
    return results


def _yaml_piece(data: bytes, section: str, start: int, end: int, marker: bytes, keep: list | None) -> list | None:
    """The items of a piece of a YAML record list, or None: read by the C reader of the plain
    subset most record files are written in (as PyYAML reads it) when it can, else parsed on its
    own as ``<section>:`` followed by the piece (the 1.1/1.2 scan, then yaml-rs)."""
    items = _parse_items(data, start, end, len(marker) - 3) if _parse_items is not None else None
    if items is None:
        try:
            text = data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            return None
        parsed = _yaml.fast_parse(f"{section}:\n{text}")
        items = parsed.get(section) if type(parsed) is dict and len(parsed) == 1 else None
    if keep is not None:
        keep.append(items)
    return items if type(items) is list else None


def _read_json_piece(index: int, section: str, data: bytes, start: int, end: int, marker: tuple, rules: _Rules,
                     keep: list | None):
    """The result of one piece of a JSON record list (see _json_pieces), or None."""
    _, record_marker, last = marker
    raw = data[start:end].rstrip(b" \t\r\n")  # JSON's own blanks only
    if not last:
        if not raw.endswith(b","):
            return None
        raw = raw[:-1]
    try:
        items = _parse_json("[" + raw.decode("utf-8") + "]")
    except UnicodeDecodeError:
        return None
    if keep is not None:
        keep.append(items)
    if type(items) is not list or len(items) != data.count(record_marker, start - 1, end):
        return None
    result = _READERS[section](items, rules)
    return None if result is None else (index, section, result)


def _read_json_lines(index: int, text: str, rules: _Rules, results: list, keep: list | None) -> bool:
    """Read a piece of a JSON-lines file into ``results`` (False if it is not plainly valid).

    Lines as the reader splits them (str.splitlines); each a JSON object whose ``record`` names its
    section; the records of each section in order.
    """
    items: dict[str, list] = {section: [] for section in _SECTIONS}
    for line in text.splitlines():
        if not line.strip():
            continue
        item = _parse_json(line)
        if type(item) is not dict:
            return False
        kind = item.pop("record", None)
        if type(kind) is not str or kind not in _loader.PLURAL:
            return False
        items[_loader.PLURAL[kind]].append(item)
    if keep is not None:
        keep.append(items)
    for section in _SECTIONS:
        if items[section]:
            result = _READERS[section](items[section], rules)
            if result is None:
                return False
            results.append((index, section, result))
    return True


def _parse_json(text: str):
    """A JSON document as the reader's json.loads reads it, or None (then the reader reads it).

    orjson when installed: it reads exactly RFC 8259 JSON, to the same values; what it refuses
    and json.loads takes (NaN, lone surrogates, huge integers) is declined, not read otherwise.
    """
    try:
        return _orjson_loads(text) if _orjson_loads is not None else json.loads(text)
    except Exception:  # a JSON or recursion error: the reader reports it
        return None


def _first_day(value: str) -> str:
    """The first day of a normalised partial date, as ISO text (which sorts as the days do)."""
    return (value + "-01-01")[:10]


def _read_sources(items: list, rules: _Rules):
    check = _loader._FAST["sources"]
    records = {}
    for item in items:
        record = check(item)
        if record is None:
            return None
        records[record["id"]] = record
    return (records,) if len(records) == len(items) else None


def _read_entities(items: list, rules: _Rules):
    """(records, ids by type, cited sources, jurisdictions, distinct_from ids, folded names, clash)."""
    check, folded_names, entity_types = _loader._FAST["entities"], _loader._folded_names, rules.entity_types
    records: dict[str, dict] = {}
    by_type: dict[str, list] = defaultdict(list)
    cited: set[str] = set()
    jurisdictions: set[str] = set()
    others: set[str] = set()
    names: dict[str, str] = {}
    clash = False
    for item in items:
        record = check(item)
        if record is None:
            return None
        entity_id, kind = record["id"], record["type"]
        if kind not in entity_types:
            return None
        records[entity_id] = record
        by_type[kind].append(entity_id)
        get = record.get
        start = get("start")
        if start is not None:
            end = get("end")
            if end is not None and _first_day(end) < _first_day(start):
                return None
        for citation in record["sources"]:
            cited.add(citation["source"])
        facts = get("facts")
        if facts:
            for fact in facts:
                for citation in fact["sources"]:
                    cited.add(citation["source"])
        jurisdiction = get("jurisdiction")
        if jurisdiction:
            jurisdictions.add(jurisdiction)
        distinct = get("distinct_from")
        if distinct is not None:
            others.update(distinct)
        for name in folded_names(record):  # as the reader's name check
            if names.setdefault(name, entity_id) is not entity_id:
                clash = True
    if len(records) != len(items):
        return None
    return records, dict(by_type), cited, jurisdictions, others, names, clash


def _read_relations(items: list, rules: _Rules):
    """(records, {type: (from ids, to ids)}, laws, cited sources, {target: [certain equity, ids]},
    the ids of stakes in targets whose certain equity here already sums past 100%)."""
    check, relation_types, with_shares, counted = (
        _loader._FAST["relations"], rules.relation_types, rules.with_shares, rules.counted)
    share_low = _loader._share_low
    records: dict[str, dict] = {}
    ends: dict[str, tuple[set, set]] = {}
    laws: set[str] = set()
    cited: set[str] = set()
    equity: dict[str, list] = {}
    for item in items:
        record = check(item)
        if record is None:
            return None
        kind, source, target = record["type"], record["from"], record["to"]
        if kind not in relation_types or source == target:
            return None
        get = record.get
        stake = get("equity")
        if kind not in with_shares and (stake or get("votes")):
            return None
        pair = ends.get(kind)
        if pair is None:
            pair = ends[kind] = (set(), set())
        pair[0].add(source)
        pair[1].add(target)
        law = get("law")
        if law:
            laws.add(law)
        start = get("start")
        if start is not None:
            end = get("end")
            if end is not None and _first_day(end) < _first_day(start):
                return None
        for citation in record["sources"]:
            cited.add(citation["source"])
        relation_id = get("id")
        if relation_id is None:
            relation_id = record["id"] = f"{source}__{kind}__{target}"
        records[relation_id] = record
        if stake is not None and kind in counted:
            held = equity.get(target)
            if held is None:
                equity[target] = [share_low(stake), [relation_id]]
            else:
                held[0] += share_low(stake)
                held[1].append(relation_id)
    if len(records) != len(items):
        return None  # an id used twice (a derived one perhaps: the reader decides what it becomes)
    heavy = [relation_id for low, ids in equity.values() if low > 100.0001 for relation_id in ids]
    return records, ends, laws, cited, equity, heavy


_READERS = {"sources": _read_sources, "entities": _read_entities, "relations": _read_relations}
_parse_items = None if _loader._speedups is None else _loader._speedups.parse_items
if _loader._speedups is not None:  # the same two readers in C (tests/test_speedups.py compares them)
    _READERS_IN_PYTHON = dict(_READERS)
    _READERS["entities"] = lambda items, rules: _loader._speedups.read_entities(
        items, rules.entity_types, _loader._folded_names)
    _READERS["relations"] = lambda items, rules: _loader._speedups.read_relations(
        items, rules.relation_types, rules.with_shares, rules.counted)


# ---------------------------------------------------------------------------------------------
# putting the pieces together


class _Anywhere(dict):
    """Locations for the reader's checks, which ask only when reporting (and a report declines)."""

    def __missing__(self, key):
        return Path("."), ()


class _Assembly:
    """The dataset put together from pieces' results, added in order; checked once all are in."""

    def __init__(self, reader, data_dir: Path, files: list[Path], vocabulary, views: dict):
        self.reader, self.data_dir, self.vocabulary, self.views = reader, data_dir, vocabulary, views
        self.places = [_loader._relative(file, data_dir) for file in files]
        self.sections: dict[str, dict[str, dict]] = {section: {} for section in _SECTIONS}
        self.counts = dict.fromkeys(_SECTIONS, 0)
        self.origins: list[tuple[str, str, int]] = []
        self.by_type: dict[str, set] = defaultdict(set)
        self.cited: set[str] = set()
        self.jurisdictions: set[str] = set()
        self.others: set[str] = set()  # named in distinct_from
        self.names: dict[str, str] = {}
        self.clash = False
        self.ends: dict[str, tuple[set, set]] = {}
        self.laws: set[str] = set()
        self.equity: list[tuple[dict, list]] = []

    def add(self, index: int, section: str, result: tuple) -> None:
        records = result[0]
        self.sections[section].update(records)
        self.counts[section] += len(records)
        self.origins.append((section, self.places[index], len(records)))
        if section == "entities":
            _, types, cited, jurisdictions, others, names, clash = result
            for kind, ids in types.items():
                self.by_type[kind].update(ids)
            self.cited |= cited
            self.jurisdictions |= jurisdictions
            self.others |= others
            self.clash = self.clash or clash or not self.names.keys().isdisjoint(names)
            self.names.update(names)
        elif section == "relations":
            _, ends, laws, cited, equity, heavy = result
            for kind, (starts, finishes) in ends.items():
                pair = self.ends.get(kind)
                if pair is None:
                    self.ends[kind] = (starts, finishes)
                else:
                    pair[0].update(starts)
                    pair[1].update(finishes)
            self.laws |= laws
            self.cited |= cited
            self.equity.append((equity, heavy))

    def finish(self):
        """The dataset, or None when the pieces together are not plainly valid."""
        sources, entities, relations = (self.sections[section] for section in _SECTIONS)
        if [len(self.sections[section]) for section in _SECTIONS] != [self.counts[section] for section in _SECTIONS]:
            return None  # an id used in two pieces
        if not (entities or relations or sources):
            return None
        if not (sources.keys() >= self.cited and entities.keys() >= self.others):
            return None
        if not (self.by_type.get("jurisdiction", set()) >= self.jurisdictions and self.by_type.get("law", set()) >= self.laws):
            return None
        if not _endpoints_allowed(self.vocabulary, entities, self.by_type, self.ends):
            return None
        reader = self.reader
        if self.clash:  # two entities share a name: allowed only between entities listed as distinct
            reader._check_names(entities, _Anywhere())
        heavy = _heavy_stakes(self.equity)
        if heavy:  # stakes that could pass 100% at some date: the reader's exact check, on them only
            reader._check_equity_sums(self.vocabulary, entities, {rid: relations[rid] for rid in heavy}, _Anywhere())
        if reader.problems:
            return None
        return _loader.Dataset(path=self.data_dir, vocabulary=self.vocabulary, sources=sources, entities=entities,
                               relations=relations, views=self.views,
                               locations=_loader.Locations(self.sections, self.origins))


def _heavy_stakes(equity: list[tuple[dict, list]]) -> list[str]:
    """The stakes in targets whose certain equity, over all dates, sums past 100%.

    ``equity`` holds each piece's ({target: [certain equity, relation ids]}, the ids of its own
    heavy stakes); a target in several pieces is summed here (set operations find them), and all
    its stakes go to the exact check, since one piece's may pass 100% only with another's.
    """
    heavy = [relation_id for _, ids in equity for relation_id in ids]
    seen: set[str] = set()
    shared: set[str] = set()
    for table, _ in equity:
        shared.update(seen.intersection(table))
        seen.update(table)
    totals: dict[str, list] = {}
    for table, _ in equity:
        for target in shared.intersection(table):
            low, ids = table[target]
            total = totals.setdefault(target, [0.0, []])
            total[0] += low
            total[1].extend(ids)
    for low, ids in totals.values():
        if low > 100.0001:  # every piece's stakes: together they may pass 100% at some date
            heavy.extend(ids)
    return heavy


def _endpoints_allowed(vocabulary, entities: dict, by_type: dict[str, set], ends: dict) -> bool:
    """Every relation's ends are known entities of the types its relation type allows.

    Each end is looked up once, among all entities; each relation type's ends are then checked
    against the entities of the types it forbids when those are fewer than the ones it allows.
    """
    every_end = set().union(*(ids for pair in ends.values() for ids in pair))
    if not entities.keys() >= every_end:
        return False
    sizes = {kind: len(ids) for kind, ids in by_type.items()}
    for kind, (starts, finishes) in ends.items():
        definition = vocabulary.relation_types[kind]
        for permitted, ids in ((definition.from_, starts), (definition.to, finishes)):
            if permitted == "*":
                continue
            permitted = set(permitted)
            forbidden = [entity_type for entity_type in by_type if entity_type not in permitted]
            if sum(sizes[entity_type] for entity_type in forbidden) < sum(sizes.get(t, 0) for t in permitted):
                if not all(ids.isdisjoint(by_type[entity_type]) for entity_type in forbidden):
                    return False
            elif not ids <= set().union(*(by_type.get(entity_type, ()) for entity_type in permitted)):
                return False
    return True
