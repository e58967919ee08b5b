"""Load a dataset folder: read every file, validate every record, cross-check, report all problems.

The result is a :class:`Dataset` of plain JSON-ready dictionaries (the validated, normalised
records), which the graph, the queries and the exporters share. A content-hash cache in the
user's cache directory makes a repeat load of unchanged files cheap.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import gc
import hashlib
import json
import marshal
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, dates
from .errors import DataError, Problem
from .vocabulary import Vocabulary

# yaml, pydantic and the record models are imported when a dataset is read, not when a cached one
# is loaded: a query on a warm cache does not pay for building the models' validators

RESERVED_FILES = {"vocabulary.yaml", "vocabulary.yml", "views.yaml", "views.yml"}
RECORD_SUFFIXES = {".yaml", ".yml", ".json", ".jsonl"}
SECTIONS = ("sources", "entities", "relations")
SINGULAR = {"sources": "source", "entities": "entity", "relations": "relation"}
PLURAL = {value: key for key, value in SINGULAR.items()}
_CACHE_FORMAT = 3
_MODELS: dict = {}  # section -> (model, TypeAdapter(list[model])), built on first use


def _models() -> dict:
    if not _MODELS:
        from pydantic import TypeAdapter

        from .models import Entity, Relation, Source

        for section, model in (("sources", Source), ("entities", Entity), ("relations", Relation)):
            _MODELS[section] = (model, TypeAdapter(list[model]))
    return _MODELS


def bundled_data_dir() -> Path:
    """The dataset shipped with the package (installed) or beside it (a checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data", here.parent / "data"):
        if (candidate / "vocabulary.yaml").is_file():
            return candidate
    return here.parent / "data"


@dataclass
class Dataset:
    """A validated dataset: records as plain dictionaries, keyed by id, in file order."""

    path: Path
    vocabulary: Vocabulary
    sources: dict[str, dict]
    entities: dict[str, dict]
    relations: dict[str, dict]
    views: dict = field(default_factory=dict)
    # where each record was read: "source:<id>", "<entity id>", "relation:<id>" -> (file, None)
    locations: Mapping[str, tuple[str, None]] = field(default_factory=dict)

    def latest_date(self) -> str | None:
        """The latest date the data mentions (the default as-of date of queries)."""
        found = {
            value
            for records in (self.relations, self.entities)
            for record in records.values()
            for key in ("start", "end", "as_of")
            if (value := record.get(key))
        }
        # the values are normalised partial dates, on which sort_key is one-to-one: the maximum of
        # the distinct values is the maximum of all of them
        return max(found, key=dates.sort_key) if found else None


class Locations(Mapping):
    """Where each record was read, built when first asked for (nothing asks on the usual paths).

    ``origins`` lists runs of records in file order as (section, file relative to the data folder,
    how many); the records' ids are the keys of the dataset's section dictionaries, in order.
    The mapping is the one the reader builds: sources first, then entities, then relations.
    """

    def __init__(self, sections: dict[str, dict], origins: list[tuple[str, str, int]]):
        self._sections, self.origins, self._built = sections, origins, None

    def _mapping(self) -> dict:
        if self._built is None:
            built: dict[str, tuple] = {}
            places: dict[str, tuple] = {}
            for section in SECTIONS:
                prefix = "" if section == "entities" else SINGULAR[section] + ":"
                ids = iter(self._sections[section])
                for origin_section, file, count in self.origins:
                    if origin_section == section:
                        place = places.setdefault(file, (file, None))
                        built.update(dict.fromkeys([prefix + next(ids) for _ in range(count)], place))
            self._built = built
        return self._built

    def __getitem__(self, key):
        return self._mapping()[key]

    def __iter__(self):
        return iter(self._mapping())

    def __len__(self):
        return len(self._mapping())


def _origins(locations: Mapping) -> list[tuple[str, str, int]]:
    """The runs of a locations mapping (see :class:`Locations`)."""
    if isinstance(locations, Locations):
        return locations.origins
    runs: list[list] = []
    for key, (file, _) in locations.items():
        section = "sources" if key.startswith("source:") else "relations" if key.startswith("relation:") else "entities"
        if runs and runs[-1][0] == section and runs[-1][1] == file:
            runs[-1][2] += 1
        else:
            runs.append([section, file, 1])
    return [tuple(run) for run in runs]


# ---------------------------------------------------------------------------------------------
# entry point


def load(path: str | os.PathLike | None = None, *, use_cache: bool = True) -> Dataset:
    """Load and validate the dataset in ``path`` (default: the bundled one).

    Raises :class:`DataError` listing every problem found.
    """
    data_dir = Path(path) if path is not None else bundled_data_dir()
    if not data_dir.exists():
        raise DataError([Problem(str(data_dir), None, None, "no such folder", "give --data an existing folder")])
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), None, None, "not a folder", "give --data the folder that holds the YAML files")])

    files = _record_files(data_dir)
    vocabulary_file = _vocabulary_file(data_dir)
    views_file = next((data_dir / name for name in ("views.yaml", "views.yml") if (data_dir / name).is_file()), None)
    inputs = [vocabulary_file] + ([views_file] if views_file else []) + files
    contents = {file: file.read_bytes() for file in inputs}

    with _gc_paused():
        return _load(data_dir, contents, vocabulary_file, views_file, files, use_cache)


