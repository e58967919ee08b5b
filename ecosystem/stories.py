"""Stories: a figure explained step by step (``data/stories.yaml``).

A story file is a mapping ``stories: {id: story}``, each validated with pydantic
(``extra="forbid"``)::

    stories:
      vie:
        title: How Alibaba controls its Chinese operating companies
        description: ...
        steps:
          - title: Foreign investors own a Cayman Islands company
            caption: In our own words, what this step shows.
            sources: ['case §3.2, n 20']          # citations: a source id of sources.yaml and a locator
            view: vie-structure                   # the figure (a view of views.yaml)
            date: 2020-11-03                      # optional: the date shown (default: the view's)
            highlight: [alibaba_group_holding]    # optional: the entities brought forward

:func:`parse_stories` validates a parsed file and raises :class:`ecosystem.errors.DataError`
listing every problem; :func:`check_stories` checks a story against a graph (views, entities and
sources that exist, and :func:`highlight_problems`: each highlighted entity drawn by the step's
view at its date) and returns the problems; :func:`load_stories` reads a data folder's file.
``ecosystem render --story ID -o FILE.html`` draws one (:func:`ecosystem.render.story.render_story`).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import dates
from .errors import DataError, Problem
from .models import Citation

STORIES_FILE = "stories.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Strict):
    """One step of a story: a title, a short caption with its citations, the view, the date, and
    the entities to bring forward."""

    title: str = Field(min_length=1)
    caption: str = Field(min_length=1, max_length=600)
    sources: list[Citation] = Field(min_length=1)
    view: str = Field(min_length=1)
    date: Optional[str] = None
    highlight: list[str] = Field(default_factory=list)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value):
        return None if value is None else dates.normalise(value)

    @field_validator("highlight", mode="before")
    @classmethod
    def _list(cls, value):
        return [value] if isinstance(value, str) else (value or [])


class Story(_Strict):
    """A titled list of steps."""

    id: str = ""
    title: str = Field(min_length=1)
    description: str = ""
    steps: list[Step] = Field(min_length=1)


def parse_stories(document, source=None, folder=None) -> dict[str, Story]:
    """Validate a parsed stories.yaml; raise :class:`DataError` listing every problem, each on its
    line of ``source`` (the file parsed, named relative to ``folder``: see :func:`located`)."""
    stories, _, problems = _read(document)
    if problems:
        raise DataError(located(problems, source, folder))
    return stories


def _read(document) -> tuple[dict[str, Story], list[tuple[str, int, Step]], list[tuple[tuple, Optional[str], str, str]]]:
    """A parsed stories.yaml read: (the well-formed stories, (story id, index, step) of each well-formed
    step, even in a story that is not, and ``(path in the document, story id, message, fix)`` for each
    problem of form)."""
    if not document:
        return {}, [], []
    if not isinstance(document, dict) or set(document) - {"stories"}:
        extra = sorted(map(str, set(document) - {"stories"})) if isinstance(document, dict) else []
        return {}, [], [((extra[0],) if extra else (), None, "stories.yaml must be a mapping with one key, `stories:`",
                         "put every story under `stories:` (see data/stories.yaml)")]
    items = document.get("stories") or {}
    if not isinstance(items, dict):
        return {}, [], [(("stories",), None, "`stories` must be a mapping of story id to story",
                         "write `stories:` then `  vie:` with the story's keys indented")]
    stories, steps, problems = {}, [], []
    for name, body in items.items():
        where = ("stories", name)
        if not isinstance(body, dict):
            problems.append((where, str(name), f"story {name!r} must be a mapping", "give it title: and steps: keys"))
            continue
        try:
            stories[str(name)] = Story.model_validate({**body, "id": str(name)})
        except ValidationError as error:
            for detail in error.errors():
                loc = ".".join(str(step) for step in detail["loc"])
                problems.append((where + tuple(detail["loc"]), str(name),
                                 f"story {name!r}, {loc}: " + detail["msg"].replace("Value error, ", ""), _hint(detail)))
        if str(name) in stories:
            steps += [(name, index, step) for index, step in enumerate(stories[str(name)].steps)]
            continue
        for index, raw in enumerate(body.get("steps") if isinstance(body.get("steps"), list) else []):
            try:
                steps.append((name, index, Step.model_validate(raw)))
            except ValidationError:
                continue  # reported above
    return stories, steps, problems


def _hint(detail) -> str:
    if detail["type"] == "extra_forbidden":
        allowed = sorted(set(Story.model_fields) | set(Step.model_fields))
        close = difflib.get_close_matches(str(detail["loc"][-1]), allowed, n=2, cutoff=0.6)
        return ("did you mean " + " or ".join(map(repr, close)) + "?") if close else \
            "a story has title, description, steps; a step has title, caption, sources, view, date, highlight"
    if detail["type"] == "missing":
        return f"add `{detail['loc'][-1]}:`"
    if "date" in detail["loc"]:
        return "write a date as 2020, 2020-11 or 2020-11-03"
    if "sources" in detail["loc"]:
        return "cite at least one source: 'case §3.2, n 22'"
    return "see the comments at the top of data/stories.yaml"


def check_stories(graph, stories: dict[str, Story], source=None, folder=None) -> list[Problem]:
    """Every view, entity and source a story names must exist in ``graph`` (as ``validate`` checks the
    story file), and every entity a step highlights must be drawn by its view at its date
    (:func:`highlight_problems`). ``source``: the story file, whose lines the problems name (relative
    to ``folder``, see :func:`located`)."""
    return located(_checked(graph, stories)[0], source, folder)


def checked_highlights(graph, story: Story, source=None, folder=None) -> list[list[str]]:
    """What each step of ``story`` brings forward (:func:`story_highlights`); raises
    :class:`DataError` with :func:`check_stories`'s problems if there are any. Each view and date is
    resolved once: what ``render --story`` and ``build`` draw from."""
    problems, brought = _checked(graph, {story.id: story})
    if problems:
        raise DataError(located(problems, source, folder))
    return brought[story.id]


def _checked(graph, stories: dict[str, Story]) -> tuple[list[tuple], dict[str, list[list[str]]]]:
    """(the ``(path, story id, message, fix)`` problems of :func:`check_stories`, what each story
    whose views and entities exist brings forward at each step)."""
    from .registers import entity_for_merged
    from .views import named_views

    views = named_views(graph)
    bibliography = graph.graph.get("sources") or None  # a graph without its sources: citations not checked
    found, highlighted, brought = [], [], {}
    for name, story in stories.items():
        for index, step in enumerate(story.steps):
            found += _unknown_names(name, index, step, graph, bibliography, views,
                                    lambda entity: entity_for_merged(graph, entity))
        if all(step.view in views and all(entity in graph for entity in step.highlight) for step in story.steps):
            brought[name], problems = story_highlights(graph, story)
            highlighted += problems
    return found + highlighted, brought


def story_highlights(graph, story: Story) -> tuple[list[list[str]], list[tuple[tuple, str, str, str]]]:
    """What each step of ``story`` brings forward, and the problems of what it cannot.

    A step's view must draw each entity it highlights at the step's date (the page draws exactly
    what :func:`ecosystem.views.build_view` resolves then): the entity itself, or the collapsed
    pattern that stands for it (the first by id). Returns, for each step, the ids brought forward
    (in order, once each), and ``(path in the document, story id, message, fix)`` for each entity
    drawn neither way. The views are resolved without their dressing (control verdicts, layout).
    """
    from .views import drawn_entities

    resolved: dict[tuple, tuple] = {}
    brought, problems = [], []
    for index, step in enumerate(story.steps):
        if (step.view, step.date) not in resolved:
            resolved[step.view, step.date] = drawn_entities(graph, step.view, step.date)
        drawn, shown = resolved[step.view, step.date]
        forward: list[str] = []
        for position, entity in enumerate(step.highlight):
            found = entity if entity in drawn else next(
                (node for node in sorted(drawn) if entity in drawn[node]), None)
            if found is None:
                when = step.date or shown or "the latest date"
                problems.append((
                    ("stories", story.id, "steps", index, "highlight", position), story.id,
                    f"story {story.id!r}, step {index + 1} highlights {entity!r}, which view {step.view!r} "
                    f"does not draw on {when}",
                    f"highlight what the view draws then (`ecosystem render {step.view} --as-of {when} -o view.html` "
                    "shows it), or give the step another view or date"))
            elif found not in forward:
                forward.append(found)
        brought.append(forward)
    return brought, problems


def highlight_problems(graph, stories: dict[str, Story]) -> list[tuple[tuple, str, str, str]]:
    """``(path in the document, story id, message, fix)`` for every entity a step highlights that
    its view does not draw at its date (:func:`story_highlights`): what ``validate``, ``render
    --story`` and ``build`` report. The stories' views and entities must exist."""
    return [problem for story in stories.values() for problem in story_highlights(graph, story)[1]]


