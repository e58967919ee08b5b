"""A story (:mod:`ecosystem.stories`) as one offline page: above the figure, the step's title,
caption and citations, progress dots and buttons; the arrow keys step through.

Each step draws its own view at its own date and brings its entities forward. The page holds one
figure per view the story uses (each laid out once, with its date slider holding every step date
on that view), so consecutive steps on one view keep every entity in place and a step on another
view switches the figure. An entity a view draws inside a collapsed pattern (``collapse_roles``)
is brought forward as that pattern.

A step naming a view or an entity that does not exist, or highlighting an entity its view does
not draw at its date, is an error naming the story file, the line, the story and the fix (the page
would otherwise leave it out without a word); the rules are :func:`ecosystem.stories.check_stories`'s,
which ``validate`` runs too. The page is drawn from that one check (each view and date resolved once).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ExportError


def story_document(graph, story, source=None, folder=None) -> dict:
    """The page's data: ``figures`` (one per view, in order of first use), ``story`` (its steps,
    each naming its figure by index) and the page's title. ``source``: the story file, for the
    lines of problems (named relative to ``folder``). Raises :class:`DataError` with
    :func:`ecosystem.stories.check_stories`'s problems (:func:`ecosystem.stories.checked_highlights`)."""
    from .html import page_data, uses_graphviz
    from .layout import graphviz_layout
    from .style import FONT
    from ..stories import checked_highlights
    from .timeline import view_timeline

    brought = checked_highlights(graph, story, source, folder)
    views: list[str] = []
    for step in story.steps:
        if step.view not in views:
            views.append(step.view)
    figures = []
    for view in views:
        dates = sorted({step.date for step in story.steps if step.view == view and step.date})
        view_graph, time = view_timeline(graph, view, extra_dates=dates)
        layout = graphviz_layout(view_graph) if uses_graphviz(view_graph.view) else None
        figures.append(page_data(view_graph, layout, time))
    steps = [{"title": step.title, "caption": step.caption, "date": step.date, "view": step.view,
              "figure": views.index(step.view),
              "sources": [_cited(graph, citation) for citation in step.sources], "highlight": highlight}
             for step, highlight in zip(story.steps, brought)]
    return {"title": story.title, "description": story.description, "font": FONT, "figures": figures,
            "story": {"id": story.id, "title": story.title, "description": story.description, "steps": steps}}


def _cited(graph, citation) -> str:
    title = (graph.graph.get("sources") or {}).get(citation.source, {}).get("title")
    return f"{citation} — {title}" if title and citation.source != "case" else str(citation)


def render_story(graph, story, path, source=None, folder=None) -> Path:
    """Write the story page to ``path`` (an .html file); returns the path. ``source``: the story
    file (problems name its lines, relative to ``folder``)."""
    from ..atomic import write_bytes
    from .html import render_page

    target = Path(path)
    if target.suffix.lower() != ".html":
        raise ExportError(f"cannot write the story to {target.name!r}: a story is a page, give a name ending in .html")
    if not target.parent.is_dir():
        raise ExportError(f"cannot write {target}: the folder {target.parent} does not exist")
    return write_bytes(target, render_page(story_document(graph, story, source, folder)).encode("utf-8"))
