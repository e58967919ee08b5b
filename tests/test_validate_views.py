"""`validate` checks views.yaml as it checks the records: every malformed entry and every name of an
entity, entity type, relation type or category that does not exist is a problem naming the file,
the line, the view and the fix; so a dataset that validates has views that `views` and `render` take."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES

RENDER = FIXTURES / "render"


def with_views(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(RENDER, folder)
    views = folder / "views.yaml"
    views.write_text(views.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra, encoding="utf-8")
    return folder


def problems(invoke, folder: Path) -> list[dict]:
    result = invoke("--data", folder, "validate", "--json")
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert document["ok"] is False
    return document["problems"]


def line_of(folder: Path, text: str) -> int:
    """The last line holding ``text`` (what the tests add comes last)."""
    lines = (folder / "views.yaml").read_text(encoding="utf-8").splitlines()
    return max(number for number, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize("body, written, message, fix", [
    ("      - focus: [holdco, holdcoo]\n", "holdcoo", "names entity 'holdcoo'", "did you mean 'holdco'"),
    ("      - ids: nobody_at_all\n", "nobody_at_all", "names entity 'nobody_at_all'", "ecosystem search"),
    ("      - types: [compny]\n", "compny", "names entity type 'compny'", "did you mean 'company'"),
    ("      - focus: holdco\n        relations: [own]\n", "[own]", "names relation type 'own'", "did you mean 'owns'"),
    ("      - focus: holdco\n        categories: [contrl]\n", "contrl", "names category 'contrl'",
     "did you mean 'control'"),
    ("      - focus: holdco\n        stop_at: [wfoee]\n", "wfoee", "names entity 'wfoee'", "did you mean 'wfoe'"),
    ("      - focus: holdco\n        depth: 99\n", "depth: 99", "include.0.depth", "views.yaml"),
    ("      - focus: holdco\n        direction: sideways\n", "sideways", "direction", "views.yaml"),
])
def test_a_faulty_clause_is_a_problem_with_its_line(invoke, tmp_path, body, written, message, fix):
    folder = with_views(tmp_path, "  broken:\n    title: Broken\n    include:\n" + body)
    found = problems(invoke, folder)
    assert len(found) == 1, found
    problem = found[0]
    assert problem["file"] == "views.yaml" and problem["id"] == "broken"
    assert problem["line"] == line_of(folder, written)
    assert message in problem["message"] and fix in problem["hint"]


@pytest.mark.parametrize("tail, written, message", [
    ("    exclude_types: [persn]\n", "persn", "names entity type 'persn'"),
    ("    top_types: [stat_body]\n", "stat_body", "names entity type 'stat_body'"),
    ("    relations: [lends]\n", "[lends]", "names relation type 'lends'"),
    ("    exclude: [fintec]\n", "fintec", "names entity 'fintec'"),
    ("    layuot: force\n", "layuot", "layuot"),
    ("    as_of: 2020-13\n", "2020-13", "as_of"),
    ("    group_by: country\n", "country", "group_by"),
])
def test_a_faulty_view_setting_is_a_problem_with_its_line(invoke, tmp_path, tail, written, message):
    folder = with_views(tmp_path, "  broken:\n    title: Broken\n    include:\n      - focus: holdco\n" + tail)
    found = problems(invoke, folder)
    assert [(p["id"], p["line"]) for p in found] == [("broken", line_of(folder, written))], found
    assert message in found[0]["message"] and found[0]["hint"]


def test_every_problem_of_every_view_at_once_with_the_records(invoke, tmp_path):
    folder = with_views(tmp_path, "  one:\n    title: One\n    include:\n      - focus: [holdcoo]\n"
                                  "        categories: [contrl]\n    layuot: force\n"
                                  "  two: just a string\n"
                                  "  three:\n    include:\n      - ids: [holdco]\n")
    shutil.copy(FIXTURES / "invalid" / "unknown_entity.yaml", folder / "unknown_entity.yaml")
    found = problems(invoke, folder)
    views = sorted((p["id"], p["message"]) for p in found if p["file"] == "views.yaml")
    assert [view for view, _ in views] == ["one", "one", "one", "three", "two"], views
    assert any("holdcoo" in message for _, message in views) and any("contrl" in message for _, message in views)
    assert any("must be a mapping" in message for _, message in views)
    assert any("title" in message for _, message in views)
    assert any(p["file"] == "unknown_entity.yaml" for p in found)  # the records' problems too
    assert all(p["line"] for p in found if p["file"] == "views.yaml")


def test_the_text_report_names_file_line_view_and_fix(invoke, tmp_path):
    folder = with_views(tmp_path, "  broken:\n    title: Broken\n    include:\n      - focus: holdcoo\n")
    result = invoke("--data", folder, "validate")
    assert result.exit_code == 1
    line = line_of(folder, "holdcoo")
    assert f"views.yaml:{line}: [broken] view 'broken' names entity 'holdcoo'" in result.stderr
    assert "(fix: did you mean 'holdco'?" in result.stderr


def test_a_views_file_that_is_not_a_mapping_of_views(invoke, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(RENDER, folder)
    (folder / "views.yaml").write_text("figures:\n  a: {}\n", encoding="utf-8")
    found = problems(invoke, folder)
    assert len(found) == 1 and found[0]["line"] == 1 and "figures" in found[0]["message"]
    (folder / "views.yaml").write_text("views:\n  - a\n  - b\n", encoding="utf-8")
    found = problems(invoke, folder)
    assert len(found) == 1 and "mapping of view name to view" in found[0]["message"]


def test_a_view_naming_an_invalid_record_is_not_reported_twice(invoke, tmp_path):
    folder = with_views(tmp_path, "")
    entities = folder / "entities.yaml"
    # holdco, named by every view, now fails validation itself: one problem, in entities.yaml
    entities.write_text(entities.read_text(encoding="utf-8").replace("    start: 1999-06\n", "    start: 1999-13\n"),
                        encoding="utf-8")
    found = problems(invoke, folder)
    assert [p["file"] for p in found] == ["entities.yaml"], found


def test_what_validate_passes_views_and_render_take(invoke, tmp_path):
    """The bundled data and the figure fixtures validate, and every view they define renders."""
    for folder in (None, RENDER):
        args = ["--data", folder] if folder else []
        assert invoke(*args, "validate").exit_code == 0
        listed = json.loads(invoke(*args, "views", "--json").stdout)
        for view in listed:
            result = invoke(*args, "render", view["name"], "-o", tmp_path / f"{view['name']}.dot")
            assert result.exit_code == 0, result.output
