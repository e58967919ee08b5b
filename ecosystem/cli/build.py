"""`ecosystem build`: the main job — every named view and every export format into one folder."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import typer

from . import app, console, session
from ..errors import ExportError

FIGURE_SUFFIXES = (".html", ".svg", ".png")


@app.command()
def build(
    ctx: typer.Context,
    output: Path = typer.Option(Path("exports"), "--output", "-o", metavar="DIR",
                                help="Folder to write into (figures/ and data/ are replaced whole)."),
    figures: bool = typer.Option(True, "--figures/--no-figures", help="Draw every named view (HTML, SVG, PNG)."),
    data: bool = typer.Option(True, "--data-formats/--no-data-formats", help="Write every export format."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
):
    """Build every named view (HTML, SVG, PNG), every story (HTML) and every export format into exports/, deterministically."""
    from ..stories import load_stories

    written = build_all(session(ctx).graph(), output, figures=figures, data=data, progress=not quiet,
                        stories=load_stories(session(ctx).data_dir) if figures else None)
    console().print(f"wrote {len(written)} files into {output}")


def build_all(graph, output: Path, *, figures: bool = True, data: bool = True, progress: bool = False,
              stories=None) -> list[Path]:
    """Write figures/ and data/ under ``output``; each is built aside, then swapped in whole.

    If anything fails, what was in ``output`` before is left as it was.
    """
    from rich.progress import Progress

    output = Path(output)
    if output.exists() and not output.is_dir():
        raise ExportError(f"{output} is a file; give --output a folder")
    output.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=output))
    try:
        tasks = []
        if figures:
            from ..views import named_views

            for name in sorted(named_views(graph)):
                for suffix in FIGURE_SUFFIXES:
                    tasks.append((f"figures/{name}{suffix}", _figure(graph, name, staging / "figures" / f"{name}{suffix}")))
            for name, story in sorted((stories or {}).items()):
                tasks.append((f"figures/story-{name}.html", _story(graph, story, staging / "figures" / f"story-{name}.html")))
        if data:
            tasks.append(("data/", _data(graph, staging / "data")))
        with Progress(console=console(stderr=True), disable=not progress, transient=True) as bar:
            task = bar.add_task("building", total=len(tasks))
            for label, step in tasks:
                bar.update(task, description=label)
                step()
                bar.advance(task)
        _write_manifest(staging)
        parts = [name for name in ("figures", "data") if (staging / name).exists()] + ["MANIFEST.md"]
        for name in parts:
            _swap_in(staging / name, output / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(path for path in output.rglob("*") if path.is_file() and not _hidden(path, output))


def _figure(graph, name: str, path: Path):
    def run():
        from ..render import render_view

        path.parent.mkdir(parents=True, exist_ok=True)
        render_view(graph, name, path)
    return run


def _story(graph, story, path: Path):
    def run():
        from ..errors import DataError
        from ..render.story import render_story
        from ..stories import check_stories

        problems = check_stories(graph, {story.id: story})
        if problems:
            raise DataError(problems)
        path.parent.mkdir(parents=True, exist_ok=True)
        render_story(graph, story, path)
    return run


def _data(graph, folder: Path):
    def run():
        from ..exporters import write_all

        folder.mkdir(parents=True, exist_ok=True)
        write_all(graph, folder)
    return run


def _write_manifest(folder: Path) -> None:
    """A list of what was built, with sizes and SHA-256, so a reader can check a copy."""
    lines = ["# Build manifest", "", "Written by `ecosystem build`; the same data gives the same bytes.", "",
             "| file | bytes | sha256 |", "|---|---:|---|"]
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"| {path.relative_to(folder).as_posix()} | {path.stat().st_size} | `{digest}` |")
    (folder / "MANIFEST.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _swap_in(new: Path, target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
        os.replace(new, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, target)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
