"""Fault injection: `build` and `export all` interrupted at every rename, and a real SIGKILL of
`ecosystem build`, leave their folder whole (the old build or the new one, checked against its
MANIFEST's SHA-256s), and the next run removes what the interrupted one left behind.

An interrupt is simulated two ways at the k-th rename (``os.replace``, ``os.rename`` or the
atomic exchange of two folders), for every k: the call raises (the error path, finally blocks
run), and a forked child process ends on the spot with ``os._exit`` (as a kill would: no
clean-up runs at all). Both with the exchange and with the two-rename fallback of systems
without one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, need_binary

RENDER = FIXTURES / "render"


# ---------------------------------------------------------------------------------------------
# helpers


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def manifest_is_whole(folder: Path) -> bool:
    """Every file the MANIFEST lists is there with its SHA-256 and size, and nothing else is."""
    written = files(folder)
    manifest = written.pop("MANIFEST.md").decode("utf-8")
    rows = {}
    for line in manifest.splitlines():
        if line.startswith("| ") and "`" in line:
            name, size, digest = (cell.strip(" `") for cell in line.strip("|").split("|"))
            rows[name] = (int(size), digest)
    return rows == {name: (len(content), hashlib.sha256(content).hexdigest()) for name, content in written.items()}


def leftovers(parent: Path, target: Path) -> list[str]:
    """What lies beside ``target`` or hidden inside it that a run left behind."""
    beside = sorted(p.name for p in parent.iterdir() if p != target)
    inside = sorted(p.relative_to(target).as_posix() for p in target.rglob(".*")) if target.is_dir() else []
    return beside + inside


def changed_copy(source: Path, folder: Path) -> Path:
    """The dataset with a different name and view title: every export and figure differs."""
    shutil.copytree(source, folder)
    entities = folder / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8").replace("Example Holding Limited", "Sample Holding Ltd"),
                        encoding="utf-8")
    views = folder / "views.yaml"
    views.write_text(views.read_text(encoding="utf-8").replace("VIE structure (test)", "VIE structure (v2)"),
                     encoding="utf-8")
    return folder


class Interrupt(Exception):
    pass


class Renames:
    """Counts os.replace, os.rename and folder exchanges; stops the run at the k-th (0: never)."""

    def __init__(self, monkeypatch, stop_at: int = 0, how: str = "raise", exchange: bool = True):
        import ecosystem.atomic as atomic

        self.count, self.stop_at, self.how = 0, stop_at, how
        real_replace, real_rename, real_exchange = os.replace, os.rename, atomic.exchange

        def wrap(real):
            def call(*args, **kwargs):
                self.count += 1
                if self.count == self.stop_at:
                    if self.how == "kill":
                        os._exit(9)  # no finally block, no clean-up: as a SIGKILL here would
                    raise Interrupt(f"interrupted at rename {self.count}")
                return real(*args, **kwargs)
            return call

        monkeypatch.setattr(os, "replace", wrap(real_replace))
        monkeypatch.setattr(os, "rename", wrap(real_rename))
        monkeypatch.setattr(atomic, "exchange", wrap(real_exchange) if exchange else (lambda first, second: False))


def run_in_child(function) -> int:
    """Run ``function`` in a forked child; its exit status (9 when it was 'killed')."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child
        code = 0
        try:
            function()
        except BaseException:  # noqa: BLE001 - a child must never return into pytest
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


# ---------------------------------------------------------------------------------------------
# the two builds every check compares with


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    from ecosystem.graph import load_graph

    changed = changed_copy(RENDER, tmp_path_factory.mktemp("changed") / "data")
    return load_graph(RENDER, use_cache=False), load_graph(changed, use_cache=False)


def _references(graphs, tmp_path_factory, build):
    old_graph, new_graph = graphs
    old, new = tmp_path_factory.mktemp("old") / "out", tmp_path_factory.mktemp("new") / "out"
    build(old_graph, old)
    build(new_graph, new)
    assert files(old) != files(new)
    return files(old), files(new), old


def put(folder: Path, content: dict[str, bytes]) -> None:
    """A folder holding exactly ``content`` (a previous run's output, without running it again)."""
    for name, data in content.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def _build_data(graph, folder):
    from ecosystem.cli.build import build_all

    build_all(graph, folder, figures=False)


def _export_all(graph, folder):
    from ecosystem.exporters import write_all_results

    write_all_results(graph, folder)


@pytest.fixture(scope="module")
def data_builds(graphs, tmp_path_factory):
    return _references(graphs, tmp_path_factory, _build_data)


@pytest.fixture(scope="module")
def export_alls(graphs, tmp_path_factory):
    return _references(graphs, tmp_path_factory, _export_all)


def _renames_in_one_run(monkeypatch, graphs, tmp_path, run, exchange) -> int:
    old_graph, new_graph = graphs
    target = tmp_path / "count" / "out"
    run(old_graph, target)
    with monkeypatch.context() as patch:
        counter = Renames(patch, exchange=exchange)
        run(new_graph, target)
    assert counter.count > 5
    return counter.count


