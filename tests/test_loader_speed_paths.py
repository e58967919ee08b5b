"""The loader's fast paths give exactly what the plain paths give.

* the optional yaml-rs parser (behind a YAML 1.1/1.2 safety scan) and PyYAML alone load
  identical Datasets, on the valid fixtures and on a synthetic dataset;
* texts where YAML 1.1 and 1.2 disagree never take the fast path;
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

from ecosystem import _yaml, loader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import make_records, write_dataset  # noqa: E402

needs_fast = pytest.mark.skipif(not _yaml.fast_available(), reason="yaml-rs is not installed")


def _plain(dataset) -> dict:
    return {
        "sources": dataset.sources, "entities": dataset.entities, "relations": dataset.relations,
        "views": dataset.views, "locations": dataset.locations, "vocabulary": dataset.vocabulary.model_dump(),
    }


def _load_both(path, monkeypatch):
    fast = loader.load(path, use_cache=False)
    with monkeypatch.context() as patch:
        patch.setattr(_yaml, "_yaml_rs", None)
        slow = loader.load(path, use_cache=False)
    return fast, slow


@needs_fast
def test_fast_and_pyyaml_paths_agree_on_the_valid_fixtures(valid_dir, monkeypatch):
    fast, slow = _load_both(valid_dir, monkeypatch)
    assert _plain(fast) == _plain(slow)
    # and the fixtures did take the fast path (else this test proves nothing)
    reader = loader._Reader(valid_dir, {f: f.read_bytes() for f in loader._record_files(valid_dir)}, fast=True)
    for file in loader._record_files(valid_dir):
        list(reader._read_records(file))
    assert reader.fast_files


@needs_fast
def test_fast_and_pyyaml_paths_agree_on_a_synthetic_dataset(tmp_path, monkeypatch):
    write_dataset(tmp_path / "data", 2000, fmt="yaml", files=3, seed=7)
    fast, slow = _load_both(tmp_path / "data", monkeypatch)
    assert len(fast.relations) == 6000
    assert _plain(fast) == _plain(slow)


def test_json_and_yaml_of_the_same_records_agree(tmp_path):
    write_dataset(tmp_path / "y", 500, fmt="yaml", seed=3)
    write_dataset(tmp_path / "j", 500, fmt="json", seed=3)
    from_yaml, from_json = loader.load(tmp_path / "y", use_cache=False), loader.load(tmp_path / "j", use_cache=False)
    assert from_yaml.entities == from_json.entities and from_yaml.relations == from_json.relations


def test_synthetic_records_are_deterministic():
    assert make_records(300, seed=1) == make_records(300, seed=1)
    assert make_records(300, seed=1) != make_records(300, seed=2)


@pytest.mark.parametrize("text", [
    "a: yes", "a: No", "a: on", "a: OFF", "names: {no: x}", "on: 1", "a: [b, off]", "a: x\n  on\n",
    "a: on  # comment", "a: 017", "a: -017", "a: 0o17", "a: 1:20", "a: 12:30:45", "a: =", "<<: {b: 1}",
    'a: "2014-09-19"', "a: '2014-09-19'", "a: !foo x", "a: !!python/object:os.system x", "a: &x 1\nb: *x",
    "a: @x", "a: `x", "%YAML 1.1\n---\na: 1", "a: 1\na: 2",
    # the scan counts prose as harmless only where neither parser can read a token on its own
    "a: on ", "- off\t", "k:\n  no ", '{a: "x\n #", b: yes}', "[250,010]", "a: [1,010]", "key: 010 # c",
    "a: b\n  on\n", "a: 'x #' # on\nb: no", "a: x # c\nb: off", "a: [x, +017]", "? - a\n- b",
    "k:\n  ? - x", "a: x\n# `c`\nb: 'on'\n---\n- on",
])
def test_texts_where_yaml_1_1_and_1_2_differ_never_take_the_fast_path(text):
    assert _yaml.fast_parse(text) is None


@needs_fast
@pytest.mark.parametrize("text", [
    "a: 2014-09-19", "a: 2014-09", "a: 2014", "a: 33.3", "a: -5", "a: true", "a: ~", "a: null",
    "note: turn it on now", "a: [x, y]", "a: {b: c}", "a: |\n  x\n", 'a: "x\\u00e9"', "a: 阿里巴巴",
    # prose the first scan sent to PyYAML for nothing
    "a: 250,000 people", 'a: "more than 250,000"', "a: Rowman & Littlefield", "# `case` is the source\na: 1",
    "a: x  # `y` & z", "a: works with Ant on\n  rural trade\n", "a: why? because",
])
def test_plain_texts_take_the_fast_path_and_read_as_pyyaml_reads_them(text):
    import yaml

    assert _yaml.fast_parse(text) == yaml.load(text, Loader=yaml.CSafeLoader)


@needs_fast
def test_an_error_in_a_fast_parsed_file_is_reported_as_pyyaml_reports_it(tmp_path, monkeypatch, valid_dir):
    data = tmp_path / "data"
    shutil.copytree(valid_dir, data)
    relations = data / "relations.yaml"
    relations.write_text(relations.read_text(encoding="utf-8").replace("equity: 100,", "equity: 140,"), encoding="utf-8")
    with pytest.raises(loader.DataError) as fast:
        loader.load(data, use_cache=False)
    monkeypatch.setattr(_yaml, "_yaml_rs", None)
    with pytest.raises(loader.DataError) as slow:
        loader.load(data, use_cache=False)
    assert fast.value.problems == slow.value.problems
    assert any(p.line is not None and "equity" in p.message for p in fast.value.problems)


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
    original = loader._Reader.run
    loader._Reader.run = lambda self, *a: reader_runs.append(1) or original(self, *a)
    try:
        second = loader.load(data)
    finally:
        loader._Reader.run = original
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
        monkeypatch.setattr(loader, "__version__", "99.0")
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
    assert _plain(loader.load(other)) == _plain(loader._read(other, *_inputs(other)))


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


def _inputs(path):
    files = loader._record_files(path)
    vocabulary = loader._vocabulary_file(path)
    contents = {file: file.read_bytes() for file in [vocabulary] + files}
    return contents, vocabulary, None, files
