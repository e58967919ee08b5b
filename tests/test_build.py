"""`ecosystem build`: every view and format, deterministic, all-or-nothing, and the committed
exports/ are what the build makes from the bundled data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import ROOT, need_binary
from ecosystem.cli.build import FIGURE_SUFFIXES, build_all
from ecosystem.errors import ExportError


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(bundled_graph, tmp_path_factory):
    need_binary("dot", "apt-get install graphviz")
    from conftest import BUNDLED
    from ecosystem.stories import load_stories

    folder = tmp_path_factory.mktemp("exports")
    build_all(bundled_graph, folder, stories=load_stories(BUNDLED))  # as `ecosystem build` does
    return folder


def test_every_view_and_every_format_is_built(built, bundled_graph):
    from ecosystem.exporters import FORMATS
    from ecosystem.views import named_views

    written = files(built)
    views = named_views(bundled_graph)
    assert {"vie-structure", "ecosystem"} <= set(views)
    for name in views:
        for suffix in FIGURE_SUFFIXES:
            assert f"figures/{name}{suffix}" in written
    for export_format in (f for f in FORMATS.values() if f.in_all):  # parquet needs an extra: not built
        name = export_format.default_name
        if export_format.folder:
            assert any(path.startswith(f"data/{name}/") for path in written), name
        else:
            assert f"data/{name}" in written, name
    assert not [path for path in written if path.startswith(".")]


def test_manifest_lists_every_file_with_its_hash(built):
    written = files(built)
    manifest = written.pop("MANIFEST.md").decode("utf-8")
    rows = {line.split(" | ")[0].strip("| "): line for line in manifest.splitlines() if line.startswith("| ") and "`" in line}
    assert set(rows) == set(written)
    for path, content in written.items():
        assert hashlib.sha256(content).hexdigest() in rows[path]
        assert f"| {len(content)} |" in rows[path]


def test_build_is_deterministic(built, bundled_graph, tmp_path):
    from conftest import BUNDLED
    from ecosystem.stories import load_stories

    build_all(bundled_graph, tmp_path, stories=load_stories(BUNDLED))
    assert files(tmp_path) == files(built)


def test_a_failed_build_leaves_the_previous_output(bundled_graph, tmp_path, monkeypatch):
    build_all(bundled_graph, tmp_path, figures=False)
    before = files(tmp_path)

    def broken(graph, directory):
        (Path(directory) / "half-written.json").write_text("{", encoding="utf-8")
        raise ExportError("disk full")

    monkeypatch.setattr("ecosystem.exporters.write_all", broken)
    with pytest.raises(ExportError):
        build_all(bundled_graph, tmp_path, figures=False)
    assert files(tmp_path) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_build_command(invoke, tmp_path, valid_dir):
    result = invoke("--data", valid_dir, "build", "-o", tmp_path / "out", "--no-figures", "--quiet")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "data" / "ecosystem.graphml").is_file()
    result = invoke("--data", valid_dir, "build", "-o", tmp_path / "out" / "MANIFEST.md")
    assert result.exit_code == 1 and "is a file" in result.stderr


def test_every_story_is_built(built):
    from conftest import BUNDLED
    from ecosystem.stories import load_stories

    for name, story in load_stories(BUNDLED).items():
        page = (built / "figures" / f"story-{name}.html").read_text(encoding="utf-8")
        assert '"story":{' in page and story.steps[-1].title.replace("'", "\\u0027")[:20] in page


def test_committed_exports_are_what_the_build_makes(built):
    committed = ROOT / "exports"
    expected = files(built)
    actual = files(committed)
    stale = sorted(path for path in set(expected) | set(actual) if expected.get(path) != actual.get(path))
    assert not stale, f"exports/ is out of date ({len(stale)} files, e.g. {stale[:5]}): run `ecosystem build`"


def test_a_dataset_without_views_is_told_why_it_got_no_figures(invoke, tmp_path, valid_dir):
    """A teacher's own data without views.yaml built the data formats and, silently, no figure."""
    result = invoke("--data", valid_dir, "build", "-o", tmp_path / "out", "--quiet")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "figures").exists()
    assert "no figures: this dataset defines no views (add views.yaml)" in " ".join(result.stderr.split())
    quiet = invoke("--data", valid_dir, "build", "-o", tmp_path / "out", "--no-figures", "--quiet")
    assert "no figures" not in quiet.stderr
