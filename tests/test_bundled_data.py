"""The bundled dataset (issue 3): valid, connected, fully cited, names unambiguous, and the
analyst's questions the case raises answerable from the data."""

from __future__ import annotations

from ecosystem.query import fold, names_of, paths, statistics


def test_bundled_data_is_large_and_valid(bundled_dataset):
    assert len(bundled_dataset.entities) >= 100
    assert len(bundled_dataset.relations) >= 250


def test_every_entity_has_a_relation(bundled_graph):
    assert statistics(bundled_graph)["isolated_entities"] == []


def test_every_record_and_fact_is_cited_and_every_source_is_used(bundled_graph):
    assert all(data.get("sources") for _, data in bundled_graph.nodes(data=True))
    assert all(data.get("sources") for _, _, data in bundled_graph.edges(data=True))
    assert all(fact.get("sources") for _, data in bundled_graph.nodes(data=True) for fact in data.get("facts", []))
    assert statistics(bundled_graph)["uncited_sources"] == []


def test_no_two_entities_share_a_name_unless_marked_distinct(bundled_graph):
    seen = {}
    for node, data in bundled_graph.nodes(data=True):
        for kind, name in names_of(data):
            if kind == "pinyin":
                continue  # derived, not written by hand
            key = fold(name)
            other = seen.setdefault(key, node)
            if other != node:
                distinct = set(data.get("distinct_from", [])) | set(bundled_graph.nodes[other].get("distinct_from", []))
                assert other in distinct or node in distinct, f"{node} and {other} both answer to {name!r}"


def test_main_entities_have_chinese_names(bundled_graph):
    expected = {"ant_group": "蚂蚁集团", "taobao": "淘宝", "tmall": "天猫", "alipay": "支付宝", "mybank": "网商银行",
                "samr": "国家市场监督管理总局", "pboc": "中国人民银行"}
    for entity_id, name in expected.items():
        assert name in bundled_graph.nodes[entity_id].get("names", {}).get("zh", ""), entity_id


def test_the_fine_and_the_stakes_are_as_the_sources_give_them(bundled_graph):
    fines = [d for u, v, d in bundled_graph.edges(data=True)
             if (u, v, d["type"]) == ("samr", "alibaba_group_holding", "fined")]
    assert [(f["amount"]["value"], f["amount"]["unit"], f["amount"]["currency"]) for f in fines] == [(18.228, "billion", "CNY")]
    assert fines[0]["start"].startswith("2021-04")
    listed = {(u, v): d.get("start") for u, v, d in bundled_graph.edges(data=True) if d["type"] == "listed_on"}
    assert listed[("alibaba_group_holding", "nyse")] == "2014-09-19"


def test_a_taobao_merchant_is_tied_to_mybank(bundled_graph):
    found = paths(bundled_graph, "taobao", "mybank")
    assert found and len(found[0]) <= 3
    assert all(edge["sources"] for chain in found for edge in chain)
