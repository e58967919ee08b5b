"""Figure commands: render, views."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import AS_OF_OPTION, JSON_OPTION, app, console, parse_types, print_json, state
from ..errors import QueryError


@app.command()
def render(
    view: Optional[str] = typer.Argument(None, metavar="[VIEW]",
                                         help="A named view (see `ecosystem views`); omit it with --focus."),
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE",
                                help="The file to write; its suffix picks the format: .html .svg .png .pdf .dot"),
    focus: Optional[str] = typer.Option(None, "--focus", metavar="ID",
                                        help="Draw the entities around this one instead of the view's selection."),
    depth: int = typer.Option(1, "--depth", min=0, max=10, help="With --focus: how many hops."),
    types: Optional[str] = typer.Option(None, "--type", metavar="TYPES",
                                        help="Only these entity types, relation types or categories (comma-separated)."),
    as_of: Optional[str] = AS_OF_OPTION,
):
    """Draw a view as an offline interactive page (.html) or a static figure (.svg .png .pdf .dot)."""
    from ..render import render_view
    from ..views import adhoc_view, get_view

    graph = state.full_graph()
    if view is None and focus is None:
        raise QueryError("Name a view (see `ecosystem views`) or give --focus ID.")
    base = get_view(graph, view) if view else None
    if focus is not None:
        if focus not in graph:
            from ..query import suggest

            raise QueryError(f"--focus: no entity with id {focus!r}.", suggest(graph, focus))
        chosen = adhoc_view(graph, focus, depth, parse_types(types), base=base)
    elif types:
        chosen = _filtered(graph, base, parse_types(types))
    else:
        chosen = base
    written = render_view(graph, chosen, output, as_of=as_of)
    console(stderr=True).print(f"wrote {written}")


def _filtered(graph, view, values):
    """A named view keeping only some entity types, relation types or categories."""
    from ..views import split_types

    entity_types, relation_types, categories = split_types(graph.graph["vocabulary"], values)
    update = {}
    if entity_types:
        update["exclude_types"] = sorted(set(graph.graph["vocabulary"].entity_types) - set(entity_types))
    if relation_types or categories:
        update.update(relations=relation_types, categories=categories)
    return view.model_copy(update=update)


@app.command()
def views(as_json: bool = JSON_OPTION):
    """List the named views of the dataset (views.yaml), for `ecosystem render VIEW -o FILE`."""
    from ..views import named_views

    found = named_views(state.full_graph())
    if as_json:
        print_json([{"name": name, "title": view.title, "description": view.description, "layout": view.layout,
                     "as_of": view.as_of} for name, view in found.items()])
        return
    out = console()
    if not found:
        out.print("this dataset defines no views (add views.yaml); `ecosystem render --focus ID -o FILE` still works")
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table("view", "title", "layout", "as of")
    for name, view in found.items():
        table.add_row(name, escape(view.title), view.layout, view.as_of or "latest")
    out.print(table)
