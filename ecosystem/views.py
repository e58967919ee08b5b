"""Views: named figure presets (``views.yaml``) and ad-hoc focus views, turned into a subgraph plus
layout hints.

A view file is a mapping ``views: {name: view}``; each view is validated with pydantic
(``extra="forbid"``)::

    views:
      vie-structure:
        title: Figure 1.1.1 — Alibaba Group VIE ownership structure
        description: ...
        include:                        # union of selections
          - focus: alibaba_group_holding  # start here (one id or a list) ...
            depth: 4                      # ... and follow relations this many hops
            direction: both               # out (what it holds / acts on), in, or both
            categories: [ownership, control]   # follow only these (and/or `relations:`)
            types: [company, person]      # keep only entities of these types
            stop_at: [ant_group]          # include these, but do not expand beyond them
          - ids: [nyse]                   # these entities, as they are
          - types: [state_body]           # every entity of these types
          - expand: true                  # start from everything selected so far ...
            direction: in                 # ... e.g. to add the shareholders of what is drawn
            relations: [owns]
        exclude: [some_id]                # never these entities
        exclude_types: [event]
        categories: [ownership, control]  # relations drawn (default: all between the entities)
        relations: [listed_on]
        as_of: 2020-11                    # default date (default: the latest in the data)
        layout: hierarchical              # hierarchical (owners above what they own) | force
        group_by: jurisdiction            # clusters: jurisdiction | focus | type | none
        owners_join_holdings: [person]    # ... a person without a jurisdiction joins what it owns
        share_labels: true                # equity/vote percentages on the edges
        connected_only: true              # drop entities left without a drawn relation
        engine: dot                       # static figures: dot (layered) | neato | fdp | sfdp
        top_types: [state_body]           # dot: these types in the top row ...
        bottom_types: [user_group]        # ... these in the bottom row
        stack: 3                          # dot: a holder's many units spread over 3 rows
        bottom_rows: 2                    # dot: the bottom row's entities spread over 2 rows

:func:`build_view` returns a :class:`ViewGraph`: the subgraph (a new graph; the input is never
changed), the view, the date it shows, hierarchical ``levels`` for every node (cycle-safe:
owners are above what they own on every ownership/control edge that is not part of a cycle) and
``groups`` (node id → cluster key) with cluster labels.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal, Optional, Union

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import dates
from .errors import DataError, Problem, QueryError

VIEWS_FILE = "views.yaml"
# categories whose edges define "above" in a hierarchy, strongest first
HIERARCHY_CATEGORIES = ("ownership", "control")
# categories that tie a unit to its group (for group_by: focus)
MEMBERSHIP_CATEGORIES = ("ownership", "control", "corporate")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _listify(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


class Selection(_Strict):
    """One clause of a view's ``include`` list; the view takes the union of its clauses."""

    ids: list[str] = Field(default_factory=list)
    focus: list[str] = Field(default_factory=list)
    depth: int = Field(1, ge=0, le=10)
    direction: Literal["in", "out", "both"] = "both"
    relations: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list)
    stop_at: list[str] = Field(default_factory=list)
    expand: bool = False  # start from everything the earlier clauses selected (in addition to focus)

    @field_validator("ids", "focus", "relations", "categories", "types", "stop_at", mode="before")
    @classmethod
    def _lists(cls, value):
        return _listify(value)


