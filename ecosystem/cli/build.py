"""`ecosystem build`: the main job — every named view and every export format into one folder."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import typer

from . import app, console, progress_bar, session

FIGURE_SUFFIXES = (".html", ".svg", ".png")
BUILD_PARTS = ("figures", "data", "MANIFEST.md")
# what earlier versions of build left inside the output folder when killed
_OLD_LEFTOVER = re.compile(r"^\.(?:build-\w+|(?:figures|data)\.old-\d+)$")


@app.command()
def build(
    ctx: typer.Context,
    output: Path = typer.Option(Path("exports"), "--output", "-o", metavar="DIR",
                                help="Folder to write (replaced whole, in one step: it holds figures/, data/ "
                                     "and MANIFEST.md, and nothing else)."),
    figures: bool = typer.Option(True, "--figures/--no-figures",
                                 help="Draw every named view (HTML, SVG, PNG); --no-figures keeps the folder's."),
    data: bool = typer.Option(True, "--data-formats/--no-data-formats",
                              help="Write every export format; --no-data-formats keeps the folder's."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
):
    """Build every named view (HTML, SVG, PNG), every story (HTML) and every export format into exports/, deterministically.

    The new folder is made beside the old one and swapped in as one step: interrupted at any
    moment, DIR holds the previous build or the new one, whole (MANIFEST.md lists each file's
    SHA-256). What a killed run left beside it is removed by the next run.
    """
    from ..files import naming_folder
    from ..stories import load_stories, stories_file

    folders = session(ctx).data
    written = build_all(session(ctx).graph(), output, figures=figures, data=data, progress=not quiet,
                        stories=load_stories(folders) if figures else None,
                        stories_source=stories_file(folders), stories_folder=naming_folder(folders))
    console().print(f"wrote {len(written)} files into {output}")
    if figures and not session(ctx).views().data:
        from .render import NO_VIEWS

        console(stderr=True).print(f"no figures: {NO_VIEWS}")


def build_all(graph, output: Path, *, figures: bool = True, data: bool = True, progress: bool = False,
              stories=None, stories_source=None, stories_folder=None) -> list[Path]:
    """Write figures/ (views and ``stories``), data/ and MANIFEST.md into ``output``, replacing the folder whole in one step.

    A part not rebuilt (``figures=False`` or ``data=False``) is kept from the folder's previous
    build. ``stories_source``: the story file, named with its lines in a story's problems (relative to
    ``stories_folder``, as :func:`ecosystem.stories.located`). If anything fails, ``output`` is left exactly as it was.
    """
    from ..atomic import link_copy, replaced_folder

    output = Path(output)
    with replaced_folder(output, expected=_belongs_to_build, what="`ecosystem build`") as staging:
        tasks = []
        if figures:
            from ..views import named_views

            for name in sorted(named_views(graph)):
                for suffix in FIGURE_SUFFIXES:
                    tasks.append((f"figures/{name}{suffix}", _figure(graph, name, staging / "figures" / f"{name}{suffix}")))
            for name, story in sorted((stories or {}).items()):
                tasks.append((f"figures/story-{name}.html", _story(graph, story, staging / "figures" / f"story-{name}.html",
                                                                       stories_source, stories_folder)))
        if data:
            tasks.append(("data/", _data(graph, staging / "data")))
        with progress_bar(progress) as bar:
            for label, step in bar.track(tasks, label=lambda task: task[0]):
                step()
        for part, rebuilt in (("figures", figures), ("data", data)):
            if not rebuilt and (output / part).is_dir():
                link_copy(output / part, staging / part)
        _write_manifest(staging)
    return sorted(path for path in output.rglob("*") if path.is_file() and not _hidden(path, output))


def _belongs_to_build(name: str) -> bool:
    return name in BUILD_PARTS or _OLD_LEFTOVER.match(name) is not None


def _figure(graph, name: str, path: Path):
    def run():
        from ..render import render_view

        path.parent.mkdir(parents=True, exist_ok=True)
        render_view(graph, name, path)
    return run


def _story(graph, story, path: Path, source=None, folder=None):
    def run():
        from ..render.story import render_story

        path.parent.mkdir(parents=True, exist_ok=True)
        render_story(graph, story, path, source=source, folder=folder)  # checks the story (problems: DataError)
    return run


def _data(graph, folder: Path):
    def run():
        from ..exporters import write_all

        folder.mkdir(parents=True, exist_ok=True)
        write_all(graph, folder)
    return run


def _write_manifest(folder: Path) -> None:
    """A list of what was built, with sizes and SHA-256, so a reader can check a copy."""
    from ..atomic import write_text

    lines = ["# Build manifest", "", "Written by `ecosystem build`; the same data gives the same bytes.", "",
             "| file | bytes | sha256 |", "|---|---:|---|"]
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"| {path.relative_to(folder).as_posix()} | {path.stat().st_size} | `{digest}` |")
    write_text(folder / "MANIFEST.md", "\n".join(lines) + "\n")


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
