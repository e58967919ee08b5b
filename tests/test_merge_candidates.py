"""merge-candidates: pairs of records from different files or folders that are probably one entity,
ranked with the evidence; written as commented-out same_as stubs, never merged by themselves."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import BODS_EXAMPLES, FIXTURES
from ecosystem.api import Ecosystem
from ecosystem.candidates import candidates

CURATED_MORE = """entities:
  - {id: ma, name: Jack Ma, type: person, names: {zh: 马云}, start: 1964-09, sources: ["case §1"]}
  - {id: socgen, name: Société Générale, type: company, sources: ["case §1"]}
  - {id: ant, name: Ant Group, type: company, names: {zh: 蚂蚁科技集团股份有限公司}, sources: ["case §1"]}
"""
REGISTER = [
    {"record": "source", "id": "reg", "kind": "dataset", "title": "A register"},
    {"record": "entity", "id": "gb_holdco", "name": "EXAMPLE HOLDING LTD", "type": "company",
     "jurisdiction": "gb_cayman", "record_id": "GB-1", "sources": ["reg s1"]},
    {"record": "entity", "id": "gb_cayman", "name": "Cayman Islands", "type": "jurisdiction",
     "identifiers": [{"scheme": "ISO-3166", "id": "KY"}], "sources": ["reg s2"]},
    {"record": "entity", "id": "gb_ma", "name": "MA, Yun", "type": "person", "start": "1964-09-10",
     "record_id": "P-1", "sources": ["reg s3"]},
    {"record": "entity", "id": "gb_ma_other", "name": "Yun Ma", "type": "person", "start": "1990-01",
     "record_id": "P-2", "sources": ["reg s4"]},
    {"record": "entity", "id": "gb_socgen", "name": "SOCIETE GENERALE S.A.", "type": "company",
     "record_id": "C-2", "sources": ["reg s5"]},
    {"record": "entity", "id": "gb_ant_person", "name": "Ant Group", "type": "person", "record_id": "P-3",
     "sources": ["reg s6"]},
    {"record": "entity", "id": "gb_ant", "name": "Mayi Keji Jituan Gufen Youxian Gongsi", "type": "company",
     "record_id": "C-3", "sources": ["reg s7"]},
    {"record": "entity", "id": "gb_unknown", "name": "Unknown person (Citizen A)", "type": "unknown_person",
     "unspecified_reason": "unknown", "sources": ["reg s8"]},
    {"record": "entity", "id": "gb_citizen_a", "name": "Citizen A", "type": "person", "record_id": "P-4",
     "sources": ["reg s9"]},
    {"record": "entity", "id": "gb_citizen_a_too", "name": "Citizen A", "type": "person", "record_id": "P-5",
     "sources": ["reg s10"]},
]


@pytest.fixture
def folders(tmp_path):
    curated, register = tmp_path / "curated", tmp_path / "gb"
    shutil.copytree(FIXTURES / "valid", curated)
    (curated / "more.yaml").write_text(CURATED_MORE, encoding="utf-8")
    register.mkdir()
    (register / "records.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in REGISTER),
                                            encoding="utf-8")
    return curated, register


def _pairs(found):
    return {frozenset((item["first"]["id"], item["second"]["id"])): item for item in found}


def test_pairs_are_found_by_folded_names_and_ranked_by_what_agrees(folders):
    found = candidates(Ecosystem(list(folders)).dataset)
    pairs = _pairs(found)
    holdco = pairs[frozenset(("holdco", "gb_holdco"))]  # suffix taken off, same jurisdiction by name, same type
    kinds = [evidence["kind"] for evidence in holdco["evidence"]]
    assert kinds == ["same name without company suffixes", "same jurisdiction", "same type"]
    assert holdco["score"] == pytest.approx(0.85)
    socgen = pairs[frozenset(("socgen", "gb_socgen"))]  # accents, case and "S.A." folded
    assert socgen["evidence"][0]["kind"] == "same name without company suffixes"
    ma = pairs[frozenset(("ma", "gb_ma"))]  # 马云 read as pinyin; same birth month
    assert [e["kind"] for e in ma["evidence"]] == ["same name in pinyin", "same type", "same start"]
    ant = pairs[frozenset(("ant", "gb_ant"))]  # pinyin with the company form (股份有限公司) taken off
    assert ant["evidence"][0]["kind"] == "same name in pinyin"
    other_ma = pairs[frozenset(("ma", "gb_ma_other"))]  # words in another order, but born 26 years later
    assert "different start" in [e["kind"] for e in other_ma["evidence"]]
    assert other_ma["score"] < ma["score"]
    scores = [item["score"] for item in found]
    assert scores == sorted(scores, reverse=True) and found[0]["score"] == max(scores)


def test_what_is_never_paired(folders):
    pairs = _pairs(candidates(Ecosystem(list(folders)).dataset))
    assert frozenset(("ant", "gb_ant_person")) not in pairs  # a company and a person
    assert frozenset(("gb_citizen_a", "gb_citizen_a_too")) not in pairs  # namesakes of one register
    assert not any("gb_unknown" in pair for pair in pairs)  # unknown parties
    assert frozenset(("citizen_a", "gb_citizen_a")) in pairs  # ... but each namesake with ours, once
    curated, register = folders
    text = (curated / "more.yaml").read_text(encoding="utf-8").replace(
        "type: company, sources", "type: company, distinct_from: [gb_socgen], sources", 1)
    (curated / "more.yaml").write_text(text, encoding="utf-8")
    assert frozenset(("socgen", "gb_socgen")) not in _pairs(candidates(Ecosystem(list(folders)).dataset))


def test_an_identifier_id_under_another_scheme_is_evidence(folders):
    curated, register = folders
    records = (register / "records.jsonl").read_text(encoding="utf-8").replace(
        '"record_id": "C-2"', '"identifiers": [{"scheme": "FR-RCS", "id": "552120222"}], "record_id": "C-2"')
    (register / "records.jsonl").write_text(records, encoding="utf-8")
    text = (curated / "more.yaml").read_text(encoding="utf-8").replace(
        "{id: socgen, name: Société Générale, type: company,",
        "{id: socgen, name: Société Générale, type: company, identifiers: [{id: '552120222'}],")
    (curated / "more.yaml").write_text(text, encoding="utf-8")
    socgen = _pairs(candidates(Ecosystem(list(folders)).dataset))[frozenset(("socgen", "gb_socgen"))]
    assert "same identifier id 552120222 (scheme none / FR-RCS)" in [e["text"] for e in socgen["evidence"]]


def test_cli_text_json_and_stubs_that_merge_nothing_until_confirmed(folders, invoke, tmp_path):
    curated, register = folders
    data = ["--data", curated, "--data", register]
    text = invoke(*data, "merge-candidates", "--min-score", "0.8")
    assert text.exit_code == 0, text.output
    assert "EXAMPLE HOLDING LTD (gb_holdco" in text.stdout and "same jurisdiction: Cayman Islands" in text.stdout
    listed = json.loads(invoke(*data, "merge-candidates", "--json", "--limit", "2").stdout)
    assert len(listed) == 2 and {"score", "first", "second", "evidence"} <= set(listed[0])
    assert listed[0]["first"]["file"] and listed[0]["second"]["file"]
    stubs = register / "proposed.yaml"
    assert invoke(*data, "merge-candidates", "--write", stubs).exit_code == 0
    before = json.loads(invoke(*data, "validate", "--json").stdout)
    assert before["ok"] and before["entities"] == 12 + 3 + 10  # loaded as written: nothing merged
    lines = stubs.read_text(encoding="utf-8").splitlines()
    record = next(line for line in lines if "from: gb_holdco, to: holdco" in line)
    assert record.startswith("#  - {type: same_as")
    # a person confirms it: takes the '#' off and cites the source
    confirmed = record[1:].replace("source: SOURCE, locator: WHERE", "source: reg, locator: s1")
    stubs.write_text("\n".join(confirmed if line == record else line for line in lines) + "\n", encoding="utf-8")
    after = json.loads(invoke(*data, "validate", "--json").stdout)
    assert after["ok"] and after["entities"] == before["entities"] - 1
    assert json.loads(invoke(*data, "show", "gb_holdco", "--json").stdout)["id"] == "holdco"


def test_no_candidates_between_the_files_of_one_register(tmp_path, invoke):
    from ecosystem.importers.bods import import_bods

    import_bods(BODS_EXAMPLES / "joint-ownership.json", tmp_path / "one")
    result = invoke("--data", tmp_path / "one", "merge-candidates")
    assert result.exit_code == 0 and "no merge candidates" in result.stdout


def _crowd_register(folder, name, starts):
    """A register of namesakes: one person record per start (None: no birth date)."""
    folder.mkdir()
    records = [{"record": "source", "id": "crowd_reg", "kind": "dataset", "title": "A register of namesakes"}]
    for number, start in enumerate(starts):
        record = {"record": "entity", "id": f"namesake_{number}", "name": name, "type": "person",
                  "record_id": f"P-{number}", "sources": [f"crowd_reg s{number}"]}
        if start:
            record["start"] = start
        records.append(record)
    (folder / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_a_crowd_of_namesakes_pairs_only_records_with_the_same_start(tmp_path, invoke):
    from ecosystem.candidates import CROWD, search

    curated, register = tmp_path / "curated", tmp_path / "gb"
    shutil.copytree(FIXTURES / "valid", curated)
    (curated / "more.yaml").write_text(
        'entities:\n  - {id: smith, name: John Smith, type: person, start: 1970-05, sources: ["case §1"]}\n',
        encoding="utf-8")
    # 60 register records named John Smith: one born in May 1970, three others in 1970 but another month,
    # the rest in other years or with no birth date
    starts = ["1970-05-12", "1970-01-03", "1970-11", "1970-06-30"] + [f"{1940 + n % 30}-02" for n in range(40)]
    starts += [None] * (60 - len(starts))
    assert len(starts) == 60 > CROWD
    _crowd_register(register, "SMITH, John", starts)
    found, crowds = search(Ecosystem([curated, register]).dataset)
    with_smith = [item for item in found if "smith" in (item["first"]["id"], item["second"]["id"])]
    assert [{item["first"]["id"], item["second"]["id"]} for item in with_smith] == [{"smith", "namesake_0"}]
    kinds = [evidence["kind"] for evidence in with_smith[0]["evidence"]]
    assert "same start" in kinds and "crowd of namesakes" in kinds
    assert not any(item["first"]["id"].startswith("namesake") and item["second"]["id"].startswith("namesake")
                   for item in found)  # namesakes of one register: never paired, crowd or not
    [crowd] = crowds
    assert crowd["records"] == 61 and crowd["pairs"] == 1 and len(crowd["files"]) == 2
    assert crowd["kind"] == "person" and "John Smith" in crowd["text"] and "61 records" in crowd["reason"]

    result = invoke("--data", curated, "--data", register, "merge-candidates", "--json", "--min-score", "0")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert {"smith", "namesake_0"} in [{item["first"]["id"], item["second"]["id"]} for item in listed]
    assert "crowd of namesakes: 61 records share the name" in " ".join(result.stderr.split())
    stubs = tmp_path / "proposed.yaml"
    assert invoke("--data", curated, "--data", register, "merge-candidates", "--write", stubs).exit_code == 0
    assert "# Crowd of namesakes: 61 records share" in stubs.read_text(encoding="utf-8")


def test_a_crowd_without_a_shared_start_is_reported_not_paired(tmp_path):
    from ecosystem.candidates import search

    curated, register = tmp_path / "curated", tmp_path / "gb"
    shutil.copytree(FIXTURES / "valid", curated)
    (curated / "more.yaml").write_text(
        'entities:\n  - {id: smith, name: John Smith, type: person, sources: ["case §1"]}\n', encoding="utf-8")
    _crowd_register(register, "John Smith", ["1970-05-12"] * 30 + [None] * 30)
    found, crowds = search(Ecosystem([curated, register]).dataset)
    assert not any("smith" in (item["first"]["id"], item["second"]["id"]) for item in found)
    [crowd] = crowds
    assert crowd["records"] == 61 and crowd["pairs"] == 0 and "0 pairs" in crowd["reason"]


def test_a_crowd_inside_one_register_is_not_reported(tmp_path):
    from ecosystem.candidates import search

    _crowd_register(tmp_path / "gb", "John Smith", ["1970-05-12"] * 60)
    assert search(Ecosystem([tmp_path / "gb"]).dataset) == ([], [])


def test_a_crowd_sharing_a_birth_year_pairs_only_the_very_same_birth_date(tmp_path):
    from ecosystem.candidates import search

    curated, register = tmp_path / "curated", tmp_path / "gb"
    shutil.copytree(FIXTURES / "valid", curated)
    (curated / "more.yaml").write_text(
        'entities:\n  - {id: smith, name: John Smith, type: person, start: 1970-05-12, sources: ["case §1"]}\n'
        '  - {id: smith_too, name: John Smith, type: person, start: 1970, distinct_from: [smith], sources: ["case §2"]}\n',
        encoding="utf-8")
    # 60 register records born in 1970: with only the year in common, no pair is worth proposing
    _crowd_register(register, "John Smith", ["1970-05-12"] + ["1970"] * 30 + [f"1970-0{1 + n % 9}" for n in range(29)])
    found, crowds = search(Ecosystem([curated, register]).dataset)
    pairs = [{item["first"]["id"], item["second"]["id"]} for item in found
             if {"smith", "smith_too"} & {item["first"]["id"], item["second"]["id"]}]
    assert pairs == [{"smith", "namesake_0"}]
    [crowd] = crowds
    assert crowd["records"] == 62 and crowd["pairs"] == 1