class View(_Strict):
    """A figure: which entities and relations, and how to lay them out."""

    name: str = ""
    title: str
    description: str = ""
    include: list[Selection] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)
    exclude_types: list[str] = Field(default_factory=list)
    relations: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    as_of: Optional[str] = None
    layout: Literal["hierarchical", "force"] = "force"
    group_by: Literal["jurisdiction", "focus", "type", "none"] = "none"
    share_labels: bool = True
    connected_only: bool = True
    # group_by: jurisdiction: entities of these types without a jurisdiction of their own join the
    # jurisdiction of what they own in the view, when all of it lies in one (PRC citizens holding VIEs)
    owners_join_holdings: list[str] = Field(default_factory=list)
    # static figures (SVG/PNG/PDF) only: the Graphviz layout program, and for dot the entity types
    # drawn in the top and bottom rows and how many rows a holder's many units are spread over
    engine: Optional[Literal["dot", "neato", "fdp", "sfdp"]] = None
    top_types: list[str] = Field(default_factory=list)
    bottom_types: list[str] = Field(default_factory=list)
    stack: int = Field(1, ge=1, le=6)
    bottom_rows: int = Field(1, ge=1, le=4)
    # the entities of each of these structural roles (ecosystem.roles) drawn as one, labelled with
    # their count: the pattern a teacher draws on the board (five WFOE -> VIE pairs become one)
    collapse_roles: list[str] = Field(default_factory=list)

    @field_validator("exclude", "exclude_types", "relations", "categories", "owners_join_holdings",
                     "top_types", "bottom_types", "collapse_roles", mode="before")
    @classmethod
    def _lists(cls, value):
        return _listify(value)

    @field_validator("as_of", mode="before")
    @classmethod
    def _date(cls, value):
        if value is None:
            return None
        return dates.normalise(value)

    def focus_ids(self) -> list[str]:
        """The focus entities of every clause, each once, in order."""
        return list(dict.fromkeys(entity for clause in self.include for entity in clause.focus))

    def named_ids(self) -> list[str]:
        named = []
        for clause in self.include:
            named += clause.ids + clause.focus + clause.stop_at
        return named + self.exclude


@dataclass
class ViewGraph:
    """A view resolved against a graph: what to draw and how."""

    view: View
    graph: nx.MultiDiGraph
    as_of: Optional[str]
    levels: dict[str, int] = field(default_factory=dict)
    hierarchy: set = field(default_factory=set)  # (u, v, key) edges that define levels
    groups: dict[str, str] = field(default_factory=dict)  # node -> group key
    group_labels: dict[str, str] = field(default_factory=dict)  # group key -> label
    group_labels_zh: dict[str, str] = field(default_factory=dict)  # group key -> label in Chinese, where known
    roles: dict[str, list[str]] = field(default_factory=dict)  # node -> structural roles (ecosystem.roles)

    @property
    def title(self) -> str:
        return self.view.title + (f" (as of {self.as_of})" if self.as_of else "")


# ---------------------------------------------------------------------------------------------
# views.yaml


def parse_views(document, source: str = VIEWS_FILE) -> dict[str, View]:
    """Validate a parsed views.yaml; raise :class:`DataError` listing every problem."""
    views, problems, _ = _parse_views(document)
    if problems:
        raise DataError([Problem(source, None, name, message, hint) for _, name, message, hint in problems])
    return views


def views_problems(document, vocabulary, entity_ids, merged=None) -> list[tuple[tuple, str | None, str, str]]:
    """Every problem of a views.yaml document, as ``(path in the document, view name, message, fix)``.

    What ``ecosystem validate`` reports (the loader locates each path's line): malformed entries,
    and names of entities, entity types, relation types and categories that do not exist.
    ``entity_ids`` is any container of the dataset's entity ids; ``merged`` maps ids merged away by
    same_as to the id kept (named in the fix).
    """
    _, problems, checkable = _parse_views(document)
    known = _KnownNames(vocabulary, entity_ids, merged)
    for name, view in checkable.items():
        unknown: list[tuple] = []
        check_view(known, view, unknown)
        unknown = [(kind, value, tuple(close), fix) for kind, value, close, fix in unknown]
        body = document["views"][name]
        for kind, value, close, fix in dict.fromkeys(unknown):  # each name once, where it is first written
            path = next(_paths_to(body, value), ())
            message = f"view {name!r} names {kind} {value!r}, which does not exist"
            hint = (f"did you mean {' or '.join(map(repr, close))}? otherwise " if close else "") + fix
            problems.append((("views", name, *path), name, message, hint))
    return problems


def unknown_entity_fix(entity_id: str, kept: str | None) -> str:
    """The fix for a view or a story naming ``entity_id``, which is no entity's id: ``kept`` (the id
    kept when a same_as relation merged ``entity_id`` into another entity) is the one to name; else
    the id is wrong."""
    if kept:
        return f"{entity_id!r} is one entity with {kept!r} by a same_as relation, which keeps the id {kept!r}: name {kept!r}"
    return "correct the id; `ecosystem search NAME` finds it"


