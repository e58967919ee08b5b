"""Export and import commands: ``ecosystem export FORMAT -o PATH`` and ``ecosystem import bods FILE -o DIR``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import AS_OF_OPTION, _App, app, console, state

FORMAT_NAMES = "graphml, gexf, node-link, json, csv, neo4j, bods, ftm, or all"


@app.command("export")
def export_command(
    format_name: str = typer.Argument(..., metavar="FORMAT", help=f"One of: {FORMAT_NAMES}."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", metavar="PATH",
        help="File to write (a folder for csv, neo4j and all); default: the format's usual name here.",
    ),
    as_of: Optional[str] = AS_OF_OPTION,
    view: Optional[str] = typer.Option(None, "--view", metavar="VIEW", help="Only the entities and relations of this named view."),
):
    """Write the graph for other tools: Gephi, igraph, pandas, Neo4j, BODS registers, FollowTheMoney.

    Without --as-of every relation is written with its dates (GEXF shows them as time intervals);
    with --as-of, only what held at that date.
    """
    from ..errors import ExportError
    from ..exporters import FORMATS, export, write_all_results

    name = format_name.lower()
    if name != "all" and name not in FORMATS:
        raise ExportError(f"unknown export format {format_name!r}; choose one of: {FORMAT_NAMES}")
    graph = state.graph(as_of) if as_of else state.full_graph()
    if view:
        graph = _view_graph(graph, view, as_of)
    if name == "all":
        results = write_all_results(graph, output or Path("exports"))
    else:
        results = [export(graph, name, output or Path(FORMATS[name].default_name))]
    out = console()
    for result in results:
        where = result.paths[0].parent if len(result.paths) > 1 else result.paths[0]
        out.print(f"wrote {where} ({result.summary()})", markup=False)
        for note in result.notes:
            out.print(f"  note: {note}", markup=False)


def _view_graph(graph, name: str, as_of):
    """The subgraph of a named view, through ecosystem.views when it is available."""
    from ..errors import ExportError

    try:
        from .. import views
    except ImportError as error:
        raise ExportError(f"--view needs ecosystem.views, which is not available ({error})") from None
    build = getattr(views, "build_view", None)
    if build is None:
        raise ExportError("--view needs ecosystem.views.build_view, which this version does not have")
    resolved = build(graph, name, as_of=as_of)
    subgraph = getattr(resolved, "graph", resolved)
    if not hasattr(subgraph, "edges"):
        raise ExportError(f"view {name!r} did not give a graph")
    return subgraph


import_app = _App(name="import", help="Turn data in other formats into our YAML records.", no_args_is_help=True)
app.add_typer(import_app, name="import")


@import_app.command("bods")
def import_bods_command(
    file: Path = typer.Argument(..., metavar="FILE", help="A BODS 0.4 JSON file (an array of statements, or JSON lines)."),
    output: Path = typer.Option(..., "--output", "-o", metavar="DIR", help="Folder for entities.yaml, relations.yaml, sources.yaml."),
    force: bool = typer.Option(False, "--force", help="Overwrite those files when the folder already has them."),
):
    """Convert BODS 0.4 statements into entities.yaml, relations.yaml and sources.yaml."""
    from ..importers.bods import import_bods

    result = import_bods(file, output, force=force)
    console().print(f"wrote {output} ({result.summary()}); check it with: ecosystem --data {output} validate", markup=False)
