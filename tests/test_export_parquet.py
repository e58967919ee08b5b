"""The Parquet tables, read back with pyarrow and checked against the graph they came from."""

from __future__ import annotations

import hashlib

import pytest

from conftest import need


@pytest.fixture(scope="module")
def pyarrow_parquet():
    try:
        import pyarrow.parquet as pq
    except ImportError:
        need(False, "pyarrow", "pip install 'ecosystem[parquet]'")
    return pq


def test_tables_hold_every_record_with_share_bounds_and_days(valid_graph, tmp_path, pyarrow_parquet):
    from ecosystem.exporters import export

    result = export(valid_graph, "parquet", tmp_path / "pq")
    assert sorted(p.name for p in result.paths) == ["citations.parquet", "entities.parquet",
                                                      "relations.parquet", "sources.parquet"]
    entities = pyarrow_parquet.read_table(tmp_path / "pq" / "entities.parquet").to_pylist()
    relations = pyarrow_parquet.read_table(tmp_path / "pq" / "relations.parquet").to_pylist()
    assert sorted(row["id"] for row in entities) == sorted(valid_graph.nodes)
    assert sorted(row["id"] for row in relations) == sorted(key for _, _, key in valid_graph.edges(keys=True))
    by_pair = {(row["from"], row["to"], row["type"]): row for row in relations}
    approx = by_pair[("investor", "holdco", "owns")]  # "~25" from 2000
    assert (approx["equity_low"], approx["equity_high"], approx["equity_approximate"]) == (25.0, 25.0, True)
    assert approx["start"] == "2000" and approx["start_day"].isoformat() == "2000-01-01"
    ranged = by_pair[("public_float", "holdco", "owns")]  # {min: 50, max: 75}
    assert (ranged["equity_low"], ranged["equity_high"]) == (50.0, 75.0)
    assert ranged["control_role"] == "equity"
    assert ranged["votes_low"] is None  # no separate votes recorded
    citations = pyarrow_parquet.read_table(tmp_path / "pq" / "citations.parquet").to_pylist()
    cited = {(row["record"], row["id"]) for row in citations}
    assert all(("relation", row["id"]) in cited for row in relations)


def test_same_data_same_bytes_and_not_in_export_all(valid_graph, tmp_path, pyarrow_parquet):
    from ecosystem.exporters import FORMATS, export

    digests = []
    for run in ("a", "b"):
        export(valid_graph, "parquet", tmp_path / run)
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / run).iterdir()})
    assert digests[0] == digests[1]
    assert not FORMATS["parquet"].in_all  # build output must not depend on an optional extra


def test_in_force_span_applies_supersession(tmp_path, pyarrow_parquet):
    """A relation a later observation supersedes ends, in the table, where graph.relation_spans ends it."""
    from ecosystem.exporters import export
    from ecosystem.graph import load_graph, relation_spans

    from conftest import FIXTURES

    graph = load_graph(FIXTURES / "control" / "supersedes", use_cache=False)
    spans = relation_spans(graph)
    superseded = {key: span for key, span in spans.items() if span[2] is not None}
    assert superseded, "the fixture records observations that later ones supersede"
    export(graph, "parquet", tmp_path / "pq")
    rows = {row["id"]: row for row in pyarrow_parquet.read_table(tmp_path / "pq" / "relations.parquet").to_pylist()}
    for key, (start, end, by) in superseded.items():
        assert (rows[key]["in_force_start"], rows[key]["in_force_end"], rows[key]["superseded_by"]) == (start, end, by)
        assert rows[key]["in_force_end_day"].isoformat().startswith(end[:4])
    for key, row in rows.items():
        if key not in spans:
            assert (row["in_force_start"], row["in_force_end"]) == (row["start"] or row["as_of"], row["end"])


def test_excluded_bounds_are_the_control_rules_bounds():
    """A share's low and high ends (what the Parquet tables and the Spark engine read) are the ones the
    embedded engine counts: "more than 50%" just above 50, "less than 25%" just below 25."""
    from ecosystem.control.rules import bounds
    from ecosystem.models import Share

    for share in ({"min": 50, "exclusive_min": True}, {"max": 25, "exclusive_max": True},
                  {"min": 10, "max": 25, "exclusive_min": True, "exclusive_max": True}, {"min": 10}, {"value": 30}):
        model = Share.model_validate(share)
        assert (model.low, model.high) == bounds(share)[:2], share
