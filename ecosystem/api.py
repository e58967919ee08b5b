"""The Python API, for notebooks and scripts.

    >>> import ecosystem
    >>> eco = ecosystem.open()                 # the bundled data; or ecosystem.open("mydata/")
    >>> eco.controllers("ant_group", as_of="2023-06")["verdict"]
    'no controlling party'

:func:`open` reads nothing: the data is loaded and validated on the first question, once.
Every question returns a result whose :attr:`Result.data` is exactly the JSON document the
matching command prints with ``--json`` (the command line calls these same methods); results
print readably, show as a table in Jupyter, and those that are tables have ``to_frame()``
(pandas, imported when called). Errors are the library's exceptions (:mod:`ecosystem.errors`).
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from .errors import ExportError, QueryError

__all__ = ["Ecosystem", "open", "Result"]

_MAX_ROWS = 25  # rows shown by repr and in Jupyter; to_frame() has them all


def open(data=None, *, use_cache: bool = True) -> "Ecosystem":  # noqa: A001
    """The dataset in folder ``data`` (default: the bundled one; a list of folders: read as one
    dataset, e.g. ``ecosystem.open(["data/", "gb/"])``), ready for questions.

    Nothing is read until the first question; ``use_cache=False`` reads and validates every file
    instead of using the cache.
    """
    return Ecosystem(data, use_cache=use_cache)


class Ecosystem:
    """One dataset and the questions it answers. Made by :func:`open`.

    The dataset and its graph are loaded on first use and kept; graphs returned by :meth:`graph`
    are shared with later questions, so copy one (``graph.copy()``) before changing it.
    """

    def __init__(self, data=None, *, use_cache: bool = True, progress=None):
        if isinstance(data, (list, tuple)):
            data = [Path(folder) for folder in data] or None
            data = data[0] if data is not None and len(data) == 1 else data
        # the data folder (a list of folders: read as one dataset), None for the bundled data
        self.data = Path(data) if isinstance(data, (str, os.PathLike)) else data
        self.data_dir = self.data[0] if isinstance(self.data, list) else self.data  # the (first) folder
        self.use_cache = use_cache
        # a context manager factory yielding the loader's progress callback (or None): the CLI's bar
        self._progress = progress
        self._dataset = None
        self._graph = None
        self._snapshots: dict[str, object] = {}
        self._memory_index = None  # for SQL with use_cache=False
        self._index = None

    def __repr__(self) -> str:
        where = ("bundled data" if self.data is None else " + ".join(map(str, self.data))
                 if isinstance(self.data, list) else str(self.data))
        if self._dataset is None:
            return f"<Ecosystem {where} (not loaded yet)>"
        return (f"<Ecosystem {where}: {len(self._dataset.entities)} entities, "
                f"{len(self._dataset.relations)} relations, {len(self._dataset.sources)} sources>")

    # -- the data -----------------------------------------------------------------------------

    @property
    def index(self):
        """The data's SQLite index (:class:`ecosystem.index.Index`, built on first use; raises
        DataError), or None with ``use_cache=False``. Questions about one entity read only what
        they need from it; without it they are answered from the whole graph."""
        if not self.use_cache:
            return None
        if self._index is None:
            from .index import open_index

            if self._progress is None:
                self._index = open_index(self.data)
            else:
                with self._progress() as progress:
                    self._index = open_index(self.data, progress=progress)
        return self._index

    @property
    def dataset(self):
        """The validated :class:`~ecosystem.loader.Dataset` (loaded on first use; raises DataError)."""
        if self._dataset is None:
            index = self.index
            if index is not None:
                self._dataset = index.dataset()
            else:
                from .loader import load

                if self._progress is None:
                    self._dataset = load(self.data, use_cache=False)
                else:
                    with self._progress() as progress:
                        self._dataset = load(self.data, use_cache=False, progress=progress)
        return self._dataset

    def graph(self, as_of=None):
        """The graph (a ``networkx.MultiDiGraph``, see :mod:`ecosystem.graph`).

        Without ``as_of``: every entity and relation, whatever its dates. With ``as_of``
        (``2020``, ``"2020-11"``, ``"2020-11-03"``): what held at that date, as
        :func:`ecosystem.graph.snapshot` gives it.
        """
        if self._graph is None:
            from .graph import build_graph

            self._graph = build_graph(self.dataset)
        if as_of is None:
            return self._graph
        key = str(as_of)
        if key not in self._snapshots:
            from .graph import snapshot

            try:
                graph = snapshot(self._graph, as_of)
            except ValueError as error:
                raise QueryError(f"--as-of: {error}") from None
            if len(self._snapshots) >= 4:  # a few dates at a time: each snapshot is a graph
                self._snapshots.pop(next(iter(self._snapshots)))
            self._snapshots[key] = graph
        return self._snapshots[key]

    def at(self, as_of=None):
        """The graph queries answer on: as of ``as_of``, by default as of the latest date in the data."""
        when = as_of if as_of is not None else self.graph().graph.get("latest_date")
        return self.graph(when)

    @property
    def vocabulary(self):
        """Entity and relation types (:class:`~ecosystem.vocabulary.Vocabulary`)."""
        if self.index is not None:
            return self.index.vocabulary()
        return self.graph().graph["vocabulary"]

    # -- checks and counts ----------------------------------------------------------------------

    def validate(self, *, strict: bool = False) -> "Result":
        """``{"ok": bool, "problems": [...], "warnings": [...], "skipped": [...]}`` plus counts; problems
        instead of a DataError.

        ``skipped`` names the paths that look like data but were not read, and why; ``warnings`` what is
        doubtful but not wrong (a register's figures adding past 100%), counted as problems when ``strict``.
        """
        from .errors import DataError

        try:
            dataset = self.dataset
            problems = self._highlight_problems()
            if problems:
                raise DataError(problems, getattr(dataset, "skipped", ()), list(getattr(dataset, "warnings", ())))
        except DataError as error:
            warnings = [w.to_dict() for w in error.warnings]
            return Validation({"ok": False, "problems": [p.to_dict() for p in error.problems] + (warnings if strict else []),
                               "warnings": [] if strict else warnings,
                               "skipped": [s.to_dict() for s in error.skipped]}, error=error)
        skipped = getattr(dataset, "skipped", ())
        warnings = list(getattr(dataset, "warnings", ()))
        if strict and warnings:
            return Validation({"ok": False, "problems": [w.to_dict() for w in warnings], "warnings": [],
                               "skipped": [s.to_dict() for s in skipped]}, error=DataError(warnings, skipped))
        return Validation({"ok": True, "problems": [], "warnings": [w.to_dict() for w in warnings],
                           "entities": len(dataset.entities),
                           "relations": len(dataset.relations), "sources": len(dataset.sources),
                           "skipped": [s.to_dict() for s in skipped]},
                          path=dataset.path)

    def _highlight_problems(self) -> list:
        """What story steps highlight that their views do not draw at their dates
        (:func:`ecosystem.stories.highlight_problems`, as ``render --story`` and ``build`` check it):
        it needs the graph, so it is checked once the records are valid."""
        from .files import naming_folder
        from .stories import highlight_problems, load_stories, located, stories_file

        source = stories_file(self.data)
        stories = load_stories(self.data) if source is not None else {}
        if not any(step.highlight for story in stories.values() for step in story.steps):
            return []
        # files are named as the loader names them: relative to the one folder, or as given
        return located(highlight_problems(self.graph(), stories), source, naming_folder(self.data))

    def stats(self, as_of=None) -> "Result":
        """Counts by entity type and relation type, and citation coverage (of every date, or as of one)."""
        from .query import statistics

        if as_of is None and self.index is not None:  # SQL aggregates, kept in the index
            from .index.queries import statistics as indexed

            return Statistics(indexed(self.index))
        return Statistics(statistics(self.graph(as_of)))

    # -- entities -------------------------------------------------------------------------------

    def search(self, text: str, *, limit: int | None = 20, type: str | None = None) -> "Entities":  # noqa: A002
        """Entities matching ``text`` (English, Chinese, pinyin, alias; case and accents ignored), best first."""
        if self.index is not None:
            from .index.queries import search as indexed

            hits = indexed(self.index, text, limit=limit, entity_type=type)
        else:
            from .query import search

            hits = search(self.graph(), text, limit=limit, entity_type=type)
        return Entities(hits, title=f"search {text!r}")

    def resolve(self, entity_id):
        """The id an entity argument names: an entity's id as given; for a record merged into another by
        a ``same_as`` relation, the id kept; for a register's record id (BODS recordId, FtM id), its
        entity. Anything else is given back as it is (the question then says it is unknown)."""
        import re

        from .models import ID_PATTERN

        if not isinstance(entity_id, str):
            return entity_id
        plain = re.match(ID_PATTERN, entity_id) is not None
        if self.index is not None:
            from .index.queries import resolve as indexed

            return indexed(self.index, entity_id, plain) or entity_id
        from .registers import entity_for_merged, entity_for_record

        graph = self.graph()
        if entity_id in graph:
            return entity_id
        return ((entity_for_merged(graph, entity_id) if plain else None) or entity_for_record(graph, entity_id)
                or entity_id)

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Ids close to ``text`` (spelling), then search hits: what an unknown id is met with."""
        if self.index is not None:
            from .index.queries import suggest as indexed

            return indexed(self.index, text, limit)
        from .query import suggest

        return suggest(self.graph(), text, limit)

    def _indexed(self, name: str, *args):
        """The answer of :mod:`ecosystem.index.queries` ``name`` (reading only what it needs), or None
        without an index or where that query defers to the whole graph."""
        if self.index is None:
            return None
        from .index import queries

        found = getattr(queries, name)(self.index, *args)
        return found[0] if found is not None else None

    def entity(self, entity_id: str, *, as_of=None, all_dates: bool = False) -> "Entity":
        """An entity with its names, facts and relations both ways (in force at ``as_of``, or of every date)."""
        from .query import show

        entity_id = self.resolve(entity_id)
        found = self._indexed("show", entity_id, as_of, all_dates)
        if found is not None:
            return Entity(found)
        return Entity(show(self.graph() if all_dates else self.at(as_of), entity_id, whole=self.graph()))

    def neighbours(self, entity_id: str, *, depth: int = 1, types=None, direction: str = "both",
                   as_of=None) -> "Neighbours":
        """Entities within ``depth`` hops (``direction``: out, in or both) and the relations among them."""
        from .query import neighbours

        entity_id = self.resolve(entity_id)
        found = self._indexed("neighbours", entity_id, depth, _types(types), direction, as_of)
        if found is not None:
            return Neighbours(found)
        return Neighbours(neighbours(self.at(as_of), entity_id, depth, _types(types), direction, whole=self.graph()))

    def path(self, source: str, target: str, *, types=None, directed: bool = False, limit: int = 10,
             as_of=None) -> "Paths":
        """The shortest chains of relations connecting two entities, each step cited."""
        from .query import paths

        source, target = self.resolve(source), self.resolve(target)
        found = self._indexed("paths", source, target, _types(types), limit, directed, as_of)
        if found is None:
            found = paths(self.at(as_of), source, target, _types(types), limit=limit, directed=directed,
                          whole=self.graph())
        return Paths(found, title=f"paths from {source} to {target}")

    def timeline(self, entity_id: str | None = None, *, since=None, until=None) -> "Timeline":
        """Dated facts in order (about one entity, or all), optionally between two dates."""
        from .query import timeline

        entity_id = self.resolve(entity_id) if entity_id is not None else None
        try:
            if entity_id is not None and self.index is not None:  # one entity: its relations only
                from .index.queries import timeline as indexed

                items = indexed(self.index, entity_id, since, until)
            else:
                items = timeline(self.graph(), entity_id, since, until)
        except ValueError as error:
            raise QueryError(str(error)) from None
        return Timeline(items, title=f"timeline of {entity_id}" if entity_id else "timeline")

    def diff(self, before, after) -> "Result":
        """Relations and entities that began or ended between two dates."""
        from .query import diff

        try:
            return Diff(diff(self.graph(), before, after))
        except ValueError as error:
            raise QueryError(str(error)) from None

    # -- control --------------------------------------------------------------------------------
    # ``rules`` are the keywords of ecosystem.control.ControlRules: control_threshold=50,
    # significant_threshold=25, count_board=True, approximate_margin=0, stale_after=3.

    def analysis(self, as_of=None, **rules):
        """The control analysis as of a date (default: the latest in the data)."""
        from .control import ControlRules, analyse

        # the analysis takes its own snapshot of the whole graph: entities outside their dates stay known
        return analyse(self.graph(), as_of, ControlRules(**rules))

    def _analysis_of(self, entity_id, as_of, rules, *, below=False, also=()):
        """The analysis to answer about one entity: of what it depends on, read from the index
        (``below``: of what it may control), else of the whole graph."""
        if self.index is None:
            return self.analysis(as_of, **rules)
        from .control import ControlRules
        from .index.queries import control_analysis

        return control_analysis(self.index, entity_id, as_of, ControlRules(**rules), below=below, also=also)

    def controllers(self, entity_id: str, *, as_of=None, **rules) -> "Controllers":
        """Who controls ``entity_id``: verdict, ultimate and direct controllers, significant holders,
        legal owners, each with the chain that proves it."""
        entity_id = self.resolve(entity_id)
        answer = self._analysis_of(entity_id, as_of, rules).controllers(entity_id)
        if answer["verdict"] == "unknown" and answer["as_of"]:
            from .query import pointing_at

            # where to ask next: the company that operates a platform, say
            pointing = pointing_at(self.entity(entity_id, as_of=answer["as_of"]).data["incoming"], self.vocabulary)
            if pointing:
                answer["notes"].insert(1, f"in force on {answer['as_of']}, {entity_id} {'; '.join(pointing)} "
                                          "(relations that confer no control)")
        return Controllers(answer)

    def controlled(self, entity_id: str, *, as_of=None, **rules) -> "Controlled":
        """Everything ``entity_id`` controls, directly or through others, with how and the chain."""
        from .control.verdicts import basis

        entity_id = self.resolve(entity_id)
        analysis = self._analysis_of(entity_id, as_of, rules, below=True)
        items = analysis.controlled_by(entity_id)
        return Controlled({"entity": analysis.summary(entity_id), "as_of": analysis.when,
                           "verdict": analysis.verdict(entity_id), "controlled": items,
                           "basis": basis(*(item["chain"] for item in items)),
                           "rules": analysis.rules.to_dict()})

    def owners(self, entity_id: str, *, as_of=None, **rules) -> "Owners":
        """Legal owners and the economic interest of every holder through every path."""
        entity_id = self.resolve(entity_id)
        analysis = self._analysis_of(entity_id, as_of, rules)
        result = analysis.economic_interest(entity_id)
        result["legal_owners"] = analysis.legal_owners(entity_id)
        return Owners(result)

    def explain(self, controller_id: str, entity_id: str, *, as_of=None, **rules) -> "Explanation":
        """Whether ``controller_id`` controls ``entity_id``, and why or why not."""
        controller_id, entity_id = self.resolve(controller_id), self.resolve(entity_id)
        analysis = self._analysis_of(entity_id, as_of, rules, also=(controller_id,))
        return Explanation(analysis.explain(controller_id, entity_id))

    def control_diff(self, before, after, **rules) -> "Result":
        """Who gained or lost ultimate control of what between two dates."""
        from .control import ControlRules, control_diff

        return ControlDiff(control_diff(self.graph(), before, after, ControlRules(**rules)))

    # -- figures and exports --------------------------------------------------------------------

    def views(self) -> "Result":
        """The named views of the dataset (views.yaml)."""
        from .views import named_views

        return Views([{"name": name, "title": view.title, "description": view.description, "layout": view.layout,
                       "as_of": view.as_of} for name, view in named_views(self.graph()).items()], title="views")

    def render(self, view: str | None = None, output: str | os.PathLike | None = None, *, focus: str | None = None,
               depth: int = 1, types=None, as_of=None, language: str = "en"):
        """Draw a named view, or the entities around ``focus``, into ``output`` (``language="zh"``:
        Chinese names where the data has them).

        The suffix of ``output`` picks the format (.html .svg .png .pdf .dot); the path written is
        returned. Without ``output``, an HTML page is drawn in memory and returned as a
        :class:`Figure`, which Jupyter shows inline.
        """
        from .render import render_view
        from .views import adhoc_view, get_view

        graph = self.graph()
        if view is None and focus is None:
            raise QueryError("Name a view (see `ecosystem views`) or give --focus ID.")
        base = get_view(graph, view) if view else None
        types = _types(types)
        if focus is not None:
            focus = self.resolve(focus)
            if focus not in graph:
                from .query import suggest

                raise QueryError(f"--focus: no entity with id {focus!r}.", suggest(graph, focus))
            chosen = adhoc_view(graph, focus, depth, types, base=base)
        elif types:
            chosen = _filtered(graph, base, types)
        else:
            chosen = base
        if output is not None:
            return render_view(graph, chosen, Path(output), as_of=as_of, language=language)
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            written = render_view(graph, chosen, Path(folder) / "figure.html", as_of=as_of, language=language)
            return Figure(written.read_text(encoding="utf-8"), title=view or f"around {focus}")

    def export(self, format: str, output: str | os.PathLike | None = None, *, as_of=None,  # noqa: A002
               view: str | None = None, track=None):
        """Write the graph in one format (see :data:`ecosystem.exporters.FORMATS`), or ``"all"``.

        ``output`` defaults to the format's usual name in the current folder (``ecosystem-export/``
        for all; ``exports/`` belongs to ``build``). A file is written to a temporary name and
        renamed; a folder is made beside the old one and swapped in whole. ``track`` (all only)
        wraps the iteration over formats, for a progress display. Returns the list of
        :class:`~ecosystem.exporters.ExportResult` (what was written, and what the format could not hold).
        """
        from .exporters import FORMATS, export, write_all_results

        name = format.lower()
        if name != "all" and name not in FORMATS:
            raise ExportError(f"unknown export format {format!r}; choose one of: {format_names()}")
        graph = self.graph(as_of)
        if view:
            from .views import build_view

            graph = build_view(graph, view, as_of=as_of).graph
        if name == "all":
            return write_all_results(graph, Path(output) if output is not None else Path(ALL_DEFAULT), track=track)
        return [export(graph, name, Path(output) if output is not None else Path(FORMATS[name].default_name))]


    # -- SQL over the index -----------------------------------------------------------------------

    def _sql_index(self):
        """The index SQL runs on: the cached file's, else (``use_cache=False``) one built in memory."""
        if self.index is not None:
            return self.index
        if self._memory_index is None:
            from .index import open_index

            self._memory_index = open_index(self.data, use_cache=False)
        return self._memory_index

    def index_path(self) -> Path:
        """The index's file, to open with Datasette or sqlite-utils (QueryError when it is kept in memory)."""
        path = self._sql_index().path
        if path is None:
            raise QueryError("the index is kept in memory (--no-cache, or a cache folder that cannot be "
                             "written), so there is no file to open; run without --no-cache")
        return Path(path)

    def sql(self, query: str, parameters=()) -> "Rows":
        """The rows of one read-only SQL statement over the index (tables: docs/INDEX.md).

        ``parameters`` fill ``?`` or ``:name`` placeholders. A statement that would change anything
        is refused, as is bad SQL, with :class:`QueryError` carrying SQLite's message.
        """
        columns, rows = read_only_query(self._sql_index().connection, query, parameters)
        return Rows([dict(zip(columns, (_json_value(value) for value in row))) for row in rows],
                    title=query, columns=tuple(columns), raw=rows)


ALL_DEFAULT = "ecosystem-export"  # the folder of `export all` without -o (exports/ is what `build` writes)


def format_names() -> str:
    """The export formats' names as a sentence, from the FORMATS registry: "graphml, gexf, ..., or all"."""
    from .exporters import FORMATS

    return ", ".join(FORMATS) + ", or all"


# what a statement may do under `ecosystem sql`: read tables, call functions, recurse in a CTE,
# and read (never set) the pragmas that describe the schema. SQLite itself also asks, when it first
# reads the schema, to update sqlite_master and read data_version: that is reading.
_READING_ACTIONS = ("SELECT", "READ", "FUNCTION", "RECURSIVE")
_SCHEMA_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "database_list", "collation_list", "function_list", "module_list", "pragma_list", "compile_options",
    "data_version",
})
_SCHEMA_TABLES = ("sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema")
_AUTHORIZER_ACTIONS = (
    "CREATE_INDEX", "CREATE_TABLE", "CREATE_TEMP_INDEX", "CREATE_TEMP_TABLE", "CREATE_TEMP_TRIGGER",
    "CREATE_TEMP_VIEW", "CREATE_TRIGGER", "CREATE_VIEW", "DELETE", "DROP_INDEX", "DROP_TABLE", "DROP_TEMP_INDEX",
    "DROP_TEMP_TABLE", "DROP_TEMP_TRIGGER", "DROP_TEMP_VIEW", "DROP_TRIGGER", "DROP_VIEW", "INSERT", "PRAGMA",
    "READ", "SELECT", "TRANSACTION", "UPDATE", "ATTACH", "DETACH", "ALTER_TABLE", "REINDEX", "ANALYZE",
    "CREATE_VTABLE", "DROP_VTABLE", "FUNCTION", "SAVEPOINT", "RECURSIVE",
)


