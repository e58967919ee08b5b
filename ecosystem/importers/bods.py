"""BODS 0.4 statements -> our records, as JSON lines (``records.jsonl``).

For analysts who load a beneficial-ownership register: the output folder is a dataset of its own
(``ecosystem --data DIR validate``) that can also sit beside ours.

The mapping is the vocabulary's, read backwards, and keeps what the register says:

* an entity or person record becomes the entity type whose ``bods`` mapping names its
  ``entityType`` / ``personType`` (the one marked ``default`` when several do; our export writes the
  type's label in ``entityType.details``, which picks that type back). Unknown and anonymous
  persons and unknown entities become unknown parties that keep the reason
  (``unspecified_reason``); an unspecified interested party becomes one unknown party per
  relationship. Identifiers (scheme, id, scheme name, uri) are kept; the record id is kept as
  ``record_id``, which every command accepts in place of our id;
* each interest becomes the relation type that is the ``bods_default`` of its interest type
  (``shareholding`` and ``votingRights`` together: one ``owns`` with ``equity`` and ``votes``), or the
  type whose label the interest's ``details`` give (as our export writes them). An interest with no
  type is an unknown interest;
* ``directOrIndirect: indirect`` is kept (``indirect: true``): a look-through interest, not a holding
  on the register; ``beneficialOwnershipOrControl: true`` is kept (``beneficial: true``);
  ``isComponent`` and ``componentRecords`` are kept (``component``, ``components``);
* shares: ``exact`` is a value (approximate when the details say so), ``minimum``/``maximum`` a range,
  ``exclusiveMinimum``/``exclusiveMaximum`` a range whose bound is excluded ("more than 50%");
* history: every statement of a record counts, in statement-date order. A relationship statement is
  in force from its interests' start (the first statement) or its own date (later ones) until the next
  statement of the record, its interests' end, or the statement that closes the record; ``as_of`` is
  its statement date. An entity takes its latest details (earlier names become aliases); a closed
  entity or person record ends at the closing statement.

Each record cites the file as a ``dataset`` source, with the statement id as locator. BODS dates are
full days, so a partial date exported as BODS comes back as its first day.

The file is read as a stream (JSON lines statement by statement; a JSON array as one document): what
is kept in memory is the converted records, not the statements. The conversion runs in four steps
(``_Converter.steps``): reading, entity records, relationship records, ordering the output.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ..errors import EcosystemError
from ..same_as import identifier_key
from ..text import take_unused

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*$")
APPROXIMATE = "approximate share"
# an interest's details saying its statement's date is no observation of it (our export of a relation with no
# as_of: the statement date is its sources' date): the relation gets no as_of back
NOT_OBSERVED = "statement date not an observation date"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
OUTPUT_FILE = "records.jsonl"
OUTPUT_FILES = (OUTPUT_FILE,)
UNKNOWN_INTEREST = "unknownInterest"
JURISDICTION_SCHEME = "ISO-3166"  # a BODS jurisdiction's code: ISO 3166-1 alpha-2, or ISO 3166-2


class BodsImportError(EcosystemError):
    """The BODS file could not be read or written as our records."""


@dataclass
class ImportResult:
    paths: list[Path] = field(default_factory=list)
    statements: int = 0
    entities: int = 0
    relations: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def summary(self) -> str:
        text = f"{self.statements} statements: {self.entities} entities, {self.relations} relations"
        if self.skipped:
            text += "; left out: " + ", ".join(f"{count} {reason}" for reason, count in sorted(self.skipped.items()))
        return text


# ---------------------------------------------------------------------------------------------
# reading


def _write_records(records, target: Path) -> None:
    """An importer's records as JSON lines in ``target``, written whole or not at all."""
    from ..exporters._common import atomic_path, prepare_directory

    prepare_directory(target.parent)
    with atomic_path(target, newline="\n") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


def _open_input(path: Path, error_class):
    """``path`` opened for reading in binary, or ``error_class`` saying why it cannot be."""
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise error_class(f"{path}: no such file") from None
    except OSError as error:
        raise error_class(f"{path}: cannot read it ({error.strerror or error})") from None


def iter_statements(path):
    """(line, statement) for each statement of a BODS file: a JSON array, one object, or JSON lines.

    JSON lines are read one line at a time (nothing but the current line is held); a JSON array is
    parsed as one document.
    """
    path = Path(path)
    with _open_input(path, BodsImportError) as stream:
        head = stream.read(4096)
        stream.seek(0)
        first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if first == b"[":
            yield from _whole(path, stream.read())
            return
        if first not in (b"{", b""):
            raise BodsImportError(f"{path}: not JSON (it starts with {first!r}); expected BODS statements")
        loads = orjson.loads
        for number, line in enumerate(stream, 1):
            try:
                item = loads(line)
            except orjson.JSONDecodeError as error:  # a blank line, a byte-order mark, or not JSON
                text = line.removeprefix(b"\xef\xbb\xbf") if number == 1 else line
                if not text.strip():
                    continue
                try:
                    item = loads(text)
                except orjson.JSONDecodeError:
                    if number == 1:  # one pretty-printed object, not JSON lines
                        stream.seek(0)
                        yield from _whole(path, stream.read())
                        return
                    raise BodsImportError(f"{path}, line {number}: not JSON ({_reason(error)}); "
                                          "each line of a JSON lines file is one statement") from None
            if type(item) is not dict:
                raise BodsImportError(f"{path}, line {number}: a statement is a JSON object, not {type(item).__name__}")
            yield number, item