def read_dataset(data_dir: str | os.PathLike) -> Dataset:
    """Read, validate and cross-check the dataset in ``data_dir``, using no cache.

    Raises :class:`DataError` listing every problem found.
    """
    return load(data_dir, use_cache=False)


def _load(data_dir, contents, vocabulary_file, views_file, files, use_cache) -> Dataset:
    entry = _cache_entry(data_dir, contents) if use_cache else None
    if entry is not None:
        cached = _read_cache(entry)
        if cached is not None:
            return _dataset_from_cache(data_dir, cached)
        shutil.rmtree(entry, ignore_errors=True)  # a damaged entry (or none): made again below
    staging = _staging(entry) if entry is not None else None
    try:
        dataset = _Reader(data_dir, contents).run(vocabulary_file, views_file, files)
        if staging is not None:
            _write_cache(entry, staging, dataset)
        return dataset
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _read(data_dir, contents, vocabulary_file, views_file, files) -> Dataset:
    return _Reader(data_dir, contents).run(vocabulary_file, views_file, files)


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while loading.

    Loading makes millions of small containers and no reference cycles worth collecting; the
    collector's repeated passes over them cost more than the rest of the load (several times
    over for 100,000 entities). Collection resumes afterwards.

    The objects that survive the load (the dataset) are then moved to the oldest generation:
    ``gc.freeze()`` followed at once by ``gc.unfreeze()`` does that in constant time. Otherwise
    the first young-generation collection after resuming walks every one of them (about 0.5 s
    for 100,000 entities) only to find them alive. They stay collectable: a full collection
    looks at them as it looks at any old object.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _promote_to_oldest_generation()
        if enabled:
            gc.enable()


def _promote_to_oldest_generation() -> None:
    gc.freeze()
    gc.unfreeze()


def _record_files(data_dir: Path) -> list[Path]:
    found = []
    for file in data_dir.rglob("*"):
        relative = file.relative_to(data_dir)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if file.suffix.lower() not in RECORD_SUFFIXES or not file.is_file():
            continue
        if len(relative.parts) == 1 and file.name in RESERVED_FILES:
            continue
        found.append(file)
    return sorted(found, key=lambda f: f.relative_to(data_dir).as_posix())


def _vocabulary_file(data_dir: Path) -> Path:
    for name in ("vocabulary.yaml", "vocabulary.yml"):
        if (data_dir / name).is_file():
            return data_dir / name
    return bundled_data_dir() / "vocabulary.yaml"


# ---------------------------------------------------------------------------------------------
# the reader: parse, validate, cross-check


