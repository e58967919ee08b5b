"""The loader: every defect reported with file, line, id, message and fix; valid data loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecosystem.errors import DataError
from ecosystem.loader import load

FIXTURES = Path(__file__).parent / "fixtures"

# (file, line, id, text in the message, text in the hint)
CASES = [
    ("malformed_yaml.yaml", 4, None, "malformed YAML", "indentation"),
    # the parser notices these lines further on (the quote: at the end of the file); the line named is where they begin
    ("unclosed_quote.yaml", 6, None, "a quoted text that starts here is never closed", "close the quote"),
    ("missing_colon.yaml", 4, None, "a key that starts here has no ':'", "put ':' after the key"),
    ("unclosed_bracket.yaml", 4, None, "a '[' list that starts here is not closed", "with ']'"),
    ("not_utf8.yaml", 3, None, "not UTF-8", "UTF-8"),
    ("empty.yaml", 1, None, "empty", "entities:"),
    ("unsafe_tag.yaml", 3, None, "unsafe or unknown YAML tag", "!tag"),
    ("alias_bomb.yaml", None, None, "aliases expand", "aliases"),
    ("unknown_key.yaml", 5, "typo_firm", "unknown key 'jurisdicton'", "'jurisdiction'"),
    ("zz_duplicate_id.yaml", 2, "holdco", "duplicate entity id 'holdco' (first defined in entities.yaml, line 6)", "rename"),  # files load in name order: the later one is the duplicate
    ("unknown_entity.yaml", 4, "investor__owns__holdko", "unknown entity 'holdko'", "'holdco'"),
    ("unknown_type.yaml", 4, "new_firm", "unknown entity type 'compnay'", "'company'"),
    ("unknown_relation_type.yaml", 2, "investor__own__wfoe", "unknown relation type 'own'", "'owns'"),
    ("forbidden_endpoint.yaml", 4, "investor__owns__prc", "cannot have a jurisdiction ('prc') as its `to`", "allowed:"),
    ("share_out_of_range.yaml", 6, None, "less than or equal to 100", "0 to 100"),
    ("equity_over_100.yaml", 6, "extra_vie_stake", "sums to 160%", "start/end"),
    ("end_before_start.yaml", 6, "regulator__regulates__wfoe", "end 2019 is before start 2020-05", "swap"),
    ("uncited_entity.yaml", 2, "uncited_firm", "missing required key 'sources'", "citation"),
    ("uncited_relation.yaml", 5, None, "sources", "cites at least one source"),
    ("unknown_source.yaml", 5, "badly_cited", "cites unknown source 'casee'", "'case'"),
    ("bad_date.yaml", 5, "misdated", "month 13 out of range", "2014-09"),
    ("bad_id.yaml", 2, "Bad-Id", "not a valid id", "lower_snake_case"),
    ("name_clash.yaml", 3, "second_shop", "'example shop' is also used by 'shop'", "distinct_from"),
    ("top_level_list.yaml", 1, None, "top level must be a mapping", "entities:"),
    ("unknown_section.yaml", 1, None, "unknown top-level key 'entites'", "'entities'"),
    ("split_number.yaml", 6, "counted_firm", "a comma inside {...} split a number", "2094, not 2,094"),
    ("supersedes_unknown.yaml", 9, "newer_investor_stake", "supersedes unknown relation 'investor__owns__holdcoo'",
     "'investor__owns__holdco'"),
]


def dataset_with(tmp_path: Path, *extra: str) -> Path:
    """The valid fixture plus the given invalid files, in a fresh folder."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    for name in extra:
        shutil.copy(FIXTURES / "invalid" / name, folder / name)
    return folder


def test_valid_fixture_loads():
    dataset = load(FIXTURES / "valid", use_cache=False)
    assert len(dataset.entities) == 12
    assert len(dataset.relations) == 10
    assert dataset.relations["investor__owns__holdco"]["equity"] == {"value": 25.0, "approximate": True}
    assert dataset.relations["public_float__owns__holdco"]["equity"] == {"min": 50.0, "max": 75.0}
    assert dataset.entities["holdco"]["start"] == "1999-06"
    assert dataset.entities["holdco"]["sources"] == [{"source": "case", "locator": "§3.2, n 20"}]