def _whole(path, data: bytes):
    try:
        document = orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as error:
        raise BodsImportError(f"{path}: not JSON ({_reason(error)})") from None
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        raise BodsImportError(f"{path}: expected a JSON array of BODS statements")
    for index, item in enumerate(document, 1):
        yield index, item


def _reason(error) -> str:
    text = str(error)
    return text.splitlines()[0] if text else type(error).__name__


def read_statements(path) -> list[dict]:
    """Every statement of a BODS file (a JSON array, or JSON lines), in file order."""
    statements = [item for _, item in iter_statements(path)]
    _require_bods_04(path, statements)
    return statements


def _require_bods_04(path, statements) -> None:
    if statements and not any("recordType" in item for item in statements[:1000]):
        raise BodsImportError(f"{path}: no BODS 0.4 statements (no recordType); BODS 0.1-0.3 is not supported")


# ---------------------------------------------------------------------------------------------
# small conversions


_NOT_ID = re.compile(r"[^a-z0-9]+")
_UNDERSCORES = re.compile(r"_{2,}")


_NOT_ID_ASCII = {code: "_" for code in range(128) if chr(code) not in "abcdefghijklmnopqrstuvwxyz0123456789"}


def _slug(text: str, prefix: str = "bods") -> str:
    text = str(text)
    lowered = text.lower()
    if lowered.isascii():  # most ids: each character that is not [a-z0-9] made "_", then runs of "_" made one
        slug = lowered.translate(_NOT_ID_ASCII)
        if "__" in slug:
            slug = _UNDERSCORES.sub("_", slug)
        slug = slug.strip("_")[:80]
    else:
        slug = _NOT_ID.sub("_", lowered).strip("_")[:80]
    if not slug or not slug[0].isalnum():
        slug = f"{prefix}_{hashlib.sha1(str(text).encode()).hexdigest()[:10]}"
    return slug


class _Ids:
    def __init__(self):
        self.used: set[str] = set()

    def take(self, wanted: str) -> str:
        return take_unused(wanted if ID_PATTERN.match(wanted or "") and len(wanted) <= 200 else _slug(wanted), self.used)


class _Cache(dict):
    """A lookup table filled on first use: ``table[key]`` is ``compute(key)``, worked out once per key
    while fewer than ``limit`` keys are kept (a register repeats its dates and share bands many times)."""

    def __init__(self, compute, limit: int = 100_000):
        super().__init__()
        self.compute, self.limit = compute, limit

    def __missing__(self, key):
        found = self.compute(key)
        if len(self) < self.limit:
            self[key] = found
        return found


def _share(share) -> dict | None:
    """A BODS share as our share dict (strict bounds kept); one dict for every equal share: copy it to change it."""
    if type(share) is not dict:
        return None
    try:
        return _SHARES[tuple(share.items())]
    except TypeError:  # an unhashable value: converted (and refused) below
        return _new_share(share) or None


_SHARES = _Cache(lambda items: _new_share(dict(items)) or None)


def _new_share(share: dict) -> dict | None:
    exact = share.get("exact")
    if _number(exact):
        return {"value": exact}
    found = {}
    for key, strict, ours in (("minimum", "exclusiveMinimum", "min"), ("maximum", "exclusiveMaximum", "max")):
        if _number(share.get(key)):
            found[ours] = share[key]
        elif _number(share.get(strict)):
            found[ours] = share[strict]
            found[f"exclusive_{ours}"] = True
    if "min" in found and "max" in found and found["min"] > found["max"]:
        return None
    return found or None


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100


_FULL_DAY = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])")  # valid in every month


def _day(value) -> str | None:
    """A BODS date (or date-time) as our partial date, None when it is not one."""
    return _DAYS[value] if type(value) is str else None


def _new_day(value: str) -> str | None:
    day = value[:10]
    return day if _FULL_DAY.fullmatch(day) else _other_day(day)


_DAYS = _Cache(_new_day)  # a BODS date -> our date (None when it is not one)


@functools.lru_cache(maxsize=4096)
def _other_day(text: str) -> str | None:
    from .. import dates

    try:
        return dates.normalise(text)
    except ValueError:
        return None


def _identifiers(details: dict) -> list[dict]:
    found = []
    for item in details.get("identifiers") or ():
        if not isinstance(item, dict):
            continue
        identifier = {}
        for key, ours in (("id", "id"), ("scheme", "scheme"), ("schemeName", "name"), ("uri", "uri")):
            value = item.get(key)
            if isinstance(value, (str, int)) and str(value).strip():
                identifier[ours] = str(value).strip()
        if "id" in identifier or "uri" in identifier:
            if identifier not in found:
                found.append(identifier)
    return found