def _kept_id(graph, entity_id: str) -> str | None:
    """The id kept for ``entity_id`` when a same_as relation merged it into another entity, else None."""
    if isinstance(graph, _KnownNames):
        return graph.merged.get(entity_id)
    from .registers import entity_for_merged

    return entity_for_merged(graph, entity_id)


class _KnownNames:
    """What :func:`check_view` reads of a graph, for checking views before there is one."""

    def __init__(self, vocabulary, entity_ids, merged=None):
        self.graph = {"vocabulary": vocabulary}
        self.nodes = entity_ids
        self.merged = merged or {}

    def __contains__(self, entity_id) -> bool:
        return entity_id in self.nodes


def _paths_to(body, value, path: tuple = ()):
    """The paths (keys and indices) at which ``value`` is written in a view's raw mapping."""
    if body == value and isinstance(body, str):
        yield path
    elif isinstance(body, dict):
        for key, item in body.items():
            yield from _paths_to(item, value, path + (key,))
    elif isinstance(body, list):
        for index, item in enumerate(body):
            yield from _paths_to(item, value, path + (index,))


def _parse_views(document) -> tuple[dict[str, View], list[tuple[tuple, str | None, str, str]], dict[str, View]]:
    """The views that validate; a problem (path, view name, message, fix) for each that does not;
    and the views to check for unknown names: those that validate, and those that do once their
    faulty keys are left out."""
    if not document:
        return {}, [], {}
    if not isinstance(document, dict) or set(document) - {"views"}:
        extra = sorted(set(document) - {"views"}) if isinstance(document, dict) else []
        return {}, [((extra[0],) if extra else (), None,
                     f"unknown top-level key(s) {', '.join(map(repr, extra))}" if extra
                     else "views.yaml must be a mapping with a `views:` key",
                     "put every view under `views:` (see data/views.yaml)")], {}
    items = document.get("views") or {}
    if not isinstance(items, dict):
        return {}, [(("views",), None, "`views` must be a mapping of view name to view",
                     "write `views:` then `  vie-structure:` with the view's keys indented")], {}
    views, problems, checkable = {}, [], {}
    for name, body in items.items():
        if not isinstance(body, dict):
            problems.append((("views", name), str(name), f"view {name!r} must be a mapping",
                             "give it title: and include: keys"))
            continue
        try:
            views[str(name)] = checkable[str(name)] = View.model_validate({**body, "name": str(name)})
        except ValidationError as error:
            for detail in error.errors():
                where = ".".join(str(step) for step in detail["loc"])
                problems.append((("views", name, *detail["loc"]), str(name), f"view {name!r}, {where}: "
                                 + detail["msg"].replace("Value error, ", ""), _hint(detail)))
            faulty = {detail["loc"][0] for detail in error.errors() if detail["loc"]}
            try:
                checkable[str(name)] = View.model_validate(
                    {key: value for key, value in body.items() if key not in faulty} | {"name": str(name)})
            except ValidationError:
                pass
    return views, problems, checkable


def _hint(detail) -> str:
    if detail["type"] == "extra_forbidden":
        allowed = set(View.model_fields) | set(Selection.model_fields)
        close = difflib.get_close_matches(str(detail["loc"][-1]), sorted(allowed), n=2, cutoff=0.6)
        return ("did you mean " + " or ".join(map(repr, close)) + "?") if close else \
            "remove it; a view has title, description, include, exclude, exclude_types, relations, categories, " \
            "as_of, layout, group_by, owners_join_holdings, share_labels, connected_only, engine, top_types, " \
            "bottom_types, stack, bottom_rows"
    if detail["type"] == "missing":
        return f"add `{detail['loc'][-1]}:` to the view"
    if "as_of" in detail["loc"]:
        return "write a date as 2020, 2020-11 or 2020-11-03"
    return "see the comments at the top of data/views.yaml"


def named_views(graph: nx.MultiDiGraph) -> dict[str, View]:
    """The views defined by the dataset's views.yaml, validated, by name (file order)."""
    return parse_views(graph.graph.get("views") or {})