@pytest.mark.parametrize("name, line, record_id, message, hint", CASES, ids=[case[0] for case in CASES])
def test_each_defect_is_reported_with_file_line_id_and_fix(tmp_path, name, line, record_id, message, hint):
    folder = dataset_with(tmp_path, name)
    with pytest.raises(DataError) as caught:
        load(folder, use_cache=False)
    problems = [p for p in caught.value.problems if p.file == name]
    assert problems, f"no problem reported in {name}: {caught.value.problems}"
    assert all(p.file == name for p in caught.value.problems), caught.value.problems
    problem = problems[0]
    assert message in problem.message, problem
    assert hint in problem.hint, problem
    assert problem.line == line, problem
    assert problem.id == record_id, problem


def test_every_problem_is_reported_at_once(tmp_path):
    names = ["unknown_key.yaml", "unknown_entity.yaml", "unknown_source.yaml", "malformed_yaml.yaml", "empty.yaml"]
    folder = dataset_with(tmp_path, *names)
    with pytest.raises(DataError) as caught:
        load(folder, use_cache=False)
    assert {p.file for p in caught.value.problems} == set(names)


def test_unknown_folder_is_a_data_error(tmp_path):
    with pytest.raises(DataError) as caught:
        load(tmp_path / "missing")
    assert "no such folder" in caught.value.problems[0].message


def test_folder_without_data_files(tmp_path):
    with pytest.raises(DataError) as caught:
        load(tmp_path, use_cache=False)
    assert "no data files" in caught.value.problems[0].message


def test_records_split_across_files_and_formats(tmp_path, valid_dir):
    folder = tmp_path / "split"
    (folder / "more").mkdir(parents=True)
    shutil.copy(valid_dir / "sources.yaml", folder / "sources.yml")
    shutil.copy(valid_dir / "entities.yaml", folder / "more" / "entities.yaml")
    (folder / "relations.json").write_text(
        '{"relations": [{"type": "owns", "from": "citizen_a", "to": "vie", "equity": 50, "sources": ["filing p 92"]}]}',
        encoding="utf-8",
    )
    (folder / "extra.jsonl").write_text(
        '{"record": "relation", "type": "owns", "from": "citizen_b", "to": "vie", "equity": "~50", "sources": ["filing"]}\n'
        '\n'
        '{"record": "entity", "id": "newco", "name": "New Co", "type": "company", "sources": ["case"]}\n',
        encoding="utf-8",
    )
    dataset = load(folder, use_cache=False)
    assert set(dataset.relations) == {"citizen_a__owns__vie", "citizen_b__owns__vie"}
    assert "newco" in dataset.entities
    assert dataset.relations["citizen_b__owns__vie"]["sources"] == [{"source": "filing"}]  # an empty locator is left out


