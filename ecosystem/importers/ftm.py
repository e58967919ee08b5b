"""FollowTheMoney entities (JSON lines, as ``ftm`` and Aleph write them) -> our records (``records.jsonl``).

Things (Person, Company, Organization, LegalEntity, PublicBody) become entities; interval schemas
(Ownership, Directorship, Membership, Representation, Family, Associate, UnknownLink, Debt, Succession)
become relations. Which of our types each becomes:

* an entity whose ``classification`` is one of our entity types' labels (our FtM export writes it)
  takes that type; otherwise its schema decides (:data:`SCHEMA_TYPES`);
* a link whose wording (``ownershipType`` of an Ownership, ``role`` of the others, ``relationship``
  of Family and Associate) is the label of a relation type mapped to the same schema takes that
  type (our export writes the label); otherwise its schema decides (:data:`LINK_TYPES`). A type
  whose ends the vocabulary does not allow between the two entities falls back to ``linked_to``.

Kept: names and aliases, dates (incorporation/birth -> start, dissolution/death -> end; a link's
startDate, endDate and date -> start, end, as_of), identifiers (``registrationNumber``, ``leiCode``,
``idNumber``, ``taxNumber``, ...), countries (a jurisdiction entity each), ``percentage`` as equity
(a share our export wrote into the description — approximate, a range — comes back as it was),
``description``, a link's ``amount`` and ``currency``. The FtM id is kept as ``record_id`` (commands accept it); our id is its lower
snake_case form. Each record cites the file as a ``dataset`` source, with the FtM id as locator.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import orjson

from ..errors import EcosystemError
from ..query import INDIRECT
from .bods import ID_PATTERN, ImportResult, _Ids, _bundled_vocabulary, _open_input, _reason, _write_records

OUTPUT_FILE = "records.jsonl"
# an FtM schema -> our entity type, when the entity's classification names none
SCHEMA_TYPES = {"Person": "person", "Company": "company", "Organization": "organization",
                "LegalEntity": "organization", "PublicBody": "state_body"}
# an FtM interval schema -> (property of the holder or actor, property of the other end, wording property,
# our relation type when the wording names none)
LINK_TYPES = {
    "Ownership": ("owner", "asset", "ownershipType", "owns"),
    "Directorship": ("director", "organization", "role", "officer_of"),
    "Membership": ("member", "organization", "role", "member_of"),
    "Representation": ("agent", "client", "role", "represents"),
    "Family": ("person", "relative", "relationship", "family_of"),
    "Associate": ("person", "associate", "relationship", "associate_of"),
    "UnknownLink": ("subject", "object", "role", "linked_to"),
    "Debt": ("creditor", "debtor", None, "lends_to"),  # FtM gives a debt no wording: a loan to a nominee comes back a loan
    "Succession": ("predecessor", "successor", "role", "merged_into"),
}
FALLBACK_TYPE = "linked_to"
# FtM identifier properties -> the scheme we record (None: the property name is the identifier's name)
IDENTIFIER_PROPERTIES = {"leiCode": "XI-LEI", "registrationNumber": None, "idNumber": None, "taxNumber": None,
                         "vatCode": None, "innCode": "RU-INN", "ogrnCode": "RU-OGRN", "uscCode": "CN-USC",
                         "swiftBic": None, "wikidataId": "WIKIDATA", "permId": "PERMID"}
SHARE_IN_DESCRIPTION = re.compile(r"^share (~?[0-9.]+|[0-9.?]+-[0-9.?]+|more than [0-9.]+)%")


class FtmImportError(EcosystemError):
    """The FollowTheMoney file could not be read as our records."""


def iter_entities(path):
    """(line, entity) for each FtM entity of a JSON lines file, one line at a time."""
    path = Path(path)
    with _open_input(path, FtmImportError) as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                raise FtmImportError(f"{path}, line {number}: not JSON ({_reason(error)}); "
                                     "a FollowTheMoney file has one entity a line") from None
            if not isinstance(item, dict) or not isinstance(item.get("schema"), str) or not item.get("id"):
                raise FtmImportError(f"{path}, line {number}: not a FollowTheMoney entity "
                                     "(an object with id, schema and properties)")
            yield number, item


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")[:120]
    if not slug:
        slug = "ftm_" + hashlib.sha1(str(text).encode()).hexdigest()[:12]
    return slug


def _date(values) -> str | None:
    from .. import dates

    for value in values or ():
        try:
            return dates.normalise(str(value)[:10])
        except ValueError:
            continue
    return None


def _share(properties) -> dict | None:
    for text in properties.get("description") or ():
        found = SHARE_IN_DESCRIPTION.match(text)
        if found:
            value = found.group(1)
            if value.startswith("more than "):
                return {"min": float(value[len("more than "):]), "exclusive_min": True}
            if "-" in value:
                low, high = value.split("-", 1)
                share = {}
                if low != "?":
                    share["min"] = float(low)
                if high != "?":
                    share["max"] = float(high)
                return share or None
            if value.startswith("~"):
                return {"value": float(value[1:]), "approximate": True}
            return {"value": float(value)}
    for text in properties.get("percentage") or ():
        try:
            number = float(str(text).strip().rstrip("%"))
        except ValueError:
            continue
        if 0 <= number <= 100:
            return {"value": number}
    return None


def _amount(properties) -> dict | None:
    """A link's ``amount`` (a Debt's, an Ownership's price) with its ``currency``, as our ``amount``."""
    import math

    for text in properties.get("amount") or ():
        try:
            value = float(str(text).replace(",", ""))
        except ValueError:
            continue
        if math.isfinite(value):
            amount = {"value": value}
            currency = next((c.upper() for c in properties.get("currency", ()) if re.fullmatch(r"[A-Za-z]{3}", c)), None)
            if currency:
                amount["currency"] = currency
            return amount
    return None