def read_only_query(connection, query: str, parameters=()) -> tuple[list[str], list[tuple]]:
    """Run one SQL statement on ``connection`` allowing it only to read; (column names, rows).

    The index's connection is already read-only (``mode=ro``, ``query_only``); an authorizer, set
    for this statement only, also refuses before it runs anything that is not reading (a write,
    ATTACH, a pragma setting), so the message can say why.
    """
    import sqlite3

    codes = {getattr(sqlite3, f"SQLITE_{name}"): name for name in _AUTHORIZER_ACTIONS if hasattr(sqlite3, f"SQLITE_{name}")}
    refused: list[str] = []

    def authorize(action, first, second, database, trigger):
        name = codes.get(action, str(action))
        if (name in _READING_ACTIONS or (name == "UPDATE" and first in _SCHEMA_TABLES)
                or (name == "PRAGMA" and first in _SCHEMA_PRAGMAS and (second is None or first != "data_version"))):
            return sqlite3.SQLITE_OK
        refused.append(" ".join(part for part in (name.replace("_", " "), first) if part))
        return sqlite3.SQLITE_DENY

    connection.set_authorizer(authorize)
    try:
        cursor = connection.execute(query, parameters)
        columns = [column[0] for column in cursor.description or ()]
        return columns, cursor.fetchall()
    except sqlite3.Error as error:  # and its subclasses: a syntax error, more than one statement ...
        if refused or "readonly" in str(error):
            named = [item for item in refused if not item.endswith(_SCHEMA_TABLES)]  # else: a schema change
            what = named[0] if named else (query.split(None, 1) or [str(error)])[0].upper()
            raise QueryError(f"SQL is read-only here; this statement is refused ({what}). Only reading "
                             "statements run (SELECT, WITH ... SELECT, PRAGMA table_info(...)); to change "
                             "the data, edit its files.") from None
        if str(error).startswith(("no such table", "no such column")):
            connection.set_authorizer(None)
            tables = [row[0] for row in connection.execute(  # not the full-text tables' own (created quoted)
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE TABLE ''%' "
                "ORDER BY name")]
            raise QueryError(f"SQL: {error} (tables: {', '.join(tables)}; their columns: docs/INDEX.md, or "
                             "PRAGMA table_info(TABLE))") from None
        raise QueryError(f"SQL: {error}") from None
    finally:
        connection.set_authorizer(None)