def get_view(graph: nx.MultiDiGraph, name: str) -> View:
    views = named_views(graph)
    if name in views:
        return views[name]
    if not views:
        raise QueryError(f"No view named {name!r}: this dataset has no views.yaml. "
                         "Use --focus ID for a view around one entity.")
    close = difflib.get_close_matches(name, list(views), n=3, cutoff=0.5)
    raise QueryError(f"No view named {name!r} in views.yaml (views: {', '.join(views)}).", close)


def adhoc_view(graph: nx.MultiDiGraph, focus: str, depth: int = 1, types=None, base: View | None = None) -> View:
    """A view around ``focus``; ``types`` mixes entity types, relation types and categories."""
    entity_types, relation_types, categories = split_types(graph.graph["vocabulary"], types or [])
    name = graph.nodes[focus]["name"] if focus in graph else focus
    clause = Selection(focus=[focus], depth=depth, relations=relation_types, categories=categories,
                       types=entity_types)
    settings = base.model_dump(exclude={"include", "name", "title", "description"}) if base else {}
    settings.update(relations=relation_types or settings.get("relations", []),
                    categories=categories or settings.get("categories", []))
    return View(name=f"focus-{focus}", title=f"{name} and its relations within {depth} step{'s' if depth != 1 else ''}",
                include=[clause], **settings)


def split_types(vocabulary, values) -> tuple[list[str], list[str], list[str]]:
    """``--type`` values sorted into entity types, relation types and categories."""
    entity_types, relation_types, categories = [], [], []
    for value in values:
        if value in vocabulary.entity_types:
            entity_types.append(value)
        elif value in vocabulary.relation_types:
            relation_types.append(value)
        elif value in vocabulary.categories:
            categories.append(value)
        else:
            known = list(vocabulary.entity_types) + list(vocabulary.relation_types) + list(vocabulary.categories)
            raise QueryError(f"--type {value!r} is neither an entity type, a relation type nor a category.",
                             difflib.get_close_matches(value, known, n=3, cutoff=0.6))
    return entity_types, relation_types, categories


# ---------------------------------------------------------------------------------------------
# resolving a view against a graph


def check_view(graph: nx.MultiDiGraph, view: View, problems: list | None = None) -> None:
    """Every id, type, relation type and category the view names must exist.

    Raises :class:`QueryError` for the first that does not; given a list ``problems``, appends
    ``(kind, name, close matches, fix)`` for each instead.
    """
    vocabulary = graph.graph["vocabulary"]
    where = f"{VIEWS_FILE}: view {view.name!r}" if view.name and not view.name.startswith("focus-") else "the view"

    def unknown(kind, value, known, fix):
        close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.6)
        if problems is not None:
            problems.append((kind, value, close, fix))
            return
        raise QueryError(f"{where} names {kind} {value!r}, which does not exist"
                         + (f" as of {graph.graph['as_of']}" if kind == "entity" and "as_of" in graph.graph else "")
                         + f" (fix: {fix}).", close)

    for entity in view.named_ids():
        if entity not in graph:
            unknown("entity", entity, graph.nodes, unknown_entity_fix(entity, _kept_id(graph, entity)))
    entity_types = ("entity type", vocabulary.entity_types, "use an entity type of vocabulary.yaml")
    relation_types = ("relation type", vocabulary.relation_types, "use a relation type of vocabulary.yaml")
    categories = ("category", vocabulary.categories, "use a category of vocabulary.yaml")
    named = [named for clause in view.include
             for named in ((clause.types, entity_types), (clause.relations, relation_types),
                           (clause.categories, categories))]
    named += [(view.exclude_types + view.owners_join_holdings + view.top_types + view.bottom_types, entity_types),
              (view.relations, relation_types), (view.categories, categories)]
    for values, (kind, known, fix) in named:
        for value in values:
            if value not in known:
                unknown(kind, value, known, fix)
    from .roles import ROLE_ORDER

    for value in view.collapse_roles:
        if value not in ROLE_ORDER:
            unknown("role", value, ROLE_ORDER, "use a role of ecosystem.roles: " + ", ".join(ROLE_ORDER))


