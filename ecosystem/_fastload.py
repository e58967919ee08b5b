"""The fast first load: plainly valid YAML datasets read in pieces, on two cores when there are two.

`load` gives the same :class:`~ecosystem.loader.Dataset` the loader's reader gives (same records,
same order, same locations), or None as soon as anything is not plainly valid or not of a shape it
knows: the loader then reads the data the usual way, which finds, locates and explains every
problem. So this module never reports a problem; it only has to be sure there is none.

How:

* Each YAML record file is cut into pieces of whole records: a file laid out as top-level
  ``entities:`` / ``relations:`` / ``sources:`` keys over block sequences (``- ...`` items at one
  indentation) is cut before item lines; any other layout is one piece. A piece is parsed on its
  own as ``<section>:`` followed by its items, and accepted only when it passes the YAML 1.1/1.2
  scan, parses to that one list, and holds as many records as it has item lines. A cut that fell
  inside a quoted scalar or flow collection would leave a piece that does not parse, so an
  accepted piece holds exactly the records the whole file holds there.
* Each piece is checked where it is parsed: record shapes (the loader's ``_fast_*`` checks),
  types known to the vocabulary, dates in order, shares only where the type carries them, no
  relation from an entity to itself, no id used twice. What needs the whole dataset (ids unique
  across pieces, references to entities and sources, endpoint types, names shared by two
  entities, equity past 100%) is summarised per piece as sets and small tables, and checked once
  with set operations when the pieces are put together.
* With two cores, a forked process reads the later pieces (a bit under half the bytes) and hands
  back their marshalled results through a pipe, while this process reads the first ones.
"""

from __future__ import annotations

import marshal
import os
import re
import threading
from collections import Counter, defaultdict
from pathlib import Path

from . import _yaml
from . import loader as _loader

enabled = True  # tests turn it off to compare with the reader
parallel = True  # tests turn the second process off
PIECE_BYTES = 2_000_000  # records per piece: about this many characters
PARALLEL_MIN_BYTES = 4_000_000  # below this a second process costs more than it saves
SHARE_HERE = 0.5  # of the records, read in this process (it also puts the pieces together)

_SECTIONS = ("sources", "entities", "relations")
_BOM = "\ufeff".encode()
# on the bytes of a file; each pattern starts at the newline before the line it looks for
_KEY_LINE = re.compile(rb"\n(sources|entities|relations):[ \t]*(?:#[^\r\n]*)?\r?(?=\n|\Z)")
_COLUMN_0 = re.compile(rb"\n(?:[^ \t#\r\n-]|-[^ \t\r\n])")  # not a comment, a blank or a `- ` item
_FIRST_ITEM = re.compile(rb"\n( *)-[ \t]")
_BLANK_OR_COMMENTS = re.compile(rb"(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*[ \t]*(?:#[^\r\n]*)?")


def load(data_dir: Path, contents: dict[Path, bytes], vocabulary_file: Path, views_file: Path | None,
         files: list[Path], marshalled: bool = False):
    """(the dataset, its records marshalled for the cache or None), or None when the usual reader
    must read it (see the module docstring).

    With ``marshalled``, the records come back as the cache stores them too: marshalled lists of
    (section, records), the second process's as it sent them, this process's marshalled while it
    waits for the other.
    """
    if not (enabled and files and _yaml.fast_available() and _loader._Reader.fast_validate):
        return None
    if any(file.suffix.lower() not in (".yaml", ".yml") for file in files):
        return None
    reader = _loader._Reader(data_dir, contents)
    vocabulary = reader._read_vocabulary(vocabulary_file)
    views = reader._read_views(views_file) if views_file else {}
    if reader.problems:
        return None
    datas = [contents[file] for file in files]
    jobs = [job for index, data in enumerate(datas) for job in _pieces(index, data)]
    found = _run(jobs, datas, _Rules(vocabulary), marshalled)
    if found is None:
        return None
    results, blobs = found
    dataset = _assemble(reader, data_dir, files, vocabulary, views, results)
    return None if dataset is None else (dataset, blobs)


