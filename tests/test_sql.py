"""`ecosystem sql`: read-only SQL over the index. Answers are checked against the dataset read by the
loader and against the index file opened with the standard library's sqlite3; writes are refused and
leave the index as it was; bad SQL is SQLite's message with exit 1, never a traceback."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest

import ecosystem
from ecosystem.errors import QueryError

COUNT_BY_TYPE = "SELECT type, count(*) AS n FROM entities GROUP BY type ORDER BY type"


def index_file(invoke) -> Path:
    result = invoke("sql", "--path")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.is_file()
    return path


def test_path_is_a_sqlite_file_other_tools_open(invoke, bundled_dataset):
    path = index_file(invoke)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        (count,) = connection.execute("SELECT count(*) FROM entities").fetchone()
    assert count == len(bundled_dataset.entities)


def test_select_as_json_is_a_list_of_row_objects(invoke, bundled_dataset):
    result = invoke("sql", COUNT_BY_TYPE, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    expected = {}
    for record in bundled_dataset.entities.values():
        expected[record["type"]] = expected.get(record["type"], 0) + 1
    assert rows == [{"type": type_id, "n": count} for type_id, count in sorted(expected.items())]


def test_select_as_csv_has_a_header_and_the_rows(invoke):
    as_json = json.loads(invoke("sql", COUNT_BY_TYPE, "--json").stdout)
    result = invoke("sql", COUNT_BY_TYPE, "--csv")
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0] == ["type", "n"]
    assert table[1:] == [[row["type"], str(row["n"])] for row in as_json]


def test_select_as_text_is_a_table(invoke, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    result = invoke("sql", "SELECT id, name FROM entities WHERE id = 'ant_group'")
    assert result.exit_code == 0, result.output
    assert "ant_group" in result.stdout and "Ant Group" in result.stdout and "1 row" in result.stdout


def test_the_same_rows_as_sqlite3_on_the_file(invoke):
    query = 'SELECT "from", "to", type, equity_low FROM relations WHERE "to" = \'ant_group\' ORDER BY id'
    with sqlite3.connect(f"file:{index_file(invoke)}?mode=ro", uri=True) as connection:
        expected = connection.execute(query).fetchall()
    rows = json.loads(invoke("sql", query, "--json").stdout)
    assert [tuple(row.values()) for row in rows] == expected and expected


@pytest.mark.parametrize("statement", [
    "DELETE FROM entities",
    "INSERT INTO entities (id, name, type) VALUES ('x', 'X', 'company')",
    "UPDATE entities SET name = 'x'",
    "DROP TABLE entities",
    "CREATE TABLE t (x)",
    "CREATE TEMP TABLE t (x)",
    "ATTACH DATABASE 'other.db' AS other",
    "PRAGMA query_only = 0",
    "PRAGMA user_version = 7",
    "BEGIN",
    "VACUUM",
])
def test_a_write_is_refused_and_changes_nothing(invoke, statement, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = index_file(invoke)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = invoke("sql", statement)
    assert result.exit_code == 1
    assert "read-only" in result.stderr and "refused" in result.stderr
    assert "Traceback" not in result.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "other.db").exists()
    assert invoke("sql", "SELECT count(*) AS n FROM entities", "--json").exit_code == 0


@pytest.mark.parametrize("statement, message", [
    ("SELECT * FROM no_such_table", "no such table: no_such_table"),
    ("SELEC 1", 'near "SELEC": syntax error'),
    ("SELECT 1; SELECT 2", "one statement at a time"),
])
def test_bad_sql_is_sqlites_message_and_exit_1(invoke, statement, message):
    result = invoke("sql", statement)
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_usage_mistakes_exit_2(invoke):
    assert invoke("sql").exit_code == 2
    assert invoke("sql", COUNT_BY_TYPE, "--json", "--csv").exit_code == 2


def test_no_cache_keeps_the_index_in_memory(invoke):
    rows = invoke("--no-cache", "sql", "SELECT count(*) AS n FROM entities", "--json")
    assert rows.exit_code == 0, rows.output
    assert json.loads(rows.stdout) == json.loads(invoke("sql", "SELECT count(*) AS n FROM entities", "--json").stdout)
    path = invoke("--no-cache", "sql", "--path")
    assert path.exit_code == 1 and "in memory" in path.stderr


def test_from_python(bundled_dataset):
    eco = ecosystem.open()
    rows = eco.sql("SELECT id, name FROM entities WHERE type = ? ORDER BY id", ["person"])
    people = sorted((key, record["name"]) for key, record in bundled_dataset.entities.items()
                    if record["type"] == "person")
    assert [(row["id"], row["name"]) for row in rows] == people
    frame = rows.to_frame()
    assert list(frame.columns) == ["id", "name"] and len(frame) == len(people)
    assert "Jack Ma" in repr(rows)
    with pytest.raises(QueryError, match="read-only"):
        eco.sql("DELETE FROM entities")
    assert len(eco.sql("SELECT id FROM entities")) == len(bundled_dataset.entities)  # still whole


def test_an_unknown_table_or_column_is_met_with_the_tables(invoke):
    """`SELECT * FROM relation` (no s) only said "no such table"; the message lists the tables there are."""
    for query in ("SELECT * FROM relation", "SELECT shares FROM relations"):
        result = invoke("sql", query)
        assert result.exit_code == 1
        message = " ".join(result.stderr.split())
        assert "tables: citations, cjk_bigrams, entities, facts, meta, names, relations, search, sources, supersessions;" in message
        assert "search_data" not in message and "PRAGMA table_info(TABLE)" in message
