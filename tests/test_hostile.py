"""Hostile data: every defect is a located problem or a named skip, never a traceback or a silent loss.

The committed corpus is tests/fixtures/hostile/ (its cases.yaml says what each must give); the
cases that cannot be committed (permissions, FIFOs, devices, symlinks, many files, a huge name)
are made here in tmp_path.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from ecosystem.errors import DataError
from ecosystem.loader import data_files, load, read_dataset

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = FIXTURES / "hostile"
CASES = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))["cases"]


def with_valid(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    return folder


def output(result) -> str:
    return result.stdout + (result.stderr or "")


def test_every_corpus_entry_has_a_case():
    entries = {path.name for path in HOSTILE.iterdir() if path.name != "cases.yaml"}
    assert entries == {case["path"] for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case["path"] for case in CASES])
def test_hostile_corpus(tmp_path, invoke, case):
    folder = with_valid(tmp_path)
    source = HOSTILE / case["path"]
    if source.is_dir():
        shutil.copytree(source, folder / case["path"])
    else:
        shutil.copy(source, folder / case["path"])

    result = invoke("--data", folder, "validate")
    assert result.exit_code == case["exit"], output(result)
    assert "Traceback" not in output(result)
    assert case["message"] in output(result), output(result)
    if "line" in case:
        assert f"{case['path']}:{case['line']}:" in output(result), output(result)

    result = invoke("--data", folder, "validate", "--json")
    assert result.exit_code == case["exit"]
    document = json.loads(result.stdout)
    assert document["ok"] is (case["exit"] == 0)
    if case["exit"]:
        mine = [p for p in document["problems"] if p["file"] == case["path"]]
        assert any(case["message"] in p["message"] for p in mine), mine
        if "line" in case:
            assert any(p["line"] == case["line"] and case["message"] in p["message"] for p in mine), mine
    if case["message"].startswith("skipped: "):
        assert [s["path"] for s in document["skipped"]] == [case["path"]]


def test_line_and_paragraph_separators_are_read_as_pyyaml_reads_them(tmp_path):
    folder = with_valid(tmp_path)
    shutil.copy(HOSTILE / "line_separators.yaml", folder)
    text = (HOSTILE / "line_separators.yaml").read_text(encoding="utf-8")
    (expected,) = yaml.load(text, Loader=yaml.SafeLoader)["entities"]  # the pure-Python reader, independently
    entity = load(folder, use_cache=False).entities["separated_firm"]
    for key in ("name", "description", "aliases"):
        assert entity[key] == expected[key]
    assert "\u2028" in entity["name"] and "\x85" in entity["description"]


def test_a_duplicate_key_in_json_is_found_however_it_is_spaced_or_escaped(tmp_path):
    folder = with_valid(tmp_path)
    # a quote and a colon inside a value are text, not a key: no false alarm
    (folder / "quoted.json").write_text(json.dumps({"entities": [
        {"id": "quoted_firm", "name": 'Said ": so', "type": "company", "description": 'x\\": y "a" : b',
         "sources": ["case"]}]}), encoding="utf-8")
    assert "quoted_firm" in load(folder, use_cache=False).entities
    (folder / "spaced.json").write_text(
        '{"entities": [{"id": "spaced_firm", "name" : "A", "type": "company", "name"\n: "B", "sources": ["case"]}]}',
        encoding="utf-8")
    (folder / "escaped.json").write_text(
        '{"entities": [{"id": "escaped_firm", "name": "\\u0022:", "type": "company", "n\\u0061me": "B", '
        '"sources": ["case"]}]}', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(folder, use_cache=False)
    found = {(p.file, p.id) for p in caught.value.problems if "given twice" in p.message}
    assert found == {("spaced.json", "spaced_firm"), ("escaped.json", "escaped_firm")}


def test_a_key_given_twice_in_a_nested_mapping_is_named_with_both_lines(tmp_path):
    folder = with_valid(tmp_path)
    (folder / "nested.yaml").write_text(
        "entities:\n"
        "  - id: nested_firm\n"
        "    name: Nested Firm\n"
        "    type: company\n"
        "    names:\n"
        "      zh: 甲\n"
        "      zh: 乙\n"
        "    sources: [case]\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(folder, use_cache=False)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("nested.yaml", 7)
    assert "'zh' given twice" in problem.message and "lines 6 and 7" in problem.message


def test_a_merge_key_may_be_overridden_but_not_repeated(tmp_path):
    folder = with_valid(tmp_path)
    (folder / "merged.yaml").write_text(
        "entities:\n"
        "  - &base {id: merged_one, name: Merged One, type: company, sources: [case]}\n"
        "  - <<: *base\n"
        "    id: merged_two\n"
        "    name: Merged Two\n", encoding="utf-8")
    assert load(folder, use_cache=False).entities["merged_two"]["name"] == "Merged Two"
    (folder / "merged.yaml").write_text(
        (folder / "merged.yaml").read_text(encoding="utf-8") + "    name: Merged Again\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(folder, use_cache=False)
    (problem,) = caught.value.problems
    assert "'name' given twice" in problem.message and "lines 5 and 6" in problem.message


# --- paths that are not plain files: made here ------------------------------------------------


def _only_for(target: Path, error: type[OSError]):
    def check(path, *args, **kwargs):
        if Path(path) == target:
            raise error(13, "Permission denied", str(path))

    return check


def test_an_unreadable_record_file_is_a_problem_naming_it(tmp_path, invoke, monkeypatch):
    folder = with_valid(tmp_path)
    target = folder / "relations.yaml"
    original = Path.read_bytes

    def read_bytes(self):
        _only_for(target, PermissionError)(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = invoke("--data", folder, "validate")
    assert result.exit_code == 1
    assert "relations.yaml: cannot be read: permission denied" in output(result)


@pytest.mark.parametrize("name", ["vocabulary.yaml", "entities.yaml"])
def test_a_file_without_read_permission_is_a_problem_naming_it(tmp_path, invoke, monkeypatch, name):
    folder = with_valid(tmp_path)
    if name == "vocabulary.yaml":
        shutil.copy(FIXTURES.parent.parent / "data" / "vocabulary.yaml", folder)
    target = folder / name
    original = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: Path(path) != target and original(path, mode, **kw))
    result = invoke("--data", folder, "validate", "--json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert {(p["file"], p["message"]) for p in document["problems"]} >= {(name, "cannot be read: permission denied")}
    assert {"path": name, "reason": "cannot be read: permission denied"} in document["skipped"]


def test_an_unreadable_folder_is_a_problem_naming_it(tmp_path, invoke, monkeypatch):
    folder = with_valid(tmp_path)
    (folder / "locked").mkdir()
    (folder / "locked" / "more.yaml").write_text("entities: []\n", encoding="utf-8")
    original = os.scandir

    def scandir(path="."):
        _only_for(folder / "locked", PermissionError)(path)
        return original(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = invoke("--data", folder, "validate")
    assert result.exit_code == 1
    assert "locked: cannot be read: permission denied" in output(result)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file whatever its mode; "
                    "the simulated PermissionError tests above cover this path")
def test_a_real_unreadable_file(tmp_path, invoke):  # pragma: no cover - not run as root
    folder = with_valid(tmp_path)
    (folder / "entities.yaml").chmod(0)
    result = invoke("--data", folder, "validate")
    assert result.exit_code == 1 and "entities.yaml: cannot be read: permission denied" in output(result)


def test_a_fifo_and_a_device_are_named_not_read(tmp_path, invoke):
    folder = with_valid(tmp_path)
    os.mkfifo(folder / "pipe.yaml")  # opening it would wait for a writer for ever
    (folder / "null.yaml").symlink_to("/dev/null")
    result = invoke("--data", folder, "validate", "--json")
    assert result.exit_code == 0, result.output
    skipped = {item["path"]: item["reason"] for item in json.loads(result.stdout)["skipped"]}
    assert "a FIFO" in skipped["pipe.yaml"] and "a device" in skipped["null.yaml"]
    text = output(invoke("--data", folder, "validate"))
    assert "skipped: pipe.yaml: not a regular file (a FIFO)" in text


def test_a_symlinked_folder_is_read_and_a_loop_is_reported_once(tmp_path, invoke):
    folder = with_valid(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "more.yaml").write_text(
        "entities:\n  - {id: linked_firm, name: Linked Firm, type: company, sources: [case]}\n", encoding="utf-8")
    (folder / "linked").symlink_to(elsewhere, target_is_directory=True)
    (folder / "sub").mkdir()
    (folder / "sub" / "back").symlink_to("..", target_is_directory=True)  # a loop
    (folder / "gone.yaml").symlink_to(tmp_path / "nothing.yaml")  # a link to nothing
    assert "linked_firm" in load(folder, use_cache=False).entities
    result = invoke("--data", folder, "validate", "--json")
    assert result.exit_code == 0, result.output
    skipped = json.loads(result.stdout)["skipped"]
    loops = [item for item in skipped if "loop" in item["reason"]]
    assert [item["path"] for item in loops] == ["sub/back"]
    assert any(item["path"] == "gone.yaml" and "leads nowhere" in item["reason"] for item in skipped)


def test_hidden_folders_node_modules_and_other_files_are_not_walked(tmp_path):
    folder = with_valid(tmp_path)
    for place in (".git", "node_modules", ".cache/deep", "sub/node_modules"):
        (folder / place).mkdir(parents=True)
        (folder / place / "bad.yaml").write_text("not: [valid\n", encoding="utf-8")
    (folder / "notes.txt").write_text("entities: [", encoding="utf-8")
    (folder / ".hidden.yaml").write_text("not: [valid\n", encoding="utf-8")
    files = data_files(folder)
    assert [f.name for f in files.records] == ["entities.yaml", "relations.yaml", "sources.yaml"]
    assert files.skipped == ()
    assert len(read_dataset(folder).entities) == 12


def test_a_folder_with_no_data_file_is_a_clear_error_at_once(tmp_path, invoke):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "readme.txt").write_text("nothing here", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.yaml").write_text("x: 1\n", encoding="utf-8")
    result = invoke("--data", tmp_path, "validate")
    assert result.exit_code == 1
    assert "no data files found" in output(result)


def test_data_files_lists_every_file_the_commands_read(tmp_path):
    folder = with_valid(tmp_path)
    for name in ("vocabulary.yaml", "views.yaml", "stories.yaml"):
        shutil.copy(FIXTURES.parent.parent / "data" / name, folder / name) if (
            FIXTURES.parent.parent / "data" / name).exists() else (folder / name).write_text("{}\n", encoding="utf-8")
    (folder / "more").mkdir()
    (folder / "more" / "stories.yaml").write_text("entities: []\n", encoding="utf-8")  # a record file below the top
    files = data_files(folder)
    assert files.vocabulary == folder / "vocabulary.yaml"
    assert files.views == folder / "views.yaml" and files.stories == folder / "stories.yaml"
    assert [f.relative_to(folder).as_posix() for f in files.records] == [
        "entities.yaml", "more/stories.yaml", "relations.yaml", "sources.yaml"]
    assert files.all[:3] == [folder / "vocabulary.yaml", folder / "views.yaml", folder / "stories.yaml"]
    bundled = data_files(with_valid(tmp_path / "other"))
    assert bundled.vocabulary.name == "vocabulary.yaml" and bundled.vocabulary.parent != bundled.folder
    assert bundled.views is None and bundled.stories is None


def test_read_dataset_raises_every_problem_with_the_skipped_paths(tmp_path):
    folder = with_valid(tmp_path)
    shutil.copy(HOSTILE / "duplicate_key_in_record.yaml", folder)
    shutil.copy(HOSTILE / "impossible_month.yaml", folder)
    (folder / "dir.yaml").mkdir()
    with pytest.raises(DataError) as caught:
        read_dataset(folder)
    assert {p.file for p in caught.value.problems} == {"duplicate_key_in_record.yaml", "impossible_month.yaml"}
    assert [s.path for s in caught.value.skipped] == ["dir.yaml"]


def test_ten_thousand_small_files(tmp_path, invoke):
    folder = with_valid(tmp_path)
    many = folder / "many"
    many.mkdir()
    for index in range(10_000):
        (many / f"f{index:05d}.yaml").write_text(
            f"entities:\n  - {{id: firm_{index}, name: Firm number {index}, type: company, sources: [case]}}\n",
            encoding="utf-8")
    result = invoke("--data", folder, "--no-cache", "validate", "--json")
    assert result.exit_code == 0, result.output[-2000:]
    assert json.loads(result.stdout)["entities"] == 12 + 10_000


def test_a_one_megabyte_name(tmp_path, invoke):
    folder = with_valid(tmp_path)
    name = "Long " + "名" * 350_000  # about 1 MB of UTF-8
    (folder / "long.yaml").write_text(
        f"entities:\n  - {{id: long_firm, name: \"{name}\", type: company, sources: [case]}}\n", encoding="utf-8")
    assert len((folder / "long.yaml").read_bytes()) > 1_000_000
    result = invoke("--data", folder, "validate")
    assert result.exit_code == 0, output(result)[:500]
    assert load(folder, use_cache=False).entities["long_firm"]["name"] == name


def test_a_suggestion_among_many_ids_is_still_found():
    from ecosystem.reading import SUGGESTION_POOL, did_you_mean, forget_suggestions

    ids = {f"firm_{index}": None for index in range(SUGGESTION_POOL * 20)}
    ids["holdco"] = None
    try:
        assert did_you_mean("holdko", ids) == "did you mean 'holdco'?"
        assert "firm_1" in did_you_mean("firm_1x", ids)
    finally:
        forget_suggestions()


def test_progress_is_shown_on_a_terminal_only_and_never_for_json(monkeypatch):
    from ecosystem.cli import _load_progress

    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    monkeypatch.setattr("sys.argv", ["ecosystem", "validate", "--json"])
    with _load_progress() as progress:
        assert progress is None
    monkeypatch.setattr("sys.argv", ["ecosystem", "validate"])
    drawn = []
    with _load_progress() as progress:
        assert progress is not None
        progress("reading", 1, 10)  # under a second: nothing drawn yet
        assert getattr(progress.__self__, "_bar") is None
        monkeypatch.setattr(type(progress.__self__), "DELAY", -1.0)
        progress("reading", 5, 10)
        drawn.append(progress.__self__._bar)
    assert drawn[0] is not None