def build_view(graph: nx.MultiDiGraph, view: View | str, as_of=None) -> ViewGraph:
    """Resolve ``view`` (a :class:`View` or a name in views.yaml) against ``graph``.

    The date shown is ``as_of``, else the view's ``as_of``, else (for a graph that is not already
    a snapshot) the latest date in the data. ``graph`` itself is never modified.
    """
    view, result, roles, source = _resolve(graph, view, as_of, figure=True)
    levels, hierarchy = hierarchy_levels(result)
    groups, labels = _groups(result, view, source)
    return ViewGraph(view=view, graph=result, as_of=result.graph.get("as_of"), levels=levels, hierarchy=hierarchy,
                     groups=groups, group_labels=labels, group_labels_zh=group_labels_zh(labels, source), roles=roles)


def drawn_entities(graph: nx.MultiDiGraph, view: View | str, as_of=None) -> tuple[dict[str, list[str]], Optional[str]]:
    """What :func:`build_view` draws, without the figure's dressing (control verdicts, levels,
    groups): each drawn entity's id with the ids it stands for (a collapsed pattern's members, else
    itself), and the date shown."""
    _, result, _, _ = _resolve(graph, view, as_of, figure=False)
    return ({node: list(data.get("members") or [node]) for node, data in result.nodes(data=True)},
            result.graph.get("as_of"))


def _resolve(graph: nx.MultiDiGraph, view: View | str, as_of, *, figure: bool):
    """(the view, the graph it draws, the drawn entities' roles, the snapshot it was drawn from).

    ``figure``: the drawn graph is a figure's (its own copy of every attribute, control verdicts
    marked); else it is only read (attributes shared with ``graph``, no verdicts)."""
    from .graph import snapshot

    if isinstance(view, str):
        view = get_view(graph, view)
    check_view(graph, view)
    when = as_of or view.as_of
    if when is None and "as_of" not in graph.graph:
        when = graph.graph.get("latest_date")
    if when is not None:
        try:
            graph = snapshot(graph, when)
        except ValueError as error:
            raise QueryError(f"--as-of: {error}") from None

    nodes = select(graph, view)
    drawn = _drawn_edges(graph, view, nodes)
    result = nx.MultiDiGraph()
    result.graph.update({key: value for key, value in graph.graph.items()})
    result.graph["view"] = view.name
    if view.connected_only:
        keep_anyway = set(view.focus_ids()) | {entity for clause in view.include for entity in clause.ids}
        touched = {u for u, _, _ in drawn} | {v for _, v, _ in drawn}
        nodes = [node for node in nodes if node in touched or node in keep_anyway]
    copied = _copy if figure else dict
    for node in nodes:
        result.add_node(node, **copied(graph.nodes[node]))
    for u, v, key in drawn:
        if u in result and v in result:
            result.add_edge(u, v, key=key, **copied(graph.edges[u, v, key]))
    if figure:
        _mark_verdicts(result, graph)
    from .roles import structural_roles

    roles = structural_roles(graph, shown=result)
    roles = {node: kept for node, kept in ((node, _untold(result, node, found)) for node, found in roles.items()) if kept}
    if view.collapse_roles:
        result, roles = collapse(result, roles, view.collapse_roles)
    return view, result, roles, graph


def _untold(graph, node, roles: list[str]) -> list[str]:
    """The roles the entity type does not already say (a state body's type reads "State body or regulator")."""
    vocabulary = graph.graph.get("vocabulary")
    definition = vocabulary.entity_types.get(graph.nodes[node]["type"]) if vocabulary is not None else None
    said = definition.label.lower() if definition is not None else ""
    return [role for role in roles if role.lower() not in said]


