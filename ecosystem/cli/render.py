"""Figure commands: render, views."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from . import AS_OF_OPTION, JSON_OPTION, app, console, print_json, session


class Language(str, Enum):
    en = "en"
    zh = "zh"


def _figure_file(value: Path) -> Path:
    """--output of render: its suffix must name a format we draw, else a usage error (exit 2)."""
    from ..render import SUFFIXES

    if value is not None and value.suffix.lower() not in SUFFIXES:
        raise typer.BadParameter(f"cannot render {value.name!r}: unknown format {value.suffix or '(no suffix)'!r}; "
                                 f"the file name must end in one of {', '.join(SUFFIXES)}")
    return value


@app.command()
def render(
    ctx: typer.Context,
    view: Optional[str] = typer.Argument(None, metavar="[VIEW]",
                                         help="A named view (see `ecosystem views`); omit it with --focus."),
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE", callback=_figure_file,
                                help="The file to write; its suffix picks the format: .html .svg .png .pdf .dot"),
    focus: Optional[str] = typer.Option(None, "--focus", metavar="ID",
                                        help="Draw the entities around this one instead of the view's selection."),
    depth: int = typer.Option(1, "--depth", min=0, max=10, help="With --focus: how many hops."),
    types: Optional[str] = typer.Option(None, "--type", metavar="TYPES",
                                        help="Only these entity types, relation types or categories (comma-separated)."),
    as_of: Optional[str] = AS_OF_OPTION,
    lang: Language = typer.Option(Language.en, "--lang", help="Label entities in English or Chinese (names.zh, else English)."),
    story: Optional[str] = typer.Option(None, "--story", metavar="ID",
                                        help="Draw a story of stories.yaml as a step-through page (.html)."),
):
    """Draw a view as an offline interactive page (.html) or a static figure (.svg .png .pdf .dot)."""
    if story is not None:
        written = _render_story(ctx, story, output)
    else:
        written = session(ctx).render(view, output, focus=focus, depth=depth, types=types, as_of=as_of, language=lang.value)
    console(stderr=True).print(f"wrote {written}")


NO_VIEWS = "this dataset defines no views (add views.yaml); `ecosystem render --focus ID -o FILE` still works"


@app.command()
def views(ctx: typer.Context, as_json: bool = JSON_OPTION):
    """List the named views of the dataset (views.yaml), for `ecosystem render VIEW -o FILE`."""
    found = session(ctx).views().data
    if as_json:
        print_json(found)
        return
    out = console()
    if not found:
        out.print(NO_VIEWS)
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table("view", "title", "layout", "as of")
    for view in found:
        table.add_row(view["name"], escape(view["title"]), view["layout"], view["as_of"] or "latest")
    out.print(table)


def _render_story(ctx, story_id: str, output: Path):
    import difflib

    from ..errors import QueryError
    from ..files import naming_folder
    from ..render.story import render_story
    from ..stories import load_stories, stories_file

    data = session(ctx)
    stories = load_stories(data.data)
    if story_id not in stories:
        close = difflib.get_close_matches(story_id, list(stories), n=3, cutoff=0.5)
        raise QueryError(f"No story named {story_id!r}" + (f" (stories: {', '.join(stories)})." if stories
                                                              else ": this dataset has no stories.yaml."), close)
    # the page is drawn from the story's check (ecosystem.stories.checked_highlights), its file named as validate names it
    return render_story(data.graph(), stories[story_id], output, source=stories_file(data.data),
                        folder=naming_folder(data.data))
