"""One real entity from several records: ``same_as`` relations, and one identifier across folders.

A register read beside curated data (``--data`` given more than once, ``import bods --into``) often
has a record of an entity the data already has. Two things make such records one entity:

* a ``same_as`` relation between them, cited like every fact (the source that shows they are one);
  its direction does not matter;
* in data read from several folders, entities of two folders carrying the same identifier (scheme
  and id): one identifier is one entity, whether their ids differ or are the same (two registers
  imported apart name their places alike). Within one folder that is an error, reported by the checks.

The files stay as written; the dataset the commands read holds one entity. The id kept is the one
read first (the first ``--data`` folder, then file order). The entity lists the records merged into
it under ``same_as`` (id, name, type, file, why, and the record as written); their names become its
aliases, their identifiers and citations are added to its own, and their relations attach to it.
Every command accepts the merged ids too (:func:`merged_ids`). Removing the statement (or the
identifier) undoes the merge: nothing else records it.
"""

from __future__ import annotations

SAME_AS = "same_as"


def identifier_key(identifier: dict) -> tuple:
    """What makes two identifiers one: the scheme and the id, case folded."""
    return (str(identifier.get("scheme") or "").casefold(), str(identifier.get("id") or "").casefold())


class Identity:
    """Groups of entity ids that are one entity (union-find), each group kept under its first id."""

    def __init__(self, order):
        self.position = {entity_id: number for number, entity_id in enumerate(order)}
        self.parent: dict[str, str] = {}
        self.reasons: dict[str, list[dict]] = {}

    def find(self, entity_id: str) -> str:
        parent = self.parent.get(entity_id, entity_id)
        if parent == entity_id:
            return entity_id
        root = self.find(parent)
        self.parent[entity_id] = root
        return root

    def same(self, first: str, second: str) -> bool:
        return self.find(first) == self.find(second)

    def join(self, first: str, second: str, why: dict) -> None:
        self.reasons.setdefault(first, []).append({**why, "with": second})
        self.reasons.setdefault(second, []).append({**why, "with": first})
        one, other = self.find(first), self.find(second)
        if one == other:
            return
        if self.position[other] < self.position[one]:
            one, other = other, one
        self.parent[other] = one


def join(report, entities: dict, relations: dict, locations: dict, relation_paths: dict) -> Identity | None:
    """The groups of entities that are one (None when there are none); contradictions go to ``report``:
    a ``distinct_from`` between two records made one, a relation whose two ends become one."""
    from .files import folder_of

    joins = []
    for relation_id, relation in relations.items():
        if relation["type"] == SAME_AS:
            first, second = relation["from"], relation["to"]
            if first in entities and second in entities and first != second:  # else reported by the checks
                joins.append((first, second, {"relation": relation_id, "sources": relation["sources"]}))
    folders = report.folders
    if len(folders) > 1:
        seen: dict[tuple, str] = {}
        for entity_id, entity in entities.items():
            for identifier in entity.get("identifiers") or ():
                if not identifier.get("id"):
                    continue
                other = seen.setdefault(identifier_key(identifier), entity_id)
                if other != entity_id and (folder_of(locations[other][0], folders)
                                           != folder_of(locations[entity_id][0], folders)):
                    shown = {key: identifier[key] for key in ("scheme", "id") if identifier.get(key)}
                    joins.append((other, entity_id, {"identifier": shown}))
    if not joins:
        return None
    identity = Identity(entities)
    for first, second, why in joins:
        identity.join(first, second, why)
    for entity_id, entity in entities.items():
        for index, other in enumerate(entity.get("distinct_from") or ()):
            if other in entities and identity.same(entity_id, other):
                file, path = locations[entity_id]
                report.add(file, path + ("distinct_from", index), entity_id,
                           f"{entity_id!r} is listed as distinct from {other!r}, but same_as (or an identifier "
                           "they share) makes them one entity",
                           "remove the distinct_from entry or the same_as statement, whichever is wrong")
    for relation_id, relation in relations.items():
        first, second = relation["from"], relation["to"]
        if relation["type"] != SAME_AS and first != second and identity.same(first, second):
            file, path = relation_paths[relation_id]
            report.add(file, path, relation_id,
                       f"a {relation['type']!r} relation between {first!r} and {second!r}, which same_as "
                       "(or an identifier they share) makes one entity",
                       "remove the relation, or the same_as statement if they are two entities")
    return identity


