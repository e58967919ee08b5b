"""FollowTheMoney entities as JSON lines (``followthemoney`` / Aleph / OpenSanctions tooling).

The schemas come from the vocabulary: an entity type's ``ftm`` (Company, Person, PublicBody,
Organization, LegalEntity), a relation type's ``ftm: {schema, from, to}`` (Ownership,
Directorship, Membership, Representation, Debt, Succession, UnknownLink, ...). Types without a
schema are left out and counted.

Every value is cleaned with the ``followthemoney`` property type before it is written; a value
the model rejects is left out and counted, and each entity is then read back through
``model.get_proxy(data, cleaned=False)`` and compared with what went in, because the model drops
unknown properties without a word: a difference is an :class:`~ecosystem.errors.ExportError`.
FtM ids allow ASCII letters, digits, ``.`` and ``-`` only: ``citizen_a`` becomes ``citizen-a``
(an id with nothing ASCII, ``id-`` and a hash); relations keep our id in ``recordId``.
A relation mapping the model cannot hold (a property the schema does not have, or an end whose
schema is outside the property's range) is written as an ``UnknownLink`` instead, and noted.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ..errors import ExportError
from ..text import take_unused
from ..models import share_text
from ..query import INDIRECT
from ._common import ExportResult, citation_text, clean_text, sorted_edges, sorted_nodes, write_text

FALLBACK = ("UnknownLink", "subject", "object")
_ID_BAD = re.compile(r"[^0-9A-Za-z.-]+")
SKIP_ENTITY = "entities of types without a FollowTheMoney schema"
SKIP_RELATION = "relations of types without a FollowTheMoney schema"
SKIP_ENDPOINT = "relations with an end left out"
SKIP_VALUE = "values followthemoney rejects"


def id_maker():
    """FtM ids allow letters, digits, ``.`` and ``-`` only: ``citizen_a`` -> ``citizen-a`` (unique)."""
    given: dict[str, str] = {}
    used: set[str] = set()

    def make(value) -> str:
        text = str(value)
        if text in given:
            return given[text]
        candidate = _ID_BAD.sub("-", clean_text(text)).strip(".-")
        if not candidate:  # nothing ASCII left (a Chinese id): a stable hash of it
            candidate = "id-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        candidate = given[text] = take_unused(candidate, used, "-")
        return candidate

    return make


class _Builder:
    def __init__(self, model, graph, result: ExportResult):
        self.model = model
        self.graph = graph
        self.result = result
        self.bibliography = graph.graph.get("sources") or {}

    def entity(self, entity_id: str, schema_name: str) -> dict:
        return {"id": entity_id, "schema": schema_name, "properties": {}}

    def add(self, entity: dict, prop_name: str, values) -> None:
        schema = self.model.get(entity["schema"])
        prop = schema.get(prop_name) if schema is not None else None
        if prop is None:
            raise ExportError(f"FollowTheMoney schema {entity['schema']} has no property {prop_name!r}")
        for value in values if isinstance(values, (list, tuple)) else [values]:
            if value is None or value == "":
                continue
            text = clean_text(str(value))
            cleaned = text if prop.type.name == "entity" else prop.type.clean(text, proxy=None)
            if cleaned is None:
                self.result.skip(SKIP_VALUE)
                self.result.notes.append(f"{entity['id']}: {prop_name} {text!r} rejected by followthemoney")
                continue
            found = entity["properties"].setdefault(prop_name, [])
            if cleaned not in found:
                found.append(cleaned)

    def provenance(self, entity: dict, record: dict, property_name: str) -> None:
        citations = [citation_text(c) for c in record.get("sources") or []]
        if citations:
            self.add(entity, property_name, "Sources: " + "; ".join(citations))
        for citation in record.get("sources") or []:
            source = self.bibliography.get(citation.get("source")) if isinstance(citation, dict) else None
            if isinstance(source, dict):
                if isinstance(source.get("url"), str) and source["url"].startswith(("http://", "https://")):
                    self.add(entity, "sourceUrl", source["url"])
                if source.get("publisher") or source.get("title"):
                    self.add(entity, "publisher", source.get("publisher") or source.get("title"))


_IDENTIFIER_PROPS = ("registrationNumber", "idNumber", "taxNumber", "vatCode", "innCode", "ogrnCode", "uscCode",
                     "swiftBic", "wikidataId", "permId", "leiCode")


def _percentage(value) -> tuple[str | None, str | None]:
    """FtM ``percentage`` (a number as text: a range's certain low end) and, when that number alone
    would say more or less than we know, the share as we read it for the description (``share 20-30%``)."""
    from ._common import share_of

    share = share_of(value)
    if share is None:
        return None, None
    number = share.value if share.value is not None else (share.min or 0.0)
    text = f"{number:g}"
    exact = share.value is not None and not share.approximate
    return text, None if exact else f"share {share_text(value)}"


def entities(graph, result: ExportResult | None = None) -> list[dict]:
    """The FtM entity dicts for ``graph`` (entities, then relations, each sorted by id)."""
    from followthemoney import model

    result = result if result is not None else ExportResult("ftm")
    vocabulary = graph.graph["vocabulary"]
    build = _Builder(model, graph, result)
    ftm_id = id_maker()
    written: dict[str, object] = {}  # entity id -> its FtM schema
    nodes = []
    for node, data in sorted_nodes(graph):
        definition = vocabulary.entity_types.get(data.get("type"))
        schema = model.get(definition.ftm) if definition is not None and definition.ftm else None
        if schema is None:
            result.skip(SKIP_ENTITY)
            continue
        entity = build.entity(ftm_id(node), schema.name)
        name = data.get("name") or str(node)
        build.add(entity, "name", name)
        aliases = list((data.get("names") or {}).values()) + list(data.get("aliases") or [])
        build.add(entity, "alias", [alias for alias in aliases if alias != name])
        build.add(entity, "description", data.get("description"))
        build.add(entity, "classification", definition.label)  # our type, read back by `import ftm`
        for identifier in data.get("identifiers") or ():
            if identifier.get("id"):
                prop = "leiCode" if identifier.get("scheme") == "XI-LEI" else (
                    identifier.get("name") if identifier.get("name") in _IDENTIFIER_PROPS else "registrationNumber")
                if schema.get(prop) is not None:
                    build.add(entity, prop, identifier["id"])
        if schema.is_a(model.get("LegalEntity")) and not schema.is_a(model.get("Person")):
            build.add(entity, "incorporationDate", data.get("start"))
            build.add(entity, "dissolutionDate", data.get("end"))
        place = data.get("jurisdiction")
        if place is not None and schema.get("jurisdiction") is not None:
            place_name = graph.nodes[place].get("name") if place in graph else place
            build.add(entity, "jurisdiction", place_name)
        if data.get("type") == "jurisdiction" and schema.get("country") is not None:
            build.add(entity, "country", name)
        build.provenance(entity, data, "notes")
        written[node] = schema
        nodes.append(entity)

    links = []
    fallbacks: dict[str, int] = {}
    for u, v, key, data in sorted_edges(graph):
        definition = vocabulary.relation_types.get(data.get("type"))
        mapping = definition.ftm if definition is not None else None
        if mapping is None:
            result.skip(SKIP_RELATION)
            continue
        if u not in written or v not in written:
            result.skip(SKIP_ENDPOINT)
            continue
        schema_name, from_prop, to_prop = mapping.schema_, mapping.from_, mapping.to
        if not _fits(model, schema_name, from_prop, written[u]) or not _fits(model, schema_name, to_prop, written[v]):
            text = f"{data.get('type')} ({schema_name}.{from_prop} -> {schema_name}.{to_prop})"
            fallbacks[text] = fallbacks.get(text, 0) + 1
            schema_name, from_prop, to_prop = FALLBACK
        link = build.entity(ftm_id(f"relation:{key}"), schema_name)
        build.add(link, from_prop, ftm_id(u))
        build.add(link, to_prop, ftm_id(v))
        schema = model.get(schema_name)
        build.add(link, "startDate", data.get("start"))
        build.add(link, "endDate", data.get("end"))
        build.add(link, "date", data.get("as_of"))
        build.add(link, "recordId", str(key))
        wording = definition.label
        percentage, share = _percentage(data.get("equity"))
        if schema.get("percentage") is not None:
            build.add(link, "percentage", percentage)
        elif data.get("equity"):
            share = f"share {share_text(data['equity'])}"  # FtM gives this schema no percentage
        if schema.get("ownershipType") is not None:
            build.add(link, "ownershipType", wording)
        elif schema.get("role") is not None:
            build.add(link, "role", data.get("role") or wording)
        elif schema.get("relationship") is not None:
            build.add(link, "relationship", wording)
        build.add(link, "description", share)
        if data.get("indirect"):
            build.add(link, "description", INDIRECT)  # FtM has no word for a look-through figure
        build.add(link, "description", data.get("note"))
        amount = data.get("amount")
        if isinstance(amount, dict) and schema.get("amount") is not None:
            from ..models import Amount

            build.add(link, "amount", repr(Amount.model_validate(amount).absolute))
            build.add(link, "currency", amount.get("currency"))
        build.provenance(link, data, "summary")
        links.append(link)
    for text, count in sorted(fallbacks.items()):
        result.notes.append(f"the vocabulary's mapping {text} does not fit followthemoney {_version()}: "
                            f"{count} relation{'s' if count != 1 else ''} written as UnknownLink")
    result.nodes, result.edges = len(nodes), len(links)
    every = nodes + links
    for entity in every:
        _check_round_trip(model, entity)
    return every


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("followthemoney")
    except Exception:  # pragma: no cover - metadata missing
        return "?"


def _fits(model, schema_name: str, prop_name: str, end_schema) -> bool:
    schema = model.get(schema_name)
    prop = schema.get(prop_name) if schema is not None else None
    if prop is None or prop.type.name != "entity" or prop.range is None:
        return False
    return end_schema.is_a(prop.range)


def _check_round_trip(model, entity: dict) -> None:
    """Fail loudly when the model would drop or change what we give it."""
    back = model.get_proxy(entity, cleaned=False).to_dict()
    if back.get("schema") != entity["schema"] or back.get("id") != entity["id"]:
        raise ExportError(f"followthemoney changed entity {entity['id']!r}: {back.get('schema')}/{back.get('id')}")
    given = {name: sorted(values) for name, values in entity["properties"].items() if values}
    kept = {name: sorted(values) for name, values in (back.get("properties") or {}).items() if values}
    if given != kept:
        lost = {name: values for name, values in given.items() if kept.get(name) != values}
        raise ExportError(f"followthemoney dropped or changed values of {entity['id']!r}: {lost}")


def write_ftm(graph, path) -> ExportResult:
    """Write FollowTheMoney entities, one JSON object per line, to ``path``."""
    result = ExportResult("ftm")
    lines = [json.dumps(entity, ensure_ascii=False, sort_keys=True) for entity in entities(graph, result)]
    write_text(path, "".join(line + "\n" for line in lines))
    result.paths.append(Path(path))
    return result