# ---------------------------------------------------------------------------------------------
# the conversion


@dataclass(slots=True)
class _EntityStatement:
    order: tuple
    record_type: str
    status: str
    date: str | None
    statement_id: str
    details: dict


@dataclass(slots=True)
class _RelationshipStatement:
    order: tuple
    status: str
    date: str | None
    statement_id: str
    subject: object
    party: object
    component: bool
    components: list | tuple
    # the interests (at least one: an unknown interest when none is given), read once (the interest objects
    # are not kept; see _read_interests): their shape (one tuple for every statement of that shape), then per
    # interest its start, its end, its share, and (None when none does) whether its details call it approximate
    shape: tuple = ()
    starts: tuple = ()
    ends: tuple = ()
    shares: tuple = ()
    approximate: tuple | None = None
    observed: bool = True  # whether the statement's date is when its interests were observed (the relations' as_of)


_BY_ORDER = operator.attrgetter("order")


class _Converter:
    """The conversion of one BODS file: :meth:`steps`, run once each in their order.

    ``existing``: the dataset the records will join (``--into``), as :func:`convert` says.
    """

    def __init__(self, path, vocabulary, existing=None):
        self.path = Path(path)
        self.vocabulary = vocabulary
        self.source_id = "bods_" + _slug(self.path.stem, prefix="file")
        self.result = ImportResult()
        self.records: list[dict] = []  # the output, made by the last step
        self.ids = _Ids()
        self.relation_ids = _Ids()
        self.known_identifiers: dict[tuple, str] = {}  # of the data imported into (--into)
        self.known_places: dict[str, str] = {}
        self.types: dict[str, str] = {}  # entity id -> type, of the records made and of the data imported into
        self.entities: dict[str, dict] = {}
        self.by_record: dict[str, str] = {}
        self.relations: list[dict] = []
        self.with_components: list[dict] = []
        self.relations_of_record: dict[str, list[str]] = {}
        self.entity_statements: dict[str, list[_EntityStatement]] = {}
        self.relationship_statements: dict[str, list[_RelationshipStatement]] = {}
        types = vocabulary.entity_types.values()
        self.entity_defaults = {(t.bods.record, t.bods.type): t.id for t in types if t.bods is not None and t.bods.default}
        self.interest_defaults = {interest: t for t in vocabulary.relation_types.values() if t.bods_default
                                  for interest in t.bods}
        self.plans: dict[tuple, tuple] = {}
        self.shapes: dict[tuple, tuple] = {}
        self.entity_choices: dict[tuple, str | None] = {}
        self.by_label: dict[str, list] = {}
        for t in vocabulary.relation_types.values():
            self.by_label.setdefault(t.label.lower(), []).append(t)
        self.publishers: list[str] = []
        self.publication_dates: set[str] = set()
        self.publication_seen: set = set()
        if existing is not None:
            self._join(existing)

    def _join(self, existing) -> None:
        """Ids the data already uses are not taken; its identifiers and places are known; the source id is new."""
        self.ids.used.update(existing.entities)
        self.relation_ids.used.update(existing.relations)
        for entity_id, entity in existing.entities.items():
            self.types[entity_id] = entity["type"]
            for identifier in entity.get("identifiers") or ():
                if identifier.get("id"):
                    self.known_identifiers.setdefault(identifier_key(identifier), entity_id)
            if entity["type"] == self.entity_defaults.get(("entity", "state")):
                self.known_places.setdefault(entity["name"].lower(), entity_id)
        self.source_id = take_unused(self.source_id, set(existing.sources))  # a copy: take_unused adds to it

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        """The conversion, in order, as (what the step makes, the step): :func:`convert` runs them, and
        ``benchmarks/bench_import_bods.py --phases`` times each."""
        return [("reading", self.read), ("entity records", self.make_entities),
                ("relationship records", self.make_relationships), ("ordering the output", self.order)]

    def cite(self, statement_id: str) -> list[str]:
        return [f"{self.source_id} statement {statement_id}"]

    # --- reading: keep only what the conversion needs of each statement ------------------------

    def read(self) -> None:
        """Every statement of the file (:meth:`take`); a file whose first 1000 statements have no
        ``recordType`` is not BODS 0.4."""
        seen_type = False
        take = self.take
        for number, statement in iter_statements(self.path):
            if not seen_type and "recordType" in statement:
                seen_type = True
            if not seen_type and number > 1000:
                break
            take(number, statement)
        if self.result.statements and not seen_type:
            raise BodsImportError(f"{self.path}: no BODS 0.4 statements (no recordType); BODS 0.1-0.3 is not supported")

    def take(self, number: int, statement: dict) -> None:
        self.result.statements += 1
        record_id = statement.get("recordId")
        record_type = statement.get("recordType")
        publication = statement.get("publicationDetails")
        if type(publication) is dict and str(publication.get("publicationDate")) not in self.publication_seen:
            self.publication_seen.add(str(publication.get("publicationDate")))  # one publication: many statements
            day = _day(publication.get("publicationDate"))
            if day:
                self.publication_dates.add(day)
            publisher = publication.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str) and not self.publishers:
                self.publishers.append(publisher["name"])
        if not isinstance(record_id, str) or not record_id or record_type not in ("entity", "person", "relationship"):
            self.result.skip("statements without a recordId and recordType (BODS 0.4)")
            return
        date = _day(statement.get("statementDate"))
        order = (date or "", number)
        status = str(statement.get("recordStatus") or "new")
        statement_id = str(statement.get("statementId") or f"{record_id}#{number}")
        details = statement.get("recordDetails")
        if type(details) is not dict:
            details = {}
        if record_type == "relationship":
            components = details.get("componentRecords")
            components = [c for c in components if type(c) is str] if components else ()
            self.relationship_statements.setdefault(record_id, []).append(_RelationshipStatement(
                order, status, date, statement_id, details.get("subject"), details.get("interestedParty"),
                bool(details.get("isComponent")), components, *_read_interests(details.get("interests"), self.shapes)))
        else:
            keep = {key: value for key, value in details.items() if key in _ENTITY_KEYS}
            self.entity_statements.setdefault(record_id, []).append(
                _EntityStatement(order, record_type, status, date, statement_id, keep))

    # --- entities ------------------------------------------------------------------------------

    def make_entities(self) -> None:
        """An entity record of each entity and person record (in record id order), then their jurisdictions."""
        for record_id in sorted(self.entity_statements):
            self.add_entity(record_id, self.entity_statements[record_id])
        self.entity_statements.clear()
        self.resolve_jurisdictions()

    def entity_type(self, record_type: str, details: dict) -> str | None:
        if record_type == "person":
            wanted = details.get("personType") or "knownPerson"
            return self.entity_defaults.get(("person", wanted)) or self.entity_defaults.get(("person", "knownPerson"))
        kind = details.get("entityType") if isinstance(details.get("entityType"), dict) else {}
        try:
            key = (kind.get("type"), kind.get("subtype"), kind.get("details"))
            return self.entity_choices[key]
        except KeyError:
            found = self.entity_choices[key] = self._entity_type(kind)
            return found
        except TypeError:  # an unhashable value where a string belongs
            return self._entity_type(kind)

    def _entity_type(self, kind: dict) -> str | None:
        """The entity type of a BODS entityType (chosen once per distinct entityType)."""
        candidates = [t for t in self.vocabulary.entity_types.values() if t.bods is not None and t.bods.record == "entity"]
        named = str(kind.get("details") or "").strip().lower()
        for t in candidates:  # our export writes the type's label in the details
            if named and named in (t.label.lower(), t.id) and t.bods.type == kind.get("type"):
                return t.id
        for t in candidates:  # a type for the subtype (a trust, a nomination), else the type's default
            if t.bods.subtype is not None and (t.bods.type, t.bods.subtype) == (kind.get("type"), kind.get("subtype")):
                return t.id
        found = self.entity_defaults.get(("entity", kind.get("type")))
        if found is None:
            found = self.entity_defaults.get(("entity", "legalEntity"))
        return found

    def add_entity(self, record_id: str, statements: list[_EntityStatement]) -> None:
        if len(statements) > 1:
            statements.sort(key=_BY_ORDER)
            described = [s for s in statements if s.status != "closed" and s.details] or statements
        else:  # most records: one statement
            described = statements
        latest = described[-1]
        details = latest.details
        type_id = self.entity_type(latest.record_type, details)
        if type_id is None:
            self.result.skip(f"{latest.record_type} records with no entity type in the vocabulary")
            return
        identifiers = _identifiers(details)
        for identifier in identifiers if self.known_identifiers else ():  # one identifier, one entity: the data
            known = self.known_identifiers.get(identifier_key(identifier))  # it is added to has it
            if known is not None:
                self.by_record[record_id] = known
                self.result.skip("entities already in the data (same identifier)")
                return
        current = _names(latest.record_type, details)
        names: list[str] = current
        if len(described) > 1:
            names = []
            for statement in described:  # older names first, the latest last
                for text in _names(statement.record_type, statement.details):
                    if text in names:
                        names.remove(text)
                    names.append(text)
        name = current[0] if current else None
        unspecified = details.get("unspecifiedPersonDetails") or details.get("unspecifiedEntityDetails")
        reason = None
        if isinstance(unspecified, dict):
            reason = unspecified.get("reason") if isinstance(unspecified.get("reason"), str) else None
        if name is None:
            label = self.vocabulary.entity_types[type_id].label
            what = (unspecified or {}).get("description") if isinstance(unspecified, dict) else None
            name = f"{label} ({what or reason or record_id})"
        entity = {"record": "entity", "id": self.ids.take(_slug(record_id) if not ID_PATTERN.match(record_id) else record_id),
                  "name": name, "type": type_id}
        others = [text for text in names if text != name] if names and names != [name] else None
        if others:
            chinese = next((text for text in others if _CJK.search(text)), None)
            if chinese:
                entity["names"] = {"zh": chinese}
            aliases = [text for text in others if text != chinese]
            if aliases:
                entity["aliases"] = aliases
        if identifiers:
            entity["identifiers"] = identifiers
        entity["record_id"] = record_id
        if details.get("isComponent"):
            entity["component"] = True
        if reason:
            entity["unspecified_reason"] = reason
        if isinstance(unspecified, dict) and isinstance(unspecified.get("description"), str):
            entity["description"] = unspecified["description"]
        jurisdiction = details.get("jurisdiction")
        if isinstance(jurisdiction, dict) and (jurisdiction.get("name") or jurisdiction.get("code")):
            entity["jurisdiction"] = jurisdiction
        start = _day(details.get("foundingDate") or details.get("birthDate"))
        end = _day(details.get("dissolutionDate") or details.get("deathDate"))
        if statements[-1].status == "closed" and end is None:
            end = statements[-1].date
        if start:
            entity["start"] = start
        if end and (start is None or end >= start):
            entity["end"] = end
        entity["sources"] = self.cite(latest.statement_id)
        self.entities[entity["id"]] = entity
        self.types[entity["id"]] = type_id
        self.by_record[record_id] = entity["id"]

    def resolve_jurisdictions(self) -> None:
        place_type = self.entity_defaults.get(("entity", "state"))
        by_name = {e["name"].lower(): e["id"] for e in self.entities.values() if e["type"] == place_type}
        by_name = {**self.known_places, **by_name}
        for entity in list(self.entities.values()):
            place = entity.pop("jurisdiction", None)
            if place is None or place_type is None:
                continue
            name = str(place.get("name") or place.get("code"))
            if name.lower() not in by_name:
                new = {"record": "entity", "id": self.ids.take(_slug(name)), "name": name, "type": place_type}
                code = place.get("code")
                if isinstance(code, str) and code.strip():  # ISO 3166: what makes two registers' places one
                    new["identifiers"] = [{"scheme": JURISDICTION_SCHEME, "id": code.strip().upper()}]
                new["sources"] = entity["sources"]
                self.entities[new["id"]] = new
                self.types[new["id"]] = place_type
                by_name[name.lower()] = new["id"]
            if by_name[name.lower()] != entity["id"]:
                entity["jurisdiction"] = by_name[name.lower()]

    # --- relationships -------------------------------------------------------------------------

    def make_relationships(self) -> None:
        """The relations of each relationship record (in record id order), then their components as our ids."""
        for record_id in sorted(self.relationship_statements):
            self.add_relationship(record_id, self.relationship_statements[record_id])
        self.relationship_statements.clear()
        self.link_components()

    def party(self, value, record_id: str, statement: _RelationshipStatement, role: str) -> str | None:
        if isinstance(value, str):
            found = self.by_record.get(value)
            if found is None:
                self.result.skip("relationships naming a record not in the file")
            return found
        if isinstance(value, dict):
            unknown_type = self.entity_defaults.get(("entity", "unknownEntity"))
            if unknown_type is None:
                self.result.skip("relationships with an unspecified party")
                return None
            reason = value.get("reason") if isinstance(value.get("reason"), str) else None
            description = value.get("description") if isinstance(value.get("description"), str) else None
            wording = "interested party" if role == "interestedParty" else "subject"
            entity = {"record": "entity", "id": self.ids.take(_slug(f"unspecified_{wording}_{record_id}")),
                      "name": f"Unspecified {wording} ({description or reason or 'no reason given'})",
                      "type": unknown_type, "record_id": f"{record_id}/{role}"}
            if reason:
                entity["unspecified_reason"] = reason
            if description:
                entity["description"] = description
            entity["sources"] = self.cite(statement.statement_id)
            self.entities[entity["id"]] = entity
            self.types[entity["id"]] = unknown_type
            return entity["id"]
        self.result.skip("relationships without both parties")
        return None

    def plan(self, shape: tuple, from_type: str, to_type: str) -> tuple[list[tuple], int]:
        """How one statement's interests become relations, given their shape (:func:`_read_interests`) and
        the types of the two parties: ([(indirect, beneficial, relation type, interest positions, kinds, ...)],
        how many interests no relation type can hold), with what each relation reads of them. Worked out
        once per shape and pair of types."""
        key = (shape, from_type, to_type)
        found = self.plans.get(key)
        if found is not None:
            return found
        types = self.vocabulary.relation_types

        def usable(t):
            return t.bods and t.allows_from(from_type) and t.allows_to(to_type)

        # interests that differ in how they are held are kept apart
        split: dict[tuple, list[int]] = {}
        for position, (_, indirect, beneficial, _) in enumerate(shape):
            split.setdefault((indirect, beneficial), []).append(position)
        pieces, refused = [], 0
        for (indirect, beneficial), positions in split.items():
            kinds = tuple(shape[p][0] for p in positions)
            wording = {shape[p][3] for p in positions if shape[p][3] is not None}
            chosen = self._choose(kinds, wording, usable)
            if isinstance(chosen, str):
                groups = {chosen: positions}
            else:
                groups = {}
                for position, type_id in zip(positions, chosen):
                    if type_id is None:
                        refused += 1
                        continue
                    groups.setdefault(type_id, []).append(position)
            for type_id, carried in groups.items():
                kinds = frozenset((shape[p][0], shape[p][1]) for p in carried)
                # per kind, every interest of the statement of that kind: when the kind begins to count
                of_kind = tuple(tuple(p for p, i in enumerate(shape) if (i[0], i[1]) == kind) for kind in kinds)
                equity_at = tuple(p for p in carried if shape[p][0] != "votingRights")
                votes_at = tuple(p for p in carried if shape[p][0] == "votingRights")
                pieces.append([indirect, beneficial, type_id, tuple(carried), kinds, of_kind,
                               types[type_id].shares, equity_at, votes_at, ""])
        if len(pieces) > 1:  # one relation per piece: each piece's id says what it carries
            for piece in pieces:
                piece[-1] = f"__{piece[2]}{'__indirect' if piece[0] else ''}"
        found = self.plans[key] = ([tuple(piece) for piece in pieces], refused)
        return found

    def _choose(self, kinds: tuple, wording: set, usable):
        """One type for all the interests (str), or one type (or None) per interest (tuple)."""
        types = self.vocabulary.relation_types
        for label in sorted(wording):  # our own export: the type's label in the details
            for t in self.by_label.get(label, ()):
                if set(t.bods) == set(kinds) and usable(t):
                    return t.id
        found = []
        for kind in kinds:
            chosen = self.interest_defaults.get(kind)
            if chosen is None or not usable(chosen):
                chosen = next((t for t in types.values() if kind in t.bods and usable(t)), None)
            if chosen is None:
                chosen = self.interest_defaults.get(UNKNOWN_INTEREST)
                if chosen is not None and not usable(chosen):
                    chosen = None
            found.append(chosen.id if chosen is not None else None)
        return tuple(found)

    def add_relationship(self, record_id: str, statements: list[_RelationshipStatement]) -> None:
        """Every statement of one relationship record, each interest in force until the record's next statement."""
        base = record_id[len("relationship-"):] if record_id.startswith("relationship-") else record_id
        base = base if ID_PATTERN.match(base) else _slug(base)
        if len(statements) == 1:  # most records: one statement, in force from its interests' start
            statement = statements[0]
            self.relations_of_record[record_id] = [] if statement.status == "closed" else \
                self.relationship_statement(record_id, base, statement, _begins(statements, 0), None)
            return
        statements.sort(key=_BY_ORDER)
        begins = [_begins(statements, position) for position in range(len(statements))]
        active = [position for position, s in enumerate(statements) if s.status != "closed"]
        made: list[str] = []
        for number, position in enumerate(active, 1):
            statement = statements[position]
            following = None
            if position + 1 < len(statements):
                following = (_by_kind(statements[position + 1], begins[position + 1]), statements[position + 1].date)
            wanted = base if position == active[-1] else f"{base}__{number}"
            made += self.relationship_statement(record_id, wanted, statement, begins[position], following)
        self.relations_of_record[record_id] = made

    def relationship_statement(self, record_id, base, statement, begins, superseded) -> list[str]:
        """The relations of one statement. ``begins``: when each interest begins to count (:func:`_begins`);
        ``superseded``: (when each kind of interest of the next statement begins, its date), or None."""
        by_record = self.by_record
        party = statement.party
        holder = by_record.get(party) if type(party) is str else None
        if holder is None:
            holder = self.party(party, record_id, statement, "interestedParty")
            if holder is None:
                return []
        subject = statement.subject
        held = by_record.get(subject) if type(subject) is str else None
        if held is None:
            held = self.party(subject, record_id, statement, "subject")
            if held is None:
                return []
        if holder == held:
            self.result.skip("relationships of a record with itself")
            return []
        pieces, refused = self.plan(statement.shape, self.types[holder], self.types[held])
        for _ in range(refused):
            self.result.skip("interests no relation type can hold between their parties")
        ends = statement.ends
        made = []
        for indirect, beneficial, type_id, carried, kinds, of_kind, shares, equity_at, votes_at, suffix in pieces:
            relation = {"record": "relation", "id": self.relation_ids.take(base + suffix if suffix else base),
                        "type": type_id, "from": holder, "to": held}
            if shares:
                self.shares(relation, statement, carried, equity_at, votes_at)
            start = None  # the latest of the kinds' beginnings: never before a restated interest
            for positions in of_kind:
                begin = None  # a kind begins with its first interest
                for position in positions:
                    day = begins[position]
                    if day and (begin is None or day < begin):
                        begin = day
                if begin and (start is None or begin > start):
                    start = begin
            end = None  # the last end, when every interest has one
            for position in carried:
                day = ends[position]
                if not day:
                    end = None
                    break
                if end is None or day > end:
                    end = day
            if superseded is not None:
                next_begins, next_date = superseded
                cut = [next_begins.get(kind) or next_date for kind in kinds]
                cut = min(cut) if all(cut) else None
                if cut is not None and (end is None or cut < end):
                    end = cut
            if start and end and end < start:
                start = end  # superseded before it began to count: kept, never in force
            if start:
                relation["start"] = start
            if end:
                relation["end"] = end
            if statement.date and statement.observed:
                relation["as_of"] = statement.date
            if indirect:
                relation["indirect"] = True
            if beneficial:
                relation["beneficial"] = True
            if statement.component:
                relation["component"] = True
            if statement.components:
                relation["components"] = list(statement.components)  # made our ids by link_components
                self.with_components.append(relation)
            relation["record_id"] = record_id
            relation["sources"] = self.cite(statement.statement_id)
            self.relations.append(relation)
            made.append(relation["id"])
        return made

    @staticmethod
    def shares(relation: dict, statement: _RelationshipStatement, carried: tuple[int, ...],
               equity_at: tuple[int, ...], votes_at: tuple[int, ...]) -> None:
        """The equity (the first share of an interest at ``equity_at``) and the votes (the last share of a
        voting interest at ``votes_at``) of the interests at positions ``carried`` of ``statement``; an exact
        share is approximate when the details of one of these interests say so."""
        shares = statement.shares
        equity = votes = None
        for position in equity_at:
            if shares[position] is not None:
                equity = shares[position]
                break
        for position in votes_at:
            if shares[position] is not None:
                votes = shares[position]
        approximate = statement.approximate is not None and any(statement.approximate[p] for p in carried)
        if equity is not None:
            equity = dict(equity)
            if approximate and "value" in equity:
                equity["approximate"] = True
            relation["equity"] = equity
        if votes is not None:
            votes = dict(votes)
            if approximate and "value" in votes:
                votes["approximate"] = True
            if votes != equity:
                relation["votes"] = votes

    def link_components(self) -> None:
        """``components`` name record ids in the file; make them our ids (entities and relations)."""
        for relation in self.with_components:
            ours = []
            for record in relation["components"]:
                if record in self.by_record:
                    ours.append(self.by_record[record])
                else:
                    ours.extend(self.relations_of_record.get(record, ()))
            if ours:
                relation["components"] = list(dict.fromkeys(ours))
            else:
                del relation["components"]

    # --- the output ----------------------------------------------------------------------------

    def order(self) -> None:
        """:attr:`records`: the source record, then the entities and the relations, each by id."""
        result = self.result
        source = {"id": self.source_id, "kind": "dataset", "title": f"BODS statements: {self.path.name}"}
        if self.publishers:
            source["publisher"] = self.publishers[0]
        if self.publication_dates:
            source["date"] = max(self.publication_dates)
        source["note"] = f"Imported from BODS 0.4 ({result.statements} statements); locators are statement ids."
        by_id = operator.itemgetter("id")
        entities = sorted(self.entities.values(), key=by_id)
        relations = sorted(self.relations, key=by_id)
        result.entities, result.relations = len(entities), len(relations)
        self.records = [{"record": "source", **source}, *entities, *relations]  # made with their "record" key