class _Reader:
    def __init__(self, data_dir: Path, contents: dict[Path, bytes]):
        self.data_dir = data_dir
        self.contents = contents
        self.problems: list[_Pending] = []
        self.texts: dict[Path, str] = {}
        # ids of records that failed validation: references to them are not reported again
        self.invalid_ids: set[str] = set()
        self._first_days: dict[str, object] = {}

    # problems are recorded with a path into the document and located (line) only at the end
    def problem(self, file: Path, path: tuple, record_id, message: str, hint: str = "", line=None):
        self.problems.append(_Pending(file, path, record_id, message, hint, line))

    def run(self, vocabulary_file: Path, views_file: Path | None, files: list[Path]) -> Dataset:
        vocabulary = self._read_vocabulary(vocabulary_file)
        views = self._read_views(views_file) if views_file else {}
        raw: dict[str, list[tuple[Path, tuple, object]]] = {section: [] for section in SECTIONS}  # (file, path, item)
        for file in files:
            for section, path, item in self._read_records(file):
                raw[section].append((file, path, item))
        if not files:
            self.problem(self.data_dir, (), None, "no data files found",
                         "put entities.yaml and relations.yaml (or any *.yaml / *.json) in the folder")

        validated = {section: self._validate(section, raw[section]) for section in SECTIONS}
        dataset = self._cross_check(vocabulary, views, validated)
        if self.problems:
            raise DataError(self._located())
        return dataset

    # --- files ---------------------------------------------------------------------------

    def _text(self, file: Path) -> str | None:
        data = self.contents[file]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.problem(file, (), None, f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})",
                         "save the file as UTF-8", line=line)
            return None
        if text.startswith("\ufeff"):
            text = text[1:]
        if not text.strip():
            self.problem(file, (), None, "the file is empty",
                         "add records under sources:, entities: or relations:, or delete the file", line=1)
            return None
        self.texts[file] = text
        return text

    def _parse(self, file: Path, text: str):
        import yaml

        from . import _yaml

        suffix = file.suffix.lower()
        try:
            if suffix == ".jsonl":
                return _parse_jsonl(text)
            if suffix == ".json":
                return json.loads(text)
            return _yaml.parse(text)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else None
            column = f", column {mark.column + 1}" if mark else ""
            message = str(error.problem or error).strip()
            if "could not determine a constructor" in str(error) or "tag" in message and "!" in str(error):
                self.problem(file, (), None, f"unsafe or unknown YAML tag{column}: {message}",
                             "remove the !tag: data files hold plain values only", line=line)
            else:
                self.problem(file, (), None, f"malformed YAML{column}: {message}",
                             "check indentation, colons and quotes on that line", line=line)
        except yaml.YAMLError as error:
            self.problem(file, (), None, f"malformed YAML: {error}", "check the file's syntax")
        except _yaml.AliasBombError as error:
            self.problem(file, (), None, str(error), "expand the aliases by hand")
        except _JsonLineError as error:
            self.problem(file, (), None, f"malformed JSON line: {error.reason}",
                         "each line must be one JSON object", line=error.line)
        except json.JSONDecodeError as error:
            self.problem(file, (), None, f"malformed JSON, column {error.colno}: {error.msg}",
                         "check commas, quotes and brackets", line=error.lineno)
        except RecursionError:
            self.problem(file, (), None, "the document is nested too deeply", "flatten the structure")
        return None

    def _read_vocabulary(self, file: Path) -> Vocabulary:
        from pydantic import ValidationError

        from . import _yaml

        text = self._text(file)
        data = self._parse(file, text) if text is not None else None
        if isinstance(data, dict):
            try:
                vocabulary = Vocabulary.from_mapping(data)
            except ValidationError as error:
                for item in error.errors():
                    self.problem(file, tuple(item["loc"]), None, f"vocabulary: {item['msg']}",
                                 "see the comments at the top of the bundled data/vocabulary.yaml")
            else:
                for message in vocabulary.check():
                    self.problem(file, (), None, f"vocabulary: {message}", "define it or fix the name")
                return vocabulary
        elif text is not None and data is not None:
            self.problem(file, (), None, "the vocabulary must be a mapping", "start from the bundled data/vocabulary.yaml")
        # carry on with the bundled vocabulary so the records can still be checked
        bundled = bundled_data_dir() / "vocabulary.yaml"
        if bundled != file:
            return Vocabulary.from_mapping(_yaml.parse(bundled.read_text(encoding="utf-8")))
        return Vocabulary(categories={}, entity_types={}, relation_types={})

    def _read_views(self, file: Path) -> dict:
        text = self._text(file)
        data = self._parse(file, text) if text is not None else None
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(file, (), None, "views.yaml must be a mapping with a `views:` key", "see data/views.yaml")
            return {}
        return data

    def _read_records(self, file: Path):
        text = self._text(file)
        if text is None:
            return
        data = self._parse(file, text)
        if data is None:
            if file in self.texts and not any(p.file == file for p in self.problems):
                self.problem(file, (), None, "the file holds no records", "add sources:, entities: or relations:", line=1)
            return
        if file.suffix.lower() == ".jsonl":
            for number, item in data:
                kind = item.pop("record", None) if isinstance(item, dict) else None
                if not isinstance(kind, str) or kind not in PLURAL:
                    self.problem(file, (), None, f"line {number}: `record` must be one of source, entity, relation",
                                 'add "record": "entity" (or source, relation)', line=number)
                    continue
                yield PLURAL[kind], ("#line", number), item
            return
        if not isinstance(data, dict):
            self.problem(file, (), None, f"the top level must be a mapping, not a {type(data).__name__}",
                         "start the file with `entities:`, `relations:` or `sources:`", line=1)
            return
        for key, items in data.items():
            if key not in SECTIONS:
                self.problem(file, (key,), None, f"unknown top-level key {key!r}",
                             _did_you_mean(str(key), SECTIONS) or "use sources:, entities: or relations:")
                continue
            if items is None:
                continue
            if not isinstance(items, list):
                self.problem(file, (key,), None, f"`{key}` must be a list of records", f"write each one as `- id: ...` under {key}:")
                continue
            for index, item in enumerate(items):
                yield key, (key, index), item

    # --- records -------------------------------------------------------------------------

    def _validate(self, section: str, items: list[tuple[Path, tuple, dict]]) -> list[tuple[Path, tuple, dict]]:
        """Validate one section's records and dump them to plain dicts (in order; invalid ones left out)."""
        checked = self._validate_models(section, items)
        return [(file, path, record) for (file, path, _), record in zip(items, checked) if record is not None]

    def _validate_models(self, section: str, items: list[tuple[Path, tuple, dict]]) -> list[dict | None]:
        """The full models, in bulk, falling back to one by one to place errors (None: invalid)."""
        from pydantic import ValidationError

        model, adapter = _models()[section]
        dump = _dump_source if section == "sources" else _dump
        payload = [item for _, _, item in items]
        try:
            return [dump(record) for record in adapter.validate_python(payload)]
        except ValidationError as error:
            bad = {}
            for detail in error.errors():
                bad.setdefault(detail["loc"][0], []).append(detail)
        good: list[dict | None] = []
        for index, (file, path, item) in enumerate(items):
            if index not in bad:
                good.append(dump(model.model_validate(item)))
                continue
            good.append(None)
            record_id = item.get("id") if isinstance(item, dict) else None
            if record_id is not None and not isinstance(record_id, str):
                record_id = str(record_id)
            if record_id is not None:
                self.invalid_ids.add(record_id)
            for detail in bad[index]:
                self._validation_problem(section, model, file, path, record_id, item, detail)
        return good

    def _validation_problem(self, section, model, file, path, record_id, item, detail):
        loc = tuple(detail["loc"][1:])
        loc = tuple(step for step in loc if not (isinstance(step, str) and step.startswith("function-")))
        where = ".".join(str(step) for step in loc) or SINGULAR[section]
        kind = detail["type"]
        if not isinstance(item, dict):
            self.problem(file, path, None, f"a {SINGULAR[section]} must be a mapping, got {type(item).__name__}",
                         "write the record as `key: value` lines")
            return
        if kind in ("extra_forbidden", "dict_type") or detail["msg"] == "Keys should be strings":
            last = loc[-1] if loc else ""
            if _looks_like_split_number(last) or (detail.get("input") is None and " " in str(last)):
                self.problem(file, path + loc[:-1], record_id,
                             f"{where}: a comma inside {{...}} split a number or text into a key of its own",
                             "write numbers without thousands separators (2094, not 2,094), "
                             "or quote text that contains commas")
                return
        if kind == "extra_forbidden":
            target = _model_at(model, loc[:-1])
            names = _field_names(target) if target else []
            hint = _did_you_mean(str(loc[-1]), names) or (f"allowed keys: {', '.join(names)}" if names else "remove it")
            self.problem(file, path + loc, record_id, f"unknown key {where!r} in {SINGULAR[section]}", hint)
        elif kind == "missing":
            self.problem(file, path + loc[:-1], record_id, f"missing required key {where!r}",
                         f"add `{loc[-1]}:` to the {SINGULAR[section]}"
                         + (" with at least one citation such as \"case §3.2, n 22\"" if loc[-1] == "sources" else ""))
        elif loc and loc[-1] == "sources" or kind == "too_short" and "sources" in loc:
            self.problem(file, path + loc, record_id, f"{where}: {detail['msg']}",
                         "every record cites at least one source, e.g. \"case §3.2, n 22\"")
        elif "equity" in loc or "votes" in loc:
            self.problem(file, path + loc, record_id, f"{where}: {_clean(detail['msg'])}",
                         "a share is a percentage from 0 to 100: 33, \"~25\" or {min: 20, max: 30}")
        elif kind == "string_pattern_mismatch" and loc and loc[-1] in ("id", "from", "to", "jurisdiction", "law", "source"):
            value = detail.get("input")
            self.problem(file, path + loc, record_id, f"{where}: {value!r} is not a valid id",
                         "ids are lower_snake_case: letters a-z, digits and underscores, e.g. alibaba_group_holding")
        else:
            self.problem(file, path + loc, record_id, f"{where}: {_clean(detail['msg'])}", _hint_for(loc))

    # --- cross-checks --------------------------------------------------------------------

    def _cross_check(self, vocabulary: Vocabulary, views: dict, validated: dict) -> Dataset:
        locations: dict[str, tuple[Path, tuple]] = {}

        sources: dict[str, dict] = {}
        for file, path, source in validated["sources"]:
            source_id = source["id"]
            if source_id in sources:
                self._duplicate("source", source_id, file, path, locations)
                continue
            sources[source_id] = source
            locations["source:" + source_id] = (file, path)

        entity_types = vocabulary.entity_types
        check_citations = self._check_citations
        entities: dict[str, dict] = {}
        for file, path, entity in validated["entities"]:
            entity_id = entity["id"]
            if entity_id in entities:
                self._duplicate("entity", entity_id, file, path, locations)
                continue
            entities[entity_id] = entity
            locations[entity_id] = (file, path)
            entity_type = entity["type"]
            if entity_type not in entity_types:
                self.problem(file, path + ("type",), entity_id, f"unknown entity type {entity_type!r}",
                             _did_you_mean(entity_type, entity_types)
                             or "add it to vocabulary.yaml under entity_types")
            start = entity.get("start")
            if start is not None:
                self._check_dates(file, path, entity_id, start, entity.get("end"))
            check_citations(file, path, entity_id, entity["sources"], sources, ("sources",))
            facts = entity.get("facts")
            if facts:
                for index, fact in enumerate(facts):
                    check_citations(file, path, entity_id, fact["sources"], sources, ("facts", index, "sources"))

        for entity_id, entity in entities.items():
            jurisdiction = entity.get("jurisdiction")
            distinct_from = entity.get("distinct_from")
            if jurisdiction is None and distinct_from is None:
                continue
            file, path = locations[entity_id]
            if jurisdiction:
                target = entities.get(jurisdiction)
                if target is None:
                    self._unknown_ref(file, path + ("jurisdiction",), entity_id, jurisdiction, entities, "jurisdiction")
                elif target["type"] != "jurisdiction":
                    self.problem(file, path + ("jurisdiction",), entity_id,
                                 f"jurisdiction {jurisdiction!r} is a {target['type']}, not a jurisdiction",
                                 "name an entity of type jurisdiction")
            for index, other in enumerate(distinct_from or ()):
                if other not in entities:
                    self._unknown_ref(file, path + ("distinct_from", index), entity_id, other, entities, "distinct_from")
        self._check_names(entities, locations)

        relations: dict[str, dict] = {}
        relation_paths: dict[str, tuple[Path, tuple]] = {}
        check_relation = self._relation_checker(vocabulary, entities, sources)
        for file, path, relation in validated["relations"]:
            given_id = relation.get("id")
            relation_id = given_id or f"{relation['from']}__{relation['type']}__{relation['to']}"
            if given_id is None and relation_id in relations:
                earlier = relations[relation_id]
                start = relation.get("start")
                # on a clash of derived ids, both take their start date (or the clash is an error)
                if start and relation_id + "__" + start.replace("-", "_") not in relations:
                    earlier_start = earlier.get("start")
                    if earlier.get("id") is None and earlier_start and relation_paths.get(relation_id):
                        moved = relation_id + "__" + earlier_start.replace("-", "_")
                        if moved not in relations:
                            relations[moved] = relations.pop(relation_id)
                            relation_paths[moved] = relation_paths.pop(relation_id)
                    relation_id = relation_id + "__" + start.replace("-", "_")
            if relation_id in relations:
                first_file, first_path = relation_paths[relation_id]
                self.problem(file, path, relation_id,
                             f"duplicate relation id {relation_id!r} (first at {_relative(first_file, self.data_dir)})",
                             "give each relation between the same two entities an `id:` of its own, "
                             "or a distinct `start:` date")
                continue
            relations[relation_id] = relation
            relation_paths[relation_id] = (file, path)
            check_relation(relation_id, relation, file, path)
        self._check_equity_sums(vocabulary, entities, relations, relation_paths)

        for relation_id, place in relation_paths.items():
            locations["relation:" + relation_id] = place

        for relation_id, record in relations.items():
            record["id"] = relation_id  # a derived id is added last, as the dump of the model did
        return Dataset(
            path=self.data_dir,
            vocabulary=vocabulary,
            sources=sources,
            entities=entities,
            relations=relations,
            views=views,
            locations=_relative_locations(locations, self.data_dir),
        )

    def _duplicate(self, kind, record_id, file, path, locations):
        key = record_id if kind == "entity" else f"{kind}:{record_id}"
        first_file, _ = locations[key]
        self.problem(file, path + ("id",), record_id,
                     f"duplicate {kind} id {record_id!r} (first defined in {_relative(first_file, self.data_dir)})",
                     f"rename one of them or merge the two {PLURAL[kind]}")

    def _unknown_ref(self, file, path, record_id, target, entities, role):
        if target in self.invalid_ids:
            return  # already reported where that record is defined
        self.problem(file, path, record_id, f"{role} names unknown entity {target!r}",
                     _did_you_mean(target, entities) or "define the entity in entities.yaml first")

    def _first_day(self, value: str):
        """dates.first_day of a normalised partial date, computed once per distinct value."""
        day = self._first_days.get(value)
        if day is None:
            day = self._first_days[value] = dates.first_day(value)
        return day

    def _check_dates(self, file, path, record_id, start, end):
        if start and end and self._first_day(end) < self._first_day(start):
            self.problem(file, path + ("end",), record_id, f"end {end} is before start {start}",
                         "swap them or correct the date")

    def _check_citations(self, file, path, record_id, citations, sources, where):
        for citation in citations:
            if citation["source"] not in sources:
                break
        else:
            return  # the common case: every source known
        for index, citation in enumerate(citations):
            source = citation["source"]
            if source not in sources and source not in self.invalid_ids:
                self.problem(file, path + where + (index,), record_id,
                             f"cites unknown source {source!r}",
                             _did_you_mean(source, sources) or "add it to sources.yaml")

    def _check_names(self, entities: dict[str, dict], locations):
        seen: dict[str, str] = {}
        for entity_id, entity in entities.items():
            for name in _folded_names(entity):
                other_id = seen.get(name)
                if other_id is None:
                    seen[name] = entity_id
                    continue
                other = entities[other_id]
                if other_id in entity.get("distinct_from", ()) or entity_id in other.get("distinct_from", ()):
                    continue
                file, path = locations[entity_id]
                self.problem(file, path + ("name",), entity_id,
                             f"name or alias {name!r} is also used by {other_id!r}",
                             f"merge the two, or list {other_id!r} under distinct_from if they really differ")

    def _relation_checker(self, vocabulary, entities, sources):
        """A function checking one relation against the vocabulary, the entities and the sources."""
        relation_types = vocabulary.relation_types
        # per relation type: the entity types allowed at each end (None: any)
        ends = {type_id: (None if definition.from_ == "*" else frozenset(definition.from_),
                          None if definition.to == "*" else frozenset(definition.to))
                for type_id, definition in relation_types.items()}
        check_citations = self._check_citations

        def check(relation_id, relation, file, path):
            kind = relation["type"]
            relation_type = relation_types.get(kind)
            if relation_type is None:
                self.problem(file, path + ("type",), relation_id, f"unknown relation type {kind!r}",
                             _did_you_mean(kind, relation_types)
                             or "add it to vocabulary.yaml under relation_types")
                allowed = (None, None)
            else:
                allowed = ends[kind]
            source, target = relation["from"], relation["to"]
            for role, entity_id, permitted in (("from", source, allowed[0]), ("to", target, allowed[1])):
                entity = entities.get(entity_id)
                if entity is None:
                    self._unknown_ref(file, path + (role,), relation_id, entity_id, entities, f"`{role}`")
                    continue
                if relation_type is None or permitted is None or entity["type"] in permitted:
                    continue
                listed = relation_type.from_ if role == "from" else relation_type.to
                self.problem(file, path + (role,), relation_id,
                             f"a {kind!r} relation cannot have a {entity['type']} ({entity_id!r}) as its `{role}`",
                             f"allowed: {', '.join(listed)}; check the direction (from = holder or actor) "
                             "or choose another relation type")
            if source == target:
                self.problem(file, path + ("to",), relation_id, "a relation from an entity to itself",
                             "check `from` and `to`")
            if relation_type is not None and not relation_type.shares:
                equity = relation.get("equity")
                if equity or relation.get("votes"):
                    self.problem(file, path + ("equity" if equity else "votes",), relation_id,
                                 f"a {kind!r} relation does not carry shares",
                                 "use `owns` for a shareholding, or move the figure into `note`")
            law_id = relation.get("law")
            if law_id:
                law = entities.get(law_id)
                if law is None:
                    self._unknown_ref(file, path + ("law",), relation_id, law_id, entities, "law")
                elif law["type"] != "law":
                    self.problem(file, path + ("law",), relation_id, f"law {law_id!r} is a {law['type']}, not a law",
                                 "name an entity of type law")
            start = relation.get("start")
            if start is not None:
                self._check_dates(file, path, relation_id, start, relation.get("end"))
            check_citations(file, path, relation_id, relation["sources"], sources, ("sources",))

        return check

    def _check_equity_sums(self, vocabulary, entities, relations, relation_paths):
        """The certain (low) equity held in one entity may not pass 100% at any date."""
        counted = {type_id for type_id, definition in vocabulary.relation_types.items()
                   if definition.control in ("equity", "none")}
        by_target: dict[str, list[str]] = defaultdict(list)
        for relation_id, relation in relations.items():
            if relation["type"] in counted and "equity" in relation:
                by_target[relation["to"]].append(relation_id)
        first_day = self._first_day
        sort_keys: dict[str, str] = {"0001": dates.sort_key("0001")}

        def sort_key(value):  # dates.sort_key of a normalised partial date, once per value
            key = sort_keys.get(value)
            if key is None:
                key = sort_keys[value] = first_day(value).isoformat() + "/" + str(len(value))
            return key

        from .graph import standing_types, supersession

        counted_ids = {rid for ids in by_target.values() if len(ids) > 1 for rid in ids}
        cut = supersession(((r["from"], r["to"], rid, r) for rid, r in relations.items()
                            if rid in counted_ids or r.get("supersedes")),
                           standing_types(vocabulary))  # a superseded stake ends where it is replaced
        for target, relation_ids in by_target.items():
            if len(relation_ids) < 2:
                continue
            # (start, start day, end day, low share) of each stake, as dates.is_current reads them
            spans = []
            moments = {"0001"}
            low_total = 0.0
            for rid in relation_ids:
                relation = relations[rid]
                start, end, as_of = relation.get("start"), relation.get("end"), relation.get("as_of")
                if rid in cut:
                    end = cut[rid][1]
                moments.update(d for d in (start, end, as_of) if d)
                start = start or as_of
                low = _share_low(relation["equity"])
                low_total += low
                spans.append((rid, start, first_day(start) if start is not None else None,
                              first_day(end) if end is not None else None, low))
            if low_total <= 100.0001:
                continue  # no subset of the stakes can pass 100%
            for moment in sorted(moments, key=sort_key):
                if moment == "0001":
                    current = [(rid, low) for rid, start, _, _, low in spans if start is None]
                else:
                    day = first_day(moment)
                    current = [(rid, low) for rid, _, begins, ends, low in spans
                               if (begins is None or begins <= day) and (ends is None or ends > day)]
                total = sum(low for _, low in current)
                if total <= 100.0001:
                    continue
                current_ids = [rid for rid, _ in current]
                # blame the stake whose removal alone brings the total back to 100%, newest first
                culprits = [rid for rid, low in current if total - low <= 100.0001] or current_ids

                def newest(r):
                    start = _start_of(relations[r])
                    return (sort_key(start) if start else "", current_ids.index(r))

                rid = max(culprits, key=newest)
                file, path = relation_paths[rid]
                held = ", ".join(f"{relations[r]['from']} {_share_text(relations[r]['equity'])}" for r in current_ids)
                when = f"at {moment}" if moment != "0001" else "among undated stakes"
                self.problem(file, path + ("equity",), rid,
                             f"equity held in {target!r} sums to {total:g}% {when} ({held})",
                             "give the stakes start/end dates so they do not overlap, or correct a share")
                break

    # --- locating ------------------------------------------------------------------------

    def _located(self) -> list[Problem]:
        trees: dict[Path, object] = {}
        located = []
        for pending in self.problems:
            line = pending.line
            if line is None and pending.path:
                line = self._line_of(pending.file, pending.path, pending.record_id, trees)
            located.append(Problem(_relative(pending.file, self.data_dir), line, pending.record_id,
                                   pending.message, pending.hint))
        return located

    def _line_of(self, file: Path, path: tuple, record_id, trees) -> int | None:
        if path and path[0] == "#line":
            return path[1]
        import yaml

        from . import _yaml

        suffix = file.suffix.lower()
        text = self.texts.get(file)
        if text is None:
            return None
        if suffix in (".yaml", ".yml"):
            if file not in trees:
                try:
                    trees[file] = _yaml.compose(text)
                except yaml.YAMLError:
                    trees[file] = None
            return _yaml.locate(trees[file], path) if trees[file] is not None else None
        if suffix == ".json" and record_id:
            needle = json.dumps(record_id)
            for number, line in enumerate(text.splitlines(), 1):
                if needle in line and '"id"' in line:
                    return number
        return None


