"""The same records in YAML and JSON load alike; synthetic data is deterministic; building the
graph leaves the garbage collector as it found it.

(The SQLite index that replaced the cache is tested in test_index.py.)
"""

from __future__ import annotations

import sys
from pathlib import Path


from ecosystem import loader
from ecosystem.graph import build_graph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import make_records, write_dataset  # noqa: E402

def _plain(dataset) -> dict:
    return {
        "sources": dataset.sources, "entities": dataset.entities, "relations": dataset.relations,
        "views": dataset.views, "locations": dataset.locations, "vocabulary": dataset.vocabulary.model_dump(),
    }


def test_json_and_yaml_of_the_same_records_agree(tmp_path):
    write_dataset(tmp_path / "y", 500, fmt="yaml", seed=3)
    write_dataset(tmp_path / "j", 500, fmt="json", seed=3)
    from_yaml, from_json = loader.load(tmp_path / "y", use_cache=False), loader.load(tmp_path / "j", use_cache=False)
    assert from_yaml.entities == from_json.entities and from_yaml.relations == from_json.relations


def test_synthetic_records_are_deterministic():
    assert make_records(300, seed=1) == make_records(300, seed=1)
    assert make_records(300, seed=1) != make_records(300, seed=2)


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


def test_the_graph_holds_every_record_with_its_category(valid_dir):
    dataset = loader.load(valid_dir, use_cache=False)
    graph = build_graph(dataset)
    assert list(graph.nodes) == list(dataset.entities)
    assert graph.nodes["holdco"] == dataset.entities["holdco"] and graph.nodes["holdco"] is not dataset.entities["holdco"]
    categories = {t: d.category for t, d in dataset.vocabulary.relation_types.items()}
    edges = list(graph.edges(keys=True, data=True))
    assert sorted(key for _, _, key, _ in edges) == sorted(dataset.relations)
    for source, target, key, data in edges:
        record = dataset.relations[key]
        assert (source, target) == (record["from"], record["to"])
        expected = {k: v for k, v in record.items() if k not in ("from", "to")}
        assert data == {**expected, "category": categories[record["type"]]}
    assert "from" in next(iter(dataset.relations.values()))  # the dataset's records are left whole
