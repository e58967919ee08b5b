"""`validate` checks the story file (stories.yaml): its form (ecosystem.stories' models) and every id
it names (entities to highlight, cited sources, views), and that each step's view draws what it highlights
at its date, each problem with file, line, story and fix."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from ecosystem.errors import DataError
from ecosystem.stories import Story, load_stories, parse_stories

RENDER = FIXTURES / "render"
GOOD = """stories:
  vie:
    title: The VIE
    steps:
      - title: The holding company
        caption: Investors hold the offshore company.
        sources: ["case §3.2, n 20"]
        highlight: [holdco]
        date: 2014-09
        view: vie-structure
      - title: The contracts
        caption: The contracts tie the VIE to the WFOE.
        sources: ["case §3.2"]
        highlight: wfoe
        view: ecosystem
"""


def with_stories(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(RENDER, folder)
    (folder / "stories.yaml").write_text(text, encoding="utf-8")
    return folder


def problems(invoke, folder: Path) -> list[dict]:
    result = invoke("--data", folder, "validate", "--json")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["problems"]


def test_a_good_story_file_validates_and_loads(invoke, tmp_path):
    folder = with_stories(tmp_path, GOOD)
    result = invoke("--data", folder, "validate")
    assert result.exit_code == 0, result.output
    stories = load_stories(folder)
    assert list(stories) == ["vie"] and isinstance(stories["vie"], Story)
    assert [step.view for step in stories["vie"].steps] == ["vie-structure", "ecosystem"]
    assert stories["vie"].steps[1].highlight == ["wfoe"] and stories["vie"].steps[0].date == "2014-09"
    assert str(stories["vie"].steps[0].sources[0]) == "case §3.2, n 20"
    assert load_stories(RENDER) == {}


@pytest.mark.parametrize("old, new, written, message, fix", [
    ("highlight: [holdco]", "highlight: [holdcoo]", "holdcoo", "names entity 'holdcoo'", "did you mean 'holdco'"),
    ('sources: ["case §3.2, n 20"]', 'sources: ["cse §3.2"]', "cse", "names source 'cse'", "did you mean 'case'"),
    ("view: ecosystem", "view: ecosytem", "ecosytem", "names view 'ecosytem'", "did you mean 'ecosystem'"),
    ("date: 2014-09", "date: 2014-13", "2014-13", "steps.0.date", "2020-11"),
    ("caption: Investors", "captoin: Investors", "captoin", "captoin", "did you mean 'caption'"),
    ("        view: vie-structure\n", "", "- title: The holding company", "steps.0.view", "add `view:`"),
    ("    title: The VIE\n", "", "  vie:", "title", "add `title:`"),
])
def test_each_fault_is_a_problem_with_its_line(invoke, tmp_path, old, new, written, message, fix):
    assert old in GOOD
    folder = with_stories(tmp_path, GOOD.replace(old, new))
    found = problems(invoke, folder)
    if "captoin" in new:  # the misspelt key is one problem, the caption it leaves missing another
        found = [p for p in found if "Field required" not in p["message"]]
    assert len(found) == 1, found
    lines = (folder / "stories.yaml").read_text(encoding="utf-8").splitlines()
    assert found[0]["file"] == "stories.yaml" and found[0]["id"] == "vie"
    assert found[0]["line"] == next(number for number, line in enumerate(lines, 1) if written in line), found
    assert message in found[0]["message"] and fix in found[0]["hint"]


def test_faults_in_one_step_do_not_hide_the_others(invoke, tmp_path):
    text = GOOD.replace("caption: Investors", "captoin: Investors").replace("highlight: wfoe", "highlight: wfoee")
    found = problems(invoke, with_stories(tmp_path, text))
    messages = sorted(p["message"] for p in found if "Field required" not in p["message"])
    assert len(messages) == 2, messages
    assert any("steps.0.captoin" in m for m in messages) and any("names entity 'wfoee'" in m for m in messages)


@pytest.mark.parametrize("text, message", [
    ("tales:\n  a: {}\n", "must be a mapping with one key"),
    ("stories:\n  - a\n", "mapping of story id to story"),
    ("stories:\n  a: just text\n", "story 'a' must be a mapping"),
    ("- a\n- b\n", "must be a mapping with one key"),
])
def test_a_malformed_file(invoke, tmp_path, text, message):
    found = problems(invoke, with_stories(tmp_path, text))
    assert len(found) == 1 and message in found[0]["message"], found
    assert found[0]["line"] is not None


def test_a_story_file_is_not_read_as_records_and_an_empty_one_is_no_story(invoke, tmp_path):
    folder = with_stories(tmp_path, "# stories to come\n")
    assert invoke("--data", folder, "validate").exit_code == 0
    assert load_stories(folder) == {}


def test_editing_the_story_file_is_seen_through_the_cache(invoke, tmp_path):
    folder = with_stories(tmp_path, GOOD)
    assert invoke("--data", folder, "validate").exit_code == 0  # cached now
    (folder / "stories.yaml").write_text(GOOD.replace("[holdco]", "[holdcoo]"), encoding="utf-8")
    assert invoke("--data", folder, "validate").exit_code == 1


def test_parse_stories_raises_one_data_error_listing_every_problem():
    with pytest.raises(DataError) as caught:
        parse_stories({"stories": {"a": {"steps": []}, "b": {"title": "b", "steps": [{"titel": "x"}]}}})
    assert {problem.id for problem in caught.value.problems} == {"a", "b"}
    assert len(caught.value.problems) >= 3


# ---------------------------------------------------------------------------------------------
# a story drawn: every step its own view


TWO_VIEWS = """stories:
  tour:
    title: A tour
    steps:
      - title: The structure
        caption: The holding company and its WFOEs.
        sources: ["case §3.2"]
        view: vie-structure
        highlight: [holdco, wfoe]
      - title: The ecosystem
        caption: The platforms and who uses them.
        sources: ["case §3.4"]
        view: ecosystem
        highlight: [pay, consumers]
      - title: The structure again
        caption: The VIE.
        sources: ["case §3.2"]
        view: vie-structure
        highlight: [vie]
