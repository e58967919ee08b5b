"""FollowTheMoney in and out: ``ecosystem import ftm`` on a small register, and the export through ``ftm validate``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

pytest.importorskip("followthemoney")
REGISTER = FIXTURES / "ftm" / "register.ftm.jsonl"


def _read(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_an_ftm_register_is_imported_validated_and_queried(tmp_path, invoke):
    from ecosystem.control import analyse
    from ecosystem.graph import build_graph
    from ecosystem.importers.ftm import import_ftm
    from ecosystem.loader import load

    result = import_ftm(REGISTER, tmp_path / "reg")
    assert (result.entities, result.relations) == (6, 7)  # five things and one jurisdiction; every link
    dataset = load(tmp_path / "reg", use_cache=False)
    entities = {e["record_id"]: e for e in dataset.entities.values() if "record_id" in e}
    relations = {r["record_id"]: r for r in dataset.relations.values()}
    holdings = entities["nw-holdings"]
    assert holdings["type"] == "company" and holdings["aliases"] == ["Northwind"] and holdings["start"] == "2009-03-02"
    assert holdings["identifiers"] == [{"id": "01234567", "name": "registrationNumber"}]
    assert entities["nw-trading"]["identifiers"] == [{"id": "5493001KJTIIGC8Y1R12", "scheme": "XI-LEI"}]
    assert dataset.entities[holdings["jurisdiction"]]["name"] == "United Kingdom"
    assert entities["registry"]["type"] == "state_body" and entities["p-ada"]["start"] == "1970-05"
    assert relations["own-ada"]["type"] == "owns" and relations["own-ada"]["equity"] == {"value": 60}
    assert relations["own-ben"]["equity"] == {"value": 40} and relations["own-ben"]["end"] == "2020-06-30"
    assert relations["dir-ben"]["type"] == "officer_of" and relations["dir-ben"]["role"] == "director"
    assert relations["fam-ada-ben"]["type"] == "family_of"
    # a link of no type of ours, and a membership of a company (the vocabulary has members of organisations only)
    assert relations["link-registry"]["type"] == "linked_to" and relations["link-registry"]["as_of"] == "2021-04-01"
    assert relations["mem-ada"]["type"] == "linked_to" and "board" in relations["mem-ada"]["note"]

    graph = build_graph(dataset)
    analysis = analyse(graph, "2021-01-01")
    answer = analysis.controllers(entities["nw-trading"]["id"])
    assert [(item["id"], item["status"]) for item in answer["ultimate"]] == [(entities["p-ada"]["id"], "controls")]
    # commands take the FtM id, and search finds a registration number
    shown = invoke("--data", tmp_path / "reg", "controllers", "nw-trading", "--as-of", "2021", "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["ultimate"][0]["name"] == "Ada Example"
    found = invoke("--data", tmp_path / "reg", "search", "01234567", "--json")
    assert json.loads(found.output)[0]["name"] == "Northwind Holdings Ltd"


def test_the_import_command_writes_json_lines_and_refuses_to_overwrite(tmp_path, invoke):
    result = invoke("import", "ftm", REGISTER, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["records.jsonl"]
    assert invoke("import", "ftm", REGISTER, "-o", tmp_path / "out").exit_code == 1
    assert invoke("--data", tmp_path / "out", "validate").exit_code == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "schema": "Company", "properties": {}}\nnot json\n', encoding="utf-8")
    failed = invoke("import", "ftm", bad, "-o", tmp_path / "bad")
    assert failed.exit_code == 1 and "line 2" in failed.output and "Traceback" not in failed.output


def _ftm_validate(path, out):
    ftm = Path(sys.executable).with_name("ftm")
    command = [str(ftm)] if ftm.exists() else [sys.executable, "-m", "followthemoney.cli"]
    subprocess.run(command + ["validate", "-i", str(path), "-o", str(out)], check=True, capture_output=True)
    return _read(out)


@pytest.mark.parametrize("which", ["register", "bundled"])
def test_the_export_goes_through_ftm_validate_unchanged(which, tmp_path, request):
    from ecosystem.exporters.ftm import write_ftm
    from ecosystem.graph import build_graph
    from ecosystem.importers.ftm import import_ftm
    from ecosystem.loader import load

    if which == "bundled":
        graph = request.getfixturevalue("bundled_graph")
    else:
        import_ftm(REGISTER, tmp_path / "reg")
        graph = build_graph(load(tmp_path / "reg", use_cache=False))
    write_ftm(graph, tmp_path / "e.jsonl")
    given = _read(tmp_path / "e.jsonl")
    back = _ftm_validate(tmp_path / "e.jsonl", tmp_path / "v.jsonl")

    def normal(entities):
        return sorted(json.dumps({"id": e["id"], "schema": e["schema"],
                                  "properties": {k: sorted(v) for k, v in e["properties"].items()}}, sort_keys=True)
                      for e in entities)

    assert normal(back) == normal(given)


def test_percentages_are_numbers_and_control_is_not_ownership(tmp_path, bundled_graph):
    from ecosystem.exporters.ftm import write_ftm

    write_ftm(bundled_graph, tmp_path / "e.jsonl")
    vocabulary = bundled_graph.graph["vocabulary"]
    by_record = {e["properties"]["recordId"][0]: e for e in _read(tmp_path / "e.jsonl") if "recordId" in e["properties"]}
    assert by_record
    for u, v, key, data in bundled_graph.edges(keys=True, data=True):
        entity = by_record.get(key)
        if entity is None:
            continue
        for text in entity["properties"].get("percentage", ()):
            float(text)  # a number, never "~20" or "0-100"
        kind = vocabulary.relation_types[data["type"]].control
        if kind not in ("equity", "none") and entity["schema"] == "Ownership":
            pytest.fail(f"{key}: {data['type']} (control by {kind}) exported as Ownership")
    ranged = [(key, data) for u, v, key, data in bundled_graph.edges(keys=True, data=True)
              if data["type"] == "owns" and data.get("equity") and "value" not in data["equity"] and key in by_record]
    assert ranged
    for key, data in ranged:  # the certain low end as the number, the range in the description
        properties = by_record[key]["properties"]
        assert float(properties["percentage"][0]) == (data["equity"].get("min") or 0)
        assert any(text.startswith("share ") for text in properties["description"])


def test_a_round_trip_through_ftm_keeps_types_shares_and_dates(tmp_path, valid_graph):
    from ecosystem.exporters.ftm import write_ftm
    from ecosystem.importers.ftm import import_ftm
    from ecosystem.loader import load

    write_ftm(valid_graph, tmp_path / "e.jsonl")
    import_ftm(tmp_path / "e.jsonl", tmp_path / "back")
    dataset = load(tmp_path / "back", use_cache=False)
    vocabulary = valid_graph.graph["vocabulary"]
    theirs = {r["record_id"]: r for r in dataset.relations.values()}
    for u, v, key, data in valid_graph.edges(keys=True, data=True):
        if key not in theirs:
            continue
        back = theirs[key]
        assert back["type"] == data["type"], key
        if vocabulary.relation_types[data["type"]].shares and data.get("equity"):
            assert back["equity"] == data["equity"], key
        assert back.get("start") == data.get("start") and back.get("end") == data.get("end"), key


def test_our_own_export_comes_back_whole_debts_and_successions_included(tmp_path, bundled_graph):
    """The bundled export writes the VIE loans as Debt and the SAIC's merger into the SAMR as Succession;
    the import left all eight out ('no type of ours')."""
    from ecosystem.exporters.ftm import write_ftm
    from ecosystem.importers.ftm import import_ftm

    write_ftm(bundled_graph, tmp_path / "e.jsonl")
    written = _read(tmp_path / "e.jsonl")
    result = import_ftm(tmp_path / "e.jsonl", tmp_path / "back")
    assert not [reason for reason in result.skipped if "no type of ours" in reason], result.skipped
    back = {r["record_id"]: r for r in _read(tmp_path / "back" / "records.jsonl") if r["record"] == "relation"}
    debts = [e for e in written if e["schema"] == "Debt"]
    assert debts and all(back[e["id"]]["type"] == "lends_to" for e in debts)
    loan = back["relation-taobao-china-software-loan-to-hangzhou-zhenxi"]
    assert (loan["from"], loan["to"]) == ("taobao_china_software", "hangzhou_zhenxi")
    assert loan["amount"] == {"value": 65032517.0, "currency": "CNY"}
    merger = back["relation-saic-merged-into-samr"]
    assert (merger["type"], merger["from"], merger["to"], merger["start"]) == ("merged_into", "saic", "samr", "2018")


def test_a_look_through_figure_says_so_and_comes_back_indirect(tmp_path, bundled_graph):
    """Jack Ma's ~10% of Ant is his interest through the partnerships (Reuters): in FtM it was a plain
    Ownership of Ant, as if on its register, and came back as a direct holding."""
    from ecosystem.exporters.ftm import write_ftm
    from ecosystem.importers.ftm import import_ftm

    write_ftm(bundled_graph, tmp_path / "e.jsonl")
    [ma] = [e for e in _read(tmp_path / "e.jsonl") if e["id"] == "relation-jack-ma-owns-ant-group-indirect-2020"]
    assert "indirect (look-through, not on the register)" in ma["properties"]["description"]
    import_ftm(tmp_path / "e.jsonl", tmp_path / "back")
    back = {r["record_id"]: r for r in _read(tmp_path / "back" / "records.jsonl") if r["record"] == "relation"}
    assert back[ma["id"]]["indirect"] is True and "look-through, not on the register)" not in back[ma["id"]]["note"]
    assert "indirect" not in back["relation-hangzhou-junhan-owns-ant-group-2023"]
