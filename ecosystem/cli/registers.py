"""Commands for data kept in several folders: data-path, merge-candidates."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import JSON_OPTION, app, console, print_json, session


@app.command("data-path")
def data_path(ctx: typer.Context):
    """Print the data folders in use, one a line (without --data: the bundled dataset's folder).

    To read the bundled data beside a register: ecosystem --data "$(ecosystem data-path)" --data gb/ ...
    """
    from ..files import data_folders

    for folder in data_folders(session(ctx).data):
        typer.echo(str(folder))


@app.command("merge-candidates")
def merge_candidates(
    ctx: typer.Context,
    as_json: bool = JSON_OPTION,
    min_score: float = typer.Option(0.5, "--min-score", metavar="SCORE",
                                    help="Leave out pairs scored below this (0 to 1)."),
    limit: Optional[int] = typer.Option(None, "--limit", metavar="N", help="At most N pairs (the best)."),
    write: Optional[Path] = typer.Option(
        None, "--write", metavar="FILE",
        help="Also write the pairs as same_as records to confirm, commented out (a YAML file; loaded as it "
        "is, it merges nothing)."),
):
    """Pairs of records, from different files or folders, that are probably one entity: ranked, with the evidence.

    Found by an identifier's id under another scheme, then by name (folding case, accents and punctuation;
    without company suffixes such as Ltd or 有限公司; in pinyin; a person's words in another order), then
    weighed by jurisdiction, type and start date. A name (or id) that more than 50 records of two files or
    more share is a crowd of namesakes: inside it only records with the same start (birth or founding date)
    are paired, and each crowd is reported on standard error (with --json too). Nothing is merged: confirm
    a pair by writing a cited same_as relation (--write FILE starts one for each pair)."""
    from rich.markup import escape

    from ..candidates import search, stubs

    found, crowds = search(session(ctx).dataset, min_score=min_score)
    if limit is not None:
        found = found[:limit]
    if write is not None:
        from ..atomic import write_text

        write_text(write, stubs(found, crowds))
    for crowd in crowds:
        console(stderr=True).print(f"crowd of namesakes: {escape(crowd['reason'])}")
    if as_json:
        print_json(found)
        return
    from rich.table import Table

    if not found:
        console().print("no merge candidates")
        return
    table = Table("score", "record", "probably the same as", "evidence")
    for item in found:
        first, second = item["first"], item["second"]
        table.add_row(f"{item['score']:.2f}", escape(f"{first['name']} ({first['id']}, {first.get('file', '')})"),
                      escape(f"{second['name']} ({second['id']}, {second.get('file', '')})"),
                      escape("; ".join(evidence["text"] for evidence in item["evidence"])))
    console().print(table)
    if write is not None:
        console(stderr=True).print(f"wrote {len(found)} same_as proposals into {escape(str(write))} "
                                   "(commented out: confirm each with a citation)")