@dataclass
class _Pending:
    file: Path
    path: tuple
    record_id: str | None
    message: str
    hint: str
    line: int | None = None


class _JsonLineError(ValueError):
    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line, self.reason = line, reason


def _parse_jsonl(text: str) -> list[tuple[int, object]]:
    items = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append((number, json.loads(line)))
        except json.JSONDecodeError as error:
            raise _JsonLineError(number, error.msg) from None
    return items


# ---------------------------------------------------------------------------------------------
# helpers


def _dump_source(record) -> dict:
    data = record.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["id"] = record.id
    return data


def _dump(record) -> dict:
    data = record.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    values = record.__dict__  # a pydantic model's field values (getattr on a missing field is slow)
    for key in ("id", "type", "name"):
        value = values.get(key)
        if value is not None:
            data[key] = value
    return data


def _start_of(relation: dict):
    return relation.get("start") or relation.get("as_of")


def _holds_at(relation: dict, moment: str) -> bool:
    start = _start_of(relation)
    return dates.is_current(start, relation.get("end"), moment) if moment != "0001" else start is None


def _share_low(share: dict) -> float:
    """Share.low of a dumped share: what is certain."""
    value = share.get("value")
    if value is not None:
        return value
    low = share.get("min")
    return low if low is not None else 0.0