def shared_identifier(first: dict, second: dict) -> dict | None:
    """An identifier (scheme and id) that two entity records both carry, or None."""
    keys = {identifier_key(item) for item in first.get("identifiers") or () if item.get("id")}
    for item in second.get("identifiers") or ():
        if item.get("id") and identifier_key(item) in keys:
            return {key: item[key] for key in ("scheme", "id") if item.get(key)}
    return None


def merge(identity: Identity | None, entities: dict, relations: dict, locations: dict, relation_paths: dict,
          name_of_file, repeated=()) -> None:
    """Make each group one entity, in place (see the module's docstring). ``name_of_file(path)``: how a
    file is named to people (relative to the data folder). ``repeated``: (file, record, identifier) of
    records of another folder with the id and an identifier of an entity already read: one entity too."""
    for file, record, shared in repeated:
        target = entities.get(record["id"])
        if target is not None:
            target.setdefault("same_as", []).append({
                "id": record["id"], "name": record["name"], "type": record["type"], "file": name_of_file(file),
                "because": [{"identifier": shared, "with": record["id"]}], "record": record})
            _absorb(target, record)
    if identity is None:
        return
    merged: dict[str, str] = {}
    for entity_id in list(entities):
        kept = identity.find(entity_id)
        if kept == entity_id:
            continue
        merged[entity_id] = kept
        record = entities.pop(entity_id)
        file, _ = locations.pop(entity_id)
        target = entities[kept]
        target.setdefault("same_as", []).append({
            "id": entity_id, "name": record["name"], "type": record["type"], "file": name_of_file(file),
            "because": identity.reasons.get(entity_id, []), "record": record})
        _absorb(target, record)
    for relation_id in [rid for rid, relation in relations.items() if relation["type"] == SAME_AS]:
        del relations[relation_id]
        relation_paths.pop(relation_id, None)
    for relation in relations.values():
        for key in ("from", "to", "law"):
            if relation.get(key) in merged:
                relation[key] = merged[relation[key]]
        if relation.get("components"):
            relation["components"] = list(dict.fromkeys(merged.get(item, item) for item in relation["components"]))
    for entity in entities.values():
        if entity.get("jurisdiction") in merged:
            entity["jurisdiction"] = merged[entity["jurisdiction"]]
        if entity.get("distinct_from"):
            entity["distinct_from"] = list(dict.fromkeys(merged.get(item, item) for item in entity["distinct_from"]))


def _absorb(target: dict, record: dict) -> None:
    """The names, identifiers and citations of ``record`` added to ``target`` (what is new only)."""
    known = {target["name"], *target.get("aliases", ()), *target.get("names", {}).values()}
    aliases = list(target.get("aliases", ()))
    names = dict(target.get("names", {}))
    for language, name in (record.get("names") or {}).items():
        if language not in names:
            names[language] = name
            known.add(name)
    for name in (record["name"], *record.get("aliases", ()), *(record.get("names") or {}).values()):
        if name not in known:
            aliases.append(name)
            known.add(name)
    if aliases:
        target["aliases"] = aliases
    if names:
        target["names"] = names
    identifiers = list(target.get("identifiers", ()))
    keys = {identifier_key(item) for item in identifiers}
    for identifier in record.get("identifiers") or ():
        if identifier_key(identifier) not in keys:
            identifiers.append(identifier)
            keys.add(identifier_key(identifier))
    if identifiers:
        target["identifiers"] = identifiers
    sources = list(target.get("sources", ()))
    sources += [citation for citation in record.get("sources", ()) if citation not in sources]
    target["sources"] = sources


def merged_ids(entities) -> dict[str, str]:
    """{merged id: the id kept} of a dataset's entities (records or graph nodes), and the same for the
    register record ids of the merged records."""
    found: dict[str, str] = {}
    for entity_id, entity in entities:
        for entry in entity.get("same_as") or ():
            found.setdefault(entry["id"], entity_id)
    return found


def merged_record_ids(entities) -> dict[str, str]:
    """{record id of a merged record: the id kept}."""
    found: dict[str, str] = {}
    for entity_id, entity in entities:
        for entry in entity.get("same_as") or ():
            record_id = entry.get("record", {}).get("record_id")
            if record_id is not None:
                found.setdefault(record_id, entity_id)
    return found
