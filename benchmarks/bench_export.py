"""Export speed on a synthetic 300,000-relation graph: GraphML and BODS.

    python benchmarks/bench_export.py [--relations 300000]

Reports time and peak memory (tracemalloc) of our GraphML and BODS writers, and the GraphML time
against plain ``networkx.write_graphml`` on the same graph, measured in the same run
(target: at most 1.5x). A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def synthetic_graph(relations: int, seed: int = 7):
    import networkx as nx

    from ecosystem._yaml import parse
    from ecosystem.loader import bundled_data_dir
    from ecosystem.vocabulary import Vocabulary

    vocabulary = Vocabulary.from_mapping(parse((bundled_data_dir() / "vocabulary.yaml").read_text(encoding="utf-8")))
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    graph.graph.update(name="synthetic", vocabulary=vocabulary, latest_date="2023-12-31",
                       sources={"case": {"kind": "case_study", "title": "Case", "date": "2023"}})
    entities = max(relations // 3, 10)
    kinds = ["company"] * 6 + ["person"] * 3 + ["partnership"]
    for number in range(entities):
        kind = kinds[number % len(kinds)]
        graph.add_node(f"e{number}", id=f"e{number}", name=f"Entity {number} 公司", type=kind,
                       aliases=[f"E{number}"], start=f"{1990 + number % 30}",
                       sources=[{"source": "case", "locator": f"§{number % 9}"}])
    types = ["owns", "owns", "controls", "officer_of", "regulates", "competes_with"]
    for number in range(relations):
        kind = types[number % len(types)]
        u = f"e{rng.randrange(entities)}"
        v = f"e{rng.randrange(entities)}"
        data = {"id": f"r{number}", "type": kind, "category": vocabulary.relation_types[kind].category,
                "sources": [{"source": "case", "locator": f"n {number % 50}"}]}
        if kind == "owns":
            data["equity"] = {"value": rng.randint(1, 60)} if number % 4 else {"min": 10, "max": 30}
            data["start"] = f"{2000 + number % 20}-0{1 + number % 9}"
        graph.add_edge(u, v, key=f"r{number}", **data)
    return graph


def measure(function, *args):
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    function(*args)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak


def plain_networkx(graph, path):
    """What ``networkx.write_graphml`` needs: the same graph with scalar attributes only."""
    import networkx as nx

    nx.write_graphml(graph, path)


def scalar_copy(graph):
    import networkx as nx

    from ecosystem.exporters.graphml import edge_columns, node_columns

    copy = nx.MultiDiGraph()
    copy.add_nodes_from((node, node_columns(graph, node, data)) for node, data in graph.nodes(data=True))
    copy.add_edges_from((u, v, key, edge_columns(graph, key, data)) for u, v, key, data in graph.edges(keys=True, data=True))
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relations", type=int, default=300_000)
    parser.add_argument("--no-memory", action="store_true", help="time without tracemalloc (faster, less overhead)")
    arguments = parser.parse_args()

    from ecosystem.exporters.bods import write_bods
    from ecosystem.exporters.graphml import write_graphml

    started = time.perf_counter()
    graph = synthetic_graph(arguments.relations)
    print(f"graph: {graph.number_of_nodes():,} entities, {graph.number_of_edges():,} relations "
          f"(built in {time.perf_counter() - started:.1f}s)")
    # networkx.write_graphml cannot write our dict/list attributes at all; give it the same
    # attributes already flattened to scalars (so it does strictly less work than our writer)
    baseline_graph = scalar_copy(graph)

    def timed(function, *args):
        if arguments.no_memory:
            gc.collect()
            started = time.perf_counter()
            function(*args)
            return time.perf_counter() - started, None
        return measure(function, *args)

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        ours, ours_peak = timed(write_graphml, graph, folder / "ours.graphml")
        theirs, theirs_peak = timed(plain_networkx, baseline_graph, folder / "networkx.graphml")
        bods, bods_peak = timed(write_bods, graph, folder / "bods.json")
        sizes = {name: (folder / name).stat().st_size for name in ("ours.graphml", "networkx.graphml", "bods.json")}

    def memory(peak):
        return "" if peak is None else f", peak {peak / 2**20:,.0f} MiB"

    print(f"GraphML (ours):            {ours:6.1f}s{memory(ours_peak)}, {sizes['ours.graphml'] / 2**20:,.0f} MiB file")
    print(f"GraphML (networkx plain):  {theirs:6.1f}s{memory(theirs_peak)}, {sizes['networkx.graphml'] / 2**20:,.0f} MiB file")
    print(f"GraphML ratio ours/networkx: {ours / theirs:.2f}x (target <= 1.5x)")
    print(f"BODS:                      {bods:6.1f}s{memory(bods_peak)}, {sizes['bods.json'] / 2**20:,.0f} MiB file")


if __name__ == "__main__":
    main()
