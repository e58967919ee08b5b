"""``economic.final_owners_all``: the final owners and closed cycle of every entity at once, equal to
``economic_interest`` (the reference) for every entity, on generated graphs and the bundled data."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from ecosystem.control import analyse, economic

BUNDLED_DATES = ("2014", "2020", "2024")


def reference(analysis, entity_id):
    """The two record fields as ``economic_interest`` gives them: its final holders, its closed cycle."""
    result = economic.economic_interest(analysis, entity_id)
    owners = [{"id": h["id"], "low": h["interest"]["low"], "high": h["interest"]["high"]}
              for h in result["holders"] if h["final"]]
    return owners, result["closed_cycle"] or []


def compare(graph, when):
    """Both ways for every entity; the differences, and what the reference gave (for coverage checks)."""
    analysis = analyse(graph, when)
    every = economic.final_owners_all(analysis)
    assert set(every) == set(graph)
    expected = {node: reference(analysis, node) for node in graph}
    return [(node, expected[node], every[node]) for node in graph if every[node] != expected[node]], expected


def test_generated_graphs_every_entity_equals_the_reference():
    from spark_graphs import DATES, generated_graph

    seen = {"owners": 0, "range": 0, "closed": 0, "shared": 0, "high only": 0}
    for seed in range(9116, 9128):  # seeds whose graphs reach closed cycles too
        graph = generated_graph(seed=seed, count=8)
        for when in DATES:
            differ, expected = compare(graph, when)
            assert not differ, differ[:3]
            for owners, closed in expected.values():
                seen["owners"] += bool(owners)
                seen["range"] += any(o["low"] != o["high"] for o in owners)
                seen["shared"] += len(owners) > 1
                seen["closed"] += bool(closed)
                seen["high only"] += bool(closed and owners)
    # the graphs reach these cases, so the comparison covers them
    assert seen["owners"] > 100 and seen["range"] > 20 and seen["shared"] > 20 and seen["closed"] > 2 and seen["high only"] > 2, seen


@pytest.mark.parametrize("when", BUNDLED_DATES)
def test_bundled_data_every_entity_equals_the_reference(bundled_graph, when):
    differ, expected = compare(bundled_graph, when)
    assert not differ, differ[:3]
    assert sum(bool(owners) for owners, _ in expected.values()) >= 10


# -- hand-built graphs: the cases the generated ones reach seldom ---------------------------------


def graph_of(edges, people=()):
    """A graph of the graph contract from ``(holder, target, equity)`` (equity a share dict or None)."""
    from ecosystem.vocabulary import bundled_vocabulary

    vocabulary = bundled_vocabulary()
    graph = nx.MultiDiGraph()
    graph.graph.update(name="hand", vocabulary=vocabulary, sources={}, views={}, latest_date="2020")
    nodes = {n for u, v, _ in edges for n in (u, v)}
    for node in sorted(nodes):
        graph.add_node(node, id=node, name=node, type="person" if node in people else "company")
    for number, (u, v, equity) in enumerate(edges):
        key = f"r{number}"
        data = {"type": "owns", "id": key, "sources": [{"source": "hand"}], "category": "ownership"}
        if equity is not None:
            data["equity"] = equity
        graph.add_edge(u, v, key=key, **data)
    return graph


def shuffled(graph, seed):
    """The same graph with its nodes and relations added in another order."""
    rng = random.Random(seed)
    nodes, edges = list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    other = nx.MultiDiGraph()
    other.graph.update(graph.graph)
    other.add_nodes_from(nodes)
    other.add_edges_from(edges)
    return other


def test_several_closed_cycles_upstream_the_least_is_reported_whatever_the_order():
    # two closed cycles (companies holding all of each other) above x; z below x
    edges = [("b1", "b2", {"value": 100.0}), ("b2", "b1", {"value": 100.0}),
             ("a1", "a2", {"value": 100.0}), ("a2", "a1", {"value": 100.0}),
             ("b1", "x", {"value": 40.0}), ("a2", "x", {"value": 30.0}), ("p", "x", {"value": 30.0}),
             ("x", "z", {"value": 50.0}), ("p", "z", {"value": 50.0}), ("b2", "y", {"value": 70.0})]
    graph = graph_of(edges, people={"p"})
    for seed in range(6):
        other = shuffled(graph, seed)
        differ, expected = compare(other, "2020")
        assert not differ, differ
        assert expected["x"] == ([], ["a1", "a2"]) and expected["z"] == ([], ["a1", "a2"])
        assert expected["y"] == ([], ["b1", "b2"])


def test_a_cycle_closed_only_by_the_high_ends_keeps_the_low_owners_up_to_100():
    # a and q hold unknown shares of b (0-100% each), b all of a: closed with the high ends only; with the
    # low ends nobody holds b, so b is a final owner of x (through a) beside p
    edges = [("a", "b", None), ("q", "b", None), ("b", "a", {"value": 100.0}),
             ("a", "x", {"value": 50.0}), ("p", "x", {"min": 20.0, "max": 50.0})]
    graph = graph_of(edges, people={"p", "q"})
    differ, expected = compare(graph, "2020")
    assert not differ, differ
    assert expected["x"] == ([{"id": "b", "low": 50.0, "high": 100.0}, {"id": "p", "low": 20.0, "high": 100.0}],
                             ["a", "b"])


def test_cross_holdings_and_a_range_solve_as_one_system():
    # a and b hold 30% of each other; p and q hold the rest; x below both, through a range
    edges = [("a", "b", {"value": 30.0}), ("b", "a", {"value": 30.0}), ("p", "a", {"value": 70.0}),
             ("q", "b", {"value": 70.0}), ("a", "x", {"min": 10.0, "max": 40.0}), ("b", "x", {"value": 60.0}),
             ("x", "y", {"value": 100.0})]
    graph = graph_of(edges, people={"p", "q"})
    differ, expected = compare(graph, "2020")
    assert not differ, differ
    # by hand: a is p's 0.7/(1-0.09) and q's 0.21/(1-0.09); b the other way round
    owners = {o["id"]: (o["low"], o["high"]) for o in expected["y"][0]}
    pa, qa = 0.7 / 0.91, 0.21 / 0.91
    assert owners["p"] == pytest.approx((100 * (0.1 * pa + 0.6 * qa), 100 * (0.4 * pa + 0.6 * qa)), abs=1e-6)
    assert owners["q"] == pytest.approx((100 * (0.1 * qa + 0.6 * pa), 100 * (0.4 * qa + 0.6 * pa)), abs=1e-6)


def test_an_entity_outside_its_dates_has_no_owners_and_an_unknown_one_is_a_key_error():
    graph = graph_of([("p", "x", {"value": 60.0})], people={"p"})
    graph.nodes["x"]["start"] = "2021"
    every = economic.final_owners_all(analyse(graph, "2020"))
    assert every["x"] == ([], []) and every["p"] == ([], [])
    assert economic.final_owners_all(analyse(graph, "2022"))["x"] == ([{"id": "p", "low": 60.0, "high": 60.0}], [])
    with pytest.raises(KeyError):
        every["nobody"]


def test_a_figure_at_a_rounding_tie_is_the_reference_one():
    # 48.3% x 56.3% x 52.5% = 14.2762725%: a tie at the 6th decimal, where the order in which the shares
    # are multiplied decides the rounded figure; p's interest in x is the per-entity solve's
    edges = [("p", "c3", {"value": 48.3}), ("q", "c3", {"value": 51.7}), ("c3", "c2", {"value": 56.3}),
             ("c2", "x", {"value": 52.5})]
    graph = graph_of(edges, people={"p", "q"})
    differ, expected = compare(graph, "2020")
    assert not differ, differ
    owners = {o["id"]: o["low"] for o in expected["x"][0]}
    assert abs(owners["p"] - 14.2762725) < 0.6e-6
