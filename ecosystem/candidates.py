"""Records that are probably one entity, from different files or folders: what
``ecosystem merge-candidates`` proposes. Nothing is merged here: a person confirms a proposal by
writing a cited ``same_as`` relation (:mod:`ecosystem.same_as`); :func:`stubs` writes the proposals
as commented-out ``same_as`` records to start from.

Pairs are found by what two records share, strongest first:

* an identifier's id with another scheme, or with the scheme missing on one side (the same scheme
  and id is already one entity when the folders are read together, and an error within one folder);
* a name (or alias, or name in another language) that is the same once case, accents and punctuation
  are folded; once company suffixes (Ltd, Limited, Inc., Co., GmbH, 有限公司 ...) are taken off;
  read as pinyin (马云 and "Ma Yun"); or, for people, with its words in another order ("MA, Yun").

Each pair is then weighed by what else agrees or disagrees: the jurisdiction (by name), the type,
the start (founding or birth) date. Only records of one kind are paired (people with people,
organisations with organisations); unknown and anonymous parties, and records of one file (a
register's namesakes are distinct people), are never paired, nor records listed as ``distinct_from``.

A common name (or id) that more than :data:`CROWD` records share is a crowd of namesakes: the name
alone says nothing about which of them a record is, so inside a crowd only records that also have the
same start (birth or founding date, to the shorter precision; where more than :data:`CROWD` of them
share the start's year, the very same month or day) are paired. Each crowd that spans two files or more is
reported (:func:`search`), with its size and how many pairs it gave, so no name is left out unsaid.
"""

from __future__ import annotations

import re
from collections import defaultdict