PATTERN_NAMES = {
    "VIE": ("VIE", "VIEs: onshore companies holding the licences"),
    "WFOE": ("WFOE", "WFOEs: wholly foreign-owned enterprises"),
    "offshore intermediate": ("offshore intermediate", "offshore intermediate holding companies"),
    "nominee shareholder": ("nominee shareholder", "nominee shareholders of the VIEs"),
    "licence holder": ("licence holder", "licence holders"),
    "offshore listed holding company": ("offshore listed holding company", "offshore listed holding companies"),
    "regulator": ("regulator", "regulators"),
}
PATTERN_NAMES_ZH = {"VIE": "VIE公司", "WFOE": "外商独资企业", "offshore intermediate": "境外中间控股公司",
                    "nominee shareholder": "名义股东", "licence holder": "持牌主体",
                    "offshore listed holding company": "境外上市控股公司", "regulator": "监管机构"}


def collapse(graph: nx.MultiDiGraph, roles: dict, collapse_roles: list[str]) -> tuple[nx.MultiDiGraph, dict]:
    """The entities whose first role is one of ``collapse_roles`` drawn as one entity per role,
    named with their count (``5 WFOEs``); their relations merged the same way, each with the
    ``count`` of relations it stands for and the ids of its ``members``."""
    member_of = {}
    for node in sorted(graph):
        first = next((role for role in roles.get(node, []) if role in collapse_roles), None)
        if first is not None:
            member_of[node] = "pattern_" + first.replace(" ", "_").lower()
    members: dict[str, list[str]] = {}
    for node, group in member_of.items():
        members.setdefault(group, []).append(node)
    result = nx.MultiDiGraph()
    result.graph.update(graph.graph)
    new_roles = {}
    for node, data in graph.nodes(data=True):
        if node not in member_of:
            result.add_node(node, **data)
            if node in roles:
                new_roles[node] = roles[node]
    for group, nodes in sorted(members.items()):
        role = group[len("pattern_"):].replace("_", " ")
        role = next(r for r in collapse_roles if r.replace(" ", "_").lower() == group[len("pattern_"):])
        singular, plural = PATTERN_NAMES.get(role, (role, role + "s"))
        first = graph.nodes[nodes[0]]
        counted = {}
        for n in nodes:
            counted[graph.nodes[n]["type"]] = counted.get(graph.nodes[n]["type"], 0) + 1
        kind = sorted(counted, key=lambda t: (-counted[t], t))[0]  # the most common type
        places = {graph.nodes[n].get("jurisdiction") for n in nodes} - {None}
        names = [graph.nodes[n]["name"] for n in nodes]
        sources, seen = [], set()
        for n in nodes:
            for citation in graph.nodes[n].get("sources", []):
                marker = (citation.get("source"), citation.get("locator"))
                if marker not in seen:
                    seen.add(marker)
                    sources.append(citation)
        data = {"id": group, "name": f"{len(nodes)} {plural}" if len(nodes) > 1 else first["name"],
                "type": kind, "sources": sources,
                "description": "Stands for: " + "; ".join(names) + ".", "members": nodes}
        if role in PATTERN_NAMES_ZH:
            data["names"] = {"zh": f"{len(nodes)}家{PATTERN_NAMES_ZH[role]}" if len(nodes) > 1
                             else (first.get("names") or {}).get("zh", first["name"])}
        if len(places) == 1:
            data["jurisdiction"] = places.pop()
        elif places:
            data["jurisdictions"] = sorted(places)  # several: the figure puts it in none of their boxes
        result.add_node(group, **data)
        new_roles[group] = [role]
    merged: dict[tuple, tuple] = {}
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        a, b = member_of.get(u, u), member_of.get(v, v)
        if a == b and (u in member_of or v in member_of):
            continue  # a relation inside one pattern
        if u not in member_of and v not in member_of:
            result.add_edge(u, v, key=key, **data)
            continue
        marker = (a, b, data["type"])
        if marker in merged:
            merged[marker][1]["count"] += 1
            merged[marker][1]["members"].append(key)
        else:
            merged[marker] = (key, {**data, "count": 1, "members": [key]})
    for (a, b, _), (key, data) in sorted(merged.items()):
        pattern_key = f"{key}__pattern" if data["count"] > 1 else key
        result.add_edge(a, b, key=pattern_key, **{**data, "id": pattern_key})
    return result, new_roles


