"""The core commands through the CLI, checked against the library and the fixture's known facts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def run_json(invoke, *args):
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_version(invoke):
    from ecosystem import __version__

    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"ecosystem {__version__}"


def test_validate_ok(invoke, valid_dir):
    result = invoke("--data", valid_dir, "validate")
    assert result.exit_code == 0, result.output
    assert "12 entities, 10 relations, 2 sources" in result.stdout
    document = run_json(invoke, "--data", valid_dir, "validate")
    assert document["ok"] is True and document["problems"] == []


def test_validate_reports_problems_and_exits_1(invoke, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    shutil.copy(FIXTURES / "invalid" / "unknown_entity.yaml", folder)
    shutil.copy(FIXTURES / "invalid" / "unknown_key.yaml", folder)
    result = invoke("--data", folder, "validate")
    assert result.exit_code == 1
    assert "2 problems" in result.stderr
    assert "unknown_entity.yaml:4: [investor__owns__holdko] `to` names unknown entity 'holdko'" in result.stderr
    assert "did you mean 'holdco'?" in result.stderr
    assert "Traceback" not in result.output
    result = invoke("--data", folder, "validate", "--json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert {(p["file"], p["line"], p["id"]) for p in document["problems"]} == {
        ("unknown_entity.yaml", 4, "investor__owns__holdko"),
        ("unknown_key.yaml", 5, "typo_firm"),
    }
    assert all({"file", "line", "id", "message", "hint"} <= set(p) for p in document["problems"])


def test_every_query_fails_cleanly_on_bad_data(invoke, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    shutil.copy(FIXTURES / "invalid" / "malformed_yaml.yaml", folder)
    for command in (["stats"], ["show", "holdco"], ["search", "x"], ["timeline"]):
        result = invoke("--data", folder, *command)
        assert result.exit_code == 1, command
        assert "malformed_yaml.yaml:4" in result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_missing_data_folder(invoke, tmp_path):
    result = invoke("--data", tmp_path / "nope", "stats")
    assert result.exit_code == 1
    assert "no such folder" in result.stderr


@pytest.mark.parametrize("text, expected", [
    ("Example Holding", "holdco"),
    ("example holding limited", "holdco"),
    ("示例控股", "holdco"),
    ("shili konggu", "holdco"),
    ("ShiliKonggu", "holdco"),
    ("why not spend", "shop"),
    ("浙江示例", "vie"),
    ("Zhéjiāng", "vie"),
    ("regulatr", "regulator"),
    ("zhejiang shili wangluo", "vie"),  # pinyin derived from the Chinese name
])
def test_search_finds_by_any_name(invoke, valid_dir, text, expected):
    hits = run_json(invoke, "--data", valid_dir, "search", text)
    assert hits and hits[0]["id"] == expected, hits
    assert {"id", "name", "type"} <= set(hits[0])


def test_search_ranks_exact_before_partial(invoke, valid_dir):
    hits = run_json(invoke, "--data", valid_dir, "search", "example")
    ids = [hit["id"] for hit in hits]
    assert ids[0] == "holdco"  # exact alias "Example"
    assert set(ids) >= {"holdco", "shop", "wfoe", "vie"}


def test_search_without_hits_exits_1_with_suggestion(invoke, valid_dir):
    result = invoke("--data", valid_dir, "search", "qqqqzzzz")
    assert result.exit_code == 1
    assert "no entity matches" in result.stdout


def test_show_entity_with_relations_both_ways(invoke, valid_dir):
    document = run_json(invoke, "--data", valid_dir, "show", "holdco")
    assert document["id"] == "holdco" and document["type"] == "company"
    assert document["names"] == {"zh": "示例控股"}
    outgoing = {(edge["type"], edge["to"]) for edge in document["outgoing"]}
    incoming = {(edge["type"], edge["from"]) for edge in document["incoming"]}
    assert outgoing == {("owns", "wfoe"), ("incorporated_in", "cayman")}
    assert incoming == {("owns", "investor"), ("owns", "public_float"), ("regulates", "regulator"), ("fined", "regulator")}
    fine = next(edge for edge in document["incoming"] if edge["type"] == "fined")
    assert fine["amount"] == {"value": 18.228, "unit": "billion", "currency": "CNY"}
    assert fine["sources"] == [{"source": "case", "locator": "§3.5, n 54"}]


def test_show_text_names_relations_in_words(invoke, valid_dir):
    result = invoke("--data", valid_dir, "show", "vie")
    assert result.exit_code == 0
    assert "is controlled by contract by" in result.stdout
    assert "Citizen A" in result.stdout and "50% equity" in result.stdout


def test_show_as_of_hides_later_relations(invoke, valid_dir):
    before = run_json(invoke, "--data", valid_dir, "show", "holdco", "--as-of", "2010")
    assert ("owns", "public_float") not in {(e["type"], e["from"]) for e in before["incoming"]}
    after = run_json(invoke, "--data", valid_dir, "show", "holdco", "--as-of", "2015")
    assert ("owns", "public_float") in {(e["type"], e["from"]) for e in after["incoming"]}


def test_unknown_id_suggests_close_ids(invoke, valid_dir):
    result = invoke("--data", valid_dir, "show", "holdcoo")
    assert result.exit_code == 1
    assert "No entity with id 'holdcoo'" in result.stderr and "holdco" in result.stderr


def test_bad_as_of_date_is_a_usage_error_not_a_traceback(invoke, valid_dir):
    result = invoke("--data", valid_dir, "show", "holdco", "--as-of", "2020-13")
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


def test_bad_usage_exits_2(invoke):
    assert invoke("show").exit_code == 2
    assert invoke("no-such-command").exit_code == 2


def test_path_json_contract(invoke, valid_dir):
    paths = run_json(invoke, "--data", valid_dir, "path", "investor", "shop")
    assert len(paths) == 1
    chain = paths[0]
    assert [(e["from"], e["type"], e["to"]) for e in chain] == [
        ("investor", "owns", "holdco"),
        ("holdco", "owns", "wfoe"),
        ("wfoe", "controls_by_contract", "vie"),
        ("vie", "operates", "shop"),
    ]
    assert all(edge["sources"] for edge in chain)


def test_path_restricted_to_types_and_direction(invoke, valid_dir):
    assert run_json(invoke, "--data", valid_dir, "path", "investor", "vie", "--type", "owns") == []
    undirected = run_json(invoke, "--data", valid_dir, "path", "citizen_a", "citizen_b", "--type", "owns")
    assert [[e["from"] for e in chain] for chain in undirected] == [["citizen_a", "citizen_b"]]
    assert run_json(invoke, "--data", valid_dir, "path", "citizen_a", "citizen_b", "--directed") == []


def test_path_unknown_type_is_an_error(invoke, valid_dir):
    result = invoke("--data", valid_dir, "path", "investor", "vie", "--type", "own")
    assert result.exit_code == 1 and "Did you mean: owns?" in result.stderr


def test_neighbours_depth_and_direction(invoke, valid_dir):
    one = run_json(invoke, "--data", valid_dir, "neighbours", "wfoe")
    assert {n["id"] for n in one["neighbours"]} == {"holdco", "vie"}
    two = run_json(invoke, "--data", valid_dir, "neighbours", "wfoe", "--depth", "2", "--direction", "out")
    assert {n["id"]: n["distance"] for n in two["neighbours"]} == {"vie": 1, "shop": 2}
    up = run_json(invoke, "--data", valid_dir, "neighbours", "wfoe", "--depth", "3", "--direction", "in", "--type", "owns")
    assert {n["id"] for n in up["neighbours"]} == {"holdco", "investor", "public_float"}


def test_timeline_in_date_order(invoke, valid_dir):
    items = run_json(invoke, "--data", valid_dir, "timeline")
    assert [item["date"] for item in items] == ["1999-06", "2000", "2014-09-19", "2021-03-31", "2021-04-10"]
    only = run_json(invoke, "--data", valid_dir, "timeline", "regulator")
    assert [item["date"] for item in only] == ["2021-04-10"]
    since = run_json(invoke, "--data", valid_dir, "timeline", "--since", "2014", "--until", "2020")
    assert [item["date"] for item in since] == ["2014-09-19"]


def test_stats_counts(invoke, valid_dir):
    document = run_json(invoke, "--data", valid_dir, "stats")
    assert document["entities"] == 12 and document["relations"] == 10
    assert document["entity_types"]["company"] == 4
    assert document["relation_types"]["owns"] == 5
    assert document["categories"]["ownership"] == 5
    assert document["cited_relations"] == 10 and document["inferred_relations"] == 1
    assert document["isolated_entities"] == ["competition_law", "prc"]  # `law:` is an attribute, not an edge


def test_every_command_is_documented():
    from typer.main import get_command

    from ecosystem.cli import app

    command = get_command(app)
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for name, sub in command.commands.items():
        assert sub.help, f"command {name} has no help text"
        assert f"ecosystem {name}" in readme, f"README does not show `ecosystem {name}`"


def test_importing_the_package_does_no_work():
    code = (
        "import sys, builtins\n"
        "opened = []\n"
        "real = builtins.open\n"
        "builtins.open = lambda *a, **k: (opened.append(a[0]), real(*a, **k))[1]\n"
        "import ecosystem, ecosystem.cli\n"
        "print(sorted(m for m in ('networkx', 'pydantic', 'scipy', 'pyvis') if m in sys.modules), opened)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).parent.parent)
    assert result.stdout.strip() == "[] []"


def test_diff_between_two_dates(invoke, valid_dir):
    document = run_json(invoke, "--data", valid_dir, "diff", "--from", "2010", "--to", "2022")
    assert (document["from"], document["to"]) == ("2010", "2022")
    assert {(e["from"], e["type"], e["to"]) for e in document["relations_added"]} == {
        ("public_float", "owns", "holdco"), ("regulator", "fined", "holdco")}
    assert document["relations_removed"] == []
    back = run_json(invoke, "--data", valid_dir, "diff", "--from", "2022", "--to", "2010")
    assert {e["id"] for e in back["relations_removed"]} == {e["id"] for e in document["relations_added"]}
    early = run_json(invoke, "--data", valid_dir, "diff", "--from", "1999", "--to", "2000")
    assert [e["id"] for e in early["entities_added"]] == ["holdco"]


def test_timeline_says_which_stake_ended(invoke, monkeypatch):
    """Lazada's stakes (case §3.3, n 29): the day the 51% ends and 83% is observed, the text must not
    read as if a 51% stake were taken that day."""
    monkeypatch.setenv("COLUMNS", "300")
    items = run_json(invoke, "timeline", "lazada")
    ended = [item for item in items if item["kind"] == "relation ended" and item["relation"]["type"] == "owns"]
    assert [(item["date"], item["text"]) for item in ended] == [
        ("2017-06-28", "Alibaba Group Holding Limited owns shares in Lazada (51% equity): ended"),
        ("2018", "Alibaba Group Holding Limited owns shares in Lazada (83% equity): ended")]
    began = [item["text"] for item in items if item["kind"] != "relation ended"]
    assert not any(text.endswith(": ended") for text in began)
    printed = " ".join(invoke("timeline", "lazada").stdout.split())
    assert "2017-06-28 │ Alibaba Group Holding Limited owns shares in Lazada (51% equity): ended" in printed


def test_show_marks_a_look_through_interest_and_when_an_observed_stake_ended(invoke, monkeypatch):
    """Ma's ~10% of Ant is his interest through the partnerships (Reuters), not a holding on Ant's
    register; the partnerships' 2020 stakes were observed in August 2020 and ended in January 2023."""
    monkeypatch.setenv("COLUMNS", "300")
    printed = " ".join(invoke("show", "ant_group", "--as-of", "2021").stdout.split())
    assert "Jack Ma (jack_ma) │ ~10% equity; indirect (look-through, not on the register) │ as of 2020-08-25" in printed
    assert "29.86% equity │ as of 2020-08-25 – 2023-01-07" in printed


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["index", "no cache"])
def test_unknown_id_suggests_the_entity_of_that_name_first(invoke, cache):
    """'alibaba' is no id, but it is Alibaba Group Holding's alias: the suggestion an analyst needs
    comes first, before ids spelt alike (alibaba_com, alibaba_1688)."""
    result = invoke(*cache, "show", "alibaba")
    assert result.exit_code == 1
    assert "Did you mean: alibaba_group_holding," in " ".join(result.stderr.split())


