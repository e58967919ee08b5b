"""FollowTheMoney export, checked against the followthemoney model."""

from __future__ import annotations

import json

import pytest

from fixtures.export.awkward import awkward_graph

followthemoney = pytest.importorskip("followthemoney")


def _read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("which", ["valid", "awkward", "bundled"])
def test_every_entity_survives_the_model(which, tmp_path, request):
    from followthemoney import model

    from ecosystem.exporters.ftm import write_ftm

    graph = {"valid": lambda: request.getfixturevalue("valid_graph"), "awkward": awkward_graph,
             "bundled": lambda: request.getfixturevalue("bundled_graph")}[which]()
    write_ftm(graph, tmp_path / "e.jsonl")
    entities = _read(tmp_path / "e.jsonl")
    assert entities
    by_id = {e["id"]: e for e in entities}
    assert len(by_id) == len(entities)
    for entity in entities:
        proxy = model.get_proxy(entity, cleaned=False)  # re-validates and normalises every value
        back = proxy.to_dict()
        assert back["schema"] == entity["schema"]
        assert back["properties"] == entity["properties"], entity["id"]  # nothing dropped or changed
        for name, values in entity["properties"].items():
            prop = proxy.schema.get(name)
            if prop.type.name == "entity":
                for value in values:
                    assert value in by_id, (entity["id"], name, value)
                    assert model.get(by_id[value]["schema"]).is_a(prop.range), (entity["id"], name)


def test_schemas_and_properties_come_from_the_vocabulary(tmp_path):
    from ecosystem.exporters.ftm import write_ftm

    graph = awkward_graph()
    result = write_ftm(graph, tmp_path / "e.jsonl")
    by_record = {}
    for entity in _read(tmp_path / "e.jsonl"):
        for record_id in entity["properties"].get("recordId", []):
            by_record[record_id] = entity
    by_id = {e["id"]: e for e in _read(tmp_path / "e.jsonl")}
    assert by_id["acme"]["schema"] == "Company" and by_id["regulator"]["schema"] == "PublicBody"
    zhang = next(e for e in by_id.values() if e["properties"].get("name") == ["张三"])
    assert zhang["schema"] == "Person" and zhang["id"].startswith("id-") and by_id["shop"]["schema"] == "Organization"
    assert by_id["acme"]["properties"]["jurisdiction"] == ["ky"]
    assert by_id["weird-id-with-space"]["properties"]["name"] == ["Weird <person>"]
    ownership = by_record["zhang_owns_acme"]
    assert ownership["schema"] == "Ownership"
    assert ownership["properties"]["owner"] == [zhang["id"]] and ownership["properties"]["asset"] == ["acme"]
    assert ownership["properties"]["percentage"] == ["33"] and ownership["properties"]["startDate"] == ["2014"]
    assert by_record["officer"]["schema"] == "Directorship"
    assert by_record["officer"]["properties"]["role"] == ["chair <& CEO>"]
    assert by_record["nominee"]["schema"] == "Representation"
    # the vocabulary maps fined to UnknownLink (FtM's Sanction names its authority only as text)
    assert by_record["fine"]["schema"] == "UnknownLink"
    assert by_record["fine"]["properties"]["subject"] == ["regulator"]
    assert result.skipped["entities of types without a FollowTheMoney schema"] == 1  # mystery
    assert (tmp_path / "e.jsonl").read_bytes() == (write_ftm(awkward_graph(), tmp_path / "f.jsonl")
                                                   and (tmp_path / "f.jsonl").read_bytes())


def test_the_round_trip_check_catches_what_the_model_drops():
    from followthemoney import model

    from ecosystem.errors import ExportError
    from ecosystem.exporters.ftm import _check_round_trip

    entity = {"id": "x", "schema": "Company", "properties": {"name": ["X"], "notAProperty": ["lost"]}}
    assert "notAProperty" not in model.get_proxy(entity, cleaned=False).to_dict()["properties"]  # the trap
    with pytest.raises(ExportError, match="notAProperty"):
        _check_round_trip(model, entity)
    with pytest.raises(ExportError, match="owner"):
        _check_round_trip(model, {"id": "o", "schema": "Ownership", "properties": {"owner": ["has_underscore"]}})
