"""Benchmark: control and economic interest on a synthetic graph of 1,000,000 ownership relations.

    python benchmarks/bench_control.py            # 1,000,000 relations
    python benchmarks/bench_control.py --relations 100000

Builds, in memory, a graph shaped like the bundled one (entity ids as nodes, relation ids as keys,
``owns`` edges with share dicts): people and companies, each company with four holders, most of
them upstream (earlier companies or people), some downstream (cross-holdings, hence cycles), a
majority holder in most companies, a few range and approximate shares. Then, in one run:

* baseline: one breadth-first traversal of the whole graph with networkx (every node, every edge);
* ultimate controllers of EVERY entity (``analyse`` once — both runs, low and high ends — then
  ``ultimate_map()``, the controllers of each node; chains are built on demand, not here);
* the economic interest of every holder in one company with a large upstream, by one sparse solve.

Prints each time, the ratios to the baseline (targets: <= 10x each) and the peak memory of the
process (``resource.getrusage``; tracemalloc would slow the Python being measured). Not a test.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402

from ecosystem.control import analyse  # noqa: E402

HOLDERS_PER_COMPANY = 4


def build(relations: int, seed: int = 7) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    companies = relations // HOLDERS_PER_COMPANY
    people = max(10, companies // 3)
    graph = nx.MultiDiGraph(name="synthetic", latest_date=None)
    graph.add_nodes_from((f"p{i}", {"name": f"Person {i}", "type": "person"}) for i in range(people))
    graph.add_nodes_from((f"c{i}", {"name": f"Company {i}", "type": "company"}) for i in range(companies))
    count = 0
    for i in range(companies):
        chosen = set()
        while len(chosen) < HOLDERS_PER_COMPANY:
            roll = rng.random()
            if roll < 0.35 or i == 0:
                holder = f"p{rng.randrange(people)}"
            elif roll < 0.95:
                holder = f"c{rng.randrange(i)}" if i else f"p{rng.randrange(people)}"
            else:  # a cross-holding: a later company holds an earlier one
                holder = f"c{rng.randrange(companies)}"
            if holder != f"c{i}":
                chosen.add(holder)
        holders = sorted(chosen)
        rng.shuffle(holders)
        if rng.random() < 0.6:  # a majority holder
            shares = [round(rng.uniform(51, 80), 2)]
        else:
            shares = [round(rng.uniform(10, 45), 2)]
        left = 100 - shares[0]
        for _ in holders[1:]:
            part = round(rng.uniform(0, left / 2), 2)
            shares.append(part)
            left -= part
        for holder, share in zip(holders, shares):
            roll = rng.random()
            if roll < 0.01:
                equity = {"min": max(0.0, share - 5), "max": min(100.0, share + 5)}
            elif roll < 0.02:
                equity = {"value": share, "approximate": True}
            else:
                equity = {"value": share}
            graph.add_edge(holder, f"c{i}", key=f"r{count}", type="owns", equity=equity, category="ownership")
            count += 1
    return graph


def bfs_everything(graph) -> int:
    """One breadth-first traversal of the whole graph (networkx ``bfs_layers``) from every root,
    then from any node still unreached (reachable only from a cycle)."""
    roots = [node for node, degree in graph.in_degree() if degree == 0]
    seen = set()
    for layer in nx.bfs_layers(graph, roots):
        seen.update(layer)
    for node in graph:
        if node not in seen:
            for layer in nx.bfs_layers(graph, [node]):
                seen.update(layer)
    return len(seen)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relations", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    graph = build(args.relations, args.seed)
    print(f"graph: {graph.number_of_nodes():,} entities, {graph.number_of_edges():,} ownership relations "
          f"(built in {time.perf_counter() - started:.1f}s); peak memory so far {peak_mb():,.0f} MB")

    started = time.perf_counter()
    reached = bfs_everything(graph)
    baseline = time.perf_counter() - started
    print(f"baseline  networkx BFS over the whole graph ({reached:,} nodes): {baseline:.2f}s")

    started = time.perf_counter()
    analysis = analyse(graph)
    solved = time.perf_counter() - started
    every = analysis.ultimate_map()
    controlled = sum(any(status == "controls" for _, status in found) for found in every.values())
    may = sum(bool(found) and all(status != "controls" for _, status in found) for found in every.values())
    cyclic = sum(len(found) > 1 for found in every.values())
    control_time = time.perf_counter() - started
    print(f"control   ultimate controllers of all {graph.number_of_nodes():,} entities: {control_time:.2f}s "
          f"(fixed point, both runs {solved:.2f}s) — {controlled:,} controlled, {may:,} may be, "
          f"{cyclic:,} by more than one (cycles, concert, possible)")

    # the company with the largest upstream among a sample of late companies
    companies = graph.number_of_edges() // HOLDERS_PER_COMPANY
    target = f"c{companies - 1}"
    started = time.perf_counter()
    result = analysis.economic_interest(target)
    economic_time = time.perf_counter() - started
    finals = [h for h in result["holders"] if h["final"]]
    total = sum(h["interest"]["low"] for h in finals)
    print(f"economic  interest of every holder in {target} by sparse solve: {economic_time:.2f}s — "
          f"{len(result['holders']):,} holders upstream, {len(finals):,} final owners holding {total:.4f}%"
          + (f"; closed cycle {result['closed_cycle'][:5]}" if result["closed_cycle"] else ""))

    print(f"ratio     control / BFS  = {control_time / baseline:.2f}x (target <= 10x)")
    print(f"ratio     economic / BFS = {economic_time / baseline:.2f}x (target <= 10x)")
    print(f"memory    peak resident set {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
