"""Reading some files in a second process gives exactly what reading them all here gives."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from ecosystem import _yaml, loader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import write_dataset  # noqa: E402

pytestmark = pytest.mark.skipif(not _yaml.fast_available() or loader._cpu_count() < 2,
                                reason="needs yaml-rs and two cores")


def _plain(dataset) -> str:
    return json.dumps([dataset.sources, dataset.entities, dataset.relations, dataset.locations], ensure_ascii=False)


def _load(path, monkeypatch, parallel):
    used = []
    original = loader._Reader._prepare_elsewhere

    def spy(self, files):
        result = original(self, files)
        used.append(len(result))
        return result

    with monkeypatch.context() as patch:
        patch.setattr(loader, "_PARALLEL_MIN_BYTES", 0)
        patch.setattr(loader._Reader, "parallel", parallel)
        patch.setattr(loader._Reader, "_prepare_elsewhere", spy)
        try:
            return loader.load(path, use_cache=False), used
        except loader.DataError as error:
            return error.problems, used


def test_a_dataset_read_in_two_processes_equals_one_read_here(tmp_path, monkeypatch):
    write_dataset(tmp_path / "data", 600, fmt="yaml", files=2)
    (together, used), (alone, _) = _load(tmp_path / "data", monkeypatch, True), _load(tmp_path / "data", monkeypatch, False)
    assert used and used[0] >= 1  # the second process did read files
    assert _plain(together) == _plain(alone)


@pytest.mark.parametrize("damage", [
    ("entities", "  name: ", "  name: 5\n  nome: "),           # a record the fast check declines, then errors
    ("entities", "sources:\n", "sources: 3\n"),                 # a shape the worker declines
    ("relations", "  equity: ", "  equity: yes\n  votes: "),   # a YAML 1.1 word: the scan declines
    ("entities", "- id: ", "- id: Bad Id\n  x: "),
])
def test_problems_in_files_read_elsewhere_are_those_read_here(tmp_path, monkeypatch, damage):
    write_dataset(tmp_path / "data", 600, fmt="yaml", files=2)
    prefix, old, new = damage
    for file in sorted((tmp_path / "data").glob(f"{prefix}*.yaml")):
        text = file.read_text(encoding="utf-8")
        if old in text:
            file.write_text(text.replace(old, new, 1), encoding="utf-8")
    (together, _), (alone, _) = _load(tmp_path / "data", monkeypatch, True), _load(tmp_path / "data", monkeypatch, False)
    if isinstance(alone, list):
        assert together == alone
    else:
        assert _plain(together) == _plain(alone)
