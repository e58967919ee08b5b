"""Partial dates: ``2014``, ``2014-09`` and ``2014-09-19`` keep their precision.

A partial date compares by its first day (``2014`` sorts as 2014-01-01); ``last_day`` gives the
other end of the period it names.
"""

from __future__ import annotations

import calendar
import functools
import datetime as _dt
import re

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class DateFormatError(ValueError):
    pass


def parse_partial(value) -> tuple[int, int | None, int | None]:
    """Split a partial date into (year, month or None, day or None), checking it is real."""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.year, value.month, value.day
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise DateFormatError(f"expected a date like 2014, 2014-09 or 2014-09-19, got {value!r}")
    match = _PATTERN.match(value.strip())
    if not match:
        raise DateFormatError(f"expected a date like 2014, 2014-09 or 2014-09-19, got {value!r}")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and not 1 <= month <= 12:
        raise DateFormatError(f"month {month} out of range in {value!r}")
    if day is not None:
        try:
            _dt.date(year, month, day)
        except ValueError as error:
            raise DateFormatError(f"{error} in {value!r}") from None
    return year, month, day


def normalise(value) -> str:
    """The canonical text of a partial date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    year, month, day = parse_partial(value)
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
    if day is not None:
        text += f"-{day:02d}"
    return text


def first_day(value) -> _dt.date:
    if type(value) is str:
        return _first_day_of_text(value)
    year, month, day = parse_partial(value)
    return _dt.date(year, month or 1, day or 1)


@functools.lru_cache(maxsize=65536)
def _first_day_of_text(value: str) -> _dt.date:
    # a dataset repeats few distinct dates many times: parse each once
    year, month, day = parse_partial(value)
    return _dt.date(year, month or 1, day or 1)


def last_day(value) -> _dt.date:
    year, month, day = parse_partial(value)
    if month is None:
        return _dt.date(year, 12, 31)
    if day is None:
        return _dt.date(year, month, calendar.monthrange(year, month)[1])
    return _dt.date(year, month, day)


def sort_key(value) -> str:
    """A string that sorts partial dates by their first day, coarser precision first."""
    return first_day(value).isoformat() + "/" + str(len(normalise(value)))


def precision(value) -> str:
    year, month, day = parse_partial(value)
    return "day" if day is not None else "month" if month is not None else "year"


def is_current(start, end, when) -> bool:
    """True when a fact that runs from ``start`` (inclusive) to ``end`` (exclusive) holds at ``when``.

    ``None`` for start means "since before anything we know"; ``None`` for end means "still true".
    """
    return holds_on(start, end, first_day(when))


def holds_on(start, end, day: _dt.date) -> bool:
    """:func:`is_current` for a day already computed (the same rule, for loops over many records)."""
    if start is not None and first_day(start) > day:
        return False
    if end is not None and first_day(end) <= day:
        return False
    return True
