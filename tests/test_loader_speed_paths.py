"""The same records in YAML and JSON load alike; synthetic data is deterministic; building the
graph leaves the garbage collector as it found it.

* the cache: hit on unchanged files; missed on any changed byte, a new file, a removed file or a
  new package version; a corrupt cache file is ignored and rewritten; never written beside the data.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

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


# --- the cache --------------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path, valid_dir):
    target = tmp_path / "data"
    shutil.copytree(valid_dir, target)
    return target


def _cache_files():
    """The cache's entries (folders), leaving out any still being made."""
    return sorted(path for path in loader.cache_dir().glob("*") if not path.name.endswith(".tmp"))


def test_a_repeat_load_reads_the_cache_and_gives_the_same_dataset(data):
    first = loader.load(data)
    assert len(_cache_files()) == 1
    reader_runs = []
    original = loader._read_files
    loader._read_files = lambda *a: reader_runs.append(1) or original(*a)
    try:
        second = loader.load(data)
    finally:
        loader._read_files = original
    assert reader_runs == []
    assert _plain(first) == _plain(second)


@pytest.mark.parametrize("change", ["byte", "new file", "removed file", "version"])
def test_the_cache_is_invalidated_by_any_change(data, change, monkeypatch):
    loader.load(data)
    before = _cache_files()
    if change == "byte":
        path = data / "entities.yaml"
        path.write_bytes(path.read_bytes().replace(b"Citizen A", b"Citizen Z"))
    elif change == "new file":
        (data / "more.yaml").write_text(
            "entities:\n  - {id: extra, name: Extra Co, type: company, sources: [\"case\"]}\n", encoding="utf-8")
    elif change == "removed file":
        (data / "more.yaml").write_text("entities:\n  - {id: extra, name: Extra Co, type: company, sources: [\"case\"]}\n",
                                        encoding="utf-8")
        loader.load(data)
        before = _cache_files()
        (data / "more.yaml").unlink()
    else:
        from ecosystem import _cache

        monkeypatch.setattr(_cache, "__version__", "99.0")
    dataset = loader.load(data)
    if change != "removed file":  # a miss: the data was read again and cached under a new key
        assert set(_cache_files()) - set(before)
    if change == "byte":
        assert dataset.entities["citizen_a"]["name"] == "Citizen Z"
    if change == "new file":
        assert "extra" in dataset.entities
    if change == "removed file":
        assert "extra" not in dataset.entities


@pytest.mark.parametrize("damaged", ["header", "records"])
def test_a_corrupt_cache_entry_is_ignored_and_rewritten(data, damaged):
    expected = _plain(loader.load(data))
    (entry,) = _cache_files()
    files = sorted(path.name for path in entry.iterdir())
    assert "header" in files and len(files) >= 2
    damaged = "header" if damaged == "header" else next(name for name in files if name != "header")
    for garbage in (b"", b"\x00\x01garbage", (entry / damaged).read_bytes()[:100], None):
        if garbage is None:
            (entry / damaged).unlink()
        else:
            (entry / damaged).write_bytes(garbage)
        assert _plain(loader.load(data)) == expected
        assert sorted(path.name for path in entry.iterdir()) == files
        assert (entry / damaged).read_bytes() not in (b"", garbage)
    assert [path.name for path in loader.cache_dir().iterdir()] == [entry.name]  # nothing left half-made


def test_the_cache_is_never_written_beside_the_data(data, tmp_path):
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    loader.load(data)
    loader.load(data)
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before
    assert _cache_files() and all(data not in path.parents for path in _cache_files())
    assert loader.cache_dir() != data and data not in loader.cache_dir().parents



def test_folders_left_half_made_long_ago_are_removed(data):
    loader.load(data)
    cache = loader.cache_dir()
    old, recent = cache / "0123.99999.tmp", cache / "4567.99998.tmp"
    for folder in (old, recent):
        folder.mkdir()
        (folder / "records").write_bytes(b"partial")
    os.utime(old, (0, 0))  # made long ago by a process that died
    (data / "entities.yaml").write_bytes((data / "entities.yaml").read_bytes() + b"\n# changed\n")
    loader.load(data)  # a miss: a new entry is made
    assert not old.exists() and recent.exists()


def test_an_entry_is_replaced_when_its_data_changes_and_others_are_kept(data, tmp_path, valid_dir):
    other = tmp_path / "other"
    shutil.copytree(valid_dir, other)
    loader.load(other)
    loader.load(data)
    first = set(_cache_files())
    assert len(first) == 2  # one entry a data folder
    (data / "entities.yaml").write_bytes((data / "entities.yaml").read_bytes() + b"\n# edited\n")
    loader.load(data)
    after = set(_cache_files())
    assert len(after) == 2 and len(after & first) == 1  # the edited folder's old entry is gone, the other kept
    assert _plain(loader.load(other)) == _plain(loader.read_dataset(other))


def test_an_entry_nobody_read_for_a_long_time_is_removed(data, tmp_path, valid_dir):
    other = tmp_path / "other"
    shutil.copytree(valid_dir, other)
    loader.load(other)
    (stale,) = _cache_files()
    os.utime(stale, (0, 0))
    loader.load(data)  # a new entry: the stale one goes
    assert not stale.exists() and len(_cache_files()) == 1
    loader.load(data)  # a read marks its entry as used
    (used,) = _cache_files()
    assert time.time() - used.stat().st_mtime < 60


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