def _share_text(share: dict) -> str:
    """str(Share) of a dumped share."""
    value = share.get("value")
    if value is not None:
        return f"{'~' if share.get('approximate') else ''}{_number(value)}%"
    low = _number(share["min"]) if share.get("min") is not None else "?"
    high = _number(share["max"]) if share.get("max") is not None else "?"
    return f"{low}-{high}%"


def _number(value: float) -> str:  # as models._number
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def _folded_names(entity: dict):
    """The folded forms of an entity's name, aliases and names in other languages (blank ones left out)."""
    aliases, names = entity.get("aliases"), entity.get("names")
    if aliases is None and names is None:
        name = entity["name"]
        return (_fold(name),) if name.strip() else ()
    return {_fold(n) for n in [entity["name"], *(aliases or ()), *(names or {}).values()] if n.strip()}


def _fold(text: str) -> str:
    if text.isascii():  # NFKD leaves ASCII alone and it has no combining marks
        return text.casefold().strip()
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii() or max(decomposed) <= "\uffff":
        return decomposed.translate(_combining_marks()).strip()
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@functools.cache
def _combining_marks() -> dict[int, None]:
    """A str.translate table deleting the combining marks of the Basic Multilingual Plane."""
    import unicodedata

    return dict.fromkeys(code for code in range(0x300, 0x10000) if unicodedata.combining(chr(code)))


