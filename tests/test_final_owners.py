"""``economic.final_owners_all``: the final owners and closed cycle of every entity at once, equal to
``economic_interest`` (the reference) for every entity, on generated graphs and the bundled data."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from spark_graphs import shuffled

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


def test_a_figure_at_a_rounding_tie_is_rounded_half_up_whatever_the_order_of_the_products():
    # 48.3% x 56.3% x 52.5% = 14.2762725%: a tie at the 6th decimal; multiplied in one order or another
    # the float lands on either side of it, and the records round it up (as Spark's round does)
    edges = [("p", "c3", {"value": 48.3}), ("q", "c3", {"value": 51.7}), ("c3", "c2", {"value": 56.3}),
             ("c2", "x", {"value": 52.5})]
    graph = graph_of(edges, people={"p", "q"})
    differ, expected = compare(graph, "2020")
    assert not differ, differ
    owners = {o["id"]: o["low"] for o in expected["x"][0]}
    assert owners["p"] == 14.276273 and owners["q"] == 15.281228  # 51.7 x 56.3 x 52.5 = 15.2812275: a tie too


def test_the_rounding_rule_is_half_up_on_the_decimal_figure():
    from decimal import ROUND_HALF_UP, Decimal

    from ecosystem.control.rules import rounded

    # the products of a 3-step chain in its three orders: one figure, the decimal one rounded half up
    rng = random.Random(5)
    for _ in range(5000):
        a, b, c = (rng.randint(1, 1000) / 10 for _ in range(3))
        exact = (Decimal(str(a)) * Decimal(str(b)) * Decimal(str(c)) / 10000).quantize(Decimal("1e-6"), ROUND_HALF_UP)
        figures = {rounded(a / 100 * b / 100 * c / 100 * 100), rounded(a * (b * c) / 10000), rounded((a * b) * c / 10000)}
        assert figures == {float(exact)}, (a, b, c, figures)
    assert rounded(0.0000005) == 0.000001 and rounded(2.5e-7) == 0.0 and rounded(-0.0) == 0.0
    assert rounded(12.3456785) == 12.345679 and rounded(99.9999995) == 100.0 and rounded(33.333333333) == 33.333333
    assert rounded(1.0000000005) == 1.000000  # half up to 9 decimals first (1.000000001), then to 6


def test_a_cycle_whose_high_ends_add_past_100_around_a_closed_pair_reports_the_pair():
    # a and b hold unknown shares of each other (with the high ends, all of each other: a closed pair),
    # c holds an unknown share of a, b and q 50% of c each: c is below the pair, closed by the high ends
    # alone, so the low ends' final owners are given with high 100 (the high run has no figure)
    edges = [("a", "b", None), ("b", "a", None), ("b", "c", {"value": 50.0}), ("q", "c", {"value": 50.0}),
             ("c", "a", None)]
    graph = graph_of(edges, people={"q"})
    differ, expected = compare(graph, "2020")
    assert not differ, differ
    assert expected["c"] == ([{"id": "b", "low": 50.0, "high": 100.0}, {"id": "q", "low": 50.0, "high": 100.0}],
                             ["a", "b"])


def test_a_cycle_whose_high_ends_add_past_100_without_closing_is_closed_by_the_high_ends():
    # a is held 0-60% by b and 0-60% by c, each of them 0-90% by a (p and r hold 10%): with the high ends
    # the walks around the cycle add up past 100% (0.6 x 0.9 twice: spectral radius above 1), so its high
    # run has no figure; the low ends' owners are given with high 100, and the cycle is reported
    edges = [("b", "a", {"min": 0.0, "max": 60.0}), ("c", "a", {"min": 0.0, "max": 60.0}),
             ("a", "b", {"min": 0.0, "max": 90.0}), ("p", "b", {"value": 10.0}),
             ("a", "c", {"min": 0.0, "max": 90.0}), ("r", "c", {"value": 10.0}), ("b", "x", {"value": 50.0})]
    graph = graph_of(edges, people={"p", "r"})
    differ, expected = compare(graph, "2020")
    assert not differ, differ
    assert expected["b"] == ([{"id": "p", "low": 10.0, "high": 100.0}], ["a", "b", "c"])
    assert expected["x"] == ([{"id": "p", "low": 5.0, "high": 100.0}], ["a", "b", "c"])


def test_a_cycle_passing_on_almost_all_it_holds_is_solved():
    # a holds all of b, b 99% of a, p 1% of a: p's interest in both is 100% (a slowly converging series)
    edges = [("a", "b", {"value": 100.0}), ("b", "a", {"value": 99.0}), ("p", "a", {"value": 1.0})]
    graph = graph_of(edges, people={"p"})
    differ, expected = compare(graph, "2020")
    assert not differ, differ
    assert expected["a"] == expected["b"] == ([{"id": "p", "low": 100.0, "high": 100.0}], [])


def test_a_system_without_a_non_negative_solution_is_refused():
    import numpy as np
    from scipy.sparse import csr_matrix

    # a and b hold 60% and 90% of each other twice over: 0.6 x 0.9 x 2 > 1, no figure
    growing = csr_matrix(np.array([[0.0, 0.9, 0.9], [0.6, 0.0, 0.0], [0.6, 0.0, 0.0]]))
    with pytest.raises(ValueError):
        economic._solve(growing, np.ones(3))
    held = csr_matrix(np.array([[0.0, 0.5], [0.5, 0.0]]))
    assert economic._solve(held, np.ones(2)) == pytest.approx([2.0, 2.0])
