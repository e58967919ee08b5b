"""BODS 0.4 JSON -> our YAML files (``entities.yaml``, ``relations.yaml``, ``sources.yaml``).

For analysts who want to merge register data into a dataset: the output folder is a dataset of
its own (``ecosystem --data DIR validate``) whose files can be copied next to ours.

The mapping is the vocabulary's, read backwards:

* an entity or person record becomes the entity type whose ``bods`` mapping it matches; when the
  record's ``entityType.details`` names a type's label (our BODS export writes it), that type;
* a relationship becomes the relation type whose interest types are exactly the record's (or,
  when the interest ``details`` gives a relation type's wording, as our export writes, that
  type); interests no single type covers become one relation each; a type is only chosen when
  the vocabulary allows its two ends;
* ``shareholding`` gives ``equity``, ``votingRights`` gives ``votes`` when it differs;
  ``exact`` is a value (approximate when the details say so), ``minimum``/``maximum`` a range;
* an unspecified party gets an entity of its own (an unknown party), one per relationship;
* a record's latest statement wins; a closed record is left out. Each record cites the file as a
  ``dataset`` source, with the statement id as locator.

BODS dates are full days, so a partial date exported as BODS comes back as its first day.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EcosystemError

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*$")
APPROXIMATE = "approximate share"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
OUTPUT_FILES = ("entities.yaml", "relations.yaml", "sources.yaml")


class BodsImportError(EcosystemError):
    """The BODS file could not be read or written as our records."""


@dataclass
class ImportResult:
    paths: list[Path] = field(default_factory=list)
    entities: int = 0
    relations: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def summary(self) -> str:
        text = f"{self.entities} entities, {self.relations} relations"
        if self.skipped:
            text += "; left out: " + ", ".join(f"{count} {reason}" for reason, count in sorted(self.skipped.items()))
        return text


def read_statements(path) -> list[dict]:
    """A BODS file: a JSON array of statements, or JSON lines (one statement per line)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BodsImportError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BodsImportError(f"{path}: cannot read it as UTF-8 text ({error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as first:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            raise BodsImportError(f"{path}: not JSON (line {first.lineno}, column {first.colno}: {first.msg})") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise BodsImportError(f"{path}: expected a JSON array of BODS statements")
    if data and not any("recordType" in item for item in data):
        raise BodsImportError(f"{path}: no BODS 0.4 statements (no recordType); BODS 0.1-0.3 is not supported")
    return data


def _slug(text: str, prefix: str = "bods") -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")[:80]
    if not slug or not slug[0].isalnum():
        slug = f"{prefix}_{hashlib.sha1(str(text).encode()).hexdigest()[:10]}"
    return slug


class _Ids:
    def __init__(self):
        self.used: set[str] = set()

    def take(self, wanted: str, fallback: str) -> str:
        candidate = wanted if ID_PATTERN.match(wanted or "") and len(wanted) <= 200 else _slug(fallback)
        base, number = candidate, 2
        while candidate in self.used:
            candidate = f"{base}_{number}"
            number += 1
        self.used.add(candidate)
        return candidate


def _latest(statements: list[dict]) -> dict[str, dict]:
    """The last statement of each record (by statement date, then file order)."""
    found: dict[str, tuple] = {}
    for index, statement in enumerate(statements):
        record_id = statement.get("recordId")
        if not isinstance(record_id, str):
            continue
        key = (str(statement.get("statementDate") or ""), index)
        if record_id not in found or key >= found[record_id][0]:
            found[record_id] = (key, statement)
    return {record_id: statement for record_id, (_, statement) in found.items()}


def _share(share) -> dict | None:
    if not isinstance(share, dict):
        return None
    if isinstance(share.get("exact"), (int, float)):
        return {"value": share["exact"]}
    low = share.get("minimum", share.get("exclusiveMinimum"))
    high = share.get("maximum", share.get("exclusiveMaximum"))
    found = {}
    if isinstance(low, (int, float)):
        found["min"] = low
    if isinstance(high, (int, float)):
        found["max"] = high
    return found or None


def _day(value) -> str | None:
    from .. import dates

    if not isinstance(value, str):
        return None
    try:
        return dates.normalise(value[:10])
    except ValueError:
        return None


class _Converter:
    def __init__(self, vocabulary, source_id: str, result: ImportResult):
        self.vocabulary = vocabulary
        self.source_id = source_id
        self.result = result
        self.ids = _Ids()
        self.entities: dict[str, dict] = {}
        self.by_record: dict[str, str] = {}
        self.relations: list[dict] = []
        self.relation_ids = _Ids()

    def cite(self, statement: dict) -> list[str]:
        return [f"{self.source_id} statement {statement.get('statementId', '?')}"]

    # --- types -------------------------------------------------------------------------------

    def entity_type(self, record_type: str, details: dict) -> str | None:
        candidates = [t for t in self.vocabulary.entity_types.values() if t.bods is not None and t.bods.record == record_type]
        if record_type == "person":
            wanted = details.get("personType")
            chosen = [t for t in candidates if t.bods.type == wanted] or candidates
            return chosen[0].id if chosen else None
        kind = details.get("entityType") if isinstance(details.get("entityType"), dict) else {}
        named = str(kind.get("details") or "").strip().lower()
        for t in candidates:
            if named and named in (t.label.lower(), t.id) and t.bods.type == kind.get("type"):
                return t.id
        for t in candidates:
            if t.bods.type == kind.get("type") and (t.bods.subtype in (None, kind.get("subtype"))):
                return t.id
        for t in candidates:
            if t.bods.type == kind.get("type"):
                return t.id
        return candidates[0].id if candidates else None

    def relation_types(self, interests: list[dict], from_type: str, to_type: str) -> list[tuple[str, list[dict]]]:
        """(relation type, the interests it carries) for a relationship's interests."""
        usable = [t for t in self.vocabulary.relation_types.values()
                  if t.bods and t.allows_from(from_type) and t.allows_to(to_type)]
        kinds = [i.get("type") for i in interests]
        wording = {str(i.get("details") or "").split(";")[0].strip().lower() for i in interests} - {""}
        for t in usable:
            if t.label.lower() in wording and set(t.bods) == set(kinds):
                return [(t.id, interests)]
        for t in usable:
            if set(t.bods) == set(kinds):
                return [(t.id, interests)]
        # no single type: cover the interests with as few types as possible, largest first
        found, remaining = [], list(interests)
        while remaining:
            kinds = {i.get("type") for i in remaining}
            subsets = [t for t in usable if set(t.bods) <= kinds]
            if subsets:
                best = max(subsets, key=lambda t: (len(t.bods), t.label.lower() in wording, -usable.index(t)))
            else:
                first = remaining[0].get("type")
                best = next((t for t in usable if first in t.bods), None)
                if best is None:
                    self.result.skip("interests no relation type can hold")
                    remaining = remaining[1:]
                    continue
            carried = [i for i in remaining if i.get("type") in best.bods]
            found.append((best.id, carried))
            remaining = [i for i in remaining if i not in carried]
        return found

    # --- records -----------------------------------------------------------------------------

    def add_entity(self, statement: dict) -> None:
        details = statement.get("recordDetails") if isinstance(statement.get("recordDetails"), dict) else {}
        record_type = statement.get("recordType")
        type_id = self.entity_type(record_type, details)
        if type_id is None:
            self.result.skip(f"{record_type} records with no entity type in the vocabulary")
            return
        if record_type == "person":
            names = [n for n in details.get("names") or [] if isinstance(n, dict) and n.get("fullName")]
            names.sort(key=lambda n: n.get("type") not in ("legal", "individual"))
            name = names[0]["fullName"] if names else None
            others = [n["fullName"] for n in names[1:]]
        else:
            name = details.get("name")
            others = [text for text in details.get("alternateNames") or [] if isinstance(text, str)]
        record_id = statement["recordId"]
        name = str(name or f"Unnamed {record_type} {record_id}")
        entity = {"id": self.ids.take(record_id, name), "name": name, "type": type_id}
        chinese = next((text for text in others if _CJK.search(text)), None)
        if chinese:
            entity["names"] = {"zh": chinese}
        aliases = [text for text in others if text != chinese and text != name]
        if aliases:
            entity["aliases"] = list(dict.fromkeys(aliases))
        jurisdiction = details.get("jurisdiction")
        if isinstance(jurisdiction, dict) and (jurisdiction.get("name") or jurisdiction.get("code")):
            entity["jurisdiction"] = jurisdiction
        start, end = _day(details.get("foundingDate")), _day(details.get("dissolutionDate"))
        if start:
            entity["start"] = start
        if end and (start is None or end >= start):
            entity["end"] = end
        entity["sources"] = self.cite(statement)
        self.entities[entity["id"]] = entity
        self.by_record[record_id] = entity["id"]

    def resolve_jurisdictions(self) -> None:
        place_type = next((t.id for t in self.vocabulary.entity_types.values()
                           if t.bods is not None and t.bods.type == "state"), None)
        by_name = {e["name"].lower(): e["id"] for e in self.entities.values() if e["type"] == place_type}
        for entity in list(self.entities.values()):
            place = entity.pop("jurisdiction", None)
            if place is None or place_type is None:
                continue
            name = str(place.get("name") or place.get("code"))
            if name.lower() not in by_name:
                new = {"id": self.ids.take(_slug(name), name), "name": name, "type": place_type,
                       "sources": entity["sources"]}
                self.entities[new["id"]] = new
                by_name[name.lower()] = new["id"]
            if by_name[name.lower()] != entity["id"]:
                entity["jurisdiction"] = by_name[name.lower()]

    def party(self, value, statement: dict, role: str) -> str | None:
        if isinstance(value, str):
            found = self.by_record.get(value)
            if found is None:
                self.result.skip("relationships naming a record not in the file")
            return found
        if isinstance(value, dict):
            unknown_type = next((t.id for t in self.vocabulary.entity_types.values()
                                 if t.bods is not None and t.bods.type == "unknownEntity"), None)
            if unknown_type is None:
                self.result.skip("relationships with an unspecified party")
                return None
            reason = value.get("description") or value.get("reason") or "unspecified"
            name = f"Unspecified {role} ({reason})"
            entity = {"id": self.ids.take(_slug(f"unknown_{role}_{statement.get('recordId')}"), name),
                      "name": name, "type": unknown_type, "sources": self.cite(statement)}
            self.entities[entity["id"]] = entity
            return entity["id"]
        self.result.skip("relationships without both parties")
        return None

    def add_relationship(self, statement: dict) -> None:
        details = statement.get("recordDetails") if isinstance(statement.get("recordDetails"), dict) else {}
        holder = self.party(details.get("interestedParty"), statement, "interested_party")
        held = self.party(details.get("subject"), statement, "subject") if holder else None
        if holder is None or held is None:
            return
        interests = [i for i in details.get("interests") or [] if isinstance(i, dict) and i.get("type")]
        if not interests:
            self.result.skip("relationships without interests")
            return
        mapped = self.relation_types(interests, self.entities[holder]["type"], self.entities[held]["type"])
        for type_id, carried in mapped:
            definition = self.vocabulary.relation_types[type_id]
            base = statement["recordId"]
            if base.startswith("relationship-"):
                base = base[len("relationship-"):]
            wanted = base if len(mapped) == 1 else f"{base}__{type_id}"
            relation = {"id": self.relation_ids.take(wanted, f"{holder}__{type_id}__{held}"),
                        "type": type_id, "from": holder, "to": held}
            if definition.shares:
                equity = votes = None
                approximate = any(APPROXIMATE in str(i.get("details") or "") for i in carried)
                for interest in carried:
                    share = _share(interest.get("share"))
                    if share is None:
                        continue
                    if "value" in share and approximate:
                        share["approximate"] = True
                    if interest["type"] == "votingRights":
                        votes = share
                    elif equity is None:
                        equity = share
                if equity is not None:
                    relation["equity"] = equity
                if votes is not None and votes != equity:
                    relation["votes"] = votes
            starts = [_day(i.get("startDate")) for i in carried]
            ends = [_day(i.get("endDate")) for i in carried]
            if all(starts):
                relation["start"] = min(starts)
            if all(ends):
                relation["end"] = max(ends)
            if relation.get("start") and relation.get("end") and relation["end"] < relation["start"]:
                del relation["end"]
            relation["sources"] = self.cite(statement)
            self.relations.append(relation)


def import_bods(path, directory, *, vocabulary=None, force: bool = False) -> ImportResult:
    """Convert the BODS file ``path`` into YAML record files in ``directory``."""
    import yaml

    from ..exporters._common import prepare_directory, write_text

    path, directory = Path(path), Path(directory)
    statements = read_statements(path)
    if vocabulary is None:
        from .._yaml import parse
        from ..loader import bundled_data_dir
        from ..vocabulary import Vocabulary

        vocabulary = Vocabulary.from_mapping(parse((bundled_data_dir() / "vocabulary.yaml").read_text(encoding="utf-8")))
    existing = [name for name in OUTPUT_FILES if (directory / name).exists()]
    if existing and not force:
        raise BodsImportError(f"{directory} already holds {', '.join(existing)}; choose an empty folder or pass --force")

    result = ImportResult()
    source_id = "bods_" + _slug(path.stem, prefix="file")
    converter = _Converter(vocabulary, source_id, result)
    latest = _latest(statements)
    ordered = sorted(latest.values(), key=lambda s: (s.get("recordType") == "relationship", str(s.get("recordId"))))
    for statement in ordered:
        if statement.get("recordStatus") == "closed":
            result.skip("closed records")
            continue
        if statement.get("recordType") in ("entity", "person"):
            converter.add_entity(statement)
    converter.resolve_jurisdictions()
    for statement in ordered:
        if statement.get("recordType") == "relationship" and statement.get("recordStatus") != "closed":
            converter.add_relationship(statement)

    publication = [s.get("publicationDetails") for s in statements if isinstance(s.get("publicationDetails"), dict)]
    dates = sorted(filter(None, (_day(p.get("publicationDate")) for p in publication)))
    publishers = [p.get("publisher", {}).get("name") for p in publication if isinstance(p.get("publisher"), dict)]
    source = {"id": source_id, "kind": "dataset", "title": f"BODS statements: {path.name}"}
    if publishers and publishers[0]:
        source["publisher"] = publishers[0]
    if dates:
        source["date"] = dates[-1]
    source["note"] = f"Imported from BODS 0.4 ({len(statements)} statements); locators are statement ids."

    entities = sorted(converter.entities.values(), key=lambda e: e["id"])
    relations = sorted(converter.relations, key=lambda r: r["id"])
    result.entities, result.relations = len(entities), len(relations)
    prepare_directory(directory)

    def dump(key, items):
        return yaml.safe_dump({key: items}, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)

    for name, key, items in (("entities.yaml", "entities", entities), ("relations.yaml", "relations", relations),
                             ("sources.yaml", "sources", [source])):
        result.paths.append(write_text(directory / name, f"# Imported from {path.name} by `ecosystem import bods`.\n"
                                       + dump(key, items)))
    return result