def _did_you_mean(word: str, candidates) -> str:
    matches = difflib.get_close_matches(word, [str(c) for c in candidates], n=3, cutoff=0.6)
    return ("did you mean " + " or ".join(repr(m) for m in matches) + "?") if matches else ""


def _model_at(model, loc: tuple):
    current = model
    for step in loc:
        if isinstance(step, int):
            continue
        fields = getattr(current, "model_fields", {})
        info = next((f for name, f in fields.items() if name == step or f.alias == step), None)
        if info is None:
            return None
        annotation = info.annotation
        current = _inner_model(annotation)
        if current is None:
            return None
    return current


def _inner_model(annotation):
    from typing import get_args

    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _field_names(model) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _looks_like_split_number(key) -> bool:
    """`{value: 2,094}` in a flow mapping parses as a key 94 (or "094 ..."): a comma split a number."""
    return isinstance(key, int) or (isinstance(key, str) and key[:3].isdigit())


def _clean(message: str) -> str:
    return message.replace("Value error, ", "")


def _hint_for(loc: tuple) -> str:
    last = next((step for step in reversed(loc) if isinstance(step, str)), "")
    return {
        "start": "write a date as 2014, 2014-09 or 2014-09-19",
        "end": "write a date as 2014, 2014-09 or 2014-09-19",
        "as_of": "write a date as 2014, 2014-09 or 2014-09-19",
        "date": "write a date as 2014, 2014-09 or 2014-09-19",
        "currency": "use an ISO 4217 code such as CNY or USD",
        "unit": "amount units are thousand, million, billion or trillion",
        "kind": "see docs/DATA_FORMAT.md for the source kinds",
        "names": "write names as {zh: 阿里巴巴}",
    }.get(last, "see docs/DATA_FORMAT.md")


