"""Load a dataset folder: read every file, validate every record, cross-check, report all problems.

The result is a :class:`Dataset` of plain JSON-ready dictionaries (the validated, normalised
records), which the graph, the queries and the exporters share. A content-hash cache in the
user's cache directory makes a repeat load of unchanged files cheap.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import hashlib
import json
import marshal
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from . import __version__, _yaml, dates
from .errors import DataError, Problem
from .models import Entity, Relation, Source
from .vocabulary import Vocabulary

RESERVED_FILES = {"vocabulary.yaml", "vocabulary.yml", "views.yaml", "views.yml"}
RECORD_SUFFIXES = {".yaml", ".yml", ".json", ".jsonl"}
SECTIONS = {"sources": Source, "entities": Entity, "relations": Relation}
SINGULAR = {"sources": "source", "entities": "entity", "relations": "relation"}
PLURAL = {value: key for key, value in SINGULAR.items()}
_ADAPTERS = {section: TypeAdapter(list[model]) for section, model in SECTIONS.items()}
_CACHE_FORMAT = 1


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
    locations: dict[str, tuple[str, int | None]] = field(default_factory=dict)

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


def _load(data_dir, contents, vocabulary_file, views_file, files, use_cache) -> Dataset:
    cache_file = _cache_path(data_dir, contents) if use_cache else None
    if cache_file is not None:
        cached = _read_cache(cache_file)
        if cached is not None:
            return _dataset_from_cache(data_dir, cached)
    reader = _Reader(data_dir, contents, fast=True)
    try:
        dataset = reader.run(vocabulary_file, views_file, files)
    except DataError:
        if not reader.fast_files:
            raise
        # a problem in data the fast YAML parser read: read everything again with PyYAML alone,
        # so that every message and line number is exactly PyYAML's
        dataset = _Reader(data_dir, contents, fast=False).run(vocabulary_file, views_file, files)
    if cache_file is not None:
        _write_cache(cache_file, dataset)
    return dataset


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while loading.

    Loading makes millions of small containers and no reference cycles worth collecting; the
    collector's repeated passes over them cost more than the rest of the load (several times
    over for 100,000 entities). Collection resumes, and runs once, afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    def __init__(self, data_dir: Path, contents: dict[Path, bytes], fast: bool = False):
        self.data_dir = data_dir
        self.contents = contents
        self.fast = fast  # try the optional fast YAML parser on record files
        self.fast_files: list[Path] = []  # the files it read
        self.problems: list[_Pending] = []
        self.texts: dict[Path, str] = {}
        # ids of records that failed validation: references to them are not reported again
        self.invalid_ids: set[str] = set()

    # problems are recorded with a path into the document and located (line) only at the end
    def problem(self, file: Path, path: tuple, record_id, message: str, hint: str = "", line=None):
        self.problems.append(_Pending(file, path, record_id, message, hint, line))

    def run(self, vocabulary_file: Path, views_file: Path | None, files: list[Path]) -> Dataset:
        vocabulary = self._read_vocabulary(vocabulary_file)
        views = self._read_views(views_file) if views_file else {}
        raw: dict[str, list[tuple[Path, tuple, dict]]] = {section: [] for section in SECTIONS}
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

    def _parse(self, file: Path, text: str, fast: bool = False):
        suffix = file.suffix.lower()
        if fast and suffix in (".yaml", ".yml"):
            data = _yaml.fast_parse(text)
            if data is not None:
                self.fast_files.append(file)
                return data
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
        data = self._parse(file, text, fast=self.fast)
        if data is None:
            if file in self.texts and not any(p.file == file for p in self.problems):
                self.problem(file, (), None, "the file holds no records", "add sources:, entities: or relations:", line=1)
            return
        if file.suffix.lower() == ".jsonl":
            for number, item in data:
                kind = item.pop("record", None) if isinstance(item, dict) else None
                if kind not in PLURAL:
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

    def _validate(self, section: str, items: list[tuple[Path, tuple, dict]]) -> list[tuple[Path, tuple, object]]:
        """Validate one section's records in bulk, falling back to one by one to place errors."""
        model = SECTIONS[section]
        payload = [item for _, _, item in items]
        try:
            parsed = _ADAPTERS[section].validate_python(payload)
            return [(file, path, record) for (file, path, _), record in zip(items, parsed)]
        except ValidationError as error:
            bad = {}
            for detail in error.errors():
                bad.setdefault(detail["loc"][0], []).append(detail)
        good = []
        for index, (file, path, item) in enumerate(items):
            if index not in bad:
                good.append((file, path, model.model_validate(item)))
                continue
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
            if source.id in sources:
                self._duplicate("source", source.id, file, path, locations)
                continue
            sources[source.id] = source.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            sources[source.id]["id"] = source.id
            locations["source:" + source.id] = (file, path)

        entities: dict[str, Entity] = {}
        for file, path, entity in validated["entities"]:
            if entity.id in entities:
                self._duplicate("entity", entity.id, file, path, locations)
                continue
            entities[entity.id] = entity
            locations[entity.id] = (file, path)
            if entity.type not in vocabulary.entity_types:
                self.problem(file, path + ("type",), entity.id, f"unknown entity type {entity.type!r}",
                             _did_you_mean(entity.type, vocabulary.entity_types)
                             or "add it to vocabulary.yaml under entity_types")
            self._check_dates(file, path, entity.id, entity.start, entity.end)
            self._check_citations(file, path, entity.id, entity.sources, sources, ("sources",))
            for index, fact in enumerate(entity.facts):
                self._check_citations(file, path, entity.id, fact.sources, sources, ("facts", index, "sources"))

        for entity_id, entity in entities.items():
            file, path = locations[entity_id]
            if entity.jurisdiction:
                target = entities.get(entity.jurisdiction)
                if target is None:
                    self._unknown_ref(file, path + ("jurisdiction",), entity_id, entity.jurisdiction, entities, "jurisdiction")
                elif target.type != "jurisdiction":
                    self.problem(file, path + ("jurisdiction",), entity_id,
                                 f"jurisdiction {entity.jurisdiction!r} is a {target.type}, not a jurisdiction",
                                 "name an entity of type jurisdiction")
            for index, other in enumerate(entity.distinct_from):
                if other not in entities:
                    self._unknown_ref(file, path + ("distinct_from", index), entity_id, other, entities, "distinct_from")
        self._check_names(entities, locations)

        relations: dict[str, Relation] = {}
        relation_paths: dict[str, tuple[Path, tuple]] = {}
        for file, path, relation in validated["relations"]:
            relation_id = relation.id or relation.default_id
            if relation.id is None and relation_id in relations:
                earlier = relations[relation_id]
                # on a clash of derived ids, both take their start date (or the clash is an error)
                if relation.start and relation_id + "__" + relation.start.replace("-", "_") not in relations:
                    if earlier.id is None and earlier.start and relation_paths.get(relation_id):
                        moved = relation_id + "__" + earlier.start.replace("-", "_")
                        if moved not in relations:
                            relations[moved] = relations.pop(relation_id)
                            relation_paths[moved] = relation_paths.pop(relation_id)
                    relation_id = relation_id + "__" + relation.start.replace("-", "_")
            if relation_id in relations:
                first_file, first_path = relation_paths[relation_id]
                self.problem(file, path, relation_id,
                             f"duplicate relation id {relation_id!r} (first at {_relative(first_file, self.data_dir)})",
                             "give each relation between the same two entities an `id:` of its own, "
                             "or a distinct `start:` date")
                continue
            relations[relation_id] = relation
            relation_paths[relation_id] = (file, path)
            self._check_relation(vocabulary, entities, sources, relation_id, relation, file, path)
        self._check_equity_sums(vocabulary, entities, relations, relation_paths)

        for relation_id, place in relation_paths.items():
            locations["relation:" + relation_id] = place

        entity_dicts = {
            entity_id: _dump(entity) for entity_id, entity in entities.items()
        }
        relation_dicts = {}
        for relation_id, relation in relations.items():
            record = _dump(relation)
            record["id"] = relation_id
            relation_dicts[relation_id] = record
        return Dataset(
            path=self.data_dir,
            vocabulary=vocabulary,
            sources=sources,
            entities=entity_dicts,
            relations=relation_dicts,
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

    def _check_dates(self, file, path, record_id, start, end):
        if start and end and dates.first_day(end) < dates.first_day(start):
            self.problem(file, path + ("end",), record_id, f"end {end} is before start {start}",
                         "swap them or correct the date")

    def _check_citations(self, file, path, record_id, citations, sources, where):
        for index, citation in enumerate(citations):
            if citation.source not in sources and citation.source not in self.invalid_ids:
                self.problem(file, path + where + (index,), record_id,
                             f"cites unknown source {citation.source!r}",
                             _did_you_mean(citation.source, sources) or "add it to sources.yaml")

    def _check_names(self, entities: dict[str, Entity], locations):
        seen: dict[str, str] = {}
        for entity_id, entity in entities.items():
            for name in {_fold(n) for n in [entity.name, *entity.aliases, *entity.names.values()] if n.strip()}:
                other_id = seen.get(name)
                if other_id is None:
                    seen[name] = entity_id
                    continue
                other = entities[other_id]
                if other_id in entity.distinct_from or entity_id in other.distinct_from:
                    continue
                file, path = locations[entity_id]
                self.problem(file, path + ("name",), entity_id,
                             f"name or alias {name!r} is also used by {other_id!r}",
                             f"merge the two, or list {other_id!r} under distinct_from if they really differ")

    def _check_relation(self, vocabulary, entities, sources, relation_id, relation, file, path):
        relation_type = vocabulary.relation_types.get(relation.type)
        if relation_type is None:
            self.problem(file, path + ("type",), relation_id, f"unknown relation type {relation.type!r}",
                         _did_you_mean(relation.type, vocabulary.relation_types)
                         or "add it to vocabulary.yaml under relation_types")
        for role, entity_id in (("from", relation.from_), ("to", relation.to)):
            entity = entities.get(entity_id)
            if entity is None:
                self._unknown_ref(file, path + (role,), relation_id, entity_id, entities, f"`{role}`")
                continue
            if relation_type is None:
                continue
            allowed = relation_type.allows_from if role == "from" else relation_type.allows_to
            if not allowed(entity.type):
                permitted = relation_type.from_ if role == "from" else relation_type.to
                self.problem(file, path + (role,), relation_id,
                             f"a {relation.type!r} relation cannot have a {entity.type} ({entity_id!r}) as its `{role}`",
                             f"allowed: {', '.join(permitted)}; check the direction (from = holder or actor) "
                             "or choose another relation type")
        if relation.from_ == relation.to:
            self.problem(file, path + ("to",), relation_id, "a relation from an entity to itself",
                         "check `from` and `to`")
        if relation_type is not None and not relation_type.shares and (relation.equity or relation.votes):
            self.problem(file, path + ("equity" if relation.equity else "votes",), relation_id,
                         f"a {relation.type!r} relation does not carry shares",
                         "use `owns` for a shareholding, or move the figure into `note`")
        if relation.law:
            law = entities.get(relation.law)
            if law is None:
                self._unknown_ref(file, path + ("law",), relation_id, relation.law, entities, "law")
            elif law.type != "law":
                self.problem(file, path + ("law",), relation_id, f"law {relation.law!r} is a {law.type}, not a law",
                             "name an entity of type law")
        self._check_dates(file, path, relation_id, relation.start, relation.end)
        self._check_citations(file, path, relation_id, relation.sources, sources, ("sources",))

    def _check_equity_sums(self, vocabulary, entities, relations, relation_paths):
        """The certain (low) equity held in one entity may not pass 100% at any date."""
        by_target: dict[str, list[str]] = defaultdict(list)
        for relation_id, relation in relations.items():
            if relation.equity is not None and relation.type in vocabulary.relation_types:
                if vocabulary.relation_types[relation.type].control in ("equity", "none"):
                    by_target[relation.to].append(relation_id)
        first_days: dict[str, object] = {}  # partial date -> its first day, computed once each

        def first_day(value):
            day = first_days.get(value)
            if day is None:
                day = first_days[value] = dates.first_day(value)
            return day

        for target, relation_ids in by_target.items():
            if len(relation_ids) < 2:
                continue
            moments = sorted({d for rid in relation_ids for d in (relations[rid].start, relations[rid].end, relations[rid].as_of) if d} | {"0001"},
                             key=dates.sort_key)
            # (start day, end day) of each stake, as _holds_at reads them
            spans = []
            for rid in relation_ids:
                relation = relations[rid]
                start = relation.start or relation.as_of
                spans.append((rid, start, first_day(start) if start is not None else None,
                              first_day(relation.end) if relation.end is not None else None))
            for moment in moments:
                if moment == "0001":
                    current = [rid for rid, start, _, _ in spans if start is None]
                else:
                    day = first_day(moment)
                    current = [rid for rid, _, begins, ends in spans
                               if (begins is None or begins <= day) and (ends is None or ends > day)]
                total = sum(relations[rid].equity.low for rid in current)
                if total <= 100.0001:
                    continue
                # blame the stake whose removal alone brings the total back to 100%, newest first
                culprits = [rid for rid in current if total - relations[rid].equity.low <= 100.0001] or current
                rid = max(culprits, key=lambda r: (dates.sort_key(_start_of(relations[r])) if _start_of(relations[r]) else "",
                                                   current.index(r)))
                file, path = relation_paths[rid]
                held = ", ".join(f"{relations[r].from_} {relations[r].equity}" for r in current)
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


def _dump(record) -> dict:
    data = record.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    values = record.__dict__  # a pydantic model's field values (getattr on a missing field is slow)
    for key in ("id", "type", "name"):
        value = values.get(key)
        if value is not None:
            data[key] = value
    return data


def _start_of(relation: Relation):
    return relation.start or relation.as_of


def _holds_at(relation: Relation, moment: str) -> bool:
    start = _start_of(relation)
    return dates.is_current(start, relation.end, moment) if moment != "0001" else start is None


def _fold(text: str) -> str:
    if text.isascii():  # NFKD leaves ASCII alone and it has no combining marks
        return text.casefold().strip()
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


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


def _cache_path(data_dir: Path, contents: dict[Path, bytes]) -> Path:
    digest = hashlib.sha256(f"{_CACHE_FORMAT}:{__version__}".encode())
    for file in sorted(contents, key=str):
        digest.update(str(file.resolve()).encode() + b"\0")
        digest.update(hashlib.sha256(contents[file]).digest())
    return cache_dir() / f"{digest.hexdigest()}.marshal"


def _read_cache(path: Path):
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        return marshal.loads(data)  # marshal.load(handle) reads in small pieces: several times slower
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write_cache(path: Path, dataset: Dataset) -> None:
    payload = {
        "vocabulary": dataset.vocabulary.model_dump(mode="json", by_alias=True),
        "sources": dataset.sources,
        "entities": dataset.entities,
        "relations": dataset.relations,
        "views": json.loads(json.dumps(dataset.views, default=str)),
        "locations": dataset.locations,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            marshal.dump(payload, handle)
        os.replace(temporary, path)
    except (OSError, ValueError):
        pass  # a cache that cannot be written only costs time


def _dataset_from_cache(data_dir: Path, payload: dict) -> Dataset:
    vocabulary = Vocabulary.model_validate(payload["vocabulary"])
    return Dataset(
        path=data_dir,
        vocabulary=vocabulary,
        sources=payload["sources"],
        entities=payload["entities"],
        relations=payload["relations"],
        views=payload["views"],
        locations={key: tuple(value) for key, value in payload["locations"].items()},
    )