@pytest.mark.parametrize("entity", [[], ["lazada"]], ids=["all", "one entity"])
def test_timeline_with_its_dates_swapped_says_so(invoke, entity):
    """--since 2021 --until 2020 printed an empty table and exit 0, as if nothing had happened."""
    result = invoke("timeline", *entity, "--since", "2021", "--until", "2020")
    assert result.exit_code == 1
    assert "swap the two dates" in " ".join(result.stderr.split())
    assert invoke("timeline", *entity, "--since", "2018", "--until", "2018").exit_code == 0


def test_show_gives_a_figure_its_currency_and_writes_whole_numbers_out(invoke, monkeypatch):
    """MyBank's SME loans are RMB 400 billion (case §3.4, n 37), the 2000 round raised US$25 million
    (§3.1, n 4): show printed both as bare numbers, and 989 million internet users as 9.89e+08."""
    monkeypatch.setenv("COLUMNS", "300")
    assert "sme_loan_balance: CNY 400 billion (2020-06)" in invoke("show", "mybank").stdout
    assert "amount_raised: USD 25 million (2000)" in invoke("show", "alibaba_2000_funding_round").stdout
    assert "internet_users: 989,000,000 people (2020)" in invoke("show", "chinese_internet_users").stdout


def test_validate_json_keys_are_the_documented_ones(invoke):
    """docs/DATA_FORMAT.md names every key `validate --json` prints (it left out warnings and the counts)."""
    import re

    page = (Path(__file__).parent.parent / "docs" / "DATA_FORMAT.md").read_text(encoding="utf-8")
    sentence = " ".join(page.split("`validate --json` prints", 1)[1].split("\n\n", 1)[0].split())
    documented = {quoted or ticked for quoted, ticked in re.findall(r'"(\w+)"|`(\w+)`', sentence)}
    assert set(run_json(invoke, "validate")) <= documented


def test_a_timeline_with_nothing_in_it_says_so(invoke):
    """`timeline lazada --since 2019` printed an empty table, which reads as a fault."""
    result = invoke("timeline", "lazada", "--since", "2019")
    assert result.exit_code == 0
    assert result.stdout.strip() == "no dated facts about lazada from 2019 to the end"
    assert run_json(invoke, "timeline", "lazada", "--since", "2019") == []


def test_no_neighbours_says_so(invoke, monkeypatch):
    """`neighbours cayman_islands --type acquired` printed an empty table and '0 relations among them'."""
    monkeypatch.setenv("COLUMNS", "300")
    result = invoke("neighbours", "cayman_islands", "--type", "acquired")
    assert result.exit_code == 0
    assert "Cayman Islands (cayman_islands) has no neighbours within 1 step through acquired (both)" in result.stdout