def _mark_verdicts(result: nx.MultiDiGraph, graph: nx.MultiDiGraph) -> None:
    """``control_verdict`` on each drawn entity that can be controlled, judged on the whole snapshot."""
    from .control import analyse
    from .control.rules import roles_of

    vocabulary = graph.graph.get("vocabulary")
    if vocabulary is None or not len(result):
        return
    roles = roles_of(graph)
    held = set()
    for type_id, definition in vocabulary.relation_types.items():
        if roles.confers_control(type_id):
            held.update(vocabulary.entity_types if definition.to == "*" else definition.to)
    analysis = None
    for node, data in result.nodes(data=True):
        if data.get("type") in held:
            analysis = analysis or analyse(graph, graph.graph.get("as_of"))
            data["control_verdict"] = analysis.verdict(node)


def _copy(data: dict) -> dict:
    import copy

    return copy.deepcopy(data)


def select(graph: nx.MultiDiGraph, view: View) -> list[str]:
    """The entity ids a view selects, in a stable (sorted) order."""
    chosen: set[str] = set()
    for clause in view.include:
        found = set(clause.ids) & set(graph)
        if clause.expand:
            found |= _traverse(graph, clause, start=sorted(chosen | set(clause.focus)))
        elif clause.focus:
            found |= _traverse(graph, clause, start=clause.focus)
        elif clause.types:
            found |= {node for node, data in graph.nodes(data=True) if data["type"] in clause.types}
        chosen |= found
    excluded_types = set(view.exclude_types)
    return sorted(node for node in chosen
                  if node not in view.exclude and graph.nodes[node]["type"] not in excluded_types)


def _traverse(graph, clause: Selection, start) -> set[str]:
    def follow(data) -> bool:
        if not clause.relations and not clause.categories:
            return True
        return data["type"] in clause.relations or data.get("category") in clause.categories

    def type_ok(node) -> bool:
        return not clause.types or graph.nodes[node]["type"] in clause.types

    focus = [node for node in start if node in graph]
    found = set(focus)
    frontier = set(focus)
    stop = set(clause.stop_at)
    for _ in range(clause.depth):
        following = set()
        for node in sorted(frontier):
            if node in stop and node not in focus:
                continue
            if clause.direction in ("out", "both"):
                following.update(v for _, v, d in graph.out_edges(node, data=True) if follow(d) and type_ok(v))
            if clause.direction in ("in", "both"):
                following.update(u for u, _, d in graph.in_edges(node, data=True) if follow(d) and type_ok(u))
        frontier = following - found
        found |= frontier
        if not frontier:
            break
    return found


def _drawn_edges(graph, view: View, nodes) -> list[tuple]:
    keep = set(nodes)
    edges = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        if u not in keep or v not in keep:
            continue
        if (view.relations or view.categories) and not (
                data["type"] in view.relations or data.get("category") in view.categories):
            continue
        edges.append((u, v, key))
    return sorted(edges)


# ---------------------------------------------------------------------------------------------
# layout hints


