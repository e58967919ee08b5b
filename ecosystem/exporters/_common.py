"""What every exporter shares: atomic writes, deterministic order, cleaning values for flat formats.

Nothing here imports a heavy library; each format module imports what it needs itself.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_file, write_text  # noqa: F401 (the writers import them from here)
from ..errors import ExportError
from ..text import take_unused

# XML 1.0 forbids these; spreadsheets and terminals choke on them too. Tab, LF and CR stay.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
NUMERIC_PARTS = ("equity", "votes", "amount")
_SLUG_BAD = re.compile(r"[^\w.-]+")  # \w: Unicode letters and digits, and _ (all XML name characters)


@dataclass
class ExportResult:
    """What a writer wrote, and what it could not write (by reason), so nothing is lost silently."""

    format: str
    paths: list[Path] = field(default_factory=list)
    nodes: int = 0
    edges: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count

    def summary(self) -> str:
        text = f"{self.format}: {self.nodes} entities, {self.edges} relations"
        if self.skipped:
            text += "; left out: " + ", ".join(f"{count} {reason}" for reason, count in sorted(self.skipped.items()))
        return text


# ---------------------------------------------------------------------------------------------
# files


# one helper for atomic writes, shared with the renderers and ``ecosystem build``
atomic_path = atomic_file


def prepare_directory(path) -> Path:
    directory = Path(path)
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is a file; this format writes a folder of files")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot create folder {directory}: {error.strerror or error}") from None
    return directory


# ---------------------------------------------------------------------------------------------
# order and identity


def sorted_nodes(graph):
    """(id, attributes) sorted by id, so every export lists entities in the same order."""
    return sorted(graph.nodes(data=True), key=lambda item: str(item[0]))


def sorted_edges(graph):
    """(from, to, key, attributes) sorted by relation id (the edge key), then endpoints."""
    return sorted(graph.edges(keys=True, data=True), key=lambda item: (str(item[2]), str(item[0]), str(item[1])))


def edges_in_time(graph):
    """:func:`sorted_edges`, a relation that a later record supersedes carrying ``in_force_end`` (when it
    stops counting) and ``superseded_by`` (:func:`ecosystem.graph.relation_spans`): a reader that does
    not apply our time rules still sees an observation end where a later one replaces it."""
    from ..graph import relation_spans

    spans = relation_spans(graph)
    for u, v, key, data in sorted_edges(graph):
        span = spans.get(key)
        if span is not None and span[1] is not None:
            data = {**data, "in_force_end": span[1], "superseded_by": span[2]}
        yield u, v, key, data


def slugger(fresh: bool = False):
    """A function giving each id a unique slug (letters, digits, ``_.-``; starting with a letter or ``_``).

    The same id gets the same slug, unless ``fresh``: then every call gets a new one (edge ids,
    where two edges may share a key).
    """
    given: dict[str, str] = {}
    used: set[str] = set()

    def slug(value) -> str:
        text = str(value)
        found = None if fresh else given.get(text)
        if found is not None:
            return found
        candidate = _SLUG_BAD.sub("_", clean_text(text)).strip("_") or "id"
        if not (candidate[0].isalpha() or candidate[0] == "_"):
            candidate = "n" + candidate
        candidate = given[text] = take_unused(candidate, used)
        return candidate

    return slug


# ---------------------------------------------------------------------------------------------
# values


def clean_text(value: str) -> str:
    """The text without characters XML 1.0 and spreadsheets cannot hold."""
    return _CONTROL.sub("", value) if _CONTROL.search(value) else value


def plain(value):
    """A JSON-ready copy: dates as ISO text, tuples and sets as lists, control characters removed."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {clean_text(str(key)): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(item) for item in value), key=str)
    return clean_text(str(value))


