"""Exports for researchers: one module per format, each ``write_<format>(graph, path)``.

Every writer takes a graph that follows the contract of :mod:`ecosystem.graph`, writes
atomically (a temporary file, then a rename: a failed export never leaves half a file),
gives the same bytes for the same graph (sorted, no timestamps), and returns an
:class:`ExportResult` saying what it wrote and counting what the format could not hold.

:data:`FORMATS` maps a format name to its writer and default file (or folder) name;
:func:`write_all` writes every format into one folder. That is the API ``ecosystem build`` uses::

    from ecosystem.exporters import write_all
    paths = write_all(graph, Path("exports/data"))

Heavy libraries (networkx's JSON helpers, followthemoney) are imported only by the writers that
need them, when they run.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from ._common import ExportResult

__all__ = ["FORMATS", "ExportFormat", "ExportResult", "export", "write_all", "write_all_results"]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    module: str
    function: str
    default_name: str  # a file name, or a folder name when ``folder``
    description: str
    folder: bool = False
    in_all: bool = True  # written by ``export all`` and ``build`` (formats needing an extra are not)

    @property
    def writer(self):
        """The ``write_<format>(graph, path)`` function (its module imported on first use)."""
        return getattr(importlib.import_module(f".{self.module}", __name__), self.function)


FORMATS: dict[str, ExportFormat] = {
    item.name: item
    for item in (
        ExportFormat("graphml", "graphml", "write_graphml", "ecosystem.graphml",
                     "GraphML for Gephi, igraph, Cytoscape, yEd, networkx"),
        ExportFormat("gexf", "gexf", "write_gexf", "ecosystem.gexf", "GEXF 1.3 for Gephi, with dated relations"),
        ExportFormat("node-link", "json_graph", "write_node_link", "ecosystem.node-link.json",
                     "networkx node-link JSON (edges=\"edges\")"),
        ExportFormat("json", "json_graph", "write_json", "ecosystem.json",
                     "full-fidelity JSON: records, bibliography, vocabulary labels"),
        ExportFormat("csv", "csv_tables", "write_csv", "csv", "nodes.csv and edges.csv for pandas and spreadsheets",
                     folder=True),
        ExportFormat("neo4j", "neo4j", "write_neo4j", "neo4j",
                     "neo4j-admin import CSVs plus a LOAD CSV Cypher script", folder=True),
        ExportFormat("bods", "bods", "write_bods", "ecosystem.bods.json", "BODS 0.4 statements (JSON array)"),
        ExportFormat("ftm", "ftm", "write_ftm", "ecosystem.ftm.jsonl", "FollowTheMoney entities (JSON lines)"),
        ExportFormat("parquet", "parquet", "write_parquet", "parquet",
                     "Parquet tables for pandas, Polars, DuckDB and Spark (needs pyarrow)", folder=True, in_all=False),
    )
}


def export(graph, format_name: str, path) -> ExportResult:
    """Write ``graph`` in one format to ``path`` (a folder format's folder is replaced whole, in one step)."""
    from ..errors import ExportError

    if format_name not in FORMATS:
        raise ExportError(f"unknown export format {format_name!r}; formats: {', '.join(FORMATS)}")
    item = FORMATS[format_name]
    if not item.folder:
        return item.writer(graph, Path(path))
    from ..atomic import replaced_folder

    folder = Path(path)
    with replaced_folder(folder, what=f"the {format_name} export") as staging:
        result = item.writer(graph, staging)
    result.paths = [folder / written.relative_to(staging) for written in result.paths]
    return result


def write_all_results(graph, directory, *, track=None) -> list[ExportResult]:
    """Write every format into ``directory`` under its default name; the results, in FORMATS order.

    The folder is made beside the old one and swapped in whole, in one step (see
    :func:`ecosystem.atomic.replaced_folder`): interrupted, ``directory`` holds the old formats or
    the new ones, never a mix. ``track`` wraps the iteration over (name, format) pairs (a progress
    display).
    """
    from ..atomic import replaced_folder

    directory = Path(directory)
    names = {item.default_name for item in FORMATS.values() if item.in_all}
    items = [(name, item) for name, item in FORMATS.items() if item.in_all]
    results = []
    with replaced_folder(directory, expected=names.__contains__, what="`export all`") as staging:
        for name, item in (track(items) if track is not None else items):
            results.append(export(graph, name, staging / item.default_name))
    for result in results:  # where the files are now
        result.paths = [directory / path.relative_to(staging) for path in result.paths]
    return results


def write_all(graph, directory) -> list[Path]:
    """Write every format into ``directory`` (created if needed); the paths written, in a fixed order."""
    return [path for result in write_all_results(graph, directory) for path in result.paths]
