"""`ecosystem sql`: read-only SQL over the data's SQLite index."""

from __future__ import annotations

from typing import Optional

import typer

from . import JSON_OPTION, app, console, print_json, session


@app.command()
def sql(
    ctx: typer.Context,
    query: Optional[str] = typer.Argument(None, metavar="SQL", help='One statement, e.g. "SELECT id, name FROM entities LIMIT 5".'),
    as_json: bool = JSON_OPTION,
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV (a header row, then the rows)."),
    path: bool = typer.Option(False, "--path", help="Print the index file's path (for Datasette or sqlite-utils) and exit."),
):
    """Read-only SQL over the data's SQLite index (tables: see docs/INDEX.md); writes are refused."""
    eco = session(ctx)
    if path:
        typer.echo(eco.index_path())
        return
    if query is None:
        raise typer.BadParameter("give a statement, e.g. ecosystem sql \"SELECT id, name FROM entities LIMIT 5\", "
                                 "or --path", param_hint="SQL")
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv", param_hint="--csv")
    rows = eco.sql(query)
    if as_json:
        print_json(rows.data)
    elif as_csv:
        import csv
        import sys

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(rows.columns)
        writer.writerows(rows.rows())
    else:
        from rich.markup import escape
        from rich.table import Table

        table = Table(*rows.columns)
        for row in rows.rows():
            table.add_row(*(escape("" if value is None else str(value)) for value in row))
        out = console()
        out.print(table)
        out.print(f"{len(rows)} row{'' if len(rows) == 1 else 's'}")
