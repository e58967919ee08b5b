"""`--data` given more than once: several folders read as one dataset, the index keyed by all of them."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import BODS_EXAMPLES, FIXTURES
from ecosystem.errors import DataError
from ecosystem.loader import load


@pytest.fixture
def curated(tmp_path):
    folder = tmp_path / "curated"
    shutil.copytree(FIXTURES / "valid", folder)
    return folder


@pytest.fixture
def register(tmp_path):
    from ecosystem.importers.bods import import_bods

    folder = tmp_path / "gb"
    import_bods(BODS_EXAMPLES / "indirect-ownership.json", folder)
    return folder


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("use_cache", [False, True])
def test_two_folders_load_as_one_dataset(curated, register, use_cache):
    alone = load(curated, use_cache=False)
    both = load([curated, register], use_cache=use_cache)
    assert set(alone.entities) < set(both.entities)
    assert "ad3f6c2fcc9e" in both.entities and "holdco" in both.entities  # one from each folder
    assert len(both.entities) == len(alone.entities) + 3
    assert both.folders == (curated, register)


def test_a_relation_may_join_records_of_two_folders(curated, register, invoke):
    # a relation in the register's folder naming an entity of the curated folder
    (register / "links.yaml").write_text(
        "relations:\n"
        "  - {type: owns, from: holdco, to: ad3f6c2fcc9e, equity: 10, start: 2018,"
        " sources: [\"bods_indirect_ownership statement x\"]}\n", encoding="utf-8")
    result = invoke("--data", curated, "--data", register, "owners", "ad3f6c2fcc9e", "--json")
    assert result.exit_code == 0, result.output
    owners = {owner["id"] for owner in json.loads(result.stdout)["legal_owners"]}
    assert "holdco" in owners and "d4ab89ea169a" in owners


def test_an_id_in_two_folders_names_both_files_and_lines_and_the_fix(curated, register, tmp_path, invoke):
    # the register defines `investor`, which the curated folder's entities.yaml defines on its line 16
    line = next(n for n, text in enumerate(_lines(curated / "entities.yaml"), 1) if "id: investor" in text)
    (register / "more.jsonl").write_text(
        '{"record":"entity","id":"ok_one","name":"Fine","type":"company","sources":["bods_indirect_ownership"]}\n'
        '{"record":"entity","id":"investor","name":"Other Investor","type":"company",'
        '"sources":["bods_indirect_ownership"]}\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load([curated, register], use_cache=False)
    [problem] = [p for p in caught.value.problems if p.id == "investor"]
    assert problem.file == f"{register}/more.jsonl" and problem.line == 2
    assert f"first defined in {curated}/entities.yaml, line {line}" in problem.message
    assert "--data" in problem.hint and "rename" in problem.hint
    result = invoke("--data", curated, "--data", register, "validate")
    assert result.exit_code == 1
    assert f"more.jsonl:2: [investor] duplicate entity id 'investor'" in result.output


def test_the_same_folder_twice_or_a_folder_inside_another_is_an_error(curated, invoke):
    result = invoke("--data", curated, "--data", curated, "validate")
    assert result.exit_code == 1 and "names this folder twice" in result.output
    (curated / "sub").mkdir()
    (curated / "sub" / "more.yaml").write_text("entities: []\n", encoding="utf-8")
    result = invoke("--data", curated, "--data", curated / "sub", "validate")
    assert result.exit_code == 1 and "is inside" in result.output and "read twice" in result.output


def test_two_different_vocabularies_are_an_error(curated, register):
    shutil.copy(FIXTURES.parent.parent / "data" / "vocabulary.yaml", curated / "vocabulary.yaml")
    assert load([curated, register], use_cache=False)  # one vocabulary: fine
    shutil.copy(curated / "vocabulary.yaml", register / "vocabulary.yaml")
    assert load([curated, register], use_cache=False)  # the same one twice: fine
    with (register / "vocabulary.yaml").open("a", encoding="utf-8") as stream:
        stream.write("\n# changed\n")
    with pytest.raises(DataError) as caught:
        load([curated, register], use_cache=False)
    assert any("second vocabulary" in p.message for p in caught.value.problems)


def test_the_index_is_keyed_by_every_folder(curated, register):
    from ecosystem.index import open_index

    first = open_index([curated, register])
    assert first.path is not None and first.count("entities") == 15
    assert open_index([curated, register]).path == first.path  # warm: the same index
    assert open_index(curated).path != first.path
    assert open_index([register, curated]).path != first.path  # order is part of the key
    with (register / "records.jsonl").open("a", encoding="utf-8") as stream:
        stream.write('{"record":"entity","id":"late","name":"Late Ltd","type":"company",'
                     '"sources":["bods_indirect_ownership"]}\n')
    changed = open_index([curated, register])
    assert changed.path != first.path and changed.entity("late") is not None


def test_cli_takes_data_more_than_once(curated, register, invoke):
    result = invoke("--data", curated, "--data", register, "validate")
    assert result.exit_code == 0, result.output
    assert "15 entities" in result.output and str(curated) in result.output and str(register) in result.output
    shown = invoke("--data", curated, "--data", register, "controllers", "ad3f6c2fcc9e", "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["entity"]["id"] == "ad3f6c2fcc9e"
    paths = invoke("--data", curated, "--data", register, "data-path")
    assert paths.stdout.split() == [str(curated), str(register)]


def test_skipped_paths_are_named_with_their_folder(curated, register):
    (register / "broken.yaml").mkdir()
    dataset = load([curated, register], use_cache=False)
    assert [s.path for s in dataset.skipped] == [f"{register}/broken.yaml"]
