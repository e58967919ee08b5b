"""The case: control and ownership come apart in the bundled Alibaba / Ant Group data.

Where the bundled data does not (yet) carry a fact a check needs, the check says so by name
(xfail with the missing data) rather than passing quietly; it runs as soon as the data is there.
"""

from __future__ import annotations

import pytest

from ecosystem.control import CONTROLS, NO_CONTROL, analyse
from ecosystem.graph import is_current

AGH = "alibaba_group_holding"


def _require(graph, *ids):
    missing = [i for i in ids if i not in graph]
    if missing:
        pytest.xfail(f"data gap: entities {missing} are not in data/entities.yaml")


def _licence_holders(graph, analysis):
    """Companies held by contract (VIEs): targets of a contract bundle or controls_by_contract."""
    found = set()
    for _, target, data in graph.edges(data=True):
        if data["type"] in ("controls_by_contract", "voting_proxy", "exclusive_services") and target in analysis.nodes:
            found.add(target)
    return sorted(found)


def _final_owners(graph, analysis, entity_id):
    """Follow `owns` up from a company to holders nobody owns (the legal owners at the top)."""
    tops, seen, stack = set(), {entity_id}, [entity_id]
    while stack:
        node = stack.pop()
        holders = [o["id"] for o in analysis.legal_owners(node)]
        if not holders and node != entity_id:
            tops.add(node)
        for holder in holders:
            if holder not in seen:
                seen.add(holder)
                stack.append(holder)
    return tops


def test_vie_licence_holders_controlled_by_alibaba_with_zero_equity(bundled_graph):
    _require(bundled_graph, AGH)
    analysis = analyse(bundled_graph)
    vies = [v for v in _licence_holders(bundled_graph, analysis) if AGH in {
        u["id"] for u in analysis.ultimate_controllers(v)}]
    if len(vies) < 3:
        pytest.xfail(f"data gap: fewer than 3 VIE licence holders controlled by contract from Alibaba's WFOEs ({vies})")
    for vie in vies:
        [top] = [u for u in analysis.ultimate_controllers(vie) if u["id"] == AGH]
        assert top["status"] == CONTROLS
        rules = {step["rule"] for step in top["chain"]}
        assert rules & {"contract", "contract bundle"}, f"{vie}: control of a VIE must run through its contracts"
        interest = {h["id"]: h["interest"] for h in analysis.economic_interest(vie)["holders"]}
        assert interest.get(AGH, {"high": 0.0})["high"] == 0.0, f"{vie}: Alibaba Group Holding holds no equity"
        owners = _final_owners(bundled_graph, analysis, vie)
        assert owners, f"{vie}: no legal owners recorded"
        # named PRC citizens, or (where the filings withhold names) an unknown party recorded as PRC citizens
        for owner in owners:
            data = bundled_graph.nodes[owner]
            assert data["type"] in ("person", "unknown_party"), f"{vie}: legal owner {owner} is a {data['type']}"
            if data["type"] == "unknown_party":
                assert data.get("jurisdiction") == "prc", f"{vie}: {owner} is not recorded as PRC citizens"
            else:
                assert data.get("jurisdiction") in (None, "prc"), owner


def test_alibaba_stake_in_ant_is_significant_not_control(bundled_graph):
    _require(bundled_graph, AGH, "ant_group")
    for when in ("2021", None):
        analysis = analyse(bundled_graph, when)
        assert analysis.status(AGH, "ant_group") == NO_CONTROL
        significant = {s["id"]: s for s in analysis.significant_holders("ant_group")}
        assert AGH in significant, "Alibaba's ~33% of Ant should be a significant holding"
        assert significant[AGH]["votes"]["low"] == pytest.approx(33, abs=1.5)


def test_ant_controlled_by_jack_ma_before_2023_and_by_nobody_after(bundled_graph):
    _require(bundled_graph, "jack_ma", "ant_group")
    before = analyse(bundled_graph, "2022-06")
    assert {u["id"]: u["status"] for u in before.ultimate_controllers("ant_group")} == {"jack_ma": CONTROLS}
    after = analyse(bundled_graph, "2023-06")
    answer = after.controllers("ant_group")
    assert answer["verdict"] == "no controlling party"
    assert answer["ultimate"] == []
    assert answer["significant"], "with no controlling party, the significant holders are the answer"


def test_jack_ma_control_runs_through_the_partnerships(bundled_graph):
    """Before 2023 the structural proof: Ma -> Yunbo (general partner) -> Junhan + Junao (> 50% of votes)."""
    _require(bundled_graph, "jack_ma", "ant_group", "hangzhou_yunbo", "hangzhou_junhan", "hangzhou_junao")
    analysis = analyse(bundled_graph, "2022-06")
    direct = {d["id"]: d for d in analysis.direct_controllers("ant_group")}
    stakes = [d.get("equity") for p in ("hangzhou_junhan", "hangzhou_junao")
              for d in bundled_graph.get_edge_data(p, "ant_group", default={}).values()
              if d["type"] == "owns" and is_current(d, "2022-06")]
    if any(isinstance(s, dict) and "min" in s for s in stakes):
        pytest.xfail("data gap: the 2020 split of the partnerships' combined 50.52% of Ant (Ant's prospectus, not "
                     f"consulted) is not recorded; their stakes at 2022-06 are only bounded: {stakes}")
    assert "hangzhou_yunbo" in direct and direct["hangzhou_yunbo"]["rule"] == "votes"
    assert direct["hangzhou_yunbo"]["chain"][0]["votes"]["low"] > 50
    assert analysis.status("jack_ma", "hangzhou_yunbo") == CONTROLS


