"""Reading a data folder's files and locating problems: bytes to text, text to data (YAML, JSON,
JSON lines), data to validated records (the pydantic models, in bulk), and each problem placed
on its file and line.

Nothing here raises for bad input: every defect becomes a problem in a :class:`Report`, located
(its line found) only at the end, when the report is turned into :class:`~ecosystem.errors.Problem`\\ s.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .dataset import PLURAL, SECTIONS, SINGULAR
from .errors import Problem
from .vocabulary import Vocabulary

MAX_FILE_BYTES = 2 * 1024 ** 3  # a file this large is refused before it is read: memory, not data
_MODELS: dict = {}  # section -> (model, TypeAdapter(list[model])), built on first use


def _models() -> dict:
    if not _MODELS:
        from pydantic import TypeAdapter

        from .models import Entity, Relation, Source

        for section, model in (("sources", Source), ("entities", Entity), ("relations", Relation)):
            _MODELS[section] = (model, TypeAdapter(list[model]))
    return _MODELS


@dataclass
class _Pending:
    file: Path
    path: tuple  # keys and list indexes into the file's document, or ("#line", n)
    record_id: str | None
    message: str
    hint: str
    line: int | None = None
    # another place the message names: (file, path, record id); "{other}" in the message and the
    # hint becomes "file, line N" once located
    other: tuple | None = None


class Report:
    """The problems found in one data folder, each placed on its line when asked for."""

    def __init__(self, folder: Path, folders: tuple[Path, ...] = ()):
        self.folder = folder
        self.folders = folders or (folder,)  # several: --data given more than once
        self.pending: list[_Pending] = []
        self.doubtful: list[_Pending] = []  # warnings: doubtful, not wrong (validate --strict counts them)
        self.texts: dict[Path, str] = {}  # the text of each file read, to place problems in
        # ids of records that failed validation: references to them are not reported again
        self.invalid_ids: set[str] = set()

    def add(self, file: Path, path: tuple, record_id, message: str, hint: str = "", line: int | None = None,
            other: tuple | None = None) -> None:
        self.pending.append(_Pending(file, path, record_id, message, hint, line, other))

    def warn(self, file: Path, path: tuple, record_id, message: str, hint: str = "", line: int | None = None) -> None:
        self.doubtful.append(_Pending(file, path, record_id, message, hint, line))

    def __bool__(self) -> bool:
        return bool(self.pending)

    def located_warnings(self) -> list[Problem]:
        return self.located(self.doubtful)

    def located(self, pending_list=None) -> list[Problem]:
        trees: dict[Path, object] = {}
        located = []
        for pending in self.pending if pending_list is None else pending_list:
            line = pending.line
            if line is None and pending.path:
                try:
                    line = self._line_of(pending.file, pending.path, pending.record_id, trees)
                except RecursionError:  # pragma: no cover - a tree deeper than the stack
                    line = None
            message, hint = pending.message, pending.hint
            if pending.other is not None:
                other_file, other_path, other_id = pending.other
                try:
                    other_line = self._line_of(other_file, other_path, other_id, trees) if other_path else None
                except RecursionError:  # pragma: no cover
                    other_line = None
                place = relative(other_file, self.folder) + (f", line {other_line}" if other_line else "")
                message, hint = message.replace("{other}", place), hint.replace("{other}", place)
            located.append(Problem(relative(pending.file, self.folder), line, pending.record_id, message, hint))
        return located

    def _line_of(self, file: Path, path: tuple, record_id, trees) -> int | None:
        if path[0] == "#line":
            return path[1]
        import yaml

        from . import _yaml

        text = self.texts.get(file)
        if text is None:
            return None
        suffix = file.suffix.lower()
        if suffix in (".yaml", ".yml"):
            if file not in trees:
                try:
                    trees[file] = _yaml.compose(text)
                except (yaml.YAMLError, RecursionError):
                    trees[file] = None
            return _yaml.locate(trees[file], path) if trees[file] is not None else None
        if suffix == ".json" and record_id:
            import json

            needle = json.dumps(record_id)
            for number, line in enumerate(text.split("\n"), 1):
                if needle in line and '"id"' in line:
                    return number
        return None


# ---------------------------------------------------------------------------------------------
# files to data


def read_text(report: Report, file: Path, data: bytes | None = None) -> str | None:
    """The text of ``file`` (its bytes when given), or None with the problem reported."""
    if data is None:
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                report.add(file, (), None, f"the file is larger than {MAX_FILE_BYTES // 1024 ** 3} GB",
                           "split it into several files")
                return None
            data = file.read_bytes()
        except PermissionError:
            report.add(file, (), None, "cannot be read: permission denied",
                       "give the user read permission (chmod a+r) or move it out of the data folder")
            return None
        except OSError as error:
            report.add(file, (), None, f"cannot be read: {error.strerror or error}",
                       "check the file, or move it out of the data folder")
            return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        report.add(file, (), None, f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})",
                   "save the file as UTF-8", line=line)
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        report.add(file, (), None, "the file is empty",
                   "add records under sources:, entities: or relations:, or delete the file", line=1)
        return None
    report.texts[file] = text
    return text


# What the YAML parser was reading when it failed, for the constructs it only finds broken further on
# (at the end of the file for a quote never closed): the line where they began is the one to fix.
_UNCLOSED = {
    "while scanning a quoted scalar": ("a quoted text that starts here is never closed", "close the quote on this line"),
    "while scanning a simple key": ("a key that starts here has no ':'", "put ':' after the key on this line"),
    "while parsing a flow sequence": ("a '[' list that starts here is not closed", "close the list on this line with ']'"),
    "while parsing a flow mapping": ("a '{' mapping that starts here is not closed",
                                     "close the mapping on this line with '}'"),
}


def _unclosed_start(error):
    """(the mark where an unclosed quote, bracket or key began, what it is, the fix) when it is above
    the problem the parser reports, else None."""
    known = _UNCLOSED.get((error.context or "").strip())
    start, problem = error.context_mark, error.problem_mark
    if known is None or start is None or problem is None or start.line >= problem.line:
        return None
    return start, *known


def parse(report: Report, file: Path, text: str):
    """The data in ``text`` (None when it cannot be read, with the problem reported).

    YAML: PyYAML's safe loader; JSON: orjson; JSON lines: [(line number, data)]. A key given
    twice in one mapping is reported with both lines (the data keeps the second).
    """
    import yaml

    from . import _json, _yaml

    suffix = file.suffix.lower()
    try:
        if suffix == ".jsonl":
            data, duplicates = _json.parse_json_lines(text)
        elif suffix == ".json":
            data, duplicates = _json.parse_json(text)
        else:
            data, duplicates = _yaml.parse_noting_duplicates(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        column = f", column {mark.column + 1}" if mark else ""
        message = str(error.problem or error).strip()
        opened = _unclosed_start(error)
        if "could not determine a constructor" in str(error) or "tag" in message and "!" in str(error):
            report.add(file, (), None, f"unsafe or unknown YAML tag{column}: {message}",
                       "remove the !tag: data files hold plain values only", line=line)
        elif opened is not None:  # the parser noticed only further on: name the line where it began
            start, what, fix = opened
            report.add(file, (), None, f"malformed YAML, column {start.column + 1}: {what} "
                       f"(the parser stopped on line {line}: {message})", fix, line=start.line + 1)
        else:
            report.add(file, (), None, f"malformed YAML{column}: {message}",
                       "check indentation, colons and quotes on that line (an unclosed quote or bracket "
                       "may be on a line above it)", line=line)
        return None
    except yaml.YAMLError as error:
        report.add(file, (), None, f"malformed YAML: {error}", "check the file's syntax")
        return None
    except _yaml.AliasBombError as error:
        report.add(file, (), None, str(error), "expand the aliases by hand")
        return None
    except _json.JsonError as error:
        what = "malformed JSON line" if suffix == ".jsonl" else "malformed JSON"
        column = f", column {error.column}" if error.column and suffix != ".jsonl" else ""
        report.add(file, (), None, f"{what}{column}: {error.reason}",
                   "each line must be one JSON object" if suffix == ".jsonl" else "check commas, quotes and brackets",
                   line=error.line)
        return None
    except RecursionError:
        report.add(file, (), None, "the document is nested too deeply", "flatten the structure")
        return None
    for duplicate in duplicates:
        _duplicate_key(report, file, duplicate, suffix)
    return data


def _duplicate_key(report: Report, file: Path, duplicate, suffix: str) -> None:
    key = duplicate.key
    lines = (f"lines {duplicate.first_line} and {duplicate.second_line}"
             if duplicate.first_line != duplicate.second_line else f"line {duplicate.first_line}")
    if duplicate.first_line is None:
        lines = "two places"
    if duplicate.top_level and suffix != ".jsonl":
        report.add(file, (), None, f"top-level key {key!r} given twice ({lines}): the second would replace "
                   "every record of the first", f"merge the two lists under one `{key}:`",
                   line=duplicate.second_line)
    else:
        report.add(file, (), duplicate.record_id, f"key {key!r} given twice in one mapping ({lines}): "
                   "only one value can hold", f"keep one `{key}:` and delete the other", line=duplicate.second_line)


def read_vocabulary(report: Report, file: Path, data: bytes | None = None) -> Vocabulary:
    """The dataset's vocabulary (the bundled one, with the problems reported, when it is unusable)."""
    from pydantic import ValidationError

    from . import _yaml
    from .files import bundled_data_dir

    text = read_text(report, file, data)
    document = parse(report, file, text) if text is not None else None
    if isinstance(document, dict):
        try:
            vocabulary = Vocabulary.from_mapping(document)
        except ValidationError as error:
            for item in error.errors():
                report.add(file, tuple(item["loc"]), None, f"vocabulary: {item['msg']}",
                           "see the comments at the top of the bundled data/vocabulary.yaml")
        else:
            for message in vocabulary.check():
                report.add(file, (), None, f"vocabulary: {message}", "define it or fix the name")
            return vocabulary
    elif text is not None and document is not None:
        report.add(file, (), None, "the vocabulary must be a mapping", "start from the bundled data/vocabulary.yaml")
    # carry on with the bundled vocabulary so the records can still be checked
    bundled = bundled_data_dir() / "vocabulary.yaml"
    if bundled != file:
        return Vocabulary.from_mapping(_yaml.parse(bundled.read_text(encoding="utf-8")))
    return Vocabulary(categories={}, entity_types={}, relation_types={})