def _json_value(value):
    """A SQLite value as JSON holds it (a BLOB as hex text)."""
    return value.hex() if isinstance(value, (bytes, bytearray, memoryview)) else value


def _types(value) -> list[str] | None:
    """Relation or entity types as a list: None, "owns,controls" or ["owns", "controls"]."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    chosen = [part.strip() for part in value if part and part.strip()]
    return chosen or None


def _filtered(graph, view, values):
    """A named view keeping only some entity types, relation types or categories."""
    from .views import split_types

    entity_types, relation_types, categories = split_types(graph.graph["vocabulary"], values)
    update = {}
    if entity_types:
        update["exclude_types"] = sorted(set(graph.graph["vocabulary"].entity_types) - set(entity_types))
    if relation_types or categories:
        update.update(relations=relation_types, categories=categories)
    return view.model_copy(update=update)


# ----------------------------------------------------------------------------------------------
# results


class Result:
    """An answer: :attr:`data` is the JSON document ``--json`` prints.

    Subclasses that are tables define :attr:`columns` and :meth:`rows`; they get ``to_frame()``,
    a text table for ``repr`` and an HTML table for Jupyter.
    """

    columns: tuple[str, ...] = ()

    def __init__(self, data, *, title: str = "", **extra):
        self.data = data
        self.title = title
        for key, value in extra.items():
            setattr(self, key, value)

    def to_json(self, indent: int | None = 2) -> str:
        """:attr:`data` as JSON text, as the command line prints it."""
        return json.dumps(self.data, ensure_ascii=False, indent=indent)

    # -- tables ---------------------------------------------------------------------------------

    def rows(self) -> list[tuple]:
        """The table's rows, one tuple per row in the order of :attr:`columns`."""
        raise TypeError(f"{type(self).__name__} is not a table")

    def to_frame(self):
        """The table as a pandas DataFrame (pandas must be installed: ``pip install pandas``)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_frame() needs pandas: pip install pandas") from None
        return pandas.DataFrame(self.rows(), columns=list(self.columns))

    # -- display --------------------------------------------------------------------------------

    def heading(self) -> str:
        return self.title

    def lines(self) -> list[str]:
        """The text shown under the heading (a table by default)."""
        return _text_table(self.columns, self.rows()) if self.columns else []

    def __repr__(self) -> str:
        return "\n".join(line for line in [self.heading(), *self.lines()] if line is not None).rstrip()

    def _repr_html_(self) -> str:
        heading = f"<strong>{html.escape(self.heading())}</strong>"
        if self.columns:
            return heading + _html_table(self.columns, self.rows())
        return heading + "<pre>" + html.escape("\n".join(self.lines())) + "</pre>"


class _MappingResult(Result, Mapping):
    """A result that reads like the dict it holds."""

    def __getitem__(self, key):
        return self.data[key]

    def __iter__(self):
        return iter(self.data)

    def __len__(self):
        return len(self.data)

    __repr__ = Result.__repr__
    __eq__ = object.__eq__
    __hash__ = object.__hash__


class _ListResult(Result, Sequence):
    """A result that reads like the list it holds."""

    def __getitem__(self, index):
        return self.data[index]

    def __len__(self):
        return len(self.data)

    __repr__ = Result.__repr__
    __eq__ = object.__eq__
    __hash__ = object.__hash__


def _who(item: dict) -> str:
    return f"{item['name']} ({item['id']})"


def _cites(record: dict) -> str:
    return "; ".join(f"{c['source']} {c.get('locator', '')}".strip() for c in record.get("sources", []))


def _interval(value: dict) -> str:
    low, high = value["low"], value["high"]
    return f"{low:.4g}%" if abs(high - low) < 1e-9 else f"{low:.4g}-{high:.4g}%"


class Validation(_MappingResult):
    """The outcome of checking the data; ``error`` is the DataError when it is not ok."""

    error = None

    def heading(self):
        if self.data["ok"]:
            return (f"ok: {self.data['entities']} entities, {self.data['relations']} relations, "
                    f"{self.data['sources']} sources")
        return f"{len(self.data['problems'])} problem(s) in the data"

    columns = ("file", "line", "id", "message")

    def rows(self):
        return [(p["file"], p["line"], p["id"], p["message"]) for p in self.data["problems"]]


class Statistics(_MappingResult):
    columns = ("kind", "type", "count")

    def heading(self):
        return (f"{self.data['entities']} entities, {self.data['relations']} relations, "
                f"{self.data['sources']} sources")

    def rows(self):
        return ([("entity", name, count) for name, count in self.data["entity_types"].items()]
                + [("relation", name, count) for name, count in self.data["relation_types"].items()])


class Entities(_ListResult):
    """Entity objects (search hits carry ``score`` and ``matched``)."""

    columns = ("id", "name", "type", "matched", "score")

    def heading(self):
        return f"{self.title}: {len(self.data)} entit{'y' if len(self.data) == 1 else 'ies'}"

    def rows(self):
        return [(hit["id"], hit["name"], hit["type"], hit.get("matched"), hit.get("score")) for hit in self.data]


class Entity(_MappingResult):
    """One entity with its relations (``outgoing`` and ``incoming``); ``to_frame()`` lists the relations."""

    columns = ("direction", "relation", "type", "from", "to", "other", "start", "end", "details", "sources")

    def heading(self):
        head = f"{self.data['name']} ({self.data['id']}, {self.data['type']})"
        names = [name for _, name in sorted(self.data.get("names", {}).items())] + list(self.data.get("aliases", []))
        return head + (f" — also {', '.join(names)}" if names else "")

    def rows(self):
        from .query import relation_details

        rows = []
        for direction, other in (("outgoing", "to_name"), ("incoming", "from_name")):
            for edge in self.data[direction]:
                rows.append((direction, edge["id"], edge["type"], edge["from"], edge["to"], edge[other],
                             edge.get("start"), edge.get("end"), "; ".join(relation_details(edge)), _cites(edge)))
        return rows


class Neighbours(_MappingResult):
    columns = ("distance", "id", "name", "type")

    def heading(self):
        return (f"neighbours of {_who(self.data['entity'])}: {len(self.data['neighbours'])} entities, "
                f"{len(self.data['relations'])} relations")

    def rows(self):
        return [(item["distance"], item["id"], item["name"], item["type"]) for item in self.data["neighbours"]]


class Paths(_ListResult):
    """Paths, each a list of edges; ``to_frame()`` has one row per step."""

    columns = ("path", "step", "from", "type", "to", "relation", "sources")

    def heading(self):
        return f"{self.title}: {len(self.data)} path{'' if len(self.data) == 1 else 's'}"

    def rows(self):
        return [(number, step, edge["from"], edge["type"], edge["to"], edge["id"], _cites(edge))
                for number, chain in enumerate(self.data, 1) for step, edge in enumerate(chain, 1)]

    def lines(self):
        lines = []
        for number, chain in enumerate(self.data, 1):
            lines.append(f"path {number}:")
            lines.extend(f"  {edge['from_name']} —{edge['type']}→ {edge['to_name']}  [{_cites(edge)}]" for edge in chain)
        return lines


class Timeline(_ListResult):
    columns = ("date", "kind", "text", "sources")

    def heading(self):
        return f"{self.title}: {len(self.data)} dated facts"

    def rows(self):
        return [(item["date"], item["kind"], item["text"], _cites(item)) for item in self.data]


class Diff(_MappingResult):
    columns = ("change", "kind", "id", "what")

    def heading(self):
        return f"changes from {self.data['from']} to {self.data['to']}"

    def rows(self):
        rows = []
        for key, change in (("entities_added", "added"), ("entities_removed", "removed")):
            rows.extend((change, "entity", item["id"], item["name"]) for item in self.data[key])
        for key, change in (("relations_added", "added"), ("relations_removed", "removed")):
            rows.extend((change, "relation", edge["id"], f"{edge['from_name']} {edge['type']} {edge['to_name']}")
                        for edge in self.data[key])
        return rows


class Controllers(_MappingResult):
    """Who controls an entity; ``to_frame()`` has one row per ultimate or direct controller,
    significant holder and legal owner (column ``role``)."""

    columns = ("role", "id", "name", "status", "how")

    def heading(self):
        entity = self.data["entity"]
        return f"{_who(entity)} as of {self.data['as_of'] or 'any date'}: {self.data['verdict']}"

    def rows(self):
        rows = [("ultimate", item["id"], item["name"], item["status"], item["rule"]) for item in self.data["ultimate"]]
        rows += [("direct", item["id"], item["name"], item["status"], item["rule"]) for item in self.data["direct"]]
        rows += [("significant", item["id"], item["name"], item["status"], f"votes {_interval(item['votes'])}")
                 for item in self.data["significant"]]
        rows += [("legal owner", item["id"], item["name"], "legal owner", item["share"])
                 for item in self.data["legal_owners"]]
        return rows


class Controlled(_MappingResult):
    """What an entity controls; ``to_frame()`` has one row per controlled entity."""

    columns = ("id", "name", "type", "status", "via", "depth")

    def heading(self):
        entity = self.data["entity"]
        return f"{_who(entity)} as of {self.data['as_of'] or 'any date'} controls {len(self.data['controlled'])} entities"

    def rows(self):
        return [(item["id"], item["name"], item["type"], item["status"], " → ".join(item["via"]), item["depth"])
                for item in self.data["controlled"]]


class Owners(_MappingResult):
    """Legal owners and economic interest; ``to_frame()`` has one row per holder upstream."""

    columns = ("id", "name", "final", "interest_low", "interest_high")

    def heading(self):
        entity = self.data["entity"]
        owners = ", ".join(f"{_who(item)} {item['share']}" for item in self.data["legal_owners"]) or "none recorded"
        return f"{_who(entity)} as of {self.data['as_of'] or 'any date'}; legal owners: {owners}"

    def rows(self):
        return [(item["id"], item["name"], item["final"], item["interest"]["low"], item["interest"]["high"])
                for item in self.data["holders"]]


class Explanation(_MappingResult):
    """Whether A controls B; ``to_frame()`` lists the steps of the chain."""

    columns = ("step", "from", "to", "rule", "status", "test")

    def heading(self):
        return (f"{_who(self.data['controller'])} {self.data['status']} {_who(self.data['entity'])} "
                f"as of {self.data['as_of'] or 'any date'}")

    def rows(self):
        return [(number, step["from"], step["to"], step["rule"], step["status"], step["test"])
                for number, step in enumerate(self.data["chain"], 1)]

    def lines(self):
        found = self.data.get("look_through_votes")
        return [*(_text_table(self.columns, self.rows()) if self.data["chain"] else []),
                *(f"- {reason}" for reason in self.data["reasons"]),
                *([f"- its look-through votes: {_interval(found)}"] if found else [])]


class ControlDiff(_MappingResult):
    columns = ("id", "name", "before", "after")

    def heading(self):
        return f"ultimate control, {self.data['from']} → {self.data['to']}: {len(self.data['changes'])} change(s)"

    def rows(self):
        def who(items):
            return ", ".join(f"{item['id']} ({item['status']})" for item in items) or "no controlling party"

        return [(change["id"], change["name"], who(change["before"]), who(change["after"]))
                for change in self.data["changes"]]


class Views(_ListResult):
    columns = ("name", "title", "layout", "as_of")

    def rows(self):
        return [(view["name"], view["title"], view["layout"], view["as_of"]) for view in self.data]


class Rows(_ListResult):
    """The rows of a SQL statement: :attr:`data` is a list of row objects, ``columns`` their names."""

    raw: list = []

    def heading(self):
        return f"{len(self.data)} row{'' if len(self.data) == 1 else 's'}"

    def rows(self):
        return [tuple(_json_value(value) for value in row) for row in self.raw]


class Figure:
    """A drawn HTML page (from :meth:`Ecosystem.render` without a file); Jupyter shows it inline."""

    def __init__(self, page: str, title: str = ""):
        self.html = page
        self.title = title

    def __repr__(self) -> str:
        return f"<Figure {self.title} ({len(self.html):,} bytes of HTML; save() writes it)>"

    def save(self, path: str | os.PathLike) -> Path:
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" style="width:100%;height:600px;border:0" '
                f'title="{html.escape(self.title)}"></iframe>')


# ----------------------------------------------------------------------------------------------
# text and HTML tables


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _text_table(columns, rows) -> list[str]:
    shown = [[_cell(value) for value in row] for row in rows[:_MAX_ROWS]]
    widths = [max([len(column)] + [len(row[index]) for row in shown]) for index, column in enumerate(columns)]
    lines = ["  ".join(column.ljust(width) for column, width in zip(columns, widths)).rstrip()]
    lines += ["  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip() for row in shown]
    if len(rows) > _MAX_ROWS:
        lines.append(f"... {len(rows) - _MAX_ROWS} more rows (to_frame() has them all)")
    return lines


def _html_table(columns, rows) -> str:
    head = "".join(f"<th>{html.escape(column)}</th>" for column in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(value))}</td>" for value in row) + "</tr>"
                   for row in rows[:_MAX_ROWS])
    more = (f"<p>… {len(rows) - _MAX_ROWS} more rows (<code>to_frame()</code> has them all)</p>"
            if len(rows) > _MAX_ROWS else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