# ---------------------------------------------------------------------------------------------
# interrupted at every rename


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
@pytest.mark.parametrize("how", ["raise", "kill"])
@pytest.mark.parametrize("command", ["build", "export all"])
def test_interrupted_at_every_rename_leaves_a_whole_folder(graphs, request, tmp_path, monkeypatch, command, how,
                                                           exchange):
    """`build` (its data part) and `export all`, stopped at each rename of one run in turn: the
    folder holds the previous output or the new one, whole, and the next run finishes the job."""
    from ecosystem.atomic import remove_leftovers

    run, references = {"build": (_build_data, "data_builds"), "export all": (_export_all, "export_alls")}[command]
    old_files, new_files, _ = request.getfixturevalue(references)
    old_graph, new_graph = graphs
    total = _renames_in_one_run(monkeypatch, graphs, tmp_path, run, exchange)
    outcomes, aside = [], []
    for k in range(1, total + 2):  # total + 1: the run is not interrupted
        parent = tmp_path / f"k{k}"
        target = parent / "out"
        put(target, old_files)

        def interrupted():
            with monkeypatch.context() as patch:
                Renames(patch, stop_at=k, how=how, exchange=exchange)
                run(new_graph, target)

        if how == "kill":
            status = run_in_child(interrupted)
            assert status == (9 if k <= total else 0), (k, status)
        else:
            with pytest.raises(Exception) if k <= total else _nothing():
                interrupted()
        if not target.exists():
            # only without an exchange, killed between its two renames: the old output lies aside,
            # and the next run (any command writing here) first puts it back
            assert how == "kill" and not exchange, k
            aside.append(k)
            remove_leftovers(target)
        found = files(target)
        assert found in (old_files, new_files), f"rename {k} of {total}: a mix of two runs' output"
        if command == "build":
            assert manifest_is_whole(target)
        outcomes.append("new" if found == new_files else "old")
        if how == "raise":  # the error path tidies up at once
            assert leftovers(parent, target) == [], k
        run(new_graph, target)  # the next run
        assert files(target) == new_files
        assert leftovers(parent, target) == [], f"rename {k}: the next run left {leftovers(parent, target)}"
    # the swap is one step: old up to it, new from it on
    assert outcomes[-1] == "new" and outcomes[0] == "old"
    assert aside == ([] if exchange or how == "raise" else [total])
    assert outcomes == sorted(outcomes, key=("old", "new").index)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_a_killed_run_between_the_two_fallback_renames_is_repaired_by_the_next(graphs, data_builds, tmp_path,
                                                                               monkeypatch):
    """Without an exchange, the folder is missing for a moment; a kill then leaves it aside, and
    any next run (of any command writing it) puts the old build back before anything else."""
    from ecosystem.atomic import remove_leftovers

    old_files, _, _ = data_builds
    old_graph, new_graph = graphs
    target = tmp_path / "out"
    put(target, old_files)
    total = _renames_in_one_run(monkeypatch, graphs, tmp_path, _build_data, exchange=False)

    def killed():
        with monkeypatch.context() as patch:
            # the last two renames: the old folder aside, then the new one in; killed in between
            Renames(patch, stop_at=total, how="kill", exchange=False)
            _build_data(new_graph, target)

    assert run_in_child(killed) == 9
    assert not target.exists()
    remove_leftovers(target)
    assert files(target) == old_files and leftovers(tmp_path, target) == ["count"]


# ---------------------------------------------------------------------------------------------
# a real SIGKILL of `ecosystem build`


def _staging(target: Path) -> list[Path]:
    return [entry for entry in target.parent.glob(f".{target.name}.new-*")]


def _moments(target: Path, old_manifest: bytes):
    """When to kill a build of ``target``: conditions on what it has written so far."""
    def has(predicate):
        return lambda: any(predicate(folder) for folder in _staging(target))

    def swapped():
        return (target / "MANIFEST.md").is_file() and (target / "MANIFEST.md").read_bytes() != old_manifest

    return {
        "the new folder begun": has(lambda folder: True),
        "data being written": has(lambda folder: (folder / "data").is_dir()),
        "manifest written, swap next": has(lambda folder: (folder / "MANIFEST.md").exists()),
        "swapped, old being removed": swapped,
    }


def test_sigkill_of_ecosystem_build_at_several_moments(graphs, tmp_path):
    """`ecosystem build` in a subprocess (figures drawn by Graphviz, every format), killed with
    SIGKILL at several moments of its run, up to the swap and just after it."""
    from ecosystem.cli.build import build_all

    need_binary("dot", "apt-get install graphviz")
    old_graph, new_graph = graphs
    changed = changed_copy(RENDER, tmp_path / "changed" / "data")  # named as in `graphs`: exports carry the name
    target = tmp_path / "site" / "out"
    build_all(new_graph, tmp_path / "new")
    new_files = files(tmp_path / "new")
    build_all(old_graph, target)
    old_files = files(target)
    assert old_files != new_files

    def build(data: Path):
        # a session of its own, so that the kill reaches Graphviz too (as a terminal's would)
        return subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "--data", str(data), "build", "-o", str(target)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True)

    killed = []
    for moment, reached in _moments(target, old_files["MANIFEST.md"]).items():
        before = files(target)
        process = build(changed if before == old_files else RENDER)  # always towards the other build
        condition = reached if before == old_files else _moments(target, before["MANIFEST.md"])[moment]
        while process.poll() is None and not condition():
            time.sleep(0.005)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            killed.append(moment)
        _, errors = process.communicate(timeout=60)
        assert process.returncode in (0, -signal.SIGKILL), errors.decode()
        found = files(target)
        assert found in (old_files, new_files), f"killed when {moment}: a mix of two builds"
        assert manifest_is_whole(target)
    assert len(killed) >= 2, killed  # most moments were caught before the run ended
    last = build(RENDER)  # the next run: the old build, whole, and nothing left behind
    _, errors = last.communicate(timeout=600)
    assert last.returncode == 0, errors.decode()
    assert files(target) == old_files
    assert leftovers(target.parent, target) == []
