"""``ecosystem export``: every format through the command line, options and errors."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES

VALID = FIXTURES / "valid"


def test_help_lists_every_format(invoke):
    from ecosystem.exporters import FORMATS

    result = invoke("export", "--help")
    assert result.exit_code == 0
    for name in FORMATS:
        assert name in result.output, name


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "node-link", "json", "csv", "neo4j", "bods", "ftm"])
def test_every_format_exports(fmt, tmp_path, invoke):
    from ecosystem.exporters import FORMATS

    target = tmp_path / FORMATS[fmt].default_name
    result = invoke("--data", VALID, "export", fmt, "-o", target)
    assert result.exit_code == 0, result.output
    assert target.exists() and (target.is_dir() or target.stat().st_size > 0)
    assert "wrote" in result.output


def test_bods_export_reports_what_it_left_out(tmp_path, invoke):
    result = invoke("--data", VALID, "export", "bods", "-o", tmp_path / "b.json")
    assert result.exit_code == 0
    assert "4 relations BODS cannot express" in " ".join(result.output.split())


def test_all_writes_every_format(tmp_path, invoke):
    from ecosystem.exporters import FORMATS

    result = invoke("--data", VALID, "export", "all", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f.default_name for f in FORMATS.values() if f.in_all)


def test_as_of_exports_what_held_then(tmp_path, invoke):
    invoke("--data", VALID, "export", "node-link", "-o", tmp_path / "all.json")
    invoke("--data", VALID, "export", "node-link", "-o", tmp_path / "then.json", "--as-of", "2010")
    everything = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    then = json.loads((tmp_path / "then.json").read_text(encoding="utf-8"))
    keys = {edge["key"] for edge in then["edges"]}
    assert "public_float__owns__holdco" not in keys  # starts 2014-09-19
    assert "investor__owns__holdco" in keys
    assert len(then["edges"]) < len(everything["edges"])
    assert then["graph"]["as_of"] == "2010"


def test_errors_are_one_line_and_exit_1_or_2_for_bad_usage(tmp_path, invoke):
    unknown = invoke("--data", VALID, "export", "excel", "-o", tmp_path / "x")
    assert unknown.exit_code == 2 and "unknown export format 'excel'" in unknown.output
    bad_date = invoke("--data", VALID, "export", "graphml", "-o", tmp_path / "x.graphml", "--as-of", "2020-13")
    assert bad_date.exit_code == 2 and "Traceback" not in bad_date.output
    (tmp_path / "file").write_text("x", encoding="utf-8")
    into_file = invoke("--data", VALID, "export", "csv", "-o", tmp_path / "file")
    assert into_file.exit_code == 1 and "is a file" in into_file.output


def test_view_of_a_dataset_without_views_is_a_clear_error(tmp_path, invoke):
    result = invoke("--data", VALID, "export", "graphml", "-o", tmp_path / "v.graphml", "--view", "nothing")
    assert result.exit_code == 1 and "view" in result.output.lower()
    assert not (tmp_path / "v.graphml").exists()


def test_view_exports_only_the_view(tmp_path, invoke, bundled_graph):
    views = (bundled_graph.graph.get("views") or {}).get("views") or {}
    if not views:
        pytest.skip("the bundled data has no views yet")
    name = next(iter(views))
    result = invoke("export", "node-link", "-o", tmp_path / "v.json", "--view", name)
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))
    assert 0 < len(data["nodes"]) <= bundled_graph.number_of_nodes()
    assert data["graph"]["view"] == name


def test_cli_module_imports_nothing_heavy():
    import subprocess
    import sys

    code = ("import sys, ecosystem.cli; "
            "print(sorted(m for m in ('networkx', 'followthemoney', 'ecosystem.exporters.bods') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=FIXTURES.parent.parent)
    assert run.returncode == 0, run.stderr
    assert "followthemoney" not in run.stdout and "ecosystem.exporters.bods" not in run.stdout