"""


def test_a_story_page_holds_one_figure_per_view_and_each_step_names_its_own(invoke, tmp_path):
    from ecosystem.graph import load_graph
    from ecosystem.render.story import story_document
    from ecosystem.views import build_view

    folder = with_stories(tmp_path, TWO_VIEWS)
    page = tmp_path / "tour.html"
    result = invoke("--data", folder, "render", "--story", "tour", "-o", page)
    assert result.exit_code == 0, result.output
    graph = load_graph(folder, use_cache=False)
    document = story_document(graph, load_stories(folder)["tour"])
    assert [figure["view"] for figure in document["figures"]] == ["vie-structure", "ecosystem"]
    assert [step["figure"] for step in document["story"]["steps"]] == [0, 1, 0]
    assert [step["view"] for step in document["story"]["steps"]] == ["vie-structure", "ecosystem", "vie-structure"]
    for figure in document["figures"]:  # each figure draws (at some date) everything its view draws
        assert set(build_view(graph, figure["view"]).graph) <= {node["id"] for node in figure["nodes"]}
    assert {node["id"] for node in document["figures"][1]["nodes"]} != {node["id"] for node in document["figures"][0]["nodes"]}
    text = page.read_text(encoding="utf-8")
    assert text.count('"view":"ecosystem"') >= 2


def test_a_step_date_is_on_its_figures_slider(tmp_path):
    from ecosystem.graph import load_graph
    from ecosystem.render.story import story_document

    folder = with_stories(tmp_path, TWO_VIEWS.replace("view: ecosystem\n", "view: ecosystem\n        date: 2016-03-15\n"))
    document = story_document(load_graph(folder, use_cache=False), load_stories(folder)["tour"])
    assert "2016-03-15" in document["figures"][1]["time"]["dates"]
    assert "2016-03-15" not in document["figures"][0]["time"]["dates"]


@pytest.mark.parametrize("command", ["validate", "render", "build"])
def test_a_step_highlighting_what_its_view_does_not_draw_is_named_with_its_line(invoke, tmp_path, command):
    # 'founder' exists (every id the file names does), but the ecosystem view leaves people out
    text = TWO_VIEWS.replace("highlight: [pay, consumers]", "highlight: [pay, founder]")
    folder = with_stories(tmp_path, text)
    args = {"validate": ["validate"],
            "render": ["render", "--story", "tour", "-o", tmp_path / "tour.html"],
            "build": ["build", "-o", tmp_path / "out", "--no-data-formats", "--quiet"]}[command]
    result = invoke("--data", folder, *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    line = next(number for number, row in enumerate(text.splitlines(), 1) if "[pay, founder]" in row)
    output = " ".join(result.output.split())
    assert f"stories.yaml:{line}" in output and "[tour]" in output
    assert "step 2 highlights 'founder', which view 'ecosystem' does not draw" in output
    assert "ecosystem render ecosystem --as-of" in output  # the fix
    assert not (tmp_path / "tour.html").exists() and not (tmp_path / "out").exists()


def test_validate_names_a_highlight_its_view_does_not_draw_in_a_copy_of_the_bundled_data(invoke, tmp_path):
    from conftest import BUNDLED

    folder = tmp_path / "data"
    shutil.copytree(BUNDLED, folder)
    stories = folder / "stories.yaml"
    good = "highlight: [alibaba_group_holding, softbank, international_investors]"
    text = stories.read_text(encoding="utf-8")
    assert text.count(good) == 1
    stories.write_text(text.replace(good, "highlight: [alibaba_group_holding, softbank, ant_group]"), encoding="utf-8")
    first = invoke("--data", folder, "validate")  # builds the index; the second run reads it
    assert first.exit_code == 1 and "Traceback" not in first.output, first.output
    result = invoke("--data", folder, "validate", "--json")
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["problems"]
    line = next(number for number, row in enumerate(stories.read_text(encoding="utf-8").splitlines(), 1)
                if "softbank, ant_group]" in row)
    assert len(found) == 1, found
    assert (found[0]["file"], found[0]["line"], found[0]["id"]) == ("stories.yaml", line, "vie")
    assert "step 1 highlights 'ant_group', which view 'vie-pattern' does not draw on 2019-11-26" in found[0]["message"]
    assert "ecosystem render vie-pattern --as-of 2019-11-26" in found[0]["hint"]


VALIDATE_MODULES = r"""
import sys
from ecosystem.cli import app
try:
    app(["--data", sys.argv[1], "validate"])