def located(found, source=None, folder=None) -> list[Problem]:
    """``(path, story id, message, fix)`` problems of the story file ``source`` as :class:`Problem`
    objects on their lines, the file named relative to ``folder`` (default: its own folder; the
    commands give :func:`ecosystem.files.naming_folder`, so that they name it as ``validate`` does)."""
    from .reading import Report

    if source is None:
        return [Problem(STORIES_FILE, None, story_id, message, fix) for _, story_id, message, fix in found]
    source = Path(source)
    report = Report(Path(folder) if folder is not None else source.parent)
    try:
        report.texts[source] = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass  # named without its lines
    for path, story_id, message, fix in found:
        report.add(source, path, story_id, message, fix)
    return report.located()


def stories_file(data_dir=None) -> Path | None:
    """The stories file of a data folder (default: the bundled data; several folders: the first
    that has one), or None."""
    from .files import STORIES_NAMES, data_folders

    return next((folder / name for folder in data_folders(data_dir) for name in STORIES_NAMES
                 if (folder / name).is_file()), None)


def load_stories(data_dir=None) -> dict[str, Story]:
    """The validated stories of a data folder ({} without a stories file)."""
    import yaml

    from . import _yaml
    from .files import naming_folder
    from .reading import relative

    path = stories_file(data_dir)
    if path is None:
        return {}
    folder = naming_folder(data_dir)
    try:
        document = _yaml.parse(path.read_text(encoding="utf-8"))  # as the loader reads it (libyaml where built)
    except (yaml.YAMLError, _yaml.AliasBombError) as error:
        mark = getattr(error, "problem_mark", None)
        raise DataError([Problem(relative(path, folder), mark.line + 1 if mark else None, None,
                                 f"not valid YAML: {error}", "fix the YAML syntax")]) from None
    return parse_stories(document, path, folder)


