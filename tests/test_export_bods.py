"""BODS 0.4 export, checked by jsonschema against the shared schemas and by libcovebods."""

from __future__ import annotations

import copy
import json

import pytest

from conftest import SCHEMAS as SHARED_SCHEMAS

from conftest import ROOT, need
from fixtures.export.awkward import awkward_graph

SCHEMAS = SHARED_SCHEMAS / "bods-0.4"


@pytest.fixture(scope="module")
def validator():
    import jsonschema
    from referencing import Registry, Resource

    need((SCHEMAS / "statement.json").is_file(), f"the BODS schemas in {SCHEMAS}",
         "the schemas live in ../shared/schemas beside the repository")
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(SCHEMAS.glob("*.json"))
                 if path.name != "codelist-schema.json"]
    registry = Registry().with_resources([(d["$id"], Resource.from_contents(d)) for d in documents])
    statement = json.loads((SCHEMAS / "statement.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(statement, registry=registry,
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture
def libcove(monkeypatch):
    """libcovebods' checks, offline: its org-id list download replaced by a fixed list."""
    pytest.importorskip("libcovebods")
    import libcovebods.config
    import libcovebods.data_reader
    import libcovebods.jsonschemavalidate
    import libcovebods.run_tasks
    import libcovebods.schema
    import libcovebods.tasks.checks.legacy_checks as legacy_checks
    import libcovebods.tasks.checks.record_based_checks as record_based_checks

    for module in (legacy_checks, record_based_checks):
        monkeypatch.setattr(module, "get_orgids_prefixes", lambda *args, **kwargs: ["GB-COH", "XI-LEI"])

    def check(path):
        reader = libcovebods.data_reader.DataReader(str(path))
        config = libcovebods.config.LibCoveBODSConfig()
        schema = libcovebods.schema.SchemaBODS(reader, config)
        assert schema.schema_version == "0.4"
        errors = [error.json() for error in libcovebods.jsonschemavalidate.JSONSchemaValidator(schema).validate(reader)]
        checks = libcovebods.run_tasks.process_additional_checks(reader, config, schema)["additional_checks"]
        return errors, checks

    return check


def _export(graph, path):
    from ecosystem.exporters.bods import write_bods

    result = write_bods(graph, path)
    return result, json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("which", ["valid", "awkward", "bundled"])
def test_bods_is_valid_under_jsonschema_and_libcovebods(which, tmp_path, validator, libcove, request):
    graph = {"valid": lambda: request.getfixturevalue("valid_graph"), "awkward": awkward_graph,
             "bundled": lambda: request.getfixturevalue("bundled_graph")}[which]()
    path = tmp_path / "bods.json"
    _, statements = _export(graph, path)
    assert statements
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(statements)]
    assert errors == []
    schema_errors, checks = libcove(path)
    assert schema_errors == [] and checks == []


def test_the_validators_do_catch_broken_statements(tmp_path, validator, libcove):
    _, statements = _export(awkward_graph(), tmp_path / "bods.json")
    broken = copy.deepcopy(statements)
    relationship = next(s for s in broken if s["recordType"] == "relationship")
    relationship["recordDetails"]["interests"][0]["type"] = "ownsALot"
    person = next(s for s in broken if s["recordType"] == "person")
    relationship["recordDetails"]["subject"] = person["recordId"]
    assert list(validator.iter_errors(broken))
    (tmp_path / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
    schema_errors, checks = libcove(tmp_path / "broken.json")
    assert schema_errors and any(c["type"] == "subject_can_only_refer_to_entity" for c in checks)


def test_interests_shares_dates_and_sources_come_from_the_data(tmp_path):
    graph = awkward_graph()
    vocabulary = graph.graph["vocabulary"]
    result, statements = _export(graph, tmp_path / "bods.json")
    relationships = {s["recordId"]: s["recordDetails"] for s in statements if s["recordType"] == "relationship"}
    for u, v, key, data in graph.edges(keys=True, data=True):
        if key in relationships:
            assert [i["type"] for i in relationships[key]["interests"]] == list(vocabulary.relation_types[data["type"]].bods)
            assert (relationships[key]["interestedParty"], relationships[key]["subject"]) == (u, v)
    owns = {i["type"]: i for i in relationships["zhang_owns_acme"]["interests"]}
    assert owns["shareholding"]["share"] == {"exact": 33}
    assert owns["votingRights"]["share"] == {"minimum": 20, "maximum": 30}
    assert (owns["shareholding"]["startDate"], owns["shareholding"]["endDate"]) == ("2014-01-01", "2016-09-01")
    later = relationships["zhang_owns_acme_later"]["interests"][0]
    assert later["share"] == {"exact": 25} and "approximate" in later["details"]
    assert relationships["anon_owns_acme"]["interests"][0]["share"] == {"minimum": 50}
    assert relationships["rel with space"]["interests"][0]["type"] == "otherInfluenceOrControl"
    # what BODS cannot hold is left out and counted
    inexpressible = sum(1 for *_, d in graph.edges(keys=True, data=True)
                        if not (vocabulary.relation_types.get(d["type"]) and vocabulary.relation_types[d["type"]].bods))
    assert result.skipped["relations BODS cannot express"] == inexpressible == 4
    assert result.skipped["relations whose subject is a person"] == 1  # a nominee holding for a person
    assert "fine" not in relationships and "nominee" not in relationships
    entities = {s["recordId"]: s for s in statements if s["recordType"] != "relationship"}
    assert entities["regulator"]["recordDetails"]["entityType"] == {"type": "stateBody", "subtype": "stateAgency",
                                                                     "details": "State body or regulator"}
    assert entities["acme"]["recordDetails"]["jurisdiction"] == {"name": "Cayman Islands"}
    assert entities["acme"]["recordDetails"]["foundingDate"] == "2001-02-03"
    assert "shop" not in entities and "mystery" not in entities
    # statement dates from the cited sources, never today
    assert entities["acme"]["statementDate"] == "2023-01-01"  # latest of case (2023) and web (2021-05)
    assert {s["publicationDetails"]["publicationDate"] for s in statements} == {"2023-01-01"}
    assert "Au Thor" in json.dumps(entities["acme"]["source"], ensure_ascii=False)
    assert entities["acme"]["source"]["url"] == "https://example.org/a?b=1&c=2"


def test_bods_is_byte_stable_with_deterministic_ids(tmp_path):
    _, first = _export(awkward_graph(), tmp_path / "a.json")
    _, second = _export(awkward_graph(), tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    ids = [s["statementId"] for s in first]
    assert len(set(ids)) == len(ids)
    changed = awkward_graph()
    changed.nodes["acme"]["name"] = "Renamed"
    _, third = _export(changed, tmp_path / "c.json")
    before = {s["recordId"]: s["statementId"] for s in first}
    after = {s["recordId"]: s["statementId"] for s in third}
    assert before["acme"] != after["acme"] and before["cayman"] == after["cayman"]


def test_a_look_through_economic_interest_claims_no_voting_rights(bundled_graph, tmp_path):
    """Jack Ma's ~10% of Ant is his economic interest through the partnerships (Reuters); before 2023
    he directed about 53% of the votes. The export wrote it as ~10% of the voting rights too."""
    _, statements = _export(bundled_graph, tmp_path / "bods.json")
    relationships = {s["recordId"]: s["recordDetails"] for s in statements if s["recordType"] == "relationship"}
    indirect = relationships["jack_ma_owns_ant_group_indirect_2020"]["interests"]
    assert [(i["type"], i["directOrIndirect"]) for i in indirect] == [("shareholding", "indirect")]
    direct = relationships["hangzhou_junhan_owns_ant_group_2023"]["interests"]
    assert [i["type"] for i in direct] == ["shareholding", "votingRights"]  # a holding's votes follow its equity