def read_views(report: Report, file: Path, data: bytes | None = None) -> dict:
    """views.yaml as parsed (its views are checked where they are used)."""
    text = read_text(report, file, data)
    document = parse(report, file, text) if text is not None else None
    if document is None:
        return {}
    if not isinstance(document, dict):
        report.add(file, (), None, "views.yaml must be a mapping with a `views:` key", "see data/views.yaml")
        return {}
    return document


def read_records(report: Report, file: Path, data: bytes | None = None):
    """(section, path into the document, item) for each record in a record file."""
    text = read_text(report, file, data)
    if text is None:
        return
    reported = len(report.pending)
    document = parse(report, file, text)
    if document is None:
        if len(report.pending) == reported:
            report.add(file, (), None, "the file holds no records", "add sources:, entities: or relations:", line=1)
        return
    if file.suffix.lower() == ".jsonl":
        for number, item in document:
            kind = item.pop("record", None) if isinstance(item, dict) else None
            if not isinstance(kind, str) or kind not in PLURAL:
                report.add(file, (), None, f"line {number}: `record` must be one of source, entity, relation",
                           'add "record": "entity" (or source, relation)', line=number)
                continue
            yield PLURAL[kind], ("#line", number), item
        return
    if not isinstance(document, dict):
        report.add(file, (), None, f"the top level must be a mapping, not a {type(document).__name__}",
                   "start the file with `entities:`, `relations:` or `sources:`", line=1)
        return
    for key, items in document.items():
        if key not in SECTIONS:
            report.add(file, (key,), None, f"unknown top-level key {key!r}",
                       did_you_mean(str(key), SECTIONS) or "use sources:, entities: or relations:")
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            report.add(file, (key,), None, f"`{key}` must be a list of records",
                       f"write each one as `- id: ...` under {key}:")
            continue
        for index, item in enumerate(items):
            yield key, (key, index), item