def convert(path, *, vocabulary=None) -> tuple[list[dict], ImportResult]:
    """The records (``{"record": "source"|"entity"|"relation", ...}``) an FtM file gives, in output order."""
    from followthemoney import model
    from followthemoney.types import registry

    path = Path(path)
    vocabulary = vocabulary or _bundled_vocabulary()
    result = ImportResult()
    source_id = "ftm_" + _slug(path.stem)
    things, links = [], []
    for number, item in iter_entities(path):
        result.statements += 1
        schema = model.get(item["schema"])
        if schema is None:
            result.skip("entities of schemas FollowTheMoney does not know")
            continue
        properties = item.get("properties") if isinstance(item.get("properties"), dict) else {}
        properties = {key: [str(v) for v in values] for key, values in properties.items() if isinstance(values, list)}
        if schema.name in LINK_TYPES:
            links.append((str(item["id"]), schema.name, properties))
        elif any(schema.is_a(model.get(name)) for name in SCHEMA_TYPES):
            things.append((str(item["id"]), schema, properties))
        else:
            result.skip(f"{schema.name} entities (no type of ours)")

    ids, relation_ids = _Ids(), _Ids()
    labels = {t.label.lower(): t.id for t in vocabulary.entity_types.values()}
    entities: dict[str, dict] = {}
    by_ftm: dict[str, str] = {}
    places: dict[str, str] = {}

    def cite(ftm_id):
        return [f"{source_id} entity {ftm_id}"]

    def place(code: str, ftm_id: str) -> str | None:
        name = registry.country.caption(code) or code
        if name.lower() not in places:
            place_id = ids.take(_slug(name))
            entities[place_id] = {"id": place_id, "name": name, "type": "jurisdiction", "sources": cite(ftm_id)}
            places[name.lower()] = place_id
        return places[name.lower()]

    for ftm_id, schema, properties in things:
        classification = next((labels[c.lower()] for c in properties.get("classification", ()) if c.lower() in labels), None)
        type_id = classification or next(SCHEMA_TYPES[name] for name in
                                         (schema.name, *[s.name for s in schema.extends], "LegalEntity")
                                         if name in SCHEMA_TYPES)
        names = properties.get("name") or []
        name = names[0] if names else f"Unnamed {schema.name} {ftm_id}"
        if type_id == "jurisdiction" and name.lower() in places:
            by_ftm[ftm_id] = places[name.lower()]
            continue
        entity = {"id": ids.take(ftm_id if ID_PATTERN.match(ftm_id) else _slug(ftm_id)), "name": name, "type": type_id}
        aliases = [a for key in ("name", "alias", "weakAlias", "previousName") for a in properties.get(key, ())
                   if a != name]
        if aliases:
            entity["aliases"] = list(dict.fromkeys(aliases))
        identifiers = []
        for key, scheme in IDENTIFIER_PROPERTIES.items():
            for value in properties.get(key, ()):
                identifier = {"id": value, "scheme": scheme} if scheme else {"id": value, "name": key}
                if identifier not in identifiers:
                    identifiers.append(identifier)
        if identifiers:
            entity["identifiers"] = identifiers
        entity["record_id"] = ftm_id
        if properties.get("description"):
            entity["description"] = properties["description"][0]
        start = _date(properties.get("incorporationDate") or properties.get("birthDate"))
        end = _date(properties.get("dissolutionDate") or properties.get("deathDate"))
        if start:
            entity["start"] = start
        if end and (start is None or end >= start):
            entity["end"] = end
        entity["sources"] = cite(ftm_id)
        if type_id == "jurisdiction":
            places[name.lower()] = entity["id"]
        entities[entity["id"]] = entity
        by_ftm[ftm_id] = entity["id"]
    for ftm_id, schema, properties in things:  # countries once every jurisdiction entity is known
        entity = entities.get(by_ftm.get(ftm_id))
        if entity is None or entity["type"] == "jurisdiction":
            continue
        code = next(iter(properties.get("jurisdiction") or properties.get("country") or ()), None)
        if code:
            found = place(code, ftm_id)
            if found != entity["id"]:
                entity["jurisdiction"] = found

    relations = []
    types = vocabulary.relation_types
    for ftm_id, schema_name, properties in links:
        holder_prop, other_prop, wording_prop, default = LINK_TYPES[schema_name]
        holder = by_ftm.get(next(iter(properties.get(holder_prop) or ()), None))
        other = by_ftm.get(next(iter(properties.get(other_prop) or ()), None))
        if holder is None or other is None or holder == other:
            result.skip("links whose ends are not in the file")
            continue
        wording = [w.lower() for w in properties.get(wording_prop, ())] if wording_prop else []
        chosen = next((t for t in types.values() if t.label.lower() in wording and t.ftm is not None
                       and t.ftm.schema_ == schema_name), None) or types.get(default)
        holder_type, other_type = entities[holder]["type"], entities[other]["type"]
        if chosen is None or not (chosen.allows_from(holder_type) and chosen.allows_to(other_type)):
            chosen = types[FALLBACK_TYPE]
        relation = {"id": relation_ids.take(ftm_id if ID_PATTERN.match(ftm_id) else _slug(ftm_id)),
                    "type": chosen.id, "from": holder, "to": other}
        if chosen.shares:
            share = _share(properties)
            if share is not None:
                relation["equity"] = share
        amount = _amount(properties)
        if amount is not None:
            relation["amount"] = amount
        start, end = _date(properties.get("startDate")), _date(properties.get("endDate"))
        if start:
            relation["start"] = start
        if end and (start is None or end >= start):
            relation["end"] = end
        observed = _date(properties.get("date"))
        if observed:
            relation["as_of"] = observed
        role = [w for w in properties.get(wording_prop, ()) if w.lower() != chosen.label.lower()] if wording_prop else []
        if role and chosen.id in ("officer_of", "member_of"):
            relation["role"] = role[0]
        if INDIRECT in properties.get("description", ()):
            relation["indirect"] = True
        notes = [d for d in properties.get("description", ()) if not SHARE_IN_DESCRIPTION.match(d) and d != INDIRECT]
        if chosen.id == FALLBACK_TYPE and wording_prop and properties.get(wording_prop):
            notes.insert(0, f"{wording_prop}: {properties[wording_prop][0]}")
        if notes:
            relation["note"] = "; ".join(notes)
        relation["record_id"] = ftm_id
        relation["sources"] = cite(ftm_id)
        relations.append(relation)

    source = {"id": source_id, "kind": "dataset", "title": f"FollowTheMoney entities: {path.name}",
              "note": f"Imported from FollowTheMoney ({result.statements} entities); locators are FtM ids."}
    ordered_entities = sorted(entities.values(), key=lambda e: e["id"])
    relations.sort(key=lambda r: r["id"])
    result.entities, result.relations = len(ordered_entities), len(relations)
    records = [{"record": "source", **source}]
    records += [{"record": "entity", **entity} for entity in ordered_entities]
    records += [{"record": "relation", **relation} for relation in relations]
    return records, result


def import_ftm(path, directory, *, vocabulary=None, force: bool = False) -> ImportResult:
    """Convert the FtM file ``path`` into ``directory/records.jsonl`` (JSON lines, one record a line)."""

    path, directory = Path(path), Path(directory)
    target = directory / OUTPUT_FILE
    if target.exists() and not force:
        raise FtmImportError(f"{directory} already holds {OUTPUT_FILE}; choose an empty folder or pass --force")
    records, result = convert(path, vocabulary=vocabulary)
    _write_records(records, target)
    result.paths.append(target)
    return result