def test_the_proof_of_ma_s_control_before_2023_is_the_chain_through_yunbo(bundled_graph):
    """A source also states plainly that Ma controls Ant; with as many stated steps, the proof shown is the
    one whose votes are computed: Ma -> Yunbo (stated) -> Ant (votes of Junhan and Junao, 50.52%)."""
    analysis = analyse(bundled_graph, "2022-06")
    [ma] = [u for u in analysis.ultimate_controllers("ant_group") if u["id"] == "jack_ma"]
    assert [(s["from"], s["to"], s["rule"]) for s in ma["chain"]] == [
        ("jack_ma", "hangzhou_yunbo", "stated"), ("hangzhou_yunbo", "ant_group", "votes")]
    assert ma["chain"][1]["votes"]["low"] == pytest.approx(50.52)
    assert {r["from"] for r in ma["chain"][1]["relations"]} == {"hangzhou_junhan", "hangzhou_junao"}


def test_jack_ma_economic_interest_in_ant_about_10_percent(bundled_graph):
    """Reuters, on the 2020 listing documents: Ma's stake in Ant was about 10%. Computed through the
    partnerships where his share of them is recorded; else the declared look-through figure says it."""
    _require(bundled_graph, "jack_ma", "ant_group")
    result = analyse(bundled_graph, "2022-06").economic_interest("ant_group")
    computed = {h["id"]: h["interest"] for h in result["holders"]}.get("jack_ma")
    declared = [d for d in result["declared_interests"] if d["id"] == "jack_ma"]
    if computed is not None and computed["low"] == computed["high"]:
        assert computed["low"] == pytest.approx(10, abs=1.5)
        return
    if not declared:
        pytest.xfail("data gap: Jack Ma's share of the Hangzhou partnerships is not recorded, nor a declared "
                     f"look-through interest; his interest in Ant is only bounded: {computed}")
    [item] = declared
    assert item["interest"]["low"] == pytest.approx(10, abs=1.5) and item["approximate"]
    assert item["relation"]["indirect"] and item["relation"]["sources"]
    # the declared figure lies inside what the recorded chain allows
    assert computed is not None, "the partnerships' chain gives Ma no interest in Ant at all"
    assert computed["low"] <= item["interest"]["low"] <= computed["high"]
    # and the answer names it among the observations it rests on
    assert item["relation"]["id"] in {b["relation"] for b in result["basis"]}


def test_owners_of_ant_show_alibaba_behind_its_onshore_subsidiary(bundled_graph):
    """Case §3.4: Alibaba holds its one-third of Ant through a subsidiary it controls."""
    analysis = analyse(bundled_graph, "2023-06")
    result = analysis.economic_interest("ant_group")
    holders = {h["id"] for h in result["holders"]}
    behind = [b for b in result["behind"] if b["id"] == AGH]
    assert behind, result["behind"]
    [item] = behind
    assert item["through"][0] == AGH and item["through"][-1] == item["holder"]
    assert item["holder"] in holders and "contract" not in " ".join(item["rules"])
    assert item["share"].startswith("unknown share, through ") or item["interest"] is not None


def test_alibaba_group_holding_verdict_rests_on_dated_observations(bundled_graph):
    """Each basis entry is an observation of the data, aged at the date asked."""
    document = analyse(bundled_graph, "2023-06").controllers(AGH)
    assert document["verdict"] in ("no controlling party", "controlled", "may be controlled", "contested")
    for item in document["basis"]:
        assert item["age_years"] >= 0 and item["stale"] == (item["age_years"] > 3)


def test_alipay_com_is_controlled_by_one_party_at_every_date(bundled_graph):
    """Alipay.com Co.: Alibaba's subsidiary until the 2011 spin-off, then held by the company later named
    Ant Financial and Ant Group (case §3.1, n 12), which Jack Ma controlled until January 2023 (§4, n 73).
    The July 2011 agreement names that company Zhejiang Alibaba E-Commerce: one company under two names,
    never two parties contesting control."""
    _require(bundled_graph, "alipay_com_co", "zhejiang_alibaba_ecommerce", "ant_group")
    for when, controller in (("2010", AGH), ("2012", "jack_ma"), ("2016", "jack_ma"), ("2022-06", "jack_ma"),
                             ("2024", "ant_group")):
        answer = analyse(bundled_graph, when).controllers("alipay_com_co")
        assert answer["verdict"] == "controlled", (when, answer["verdict"], answer["ultimate"])
        assert [u["id"] for u in answer["ultimate"]] == [controller], when
