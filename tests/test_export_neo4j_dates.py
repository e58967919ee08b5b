"""Neo4j: full dates are Neo4j dates (typed ``:date`` columns, ``date()`` in the Cypher script); partial
dates keep their text and precision; the script and the README give the import commands."""

from __future__ import annotations

import csv
import re

from conftest import ROOT
from fixtures.export.awkward import awkward_graph


def _rows(path):
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def test_full_dates_are_dates_and_partial_dates_keep_text_and_precision(tmp_path):
    from ecosystem.exporters.neo4j import write_neo4j

    graph = awkward_graph()
    write_neo4j(graph, tmp_path / "neo")
    header, edges = _rows(tmp_path / "neo" / "relationships.csv")
    assert "start:date" in header and "start" not in header
    by_id = {row["id"]: row for row in edges}
    for u, v, key, data in graph.edges(keys=True, data=True):
        start = data.get("start")
        start = start.isoformat() if hasattr(start, "isoformat") else start
        row = by_id[key]
        if start is None:
            assert row["start:date"] == row["start_text"] == row["start_precision"] == ""
        elif len(start) == 10:
            assert (row["start:date"], row["start_text"], row["start_precision"]) == (start, "", "day")
        else:
            assert row["start:date"] == "" and row["start_text"] == start
            assert row["start_precision"] == {4: "year", 7: "month"}[len(start)]
    assert any(len(d.get("start") or "") == 4 for *_, d in graph.edges(keys=True, data=True))  # the case is there
    script = (tmp_path / "neo" / "import.cypher").read_text(encoding="utf-8")
    assert "r.`start` = date(row.`start:date`)" in script
    assert "r.`start_text` = row.`start_text`" in script
    assert '--delimiter="," --array-delimiter="|"' in script


def test_the_readme_gives_the_neo4j_admin_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"neo4j-admin database import full[^\n]*", readme)
    assert command, "README: the neo4j-admin command"
    assert '--array-delimiter="|"' in command.group(0) and "--nodes=" in command.group(0)
    assert "--relationships=" in command.group(0)