_UNKNOWN_SHAPE = ((UNKNOWN_INTEREST, False, False, None),)


def _read_interests(interests, shapes: dict) -> tuple:
    """What the conversion reads of a statement's interests (the objects that are dicts; an unknown interest
    when there are none): (shape, starts, ends, shares, approximate, observed).

    The shape: per interest, (type, held through others, declared beneficial, the first clause of its details
    folded, or None); one tuple for every statement of a shape (``shapes`` keeps them). Then per interest: its
    start and end as our dates, its share as our share dict or None, and whether its details call it
    approximate (None when none does). Observed: False when the details of every interest say that the
    statement's date is not an observation date (:data:`NOT_OBSERVED`)."""
    shape, starts, ends, shares = [], [], [], []
    approximate = None
    not_observed = 0
    for interest in interests or ():
        if type(interest) is not dict:
            continue
        details = interest.get("details")
        wording, approx = None, False
        if details:
            text = str(details)
            wording = text.split(";")[0].strip().lower()
            approx = APPROXIMATE in text
            if approx:
                approximate = approximate or [False] * len(shape)
            if NOT_OBSERVED in text:
                not_observed += 1
        shape.append((interest.get("type") or UNKNOWN_INTEREST, interest.get("directOrIndirect") == "indirect",
                      interest.get("beneficialOwnershipOrControl") is True, wording))
        starts.append(_day(interest.get("startDate")))
        ends.append(_day(interest.get("endDate")))
        shares.append(_share(interest.get("share")))
        if approximate is not None:
            approximate.append(approx)
    if not shape:
        return _UNKNOWN_SHAPE, (None,), (None,), (None,), None, True
    shape = tuple(shape)
    return (shapes.setdefault(shape, shape), tuple(starts), tuple(ends), tuple(shares),
            tuple(approximate) if approximate is not None else None, not_observed < len(shape))