def _relative_locations(locations: dict, data_dir: Path) -> dict:
    names: dict[Path, tuple] = {}  # one (name, None) tuple per file, shared
    result = {}
    for key, (file, _) in locations.items():
        place = names.get(file)
        if place is None:
            place = names[file] = (_relative(file, data_dir), None)
        result[key] = place
    return result


def _relative(file: Path, data_dir: Path) -> str:
    try:
        return file.relative_to(data_dir).as_posix()
    except ValueError:
        return str(file)


# ---------------------------------------------------------------------------------------------
# cache: validated records keyed by a hash of every input byte


def cache_dir() -> Path:
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


def _cache_entry(data_dir: Path, contents: dict[Path, bytes]) -> Path:
    """The cache entry (a folder) for these inputs: named by a hash of every byte and path."""
    digest = hashlib.sha256(f"{_CACHE_FORMAT}:{__version__}".encode())
    for file in sorted(contents, key=str):
        digest.update(str(file.resolve()).encode() + b"\0")
        digest.update(hashlib.sha256(contents[file]).digest())
    return cache_dir() / digest.hexdigest()


_STALE_SECONDS = 24 * 3600  # a folder still being made after this long was left by a process that died


def _staging(entry: Path) -> Path | None:
    """A new empty folder beside ``entry`` to make it in, or None when the cache cannot be written.

    Folders other processes left half-made a day ago or more are removed on the way.
    """
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        for leftover in entry.parent.glob("*.tmp"):
            with contextlib.suppress(OSError):
                if time.time() - leftover.stat().st_mtime > _STALE_SECONDS:
                    shutil.rmtree(leftover, ignore_errors=True)
        # a name of its own, even for two loads of the same data at once in one process
        return Path(tempfile.mkdtemp(prefix=f"{entry.name}.", suffix=".tmp", dir=entry.parent))
    except OSError:
        return None


