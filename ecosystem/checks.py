"""Checks across records: duplicate ids, references to entities and sources, names shared by two
entities, endpoint types, dates, and equity in one entity summing past 100% at any date.

Each record has been validated on its own (its model); what is checked here needs several.
Problems go to the :class:`~ecosystem.reading.Report`; the result is the :class:`Dataset`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

from . import dates, same_as
from .dataset import PLURAL, Dataset
from .models import share_text
from .reading import Report, did_you_mean, relative
from .text import plain
from .vocabulary import Vocabulary


def cross_check(report: Report, vocabulary: Vocabulary, views: dict, validated: dict) -> Dataset:
    """The dataset of the validated records (sections of (file, path, record)), problems reported."""
    return _CrossCheck(report).run(vocabulary, views, validated)


def check_views_and_stories(report: Report, views_file: Path | None, views: dict, stories_file: Path | None,
                            stories_data: bytes | None, dataset: Dataset) -> None:
    """views.yaml and the story file against the records and the vocabulary: what `views`, `render`
    and `build` read is checked with everything else (rules: views.views_problems, stories.stories_problems)."""
    from .same_as import merged_ids

    known_entities = dataset.entities.keys() | report.invalid_ids  # invalid records are reported once
    if views_file is None and stories_file is None:
        return
    merged = merged_ids(dataset.entities.items())  # an id merged away by same_as: the fix names the id kept
    if views_file is not None:
        from .views import views_problems

        for path, view_name, message, hint in views_problems(views, dataset.vocabulary, known_entities, merged):
            report.add(views_file, path, view_name, message, hint, line=None if path else 1)
    if stories_file is None:
        return
    from .reading import parse, read_text
    from .stories import stories_problems

    if stories_data is None:
        try:
            stories_data = stories_file.read_bytes()
        except OSError:
            pass  # read_text reports it
    if stories_data is not None and not stories_data.lstrip(b"\xef\xbb\xbf").strip():
        return  # an empty story file: no stories yet
    text = read_text(report, stories_file, stories_data)
    document = parse(report, stories_file, text) if text is not None else None
    if document is None:
        return
    view_names = views.get("views") if isinstance(views.get("views"), dict) else {}
    for path, story_id, message, hint in stories_problems(
            document, entity_ids=known_entities, source_ids=dataset.sources.keys() | report.invalid_ids,
            view_names=view_names, merged=merged):
        report.add(stories_file, path, story_id, message, hint, line=None if path else 1)


class _CrossCheck:
    def __init__(self, report: Report):
        self.report = report
        self.folder = report.folder
        self._first_days: dict[str, object] = {}

    def run(self, vocabulary: Vocabulary, views: dict, validated: dict) -> Dataset:
        locations: dict[str, tuple[Path, tuple]] = {}

        sources: dict[str, dict] = {}
        for file, path, source in validated["sources"]:
            source_id = source["id"]
            if source_id in sources:
                self._duplicate("source", source_id, file, path, locations)
                continue
            sources[source_id] = source
            locations["source:" + source_id] = (file, path)

        entity_types = vocabulary.entity_types
        check_citations = self._check_citations
        entities: dict[str, dict] = {}
        repeated: list[tuple] = []  # (file, entity, identifier) of one entity under one id in two folders
        for file, path, entity in validated["entities"]:
            entity_id = entity["id"]
            if entity_id in entities:
                shared = same_as.shared_identifier(entities[entity_id], entity)
                if shared is not None and self._other_folder(locations[entity_id][0], file):
                    repeated.append((file, entity, shared))  # two registers' records of one place, say
                    continue
                self._duplicate("entity", entity_id, file, path, locations)
                continue
            entities[entity_id] = entity
            locations[entity_id] = (file, path)
            entity_type = entity["type"]
            if entity_type not in entity_types:
                self.report.add(file, path + ("type",), entity_id, f"unknown entity type {entity_type!r}",
                                did_you_mean(entity_type, entity_types)
                                or "add it to vocabulary.yaml under entity_types")
            end = entity.get("end")
            if end is not None:
                self._check_dates(file, path, entity_id, entity.get("start"), end)
            check_citations(file, path, entity_id, entity["sources"], sources, ("sources",))
            facts = entity.get("facts")
            if facts:
                for index, fact in enumerate(facts):
                    check_citations(file, path, entity_id, fact["sources"], sources, ("facts", index, "sources"))

        for entity_id, entity in entities.items():
            jurisdiction = entity.get("jurisdiction")
            distinct_from = entity.get("distinct_from")
            if jurisdiction is None and distinct_from is None:
                continue
            file, path = locations[entity_id]
            if jurisdiction:
                target = entities.get(jurisdiction)
                if target is None:
                    self._unknown_ref(file, path + ("jurisdiction",), entity_id, jurisdiction, entities, "jurisdiction")
                elif target["type"] != "jurisdiction":
                    self.report.add(file, path + ("jurisdiction",), entity_id,
                                    f"jurisdiction {jurisdiction!r} is a {target['type']}, not a jurisdiction",
                                    "name an entity of type jurisdiction")
            for index, other in enumerate(distinct_from or ()):
                if other not in entities:
                    self._unknown_ref(file, path + ("distinct_from", index), entity_id, other, entities, "distinct_from")

        relations: dict[str, dict] = {}
        relation_paths: dict[str, tuple[Path, tuple]] = {}
        check_relation = self._relation_checker(vocabulary, entities, sources)
        for file, path, relation in validated["relations"]:
            given_id = relation.get("id")
            relation_id = given_id or f"{relation['from']}__{relation['type']}__{relation['to']}"
            if given_id is None and relation_id in relations:
                earlier = relations[relation_id]
                start = relation.get("start")
                # on a clash of derived ids, both take their start date (or the clash is an error)
                if start and relation_id + "__" + start.replace("-", "_") not in relations:
                    earlier_start = earlier.get("start")
                    if earlier.get("id") is None and earlier_start and relation_paths.get(relation_id):
                        moved = relation_id + "__" + earlier_start.replace("-", "_")
                        if moved not in relations:
                            relations[moved] = relations.pop(relation_id)
                            relation_paths[moved] = relation_paths.pop(relation_id)
                    relation_id = relation_id + "__" + start.replace("-", "_")
            if relation_id in relations:
                first_file, first_path = relation_paths[relation_id]
                self.report.add(file, path, relation_id,
                                f"duplicate relation id {relation_id!r} (first at {relative(first_file, self.folder)})",
                                "give each relation between the same two entities an `id:` of its own, "
                                "or a distinct `start:` date")
                continue
            relations[relation_id] = relation
            relation_paths[relation_id] = (file, path)
            check_relation(relation_id, relation, file, path)
        self._check_supersedes(relations, relation_paths)
        # records that are one entity (same_as, one identifier across folders) become one, here, so that
        # everything downstream (the 100% check included) sees one entity
        identity = same_as.join(self.report, entities, relations, locations, relation_paths)
        self._check_names(entities, locations, identity)
        same_as.merge(identity, entities, relations, locations, relation_paths,
                      lambda file: relative(file, self.folder), repeated)
        self._check_equity_sums(vocabulary, entities, relations, relation_paths)

        for relation_id, place in relation_paths.items():
            locations["relation:" + relation_id] = place

        for relation_id, record in relations.items():
            record["id"] = relation_id  # a derived id is added last, as the dump of the model did
        return Dataset(
            path=self.report.folders[0],
            folders=self.report.folders,
            vocabulary=vocabulary,
            sources=sources,
            entities=entities,
            relations=relations,
            views=views,
            locations=_RelativeLocations(locations, self.folder),
        )

    def _other_folder(self, first_file, second_file) -> bool:
        from .files import folder_of

        folders = self.report.folders
        return len(folders) > 1 and folder_of(first_file, folders) != folder_of(second_file, folders)

    def _duplicate(self, kind, record_id, file, path, locations):
        key = record_id if kind == "entity" else f"{kind}:{record_id}"
        first_file, first_path = locations[key]
        if self._other_folder(first_file, file):
            fix = (f"ids are one namespace across the folders given to --data: rename one of them (and what "
                   f"refers to it), or import the register with `import bods --into` so its ids avoid the others'"
                   + ("; if both are one real entity, rename one and state that they are the same with a same_as relation"
                      if kind == "entity" else ""))
        else:
            fix = f"rename one of them or merge the two {PLURAL[kind]}"
        self.report.add(file, path + ("id",), record_id,
                        f"duplicate {kind} id {record_id!r} (first defined in {{other}})", fix,
                        other=(first_file, first_path + ("id",), record_id))

    def _unknown_ref(self, file, path, record_id, target, entities, role):
        if target in self.report.invalid_ids:
            return  # already reported where that record is defined
        self.report.add(file, path, record_id, f"{role} names unknown entity {target!r}",
                        did_you_mean(target, entities) or "define the entity in entities.yaml first")

    def _first_day(self, value: str):
        """dates.first_day of a normalised partial date, computed once per distinct value."""
        day = self._first_days.get(value)
        if day is None:
            day = self._first_days[value] = dates.first_day(value)
        return day

    def _check_dates(self, file, path, record_id, start, end):
        if start and end and self._first_day(end) < self._first_day(start):
            self.report.add(file, path + ("end",), record_id, f"end {end} is before start {start}",
                            "swap them or correct the date")

    def _check_citations(self, file, path, record_id, citations, sources, where):
        for citation in citations:
            if citation["source"] not in sources:
                break
        else:
            return  # the common case: every source known
        for index, citation in enumerate(citations):
            source = citation["source"]
            if source not in sources and source not in self.report.invalid_ids:
                self.report.add(file, path + where + (index,), record_id,
                                f"cites unknown source {source!r}",
                                did_you_mean(source, sources) or "add it to sources.yaml")

    def _check_names(self, entities: dict[str, dict], locations, identity=None):
        """One name or alias for two entities is an error in curated data; in a register (entities with
        identifiers or a record id) namesakes are normal, and one identifier naming two entities is the error.
        Records that ``identity`` makes one entity (same_as, an identifier shared across folders) may share both."""
        seen: dict[str, str] = {}
        identifiers: dict[tuple, str] = {}
        same = identity.same if identity is not None else (lambda first, second: False)
        for entity_id, entity in entities.items():
            for identifier in entity.get("identifiers") or ():
                if not identifier.get("id"):
                    continue
                key = same_as.identifier_key(identifier)
                other_id = identifiers.setdefault(key, entity_id)
                if other_id != entity_id and not same(other_id, entity_id):
                    file, path = locations[entity_id]
                    shown = f"{identifier.get('scheme')}-{identifier['id']}" if identifier.get("scheme") else identifier["id"]
                    self.report.add(file, path + ("identifiers",), entity_id,
                                    f"identifier {shown} also names {other_id!r}",
                                    "one identifier is one entity: keep one record, or state that the two are one with a "
                                    "same_as relation, or correct the identifier")
            if "record_id" in entity or "identifiers" in entity:
                continue
            for name in _folded_names(entity):
                other_id = seen.get(name)
                if other_id is None:
                    seen[name] = entity_id
                    continue
                other = entities[other_id]
                if other_id in entity.get("distinct_from", ()) or entity_id in other.get("distinct_from", ()):
                    continue
                if same(other_id, entity_id):
                    continue
                file, path = locations[entity_id]
                self.report.add(file, path + ("name",), entity_id,
                                f"name or alias {name!r} is also used by {other_id!r}",
                                f"keep one record, or state that they are one with a same_as relation, or list {other_id!r} "
                                "under distinct_from if they really differ")

    def _relation_checker(self, vocabulary, entities, sources):
        """A function checking one relation against the vocabulary, the entities and the sources."""
        relation_types = vocabulary.relation_types
        # per relation type: the entity types allowed at each end (None: any)
        ends = {type_id: (None if definition.from_ == "*" else frozenset(definition.from_),
                          None if definition.to == "*" else frozenset(definition.to))
                for type_id, definition in relation_types.items()}
        shareless = frozenset(type_id for type_id, definition in relation_types.items() if not definition.shares)
        check_citations = self._check_citations

        def check_ends(relation_id, relation, file, path):
            kind = relation["type"]
            relation_type = relation_types.get(kind)
            if relation_type is None:
                self.report.add(file, path + ("type",), relation_id, f"unknown relation type {kind!r}",
                                did_you_mean(kind, relation_types)
                                or "add it to vocabulary.yaml under relation_types")
                allowed = (None, None)
            else:
                allowed = ends[kind]
            source, target = relation["from"], relation["to"]
            for role, entity_id, permitted in (("from", source, allowed[0]), ("to", target, allowed[1])):
                entity = entities.get(entity_id)
                if entity is None:
                    self._unknown_ref(file, path + (role,), relation_id, entity_id, entities, f"`{role}`")
                    continue
                if relation_type is None or permitted is None or entity["type"] in permitted:
                    continue
                listed = relation_type.from_ if role == "from" else relation_type.to
                self.report.add(file, path + (role,), relation_id,
                                f"a {kind!r} relation cannot have a {entity['type']} ({entity_id!r}) as its `{role}`",
                                f"allowed: {', '.join(listed)}; check the direction (from = holder or actor) "
                                "or choose another relation type")
            if source == target:
                self.report.add(file, path + ("to",), relation_id, "a relation from an entity to itself",
                                "check `from` and `to`")

        def check(relation_id, relation, file, path):
            kind = relation["type"]
            source, target = relation["from"], relation["to"]
            # the usual case first: a known type between two known entities of allowed types
            allowed = ends.get(kind)
            holder, held = entities.get(source), entities.get(target)
            if (allowed is None or holder is None or held is None or source == target
                    or (allowed[0] is not None and holder["type"] not in allowed[0])
                    or (allowed[1] is not None and held["type"] not in allowed[1])):
                check_ends(relation_id, relation, file, path)
            if kind in shareless:
                equity = relation.get("equity")
                if equity or relation.get("votes"):
                    self.report.add(file, path + ("equity" if equity else "votes",), relation_id,
                                    f"a {kind!r} relation does not carry shares",
                                    "use `owns` for a shareholding, or move the figure into `note`")
            law_id = relation.get("law")
            if law_id:
                law = entities.get(law_id)
                if law is None:
                    self._unknown_ref(file, path + ("law",), relation_id, law_id, entities, "law")
                elif law["type"] != "law":
                    self.report.add(file, path + ("law",), relation_id, f"law {law_id!r} is a {law['type']}, not a law",
                                    "name an entity of type law")
            end = relation.get("end")
            if end is not None:
                self._check_dates(file, path, relation_id, relation.get("start"), end)
            for citation in relation["sources"]:
                if citation["source"] not in sources:
                    check_citations(file, path, relation_id, relation["sources"], sources, ("sources",))
                    break

        return check

    def _check_supersedes(self, relations, relation_paths):
        """``supersedes`` names relations that exist, other than itself."""
        for relation_id, relation in relations.items():
            for index, old in enumerate(relation.get("supersedes") or ()):
                if old == relation_id or old not in relations:
                    file, path = relation_paths[relation_id]
                    hint = did_you_mean(old, relations) or "name the id of an earlier relation this one replaces"
                    self.report.add(file, path + ("supersedes", index), relation_id,
                                    "a relation cannot supersede itself" if old == relation_id
                                    else f"supersedes unknown relation {old!r}", hint)

    def _check_equity_sums(self, vocabulary, entities, relations, relation_paths):
        """The certain (low) equity held in one entity may not pass 100% at any date."""
        counted = {type_id for type_id, definition in vocabulary.relation_types.items()
                   if definition.control in ("equity", "none")}
        by_target: dict[str, list[str]] = defaultdict(list)
        for relation_id, relation in relations.items():
            if relation["type"] in counted and "equity" in relation and not relation.get("indirect"):
                by_target[relation["to"]].append(relation_id)
        first_day = self._first_day
        sort_keys: dict[str, str] = {"0001": dates.sort_key("0001")}

        def sort_key(value):  # dates.sort_key of a normalised partial date, once per value
            key = sort_keys.get(value)
            if key is None:
                key = sort_keys[value] = first_day(value).isoformat() + "/" + str(len(value))
            return key

        from .graph import standing_types, supersession

        counted_ids = {rid for ids in by_target.values() if len(ids) > 1 for rid in ids}
        cut = supersession(((r["from"], r["to"], rid, r) for rid, r in relations.items()
                            if rid in counted_ids or r.get("supersedes")),
                           standing_types(vocabulary))  # a superseded stake ends where it is replaced
        for target, relation_ids in by_target.items():
            if len(relation_ids) < 2:
                continue
            # (start, start day, end day, low share) of each stake, as dates.is_current reads them
            spans = []
            moments = {"0001"}
            low_total = 0.0
            for rid in relation_ids:
                relation = relations[rid]
                start, end, as_of = relation.get("start"), relation.get("end"), relation.get("as_of")
                if rid in cut:
                    end = cut[rid][1]
                moments.update(d for d in (start, end, as_of) if d)
                start = start or as_of
                low = _share_low(relation["equity"])
                low_total += low
                spans.append((rid, start, first_day(start) if start is not None else None,
                              first_day(end) if end is not None else None, low))
            if low_total <= 100.0001:
                continue  # no subset of the stakes can pass 100%
            for moment in sorted(moments, key=sort_key):
                if moment == "0001":
                    current = [(rid, low) for rid, start, _, _, low in spans if start is None]
                else:
                    day = first_day(moment)
                    current = [(rid, low) for rid, _, begins, ends, low in spans
                               if (begins is None or begins <= day) and (ends is None or ends > day)]
                total = sum(low for _, low in current)
                if total <= 100.0001:
                    continue
                current_ids = [rid for rid, _ in current]
                # blame the stake whose removal alone brings the total back to 100%, newest first
                culprits = [rid for rid, low in current if total - low <= 100.0001] or current_ids

                def newest(r):
                    start = _start_of(relations[r])
                    return (sort_key(start) if start else "", current_ids.index(r))

                rid = max(culprits, key=newest)
                file, path = relation_paths[rid]
                held = ", ".join(f"{relations[r]['from']} {share_text(relations[r]['equity'])}" for r in current_ids)
                when = f"at {moment}" if moment != "0001" else "among undated stakes"
                # a register's figures (bands, statements a day apart) may overlap: doubtful, not wrong
                from_register = any("record_id" in relations[r] or "value" not in relations[r]["equity"]
                                    for r in current_ids)
                report = self.report.warn if from_register else self.report.add
                report(file, path + ("equity",), rid,
                       f"equity held in {target!r} sums to {total:g}% {when} ({held})",
                       "give the stakes start/end dates so they do not overlap, or correct a share")
                break


def _start_of(relation: dict):
    from .graph import effective_start

    return effective_start(relation)


def _share_low(share: dict) -> float:
    """Share.low of a dumped share: what is certain."""
    value = share.get("value")
    if value is not None:
        return value
    low = share.get("min")
    return low if low is not None else 0.0


def _folded_names(entity: dict):
    """The folded forms of an entity's name, aliases and names in other languages (blank ones left out)."""
    aliases, names = entity.get("aliases"), entity.get("names")
    if aliases is None and names is None:
        name = entity["name"]
        return (_fold(name),) if name.strip() else ()
    return {_fold(n) for n in [entity["name"], *(aliases or ()), *(names or {}).values()] if n.strip()}


def _fold(text: str) -> str:
    return plain(text).strip()


class _RelativeLocations(Mapping):
    """Where each record was read, as (file relative to the data folder, None), made when asked for
    (nothing asks on the usual paths, so a load does not pay for 400,000 of them)."""

    def __init__(self, locations: dict[str, tuple[Path, tuple]], folder: Path):
        self._locations, self._folder, self._names = locations, folder, {}

    def __getitem__(self, key):
        file = self._locations[key][0]
        place = self._names.get(file)
        if place is None:
            place = self._names[file] = (relative(file, self._folder), None)  # one tuple per file, shared
        return place

    def __iter__(self):
        return iter(self._locations)

    def __len__(self):
        return len(self._locations)

    @property
    def origins(self) -> list[tuple[str, str, int]]:
        """The runs of records per file (:func:`ecosystem.dataset.origins`), files relative."""
        from .dataset import runs

        return [(section, relative(file, self._folder), count)
                for section, file, count in runs((key, place[0]) for key, place in self._locations.items())]