def _begins(statements: list[_RelationshipStatement], position: int) -> tuple:
    """When each interest of one statement begins to count (in the order of its interests).

    A first statement: from its interests' start. A later one: from an interest's start when that follows
    the statement before it, else (a restatement of a held interest of the same kind: its type, and whether
    it is held through others) from its own date; an interest of a kind new in this statement from its own
    start. A closing statement: from its interests' end, else its date. A kind of interest begins with its
    first interest (:func:`_by_kind`).
    """
    statement = statements[position]
    closed = statement.status == "closed"
    if not position and not closed:
        return statement.starts
    previous = statements[position - 1] if position else None
    previous_kinds = {(kind[0], kind[1]) for kind in previous.shape} if previous else set()
    found = []
    for (interest_type, indirect, _, _), start, end in zip(statement.shape, statement.starts, statement.ends):
        if closed:
            begin = end or statement.date
        elif previous is None:
            begin = start
        elif start and previous.date and start > previous.date:
            begin = start
        elif (interest_type, indirect) in previous_kinds:
            begin = statement.date
        else:
            begin = start or statement.date
        found.append(begin)
    return tuple(found)


def _by_kind(statement: _RelationshipStatement, begins: tuple) -> dict[tuple, str | None]:
    """When each kind of interest of ``statement`` begins to count: with its first interest (``begins``:
    :func:`_begins`)."""
    found: dict[tuple, str | None] = {}
    for (interest_type, indirect, _, _), begin in zip(statement.shape, begins):
        kind = (interest_type, indirect)
        if kind not in found or (begin and (found[kind] is None or begin < found[kind])):
            found[kind] = begin
    return found