except SystemExit:
    pass
print(sorted(name for name in ("ecosystem.views", "ecosystem.render", "ecosystem.control", "scipy") if name in sys.modules))
"""


@pytest.mark.parametrize("cache", ["cold", "warm"])
def test_validate_checks_the_highlights_without_the_renderer_or_the_control_solver(tmp_path, cache):
    import os
    import subprocess
    import sys

    # a step that must be refused: the refusal proves the check ran (ecosystem.views is imported
    # by the loader anyway, so the modules alone could not tell)
    folder = with_stories(tmp_path, TWO_VIEWS.replace("highlight: [pay, consumers]", "highlight: [pay, founder]"))
    environment = {**os.environ, "ECOSYSTEM_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2 if cache == "warm" else 1):  # warm: the second run reads the index the first built
        result = subprocess.run([sys.executable, "-c", VALIDATE_MODULES, str(folder)], capture_output=True, text=True,
                                env=environment, check=True)
        assert "step 2 highlights 'founder', which view 'ecosystem' does not draw" in " ".join(result.stderr.split()), \
            result.stderr
    # the views are resolved, without a figure's layout or control verdicts
    assert result.stdout.strip().splitlines()[-1] == "['ecosystem.views']", result.stdout


# ---------------------------------------------------------------------------------------------
# an id merged away by same_as; each view and date resolved once; the file named alike by every command

MERGED_RECORD = "  - {id: holdco_record, name: Example Holding Ltd, type: company, sources: [\"filing p 90\"]}\n"
SAME_AS = "  - {type: same_as, from: holdco_record, to: holdco, sources: [\"filing p 90\"]}\n"
KEPT_FIX = "'holdco_record' is one entity with 'holdco' by a same_as relation, which keeps the id 'holdco': name 'holdco'"


def with_merged_record(tmp_path: Path, text: str) -> Path:
    """The render fixture with a record ``holdco_record`` that a same_as relation makes one entity with holdco."""
    folder = with_stories(tmp_path, text)
    for name, line in (("entities.yaml", MERGED_RECORD), ("relations.yaml", SAME_AS)):
        with (folder / name).open("a", encoding="utf-8") as file:
            file.write(line)
    return folder


@pytest.mark.parametrize("command", ["validate", "render", "build"])
def test_a_story_naming_an_id_merged_by_same_as_is_told_the_id_kept(invoke, tmp_path, command):
    folder = with_merged_record(tmp_path, GOOD.replace("highlight: [holdco]", "highlight: [holdco_record]"))
    args = {"validate": ["validate"],
            "render": ["render", "--story", "vie", "-o", tmp_path / "vie.html"],
            "build": ["build", "-o", tmp_path / "out", "--no-data-formats", "--quiet"]}[command]
    result = invoke("--data", folder, *args)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    output = " ".join(result.output.split())
    line = next(number for number, row in enumerate(GOOD.splitlines(), 1) if "[holdco]" in row)
    assert f"stories.yaml:{line}: [vie] story 'vie', step 1 names entity 'holdco_record', which does not exist" in output
    assert KEPT_FIX in output and "ecosystem search" not in output, output


def test_check_stories_and_a_view_give_a_merged_id_the_same_fix(tmp_path):
    from ecosystem.graph import load_graph
    from ecosystem.stories import check_stories
    from ecosystem.views import View, check_view

    folder = with_merged_record(tmp_path, GOOD)
    graph = load_graph(folder, use_cache=False)
    stories = parse_stories({"stories": {"a": {"title": "A", "steps": [
        {"title": "t", "caption": "c", "view": "vie-structure", "sources": ["case §3.2"], "highlight": ["holdco_record"]}]}}})
    found = check_stories(graph, stories)
    assert [p.message for p in found] == ["story 'a', step 1 names entity 'holdco_record', which does not exist"]
    assert found[0].hint.endswith(KEPT_FIX), found[0].hint  # after the close ids, as for views
    unknown: list = []
    check_view(graph, View(name="v", title="V", include=[{"focus": ["holdco_record"]}]), unknown)
    assert [(kind, value, fix) for kind, value, _, fix in unknown] == [("entity", "holdco_record", KEPT_FIX)]


@pytest.mark.parametrize("command", ["render", "build"])
def test_a_story_page_resolves_each_view_and_date_once(invoke, tmp_path, monkeypatch, command):
    import collections

    from ecosystem import views

    folder = with_stories(tmp_path, TWO_VIEWS)
    resolved = collections.Counter()
    drawn_entities = views.drawn_entities

    def counted(graph, view, as_of=None):
        resolved[view if isinstance(view, str) else view.name, as_of] += 1
        return drawn_entities(graph, view, as_of)

    monkeypatch.setattr(views, "drawn_entities", counted)
    args = {"render": ["render", "--story", "tour", "-o", tmp_path / "tour.html"],
            "build": ["build", "-o", tmp_path / "out", "--no-data-formats", "--quiet"]}[command]
    result = invoke("--data", folder, *args)
    assert result.exit_code == 0, result.output
    # the page is drawn from the story's one check: ecosystem twice (steps 1 and 3), vie-structure once
    assert sorted(resolved.items()) == [(("ecosystem", None), 1), (("vie-structure", None), 1)], resolved


@pytest.mark.parametrize("command", ["validate", "render", "build"])
def test_with_data_given_twice_every_command_names_the_story_file_alike(invoke, tmp_path, command):
    folder = with_stories(tmp_path, TWO_VIEWS.replace("highlight: [pay, consumers]", "highlight: [pay, founder]"))
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "entities.yaml").write_text(
        'entities:\n  - {id: extra_co, name: Extra Co, type: company, sources: ["case §3.2"]}\n', encoding="utf-8")
    args = {"validate": ["validate"],
            "render": ["render", "--story", "tour", "-o", tmp_path / "tour.html"],
            "build": ["build", "-o", tmp_path / "out", "--no-data-formats", "--quiet"]}[command]
    result = invoke("--data", folder, "--data", extra, *args)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    line = next(number for number, row in enumerate(TWO_VIEWS.splitlines(), 1) if "[pay, consumers]" in row)
    output = "".join(result.output.split())  # the file name may be wrapped anywhere
    # several folders: files are named as given (the loader's way), not by their bare name
    assert "".join(f"{folder / 'stories.yaml'}:{line}:[tour]".split()) in output, result.output


@pytest.mark.parametrize("command", ["render", "build"])
def test_a_malformed_story_is_named_with_its_line_by_render_and_build(invoke, tmp_path, command):
    folder = with_stories(tmp_path, GOOD.replace("caption: Investors", "captoin: Investors"))
    args = {"render": ["render", "--story", "vie", "-o", tmp_path / "vie.html"],
            "build": ["build", "-o", tmp_path / "out", "--no-data-formats", "--quiet"]}[command]
    result = invoke("--data", folder, *args)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    line = next(number for number, row in enumerate(GOOD.splitlines(), 1) if "caption: Investors" in row)
    assert f"stories.yaml:{line}: [vie] story 'vie', steps.0.captoin" in " ".join(result.output.split()), result.output


def test_parse_stories_places_each_problem_of_form_on_its_line(tmp_path):
    import yaml

    path = tmp_path / "stories.yaml"
    path.write_text(GOOD.replace("caption: Investors", "captoin: Investors"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        parse_stories(yaml.safe_load(path.read_text(encoding="utf-8")), path)
    line = next(number for number, row in enumerate(GOOD.splitlines(), 1) if "caption: Investors" in row)
    found = {(p.file, p.line) for p in caught.value.problems if "captoin" in p.message}
    assert found == {("stories.yaml", line)}, caught.value.problems
