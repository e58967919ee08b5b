"""Figures: a view (see :mod:`ecosystem.views`) drawn as HTML, SVG, PNG, PDF or DOT.

The stable API (``ecosystem build`` and scripts call it)::

    from ecosystem.render import render_view
    render_view(graph, "vie-structure", "exports/figures/vie-structure.html")
    render_view(graph, view, "figure.svg", as_of="2020-11")

``render_view(graph, view, path, as_of=None) -> pathlib.Path``

* ``graph``: a graph from :func:`ecosystem.graph.load_graph` (full or a snapshot); never modified;
* ``view``: a view name from the dataset's views.yaml, or a :class:`ecosystem.views.View`
  (:func:`ecosystem.views.adhoc_view` makes one around an entity);
* ``path``: the suffix picks the format: ``.html`` (self-contained, offline, interactive),
  ``.svg``, ``.png`` (fits 1920x1080), ``.pdf`` (fits A4 landscape), ``.dot`` (Graphviz source);
  SVG/PNG/PDF need the Graphviz ``dot`` program;
* ``as_of``: the date shown (default: the view's ``as_of``, else the latest date in the data);
* ``language``: ``"en"`` or ``"zh"`` (Chinese names where the data has them; the page opens in it).

It writes to a temporary file beside ``path`` and renames it, so it leaves exactly the requested
file (or, on error, nothing new and the old file untouched), and it never changes the working
directory. The same data gives the same bytes. Errors: :class:`ecosystem.errors.QueryError`
(unknown view, id or date), :class:`ecosystem.errors.ExportError` (unsupported suffix, Graphviz
missing or failing, unwritable path).
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import atomic_output, write_bytes
from ..errors import ExportError

SUFFIXES = (".html", ".svg", ".png", ".pdf", ".dot")


def render_view(graph, view, path, as_of=None, language: str = "en") -> Path:
    """Draw ``view`` of ``graph`` into ``path`` (format from the suffix); returns the path written."""
    from ..views import build_view

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(f"cannot render {target.name!r}: the file name must end in one of {', '.join(SUFFIXES)}")
    if suffix == ".html":
        from .timeline import view_timeline

        view_graph, time = view_timeline(graph, view, as_of)  # the page has a date slider
        return write_view(view_graph, target, time=time, language=language)
    view_graph = build_view(graph, view, as_of)
    return write_view(view_graph, target, language=language)


def write_view(view_graph, path, time=None, language: str = "en") -> Path:
    """Write an already resolved :class:`ecosystem.views.ViewGraph` to ``path``."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(f"cannot render {target.name!r}: the file name must end in one of {', '.join(SUFFIXES)}")
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name such as {target / 'figure.html'}")
    if not target.parent.is_dir():
        raise ExportError(f"cannot write {target}: the folder {target.parent} does not exist")
    if suffix == ".html":
        from .html import to_html

        content = to_html(view_graph, time=time, language=language).encode("utf-8")
        return write_bytes(target, content)
    from . import static

    source = static.to_dot(view_graph, language=language)
    if suffix == ".dot":
        return write_bytes(target, source.encode("utf-8"))
    static.dot_binary()  # a clear error before any temporary file exists
    with atomic_output(target) as temporary:
        static.run_graphviz(source, suffix[1:], str(temporary))
    return target
