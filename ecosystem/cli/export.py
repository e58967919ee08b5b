"""Export and import commands: ``ecosystem export FORMAT -o PATH`` and ``ecosystem import bods FILE -o DIR``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import AS_OF_OPTION, _App, app, console, fail, progress_bar, session
from ..api import ALL_DEFAULT, format_names

FORMAT_NAMES = format_names()


def _export_format(value: str) -> str:
    """The FORMAT argument: a known format (any case) or a usage error (exit 2)."""
    from ..exporters import FORMATS

    name = value.lower()
    if name != "all" and name not in FORMATS:
        raise typer.BadParameter(f"unknown export format {value!r}; choose one of: {FORMAT_NAMES}")
    return name


@app.command("export")
def export_command(
    ctx: typer.Context,
    format_name: str = typer.Argument(..., metavar="FORMAT", callback=_export_format,
                                      help=f"One of: {FORMAT_NAMES}."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", metavar="PATH",
        help="File to write (a folder for csv, neo4j, parquet and all); default: the format's usual name here "
             f"({ALL_DEFAULT} for all). A folder is replaced whole, in one step.",
    ),
    as_of: Optional[str] = AS_OF_OPTION,
    view: Optional[str] = typer.Option(None, "--view", metavar="VIEW", help="Only the entities and relations of this named view."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
):
    """Write the graph for other tools: Gephi, igraph, pandas, Neo4j, BODS registers, FollowTheMoney.

    Without --as-of every relation is written with its dates (GEXF shows them as time intervals);
    with --as-of, only what held at that date. Every file is written to a temporary name and
    renamed; `all` builds its folder beside the old one and swaps it in whole.
    """
    with progress_bar(not quiet) as bar:
        results = session(ctx).export(format_name, output, as_of=as_of, view=view,
                                      track=lambda items: bar.track(items, label=lambda pair: pair[0]))
    out = console()
    for result in results:
        where = result.paths[0].parent if len(result.paths) > 1 else result.paths[0]
        out.print(f"wrote {where} ({result.summary()})", markup=False)
        for note in result.notes:
            out.print(f"  note: {note}", markup=False)


import_app = _App(name="import", help="Turn data in other formats into our records (JSON lines).", no_args_is_help=True)
app.add_typer(import_app, name="import")


@import_app.command("bods")
def import_bods_command(
    file: Path = typer.Argument(..., metavar="FILE", help="A BODS 0.4 JSON file (an array of statements, or JSON lines)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="DIR", help="New folder for records.jsonl."),
    into: Optional[Path] = typer.Option(None, "--into", metavar="DIR",
                                        help="Add to this data folder (<file>.jsonl beside its data; same identifier, "
                                             "same entity)."),
    force: bool = typer.Option(False, "--force", help="Overwrite what an earlier import wrote."),
):
    """Convert BODS 0.4 statements into records.jsonl (entities, relations and the file as their source)."""
    from ..importers.bods import import_bods

    if (output is None) == (into is None):
        fail("give either -o DIR (a new folder) or --into DIR (a data folder to add to)", code=2)
    folder = output or into
    result = import_bods(file, folder, force=force, into=into is not None)
    console().print(f"wrote {result.paths[0]} ({result.summary()}); check it with: ecosystem --data {folder} validate",
                    markup=False)


@import_app.command("ftm")
def import_ftm_command(
    file: Path = typer.Argument(..., metavar="FILE", help="FollowTheMoney entities, one JSON object a line."),
    output: Path = typer.Option(..., "--output", "-o", metavar="DIR", help="Folder for records.jsonl."),
    force: bool = typer.Option(False, "--force", help="Overwrite records.jsonl when the folder already has one."),
):
    """Convert FollowTheMoney entities (Company, Person, Ownership, Directorship ...) into records.jsonl."""
    from ..importers.ftm import import_ftm

    result = import_ftm(file, output, force=force)
    console().print(f"wrote {output} ({result.summary().replace('statements', 'entities read', 1)}); "
                    f"check it with: ecosystem --data {output} validate", markup=False)
