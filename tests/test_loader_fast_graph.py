"""build_graph fills networkx's adjacency dicts directly: the graph equals the one add_edge builds.

And a query on a warm cache neither imports the record models nor builds their validators.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx

from ecosystem import loader
from ecosystem.graph import build_graph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import write_dataset  # noqa: E402


def _with_add_edge(dataset) -> nx.MultiDiGraph:
    """The graph as the public networkx API builds it (the reference)."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((entity_id, record) for entity_id, record in dataset.entities.items())
    categories = {type_id: d.category for type_id, d in dataset.vocabulary.relation_types.items()}
    for relation_id, record in dataset.relations.items():
        attributes = {key: value for key, value in record.items() if key not in ("from", "to")}
        attributes["category"] = categories.get(record["type"], "")
        graph.add_edge(record["from"], record["to"], key=relation_id, **attributes)
    return graph


def _same(built: nx.MultiDiGraph, reference: nx.MultiDiGraph) -> None:
    # the same nodes, edges, keys and attributes, in the same orders, and the same sharing
    assert list(built.nodes(data=True)) == list(reference.nodes(data=True))
    assert list(built.edges(keys=True, data=True)) == list(reference.edges(keys=True, data=True))
    assert repr(built._succ) == repr(reference._succ)
    assert repr(built._pred) == repr(reference._pred)
    for u, targets in built._succ.items():
        for v, keys in targets.items():
            assert built._pred[v][u] is keys
            for data in keys.values():
                assert list(data) == list(data.keys()) and isinstance(data, dict)
    assert list(built.in_edges(keys=True)) == list(reference.in_edges(keys=True))
    assert built.number_of_edges() == reference.number_of_edges()
    reference.graph.update(built.graph)  # graph attributes are set as before, outside the fill
    assert nx.utils.graphs_equal(built, reference)


def test_the_bundled_graph_equals_the_add_edge_graph(bundled_dataset):
    _same(build_graph(bundled_dataset), _with_add_edge(bundled_dataset))


def test_a_synthetic_graph_equals_the_add_edge_graph(tmp_path):
    write_dataset(tmp_path / "data", 300, fmt="yaml")
    dataset = loader.load(tmp_path / "data", use_cache=False)
    _same(build_graph(dataset), _with_add_edge(dataset))


def test_parallel_edges_self_loops_and_edge_only_nodes(valid_dir):
    dataset = loader.load(valid_dir, use_cache=False)
    entity = next(iter(dataset.entities))
    relation = next(iter(dataset.relations.values()))
    dataset.relations["loop"] = dict(relation, **{"from": entity, "to": entity})
    dataset.relations["twin"] = dict(relation)
    dataset.relations["ghost"] = dict(relation, **{"from": "nowhere", "to": "elsewhere"})
    _same(build_graph(dataset), _with_add_edge(dataset))


def test_a_warm_cache_query_imports_no_record_models(tmp_path):
    env = dict(os.environ, ECOSYSTEM_CACHE_DIR=str(tmp_path / "cache"))
    code = ("import sys; from ecosystem.loader import load; from ecosystem.graph import build_graph; "
            "build_graph(load()); print(sorted(m for m in sys.modules if m in "
            "('ecosystem.models', 'ecosystem._yaml', 'yaml', 'yaml_rs')))")
    first = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "ecosystem.models" in first.stdout  # a cold cache reads the files
    warm = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert warm.stdout.strip() == "[]"


def test_loading_and_building_leave_the_collector_as_they_found_it(valid_dir):
    import gc

    assert gc.isenabled()
    build_graph(loader.load(valid_dir, use_cache=False))
    assert gc.isenabled() and gc.get_freeze_count() == 0  # promoted to the oldest generation, not frozen
    gc.disable()
    try:
        build_graph(loader.load(valid_dir, use_cache=False))
        assert not gc.isenabled()
    finally:
        gc.enable()