# ---------------------------------------------------------------------------------------------
# cutting files into pieces


def _pieces(index: int, data: bytes) -> list[tuple]:
    """(file index, section or None, start, end, item lines) for each piece of one file's bytes.

    A piece with a section is ``data[start:end]``, whole item lines of that section; one with
    None is the whole file, for layouts this does not cut (read as the reader reads a file).
    """
    whole = [(index, None, 0, len(data), 0)]
    skip = len(_BOM) if data.startswith(_BOM) else 0
    framed = b"\n" + data[skip:]  # every line after a newline; framed[i] is data[i - 1 + skip]
    shift = skip - 1
    keys = list(_KEY_LINE.finditer(framed))
    starts = [match.start() for match in keys]
    if not keys or [match.start() for match in _COLUMN_0.finditer(framed)] != starts:
        return whole  # another layout, or other text at column 0
    sections = [match.group(1) for match in keys]
    if len(set(sections)) != len(sections) or _BLANK_OR_COMMENTS.fullmatch(framed, 1, starts[0] + 1) is None:
        return whole
    jobs = []
    for number, match in enumerate(keys):
        body_start, body_end = match.end(), starts[number + 1] if number + 1 < len(keys) else len(framed)
        item = _FIRST_ITEM.search(framed, body_start, body_end)
        if item is None:
            if _BLANK_OR_COMMENTS.fullmatch(framed, body_start, body_end) is None:
                return whole  # a value on the key's line or something other than items under it
            continue  # `relations:` and nothing under it
        if _BLANK_OR_COMMENTS.fullmatch(framed, body_start, item.start()) is None:
            return whole
        marker = b"\n" + item.group(1) + b"- "
        section = match.group(1).decode()
        cut = item.start() + 1  # the first item line
        while cut < body_end:
            following = framed.find(marker, cut + PIECE_BYTES, body_end) + 1 if cut + PIECE_BYTES < body_end else 0
            end = following or body_end
            jobs.append((index, section, cut + shift, end + shift, framed.count(marker, cut - 1, end)))
            cut = end
    return jobs


# ---------------------------------------------------------------------------------------------
# reading pieces, here and in a second process


