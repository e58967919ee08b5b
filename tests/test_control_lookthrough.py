"""Look-through votes (docs/CONTROL.md, Look-through votes): who ends up directing the votes of an entity.

Hand-computed on the fixture (tests/fixtures/control/lookthrough, described in its comments), then on
the bundled data: Jack Ma's ~6.2% of Ant's voting rights after January 2023, the 50.52% he directed
through Yunbo before, both printed by `explain jack_ma ant_group`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecosystem.control import analyse
from ecosystem.control.lookthrough import look_through_votes, witness_paths
from ecosystem.graph import build_graph
from ecosystem.loader import load

CASE = Path(__file__).resolve().parent / "fixtures" / "control" / "lookthrough"


@pytest.fixture(scope="module")
def world():
    return analyse(build_graph(load(CASE, use_cache=False)), "2010")


def _values(found):
    return {party: item["low"] for party, item in found["holders"].items() if item["low"] == item["high"]}


def test_a_block_passes_whole_to_a_controller_and_pro_rata_where_nobody_controls(world):
    values = _values(look_through_votes(world, "target"))
    assert values["bob"] == pytest.approx(30)  # his 80% controls gp, general partner of fund (30%)
    assert values["ann"] == pytest.approx(8)  # a fifth of gp2's 40%; nothing of the 30% gp directs for bob
    for partner in ("p2", "p3", "p4", "p5"):
        assert values[partner] == pytest.approx(8)
    assert "lp" not in values  # a limited partner's 90% of the profits directs no votes


def test_cross_holdings_are_counted_once(world):
    """y's 10% goes half to x; x passes half to zed and half back to y: zed gets 10 x 0.25 / (1 - 0.25)."""
    assert _values(look_through_votes(world, "target"))["zed"] == pytest.approx(10 / 3, abs=1e-5)


def test_final_parties_never_direct_more_than_the_votes_there_are(world):
    found = look_through_votes(world, "target")
    finals = sum(item["high"] for item in found["holders"].values() if item["final"])
    assert finals <= 30 + 40 + 10 + 1e-6
    assert {p for p, item in found["holders"].items() if item["final"]} == {"ann", "bob", "p2", "p3", "p4", "p5", "zed"}


def test_witness_paths_go_from_the_party_down_to_the_entity(world):
    [path] = witness_paths(world, "target", "ann")
    assert [(s["from"], s["how"], s["to"]) for s in path] == [
        ("ann", "owns", "gp2"), ("gp2", "controls", "fund2"), ("fund2", "holds", "target")]
    assert path[0]["share"] == 20 and path[1]["rule"] == "general partner" and path[2]["share"] == 40
    assert all(step["relations"] for step in path)


def test_votes_an_entity_directs_itself_are_not_handed_to_its_holders(invoke):
    """x and y hold 60% of each other (x controls y, y controls x) and z holds 40% of x: the 60% y holds
    is directed from inside the cycle, so z's look-through votes in x are its own 40%, not 100%."""
    fixture = CASE.parent / "verdicts"
    result = invoke("--data", fixture, "explain", "z", "x", "--as-of", "2020", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)["look_through_votes"]
    assert found["low"] == found["high"] == pytest.approx(40)


def _explain(invoke, when):
    result = invoke("explain", "jack_ma", "ant_group", "--as-of", when, "--json")
    assert result.exit_code == 0, result.output
    text = invoke("explain", "jack_ma", "ant_group", "--as-of", when)
    assert text.exit_code == 0, text.output
    return json.loads(result.output), " ".join(text.output.split())


def _fact(bundled_graph, entity, name):
    [found] = [f for f in bundled_graph.nodes[entity].get("facts", []) if f["name"] == name]
    return found["value"]


def test_jack_ma_look_through_votes_after_2023_are_the_stated_six_point_two(invoke, bundled_graph):
    document, text = _explain(invoke, "2023-06")
    found = document["look_through_votes"]
    stated = _fact(bundled_graph, "ant_restructuring_2023", "jack_ma_voting_rights_after")
    assert found["low"] == found["high"] == pytest.approx(stated, abs=0.1)
    [path] = found["paths"]
    assert [(s["from"], s["to"]) for s in path] == [
        ("jack_ma", "hangzhou_xingtao"), ("hangzhou_xingtao", "hangzhou_junhan"), ("hangzhou_junhan", "ant_group")]
    assert "look-through votes" in text and "6.208%" in text
    assert "jack_ma owns 20% of hangzhou_xingtao" in text
    # the answer names the observation it rests on (Junhan's 31.04%, observed in January 2023)
    assert "hangzhou_junhan_owns_ant_group_2023" in {b["relation"] for b in document["basis"]}
    assert "hangzhou_junhan_owns_ant_group_2023" in {b["relation"] for b in found["basis"]}


def test_jack_ma_directed_both_partnerships_votes_before_2023(invoke, bundled_graph):
    document, text = _explain(invoke, "2022-06")
    assert document["status"] == "controls"
    found = document["look_through_votes"]
    together = _fact(bundled_graph, "ant_group", "stake_of_hangzhou_junhan_and_junao_together")
    assert found["low"] == found["high"] == pytest.approx(together)
    assert {path[-1]["from"] for path in found["paths"]} == {"hangzhou_junhan", "hangzhou_junao"}
    assert "50.52%" in text


def test_economic_interest_beside_the_control_answer_names_why_it_is_a_range(invoke):
    document, text = _explain(invoke, "2023-06")
    assert document["economic_interest"] == {"low": 0.0, "high": 31.04}
    assert {b["relation"] for b in document["economic_basis"]} >= {"hangzhou_junhan_owns_ant_group_2023"}
    assert "jack_ma limited_partner_of hangzhou_junhan (share not recorded)" in text


def test_a_partner_with_an_unrecorded_share_is_a_final_owner(bundled_graph):
    """Nobody holds Jack Ma; Junhan may be held by him: Ma final, Junhan intermediate."""
    holders = {h["id"]: h for h in analyse(bundled_graph, "2023-06").economic_interest("ant_group")["holders"]}
    assert holders["jack_ma"]["final"] is True
    assert holders["hangzhou_junhan"]["final"] is False
    assert holders["hangzhou_junao"]["final"] is True  # no partner of Junao is recorded
