"""The ``ecosystem`` command line.

Commands only parse their options, call the library and print. Library errors become one
clear message and exit code 1; usage errors exit 2; nothing prints a traceback for a user's
mistake. Each command group lives in a module of its own and registers on :data:`app`.

Heavy libraries (pyvis, Graphviz, exporters' readers) are imported inside the commands that
need them, so that a query starts fast.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperCommand, TyperGroup

from .. import __version__
from ..errors import DataError, EcosystemError

# ----------------------------------------------------------------------------------------------
# the app and its error handling


def _unknown_option(error) -> bool:
    """Whether ``error`` is click's NoSuchOption (typer vendors click: matched by what it carries)."""
    return isinstance(getattr(error, "option_name", None), str) and hasattr(error, "possibilities")


class _Group(TyperGroup):
    """``ecosystem`` itself: an option of the commands given before the command says where it goes."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except Exception as error:  # typer's (vendored) click NoSuchOption: an option name it does not know
            if not _unknown_option(error):
                raise
            option = error.option_name
            owners = [name for name, command in sorted(self.commands.items())
                      if any(option in param.opts for param in command.params)]
            if owners:
                named = next((arg for arg in args if arg in self.commands), None)
                example = named if named in owners else owners[0] if len(owners) == 1 else "COMMAND"
                error.message = (f"No such option before the command: {option} goes after it (ecosystem {example} "
                                 f"... {option} ...); it is an option of {', '.join(owners[:6])}"
                                 f"{' ...' if len(owners) > 6 else ''}")
                error.possibilities = None
            raise


class _Command(TyperCommand):
    """A command: an option of ``ecosystem`` itself (--data, --no-cache) given after it says where it goes."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except Exception as error:
            if (_unknown_option(error) and ctx.parent is not None
                    and any(error.option_name in param.opts for param in ctx.parent.command.params)):
                error.message = (f"No such option: {error.option_name} is an option of ecosystem itself and goes "
                                 f"before the command (ecosystem {error.option_name} ... {ctx.info_name} ...)")
                error.possibilities = None
            raise


class _App(typer.Typer):
    """A Typer app whose commands turn library errors into a message and exit code 1."""

    def command(self, *args, **kwargs):
        kwargs.setdefault("cls", _Command)
        register = super().command(*args, **kwargs)

        def decorator(function):
            @functools.wraps(function)
            def wrapper(*inner_args, **inner_kwargs):
                try:
                    for name in ENTITY_ARGUMENTS.intersection(inner_kwargs):
                        inner_kwargs[name] = _entity_id(inner_kwargs.get("ctx"), inner_kwargs[name])
                    return function(*inner_args, **inner_kwargs)
                except DataError as error:
                    report_data_error(error)
                    raise typer.Exit(1)
                except EcosystemError as error:
                    fail(str(error))
                except BrokenPipeError:  # `ecosystem ... | head`
                    sys.stderr.close()
                    raise typer.Exit(0)

            register(wrapper)
            return function

        return decorator


# the command arguments that name an entity: each also accepts a register's record id (BODS recordId, FtM id)
ENTITY_ARGUMENTS = frozenset({"entity_id", "controller_id", "source", "target"})


def _entity_id(context, text):
    """Our id for an entity argument: our id as given, the id kept for a record merged by same_as, or
    the id of the entity a register's record id names (:meth:`ecosystem.api.Ecosystem.resolve`)."""
    if context is None or not isinstance(text, str):
        return text
    return session(context).resolve(text)