def stories_problems(document, *, entity_ids, source_ids, view_names,
                     merged=None) -> list[tuple[tuple, Optional[str], str, str]]:
    """Every problem of a parsed stories.yaml, as ``(path in the document, story id, message, fix)``.

    What ``ecosystem validate`` reports (the loader places each path on its line): the form
    (:func:`parse_stories`'s rules, story by story and step by step) and the views, entities and
    sources each well-formed step names. ``entity_ids``, ``source_ids`` and ``view_names`` are
    containers of what exists; ``merged`` maps ids merged away by same_as to the id kept (named in
    the fix, as for views: :func:`ecosystem.views.unknown_entity_fix`).
    """
    _, steps, problems = _read(document)
    kept = (merged or {}).get
    for name, index, step in steps:
        problems += _unknown_names(name, index, step, entity_ids, source_ids, view_names, kept)
    return problems


def _unknown_names(name, index: int, step: Step, entity_ids, source_ids, view_names,
                   kept_id) -> list[tuple[tuple, str, str, str]]:
    """``(path in the document, story id, message, fix)`` for each view, entity and source that step
    ``index`` of story ``name`` names and that is not among the known ones (``source_ids`` None: not
    checked). ``kept_id``: the id kept for an id merged away by same_as, else None."""
    from .views import unknown_entity_fix

    at = ("stories", name, "steps", index)
    problems = []

    def unknown(path, kind, value, known, fix):
        close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.6)
        problems.append((at + path, str(name), f"story {name!r}, step {index + 1} names {kind} {value!r}, "
                         "which does not exist",
                         (f"did you mean {' or '.join(map(repr, close))}? otherwise " if close else "") + fix))

    if step.view not in view_names:
        unknown(("view",), "view", step.view, view_names, "name a view of views.yaml (`ecosystem views`)")
    for position, entity in enumerate(step.highlight):
        if entity not in entity_ids:
            unknown(("highlight", position), "entity", entity, entity_ids, unknown_entity_fix(entity, kept_id(entity)))
    for position, citation in enumerate(step.sources):
        if source_ids is not None and citation.source not in source_ids:
            unknown(("sources", position), "source", citation.source, source_ids,
                    "cite a source of sources.yaml, or add it there")
    return problems