# ---------------------------------------------------------------------------------------------
# data to records


def validate(report: Report, section: str, items: list[tuple[Path, tuple, object]]) -> list[tuple[Path, tuple, dict]]:
    """One section's records validated by its model and dumped to plain dicts, in order (invalid
    ones reported and left out). All at once where they are all valid (one TypeAdapter call); on
    an error, the records it names are reported and the others validated again in bulk."""
    from pydantic import ValidationError

    model, adapter = _models()[section]
    payload = [item for _, _, item in items]
    bad: dict[int, list] = {}
    try:
        validated = adapter.validate_python(payload)
    except ValidationError as error:
        for detail in error.errors():
            bad.setdefault(detail["loc"][0], []).append(detail)
        good = [index for index in range(len(items)) if index not in bad]
        try:
            validated = adapter.validate_python([payload[index] for index in good])
        except RecursionError:  # pragma: no cover - pydantic guards its own depth
            validated, good = [], []
    except RecursionError:  # pragma: no cover
        report.add(items[0][0], (), None, f"{section}: nested too deeply to validate", "flatten the structure")
        return []
    else:
        good = range(len(items))
    dumped = adapter.dump_python(validated, mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    for index, details in bad.items():
        file, path, item = items[index]
        record_id = item.get("id") if isinstance(item, dict) else None
        if record_id is not None and not isinstance(record_id, str):
            record_id = str(record_id)
        if record_id is not None:
            record_id = record_id[:200]
            report.invalid_ids.add(record_id)
        for detail in details:
            _validation_problem(report, section, model, file, path, record_id, item, detail)
    return [(items[index][0], items[index][1], record) for index, record in zip(good, dumped)]


def _validation_problem(report, section, model, file, path, record_id, item, detail):
    loc = tuple(detail["loc"][1:])
    loc = tuple(step for step in loc if not (isinstance(step, str) and step.startswith("function-")))
    where = ".".join(str(step) for step in loc) or SINGULAR[section]
    kind = detail["type"]
    if not isinstance(item, dict):
        report.add(file, path, None, f"a {SINGULAR[section]} must be a mapping, got {type(item).__name__}",
                   "write the record as `key: value` lines")
        return
    if kind in ("extra_forbidden", "dict_type") or detail["msg"] == "Keys should be strings":
        last = loc[-1] if loc else ""
        if _looks_like_split_number(last) or (detail.get("input") is None and " " in str(last)):
            report.add(file, path + loc[:-1], record_id,
                       f"{where}: a comma inside {{...}} split a number or text into a key of its own",
                       "write numbers without thousands separators (2094, not 2,094), "
                       "or quote text that contains commas")
            return
    if kind == "extra_forbidden":
        target = _model_at(model, loc[:-1])
        names = _field_names(target) if target else []
        hint = did_you_mean(str(loc[-1]), names) or (f"allowed keys: {', '.join(names)}" if names else "remove it")
        report.add(file, path + loc, record_id, f"unknown key {where!r} in {SINGULAR[section]}", hint)
    elif kind == "missing":
        report.add(file, path + loc[:-1], record_id, f"missing required key {where!r}",
                   f"add `{loc[-1]}:` to the {SINGULAR[section]}"
                   + (" with at least one citation such as \"case §3.2, n 22\"" if loc[-1] == "sources" else ""))
    elif loc and loc[-1] == "sources" or kind == "too_short" and "sources" in loc:
        report.add(file, path + loc, record_id, f"{where}: {detail['msg']}",
                   "every record cites at least one source, e.g. \"case §3.2, n 22\"")
    elif "equity" in loc or "votes" in loc:
        report.add(file, path + loc, record_id, f"{where}: {_clean(detail['msg'])}",
                   "a share is a percentage from 0 to 100: 33, \"~25\" or {min: 20, max: 30}")
    elif kind == "string_pattern_mismatch" and loc and loc[-1] in ("id", "from", "to", "jurisdiction", "law", "source"):
        value = detail.get("input")
        report.add(file, path + loc, record_id, f"{where}: {value!r} is not a valid id",
                   "ids are lower_snake_case: letters a-z, digits and underscores, e.g. alibaba_group_holding")
    else:
        report.add(file, path + loc, record_id, f"{where}: {_clean(detail['msg'])}", _hint_for(loc))


SUGGESTION_POOL = 500  # candidates compared at most: a suggestion is a courtesy, not a search
_POOLS: dict[tuple[int, int], tuple[object, dict[str, list[str]]]] = {}  # by candidates' id and size


def forget_suggestions() -> None:
    """Drop the grouped candidates (they hold the last dataset's ids)."""
    _POOLS.clear()


def did_you_mean(word: str, candidates) -> str:
    """"did you mean 'x'?" for the closest candidates, or "". Among many candidates (a large
    dataset's ids), only those sharing the word's first letter are compared, and at most
    SUGGESTION_POOL of them (grouped once per candidate collection), so that many unknown ids
    cannot make a report slow."""
    if len(candidates) <= SUGGESTION_POOL:
        pool = [str(c) for c in candidates]
    else:
        key = (id(candidates), len(candidates))
        cached = _POOLS.get(key)
        if cached is None or cached[0] is not candidates:
            groups: dict[str, list[str]] = {}
            for candidate in candidates:
                text = str(candidate)
                group = groups.setdefault(text[:1], [])
                if len(group) < SUGGESTION_POOL:
                    group.append(text)
            if len(_POOLS) > 8:
                _POOLS.clear()
            cached = _POOLS[key] = (candidates, groups)
        pool = cached[1].get(word[:1], [])
    matches = difflib.get_close_matches(word, pool, n=3, cutoff=0.6)
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
        "value": "write a finite number in digits, such as 18.228 or 250000",
        "unit": "amount units are thousand, million, billion or trillion",
        "kind": "see docs/DATA_FORMAT.md for the source kinds",
        "names": "write names as {zh: 阿里巴巴}",
    }.get(last, "see docs/DATA_FORMAT.md")


def relative(file: Path, data_dir: Path) -> str:
    try:
        return file.relative_to(data_dir).as_posix()
    except ValueError:
        return str(file)
