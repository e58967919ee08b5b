"""ecosystem.atomic: the one helper for writing files and folders whole."""

from __future__ import annotations

import os
import sys

import pytest

from ecosystem.atomic import atomic_file, exchange, remove_leftovers, replaced_folder, write_text
from ecosystem.errors import ExportError


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_file(target) as stream:
            stream.write("half")
            raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_dead_process_temporary_file_is_removed_by_the_next_write(tmp_path):
    target = tmp_path / "out.json"
    dead = tmp_path / ".out.json.999999999-abcd1234.tmp"  # no such process
    older = tmp_path / ".out.json.k2j4h5g6.tmp"  # what earlier versions left (no pid)
    mine_in_use_elsewhere = tmp_path / ".other.json.999999999-x.tmp"  # another file's: not ours to touch
    for path in (dead, older, mine_in_use_elsewhere):
        path.write_text("x", encoding="utf-8")
    write_text(target, "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [mine_in_use_elsewhere.name, "out.json"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_exchange_swaps_two_folders_in_one_call(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "one").write_text("1", encoding="utf-8")
    (second / "two").write_text("2", encoding="utf-8")
    assert exchange(first, second) is True  # ext4, tmpfs, btrfs, xfs all have it
    assert [p.name for p in first.iterdir()] == ["two"] and [p.name for p in second.iterdir()] == ["one"]
    with pytest.raises(OSError):
        exchange(first, tmp_path / "missing")


@pytest.mark.parametrize("has_exchange", [True, False])
def test_replaced_folder_puts_the_new_folder_in_place_whole(tmp_path, monkeypatch, has_exchange):
    if not has_exchange:
        monkeypatch.setattr("ecosystem.atomic.exchange", lambda first, second: False)
    target = tmp_path / "out"
    with replaced_folder(target) as staging:
        (staging / "a.txt").write_text("1", encoding="utf-8")
    with replaced_folder(target) as staging:
        (staging / "a.txt").write_text("2", encoding="utf-8")
        (staging / "b.txt").write_text("2", encoding="utf-8")
        assert not (target / "b.txt").exists()  # nothing shows before the swap
    assert sorted(p.name for p in target.iterdir()) == ["a.txt", "b.txt"]
    assert (target / "a.txt").read_text(encoding="utf-8") == "2"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    with pytest.raises(ZeroDivisionError):
        with replaced_folder(target) as staging:
            (staging / "a.txt").write_text("3", encoding="utf-8")
            1 / 0
    assert (target / "a.txt").read_text(encoding="utf-8") == "2" and [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_folder_holding_what_the_command_does_not_write_is_refused(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="holds notes.txt, which `x` does not write"):
        with replaced_folder(target, expected={"data"}.__contains__, what="`x`"):
            pass
    with pytest.raises(ExportError, match="holds notes.txt"):  # without `expected`: the new folder's names
        with replaced_folder(target, what="`x`") as staging:
            (staging / "other.txt").write_text("x", encoding="utf-8")
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="is a file"):
        with replaced_folder(tmp_path / "file"):
            pass


def test_a_linked_folder_is_replaced_where_the_link_points(tmp_path):
    real = tmp_path / "real" / "out"
    real.mkdir(parents=True)
    (real / "a.txt").write_text("1", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    with replaced_folder(link) as staging:
        (staging / "a.txt").write_text("2", encoding="utf-8")
    assert link.is_symlink() and (real / "a.txt").read_text(encoding="utf-8") == "2"


def test_leftovers_of_dead_runs_go_and_a_folder_left_aside_comes_back(tmp_path):
    target = tmp_path / "out"
    aside = tmp_path / ".out.old-999999999-abc"  # the old folder, left aside by a killed fallback
    aside.mkdir()
    (aside / "MANIFEST.md").write_text("old", encoding="utf-8")
    half = tmp_path / ".out.new-999999999-def"  # a half-made new one
    half.mkdir()
    (half / "x").write_text("half", encoding="utf-8")
    alive = tmp_path / f".out.new-{os.getppid()}-ghi"  # a live process's: another run at work
    alive.mkdir()
    remove_leftovers(target)
    assert (target / "MANIFEST.md").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, "out"])


def test_build_keeps_the_part_it_does_not_rebuild_and_lists_it(valid_graph, tmp_path):
    from ecosystem.cli.build import build_all

    target = tmp_path / "out"
    build_all(valid_graph, target, figures=False)
    (target / "figures").mkdir()  # as a build with figures would have left them
    (target / "figures" / "x.html").write_text("<p>x</p>", encoding="utf-8")
    (target / ".build-abc123").mkdir()  # what an earlier version left when killed
    (target / ".figures.old-4242").mkdir()
    build_all(valid_graph, target, figures=False)
    assert (target / "figures" / "x.html").read_text(encoding="utf-8") == "<p>x</p>"
    assert "| figures/x.html | 8 |" in (target / "MANIFEST.md").read_text(encoding="utf-8")
    assert not [p for p in target.iterdir() if p.name.startswith(".")]
    (target / "README.md").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="README.md"):
        build_all(valid_graph, target, figures=False)


def test_export_all_default_folder_is_not_the_build_folder(invoke, tmp_path, valid_dir, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("--data", valid_dir, "export", "all")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ecosystem-export" / "ecosystem.graphml").is_file()
    assert not (tmp_path / "exports").exists()