def hierarchy_levels(graph: nx.MultiDiGraph) -> tuple[dict[str, int], set]:
    """A level (0 = top) for every node: holders above what they hold, cycle-safe.

    Ownership and control edges are taken first, then the other directed relations, each only
    if it does not close a cycle; levels are longest-path depths in that DAG, with each parentless
    node, and a chain hanging from it, moved down to just above its highest child (so a VIE's
    citizen shareholders sit beside the WFOE, not beside the foreign investors). Returns the
    levels and the edges used.
    """
    vocabulary = graph.graph.get("vocabulary")

    def directed(data) -> bool:
        if vocabulary is None or data["type"] not in vocabulary.relation_types:
            return True
        return vocabulary.relation_types[data["type"]].directed

    categories = list(vocabulary.categories) if vocabulary is not None else []
    types = list(vocabulary.relation_types) if vocabulary is not None else []

    def rank(item):
        # ownership and control first, then the other categories and relation types in vocabulary
        # order (so `serves` is placed before its mirror image `uses` and wins a cycle between them)
        u, v, key, data = item
        category, kind = data.get("category"), data["type"]
        first = HIERARCHY_CATEGORIES.index(category) if category in HIERARCHY_CATEGORIES else len(HIERARCHY_CATEGORIES)
        return (first, categories.index(category) if category in categories else len(categories),
                types.index(kind) if kind in types else len(types), u, v, key)

    dag = nx.DiGraph()
    dag.add_nodes_from(sorted(graph))
    used = set()
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=rank):
        if u == v or not directed(data):
            continue
        if dag.has_edge(u, v):
            used.add((u, v, key))
            continue
        if nx.has_path(dag, v, u):
            continue
        dag.add_edge(u, v)
        used.add((u, v, key))

    order = list(nx.lexicographical_topological_sort(dag))
    level = {}
    for node in order:
        parents = list(dag.predecessors(node))
        level[node] = max((level[p] + 1 for p in parents), default=0)
    # a root, and a chain hanging from it (each link the only holding of the one above: the
    # unnamed owners of Hangzhou Zhenxi -> Zhenxi), moves down to just above its highest child
    free = set()
    for node in order:
        parents = list(dag.predecessors(node))
        if all(parent in free and dag.out_degree(parent) == 1 for parent in parents):
            free.add(node)
    for node in reversed(order):
        if node in free and dag.out_degree(node) > 0:
            level[node] = max(level[node], min(level[child] for child in dag.successors(node)) - 1)
    if level:
        low = min(level.values())
        level = {node: value - low for node, value in level.items()}
    return {node: level[node] for node in sorted(level)}, used


def _groups(graph: nx.MultiDiGraph, view: View, source: nx.MultiDiGraph) -> tuple[dict[str, str], dict[str, str]]:
    """(node -> group key, group key -> label) for the view's boxes."""
    groups: dict[str, str] = {}
    labels: dict[str, str] = {}
    if view.group_by == "jurisdiction":
        for node, data in graph.nodes(data=True):
            if data["type"] == "jurisdiction":
                continue
            key = data.get("jurisdiction")
            if key:
                groups[node] = key
                labels[key] = source.nodes[key]["name"] if key in source else str(key)
        joining = set(view.owners_join_holdings)
        changed = bool(joining)
        while changed:  # owners of owners: until nothing more joins
            changed = False
            for node in sorted(graph):
                if node in groups or graph.nodes[node]["type"] not in joining:
                    continue
                held = {v for _, v, d in graph.out_edges(node, data=True) if d.get("category") == "ownership"}
                places = {groups.get(v) for v in held}
                if len(places) == 1 and None not in places:
                    groups[node] = places.pop()
                    changed = True
    elif view.group_by == "type":
        vocabulary = graph.graph["vocabulary"]
        for node, data in graph.nodes(data=True):
            groups[node] = data["type"]
            labels[data["type"]] = vocabulary.entity_types[data["type"]].plural
    elif view.group_by == "focus":
        focus = [node for node in view.focus_ids() if node in graph]
        members = nx.Graph()
        members.add_nodes_from(graph)
        members.add_edges_from((u, v) for u, v, d in graph.edges(data=True)
                               if d.get("category") in MEMBERSHIP_CATEGORIES)
        distance = {centre: nx.single_source_shortest_path_length(members, centre) for centre in focus}
        for node in sorted(graph):
            reach = sorted((distance[centre][node], index) for index, centre in enumerate(focus)
                           if node in distance[centre])
            if not reach or len(reach) > 1 and reach[0][0] == reach[1][0]:
                continue  # unreached, or as close to two groups: drawn between them
            centre = focus[reach[0][1]]
            groups[node] = centre
            labels[centre] = graph.nodes[centre]["name"]
    return groups, labels



def group_labels_zh(labels: dict, source: nx.MultiDiGraph) -> dict[str, str]:
    """The Chinese label of each group that is an entity with a Chinese name (a jurisdiction, a
    focus entity); entity-type groups take the type's ``label_zh``."""
    vocabulary = source.graph.get("vocabulary")
    found = {}
    for key in labels:
        if key in source and (source.nodes[key].get("names") or {}).get("zh"):
            found[key] = source.nodes[key]["names"]["zh"]
        elif vocabulary is not None and key in vocabulary.entity_types and vocabulary.entity_types[key].label_zh:
            found[key] = vocabulary.entity_types[key].label_zh
    return found
