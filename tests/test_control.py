"""Control analysis on the textbook fixtures (tests/fixtures/control/*), answers computed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecosystem import control
from ecosystem.control import CONTROLS, MAY_CONTROL, NO_CONTROL, ControlRules, analyse
from ecosystem.errors import QueryError, UnknownEntityError

CASES = Path(__file__).resolve().parent / "fixtures" / "control"


def load(case):
    from ecosystem.graph import load_graph

    return load_graph(CASES / case, use_cache=False)


def ultimate(graph, entity_id, **kwargs):
    return {item["id"]: item["status"] for item in control.ultimate_controllers(graph, entity_id, **kwargs)}


def interest(graph, entity_id, **kwargs):
    result = control.economic_interest(graph, entity_id, **kwargs)
    return {item["id"]: item["interest"]["low"] for item in result["holders"]}, result


# -- votes add up across controlled companies ----------------------------------------------------


def test_pooled_votes_give_control_with_52_percent_interest():
    graph = load("pooled_votes")
    assert ultimate(graph, "c") == {"y": CONTROLS}
    direct = control.direct_controllers(graph, "c")
    assert [d["id"] for d in direct] == ["y"]  # neither B1 (20%) nor B2 (40%) alone
    assert direct[0]["rule"] == "votes"
    assert direct[0]["chain"][0]["votes"] == {"low": 60.0, "high": 60.0}  # 20 + 40
    values, _ = interest(graph, "c")
    assert values["y"] == pytest.approx(52.0)  # 100% x 20% + 80% x 40%
    assert values["z"] == pytest.approx(8.0)  # 20% x 40%
    assert values["w"] == pytest.approx(40.0)


def test_pooled_votes_chain_names_both_holdings_and_the_threshold():
    graph = load("pooled_votes")
    [item] = control.ultimate_controllers(graph, "c")
    [step] = item["chain"]
    assert {r["from"] for r in step["relations"]} == {"b1", "b2"}
    assert "> 50% (control threshold)" in step["test"]
    assert all(r["sources"] for r in step["relations"])


def test_a_higher_threshold_takes_pooled_control_away():
    graph = load("pooled_votes")
    assert ultimate(graph, "c", rules=ControlRules(control_threshold=60)) == {}  # 60 is not above 60


# -- chain ---------------------------------------------------------------------------------------


def test_51_by_51_chain_controls_with_26_01_percent_interest():
    graph = load("chain_51")
    assert ultimate(graph, "c") == {"a": CONTROLS}
    assert [s["to"] for s in control.ultimate_controllers(graph, "c")[0]["chain"]] == ["b", "c"]
    values, _ = interest(graph, "c")
    assert values["a"] == pytest.approx(26.01)
    assert values["p"] == pytest.approx(24.99)  # 49% x 51%
    assert values["q"] == pytest.approx(49.0)
    assert [d["id"] for d in control.direct_controllers(graph, "c")] == ["b"]


def test_controlled_lists_the_whole_chain():
    graph = load("chain_51")
    items = control.controlled_by(graph, "a")
    assert [(i["id"], i["status"], i["depth"]) for i in items] == [("b", CONTROLS, 1), ("c", CONTROLS, 2)]
    assert control.controlled_by(graph, "q") == []


# -- cross-holdings ------------------------------------------------------------------------------


def test_cross_holdings_no_control_and_cycle_safe_interest():
    graph = load("cross_holdings")
    assert ultimate(graph, "p") == {}
    assert ultimate(graph, "q") == {}
    values, result = interest(graph, "p")
    assert result["closed_cycle"] is None
    assert values["o"] == pytest.approx(100 * 4 / 7)  # 0.4 (1 + 0.3) / (1 - 0.09)
    assert values["p_float"] == pytest.approx(100 * 0.3 / 0.91)
    assert values["q_float"] == pytest.approx(100 * 0.09 / 0.91)
    finals = [h for h in result["holders"] if h["final"]]
    assert sum(h["interest"]["low"] for h in finals) == pytest.approx(100.0)
    # the outside holder has a majority of the economics and no control
    assert control.explain(graph, "o", "p")["status"] == NO_CONTROL


def test_closed_cycle_is_reported_not_a_number():
    import networkx as nx

    graph = nx.MultiDiGraph()
    for node in ("a", "b", "c"):
        graph.add_node(node, name=node.upper(), type="company")
    graph.add_edge("a", "b", key="ab", type="owns", equity={"value": 100})
    graph.add_edge("b", "a", key="ba", type="owns", equity={"value": 100})
    graph.add_edge("b", "c", key="bc", type="owns", equity={"value": 60})
    result = control.economic_interest(graph, "c")
    assert result["closed_cycle"] == ["a", "b"]
    assert result["holders"] == []
    # control: a and b control each other, a cycle reported as a group
    items = control.ultimate_controllers(graph, "c")
    assert sorted(i["id"] for i in items) == ["a", "b"]
    assert all(i.get("cycle") and i["group"] == ["a", "b"] for i in items)


# -- nominee -------------------------------------------------------------------------------------


def test_nominee_moves_control_and_interest_to_the_principal():
    graph = load("nominee")
    assert ultimate(graph, "x") == {"p": CONTROLS}
    owners = control.legal_owners(graph, "x")
    assert [(o["id"], o["share"]) for o in owners] == [("n", "60%"), ("m", "40%")]
    assert owners[0]["nominee_for"] == ["p"]
    values, _ = interest(graph, "x")
    assert values == {"p": pytest.approx(60.0), "m": pytest.approx(40.0)}
    assert control.explain(graph, "n", "x")["status"] == NO_CONTROL
    step = control.ultimate_controllers(graph, "x")[0]["chain"][0]
    assert step["relations"][0]["nominee_relation"]["type"] == "holds_as_nominee"


# -- VIE -----------------------------------------------------------------------------------------


def test_vie_bundle_controls_with_zero_equity():
    graph = load("vie_bundle")
    # the option sits with HoldCo, the proxy and service fees with its WFOE: HoldCo's side holds all three
    direct = control.direct_controllers(graph, "vie")
    assert [(d["id"], d["status"], d["rule"]) for d in direct] == [("holdco", CONTROLS, "contract bundle")]
    assert ultimate(graph, "vie") == {"investor": CONTROLS}
    assert {o["id"] for o in control.legal_owners(graph, "vie")} == {"citizen_a", "citizen_b"}
    values, result = interest(graph, "vie")
    assert "holdco" not in values and "investor" not in values  # zero equity
    assert values == {"citizen_a": 50.0, "citizen_b": 50.0}
    assert [e["type"] for e in result["contractual_channels"]] == ["exclusive_services"]


def test_vie_without_option_may_be_controlled_only():
    graph = load("vie_no_option")
    assert [(d["id"], d["status"]) for d in control.direct_controllers(graph, "vie")] == [("wfoe", MAY_CONTROL)]
    assert ultimate(graph, "vie") == {"investor": MAY_CONTROL}
    notes = control.controllers(graph, "vie")["notes"]
    assert any("lacks exclusive_option" in note for note in notes)
    reasons = " ".join(control.explain(graph, "citizen_a", "vie")["reasons"])
    assert "not above 50%" in reasons


def test_stated_contract_relation_controls(valid_graph):
    # tests/fixtures/valid: the WFOE controls the VIE by one controls_by_contract relation
    direct = control.direct_controllers(valid_graph, "vie")
    assert [(d["id"], d["rule"]) for d in direct] == [("wfoe", "contract")]
    assert control.status_of(valid_graph, "holdco", "vie") == CONTROLS


# -- regulator and float -------------------------------------------------------------------------


def test_regulator_never_controls_and_float_never_controls():
    graph = load("regulator")
    result = control.controllers(graph, "x")
    assert result["verdict"] == "no controlling party"
    assert result["ultimate"] == [] and result["direct"] == []
    # the founder's 35% is significant; the 65% public float is dispersed, not a holder that decides
    assert [s["id"] for s in result["significant"]] == ["founder"]
    why = control.explain(graph, "regulator", "x")
    assert why["status"] == NO_CONTROL
    assert any("fined, licenses, regulates confer no control" in r for r in why["reasons"])
    assert control.controlled_by(graph, "regulator") == []
    assert control.controlled_by(graph, "public_float") == []


# -- uncertainty ---------------------------------------------------------------------------------


def test_range_across_threshold_may_control():
    graph = load("uncertain")
    assert ultimate(graph, "r") == {"h1": MAY_CONTROL}
    assert control.controllers(graph, "r")["verdict"] == "may be controlled"


def test_approximate_share_counts_at_its_value_and_is_flagged():
    graph = load("uncertain")
    [item] = control.ultimate_controllers(graph, "s")
    assert (item["id"], item["status"], item["approximate"]) == ("h2", CONTROLS, True)
    # with a margin of 5 points, ~53 is 48-58: possible, not certain
    assert ultimate(graph, "s", rules=ControlRules(approximate_margin=5)) == {"h2": MAY_CONTROL}


def test_unknown_share_is_at_most_what_the_others_leave():
    graph = load("uncertain")
    assert ultimate(graph, "u") == {"h3": CONTROLS}  # h4 holds 0-40%: never a majority
    significant = {s["id"]: s for s in control.significant_holders(graph, "u")}
    assert significant["h4"]["status"] == "may be significant"
    assert significant["h4"]["votes"] == {"low": 0.0, "high": 40.0}


def test_min_only_share_is_capped_by_the_others():
    graph = load("uncertain")
    assert ultimate(graph, "v") == {"h5": MAY_CONTROL}  # at least 40%, at most 100 - 30 = 70%
    step = control.ultimate_controllers(graph, "v")[0]["chain"][0]
    assert step["votes"] == {"low": 40.0, "high": 70.0}


# -- concert parties -----------------------------------------------------------------------------


def test_parties_in_concert_control_jointly():
    graph = load("concert")
    items = control.ultimate_controllers(graph, "t_co")
    assert [(i["id"], i["status"], i.get("joint")) for i in items] == [("k1", CONTROLS, True), ("k2", CONTROLS, True)]
    assert control.status_of(graph, "k3", "t_co") == NO_CONTROL
    why = control.explain(graph, "k1", "t_co")
    assert why["status"] == CONTROLS and why["joint_with"] == ["k2"]


# -- time ----------------------------------------------------------------------------------------


def test_control_before_and_after_a_restructuring():
    graph = load("timeline")
    assert ultimate(graph, "g", as_of="2022-12-31") == {"f": CONTROLS}
    [item] = control.ultimate_controllers(graph, "g", as_of="2020")
    assert [s["rule"] for s in item["chain"]] == ["votes", "general partner", "votes"]
    assert ultimate(graph, "g", as_of="2023-01") == {}  # end is exclusive
    assert ultimate(graph, "g") == {}  # default: the latest date in the data (2023-01)
    after = control.controllers(graph, "g")
    assert after["verdict"] == "no controlling party"
    assert [s["id"] for s in after["significant"]] == ["big", "lp"]
    values, _ = interest(graph, "g", as_of="2020")
    assert values["f"] == pytest.approx(10.0)  # 20% of the partnership x 50% of G


def test_control_diff_reports_the_lost_control():
    graph = load("timeline")
    diff = control.control_diff(graph, "2020", "2023-06")
    assert [(c["id"], c["lost"], c["gained"]) for c in diff["changes"]] == [("g", ["f"], [])]
    assert control.control_diff(graph, "2020", "2021")["changes"] == []


def test_board_nomination_can_be_switched_off():
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_node("a", name="A", type="person")
    graph.add_node("x", name="X", type="company")
    graph.add_edge("a", "x", key="board", type="appoints_board")
    assert control.status_of(graph, "a", "x") == CONTROLS
    assert control.status_of(graph, "a", "x", rules=ControlRules(count_board=False)) == NO_CONTROL


def test_behind_a_holder_is_the_party_below_a_board_nomination():
    """N nominates P's board, P holds all of H (unrecorded share), H holds 40% of T: P stands behind
    H's stake, N (no equity) does not; with a second nomination step below, the lowest one cuts."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for node, kind in (("n", "organization"), ("p", "company"), ("h", "company"), ("t", "company"), ("o", "person")):
        graph.add_node(node, name=node.upper(), type=kind)
    graph.add_edge("n", "p", key="board", type="appoints_board")
    graph.add_edge("p", "h", key="stated", type="controls")
    graph.add_edge("h", "t", key="h_t", type="owns", equity={"value": 40})
    graph.add_edge("o", "t", key="o_t", type="owns", equity={"value": 60})
    behind = control.economic_interest(graph, "t")["behind"]
    assert [(b["id"], b["holder"], b["through"]) for b in behind] == [("p", "h", ["p", "h"])]
    graph.add_edge("p", "q", key="board2", type="appoints_board")
    graph.add_node("q", name="Q", type="company")
    graph.remove_edge("p", "h", key="stated")
    graph.add_edge("q", "h", key="stated2", type="controls")
    behind = control.economic_interest(graph, "t")["behind"]
    assert [(b["id"], b["through"]) for b in behind] == [("q", ["q", "h"])]


# -- errors --------------------------------------------------------------------------------------


def test_unknown_entity_and_bad_rules():
    graph = load("chain_51")
    with pytest.raises(UnknownEntityError):
        control.controllers(graph, "nobody")
    with pytest.raises(QueryError):
        ControlRules(control_threshold=120)
    with pytest.raises(QueryError):
        analyse(graph, as_of="2020-13")
