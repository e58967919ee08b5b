"""``ecosystem import bods``: BODS 0.4 JSON into our records (JSON lines), checked by loading them with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES

REGISTER = FIXTURES / "export" / "register.bods.json"


def _load(directory):
    from ecosystem.loader import load

    return load(directory, use_cache=False)


def test_export_then_import_gives_the_same_entities_and_ownership(tmp_path, valid_graph):
    from ecosystem import dates
    from ecosystem.exporters.bods import write_bods
    from ecosystem.importers.bods import import_bods

    write_bods(valid_graph, tmp_path / "out.bods.json")
    import_bods(tmp_path / "out.bods.json", tmp_path / "imported")
    dataset = _load(tmp_path / "imported")
    vocabulary = valid_graph.graph["vocabulary"]

    expected = {node: (data["name"], data["type"]) for node, data in valid_graph.nodes(data=True)
                if vocabulary.entity_types[data["type"]].bods is not None}
    assert {eid: (e["name"], e["type"]) for eid, e in dataset.entities.items()} == expected
    assert dataset.entities["holdco"]["names"] == {"zh": "示例控股"}
    assert dataset.entities["holdco"]["jurisdiction"] == "cayman"

    def ownership(relations):
        return {rid: (r["from"], r["to"], r["type"], r.get("equity"),
                      dates.first_day(r["start"]) if r.get("start") else None)
                for rid, r in relations}

    ours = ownership((key, {"from": u, "to": v, **d}) for u, v, key, d in valid_graph.edges(keys=True, data=True)
                     if d["category"] in ("ownership", "control") and vocabulary.relation_types[d["type"]].bods)
    theirs = ownership((rid, r) for rid, r in dataset.relations.items())
    assert theirs == ours
    assert dataset.relations["investor__owns__holdco"]["equity"] == {"value": 25, "approximate": True}
    assert dataset.relations["public_float__owns__holdco"]["equity"] == {"min": 50, "max": 75}


def test_register_data_becomes_valid_records(tmp_path):
    from ecosystem.importers.bods import import_bods

    result = import_bods(REGISTER, tmp_path / "reg")
    dataset = _load(tmp_path / "reg")  # raises DataError on any problem
    by_name = {e["name"]: e for e in dataset.entities.values()}
    company = by_name["Register Holdings Ltd"]
    assert company["type"] == "company" and company["names"] == {"zh": "注册控股"} and company["aliases"] == ["RH"]
    assert company["start"] == "2001-05-17"
    assert by_name[dataset.entities[company["jurisdiction"]]["name"]]["type"] == "jurisdiction"
    assert by_name["Jane Smith"]["type"] == "person" and by_name["Jane Smith"]["aliases"] == ["J. Smith"]
    # a closed record is kept, and ends at the statement that closes it
    assert by_name["Gone Ltd"]["end"] == "2022-03-01" and by_name["Gone Ltd"]["record_id"] == "GB-COH-0002"
    assert result.skipped == {}
    relations = list(dataset.relations.values())
    owns = sorted((r for r in relations if r["from"] == by_name["Jane Smith"]["id"] and r["type"] == "owns"),
                  key=lambda r: r["as_of"])
    # every statement of rel-1 counts, in order: the first until the second, the second from its own date
    # (its interests' start is older than the statement before it)
    assert [r["record_id"] for r in owns] == ["rel-1", "rel-1"]
    assert owns[0]["equity"] == {"value": 10} and owns[0]["end"] == "2022-03-01" and "start" not in owns[0]
    assert owns[1]["equity"] == {"min": 25, "max": 50}
    # the register's "more than 50%" of votes keeps its strictness, so it controls
    assert owns[1]["votes"] == {"min": 50, "max": 75, "exclusive_min": True}
    assert owns[1]["start"] == "2022-03-01" and "end" not in owns[1]
    from ecosystem.control import ControlRules, status_of
    from ecosystem.graph import build_graph

    graph = build_graph(dataset)
    votes_only = ControlRules(count_board=False)  # she also appoints the board
    jane = by_name["Jane Smith"]["id"]
    assert status_of(graph, jane, company["id"], "2022-06-01", votes_only) == "controls"
    assert status_of(graph, jane, company["id"], "2021-06-01", votes_only) == "does not control"  # 10% then
    board = [r for r in relations if r["type"] == "appoints_board"]
    assert len(board) == 1 and board[0]["start"] == "2017-01-01"
    unknown = [e for e in dataset.entities.values() if e["type"] == "unknown_party"]
    assert len(unknown) == 1 and "Refused to say" in unknown[0]["name"]
    assert unknown[0]["unspecified_reason"] == "interestedPartyHasNotProvidedInformation"
    source = next(iter(dataset.sources.values()))
    assert source["kind"] == "dataset" and source["publisher"] == "A Register" and source["date"] == "2022-03-02"
    assert all(c["locator"].startswith("statement ") for e in dataset.entities.values() for c in e["sources"])


def test_import_command(tmp_path, invoke):
    result = invoke("import", "bods", REGISTER, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["records.jsonl"]
    lines = (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["record"] for line in lines} == {"source", "entity", "relation"}
    again = invoke("import", "bods", REGISTER, "-o", tmp_path / "out")
    assert again.exit_code == 1 and "--force" in again.output
    assert invoke("import", "bods", REGISTER, "-o", tmp_path / "out", "--force").exit_code == 0
    validated = invoke("--data", tmp_path / "out", "validate")
    assert validated.exit_code == 0, validated.output


@pytest.mark.parametrize("content, message", [
    ("not json at all", "not JSON"),
    ('{"statementType": "entityStatement"}', "BODS 0.1-0.3"),
    ("[1, 2]", "JSON array of BODS statements"),
])
def test_bad_files_are_clear_errors(tmp_path, invoke, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = invoke("import", "bods", path, "-o", tmp_path / "out")
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_interests_no_type_can_hold_are_counted_each_time(tmp_path):
    """A person holds nothing in a person: each such interest is counted as left out, in every
    statement (the mapping of one shape of interests is worked out once, the count is not)."""
    statements = [
        {"statementId": f"s{n}", "statementDate": "2020-01-01", "recordId": f"p{n}", "recordType": "person",
         "recordDetails": {"personType": "knownPerson", "names": [{"fullName": f"Person {n}"}]}} for n in (1, 2)]
    statements += [
        {"statementId": f"r{n}", "statementDate": "2020-01-01", "recordId": f"rel{n}", "recordType": "relationship",
         "recordDetails": {"subject": "p1", "interestedParty": "p2",
                           "interests": [{"type": "shareholding", "share": {"exact": 10}}, {"type": "boardMember"}]}}
        for n in range(3)]
    path = tmp_path / "people.jsonl"
    path.write_text("\n".join(json.dumps(s) for s in statements) + "\n", encoding="utf-8")
    from ecosystem.importers.bods import convert

    records, result = convert(path)
    assert result.skipped == {"interests no relation type can hold between their parties": 6}
    assert not [r for r in records if r["record"] == "relation"]


def test_the_bundled_data_through_bods_keeps_every_control_answer_at_every_date(tmp_path):
    """Export the bundled data as BODS, import it: at every date the data mentions, every entity that came
    back has the same verdict and ultimate controllers, except where a relation BODS cannot express (into
    a person, or of a type with no interest) can confer control on it."""
    from ecosystem.api import Ecosystem
    from ecosystem.control.rules import roles_of
    from ecosystem.importers.bods import import_bods

    ours = Ecosystem(use_cache=False)
    ours.export("bods", tmp_path / "out.json")
    import_bods(tmp_path / "out.json", tmp_path / "imported")
    theirs = Ecosystem(tmp_path / "imported", use_cache=False)
    assert theirs.validate().data["ok"]
    confers = roles_of(ours.graph()).confers_control
    left_out = {r["to"] for rid, r in ours.dataset.relations.items()
                if rid not in theirs.dataset.relations and confers(r["type"])}
    undated = [rid for rid, r in ours.dataset.relations.items()
               if rid in theirs.dataset.relations and not r.get("as_of") and not r.get("start")]
    assert undated  # what the round trip must keep in force at every date
    assert all("as_of" not in theirs.dataset.relations[rid] for rid in undated)
    days = sorted({r[key] for r in ours.dataset.relations.values() for key in ("start", "end", "as_of") if r.get(key)})
    compared, differ = 0, []
    for day in days:
        before, after = ours.analysis(day), theirs.analysis(day)
        for entity_id in sorted(theirs.dataset.entities):
            if entity_id not in ours.dataset.entities or entity_id in left_out:
                continue
            answers = [analysis.controllers(entity_id) for analysis in (before, after)]
            keys = [(a["verdict"], sorted(item["id"] for item in a["ultimate"])) for a in answers]
            compared += 1
            if keys[0] != keys[1]:
                differ.append((entity_id, day, *keys))
    assert compared > 3000 and differ == []


def test_joining_data_that_has_the_source_id_takes_the_next_unused_one(tmp_path):
    """--into data that already cites bods_register and bods_register_2: the file's source is
    bods_register_3, cited by every record, and the data's own sources are left as they are."""
    from types import SimpleNamespace

    from ecosystem.importers.bods import convert
    from ecosystem.loader import load

    path = tmp_path / "register.json"
    path.write_bytes(REGISTER.read_bytes())
    taken = {"bods_register": {}, "bods_register_2": {}}
    data = load(FIXTURES / "render", use_cache=False)
    existing = SimpleNamespace(entities=data.entities, relations=data.relations, sources=dict(taken),
                               vocabulary=data.vocabulary)
    records, _ = convert(path, existing=existing)
    assert [r["id"] for r in records if r["record"] == "source"] == ["bods_register_3"]
    assert existing.sources == taken
    cited = {source.split(" ")[0] for r in records if r["record"] != "source" for source in r.get("sources") or ()}
    assert cited == {"bods_register_3"}, cited
