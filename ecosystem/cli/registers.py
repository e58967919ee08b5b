"""Commands for data kept in several folders: data-path, merge-candidates."""

from __future__ import annotations

import typer

from . import app, session


@app.command("data-path")
def data_path(ctx: typer.Context):
    """Print the data folders in use, one a line (without --data: the bundled dataset's folder).

    To read the bundled data beside a register: ecosystem --data "$(ecosystem data-path)" --data gb/ ...
    """
    from ..files import data_folders

    for folder in data_folders(session(ctx).data):
        typer.echo(str(folder))
