"""A story (:mod:`ecosystem.stories`) as one offline page: above the figure, the step's title,
caption and citations, progress dots and buttons; the arrow keys step through.

Each step draws its own view at its own date and brings its entities forward. The page holds one
figure per view the story uses (each laid out once, with its date slider holding every step date
on that view), so consecutive steps on one view keep every entity in place and a step on another
view switches the figure. An entity a view draws inside a collapsed pattern (``collapse_roles``)
is brought forward as that pattern.

A step whose highlighted entity its view does not draw at its date is an error naming the story
file, the line, the story and the fix (the page would otherwise leave it out without a word).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import DataError, ExportError, Problem


def story_document(graph, story, source=None) -> dict:
    """The page's data: ``figures`` (one per view, in order of first use), ``story`` (its steps,
    each naming its figure by index) and the page's title. ``source``: the story file, for the
    lines of problems. Raises :class:`DataError` if a step highlights what its view does not draw."""
    from .html import page_data, uses_graphviz
    from .layout import graphviz_layout
    from .style import FONT
    from ..views import build_view
    from .timeline import view_timeline

    views: list[str] = []
    for step in story.steps:
        if step.view not in views:
            views.append(step.view)
    figures, drawn = [], {}
    for view in views:
        dates = sorted({step.date for step in story.steps if step.view == view and step.date})
        view_graph, time = view_timeline(graph, view, extra_dates=dates)
        layout = graphviz_layout(view_graph) if uses_graphviz(view_graph.view) else None
        figures.append(page_data(view_graph, layout, time))
        drawn[view] = (view_graph, time)
    steps, problems = [], []
    for number, step in enumerate(story.steps, 1):
        view_graph, time = drawn[step.view]
        shown = _drawn_on(view_graph, time, step.date)
        members = None  # pattern -> the entities it stands for at the step's date, looked up when needed
        highlight = []
        for position, entity in enumerate(step.highlight):
            found = entity if entity in shown else None
            if found is None:
                if members is None:
                    members = {node: data["members"] for node, data in
                               build_view(graph, step.view, step.date).graph.nodes(data=True) if data.get("members")}
                found = next((node for node in sorted(members) if node in shown and entity in members[node]), None)
            if found is None:
                when = step.date or view_graph.as_of or "the latest date"
                problems.append(Problem(
                    str(source or "stories.yaml"),
                    _line(source, ("stories", story.id, "steps", number - 1, "highlight", position)), story.id,
                    f"story {story.id!r}, step {number} highlights {entity!r}, which view {step.view!r} does not draw "
                    f"on {when}",
                    f"highlight what the view draws then (`ecosystem render {step.view} --as-of {when} -o view.html` "
                    "shows it), or give the step another view or date"))
            elif found not in highlight:
                highlight.append(found)
        steps.append({"title": step.title, "caption": step.caption, "date": step.date, "view": step.view,
                      "figure": views.index(step.view),
                      "sources": [_cited(graph, citation) for citation in step.sources], "highlight": highlight})
    if problems:
        raise DataError(problems)
    return {"title": story.title, "description": story.description, "font": FONT, "figures": figures,
            "story": {"id": story.id, "title": story.title, "description": story.description, "steps": steps}}


def _drawn_on(view_graph, time, day) -> set:
    """The entities the page draws at ``day`` (None: the view's own date)."""
    if time is None:
        return set(view_graph.graph)
    from .timeline import _full_date

    wanted = _full_date(day) if day else time["dates"][time["start"]]
    index = max([i for i, d in enumerate(time["dates"]) if d <= wanted], default=0)
    return {node for node, runs in time["nodes"].items() if any(first <= index <= last for first, last in runs)}


def _line(source, path) -> int | None:
    """The line of ``path`` (keys and indices) in the story file, when it can be read."""
    if source is None or not Path(source).is_file():
        return None
    import yaml

    from .. import _yaml

    try:
        return _yaml.locate(_yaml.compose(Path(source).read_text(encoding="utf-8")), path)
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return None


def _cited(graph, citation) -> str:
    title = (graph.graph.get("sources") or {}).get(citation.source, {}).get("title")
    return f"{citation} — {title}" if title and citation.source != "case" else str(citation)


def render_story(graph, story, path, source=None) -> Path:
    """Write the story page to ``path`` (an .html file); returns the path. ``source``: the story
    file (problems name its lines)."""
    from ..atomic import write_bytes
    from .html import render_page

    target = Path(path)
    if target.suffix.lower() != ".html":
        raise ExportError(f"cannot write the story to {target.name!r}: a story is a page, give a name ending in .html")
    if not target.parent.is_dir():
        raise ExportError(f"cannot write {target}: the folder {target.parent} does not exist")
    return write_bytes(target, render_page(story_document(graph, story, source)).encode("utf-8"))
