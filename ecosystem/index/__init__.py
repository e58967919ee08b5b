"""The SQLite index of a data folder: validated once, then read in bulk or one entity at a time.

Loading a data folder reads and validates every file (:func:`ecosystem.loader.read_dataset`) and
writes the result to a SQLite database in the user's cache directory (``ECOSYSTEM_CACHE_DIR``, else
the platform's cache folder), named by a hash of the content of every data file and the package
version. The schema is documented in ``docs/INDEX.md``.

* A data file is re-hashed only when its size, mtime, ctime or inode changed (a small stat -> hash
  record is kept beside the indexes), so a warm query does not read the data.
* An index is written in one transaction to a temporary file, then renamed into place, and never
  modified afterwards. Its size, mtime and SHA-256 are recorded beside it; an index whose size or
  mtime differ from the record (or that was checked too soon after it was written to tell) is
  verified against the checksum. A damaged, truncated, foreign, changed or old-schema index is
  rebuilt, never trusted.
* A cache folder that cannot be written means a slower load (an index in memory), not an error.

Public API (stable; :mod:`ecosystem.api` and ``ecosystem sql`` build on it)::

    index = open_index("data/")            # or open_index() for the bundled dataset
    index.path                             # the SQLite file (None when held in memory)
    index.connection                       # a read-only sqlite3 connection
    index.dataset()                        # the whole Dataset, read in bulk
    index.entity("ant_group")              # one entity record (a dict) or None
    index.subgraph_above("ant_group", "2020-11")   # what control of it can depend on
    index.subgraph_below("ant_group", "2020-11")   # what it may control, with every holder of those
    index.graph_of(ids)                    # the graph of some entities and the relations among them

:mod:`ecosystem.index.queries` answers the commands' questions about one entity from these.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from .. import __version__, dates

SCHEMA_VERSION = 4
INDEX_SUFFIX = ".sqlite"
DATA_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")
_RACY_NS = 3 * 10**9  # a file changed this soon after it was recorded may have changed within one tick
UNUSED_DAYS = 30  # an index not opened for this long is removed when another is written
_IN_CLAUSE = 500  # ids per `IN (...)` query (well under SQLite's variable limit)


class IndexError_(Exception):
    """An index file that cannot be trusted (internal: it is rebuilt, never shown to users)."""


# ---------------------------------------------------------------------------------------------
# where indexes live


def cache_dir() -> Path:
    """The folder for indexes: ``ECOSYSTEM_CACHE_DIR``, else the platform's user cache folder."""
    override = os.environ.get("ECOSYSTEM_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":  # pragma: no cover
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":  # pragma: no cover
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ecosystem"


# ---------------------------------------------------------------------------------------------
# the content key: a hash of every data file, re-hashed only when its stat changed


def _stat_record_path(cache: Path, data_dir: Path) -> Path:
    return cache / "files" / (hashlib.sha256(str(data_dir).encode()).hexdigest()[:32] + ".json")


def _place(files) -> Path:
    """What names the data of ``files`` in the cache: its folder resolved, or for several folders
    (``--data`` given more than once) all of them, in order, one a line."""
    return Path("\n".join(str(folder.resolve()) for folder in files.folders))


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_key(data_dir: Path, files, cache: Path | None) -> str:
    """A hash of the schema, the package version and the path and content of every file of ``files``
    (:func:`ecosystem.files.data_files` of ``data_dir``, resolved).

    Files whose (size, mtime, ctime, inode) match the stat record in ``cache`` are not read again
    (ctime too: it changes with the content even when a tool puts the mtime back).
    """
    record_path = _stat_record_path(cache, data_dir) if cache is not None else None
    known: dict = {}
    if record_path is not None:
        with contextlib.suppress(OSError, ValueError, TypeError):
            loaded = json.loads(record_path.read_bytes())
            if isinstance(loaded, dict) and loaded.get("version") == __version__:
                known = loaded.get("files") or {}
    now = time.time_ns()
    digest = hashlib.sha256(f"ecosystem-index:{SCHEMA_VERSION}:{__version__}".encode())
    fresh: dict = {}
    changed = False
    for path in files.all:
        try:
            # the bundled vocabulary: elsewhere; several folders: each file by its full path
            name = str(path.resolve()) if files.several else os.path.relpath(path, files.folder)
        except ValueError:  # pragma: no cover - another drive (Windows)
            name = str(path.resolve())
        if name.startswith(".."):
            name = str(path.resolve())
        stat = path.stat()
        signature = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        entry = known.get(name)
        if isinstance(entry, list) and len(entry) == 5 and entry[:4] == signature:
            file_hash = entry[4]
        else:
            file_hash = _file_hash(path)
            changed = True
        # a file modified within one clock tick of being hashed could change again unseen: not recorded
        if now - stat.st_mtime_ns > _RACY_NS:
            fresh[name] = signature + [file_hash]
        else:
            changed = True
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + file_hash.encode() + b"\0")
    if record_path is not None and (changed or set(fresh) != set(known)):
        with contextlib.suppress(OSError):
            _write_atomic(record_path, json.dumps({"version": __version__, "files": fresh}).encode())
    return digest.hexdigest()


