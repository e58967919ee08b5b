"""The 19 examples published with BODS 0.4: imported, validated, and asked who owns and controls what.

Each answer is compared with what the file itself declares at each of its statement dates, read here
straight from the JSON (the latest statement of each record at that date, its interests then in force):
the beneficial owners it declares, its direct holdings with exact shares (the legal owners), its
indirect holdings (the declared look-through interests), majorities of votes (control). Then the data
goes out as BODS (checked by libcovebods), comes back in, and every answer is the same.
"""

from __future__ import annotations

import json

import pytest

from conftest import BODS_EXAMPLES
from test_export_bods import libcove  # noqa: F401  (the fixture)

EXAMPLES = sorted(path.name for path in BODS_EXAMPLES.glob("*.json"))


def test_all_nineteen_examples_are_here():
    assert len(EXAMPLES) == 19


def _import(path, directory):
    from ecosystem.graph import build_graph
    from ecosystem.importers.bods import import_bods
    from ecosystem.loader import load

    import_bods(path, directory)
    dataset = load(directory, use_cache=False)  # raises DataError on any problem
    return dataset, build_graph(dataset)


def _day(text):
    return text[:10] if isinstance(text, str) else None


def _declared(statements, when):
    """What the file says holds at ``when``: beneficial owners, direct exact shares, indirect exact shares."""
    latest = {}
    for index, statement in enumerate(statements):
        if statement["recordType"] != "relationship" or (_day(statement.get("statementDate")) or "") > when:
            continue
        key = (_day(statement.get("statementDate")) or "", index)
        if statement["recordId"] not in latest or key >= latest[statement["recordId"]][0]:
            latest[statement["recordId"]] = (key, statement)
    owners, direct, indirect, majorities = set(), set(), set(), set()
    for record_id, (_, statement) in latest.items():
        if statement.get("recordStatus") == "closed":
            continue
        details = statement["recordDetails"]
        party = details["interestedParty"]
        party = party if isinstance(party, str) else f"{record_id}/interestedParty"
        subject = details["subject"]
        for interest in details.get("interests") or ():
            start, end = _day(interest.get("startDate")), _day(interest.get("endDate"))
            if (start and start > when) or (end and end <= when):
                continue
            if interest.get("beneficialOwnershipOrControl") is True:
                owners.add((party, subject))
            exact = (interest.get("share") or {}).get("exact")
            if interest.get("type") == "shareholding" and exact is not None:
                (indirect if interest.get("directOrIndirect") == "indirect" else direct).add((party, subject, exact))
            if interest.get("type") in ("shareholding", "votingRights") and interest.get("directOrIndirect") != "indirect":
                share = interest.get("share") or {}
                low = share.get("exact", share.get("minimum"))
                if (low is not None and low > 50) or share.get("exclusiveMinimum", -1) >= 50:
                    majorities.add((party, subject))
    return owners, direct, indirect, majorities


def _answers(graph, when):
    """Our answers at ``when`` for every entity, named by the register's record ids."""
    from ecosystem.control import analyse

    analysis = analyse(graph, when)
    record = {node: data.get("record_id", node) for node, data in graph.nodes(data=True)}
    owners, direct, indirect, controls, verdicts = set(), set(), set(), set(), {}
    for node in analysis.nodes:
        answer = analysis.controllers(node)
        interest = analysis.economic_interest(node)
        subject = record[node]
        verdicts[subject] = (answer["verdict"], frozenset((record[i["id"]], i["status"]) for i in answer["ultimate"]))
        owners |= {(record[i["id"]], subject) for i in answer["declared_beneficial_owners"]}
        direct |= {(record[i["id"]], subject, i["equity"]["value"]) for i in answer["legal_owners"]
                   if i["equity"] and "value" in i["equity"]}
        indirect |= {(record[i["id"]], subject, i["interest"]["low"]) for i in interest["declared_interests"]
                     if i.get("interest") and i["interest"]["low"] == i["interest"]["high"]}
        controls |= {(record[i["id"]], subject) for i in answer["direct"] if i["status"] == "controls"}
    return owners, direct, indirect, controls, verdicts


def _dates(statements):
    return sorted({_day(s["statementDate"]) for s in statements if s.get("statementDate")})


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_gives_what_it_declares(name, tmp_path):
    path = BODS_EXAMPLES / name
    statements = json.loads(path.read_text(encoding="utf-8"))
    _, graph = _import(path, tmp_path / "imported")
    for when in _dates(statements):
        owners, direct, indirect, majorities = _declared(statements, when)
        ours_owners, ours_direct, ours_indirect, ours_controls, verdicts = _answers(graph, when)
        # an entity founded after the date asked has no owners yet (multiple-tax-residencies: founded
        # 2019, declared in 2017)
        owners, direct, indirect, majorities = ({item for item in found if item[1] in verdicts}
                                                for found in (owners, direct, indirect, majorities))
        assert ours_owners == owners, when
        assert ours_direct == direct, when
        assert ours_indirect == indirect, when
        assert majorities <= ours_controls, when


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_goes_out_as_valid_bods_and_comes_back_the_same(name, tmp_path, libcove):  # noqa: F811
    from ecosystem.exporters.bods import write_bods

    path = BODS_EXAMPLES / name
    statements = json.loads(path.read_text(encoding="utf-8"))
    _, graph = _import(path, tmp_path / "first")
    write_bods(graph, tmp_path / "out.json")
    schema_errors, checks = libcove(tmp_path / "out.json")
    # the offline org-id list knows GB-COH and XI-LEI; a scheme the example itself uses is written back as is
    schemes = {i.get("scheme") for s in statements for i in s["recordDetails"].get("identifiers") or ()}
    checks = [c for c in checks if not (c["type"] == "entity_identifiers_not_known_scheme" and c["scheme"] in schemes)]
    assert schema_errors == [] and checks == []
    _, again = _import(tmp_path / "out.json", tmp_path / "second")
    for when in _dates(statements):
        assert _answers(again, when) == _answers(graph, when), when


