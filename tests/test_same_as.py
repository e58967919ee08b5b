"""same_as: two records of one real entity (a register's and ours) read as one entity, cited, visible,
accepted under either id, and undone by removing the statement; one identifier across folders."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import FIXTURES
from ecosystem.errors import DataError
from ecosystem.loader import load

REGISTER = [
    {"record": "source", "id": "reg", "kind": "dataset", "title": "A register"},
    {"record": "entity", "id": "gb_holdco", "name": "EXAMPLE HOLDING LTD", "type": "company",
     "identifiers": [{"scheme": "KY-REG", "id": "12345"}], "record_id": "GB-1", "sources": ["reg s1"]},
    {"record": "entity", "id": "gb_person", "name": "Person Nine", "type": "person", "record_id": "P-9",
     "sources": ["reg s2"]},
    {"record": "relation", "id": "r1", "type": "owns", "from": "gb_person", "to": "gb_holdco",
     "equity": {"value": 10}, "start": "2019", "record_id": "R-1", "sources": ["reg s4"]},
]
SAME = "relations:\n  - {type: same_as, from: gb_holdco, to: holdco, sources: [{source: reg, locator: company 12345}]}\n"


def _jsonl(path, records):
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")


@pytest.fixture
def folders(tmp_path):
    curated, register = tmp_path / "curated", tmp_path / "gb"
    shutil.copytree(FIXTURES / "valid", curated)
    register.mkdir()
    _jsonl(register / "records.jsonl", REGISTER)
    return curated, register


@pytest.mark.parametrize("use_cache", [False, True])
def test_same_as_makes_one_entity_under_the_id_read_first(folders, use_cache):
    curated, register = folders
    apart = load([curated, register], use_cache=False)
    (register / "same.yaml").write_text(SAME, encoding="utf-8")
    joined = load([curated, register], use_cache=use_cache)
    assert len(joined.entities) == len(apart.entities) - 1
    assert "gb_holdco" not in joined.entities
    holdco = joined.entities["holdco"]
    assert "EXAMPLE HOLDING LTD" in holdco["aliases"]
    assert {"scheme": "KY-REG", "id": "12345"} in holdco["identifiers"]
    [entry] = holdco["same_as"]
    assert entry["id"] == "gb_holdco" and entry["file"] == f"{register}/records.jsonl"
    assert entry["record"]["record_id"] == "GB-1"
    [because] = entry["because"]
    assert because["with"] == "holdco" and because["sources"] == [{"source": "reg", "locator": "company 12345"}]
    assert joined.relations["r1"]["to"] == "holdco"  # the register's relation attaches to the kept entity
    assert not any(r["type"] == "same_as" for r in joined.relations.values())  # a statement, not an edge


def test_the_direction_of_same_as_does_not_matter(folders):
    curated, register = folders
    (register / "same.yaml").write_text(SAME.replace("from: gb_holdco, to: holdco", "from: holdco, to: gb_holdco"),
                                        encoding="utf-8")
    joined = load([curated, register], use_cache=False)
    assert "holdco" in joined.entities and "gb_holdco" not in joined.entities


def test_queries_accept_both_ids_and_answer_as_one(folders, invoke):
    curated, register = folders
    (register / "same.yaml").write_text(SAME, encoding="utf-8")
    data = ["--data", curated, "--data", register]
    answers = {}
    for name in ("holdco", "gb_holdco", "GB-1"):
        result = invoke(*data, "owners", name, "--json")
        assert result.exit_code == 0, result.output
        answers[name] = json.loads(result.stdout)
    assert answers["holdco"] == answers["gb_holdco"] == answers["GB-1"]
    owners = {owner["id"] for owner in answers["holdco"]["legal_owners"]}
    assert {"investor", "gb_person"} <= owners  # ours and the register's, on one entity
    controllers = invoke(*data, "controllers", "gb_holdco", "--json")
    assert json.loads(controllers.stdout)["entity"]["id"] == "holdco"
    shown = invoke(*data, "show", "gb_holdco")
    assert shown.exit_code == 0 and "same entity as: EXAMPLE HOLDING LTD (gb_holdco" in shown.stdout
    assert "reg company 12345" in shown.stdout
    hits = json.loads(invoke(*data, "search", "example holding ltd", "--json").stdout)
    assert hits[0]["id"] == "holdco"
    path = json.loads(invoke(*data, "path", "gb_person", "wfoe", "--json").stdout)
    assert path and path[0][0]["to"] == "holdco"


def test_exports_hold_one_entity(folders, tmp_path):
    from ecosystem.api import Ecosystem

    curated, register = folders
    (register / "same.yaml").write_text(SAME, encoding="utf-8")
    eco = Ecosystem([curated, register])
    eco.export("bods", tmp_path / "out.json")
    statements = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    named = [s for s in statements if s.get("recordType") == "entity"
             and s["recordDetails"].get("name") in ("Example Holding Limited", "EXAMPLE HOLDING LTD")]
    assert len(named) == 1
    assert {"scheme": "KY-REG", "id": "12345"}.items() <= named[0]["recordDetails"]["identifiers"][0].items()


def test_removing_the_statement_undoes_the_merge(folders, invoke):
    curated, register = folders
    data = ["--data", curated, "--data", register]
    (register / "same.yaml").write_text(SAME, encoding="utf-8")
    assert json.loads(invoke(*data, "show", "gb_holdco", "--json").stdout)["id"] == "holdco"
    (register / "same.yaml").unlink()
    shown = json.loads(invoke(*data, "show", "gb_holdco", "--json").stdout)
    assert shown["id"] == "gb_holdco" and "same_as" not in shown


def test_same_as_is_cited_like_every_fact(folders):
    curated, register = folders
    (register / "same.yaml").write_text(SAME.replace("source: reg", "source: nowhere"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load([curated, register], use_cache=False)
    assert any("cites unknown source 'nowhere'" in p.message for p in caught.value.problems)


def test_contradictions_are_errors(folders):
    curated, register = folders
    text = (SAME + "  - {type: owns, from: holdco, to: gb_holdco, equity: 5, sources: [{source: reg, locator: x}]}\n")
    (register / "same.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load([curated, register], use_cache=False)
    [problem] = caught.value.problems
    assert problem.file == f"{register}/same.yaml" and problem.line == 3
    assert "makes one entity" in problem.message and "same_as" in problem.hint
    records = [dict(r, distinct_from=["holdco"]) if r.get("id") == "gb_holdco" else r for r in REGISTER]
    _jsonl(register / "records.jsonl", records)
    (register / "same.yaml").write_text(SAME, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load([curated, register], use_cache=False)
    assert any("distinct from 'holdco'" in p.message for p in caught.value.problems)


def test_one_identifier_in_two_folders_is_one_entity(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    _jsonl(first / "records.jsonl", REGISTER)
    other = [dict(REGISTER[0], id="reg2"),
             {"record": "entity", "id": "b_holdco", "name": "Example Holding", "type": "company",
              "identifiers": [{"scheme": "ky-reg", "id": "12345"}], "sources": ["reg2 s1"]}]
    _jsonl(second / "records.jsonl", other)
    joined = load([first, second], use_cache=False)
    assert "b_holdco" not in joined.entities
    [entry] = joined.entities["gb_holdco"]["same_as"]
    assert entry["because"] == [{"identifier": {"scheme": "ky-reg", "id": "12345"}, "with": "gb_holdco"}]
    # within one folder, one identifier naming two entities stays an error
    shutil.copy(second / "records.jsonl", first / "more.jsonl")
    with pytest.raises(DataError) as caught:
        load(first, use_cache=False)
    assert any("identifier KY-REG-12345 also names" in p.message and "same_as" in p.hint for p in caught.value.problems)


def test_namesakes_of_curated_data_are_resolved_by_same_as(folders):
    curated, register = folders
    _jsonl(register / "records.jsonl", REGISTER[:1] + [
        {"record": "entity", "id": "gb_cayman", "name": "Cayman Islands", "type": "jurisdiction", "sources": ["reg s9"]}])
    with pytest.raises(DataError) as caught:
        load([curated, register], use_cache=False)
    [problem] = caught.value.problems
    assert "also used by 'cayman'" in problem.message and "same_as" in problem.hint
    (register / "same.yaml").write_text(
        "relations:\n  - {type: same_as, from: gb_cayman, to: cayman, sources: [{source: reg, locator: s9}]}\n",
        encoding="utf-8")
    assert "gb_cayman" not in load([curated, register], use_cache=False).entities


def test_two_registers_share_their_jurisdictions_by_iso_code(tmp_path):
    from conftest import BODS_EXAMPLES
    from ecosystem.importers.bods import import_bods

    import_bods(BODS_EXAMPLES / "joint-ownership.json", tmp_path / "a")
    import_bods(BODS_EXAMPLES / "plc-entity-statement.json", tmp_path / "b")
    joined = load([tmp_path / "a", tmp_path / "b"], use_cache=False)
    places = [e for e in joined.entities.values() if e["type"] == "jurisdiction"]
    assert [p["identifiers"] for p in places] == [[{"scheme": "ISO-3166", "id": "GB"}]]
    [entry] = places[0]["same_as"]
    assert entry["because"][0]["identifier"] == {"scheme": "ISO-3166", "id": "GB"}
    companies = [e for e in joined.entities.values() if e.get("jurisdiction")]
    assert companies and all(e["jurisdiction"] == places[0]["id"] for e in companies)


def test_a_view_naming_a_merged_id_is_told_the_id_kept(folders, invoke):
    curated, register = folders
    (register / "same.yaml").write_text(SAME, encoding="utf-8")
    (curated / "views.yaml").write_text("views:\n  holding:\n    title: Holding\n    include:\n      - {ids: [gb_holdco]}\n",
                                        encoding="utf-8")
    data = ["--data", curated, "--data", register]
    checked = invoke(*data, "validate")
    assert checked.exit_code == 1
    assert "gb_holdco" in checked.output and "name 'holdco'" in checked.output
    drawn = invoke(*data, "render", "holding", "-o", str(curated.parent / "holding.html"))
    assert drawn.exit_code == 1 and "name 'holdco'" in drawn.output
    assert "Traceback" not in drawn.output, drawn.output
