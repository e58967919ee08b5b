"""A view over time, for the page's date slider.

:func:`view_timeline` resolves a view at every date on which something it draws begins, ends or
is observed, and returns one :class:`ecosystem.views.ViewGraph` holding everything drawn at any of
those dates (laid out once, so nothing moves while the slider runs) and a ``time`` document for
the page: the dates, for each entity and relation the dates (runs of indices) on which the view
draws it, and for each entity its control verdicts (runs ``[first, last, verdict]``, judged by
:mod:`ecosystem.control` on the whole snapshot of each date, as ``build_view`` marks it). The
default date is the view's.
"""

from __future__ import annotations

import networkx as nx

from .. import dates
from ..views import _groups, build_view, group_labels_zh, hierarchy_levels

MAX_DATES = 60  # more change dates than this are thinned evenly (the first, the last and the view's own kept)


def _full_date(value: str) -> str:
    """``2014`` -> ``2014-01-01``, ``2014-09`` -> ``2014-09-01``: the day a partial date begins."""
    return dates.first_day(value).isoformat()


def view_dates(graph: nx.MultiDiGraph, view_graph) -> list[str]:
    """The dates on which something near the view changes: every start, end and observation date
    of the view's entities and of the relations touching them (full ISO days, sorted)."""
    near = set(view_graph.graph)
    found = set()
    for node in near:
        if node in graph:
            for key in ("start", "end"):
                if graph.nodes[node].get(key):
                    found.add(_full_date(graph.nodes[node][key]))
    for u, v, data in graph.edges(data=True):
        if u in near or v in near:
            for key in ("start", "end", "as_of"):
                if data.get(key):
                    found.add(_full_date(data[key]))
    if view_graph.as_of:
        found.add(_full_date(view_graph.as_of))
    return sorted(found)


def _thin(days: list[str], keep) -> list[str]:
    if len(days) <= MAX_DATES:
        return days
    step = (len(days) - 1) / (MAX_DATES - 1)
    chosen = {days[round(index * step)] for index in range(MAX_DATES)}
    chosen.update(day for day in keep if day)
    return sorted(chosen)


def view_timeline(graph: nx.MultiDiGraph, view, as_of=None, extra_dates=()):
    """(the union :class:`ViewGraph`, the ``time`` document) for a view of ``graph``.

    ``extra_dates``: dates the slider must hold as they are (a story's step dates), so that the
    page at each of them draws what :func:`ecosystem.views.build_view` resolves at it."""
    default = build_view(graph, view, as_of)
    if "as_of" in graph.graph:  # already a snapshot: no other dates to show
        return default, None
    extra = {_full_date(day) for day in extra_dates if day}
    days = sorted(set(view_dates(graph, default)) | extra)
    shown = _full_date(default.as_of) if default.as_of else None
    days = _thin(days, extra | {shown})
    if len(days) < 2:
        return default, None
    union = nx.MultiDiGraph()
    union.graph.update(default.graph.graph)
    node_days: dict[str, list[int]] = {}
    edge_days: dict[str, list[int]] = {}
    verdicts: dict[str, list] = {}
    roles = dict(default.roles)
    for index, day in enumerate(days):
        resolved = default if day == shown else build_view(graph, default.view, day)
        for node, data in resolved.graph.nodes(data=True):
            if node not in union:
                union.add_node(node, **data)
            node_days.setdefault(node, []).append(index)
            if data.get("control_verdict"):
                verdicts.setdefault(node, [None] * len(days))[index] = data["control_verdict"]
        for u, v, key, data in resolved.graph.edges(keys=True, data=True):
            if not union.has_edge(u, v, key):
                union.add_edge(u, v, key=key, **data)
            edge_days.setdefault(key, []).append(index)
        for node, found in resolved.roles.items():
            roles.setdefault(node, found)
    # what the default date draws keeps that date's attributes (names, verdicts)
    for node, data in default.graph.nodes(data=True):
        union.nodes[node].update(data)
    levels, hierarchy = hierarchy_levels(union)
    groups, labels = _groups(union, default.view, graph)
    merged = type(default)(view=default.view, graph=union, as_of=default.as_of, levels=levels, hierarchy=hierarchy,
                           groups=groups, group_labels=labels, group_labels_zh=group_labels_zh(labels, graph),
                           roles={n: roles[n] for n in sorted(roles) if n in union})
    document = {
        "dates": days,
        "start": days.index(shown) if shown in days else len(days) - 1,
        "nodes": {node: _runs(found) for node, found in sorted(node_days.items())},
        "edges": {key: _runs(found) for key, found in sorted(edge_days.items())},
        "verdicts": {node: value_runs(found) for node, found in sorted(verdicts.items())},
    }
    return merged, document


def value_runs(values: list) -> list[list]:
    """["a", "a", None, "b"] -> [[0, 1, "a"], [3, 3, "b"]]: a value per date as runs of equal values
    (``[first, last, value]``, None left out): compact, and quick to test a date against."""
    runs: list[list] = []
    for index, value in enumerate(values):
        if value is None:
            continue
        if runs and runs[-1][2] == value and runs[-1][1] == index - 1:
            runs[-1][1] = index
        else:
            runs.append([index, index, value])
    return runs


def _runs(indices: list[int]) -> list[list[int]]:
    """[0, 1, 2, 5, 6] -> [[0, 2], [5, 6]]: the dates (indices) on which something is drawn."""
    present: list = [None] * (max(indices, default=-1) + 1)
    for index in indices:
        present[index] = True
    return [[first, last] for first, last, _ in value_runs(present)]
