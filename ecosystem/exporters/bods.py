"""BODS 0.4: Beneficial Ownership Data Standard statements (entity, person, relationship records).

What maps where comes from the vocabulary, never from this module:

* an entity type's ``bods: {record: entity|person, type, subtype}`` gives its record type and
  ``entityType`` / ``personType``; its label goes into ``entityType.details`` (so an import can
  tell a partnership from a company); types without ``bods`` are left out;
* a relation type's ``bods: [interest types]`` gives the interests; a relation type with an
  empty list (regulation, fines, competition, ...) is not expressible in BODS and is left out.

A relationship's ``interestedParty`` is our ``from`` (the holder), its ``subject`` our ``to``.
Shares: an exact share is ``{"exact": 33}``, a range ``{"minimum": 20, "maximum": 30}``; an
approximate figure is written as exact, and the interest's ``details`` (the relation's wording)
says "approximate share". ``votingRights`` carries ``votes`` when the relation gives it, else
``equity``; other interests carry ``equity``. A look-through (``indirect``) figure without ``votes`` is an
economic interest (a limited partner's share through a partnership carries no votes): it gets no
``votingRights`` interest. Dates are BODS full dates: a partial date becomes
its first day (``2014`` -> ``2014-01-01``). A relation with no observation date (``as_of``) says so in
its interests' ``details`` (:data:`~ecosystem.importers.bods.NOT_OBSERVED`): its statement date is its
sources' date, and the import gives it no ``as_of`` (an undated relation stays in force at every date).

Everything is deterministic: ``recordId`` is our id; ``statementId`` a UUID5 of the record's
content; ``statementDate`` a relation's observation date (``as_of``) where it has one, else the
latest date of the sources the record cites (else the graph's as-of or latest date); ``publicationDate`` the latest statement date. Relations left out are
counted, by reason, in the returned :class:`~ecosystem.exporters._common.ExportResult`.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from ..importers.bods import JURISDICTION_SCHEME, NOT_OBSERVED
from ._common import ExportResult, citation_text, clean_text, iso_day, share_of, sorted_edges, sorted_nodes, write_text

BODS_VERSION = "0.4"
NAMESPACE = uuid.UUID("6c6b1d0e-4c0a-5f43-9a35-2b0f6e0f2a71")
PUBLISHER = {"name": "ecosystem knowledge graph"}
APPROXIMATE = "approximate share"
FALLBACK_DATE = "1970-01-01"
SKIP_NOT_EXPRESSIBLE = "relations BODS cannot express"
SKIP_NO_RECORD = "relations with a party that has no BODS record"
SKIP_PERSON_SUBJECT = "relations whose subject is a person"
SKIP_ENTITY = "entities of types without a BODS record"


def statement_id(record_type: str, record_id: str, details: dict) -> str:
    content = json.dumps(details, sort_keys=True, ensure_ascii=False)
    return str(uuid.uuid5(NAMESPACE, f"{record_type}\n{record_id}\n{content}"))


def _share(value) -> dict | None:
    share = share_of(value)
    if share is None:
        return None
    if share.value is not None:
        return {"exact": _number(share.value)}
    if share.min is not None and share.max is not None and share.min == share.max:
        return {"exact": _number(share.min)}
    found = {}
    if share.min is not None:
        found["exclusiveMinimum" if share.exclusive_min else "minimum"] = _number(share.min)
    if share.max is not None:
        found["exclusiveMaximum" if share.exclusive_max else "maximum"] = _number(share.max)
    return found


def _number(value: float):
    return int(value) if float(value).is_integer() else value


class _Dates:
    """The statement date of a record: the latest date among the sources it cites."""

    def __init__(self, graph):
        self.bibliography = graph.graph.get("sources") or {}
        default = graph.graph.get("as_of") or graph.graph.get("latest_date")
        self.default = iso_day(default) or FALLBACK_DATE

    def of(self, record: dict) -> str:
        observed = iso_day(record.get("as_of"))
        if observed:  # a figure observed at a date is stated as of that date
            return observed
        found = []
        for citation in record.get("sources") or []:
            source = self.bibliography.get(citation.get("source")) if isinstance(citation, dict) else None
            day = iso_day(source.get("date")) if isinstance(source, dict) else None
            if day:
                found.append(day)
        return max(found) if found else self.default

    def source(self, record: dict) -> dict:
        parts, urls, authors = [], [], []
        for citation in record.get("sources") or []:
            entry = self.bibliography.get(citation.get("source")) if isinstance(citation, dict) else None
            if isinstance(entry, dict):
                title = entry.get("title") or citation.get("source")
                locator = citation.get("locator") or ""
                parts.append(f"{title}{', ' + locator if locator else ''}")
                if isinstance(entry.get("url"), str) and entry["url"].startswith(("http://", "https://")):
                    urls.append(entry["url"])
                who = entry.get("author") or entry.get("publisher")
                if who and who not in authors:
                    authors.append(who)
            else:
                parts.append(citation_text(citation))
        source = {"type": ["thirdParty"]}
        if parts:
            source["description"] = clean_text("; ".join(parts))
        if urls:
            source["url"] = urls[0]
        if authors:
            source["assertedBy"] = [{"name": clean_text(str(name))} for name in authors]
        return source


def statements(graph, result: ExportResult | None = None) -> list[dict]:
    """The BODS statements for ``graph``: entities and people first, then relationships, each by id."""
    result = result if result is not None else ExportResult("bods")
    vocabulary = graph.graph["vocabulary"]
    dated = _Dates(graph)
    records: dict[str, str] = {}  # our entity id -> "entity" | "person"
    entity_statements, relationship_statements = [], []

    record_ids = _record_ids(graph, vocabulary)
    for node, data in sorted_nodes(graph):
        definition = vocabulary.entity_types.get(data.get("type"))
        mapping = definition.bods if definition is not None else None
        if mapping is None:
            result.skip(SKIP_ENTITY)
            continue
        record_id = record_ids[node]
        records[node] = mapping.record
        name = clean_text(str(data.get("name") or node))
        alternates = [clean_text(str(text)) for text in list((data.get("names") or {}).values()) + list(data.get("aliases") or [])]
        alternates = [text for index, text in enumerate(alternates) if text and text != name and text not in alternates[:index]]
        unspecified = None
        if mapping.type in ("unknownPerson", "anonymousPerson", "unknownEntity"):
            unspecified = {"reason": data.get("unspecified_reason") or "unknown"}
            if data.get("description"):
                unspecified["description"] = clean_text(str(data["description"]))
        if mapping.record == "person":
            details = {"isComponent": bool(data.get("component")), "personType": mapping.type,
                       "names": [{"type": "legal", "fullName": name}]
                       + [{"type": "alternative", "fullName": text} for text in alternates]}
            if unspecified:
                details["unspecifiedPersonDetails"] = unspecified
        else:
            entity_type = {"type": mapping.type, "details": definition.label}
            if mapping.subtype:
                entity_type["subtype"] = mapping.subtype
            details = {"isComponent": bool(data.get("component")), "entityType": entity_type, "name": name}
            if unspecified:
                details["unspecifiedEntityDetails"] = unspecified
            if alternates:
                details["alternateNames"] = alternates
            jurisdiction = data.get("jurisdiction")
            if jurisdiction is not None:
                place = graph.nodes[jurisdiction].get("name") if jurisdiction in graph else None
                details["jurisdiction"] = {"name": clean_text(str(place or jurisdiction))}
                code = next((i["id"] for i in (graph.nodes[jurisdiction].get("identifiers") or ())
                             if i.get("scheme") == JURISDICTION_SCHEME and i.get("id")), None) \
                    if jurisdiction in graph else None
                if code:
                    details["jurisdiction"]["code"] = code
            founding, dissolution = iso_day(data.get("start")), iso_day(data.get("end"))
            if founding:
                details["foundingDate"] = founding
            if dissolution and (founding is None or dissolution >= founding):
                details["dissolutionDate"] = dissolution
        identifiers = _identifiers(data.get("identifiers"))
        if identifiers:
            details["identifiers"] = identifiers
        entity_statements.append(_statement(mapping.record, record_id, record_id, details, dated, data))
        ended = iso_day(data.get("end"))
        if mapping.record == "person" and ended:
            # a person's record that ends (a register closed it): its closing statement, dated then
            opening = entity_statements[-1]
            opening["statementDate"] = min(opening["statementDate"], ended)
            closing = _statement(mapping.record, record_id, record_id, details, dated, data)
            closing.update(statementId=statement_id("closed", record_id, details), statementDate=ended,
                           recordStatus="closed")
            entity_statements.append(closing)

    relation_ids = set()
    for u, v, key, data in sorted_edges(graph):
        definition = vocabulary.relation_types.get(data.get("type"))
        if definition is None or not definition.bods:
            result.skip(SKIP_NOT_EXPRESSIBLE)
            continue
        if u not in records or v not in records:
            result.skip(SKIP_NO_RECORD)
            continue
        if records[v] != "entity":
            result.skip(SKIP_PERSON_SUBJECT)
            continue
        start, end = iso_day(data.get("start")), iso_day(data.get("end"))
        if start and end and end < start:
            end = None
        observed = iso_day(data.get("as_of")) is not None  # else the statement date is the sources' date
        interests = []
        for interest_type in definition.bods:
            if interest_type == "votingRights" and data.get("indirect") and not data.get("votes"):
                continue  # a look-through economic figure says nothing of votes
            source_share = data.get("votes") or data.get("equity") if interest_type == "votingRights" else data.get("equity")
            interest = {"type": interest_type, "directOrIndirect": "indirect" if data.get("indirect") else "direct",
                        "beneficialOwnershipOrControl": bool(data.get("beneficial"))}
            wording = [definition.label]
            share = _share(source_share)
            if share:
                interest["share"] = share
                if share_of(source_share).approximate:
                    wording.append(APPROXIMATE)
            if not observed:
                wording.append(NOT_OBSERVED)
            interest["details"] = "; ".join(wording)
            if start:
                interest["startDate"] = start
            if end:
                interest["endDate"] = end
            interests.append(interest)
        record_id = record_ids[key]
        details = {"isComponent": bool(data.get("component")), "subject": record_ids[v],
                   "interestedParty": record_ids[u], "interests": interests}
        components = [record_ids[c] for c in data.get("components") or () if c in record_ids]
        if components:
            details["componentRecords"] = components
        relationship_statements.append(_statement("relationship", record_id, record_ids[v], details, dated, data))

    # a component comes before the relationship that lists it (libcovebods checks the order)
    relationship_statements.sort(key=lambda item: "componentRecords" in item["recordDetails"])
    result.nodes, result.edges = len(entity_statements), len(relationship_statements)
    every = entity_statements + relationship_statements
    published = max((item["statementDate"] for item in every), default=dated.default)
    for item in every:
        item["publicationDetails"] = {"publicationDate": published, "bodsVersion": BODS_VERSION, "publisher": PUBLISHER}
    return every


def _record_ids(graph, vocabulary) -> dict:
    """The BODS recordId of every entity and relation: the register's own (``record_id``) where an
    entity has one no other record uses, else our id (``relationship-`` before a relation id an
    entity already uses)."""
    found, used = {}, set()
    nodes = sorted_nodes(graph)
    wanted: dict[str, int] = {}
    for _, data in nodes:
        if data.get("record_id"):
            wanted[data["record_id"]] = wanted.get(data["record_id"], 0) + 1
    for node, data in nodes:
        record = data.get("record_id")
        record = clean_text(str(record)) if record and wanted[record] == 1 else clean_text(str(node))
        if record in used:
            record = clean_text(str(node))
        found[node] = record
        used.add(record)
    for u, v, key, data in sorted_edges(graph):
        record = clean_text(str(key))
        if record in used:
            record = f"relationship-{record}"
        found[key] = record
        used.add(record)
    return found


def _identifiers(identifiers) -> list[dict]:
    found = []
    for item in identifiers or ():
        if item.get("scheme") == JURISDICTION_SCHEME:
            continue  # a place's ISO code: written as the code of the jurisdictions that name it
        entry = {}
        for ours, theirs in (("id", "id"), ("scheme", "scheme"), ("name", "schemeName"), ("uri", "uri")):
            if item.get(ours):
                entry[theirs] = clean_text(str(item[ours]))
        if entry:
            found.append(entry)
    return found


def _statement(record_type, record_id, subject, details, dated: _Dates, data: dict) -> dict:
    return {
        "statementId": statement_id(record_type, record_id, details),
        "declarationSubject": subject,
        "statementDate": dated.of(data),
        "recordId": record_id,
        "recordType": record_type,
        "recordStatus": "new",
        "recordDetails": details,
        "source": dated.source(data),
    }


def write_bods(graph, path) -> ExportResult:
    """Write ``graph`` as a BODS 0.4 JSON array to ``path``; the result counts what was left out."""
    result = ExportResult("bods")
    document = statements(graph, result)
    write_text(path, json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    result.paths.append(Path(path))
    return result
