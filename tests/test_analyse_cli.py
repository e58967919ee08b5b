"""`ecosystem analyse`: the embedded engine's records as JSON lines and Parquet; clear errors for Spark."""

from __future__ import annotations

import json
import sys
import types

from typer.testing import CliRunner

from ecosystem.cli import app

runner = CliRunner()


def test_networkx_engine_writes_the_records(tmp_path):
    from ecosystem import analysis
    from ecosystem.graph import load_graph

    result = runner.invoke(app, ["analyse", "-o", str(tmp_path), "--as-of", "2020", "--as-of", "2024"])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "control.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert records == analysis.networkx_records(load_graph(), ["2020", "2024"])
    by_key = {(r["as_of"], r["id"]): r for r in records}
    assert by_key[("2020", "ant_group")]["verdict"] == "controlled"
    assert by_key[("2024", "ant_group")]["verdict"] == "no controlling party"
    import pyarrow.parquet as pq  # a test dependency

    assert pq.read_table(tmp_path / "control.parquet").to_pylist() == records


def test_unknown_engine_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["analyse", "-o", str(tmp_path), "--engine", "duckdb"])
    assert result.exit_code == 2
    assert "networkx, spark" in result.output


def test_spark_engine_without_pyspark_names_the_fix(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    result = runner.invoke(app, ["analyse", "-o", str(tmp_path), "--engine", "spark", "--as-of", "2020"])
    assert result.exit_code == 1
    assert "pip install 'ecosystem[spark]'" in result.output
    assert "Traceback" not in result.output


def test_spark_engine_without_java_names_the_fix(tmp_path, monkeypatch):
    fake = types.ModuleType("pyspark.sql")
    fake.SparkSession = object
    monkeypatch.setitem(sys.modules, "pyspark", types.ModuleType("pyspark"))
    monkeypatch.setitem(sys.modules, "pyspark.sql", fake)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr("shutil.which", lambda name: None)
    result = runner.invoke(app, ["analyse", "-o", str(tmp_path), "--engine", "spark", "--as-of", "2020"])
    assert result.exit_code == 1
    assert "openjdk-17-jre-headless" in result.output
    assert "Traceback" not in result.output


def test_parquet_folder_without_tables_names_the_fix(tmp_path):
    result = runner.invoke(app, ["analyse", "-o", str(tmp_path / "out"), "--engine", "spark",
                                 "--parquet", str(tmp_path)])
    assert result.exit_code == 1
    assert "ecosystem export parquet" in result.output
