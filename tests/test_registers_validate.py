"""Real registers validate: namesakes are normal, overlapping share figures are warnings, --strict counts them."""

from __future__ import annotations

import json

from conftest import BODS_EXAMPLES


def _write(directory, records):
    directory.mkdir()
    source = {"record": "source", "id": "reg", "kind": "dataset", "title": "A register"}
    lines = [json.dumps(item) for item in [source, *records]]
    (directory / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def _person(entity_id, name, **extra):
    return {"record": "entity", "id": entity_id, "name": name, "type": "person", "sources": ["reg"], **extra}


def test_two_people_with_one_name_are_not_an_error_but_one_identifier_for_two_is(tmp_path, invoke):
    namesakes = _write(tmp_path / "a", [
        _person("p1", "John Smith", record_id="P-1"),
        _person("p2", "John Smith", record_id="P-2"),
    ])
    result = invoke("--data", namesakes, "validate", "--strict")
    assert result.exit_code == 0, result.output
    clash = _write(tmp_path / "b", [
        _person("p1", "John Smith", identifiers=[{"scheme": "GB-COH", "id": "123"}]),
        _person("p2", "Jon Smith", identifiers=[{"scheme": "GB-COH", "id": "123"}]),
    ])
    result = invoke("--data", clash, "validate", "--json")
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    assert len(problems) == 1 and "GB-COH-123" in problems[0]["message"] and "'p1'" in problems[0]["message"]
    # curated data (no identifiers, no record ids) still refuses a name used twice
    curated = _write(tmp_path / "c", [_person("p1", "John Smith"), _person("p2", "John Smith")])
    assert invoke("--data", curated, "validate").exit_code == 1


def test_register_figures_adding_past_100_are_a_warning_and_strict_makes_it_an_error(tmp_path, invoke):
    from ecosystem.importers.bods import import_bods

    import_bods(BODS_EXAMPLES / "tecido.json", tmp_path / "t")  # two statements overlap by two days
    result = invoke("--data", tmp_path / "t", "validate", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["ok"] is True and len(document["warnings"]) == 1
    message = document["warnings"][0]["message"]
    assert "110%" in message and "033e84672b" in message and "018af6b3eb" in message  # both holders named
    text = invoke("--data", tmp_path / "t", "validate")
    assert text.exit_code == 0 and "warning:" in text.output and "1 warning" in text.output
    strict = invoke("--data", tmp_path / "t", "validate", "--strict", "--json")
    assert strict.exit_code == 1 and json.loads(strict.output)["ok"] is False
    assert invoke("--data", tmp_path / "t", "validate", "--strict").exit_code == 1


def test_bands_whose_minimums_pass_100_are_a_warning(tmp_path, invoke):
    company = {"record": "entity", "id": "co", "name": "Co", "type": "company", "sources": ["reg"]}
    records = [company, _person("a", "A"), _person("b", "B")]
    for holder in ("a", "b"):
        records.append({"record": "relation", "id": f"{holder}_owns", "type": "owns", "from": holder, "to": "co",
                        "equity": {"min": 60, "max": 75}, "sources": ["reg"]})
    result = invoke("--data", _write(tmp_path / "d", records), "validate", "--json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["warnings"]) == 1


def test_import_into_a_data_folder_joins_entities_by_identifier(tmp_path, invoke):
    from conftest import BODS_EXAMPLES

    folder = tmp_path / "data"
    assert invoke("import", "bods", BODS_EXAMPLES / "bods-package.json", "-o", folder).exit_code == 0
    # a second register names the same company (same scheme and id) under another record id, with a new owner
    second = [
        {"statementId": "s1", "statementDate": "2023-01-01", "recordId": "other-co", "recordType": "entity",
         "recordStatus": "new", "recordDetails": {"isComponent": False, "entityType": {"type": "registeredEntity"},
                                                  "name": "PROFITECH LIMITED",
                                                  "identifiers": [{"scheme": "GB-COH", "id": "2063384560"}]}},
        {"statementId": "s2", "statementDate": "2023-01-01", "recordId": "holder", "recordType": "entity",
         "recordStatus": "new", "recordDetails": {"isComponent": False, "entityType": {"type": "registeredEntity"},
                                                  "name": "Holder Ltd"}},
        {"statementId": "s3", "statementDate": "2023-01-01", "recordId": "holding", "recordType": "relationship",
         "recordStatus": "new", "recordDetails": {"isComponent": False, "subject": "other-co", "interestedParty": "holder",
                                                  "interests": [{"type": "shareholding", "directOrIndirect": "direct",
                                                                 "share": {"exact": 10}}]}},
    ]
    path = tmp_path / "second.json"
    path.write_text(json.dumps(second), encoding="utf-8")
    result = invoke("import", "bods", path, "--into", folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["records.jsonl", "second.jsonl"]
    assert invoke("--data", folder, "validate").exit_code == 0  # no identifier names two entities
    owners = json.loads(invoke("--data", folder, "owners", "c359f58d2977", "--json").output)
    assert "holder" in {item["id"] for item in owners["legal_owners"]}
    assert invoke("import", "bods", path, "--into", folder).exit_code == 1  # imported already
    assert invoke("import", "bods", path, "--into", folder, "--force").exit_code == 0
    assert invoke("import", "bods", path, "-o", tmp_path / "x", "--into", folder).exit_code == 2