def to_json(value) -> str:
    return json.dumps(plain(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def citation_text(citation) -> str:
    if isinstance(citation, dict):
        return f"{citation.get('source', '')} {citation.get('locator', '') or ''}".strip()
    return str(citation)


def _scalar(value):
    """A scalar for a flat format, or None when the value is not one."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return value
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return None


def flatten(attributes: dict, rename: dict | None = None, drop=()) -> dict:
    """One record as flat scalar columns, for GraphML, GEXF and CSV.

    * ``None`` is left out;
    * a mapping of scalars becomes one column per key (``equity`` -> ``equity_value``,
      ``equity_min``, ``equity_max``, ``equity_approximate``; ``names`` -> ``names_zh``);
    * ``sources`` becomes the citations joined by ``"; "``, any other list of scalars is joined
      by ``"; "``; anything deeper (facts, lists of mappings) is JSON-encoded;
    * ``rename`` maps a name the format reserves to the column name used instead.
    """
    rename = rename or {}
    flat: dict = {}
    for key, value in attributes.items():
        if value is None or key in drop:
            continue
        name = rename.get(key, clean_text(str(key)))
        single = _scalar(value)
        if single is not None:
            flat[name] = single
        elif key == "sources" and isinstance(value, (list, tuple)):
            if value:
                flat[name] = clean_text("; ".join(citation_text(item) for item in value))
        elif isinstance(value, dict):
            parts = {sub: _scalar(item) for sub, item in value.items() if item is not None}
            if all(item is not None for item in parts.values()):
                for sub, item in parts.items():
                    if key in NUMERIC_PARTS and isinstance(item, int) and not isinstance(item, bool):
                        item = float(item)  # one column type whether the data says 33 or 33.5
                    flat[f"{name}_{clean_text(str(sub))}"] = item
            else:
                flat[name] = to_json(value)
        elif isinstance(value, (list, tuple, set, frozenset)):
            items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
            if not items:
                continue
            scalars = [_scalar(item) for item in items]
            if all(item is not None for item in scalars):
                flat[name] = "; ".join(str(item) for item in scalars)
            else:
                flat[name] = to_json(items)
        else:
            flat[name] = clean_text(str(value))
    return flat


def share_of(value):
    """A share dict as a :class:`~ecosystem.models.Share`, or None when absent or malformed."""
    if not isinstance(value, dict):
        return None
    from ..models import Share

    try:
        return Share.model_validate(value)
    except ValueError:
        return None


def weight(attributes: dict) -> float:
    """Edge weight for Gephi and layouts: the certain share (equity, else votes) in percent, else 1."""
    for key in ("equity", "votes"):
        found = share_of(attributes.get(key))
        if found is not None:
            return float(found.low)
    return 1.0


def share_label(value) -> str | None:
    found = share_of(value)
    return str(found) if found is not None else None


def vocabulary_of(graph):
    return graph.graph.get("vocabulary")


def entity_type_label(graph, type_id) -> str | None:
    vocabulary = vocabulary_of(graph)
    if vocabulary is None or type_id not in vocabulary.entity_types:
        return None
    return vocabulary.entity_types[type_id].label


def relation_type_definition(graph, type_id):
    vocabulary = vocabulary_of(graph)
    if vocabulary is None:
        return None
    return vocabulary.relation_types.get(type_id)


def graph_metadata(graph) -> dict:
    """The graph-level attributes that are plain values (never the vocabulary or bibliography objects)."""
    found = {}
    for key in ("name", "as_of", "latest_date", "view"):
        value = graph.graph.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            found[key] = clean_text(str(value))
    return found


def iso_day(value, end: bool = False) -> str | None:
    """A partial date as a full ISO day (its first day), or None when it is not a date."""
    from .. import dates

    if value is None:
        return None
    try:
        return dates.first_day(value).isoformat()
    except (ValueError, TypeError):
        return None


def scalar_type(value) -> str:
    """The attribute type a scalar is written as: boolean, long, double or string."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def merge_types(known: str | None, found: str) -> str:
    """One type per attribute: long and double widen to double, arrays stay arrays, else string."""
    if known is None or known == found:
        return found
    if {known, found} == {"long", "double"}:
        return "double"
    return "array" if "array" in (known, found) else "string"
