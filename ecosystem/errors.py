"""The library's exceptions.

Every error the library raises on purpose derives from :class:`EcosystemError`. The CLI is the
only place that turns them into printed messages and exit codes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input data, located as precisely as we can."""

    file: str
    line: int | None
    id: str | None
    message: str
    hint: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        what = f" [{self.id}]" if self.id else ""
        text = f"{where}:{what} {self.message}"
        if self.hint:
            text += f" (fix: {self.hint})"
        return text


class EcosystemError(Exception):
    """Base class of every error the library raises on purpose."""


class DataError(EcosystemError):
    """The data could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], skipped=(), warnings: list[Problem] | None = None):
        self.problems = sorted(problems, key=_problem_order)
        self.skipped = tuple(skipped)  # paths that look like data but were not read (files.Skipped)
        self.warnings = sorted(warnings or [], key=_problem_order)  # doubtful, not wrong (see Dataset.warnings)
        count = len(self.problems)
        first = f": {self.problems[0]}" if self.problems else ""
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the data{first}")


class QueryError(EcosystemError):
    """A query could not be answered: an unknown id, a bad date, no such view."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.suggestions = suggestions or []
        if self.suggestions:
            message += " Did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class UnknownEntityError(QueryError):
    def __init__(self, entity_id: str, suggestions: list[str] | None = None):
        self.entity_id = entity_id
        super().__init__(f"No entity with id {entity_id!r}.", suggestions)


class ExportError(EcosystemError):
    """An export or render could not be written."""


def _problem_order(problem: Problem):
    return (problem.file, problem.line if problem.line is not None else -1, problem.id or "", problem.message)