def _run(jobs: list[tuple], datas: list[bytes], rules: "_Rules", marshalled: bool):
    """(every piece's result in order, marshalled records or None), or None when any piece is not
    plainly valid."""
    # the work a piece takes goes with its records far more than with its bytes
    weights = [count if section else (end - start) // 100 for _, section, start, end, count in jobs]
    total, split = sum(weights), len(jobs)
    if parallel and len(jobs) > 1 and sum(end - start for _, _, start, end, _ in jobs) >= PARALLEL_MIN_BYTES \
            and _loader._cpu_count() >= 2 and threading.active_count() == 1 and hasattr(os, "fork"):
        done = 0
        for split, weight in enumerate(weights):
            if done >= total * SHARE_HERE:
                break
            done += weight
        else:
            split = len(jobs)
    # the second process ends with os._exit, freeing nothing: it keeps what it parsed rather than
    # spend time freeing it piece by piece
    there = _Worker(lambda: _sent(_read(jobs[split:], datas, rules, keep=[]))) if split < len(jobs) else None
    try:
        here = _read(jobs[:split], datas, rules)
        if here is None:
            return None
        blobs = [_records(here)] if marshalled else None
        if there is None:
            return here, blobs
        rest = _received(there.result())
        if rest is None:  # the second process failed: read its pieces here
            found = _read(jobs[split:], datas, rules)
            if found is None:
                return None
            rest = found, _records(found)
        elif rest[0] is None:
            return None
        if marshalled:
            blobs.append(rest[1])
        return here + rest[0], blobs
    finally:
        if there is not None:
            there.close()


def _records(results: list) -> bytes:
    """The records of pieces' results as the cache keeps them: [(section, records)], marshalled."""
    return marshal.dumps([(section, result[0]) for _, section, result in results])


def _sent(results: list | None) -> bytes:
    """What the second process sends: its records marshalled (as the cache keeps them) and the rest."""
    if results is None:
        return marshal.dumps(None)
    return marshal.dumps((_records(results), [(index, section, result[1:]) for index, section, result in results]))


def _received(data: bytes):
    """(results, the records' marshalled bytes) from what _sent sent; (None, None) when it declined;
    None when it failed."""
    if not data:
        return None
    sent = marshal.loads(data)
    if sent is None:
        return None, None
    records, rest = sent
    return [(index, section, (piece,) + summary)
            for (index, section, summary), (_, piece) in zip(rest, marshal.loads(records))], records


class _Worker:
    """A forked process computing ``work()`` (bytes) and handing the bytes back through a pipe."""

    def __init__(self, work):
        reading, writing = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the child (coverage does not follow it)
            status = 1
            try:
                os.close(reading)
                data = work()
                with os.fdopen(writing, "wb") as pipe:
                    pipe.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(writing)
        self.reading = reading

    def result(self) -> bytes:
        """The child's bytes (empty when it failed)."""
        with os.fdopen(self.reading, "rb") as pipe:
            self.reading = None
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        return data if status == 0 else b""

    def close(self) -> None:
        if self.reading is not None:
            os.close(self.reading)
            self.reading = None
        if self.pid is not None:  # not waited for: an error here; stop the child
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except OSError:  # pragma: no cover - already gone
                pass
            self.pid = None


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
    for index, section, start, end, count in jobs:
        try:
            text = datas[index][start:end].decode("utf-8") if section else _loader._decoded(datas[index])
        except UnicodeDecodeError:
            return None
        if section is None:
            data = _yaml.fast_parse(text) if text.strip() else None
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
            continue
        data = _yaml.fast_parse(f"{section}:\n{text}")
        if keep is not None:
            keep.append(data)
        if type(data) is not dict or len(data) != 1:
            return None
        items = data.get(section)
        if type(items) is not list or len(items) != count:
            return None
        result = _READERS[section](items, rules)
        if result is None:
            return None
        results.append((index, section, result))
    return results


def _first_day(value: str) -> str:
    """The first day of a normalised partial date, as ISO text (which sorts as the days do)."""
    return (value + "-01-01")[:10]


def _read_sources(items: list, rules: _Rules):
    check = _loader._fast_source
    records = {}
    for item in items:
        record = check(item)
        if record is None:
            return None
        records[record["id"]] = record
    return (records,) if len(records) == len(items) else None


def _read_entities(items: list, rules: _Rules):
    """(records, ids by type, cited sources, jurisdictions, distinct_from ids, folded names, clash)."""
    check, fold, entity_types = _loader._fast_entity, _loader._fold, rules.entity_types
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
        # as the loader's _check_names: the folded name, aliases and names in other languages
        aliases, translations = get("aliases"), get("names")
        if aliases is None and translations is None:
            name = record["name"]
            folded = (fold(name),) if name.strip() else ()
        else:
            folded = {fold(n) for n in [record["name"], *(aliases or ()), *(translations or {}).values()] if n.strip()}
        for name in folded:
            if names.setdefault(name, entity_id) is not entity_id:
                clash = True
    if len(records) != len(items):
        return None
    return records, dict(by_type), cited, jurisdictions, others, names, clash


def _read_relations(items: list, rules: _Rules):
    """(records, {type: (from ids, to ids)}, laws, cited sources, {target: [certain equity, ids]},
    the ids of stakes in targets whose certain equity here already sums past 100%)."""
    check, relation_types, with_shares, counted = (
        _loader._fast_relation, rules.relation_types, rules.with_shares, rules.counted)
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


# ---------------------------------------------------------------------------------------------
# putting the pieces together


class _Anywhere(dict):
    """Locations for the reader's checks, which ask only when reporting (and a report declines)."""

    def __missing__(self, key):
        return Path("."), ()


def _assemble(reader, data_dir: Path, files: list[Path], vocabulary, views: dict, results: list):
    sources: dict[str, dict] = {}
    entities: dict[str, dict] = {}
    relations: dict[str, dict] = {}
    places = [_loader._relative(file, data_dir) for file in files]
    counts = {"sources": 0, "entities": 0, "relations": 0}
    by_type: dict[str, set] = defaultdict(set)
    cited: set[str] = set()
    jurisdictions: set[str] = set()
    others: set[str] = set()
    names: dict[str, str] = {}
    clash = False
    ends: dict[str, tuple[set, set]] = {}
    laws: set[str] = set()
    equity: list[tuple[dict, list]] = []
    for index, section, result in results:
        records = result[0]
        counts[section] += len(records)
        if section == "sources":
            sources.update(records)
        elif section == "entities":
            entities.update(records)
            _, piece_types, piece_cited, piece_jurisdictions, piece_others, piece_names, piece_clash = result
            for kind, ids in piece_types.items():
                by_type[kind].update(ids)
            cited |= piece_cited
            jurisdictions |= piece_jurisdictions
            others |= piece_others
            clash = clash or piece_clash or not names.keys().isdisjoint(piece_names)
            names.update(piece_names)
        else:
            relations.update(records)
            _, piece_ends, piece_laws, piece_cited, piece_equity, piece_heavy = result
            for kind, (starts, finishes) in piece_ends.items():
                pair = ends.get(kind)
                if pair is None:
                    ends[kind] = (starts, finishes)
                else:
                    pair[0].update(starts)
                    pair[1].update(finishes)
            laws |= piece_laws
            cited |= piece_cited
            equity.append((piece_equity, piece_heavy))
    if (len(sources), len(entities), len(relations)) != (counts["sources"], counts["entities"], counts["relations"]):
        return None  # an id used in two pieces
    if not files or not (entities or relations or sources):
        return None
    if not (sources.keys() >= cited and entities.keys() >= others):
        return None
    if not (by_type.get("jurisdiction", set()) >= jurisdictions and by_type.get("law", set()) >= laws):
        return None
    if not _endpoints_allowed(vocabulary, entities, by_type, ends):
        return None
    if clash:  # two entities share a name: allowed only between entities listed as distinct
        reader._check_names(entities, _Anywhere())
    heavy = _heavy_stakes(equity)
    if heavy:  # stakes that could pass 100% at some date: the reader's exact check, on them only
        reader._check_equity_sums(vocabulary, entities, {rid: relations[rid] for rid in heavy}, _Anywhere())
    if reader.problems:
        return None

    sections = {"sources": sources, "entities": entities, "relations": relations}
    origins = [(section, places[index], len(result[0])) for index, section, result in results]
    return _loader.Dataset(path=data_dir, vocabulary=vocabulary, sources=sources, entities=entities,
                           relations=relations, views=views, locations=_loader.Locations(sections, origins))


def _heavy_stakes(equity: list[tuple[dict, list]]) -> list[str]:
    """The stakes in targets whose certain equity, over all dates, sums past 100%.

    ``equity`` holds each piece's ({target: [certain equity, relation ids]}, the ids of its own
    heavy stakes); a target in several pieces is summed here (set operations find them).
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
            total = totals.get(target)
            if total is None:
                totals[target] = [low, list(ids), low > 100.0001]
            else:
                total[0] += low
                total[1].extend(ids)
                total[2] = total[2] or low > 100.0001
    for low, ids, counted in totals.values():
        if low > 100.0001 and not counted:  # (a piece's own heavy stakes are in `heavy` already)
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