app = _App(
    cls=_Group,
    name="ecosystem",
    help="Query, draw and export the knowledge graph of a corporate-political ecosystem "
    "(bundled: Alibaba / Ant Group).\n\n"
    "Exit codes: 0 success; 1 bad data or a failed query (an unknown id or view included); "
    "2 bad usage (an unknown command or option, or an option value that cannot be parsed, such as "
    "a bad --as-of date or an unknown export or render format).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def session(ctx: typer.Context):
    """The dataset every command asks (an :class:`ecosystem.api.Ecosystem`, typer's context object).

    The app's callback puts it on the context; a command run without the callback (a test calling
    one command) gets the bundled data.
    """
    root = ctx.find_root()
    if root.obj is None:
        from ..api import Ecosystem

        root.obj = Ecosystem()
    return root.obj


class _load_progress:
    """A progress bar on stderr for a load that takes over a second, on a terminal only and never
    for --json (its output is for a program). Yields the loader's ``progress`` callback or None."""

    DELAY = 1.0

    def __enter__(self):
        import time

        if not sys.stderr.isatty() or "--json" in sys.argv[1:]:
            return None
        self._clock, self._start, self._bar, self._task = time.monotonic, time.monotonic(), None, None
        return self.update

    def update(self, stage: str, done: int, total: int) -> None:
        if self._bar is None:
            if self._clock() - self._start < self.DELAY:
                return
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                                 TimeElapsedColumn(), console=console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(stage, total=total or None)
        self._bar.update(self._task, description=stage, completed=done)

    def __exit__(self, *exc):
        if getattr(self, "_bar", None) is not None:
            self._bar.stop()
        return False


def _version(value: bool):
    if value:
        typer.echo(f"ecosystem {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data: Optional[list[Path]] = typer.Option(
        None, "--data", "-d", envvar="ECOSYSTEM_DATA", metavar="DIR",
        help="Folder of YAML/JSON data to use instead of the bundled dataset. Give it more than once to "
        "read several folders as one dataset (e.g. the bundled data and an imported register: "
        "--data \"$(ecosystem data-path)\" --data gb/); an id defined in two of them is an error.",
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Read and validate every file, ignoring the cache."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
):
    from ..api import Ecosystem

    ctx.obj = Ecosystem(data, use_cache=not no_cache, progress=_load_progress)


# ----------------------------------------------------------------------------------------------
# shared options and output

def date_value(value: Optional[str]) -> Optional[str]:
    """A date option's value, checked when the command line is read: one that is not a date is a
    usage error (exit 2), like any option value that cannot be parsed."""
    if value is None:
        return None
    from ..dates import DateFormatError, normalise

    try:
        return normalise(value)
    except DateFormatError as error:
        message = str(error)
        if "expected a date" not in message:
            message += " (write a date as 2020, 2020-11 or 2020-11-03)"
        raise typer.BadParameter(message) from None


JSON_OPTION = typer.Option(False, "--json", help="Print JSON (the documented contract) instead of a table.")
AS_OF_OPTION = typer.Option(
    None, "--as-of", metavar="DATE", callback=date_value,
    help="Answer as of this date (2020, 2020-11 or 2020-11-03); default: the latest date in the data.",
)


def console(stderr: bool = False):
    from rich.console import Console

    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None
    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=False)


class _Steps:
    """Steps of a long job, shown as a progress bar (see :func:`progress_bar`)."""

    def __init__(self, progress):
        self._progress = progress

    def track(self, items, label=str):
        """Yield each item, showing ``label(item)`` and how many are done."""
        items = list(items)
        task = self._progress.add_task("", total=len(items))
        for item in items:
            self._progress.update(task, description=label(item))
            yield item
            self._progress.advance(task)


@contextlib.contextmanager
def progress_bar(enabled: bool = True):
    """A progress bar on stderr for jobs that take seconds; shown only on a terminal (never in a
    pipe, a file or a test), so stdout stays exactly what a script reads."""
    from rich.progress import Progress

    errors = console(stderr=True)
    with Progress(console=errors, disable=not (enabled and errors.is_terminal), transient=True) as progress:
        yield _Steps(progress)


def print_json(document) -> None:
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


def fail(message: str, code: int = 1):
    console(stderr=True).print(f"[bold red]error:[/] {_escape(message)}")
    raise typer.Exit(code)


def report_data_error(error: DataError) -> None:
    out = console(stderr=True)
    count = len(error.problems)
    out.print(f"[bold red]error:[/] {count} problem{'s' if count != 1 else ''} in the data")
    for problem in error.problems:  # one line each, never wrapped: people grep these
        out.print(_escape(f"  {problem}"), soft_wrap=True)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def main():  # console-script entry point
    """Run the command, then leave at once.

    Freeing a large graph object by object at interpreter teardown takes seconds and helps no one:
    every file is written and closed by then, and the output is flushed here.
    """
    try:
        app()
        code = 0
    except SystemExit as stop:
        code = stop.code
    leave(code)


def leave(code) -> None:
    """Flush the output and end the process with ``code`` without tearing the interpreter down."""
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message")
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`) or a closed stream: nothing to save
            pass
    os._exit(code)


# command groups register themselves on `app` when imported
from . import core  # noqa: E402,F401
from . import build  # noqa: E402,F401
from . import render  # noqa: E402,F401
from . import control  # noqa: E402,F401
from . import export  # noqa: E402,F401
from . import sql  # noqa: E402,F401
from . import registers  # noqa: E402,F401
from . import analyse  # noqa: E402,F401