# words that say what legal form a company has, not which company it is (folded, as fold() gives them)
COMPANY_SUFFIXES = frozenset({
    "limited", "ltd", "inc", "incorporated", "corp", "corporation", "co", "company", "plc", "llc", "llp", "lp",
    "gmbh", "ag", "sa", "s", "a", "bv", "nv", "pte", "pty", "srl", "spa", "kk", "sarl", "oy", "ab", "as", "se",
    "youxian", "gongsi", "zeren", "gufen",  # 有限公司, 有限责任公司, 股份有限公司 written in pinyin
})
_CHINESE_SUFFIXES = re.compile(r"(股份有限公司|有限责任公司|有限公司|公司)$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# evidence of the names, and what each weighs
NAME_KINDS = {
    "same name": 0.6,          # equal once case, accents and punctuation are folded
    "same name without company suffixes": 0.55,
    "same name in pinyin": 0.5,
    "same words in another order": 0.4,
}
IDENTIFIER_WEIGHT = 0.3
ALONE_IDENTIFIER = 0.5  # an id in common and no name in common
CROWD = 50  # more records than this sharing one name (or id): the name alone is no evidence


def name_keys(entity: dict, person: bool) -> dict[str, tuple[str, str]]:
    """{key: (kind of evidence, the name it comes from)} for every name of ``entity``, strongest kind kept."""
    from .query import fold, pinyin

    found: dict[str, tuple[str, str]] = {}

    def put(key: str, kind: str, name: str) -> None:
        if key and (key not in found or NAME_KINDS[kind] > NAME_KINDS[found[key][0]]):
            found[key] = (kind, name)

    names = [entity["name"], *(entity.get("aliases") or ()), *(entity.get("names") or {}).values()]
    for name in names:
        if not name or not name.strip():
            continue
        if _CJK.search(name):
            stripped = _CHINESE_SUFFIXES.sub("", name.strip())
            spelled = fold(pinyin(stripped)) if stripped else ""
            put("=" + fold(name).replace(" ", ""), "same name", name)
            if spelled:
                put("~" + spelled.replace(" ", ""), "same name in pinyin", name)
                if person and len(spelled.split()) > 1:
                    put("^" + " ".join(sorted(spelled.split())), "same words in another order", name)
            continue
        words = fold(name).split()
        if not words:
            continue
        put("=" + "".join(words), "same name", name)
        bare = list(words)
        while len(bare) > 1 and bare[-1] in COMPANY_SUFFIXES:
            bare.pop()
        if bare != words and not person:
            put("-" + "".join(bare), "same name without company suffixes", name)
        put("~" + "".join(words), "same name in pinyin", name)  # a name written in pinyin meets its characters
        if person and len(words) > 1:
            put("^" + " ".join(sorted(words)), "same words in another order", name)
    # a key met in two forms counts as the strongest: "=" and "~" of one spelling are one key
    merged: dict[str, tuple[str, str]] = {}
    for key, value in found.items():
        bare_key = key[1:] if key[0] in "=~-" else key
        if bare_key not in merged or NAME_KINDS[value[0]] > NAME_KINDS[merged[bare_key][0]]:
            merged[bare_key] = value
    return merged


def candidates(dataset, *, min_score: float = 0.0) -> list[dict]:
    """Pairs of entities that are probably one, best first: ``{"score", "first", "second", "evidence"}``
    (``first``/``second``: entity objects with ``file``; ``evidence``: what agrees and disagrees)."""
    return search(dataset, min_score=min_score)[0]


def search(dataset, *, min_score: float = 0.0) -> tuple[list[dict], list[dict]]:
    """(pairs, crowds): the pairs of :func:`candidates`, and every crowd of namesakes (more than
    :data:`CROWD` records of one kind sharing a name or an id, in two files or more), largest first:
    ``{"kind", "shared", "text", "records", "files", "pairs", "reason"}``, where ``pairs`` counts the
    pairs of its records that also have the same start (those are proposed, scored as any other)."""
    from .query import fold

    vocabulary = dataset.vocabulary
    entities = dataset.entities
    locations = dataset.locations
    kinds = {}
    for type_id, definition in vocabulary.entity_types.items():
        bods = definition.bods
        if bods is not None and (bods.type.startswith("unknown") or bods.type.startswith("anonymous")):
            continue
        kinds[type_id] = bods.record if bods is not None else type_id
    keys: dict[tuple, list[str]] = defaultdict(list)
    entity_keys: dict[str, dict] = {}
    for entity_id, entity in entities.items():
        kind = kinds.get(entity["type"])
        if kind is None or entity.get("unspecified_reason"):
            continue
        own = name_keys(entity, kind == "person")
        entity_keys[entity_id] = own
        for key in own:
            keys[(kind, "name", key)].append(entity_id)
        for identifier in entity.get("identifiers") or ():
            if identifier.get("id"):
                keys[(kind, "id", str(identifier["id"]).casefold())].append(entity_id)
    file_of = {}

    def origin(entity_id):
        if entity_id not in file_of:
            file_of[entity_id] = locations[entity_id][0] if entity_id in locations else ""
        return file_of[entity_id]

    pairs: dict[tuple, dict] = {}
    crowds: dict[tuple, dict] = {}  # one per kind and set of records (a name's keys share their records)
    for (kind, what, key), members in keys.items():
        if len(members) < 2:
            continue
        crowd = None
        groups = [members]
        if len(members) > CROWD:
            files = sorted({origin(member) for member in members})
            if len(files) < 2:  # namesakes of one file: never paired anyway
                continue
            crowd = crowds.get((kind, frozenset(members)))
            if crowd is None:
                crowd = crowds[(kind, frozenset(members))] = _crowd(kind, what, key, members, files, entity_keys)
            groups = _by_start(members, entities)
        for group in groups:
            for index, first in enumerate(group):
                for second in group[index + 1:]:
                    if first == second or origin(first) == origin(second):
                        continue
                    if crowd is not None and not _same_start(entities[first], entities[second]):
                        continue
                    pair = pairs.setdefault((first, second), {"names": None, "ids": [], "crowd": None, "plain": False})
                    if crowd is None:
                        pair["plain"] = True  # found by a name or id that is not a crowd's
                    else:
                        crowd["pairs"].add((first, second))
                        if pair["crowd"] is None or crowd["records"] > pair["crowd"]["records"]:
                            pair["crowd"] = crowd
                    if what == "name":
                        kind_first, name_first = entity_keys[first][key]
                        kind_second, name_second = entity_keys[second][key]
                        weakest = min((kind_first, kind_second), key=NAME_KINDS.get)
                        if pair["names"] is None or NAME_KINDS[weakest] > NAME_KINDS[pair["names"][0]]:
                            pair["names"] = (weakest, name_first, name_second)
                    else:
                        pair["ids"].append(key)
    found = []
    for (first, second), shared in pairs.items():
        one, other = entities[first], entities[second]
        if second in (one.get("distinct_from") or ()) or first in (other.get("distinct_from") or ()):
            continue
        evidence, score = [], 0.0
        if shared["names"] is not None:
            kind, name_first, name_second = shared["names"]
            score += NAME_KINDS[kind]
            shown = repr(name_first) if name_first == name_second else f"{name_first!r} / {name_second!r}"
            evidence.append({"kind": kind, "weight": NAME_KINDS[kind], "text": f"{kind}: {shown}"})
        if shared["ids"]:
            weight = IDENTIFIER_WEIGHT if shared["names"] is not None else ALONE_IDENTIFIER
            score += weight
            schemes = (_schemes(one, shared["ids"][0]), _schemes(other, shared["ids"][0]))
            evidence.append({"kind": "same identifier id", "weight": weight,
                             "text": f"same identifier id {shared['ids'][0]} (scheme {schemes[0] or 'none'} / "
                                     f"{schemes[1] or 'none'})"})
        for item in _agreement(dataset, one, other, fold):
            score += item["weight"]
            evidence.append(item)
        if shared["crowd"] is not None and not shared["plain"]:
            crowd = shared["crowd"]
            evidence.append({"kind": "crowd of namesakes", "weight": 0.0,
                             "text": f"{crowd['records']} records share {crowd['text']}: paired only because the "
                                     "start is the same"})
        score = round(max(0.0, min(1.0, score)), 2)
        if score < min_score:
            continue
        found.append({"score": score, "first": _summary(dataset, first), "second": _summary(dataset, second),
                      "evidence": evidence})
    found.sort(key=lambda item: (-item["score"], item["first"]["id"], item["second"]["id"]))
    crowds = list(crowds.values())
    for crowd in crowds:
        crowd["pairs"] = len(crowd["pairs"])
        crowd["reason"] = (f"{crowd['records']} records share {crowd['text']}, in {len(crowd['files'])} files: "
                           f"the {'name' if crowd['shared'] == 'name' else 'id'} alone names no one in particular, so "
                           f"only records with the same start (birth or founding date) are paired: "
                           f"{crowd['pairs']} pair{'' if crowd['pairs'] == 1 else 's'} of them")
    crowds.sort(key=lambda crowd: (-crowd["records"], crowd["kind"], crowd["text"]))
    return found, crowds


def _crowd(kind: str, what: str, key: str, members: list[str], files: list[str], entity_keys: dict) -> dict:
    if what == "name":
        shown = sorted({entity_keys[member][key][1] for member in members})
        others = len(shown) - 1
        text = f"the name {shown[0]!r}" + (f" (or {others} other spelling{'s' if others > 1 else ''})" if others else "")
    else:
        text = f"the identifier id {key}"
    return {"kind": kind, "shared": what, "text": text, "records": len(members), "files": files, "pairs": set()}


def _by_start(members: list[str], entities: dict) -> list[list[str]]:
    """The records of a crowd that may have the same start, in groups: by the start's year, and where more
    than :data:`CROWD` share a year, by the very same month or day (a year alone is then no evidence)."""
    by_year = defaultdict(list)
    for member in members:
        if entities[member].get("start"):
            by_year[entities[member]["start"][:4]].append(member)
    groups = []
    for group in by_year.values():
        if len(group) <= CROWD:
            groups.append(group)
            continue
        by_day = defaultdict(list)
        for member in group:
            if len(entities[member]["start"]) > 4:  # a year alone is what they all share
                by_day[entities[member]["start"]].append(member)
        groups.extend(same for same in by_day.values() if len(same) <= CROWD)
    return [group for group in groups if len(group) > 1]


def _same_start(one: dict, other: dict) -> bool:
    """Both records have a start (founding or birth date), the same to the shorter precision."""
    starts = (one.get("start"), other.get("start"))
    if not (starts[0] and starts[1]):
        return False
    common = min(len(starts[0]), len(starts[1]))
    return starts[0][:common] == starts[1][:common]


def _schemes(entity: dict, wanted: str) -> str:
    return ", ".join(sorted({str(i.get("scheme") or "") for i in entity.get("identifiers") or ()
                             if str(i.get("id") or "").casefold() == wanted} - {""}))


def _agreement(dataset, one: dict, other: dict, fold) -> list[dict]:
    """What else agrees (+) or disagrees (-) between two records: jurisdiction, type, start date."""
    found = []
    places = (_place_names(dataset, one, fold), _place_names(dataset, other, fold))
    if places[0] and places[1]:
        shown = f"{_place_label(dataset, one)} / {_place_label(dataset, other)}"
        if places[0] & places[1]:
            found.append({"kind": "same jurisdiction", "weight": 0.2, "text": f"same jurisdiction: {_place_label(dataset, one)}"})
        else:
            found.append({"kind": "different jurisdiction", "weight": -0.3, "text": f"different jurisdiction: {shown}"})
    if one["type"] == other["type"]:
        label = dataset.vocabulary.entity_types[one["type"]].label.lower()
        found.append({"kind": "same type", "weight": 0.1, "text": f"both {label}"})
    else:
        labels = [dataset.vocabulary.entity_types[e["type"]].label.lower() for e in (one, other)]
        found.append({"kind": "related type", "weight": 0.0, "text": f"types {labels[0]} / {labels[1]}"})
    starts = (one.get("start"), other.get("start"))
    if starts[0] and starts[1]:
        if _same_start(one, other):
            found.append({"kind": "same start", "weight": 0.1, "text": f"same start: {starts[0]} / {starts[1]}"})
        else:
            found.append({"kind": "different start", "weight": -0.3, "text": f"different start: {starts[0]} / {starts[1]}"})
    return found


def _place_names(dataset, entity: dict, fold) -> set[str]:
    place = dataset.entities.get(entity.get("jurisdiction") or "")
    if place is None:
        return set()
    names = [place["name"], *(place.get("aliases") or ()), *(place.get("names") or {}).values()]
    names += [str(i["id"]) for i in place.get("identifiers") or () if i.get("id")]
    return {fold(name) for name in names if name}


def _place_label(dataset, entity: dict) -> str:
    return dataset.entities[entity["jurisdiction"]]["name"]


def _summary(dataset, entity_id: str) -> dict:
    entity = dataset.entities[entity_id]
    found = {"id": entity_id, "name": entity["name"], "type": entity["type"]}
    if entity_id in dataset.locations:
        found["file"] = dataset.locations[entity_id][0]
    return found


def stubs(found: list[dict], crowds: list[dict] = ()) -> str:
    """The proposals as a YAML file of ``same_as`` relations, every one commented out: loaded as it is,
    the file adds nothing. A person uncomments the ones that are right and cites the source that
    shows it. ``crowds`` (:func:`search`) are listed first, as comments."""
    lines = [
        "# same_as proposals written by `ecosystem merge-candidates`: nothing here is merged.",
        "# To accept a proposal, take the '#' off its record's lines, replace SOURCE and WHERE with the",
        "# source (an id of the data's sources) that shows the two records are one entity and where it",
        "# says so, and keep this file in a data folder. Delete the proposals that are wrong.",
    ]
    lines.extend(f"# Crowd of namesakes: {crowd['reason']}." for crowd in crowds)
    lines.append("relations:")
    for number, item in enumerate(found, 1):
        first, second = item["first"], item["second"]
        lines.append(f"# {number}. score {item['score']:.2f}: {first['name']} ({first.get('file', '')}) "
                     f"and {second['name']} ({second.get('file', '')})")
        lines.extend(f"#    {evidence['text']}" for evidence in item["evidence"])
        lines.append(f"#  - {{type: same_as, from: {second['id']}, to: {first['id']},"
                     " sources: [{source: SOURCE, locator: WHERE}]}")
    return "\n".join(lines) + "\n"
