"""The Spark engine gives what the embedded engine gives: on generated graphs and on the bundled data.

Records are compared sorted (not the same bytes). Spark runs in local mode bound to 127.0.0.1 with
one shuffle partition and no code generation (small data: each query's set-up is the cost); every
date of a comparison goes through one Spark pass. These tests are marked ``spark`` and run with
``pytest -m spark`` (they take minutes: see docs/SCALE.md); without pyspark or Java they skip on a
developer's machine and fail in CI.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import need

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        need(False, "pyspark", "pip install 'ecosystem[spark]'")
    need(shutil.which("java") is not None, "a Java runtime", "apt-get install openjdk-17-jre-headless")
    from ecosystem import spark_engine

    session = spark_engine.session("local[2]", partitions=1)
    for key, value in spark_engine.SMALL_DATA.items():
        session.conf.set(key, value)
    yield session
    session.stop()


def _normalised(records):
    return {(r["as_of"], r["id"]): {**r, "direct": sorted(json.dumps(x, sort_keys=True) for x in r["direct"]),
                                    "ultimate": sorted(json.dumps(x, sort_keys=True) for x in r["ultimate"])}
            for r in records}


def _both(spark, graph, dates, tmp_path):
    from ecosystem import analysis, spark_engine
    from ecosystem.exporters import export

    export(graph, "parquet", tmp_path / "parquet")
    entities, relations = spark_engine.read_tables(spark, tmp_path / "parquet")
    expected = _normalised(analysis.networkx_records(graph, dates))
    found = _normalised(spark_engine.to_records(spark_engine.analyse(spark, entities, relations, dates)))
    assert found.keys() == expected.keys()
    return expected, found


def test_generated_graphs_same_answers(spark, tmp_path):
    """Equal records, except the direct controllers of targets inside a cycle of influence.

    Inside such a cycle the embedded engine adds controllers one target after another, in the order
    it happens to visit them, and keeps what it added first: a candidate found before the one it
    stands above stays a direct controller. Spark evaluates the cycle's targets together. Verdicts
    and ultimate controllers agree there too.
    """
    from spark_graphs import DATES, generated_graph

    from ecosystem import control

    graph = generated_graph(seed=20261205, count=8)
    expected, found = _both(spark, graph, DATES, tmp_path)
    in_cycle = {(when, node) for when in DATES for node in control.analyse(graph, when).solver._cycle_of}
    differ = [key for key in expected if expected[key] != found[key]]
    outside = [key for key in differ if key not in in_cycle]
    assert not outside, [(expected[k], found[k]) for k in outside[:3]]
    for key in differ:  # inside a cycle: only the direct controllers may differ
        assert {**expected[key], "direct": None} == {**found[key], "direct": None}
    assert len(differ) <= 4  # the order-dependent cases of this seed (g5's cross-holdings)
    verdicts = {record["verdict"] for record in expected.values()}
    # the generated graphs reach these kinds of answer, so the comparison covers them
    assert {"controlled", "may be controlled", "no controlling party", "unknown"} <= verdicts
    rules = {json.loads(item)["rule"] for record in expected.values() for item in record["direct"]}
    assert {"votes", "board", "general partner"} <= rules
    assert any(json.loads(item)["group"] for record in expected.values() for item in record["ultimate"])


def test_bundled_data_same_answers(spark, tmp_path):
    from ecosystem.graph import load_graph

    expected, found = _both(spark, load_graph(), ("2014", "2020", "2024"), tmp_path)
    differ = [key for key in expected if expected[key] != found[key]]
    assert not differ, [(expected[k], found[k]) for k in differ[:3]]
    ant = {date: expected[(date, "ant_group")]["verdict"] for date in ("2020", "2024")}
    assert ant["2020"] == "controlled" and ant["2024"] != "controlled"