def test_what_the_import_keeps(tmp_path):
    """Identifiers, record ids, components, unknown persons' reasons, indirect and beneficial flags."""
    dataset, graph = _import(BODS_EXAMPLES / "indirect-ownership.json", tmp_path / "a")
    company_b = next(e for e in dataset.entities.values() if e["name"] == "Company B")
    assert company_b["identifiers"] == [{"scheme": "GB-COH", "id": "XE1010"}] and company_b["component"] is True
    chain = next(r for r in dataset.relations.values() if r.get("indirect"))
    assert chain["beneficial"] is True and chain["type"] == "owns" and chain["record_id"] == "d8d75ccf40e4"
    assert set(chain["components"]) == {company_b["id"], "4cf2837bd01f", "05e81af035e4"}
    assert all(dataset.relations[c]["component"] for c in chain["components"] if c in dataset.relations)

    dataset, _ = _import(BODS_EXAMPLES / "levent.json", tmp_path / "b")
    anonymous = next(e for e in dataset.entities.values() if e["type"] == "anonymous_person")
    assert anonymous["unspecified_reason"] == "interestedPartyExemptFromDisclosure"
    assert "underage" in anonymous["description"]

    dataset, _ = _import(BODS_EXAMPLES / "nomination.json", tmp_path / "c")
    assert next(e for e in dataset.entities.values() if e["name"] == "Los Corazones de Plata")["type"] == "organization"


def test_the_interest_types_of_the_codelist_each_have_a_type_with_a_control_meaning():
    import csv

    from conftest import SCHEMAS
    from ecosystem.loader import load

    vocabulary = load(use_cache=False).vocabulary
    with open(SCHEMAS / "bods-0.4" / "codelists" / "interestType.csv", encoding="utf-8") as stream:
        codes = [row["code"] for row in csv.DictReader(stream)]
    assert len(codes) == 23
    defaults = {i: t for t in vocabulary.relation_types.values() if t.bods_default for i in t.bods}
    assert set(defaults) == set(codes)
    # what may confer control, and how certainly
    assert defaults["otherInfluenceOrControl"].control == "influence"
    assert defaults["shareholding"].control == "equity" and defaults["appointmentOfBoard"].control == "board"
    assert defaults["seniorManagingOfficial"].control == "none" and defaults["boardMember"].control == "none"
    assert defaults["controlByLegalFramework"].control == "statute"


def test_other_influence_is_at_most_may_control(tmp_path):
    from ecosystem.control import analyse

    _, graph = _import(BODS_EXAMPLES / "bods-package-fi-soe.json", tmp_path / "a")
    analysis = analyse(graph, "2022-02-14")
    ministry = next(n for n, d in graph.nodes(data=True) if d["name"] == "Valtiovarainministerio")
    state = next(n for n, d in graph.nodes(data=True) if d["name"] == "Suomen tasavalta")
    gasgrid = next(n for n, d in graph.nodes(data=True) if d["name"] == "Gasgrid Finland Oy")
    # the ministry holds shares and controls by votes like any holder; the state's influence over it is "may"
    assert analysis.status(ministry, gasgrid) == "controls"
    assert analysis.status(state, ministry) == "may control"


def test_commands_accept_a_record_id_and_search_finds_identifiers(tmp_path, invoke):
    from ecosystem.importers.bods import import_bods

    import_bods(BODS_EXAMPLES / "nomination.json", tmp_path / "n")
    result = invoke("--data", tmp_path / "n", "controllers", "104AB1984C", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["entity"]["name"] == "Los Corazones de Plata"
    assert [i["name"] for i in answer["declared_beneficial_owners"]] == ["Silvia Teixeira Perez"]
    import_bods(BODS_EXAMPLES / "indirect-ownership.json", tmp_path / "i")
    found = invoke("--data", tmp_path / "i", "search", "GB-COH-XE1010", "--json")
    assert found.exit_code == 0 and json.loads(found.output)[0]["name"] == "Company B"
    owners = invoke("--data", tmp_path / "i", "owners", "ad3f6c2fcc9e")
    assert owners.exit_code == 0 and "Person 1" in owners.output and "look-through" in owners.output