def _write_atomic(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# ---------------------------------------------------------------------------------------------
# opening


def open_index(data_dir=None, *, use_cache: bool = True, progress=None, files=None) -> "Index":
    """The index of ``data_dir`` (default: the bundled dataset; a list of folders: read as one
    dataset, the index keyed by all of them), built first when needed.

    Raises :class:`~ecosystem.errors.DataError` when the data is invalid. With ``use_cache=False``
    (or when the cache folder cannot be written) the index is built in memory and nothing is
    written. ``progress(stage, done, total)`` is called while the data is read and the index
    written (:data:`ecosystem.loader.Progress`); ``files``: the folder's
    :func:`~ecosystem.files.data_files` when already known.
    """
    from ..files import data_files, data_folders

    files = files if files is not None else data_files(data_folders(data_dir))
    data_dir = _place(files)
    if not use_cache or files.problems():
        return _build_in_memory(data_dir, files, progress)
    cache = cache_dir()
    writable = _usable_cache(cache)
    try:
        key = content_key(data_dir, files, cache if writable else None)
    except OSError:
        return _build_in_memory(data_dir, files, progress)  # a file vanished or is unreadable: the reader says which
    target = cache / (key[:48] + INDEX_SUFFIX)
    index = _open_trusted(target, key, data_dir, files)
    if index is not None:
        return index
    if not writable:
        return _build_in_memory(data_dir, files, progress)
    dataset = _read(files, progress)
    try:
        _build_file(target, key, data_dir, dataset, progress)
    except (OSError, sqlite3.Error):
        return _build_in_memory(data_dir, files, progress, dataset)  # a full disk: slower, not wrong
    index = _open_trusted(target, key, data_dir, files)
    if index is None:  # pragma: no cover - replaced by another process meanwhile and damaged
        return _build_in_memory(data_dir, files, progress, dataset)
    index._dataset = dataset
    _prune(cache, target, data_dir)
    return index


def _usable_cache(cache: Path) -> bool:
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return cache.is_dir() and os.access(cache, os.W_OK | os.X_OK)


def _read(files, progress):
    from ..loader import _read as read_files

    return read_files(files, None, progress)


def _meta_path(target: Path) -> Path:
    return target.with_suffix(".json")


def _open_trusted(target: Path, key: str, data_dir: Path, files) -> "Index | None":
    """The index at ``target`` when it is whole and is the index of ``key``; else None (removed)."""
    try:
        stat = target.stat()
    except OSError:
        return None
    try:
        meta = json.loads(_meta_path(target).read_bytes())
        if not isinstance(meta, dict) or meta.get("schema") != SCHEMA_VERSION:
            raise ValueError("another schema")
        same = meta.get("size") == stat.st_size and meta.get("mtime_ns") == stat.st_mtime_ns
        racy = not isinstance(meta.get("checked_ns"), int) or meta["checked_ns"] - stat.st_mtime_ns <= _RACY_NS
        if not same or racy:
            if _file_hash(target) != meta.get("sha256"):
                raise ValueError("checksum differs")
            meta.update(size=stat.st_size, mtime_ns=stat.st_mtime_ns, checked_ns=time.time_ns())
            with contextlib.suppress(OSError):
                _write_atomic(_meta_path(target), json.dumps(meta).encode())
        connection = _connect_read_only(target)
        try:
            found = dict(connection.execute("SELECT key, value FROM meta WHERE key IN ('schema', 'key')"))
            if found.get("schema") != str(SCHEMA_VERSION) or found.get("key") != key:
                raise ValueError("foreign index")
        except BaseException:
            connection.close()
            raise
    except (OSError, ValueError, TypeError, sqlite3.Error):
        _remove(target)
        return None
    return Index(target, connection, files.folders, files.skipped)


def _remove(target: Path) -> None:
    for path in (target, _meta_path(target)):
        with contextlib.suppress(OSError):
            path.unlink()


def _connect_read_only(path: Path) -> sqlite3.Connection:
    # immutable: the file is never modified once written, so SQLite need not lock or watch it
    connection = sqlite3.connect(path.as_uri() + "?mode=ro&immutable=1", uri=True, check_same_thread=False)
    connection.execute("PRAGMA query_only = 1")
    return connection


def _build_in_memory(data_dir: Path, files, progress, dataset=None) -> "Index":
    dataset = dataset if dataset is not None else _read(files, progress)
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    _write(connection, "", dataset, progress)
    connection.execute("PRAGMA query_only = 1")
    index = Index(None, connection, files.folders, files.skipped)
    index._dataset = dataset
    return index


def _build_file(target: Path, key: str, place: Path, dataset, progress) -> None:
    """Write the index to a temporary file beside ``target``, record its checksum, rename it."""
    handle, temporary = tempfile.mkstemp(prefix=target.stem + ".", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            _write(connection, key, dataset, progress)
        finally:
            connection.close()
        checksum = _file_hash(Path(temporary))
        os.replace(temporary, target)
        stat = target.stat()
        meta = {"schema": SCHEMA_VERSION, "version": __version__, "key": key, "data": str(place),
                "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": checksum, "checked_ns": time.time_ns()}
        _write_atomic(_meta_path(target), json.dumps(meta).encode())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _prune(cache: Path, kept: Path, data_dir: Path) -> None:
    """Remove the indexes ``kept`` supersedes (earlier contents of the same data folder), indexes
    not used for UNUSED_DAYS, and temporary files left by processes that died a day ago."""
    now = time.time()
    for path in cache.iterdir():
        with contextlib.suppress(OSError, ValueError, TypeError):
            if path.name.endswith(".tmp"):
                if now - path.stat().st_mtime > 24 * 3600:
                    path.unlink()
                continue
            if path == kept or path.suffix != INDEX_SUFFIX:
                continue
            meta_path = _meta_path(path)
            unused = now - meta_path.stat().st_mtime > UNUSED_DAYS * 24 * 3600
            if unused or json.loads(meta_path.read_bytes()).get("data") == str(data_dir):
                _remove(path)


# ---------------------------------------------------------------------------------------------
# writing

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entities (
    position INTEGER PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
    jurisdiction TEXT, start TEXT, "end" TEXT, start_day TEXT, end_day TEXT, description TEXT,
    inferred INTEGER NOT NULL, record TEXT NOT NULL);
CREATE TABLE names (entity TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, folded TEXT NOT NULL);
CREATE TABLE relations (
    position INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, category TEXT NOT NULL,
    "from" TEXT NOT NULL, "to" TEXT NOT NULL,
    equity_low REAL, equity_high REAL, equity_approximate INTEGER,
    votes_low REAL, votes_high REAL, votes_approximate INTEGER,
    start TEXT, "end" TEXT, as_of TEXT, start_day TEXT, end_day TEXT, as_of_day TEXT, effective_day TEXT,
    inferred INTEGER NOT NULL, record TEXT NOT NULL);
CREATE TABLE supersessions (relation TEXT NOT NULL, superseded TEXT NOT NULL);
CREATE TABLE sources (position INTEGER PRIMARY KEY, id TEXT NOT NULL, kind TEXT, title TEXT,
    date TEXT, record TEXT NOT NULL);
CREATE TABLE citations (owner_kind TEXT NOT NULL, owner TEXT NOT NULL, source TEXT NOT NULL, locator TEXT NOT NULL);
CREATE TABLE facts (entity TEXT NOT NULL, name TEXT NOT NULL, value REAL, unit TEXT, currency TEXT, date TEXT,
    date_day TEXT, approximate INTEGER NOT NULL, record TEXT NOT NULL);
CREATE VIRTUAL TABLE search USING fts5(entity UNINDEXED, kind UNINDEXED, text, tokenize = 'trigram');
CREATE VIRTUAL TABLE cjk_bigrams USING fts5(entity UNINDEXED, grams, tokenize = 'unicode61', detail = 'none');
"""
# made after the rows are written (sorting once is several times faster than keeping a B-tree in order
# row by row); the unique ones are the tables' keys
_INDEXES = """
CREATE UNIQUE INDEX entities_id ON entities (id);
CREATE UNIQUE INDEX relations_id ON relations (id);
CREATE UNIQUE INDEX sources_id ON sources (id);
CREATE INDEX relations_from ON relations ("from", effective_day);
CREATE INDEX relations_to ON relations ("to", effective_day);
CREATE INDEX relations_start ON relations (start_day);
CREATE INDEX relations_end ON relations (end_day);
CREATE INDEX relations_as_of ON relations (as_of_day);
CREATE INDEX relations_type ON relations (type);
CREATE INDEX names_entity ON names (entity);
CREATE INDEX citations_owner ON citations (owner_kind, owner);
CREATE INDEX citations_source ON citations (source);
CREATE INDEX facts_entity ON facts (entity);
CREATE INDEX supersessions_superseded ON supersessions (superseded);
CREATE INDEX entities_type ON entities (type);
"""


def _json_dumps():
    try:
        import orjson

        return lambda value: orjson.dumps(value).decode()
    except ImportError:  # pragma: no cover - orjson is optional
        return lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _day(value) -> str | None:
    return _first_day(value) if value else None


@functools.lru_cache(maxsize=65536)
def _first_day(value: str) -> str:  # dates repeat: many relations share one
    return dates.first_day(value).isoformat()


def _share_columns(share) -> tuple:
    if not share:
        return None, None, None
    if share.get("value") is not None:
        return share["value"], share["value"], int(bool(share.get("approximate")))
    return share.get("min"), share.get("max"), int(bool(share.get("approximate")))


def _write(connection: sqlite3.Connection, key: str, dataset, progress) -> None:
    from ..collector import paused

    # the rows are millions of small tuples with no cycles, made while the whole dataset is alive:
    # a full collection in the middle would walk every record for nothing
    with paused():
        _write_rows(connection, key, dataset, progress)


def _write_rows(connection: sqlite3.Connection, key: str, dataset, progress) -> None:
    from ..dataset import SECTIONS, origins
    from ..query import fold, names_of, texts_of

    dumps = _json_dumps()
    vocabulary = dataset.vocabulary
    categories = {type_id: definition.category for type_id, definition in vocabulary.relation_types.items()}
    total = len(dataset.entities) + len(dataset.relations) + len(dataset.sources)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress("indexing", done, total)

    with connection:
        connection.executescript(_SCHEMA)
        meta = {
            "schema": str(SCHEMA_VERSION), "version": __version__, "key": key,
            "data": "\n".join(str(folder.resolve()) for folder in dataset.folders), "name": dataset.path.name,
            "latest_date": dataset.latest_date() or "",
            "vocabulary": dumps(vocabulary.model_dump(mode="json", by_alias=True)),
            "views": json.dumps(dataset.views, default=str, ensure_ascii=False),
            "origins": dumps(origins(dataset.locations)), "sections": dumps(list(SECTIONS)),
            # doubtful but not wrong (validate lists them; --strict counts them): kept for warm loads
            "warnings": json.dumps([w.to_dict() for w in dataset.warnings], ensure_ascii=False),
        }
        connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        connection.executemany(
            "INSERT INTO sources (id, kind, title, date, record) VALUES (?, ?, ?, ?, ?)",
            ((i, r.get("kind"), r.get("title"), r.get("date"), dumps(r)) for i, r in dataset.sources.items()))
        advance(len(dataset.sources))

        citations, facts, names, texts, bigrams = [], [], [], [], []
        entity_rows = []
        for number, (entity_id, record) in enumerate(dataset.entities.items(), 1):
            start, end = record.get("start"), record.get("end")
            entity_rows.append((entity_id, record["name"], record["type"], record.get("jurisdiction"), start, end,
                                _day(start), _day(end), record.get("description"),
                                1 if record.get("inferred") else 0, dumps(record)))
            for c in record["sources"]:
                citations.append(("entity", entity_id, c["source"], c.get("locator", "")))
            for fact in record.get("facts", ()):
                facts.append((entity_id, fact["name"], fact.get("value"), fact.get("unit"), fact.get("currency"),
                              fact.get("date"), _day(fact.get("date")), int(bool(fact.get("approximate"))), dumps(fact)))
                citations.extend(("fact", entity_id, c["source"], c.get("locator", "")) for c in fact.get("sources", ()))
            grams: dict[str, None] = {}
            for kind, name in names_of(record):
                folded = fold(name)
                names.append((entity_id, kind, name, folded))
                compact = folded.replace(" ", "")
                texts.append((entity_id, kind, compact))
                if not compact.isascii():
                    for run in _CJK_RUN.findall(compact):
                        grams.update(dict.fromkeys(run[i:i + 2] for i in range(len(run) - 1)))
            if grams:
                bigrams.append((entity_id, " ".join(grams)))
            texts.extend((entity_id, kind, fold(text).replace(" ", "")) for kind, text in texts_of(record))
            if number % 20_000 == 0:
                advance(20_000)
        advance(len(dataset.entities) % 20_000)
        connection.executemany(
            "INSERT INTO entities (id, name, type, jurisdiction, start, \"end\", start_day, end_day, description,"
            " inferred, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", entity_rows)
        del entity_rows
        connection.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", names)
        connection.executemany("INSERT INTO search (entity, kind, text) VALUES (?, ?, ?)", texts)
        connection.executemany("INSERT INTO cjk_bigrams VALUES (?, ?)", bigrams)
        connection.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", facts)
        del names, texts, bigrams, facts

        relation_rows, supersessions = [], []
        no_share = (None, None, None)
        for number, (relation_id, record) in enumerate(dataset.relations.items(), 1):
            start, end, as_of = record.get("start"), record.get("end"), record.get("as_of")
            equity, votes = record.get("equity"), record.get("votes")
            start_day, as_of_day = _day(start), _day(as_of)
            relation_rows.append((
                relation_id, record["type"], categories.get(record["type"], ""), record["from"], record["to"],
                *(_share_columns(equity) if equity else no_share), *(_share_columns(votes) if votes else no_share),
                start, end, as_of, start_day, _day(end), as_of_day, start_day if start else as_of_day,
                1 if record.get("inferred") else 0, dumps(record)))
            for c in record["sources"]:
                citations.append(("relation", relation_id, c["source"], c.get("locator", "")))
            supersessions.extend((relation_id, old) for old in record.get("supersedes") or ())
            if number % 20_000 == 0:
                advance(20_000)
        advance(len(dataset.relations) % 20_000)
        connection.executemany(
            "INSERT INTO relations (id, type, category, \"from\", \"to\", equity_low, equity_high, equity_approximate,"
            " votes_low, votes_high, votes_approximate, start, \"end\", as_of, start_day, end_day, as_of_day,"
            " effective_day, inferred, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            relation_rows)
        del relation_rows
        connection.executemany("INSERT INTO supersessions VALUES (?, ?)", supersessions)
        connection.executemany("INSERT INTO citations VALUES (?, ?, ?, ?)", citations)
        connection.executescript(_INDEXES)
        from .queries import aggregate_statistics

        connection.execute("INSERT INTO meta VALUES ('statistics', ?)", (json.dumps(aggregate_statistics(connection)),))


_CJK = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_CJK_RUN = re.compile(f"[{_CJK}]{{2,}}")
_CJK_ONLY = re.compile(f"[{_CJK}]+")


# ---------------------------------------------------------------------------------------------
# reading


class Index:
    """An open, read-only index. Cheap to open; every method reads only what it needs."""

    def __init__(self, path: Path | None, connection: sqlite3.Connection, folders, skipped=()):
        self.path = path
        self.skipped = skipped  # paths of the folder not read, with why (files.Skipped)
        self.connection = connection
        folders = (Path(folders),) if isinstance(folders, (str, os.PathLike)) else tuple(folders)
        self.folders = folders  # the data folders (several: --data given more than once)
        self.data_dir = folders[0].resolve()
        self._dataset = None
        self._meta = None
        self._vocabulary = None
        self._loads = _json_loads()

    def close(self) -> None:
        self.connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- metadata ------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        if self._meta is None:
            self._meta = dict(self.connection.execute("SELECT key, value FROM meta"))
        return self._meta.get(key)

    def vocabulary(self):
        """The dataset's :class:`~ecosystem.vocabulary.Vocabulary`."""
        if self._vocabulary is None:
            from ..vocabulary import Vocabulary

            self._vocabulary = Vocabulary.model_validate(self._loads(self.meta("vocabulary")))
        return self._vocabulary

    def latest_date(self) -> str | None:
        """The latest date the data mentions (the default as-of date of queries)."""
        return self.meta("latest_date") or None

    def views(self) -> dict:
        return json.loads(self.meta("views"))

    def sources(self) -> dict[str, dict]:
        """The bibliography: source records by id, in file order."""
        loads = self._loads
        return {i: loads(r) for i, r in self.connection.execute("SELECT id, record FROM sources ORDER BY position")}

    # -- the whole dataset, in bulk ------------------------------------------------------------

    def dataset(self):
        """The whole validated :class:`~ecosystem.loader.Dataset`, read in bulk (kept once read)."""
        if self._dataset is None:
            from ..dataset import Dataset, Locations

            sections = {
                "sources": self.sources(),
                "entities": self._records("entities"),
                "relations": self._records("relations"),
            }
            self._dataset = Dataset(
                path=self.data_dir, folders=self.folders, vocabulary=self.vocabulary(), views=self.views(),
                locations=Locations(sections, [tuple(origin) for origin in self._loads(self.meta("origins"))]),
                skipped=self.skipped, **sections)
            from ..errors import Problem

            self._dataset.warnings = [Problem(**fields) for fields in json.loads(self.meta("warnings") or "[]")]
        return self._dataset

    def _records(self, table: str) -> dict[str, dict]:
        from ..collector import paused

        loads = self._loads
        with paused():  # many small acyclic dicts: collection passes cost more than the reading
            rows = self.connection.execute(f"SELECT id, record FROM {table} ORDER BY position")  # noqa: S608
            return {record_id: loads(record) for record_id, record in rows}

    # -- one entity ------------------------------------------------------------------------------

    def entity(self, entity_id: str) -> dict | None:
        """The record of ``entity_id`` (a dict, as the dataset holds it), or None."""
        row = self.connection.execute("SELECT record FROM entities WHERE id = ?", (entity_id,)).fetchone()
        return self._loads(row[0]) if row else None

    def entities(self, ids: Iterable[str]) -> dict[str, dict]:
        """The records of the given ids that exist, by id."""
        found = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            found.update((i, self._loads(r)) for i, r in self.connection.execute(
                f"SELECT id, record FROM entities WHERE id IN ({marks})", chunk))  # noqa: S608
        return found

    def entity_ids(self) -> list[str]:
        return [row[0] for row in self.connection.execute("SELECT id FROM entities ORDER BY position")]

    def relations_of(self, entity_id: str, direction: str = "both") -> dict[str, dict]:
        """The relation records (with ``from`` and ``to``) touching ``entity_id``, by id."""
        queries = {"out": ['"from" = ?'], "in": ['"to" = ?'], "both": ['"from" = ?', '"to" = ?']}[direction]
        found = {}
        for where in queries:
            found.update((i, self._loads(r)) for i, r in self.connection.execute(
                f"SELECT id, record FROM relations WHERE {where} ORDER BY position", (entity_id,)))  # noqa: S608
        return found

    # -- subgraphs -------------------------------------------------------------------------------

    def _link_types(self) -> tuple[str, ...]:
        """Relation types followed both ways by the walks: nominees and parties acting in concert
        (the control rules read both ends of them)."""
        vocabulary = self.vocabulary()
        return tuple(sorted(
            type_id for type_id, definition in vocabulary.relation_types.items()
            if definition.control == "nominee" or getattr(definition, "concert", False)))

    def _control_types(self) -> tuple[str, ...]:
        """The relation types the control rules read (votes, direct rules, contract parts, nominees,
        concert, economic interest): the walks follow only these, so a question about one entity does
        not wander through regulators, markets and services."""
        return tuple(sorted(
            type_id for type_id, definition in self.vocabulary().relation_types.items()
            if definition.control != "none" or definition.bundle or definition.concert or definition.economic))

    def _walk(self, start: Iterable[str], as_of, direction: str, limit: int | None = None) -> set[str]:
        """Every entity reached from ``start`` over relations the control rules read that are in force
        by ``as_of`` (effective start on or before it; a superset: ends are not looked at), against
        (``up``) or along (``down``) their direction, following the link types both ways.

        With ``limit``, the walk stops once it has reached more than ``limit`` entities (what it has
        reached by then is returned: a set larger than ``limit`` means "more than ``limit``")."""
        day = dates.first_day(as_of).isoformat() if as_of is not None else None
        links = self._link_types()
        kinds = self._control_types()
        dated = " AND (effective_day IS NULL OR effective_day <= ?)" if day else ""
        dated += f" AND type IN ({','.join('?' * len(kinds))})"
        near, far = ('"to"', '"from"') if direction == "up" else ('"from"', '"to"')
        link_marks = ",".join("?" * len(links))
        seen = set(start)
        frontier = list(seen)
        while frontier:
            following = set()
            for chunk in _chunks(frontier):
                marks = ",".join("?" * len(chunk))
                parameters = list(chunk) + ([day] if day else []) + list(kinds)
                following.update(row[0] for row in self.connection.execute(
                    f"SELECT {far} FROM relations WHERE {near} IN ({marks}){dated}", parameters))  # noqa: S608
                if links:
                    following.update(row[0] for row in self.connection.execute(
                        f"SELECT {near} FROM relations WHERE {far} IN ({marks}){dated}"  # noqa: S608
                        f" AND type IN ({link_marks})", parameters + list(links)))
            frontier = [node for node in following if node not in seen]
            seen.update(frontier)
            if limit is not None and len(seen) > limit:
                break
        return seen

    def _holders(self, ids: Iterable[str], as_of) -> set[str]:
        day = dates.first_day(as_of).isoformat() if as_of is not None else None
        kinds = self._control_types()
        dated = " AND (effective_day IS NULL OR effective_day <= ?)" if day else ""
        dated += f" AND type IN ({','.join('?' * len(kinds))})"
        found = set()
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            found.update(row[0] for row in self.connection.execute(
                f'SELECT "from" FROM relations WHERE "to" IN ({marks}){dated}',  # noqa: S608
                list(chunk) + ([day] if day else []) + list(kinds)))
        return found

    def subgraph_above(self, entity_id: str, as_of=None, *, also: Iterable[str] = ()):
        """A graph (the contract of :mod:`ecosystem.graph`) of ``entity_id`` and every entity above it
        (its holders, their holders ...) over relations whose effective start is on or before
        ``as_of``, with every relation among them: all the control rules read to answer about it.

        Not yet a snapshot: pass it to :func:`ecosystem.graph.snapshot`. ``also`` adds entities
        (e.g. the would-be controller of ``explain``) with their own upward closure.
        """
        nodes = self._walk([entity_id, *also], as_of, "up")
        return self.graph_of(nodes)

    def subgraph_below(self, entity_id: str, as_of=None):
        """A graph of ``entity_id``, every entity below it (what it holds, what those hold ...) and
        every holder of each of them, and what stands above ``entity_id`` itself (its verdict is part
        of the answer), with every relation among them (see :meth:`subgraph_above`)."""
        below = self._walk([entity_id], as_of, "down")
        return self.graph_of(below | self._holders(below, as_of) | self._walk([entity_id], as_of, "up"))

    def graph_of(self, nodes: Iterable[str]):
        """The graph of the given entities and every relation among them."""
        import networkx as nx

        nodes = set(nodes)
        graph = nx.MultiDiGraph()
        graph.graph.update(name=self.meta("name"), vocabulary=self.vocabulary(), sources=self.sources(),
                           views=self.views(), latest_date=self.latest_date())
        rows = []
        for chunk in _chunks(nodes):
            marks = ",".join("?" * len(chunk))
            rows.extend(self.connection.execute(
                f"SELECT position, id, record FROM entities WHERE id IN ({marks})", chunk))  # noqa: S608
        rows.sort()
        graph.add_nodes_from((entity_id, self._loads(record)) for _, entity_id, record in rows)
        categories = {t: d.category for t, d in self.vocabulary().relation_types.items()}
        rows = []
        for chunk in _chunks(sorted(nodes)):
            marks = ",".join("?" * len(chunk))
            rows.extend(self.connection.execute(
                f'SELECT position, id, "from", record FROM relations WHERE "to" IN ({marks})', chunk))  # noqa: S608
        rows.sort()
        for _, relation_id, source, record in rows:
            if source not in nodes:
                continue
            attributes = self._loads(record)
            u, v = attributes.pop("from"), attributes.pop("to")
            attributes["category"] = categories.get(attributes["type"], "")
            graph.add_edge(u, v, key=relation_id, **attributes)
        graph.graph["superseding"] = self._superseding(graph)
        return graph

    def _superseding(self, graph) -> list:
        """The relations outside ``graph`` that supersede one of its relations, as ``(from, to, id, record)``
        (a stake passing to another holder: ``supersedes: [...]``), for :func:`ecosystem.graph.relation_spans`."""
        held = [key for _, _, key in graph.edges(keys=True)]
        found = set()
        for chunk in _chunks(held):
            marks = ",".join("?" * len(chunk))
            found.update(row[0] for row in self.connection.execute(
                f"SELECT relation FROM supersessions WHERE superseded IN ({marks})", chunk))  # noqa: S608
        found -= set(held)
        result = []
        for chunk in _chunks(sorted(found)):
            marks = ",".join("?" * len(chunk))
            for _, relation_id, record in sorted(self.connection.execute(
                    f"SELECT position, id, record FROM relations WHERE id IN ({marks})", chunk)):  # noqa: S608
                attributes = self._loads(record)
                result.append((attributes.pop("from"), attributes.pop("to"), relation_id, attributes))
        return result

    def count(self, table: str) -> int:
        return self.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def _json_loads():
    try:
        import orjson

        return orjson.loads
    except ImportError:  # pragma: no cover
        return json.loads


def _chunks(items: Iterable[str]):
    items = list(items)
    for start in range(0, len(items), _IN_CLAUSE):
        yield items[start:start + _IN_CLAUSE]
