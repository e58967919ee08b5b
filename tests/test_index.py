"""The SQLite index: built once, read warm without reading the data, rebuilt on any change, and never
trusted when damaged (truncated, garbage, flipped bytes, another schema, another dataset's), with the
same answers as ``--no-cache`` whatever happens to the cache folder."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import time

import pytest
from typer.testing import CliRunner

from ecosystem import index as index_module
from ecosystem import loader
from ecosystem.cli import app


@pytest.fixture
def data(tmp_path, valid_dir):
    target = tmp_path / "data"
    shutil.copytree(valid_dir, target)
    _age(target)
    return target


def _age(folder, seconds=60):
    """Data written a while ago (a file changed within the same clock tick is always hashed again)."""
    past = time.time() - seconds
    for path in folder.rglob("*"):
        os.utime(path, (past, past))


def _plain(dataset) -> dict:
    return {
        "sources": dataset.sources, "entities": dataset.entities, "relations": dataset.relations,
        "views": json.loads(json.dumps(dataset.views, default=str)), "locations": dict(dataset.locations),
        "vocabulary": dataset.vocabulary.model_dump(),
    }


def _indexes():
    return sorted(index_module.cache_dir().glob("*.sqlite"))


def _run(*args):
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout


def _answers(data):
    """What a few commands print (JSON), to compare with the answers of --no-cache."""
    return [_run("--data", str(data), *command) for command in (
        ("show", "citizen_a", "--json"), ("search", "citizen", "--json"), ("stats", "--json"),
        ("controllers", "vie", "--json"), ("validate", "--json"))]


def _answers_without_cache(data):
    return [_run("--data", str(data), "--no-cache", *command) for command in (
        ("show", "citizen_a", "--json"), ("search", "citizen", "--json"), ("stats", "--json"),
        ("controllers", "vie", "--json"), ("validate", "--json"))]


# --- built once, read warm -------------------------------------------------------------------------


def test_a_repeat_load_reads_the_index_and_gives_the_same_dataset(data, monkeypatch):
    expected = _plain(loader.load(data, use_cache=False))
    assert _plain(loader.load(data)) == expected
    assert len(_indexes()) == 1
    monkeypatch.setattr(loader, "read_dataset", lambda *a: pytest.fail("the data was read again"))
    assert _plain(loader.load(data)) == expected


def test_a_warm_open_hashes_no_data_file(data, monkeypatch):
    index_module.open_index(data)
    index_module.open_index(data)  # the index is now old enough to be trusted by its size and mtime
    hashed = []
    original = index_module._file_hash
    monkeypatch.setattr(index_module, "_file_hash", lambda path: hashed.append(path) or original(path))
    monkeypatch.setattr(index_module, "_RACY_NS", 0)
    index_module.open_index(data)
    assert hashed == []


@pytest.mark.parametrize("change", ["byte", "same size", "new file", "removed file", "version"])
def test_the_index_is_rebuilt_on_any_change(data, change, monkeypatch):
    loader.load(data)
    before = _indexes()
    path = data / "entities.yaml"
    if change == "byte":
        path.write_bytes(path.read_bytes().replace(b"Citizen A", b"Citizen Zed"))
    elif change == "same size":  # same size, same mtime: only the content differs
        stat = path.stat()
        path.write_bytes(path.read_bytes().replace(b"Citizen A", b"Citizen Z"))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif change == "new file":
        (data / "more.yaml").write_text(
            "entities:\n  - {id: extra, name: Extra Co, type: company, sources: [\"case\"]}\n", encoding="utf-8")
    elif change == "removed file":
        (data / "more.yaml").write_text(
            "entities:\n  - {id: extra, name: Extra Co, type: company, sources: [\"case\"]}\n", encoding="utf-8")
        loader.load(data)
        before = _indexes()
        (data / "more.yaml").unlink()
    else:
        monkeypatch.setattr(index_module, "__version__", "99.0")
    dataset = loader.load(data)
    assert _indexes() != before and len(_indexes()) == 1  # a new index; the superseded one removed
    if change == "byte":
        assert dataset.entities["citizen_a"]["name"] == "Citizen Zed"
    if change == "same size":
        # the inode changed (write_bytes truncates in place: it may not): either way the content is read
        assert dataset.entities["citizen_a"]["name"] == "Citizen Z"
    if change == "new file":
        assert "extra" in dataset.entities
    if change == "removed file":
        assert "extra" not in dataset.entities


def test_the_index_is_never_written_beside_the_data(data):
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    loader.load(data)
    loader.load(data)
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before
    assert _indexes() and all(data not in path.parents for path in _indexes())


def test_indexes_of_other_folders_are_kept_and_unused_ones_removed(data, tmp_path, valid_dir):
    other = tmp_path / "other"
    shutil.copytree(valid_dir, other)
    (other / "more.yaml").write_text(
        "entities:\n  - {id: extra, name: Extra Co, type: company, sources: [\"case\"]}\n", encoding="utf-8")
    loader.load(other)
    loader.load(data)
    assert len(_indexes()) == 2  # one a data folder
    stale = next(path for path in _indexes() if json.loads(path.with_suffix(".json").read_text())["data"] == str(other.resolve()))
    os.utime(stale.with_suffix(".json"), (0, 0))  # not used for a long time
    (data / "entities.yaml").write_bytes((data / "entities.yaml").read_bytes() + b"\n# edited\n")
    loader.load(data)
    assert len(_indexes()) == 1 and not stale.exists()


def test_temporary_files_left_long_ago_are_removed(data):
    loader.load(data)
    cache = index_module.cache_dir()
    old, recent = cache / "0123.99999.tmp", cache / "4567.99998.tmp"
    for path in (old, recent):
        path.write_bytes(b"partial")
    os.utime(old, (0, 0))  # left by a process that died
    (data / "entities.yaml").write_bytes((data / "entities.yaml").read_bytes() + b"\n# changed\n")
    loader.load(data)
    assert not old.exists() and recent.exists()


def test_the_index_holds_the_documented_tables(data):
    index = index_module.open_index(data)
    tables = {row[0] for row in index.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"meta", "entities", "names", "relations", "sources", "citations", "facts", "search", "cjk_bigrams"} <= tables
    documented = (index_module.Path(__file__).resolve().parent.parent / "docs" / "INDEX.md").read_text(encoding="utf-8")
    for table in ("meta", "entities", "names", "relations", "sources", "citations", "facts", "search", "cjk_bigrams"):
        assert f"| `{table}` |" in documented
        columns = [row[1] for row in index.connection.execute(f"PRAGMA table_info({table})")]
        line = next(line for line in documented.splitlines() if line.startswith(f"| `{table}` |"))
        assert all(f"`{column}`" in line for column in columns), (table, columns)
    with pytest.raises(sqlite3.OperationalError):  # read-only
        index.connection.execute("DELETE FROM entities")
    counted = dict(index.connection.execute("SELECT owner_kind, count(*) FROM citations GROUP BY owner_kind"))
    dataset = loader.load(data, use_cache=False)
    assert counted["relation"] == sum(len(r["sources"]) for r in dataset.relations.values())


def test_no_cache_writes_nothing(data):
    assert _run("--data", str(data), "--no-cache", "show", "citizen_a", "--json")[0] == 0
    assert not index_module.cache_dir().exists() or not any(index_module.cache_dir().iterdir())


# --- damage ---------------------------------------------------------------------------------------


def _only_index():
    (path,) = _indexes()
    return path


def _damage(path, how, rng=None):
    content = path.read_bytes()
    if how == "truncated":
        path.write_bytes(content[: len(content) // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(b"SQLite format 3\x00" + bytes(random.Random(1).randrange(256) for _ in range(len(content) - 16)))
    elif how == "removed meta":
        path.with_suffix(".json").unlink()
    elif how == "garbage meta":
        path.with_suffix(".json").write_bytes(b"{not json")
    elif how == "flipped":
        data = bytearray(content)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "empty", "garbage", "removed meta", "garbage meta"])
def test_a_damaged_index_is_rebuilt(data, how):
    expected = _answers_without_cache(data)
    assert _answers(data) == expected
    _damage(_only_index(), how)
    assert _answers(data) == expected
    assert _answers(data) == expected  # and the rebuilt one is good
    assert len(_indexes()) == 1


def test_flipped_bytes_never_give_a_wrong_answer_or_a_traceback(data):
    """Fuzz: random bit flips anywhere in the index, also with its mtime put back as it was."""
    expected = _answers_without_cache(data)
    rng = random.Random(20240601)
    for trial in range(12):
        _answers(data)
        path = _only_index()
        stat = path.stat()
        _damage(path, "flipped", rng)
        if trial % 2:  # the same size and mtime: caught because it is checked so soon after writing
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert _answers(data) == expected, trial


def _rewrite_inside(path, statement, parameters=()):
    """Change the index with SQLite and record its new size, mtime and checksum, as if it had been
    written that way: only the checks inside the file can tell."""
    with sqlite3.connect(path) as connection:
        connection.execute(statement, parameters)
    connection.close()
    meta_path = path.with_suffix(".json")
    meta = json.loads(meta_path.read_text())
    stat = path.stat()
    meta.update(size=stat.st_size, mtime_ns=stat.st_mtime_ns, sha256=index_module._file_hash(path),
                checked_ns=time.time_ns() + 10**10)
    meta_path.write_text(json.dumps(meta))


def test_an_index_of_another_schema_version_is_rebuilt(data):
    expected = _answers_without_cache(data)
    _answers(data)
    _rewrite_inside(_only_index(), "UPDATE meta SET value = '0' WHERE key = 'schema'")
    assert _answers(data) == expected
    index = index_module.open_index(data)
    assert index.meta("schema") == str(index_module.SCHEMA_VERSION)


def test_a_foreign_index_under_this_name_is_rebuilt(data, tmp_path, valid_dir):
    expected = _answers_without_cache(data)
    _answers(data)
    path = _only_index()
    _rewrite_inside(path, "UPDATE entities SET record = json_set(record, '$.name', 'Someone Else')"
                          " WHERE id = 'citizen_a'")
    _rewrite_inside(path, "UPDATE meta SET value = 'another' WHERE key = 'key'")
    assert _answers(data) == expected


# --- the cache folder -----------------------------------------------------------------------------


def test_a_file_where_the_cache_folder_should_be(data, tmp_path, monkeypatch):
    expected = _answers_without_cache(data)
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ECOSYSTEM_CACHE_DIR", str(blocker))
    assert _answers(data) == expected
    assert blocker.read_text() == "not a folder"
    monkeypatch.setenv("ECOSYSTEM_CACHE_DIR", str(blocker / "below"))
    assert _answers(data) == expected


def test_a_read_only_cache_folder(data, tmp_path, monkeypatch):
    expected = _answers_without_cache(data)
    cache = tmp_path / "read-only"
    cache.mkdir()
    cache.chmod(0o555)
    monkeypatch.setenv("ECOSYSTEM_CACHE_DIR", str(cache))
    if os.geteuid() == 0:  # root writes anywhere: refuse writes the way a read-only folder does
        real_mkstemp = index_module.tempfile.mkstemp

        def refuse(*args, **kwargs):
            if str(kwargs.get("dir", "")).startswith(str(cache)):
                raise PermissionError(13, "Permission denied", str(cache))
            return real_mkstemp(*args, **kwargs)

        monkeypatch.setattr(index_module.tempfile, "mkstemp", refuse)
    try:
        assert _answers(data) == expected
        assert not list(cache.glob("*.sqlite"))
    finally:
        cache.chmod(0o755)


@pytest.mark.parametrize("where", ["while writing", "at the rename"])
def test_a_full_disk(data, monkeypatch, where):
    expected = _answers_without_cache(data)
    if where == "while writing":
        real_write = index_module._write

        def full(connection, key, dataset, progress):
            if key:  # the file in the cache, not the in-memory fallback
                connection.execute("CREATE TABLE filler (x)")
                raise sqlite3.OperationalError("database or disk is full")
            return real_write(connection, key, dataset, progress)

        monkeypatch.setattr(index_module, "_write", full)
    else:
        def full(*args):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(index_module.os, "replace", full)
    assert _answers(data) == expected
    assert not _indexes()
    assert not list(index_module.cache_dir().glob("*.tmp"))  # nothing left half-written


def test_invalid_data_is_reported_not_indexed(tmp_path, valid_dir):
    data = tmp_path / "data"
    shutil.copytree(valid_dir, data)
    path = data / "entities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("type: company", "type: compnay", 1), encoding="utf-8")
    code, _ = _run("--data", str(data), "validate")
    assert code == 1
    assert not _indexes()
