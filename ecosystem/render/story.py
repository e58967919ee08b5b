"""A story (:mod:`ecosystem.stories`) as one offline page: the figure of its view, and above it
the step's title, caption and citations, progress dots and buttons; the arrow keys step through.

Each step moves the page's date slider to the step's date and brings its entities forward. The
steps of one story share one view (laid out once, so nothing jumps between steps).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ExportError, QueryError


def story_document(graph, story) -> dict:
    from .html import page_data, uses_graphviz
    from .layout import graphviz_layout
    from .timeline import view_timeline

    views = sorted({step.view for step in story.steps})
    if len(views) != 1:
        raise QueryError(f"story {story.id!r}: its steps use the views {', '.join(views)}; the steps of one story "
                         "share one view (fix: split the story, or draw every step on one view)")
    view_graph, time = view_timeline(graph, views[0])
    layout = graphviz_layout(view_graph) if uses_graphviz(view_graph.view) else None
    document = page_data(view_graph, layout, time)
    document["story"] = {
        "id": story.id, "title": story.title, "description": story.description,
        "steps": [{"title": step.title, "caption": step.caption, "date": step.date,
                   "sources": [_cited(graph, citation) for citation in step.sources],
                   "highlight": [node for node in step.highlight if node in view_graph.graph]}
                  for step in story.steps],
    }
    document["title"] = story.title
    document["description"] = story.description
    return document


def _cited(graph, citation) -> str:
    title = (graph.graph.get("sources") or {}).get(citation.source, {}).get("title")
    return f"{citation} — {title}" if title and citation.source != "case" else str(citation)


def render_story(graph, story, path) -> Path:
    """Write the story page to ``path`` (an .html file); returns the path."""
    from ..atomic import write_bytes
    from .html import render_page

    target = Path(path)
    if target.suffix.lower() != ".html":
        raise ExportError(f"cannot write the story to {target.name!r}: a story is a page, give a name ending in .html")
    if not target.parent.is_dir():
        raise ExportError(f"cannot write {target}: the folder {target.parent} does not exist")
    return write_bytes(target, render_page(story_document(graph, story)).encode("utf-8"))
