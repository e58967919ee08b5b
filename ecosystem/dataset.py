"""A validated dataset: the records as plain JSON-ready dictionaries, which the graph, the queries
and the exporters share, and where each record was read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import dates
from .vocabulary import Vocabulary

SECTIONS = ("sources", "entities", "relations")
SINGULAR = {"sources": "source", "entities": "entity", "relations": "relation"}
PLURAL = {value: key for key, value in SINGULAR.items()}


@dataclass
class Dataset:
    """A validated dataset: records as plain dictionaries, keyed by id, in file order."""

    path: Path
    vocabulary: Vocabulary
    sources: dict[str, dict]
    entities: dict[str, dict]
    relations: dict[str, dict]
    views: dict = field(default_factory=dict)
    # where each record was read: "source:<id>", "<entity id>", "relation:<id>" -> (file, None)
    locations: Mapping[str, tuple[str, None]] = field(default_factory=dict)
    # paths in the folder that look like data but were not read, with why (files.Skipped)
    skipped: tuple = ()
    # what is doubtful but not wrong (a register's share figures adding past 100%): `validate` reports
    # them, `validate --strict` counts them as problems
    warnings: list = field(default_factory=list)
    # the folders read (several: --data given more than once); the first is ``path``
    folders: tuple = ()

    def __post_init__(self):
        if not self.folders:
            self.folders = (self.path,)

    @property
    def name(self) -> str:
        """The data folders as people name them: ``data``, or ``data + gb`` for several."""
        return " + ".join(str(folder) for folder in self.folders)

    def latest_date(self) -> str | None:
        """The latest date the data mentions (the default as-of date of queries)."""
        found = {
            value
            for records in (self.relations, self.entities)
            for record in records.values()
            for key in ("start", "end", "as_of")
            if (value := record.get(key))
        }
        # the values are normalised partial dates, on which sort_key is one-to-one: the maximum of
        # the distinct values is the maximum of all of them
        return max(found, key=dates.sort_key) if found else None


class Locations(Mapping):
    """Where each record was read, built when first asked for (nothing asks on the usual paths).

    ``origins`` lists runs of records in file order as (section, file relative to the data folder,
    how many); the records' ids are the keys of the dataset's section dictionaries, in order.
    The mapping is the one the reader builds: sources first, then entities, then relations.
    """

    def __init__(self, sections: dict[str, dict], origins: list[tuple[str, str, int]]):
        self._sections, self.origins, self._built = sections, origins, None

    def _mapping(self) -> dict:
        if self._built is None:
            built: dict[str, tuple] = {}
            places: dict[str, tuple] = {}
            for section in SECTIONS:
                prefix = "" if section == "entities" else SINGULAR[section] + ":"
                ids = iter(self._sections[section])
                for origin_section, file, count in self.origins:
                    if origin_section == section:
                        place = places.setdefault(file, (file, None))
                        built.update(dict.fromkeys([prefix + next(ids) for _ in range(count)], place))
            self._built = built
        return self._built

    def __getitem__(self, key):
        return self._mapping()[key]

    def __iter__(self):
        return iter(self._mapping())

    def __len__(self):
        return len(self._mapping())


def origins(locations: Mapping) -> list[tuple[str, str, int]]:
    """The runs of a locations mapping (see :class:`Locations`); a mapping that knows its runs
    (an ``origins`` attribute) gives them."""
    known = getattr(locations, "origins", None)
    if known is not None:
        return known
    return runs((key, file) for key, (file, _) in locations.items())


def runs(places) -> list[tuple]:
    """(section, file, how many) for each run of (location key, file) pairs in order."""
    found: list[list] = []
    for key, file in places:
        section = "sources" if key.startswith("source:") else "relations" if key.startswith("relation:") else "entities"
        if found and (found[-1][1] is file or found[-1][1] == file) and found[-1][0] == section:
            found[-1][2] += 1
        else:
            found.append([section, file, 1])
    return [tuple(run) for run in found]