_ENTITY_KEYS = frozenset(("isComponent", "entityType", "personType", "name", "alternateNames", "names", "identifiers",
                          "jurisdiction", "foundingDate", "dissolutionDate", "birthDate", "deathDate",
                          "unspecifiedPersonDetails", "unspecifiedEntityDetails"))


def _names(record_type: str, details: dict) -> list[str]:
    if record_type == "person":
        names = [n for n in details.get("names") or () if isinstance(n, dict) and isinstance(n.get("fullName"), str)
                 and n["fullName"].strip()]
        names.sort(key=lambda n: n.get("type") not in ("legal", "individual", None))
        found = [n["fullName"].strip() for n in names]
    else:
        found = [details["name"].strip()] if isinstance(details.get("name"), str) and details["name"].strip() else []
        found += [text.strip() for text in details.get("alternateNames") or () if isinstance(text, str) and text.strip()]
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------------------------------------
# the command


def _bundled_vocabulary():
    from .._yaml import parse
    from ..loader import bundled_data_dir
    from ..vocabulary import Vocabulary

    return Vocabulary.from_mapping(parse((bundled_data_dir() / "vocabulary.yaml").read_text(encoding="utf-8")))


def convert(path, *, vocabulary=None, existing=None) -> tuple[list[dict], ImportResult]:
    """The records (``{"record": "source"|"entity"|"relation", ...}``) a BODS file gives, in output order.

    ``existing``: a dataset the records will join (``--into``): its ids are not reused, an entity
    with one of its identifiers (scheme and id) is that entity, a jurisdiction of the same name is reused.
    """
    from ..collector import paused  # many small containers, no cycles: as the loader reads

    with paused():
        return _convert(path, vocabulary, existing)