def test_jsonl_errors_name_the_line(tmp_path, valid_dir):
    folder = dataset_with(tmp_path)
    (folder / "bad.jsonl").write_text('{"record": "entity", "id": "x1", "name": "X", "type": "company", "sources": ["case"]}\n{oops\n',
                                      encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(folder, use_cache=False)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == ("bad.jsonl", 2)


@pytest.mark.parametrize("kind", ['["entity"]', '{"a": 1}', "null", "3", '"entities"'])
def test_a_jsonl_record_kind_that_is_not_one_of_the_three_is_reported_on_its_line(tmp_path, kind):
    folder = dataset_with(tmp_path)
    (folder / "bad.jsonl").write_text('\n{"record": ' + kind + ', "id": "x1", "name": "X", "type": "company"}\n',
                                      encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(folder, use_cache=False)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("bad.jsonl", 2)
    assert "`record` must be one of source, entity, relation" in problem.message


def test_json_validation_errors_find_the_record_line(tmp_path):
    folder = dataset_with(tmp_path)
    (folder / "more.json").write_text(
        '{"entities": [\n  {"id": "ok_one", "name": "Ok One", "type": "company", "sources": ["case"]},\n'
        '  {"id": "bad_one", "name": "Bad One", "type": "company", "sources": ["case"], "colour": "red"}\n]}\n',
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load(folder, use_cache=False)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.id) == ("more.json", 3, "bad_one")
    assert "unknown key 'colour'" in problem.message


def test_derived_relation_ids_clash_is_resolved_by_start_date(tmp_path):
    folder = dataset_with(tmp_path)
    (folder / "periods.yaml").write_text(
        "relations:\n"
        "  - {type: regulates, from: regulator, to: vie, start: 2008, end: 2011, sources: [case]}\n"
        "  - {type: regulates, from: regulator, to: vie, start: 2016, sources: [case]}\n",
        encoding="utf-8",
    )
    dataset = load(folder, use_cache=False)
    assert {"regulator__regulates__vie__2008", "regulator__regulates__vie__2016"} <= set(dataset.relations)
    assert "regulator__regulates__vie" not in dataset.relations


def test_undated_duplicate_relation_needs_an_id(tmp_path):
    folder = dataset_with(tmp_path)
    (folder / "twice.yaml").write_text(
        "relations:\n"
        "  - {type: regulates, from: regulator, to: vie, sources: [case]}\n"
        "  - {type: regulates, from: regulator, to: vie, sources: [case]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load(folder, use_cache=False)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == ("twice.yaml", 3)
    assert "duplicate relation id" in problem.message and "id:" in problem.hint


def test_stakes_that_do_not_overlap_in_time_may_sum_past_100(tmp_path):
    folder = dataset_with(tmp_path)
    (folder / "later.yaml").write_text(
        "relations:\n"
        "  - {type: owns, from: investor, to: wfoe, equity: 100, start: 2030, sources: [case]}\n",
        encoding="utf-8",
    )
    (folder / "relations.yaml").write_text(
        (folder / "relations.yaml").read_text(encoding="utf-8").replace(
            "{type: owns, from: holdco, to: wfoe, equity: 100,", "{type: owns, from: holdco, to: wfoe, equity: 100, end: 2030,"
        ),
        encoding="utf-8",
    )
    dataset = load(folder, use_cache=False)
    assert dataset.relations["investor__owns__wfoe"]["start"] == "2030"


def test_dataset_vocabulary_overrides_the_bundled_one(tmp_path):
    folder = dataset_with(tmp_path)
    bundled = (Path(__file__).parent.parent / "data" / "vocabulary.yaml").read_text(encoding="utf-8")
    (folder / "vocabulary.yaml").write_text(bundled.replace("  company:\n    label: Company", "  company:\n    label: Firm"),
                                            encoding="utf-8")
    dataset = load(folder, use_cache=False)
    assert dataset.vocabulary.entity_types["company"].label == "Firm"


def test_broken_vocabulary_is_reported(tmp_path):
    folder = dataset_with(tmp_path)
    (folder / "vocabulary.yaml").write_text("entity_types:\n  company: {label: Company}\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(folder, use_cache=False)
    assert any(p.file == "vocabulary.yaml" and "vocabulary" in p.message for p in caught.value.problems)


def test_a_failed_load_writes_nothing(tmp_path):
    folder = dataset_with(tmp_path, "unknown_key.yaml")
    before = {path: path.read_bytes() for path in folder.rglob("*")}
    with pytest.raises(DataError):
        load(folder)
    assert {path: path.read_bytes() for path in folder.rglob("*")} == before


def test_cache_returns_the_same_dataset_and_follows_changes(tmp_path):
    folder = dataset_with(tmp_path)
    first = load(folder)
    second = load(folder)
    assert second.entities == first.entities and second.relations == first.relations
    assert second.sources == first.sources and second.vocabulary == first.vocabulary
    entities = folder / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8").replace("Foreign Investor KK", "Foreign Investor AG"),
                        encoding="utf-8")
    assert load(folder).entities["investor"]["name"] == "Foreign Investor AG"
