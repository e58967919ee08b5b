"""`ecosystem analyse`: control of every entity at a date, by the embedded engine or on Apache Spark."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from . import app, console, date_value, session
from .control import BOARD_OPTION, CONTROL_OPTION, MARGIN_OPTION

ENGINES = ("networkx", "spark")


def _engine(value: str) -> str:
    if value not in ENGINES:
        raise typer.BadParameter(f"unknown engine {value!r}; choose one of: {', '.join(ENGINES)}")
    return value


def _dates(values: Optional[List[str]]) -> Optional[List[str]]:
    return [date_value(value) for value in values] if values else None


@app.command()
def analyse(
    ctx: typer.Context,
    output: Path = typer.Option(..., "--output", "-o", metavar="DIR", help="Folder for control.jsonl and control.parquet."),
    engine: str = typer.Option("networkx", "--engine", callback=_engine, metavar="ENGINE",
                               help="networkx (the embedded engine, default) or spark."),
    as_of: Optional[List[str]] = typer.Option(None, "--as-of", metavar="DATE", callback=_dates,
                                              help="Date asked (2020, 2020-11 or 2020-11-03); give it again for more "
                                                   "dates; default: the latest date in the data."),
    parquet: Optional[Path] = typer.Option(None, "--parquet", metavar="DIR",
                                           help="Spark: read this `export parquet` folder (default: export the data "
                                                "into DIR/parquet first)."),
    master: str = typer.Option("local[*]", "--master", metavar="URL", help="Spark: the master (local[*], spark://...)."),
    remote: Optional[str] = typer.Option(None, "--remote", metavar="URL", help="Spark: a Spark Connect server (sc://...)."),
    partitions: int = typer.Option(8, "--partitions", metavar="N", help="Spark: shuffle partitions."),
    control_threshold: float = CONTROL_OPTION,
    board: bool = BOARD_OPTION,
    margin: float = MARGIN_OPTION,
):
    """Control of every entity at each date asked: verdict, direct and ultimate controllers, final owners.

    Writes one record per entity and date (id, as_of, verdict, direct, ultimate, final_owners,
    closed_cycle) as JSON lines and Parquet; both engines write the same records (docs/SCALE.md).
    With Spark on a cluster or through Spark Connect, Spark writes folders of part files.
    """
    from .. import analysis
    from ..control import ControlRules

    rules = ControlRules(control_threshold=control_threshold, count_board=board, approximate_margin=margin)
    eco = session(ctx)
    graph = eco.graph()
    dates = as_of or [graph.graph.get("latest_date")]
    if engine == "networkx":
        records = analysis.networkx_records(graph, dates, rules)
        paths, count = analysis.write_records(records, output), len(records)
    else:  # Spark writes its records itself (nothing is collected here)
        paths, count = analysis.spark_write(graph, dates, rules, output=output, parquet=parquet, master=master,
                                            remote=remote, partitions=partitions)
    console().print(f"wrote {', '.join(str(p) for p in paths)} ({count} records, engine {engine}, "
                    f"as of {', '.join(dates)})", markup=False)