def _read_cache(entry: Path):
    """The cached payload (see _write_cache) with its records put together, or None."""
    try:
        payload = marshal.loads((entry / "header").read_bytes())
        sections: dict[str, dict] = {section: {} for section in SECTIONS}
        for name in payload["parts"]:
            with open(entry / name, "rb") as handle:  # marshal.load(handle) reads in small pieces: slower
                for section, records in marshal.loads(handle.read()):
                    sections[section].update(records)
        payload.update(sections)
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # used now: kept by _prune for another UNUSED_DAYS
    return payload


def _write_cache(entry: Path, staging: Path, dataset: Dataset) -> None:
    """Make the cache entry for ``dataset`` in ``staging`` and put it in place whole.

    The entry is a folder: ``header`` (vocabulary, views, where records were read, the record
    files in order) and ``records``, a marshalled [(section, records)] list. A half-made entry is
    never read: only the finished folder is renamed into place.
    """
    try:
        parts = ["records"]
        with open(staging / "records", "wb") as handle:
            marshal.dump([(section, getattr(dataset, section)) for section in SECTIONS], handle)
        header = {
            "vocabulary": dataset.vocabulary.model_dump(mode="json", by_alias=True),
            "views": json.loads(json.dumps(dataset.views, default=str)),
            "origins": _origins(dataset.locations),
            "parts": parts,
            "data": str(dataset.path.resolve()),
        }
        with open(staging / "header", "wb") as handle:
            marshal.dump(header, handle)
        os.rename(staging, entry)
    except (OSError, ValueError):
        return  # written by another process meanwhile, or not writable: a cache only saves time
    _prune(entry, header["data"])


UNUSED_DAYS = 30  # a cache entry not read for this long is removed when another is made


def _prune(kept: Path, data: str) -> None:
    """Remove the entries ``kept`` supersedes (earlier contents of the same data folder) and the
    entries nobody has read for UNUSED_DAYS, so the cache does not grow with every edit."""
    for entry in kept.parent.iterdir():
        if entry == kept or entry.name.endswith(".tmp") or not entry.is_dir():
            continue
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
            unused = time.time() - entry.stat().st_mtime > UNUSED_DAYS * 24 * 3600
            if unused or marshal.loads((entry / "header").read_bytes()).get("data") == data:
                shutil.rmtree(entry, ignore_errors=True)


def _dataset_from_cache(data_dir: Path, payload: dict) -> Dataset:
    vocabulary = Vocabulary.model_validate(payload["vocabulary"])
    sections = {section: payload[section] for section in SECTIONS}
    return Dataset(
        path=data_dir,
        vocabulary=vocabulary,
        sources=sections["sources"],
        entities=sections["entities"],
        relations=sections["relations"],
        views=payload["views"],
        locations=Locations(sections, [tuple(origin) for origin in payload["origins"]]),
    )