def _convert(path, vocabulary, existing=None) -> tuple[list[dict], ImportResult]:
    vocabulary = vocabulary or (existing.vocabulary if existing is not None else _bundled_vocabulary())
    converter = _Converter(path, vocabulary, existing)
    for _, step in converter.steps():
        step()
    return converter.records, converter.result


def import_bods(path, directory, *, vocabulary=None, force: bool = False, into: bool = False) -> ImportResult:
    """Convert the BODS file ``path`` into ``directory/records.jsonl`` (JSON lines, one record a line).

    ``into``: ``directory`` is a data folder that already holds data; the records go into
    ``directory/<file name>.jsonl`` beside it, joined to it (see :func:`convert`'s ``existing``).
    """
    path, directory = Path(path), Path(directory)
    existing = None
    target = directory / OUTPUT_FILE
    if into:
        from ..loader import load

        if not directory.is_dir():
            raise BodsImportError(f"--into {directory}: no such data folder (use -o to make a new one)")
        target = directory / f"{_slug(path.stem, prefix='bods')}.jsonl"
        if target.exists() and not force:
            raise BodsImportError(f"{target} exists: this file was imported already; pass --force to replace it")
        if target.exists():
            target.unlink()  # the earlier import of this file is replaced, not joined to
        existing = load(directory, use_cache=False)
    if target.exists() and not force:
        raise BodsImportError(f"{directory} already holds {OUTPUT_FILE}; choose an empty folder or pass --force")
    records, result = convert(path, vocabulary=vocabulary, existing=existing)
    _write_records(records, target)
    result.paths.append(target)
    return result
