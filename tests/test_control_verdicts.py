"""Verdicts and time: one small world per verdict, checked through the CLI's --json and the library.

The fixtures are described in their own comments (tests/fixtures/control/verdicts, supersedes).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecosystem.control import (CONTESTED, CONTROLLED, CONTROLS, DISSOLVED, NO_CONTROLLING_PARTY, NOT_YET_FOUNDED,
                               UNKNOWN, ControlRules, analyse)
from ecosystem.graph import build_graph, relation_spans, snapshot
from ecosystem.loader import load

CASES = Path(__file__).resolve().parent / "fixtures" / "control"


@pytest.fixture(scope="module")
def world():
    return build_graph(load(CASES / "verdicts", use_cache=False))


def cli(invoke, case, *args):
    result = invoke("--data", CASES / case, *args)
    assert result.exit_code == 0, result.output
    return result


def cli_json(invoke, case, *args):
    return json.loads(cli(invoke, case, *args, "--json").output)


@pytest.mark.parametrize("entity, as_of, verdict", [
    ("orphan", "2020", UNKNOWN),
    ("spread", "2020", NO_CONTROLLING_PARTY),
    ("newco", "2005", NOT_YET_FOUNDED),
    ("newco", "2012", CONTROLLED),
    ("oldco", "2006", DISSOLVED),
    ("oldco", "2000", CONTROLLED),
    ("disputed", "2020", CONTESTED),
    ("watched", "2009", UNKNOWN),  # before its first observation the 2010 figure does not count
    ("watched", "2012", CONTROLLED),
    ("watched", "2016", NO_CONTROLLING_PARTY),  # the 2015 observation (20%) supersedes the 2010 one (60%)
    ("x", "2020", CONTROLLED),  # a control cycle is one controlling party, not a contest
])
def test_verdict_in_library_and_cli(world, invoke, entity, as_of, verdict):
    assert analyse(world, as_of).controllers(entity)["verdict"] == verdict
    document = cli_json(invoke, "verdicts", "controllers", entity, "--as-of", as_of)
    assert document["verdict"] == verdict
    assert cli_json(invoke, "verdicts", "controlled", entity, "--as-of", as_of)["verdict"] == verdict


def test_unknown_is_never_no_controlling_party(invoke):
    text = cli(invoke, "verdicts", "controllers", "orphan", "--as-of", "2020").output
    assert "unknown" in text and "no controlling party" not in text.replace("not 'no controlling party'", "")


def test_spread_lists_its_significant_holders(world):
    document = analyse(world, "2020").controllers("spread")
    assert [item["id"] for item in document["significant"]] == ["h1", "h2", "h3"]
    assert document["ultimate"] == []


def test_contested_shows_both_chains_and_a_note(world, invoke):
    document = cli_json(invoke, "verdicts", "controllers", "disputed", "--as-of", "2020")
    chains = {item["id"]: [step["rule"] for step in item["chain"]] for item in document["ultimate"]}
    assert chains == {"a": ["votes"], "b": ["stated"]}
    assert any("more than one party" in note for note in document["notes"])
    explained = cli_json(invoke, "verdicts", "explain", "a", "disputed", "--as-of", "2020")
    assert explained["status"] == CONTROLS and explained["verdict"] == CONTESTED


def test_superseded_observation_leaves_the_snapshot(world):
    spans = relation_spans(world)
    assert spans["p_owns_watched_2010"] == ("2010", "2015", "p_owns_watched_2015")
    assert "p_owns_watched_2015" not in spans  # nothing later replaces it
    assert set(snapshot(world, "2016").pred["watched"]["p"]) == {"p_owns_watched_2015"}
    assert set(snapshot(world, "2012").pred["watched"]["p"]) == {"p_owns_watched_2010"}


def test_named_supersession_passes_a_stake_to_another_holder(invoke):
    before = cli_json(invoke, "supersedes", "controllers", "target", "--as-of", "2013")
    after = cli_json(invoke, "supersedes", "controllers", "target", "--as-of", "2019")
    assert [item["id"] for item in before["ultimate"]] == ["founder"]
    assert [item["id"] for item in after["ultimate"]] == ["fund"]
    assert [owner["id"] for owner in after["legal_owners"]] == ["fund"]
    # the loader's equity check reads the same rule: 80% + 80% never count together
    assert cli(invoke, "supersedes", "validate").exit_code == 0


def test_basis_names_observations_and_their_age(world, invoke):
    document = cli_json(invoke, "verdicts", "controllers", "watched", "--as-of", "2012-01-01")
    assert document["basis"] == [{"relation": "p_owns_watched_2010", "as_of": "2010", "age_years": 2.0, "stale": False}]
    spread = analyse(world, "2020").controllers("spread")
    assert spread["basis"] == []  # dated facts (start), not observations


def test_stale_observation_is_flagged(world, invoke):
    document = cli_json(invoke, "verdicts", "controllers", "quiet", "--as-of", "2020")
    [item] = document["ultimate"]
    assert item["status"] == CONTROLS and item["stale"] and item["last_observed"] == "2000"
    assert document["basis"] == [{"relation": "q_owns_quiet_2000", "as_of": "2000", "age_years": 20.0, "stale": True}]
    text = cli(invoke, "verdicts", "controllers", "quiet", "--as-of", "2020").output
    assert "controls (last observed 2000)" in text
    fresh = cli_json(invoke, "verdicts", "controllers", "quiet", "--as-of", "2020", "--stale-after", "25")
    assert not fresh["ultimate"][0].get("stale") and not fresh["basis"][0]["stale"]
    assert not analyse(world, "2002").controllers("quiet")["ultimate"][0].get("stale")
    assert analyse(world, "2020", ControlRules(stale_after=30)).controllers("quiet")["basis"][0]["stale"] is False


def test_cross_holdings_pool_within_100_percent(world):
    analysis = analyse(world, "2020")
    for node in ("x", "y"):
        for item in analysis.controllers(node)["ultimate"] + analysis.controllers(node)["direct"]:
            for step in item["chain"]:
                assert 0 <= step["votes"]["low"] <= step["votes"]["high"] <= 100
    explained = analysis.explain("x", "y")
    assert all(step["votes"]["high"] <= 100 for step in explained["chain"] if "votes" in step)


def test_control_diff_carries_verdicts(invoke):
    document = cli_json(invoke, "verdicts", "control-diff", "--from", "2012", "--to", "2016")
    [change] = [c for c in document["changes"] if c["id"] == "watched"]
    assert change["verdict_before"] == CONTROLLED and change["verdict_after"] == NO_CONTROLLING_PARTY
    assert change["lost"] == ["p"]


def test_exports_keep_observation_dates(world, tmp_path):
    from xml.etree import ElementTree

    from ecosystem.exporters.bods import statements
    from ecosystem.exporters.gexf import write_gexf

    by_id = {s["recordId"]: s for s in statements(world)}
    assert by_id["p_owns_watched_2010"]["statementDate"] == "2010-01-01"
    assert by_id["p_owns_watched_2015"]["statementDate"] == "2015-01-01"
    write_gexf(world, tmp_path / "w.gexf")
    spells = {e.get("id"): (e.get("start"), e.get("end")) for e in ElementTree.parse(tmp_path / "w.gexf").iter()
              if e.tag.endswith("edge")}
    assert ("2010-01-01", "2014-12-31") in spells.values()  # the 2010 figure ends where 2015 replaces it


def test_views_carry_the_verdict_into_tooltips(world):
    from ecosystem.render.style import entity_tooltip
    from ecosystem.views import adhoc_view, build_view

    shown = build_view(world, adhoc_view(world, "disputed", 1), as_of="2020")
    assert shown.graph.nodes["disputed"]["control_verdict"] == CONTESTED
    assert "control: contested" in entity_tooltip(shown.graph, "disputed")


def test_controlled_flags_stale_steps(invoke):
    document = cli_json(invoke, "verdicts", "controlled", "q", "--as-of", "2020")
    [item] = document["controlled"]
    assert item["id"] == "quiet" and item["stale"] and item["last_observed"] == "2000"
    assert "controls (last observed 2000)" in cli(invoke, "verdicts", "controlled", "q", "--as-of", "2020").output
    # like every answer, it names the observations it rests on
    assert document["basis"] == [{"relation": "q_owns_quiet_2000", "as_of": "2000", "age_years": 20.0, "stale": True}]
    assert "q_owns_quiet_2000: observed 2000" in cli(invoke, "verdicts", "controlled", "q", "--as-of", "2020").output


def test_explain_names_the_observations_it_rests_on(invoke):
    document = cli_json(invoke, "verdicts", "explain", "q", "quiet", "--as-of", "2020")
    assert document["basis"] == [{"relation": "q_owns_quiet_2000", "as_of": "2000", "age_years": 20.0, "stale": True}]
    assert "q_owns_quiet_2000: observed 2000" in cli(invoke, "verdicts", "explain", "q", "quiet", "--as-of", "2020").output


def test_timeline_and_diff_show_supersessions(invoke):
    items = cli_json(invoke, "verdicts", "timeline", "watched")
    [superseded] = [item for item in items if item["kind"] == "relation superseded"]
    assert superseded["date"] == "2015" and superseded["superseded_by"] == "p_owns_watched_2015"
    assert superseded["relation"]["id"] == "p_owns_watched_2010"
    changes = cli_json(invoke, "verdicts", "diff", "--from", "2012", "--to", "2016")
    [removed] = changes["relations_removed"]
    assert removed["id"] == "p_owns_watched_2010" and removed["superseded_by"] == "p_owns_watched_2015"
    assert [edge["id"] for edge in changes["relations_added"]] == ["p_owns_watched_2015"]
    assert "superseded by p_owns_watched_2015" in cli(invoke, "verdicts", "diff", "--from", "2012", "--to", "2016").output


@pytest.mark.parametrize("as_of, votes, verdict", [
    ("2015", None, UNKNOWN), ("2016-06", 51, CONTROLLED), ("2017-06", 83, CONTROLLED), ("2019", 100, CONTROLLED),
])
def test_a_growing_stake_counts_one_figure_at_a_time(invoke, as_of, votes, verdict):
    document = cli_json(invoke, "supersedes", "controllers", "grown", "--as-of", as_of)
    assert document["verdict"] == verdict
    assert len(document["legal_owners"]) == (0 if votes is None else 1)
    if votes is not None:
        [step] = document["ultimate"][0]["chain"]
        assert step["votes"] == {"low": votes, "high": votes}


def test_owners_name_the_observations_behind_the_interest(invoke):
    document = cli_json(invoke, "verdicts", "owners", "quiet", "--as-of", "2020")
    assert document["basis"] == [{"relation": "q_owns_quiet_2000", "as_of": "2000", "age_years": 20.0, "stale": True}]
    assert "q_owns_quiet_2000: observed 2000" in cli(invoke, "verdicts", "owners", "quiet", "--as-of", "2020").output


def test_explain_gives_the_economic_interest_beside_control(world, invoke):
    document = cli_json(invoke, "verdicts", "explain", "h1", "newco", "--as-of", "2020")
    assert document["status"] == CONTROLS and document["economic_interest"] == {"low": 100.0, "high": 100.0}
    assert analyse(world, "2020").explain("h1", "spread")["economic_interest"] == {"low": 30.0, "high": 30.0}
    assert "its economic interest (equity through every path): 30%" in \
        cli(invoke, "verdicts", "explain", "h1", "spread", "--as-of", "2020").output
