"""The records of a dataset as pydantic v2 models.

Every model forbids unknown keys, so a typo in a field name is an error rather than a
silently ignored value. Dates are kept as partial-date strings (``2014``, ``2014-09``,
``2014-09-19``); shares as :class:`Share`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from . import dates

ID_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
_APPROX = re.compile(r"^\s*(~|about|approx\.?|c\.)\s*")
_MULTIPLIERS = {None: 1, "": 1, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


# a canonical partial date that needs no further check (days 29-31 take the full check)
_CANONICAL_DATE = re.compile(r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|1[0-9]|2[0-8]))?)?")
_date_type = dates._dt.date


def _partial_date(value: Any) -> str:
    kind = type(value)
    if kind is str and _CANONICAL_DATE.fullmatch(value):
        return value  # what dates.normalise returns for it, without the work
    if kind is _date_type:
        return value.isoformat()  # YYYY-MM-DD, as dates.normalise gives it
    try:
        return dates.normalise(value)
    except dates.DateFormatError as error:
        raise ValueError(str(error)) from None


PartialDate = Annotated[str, BeforeValidator(_partial_date)]
EntityId = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=200)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Citation(Record):
    """A pointer into the bibliography: a source id and where in it (``§3.2, n 22``; ``pp 87-92``)."""

    source: EntityId
    locator: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value):
        if isinstance(value, str):
            source, _, locator = value.strip().partition(" ")
            return {"source": source, "locator": locator.strip()}
        return value

    def __str__(self) -> str:
        return f"{self.source} {self.locator}".strip()


Citations = Annotated[list[Citation], Field(min_length=1)]


class Share(Record):
    """A percentage: exact (``33``), approximate (``"~25"``) or a range (``{min: 20, max: 30}``)."""

    value: float | None = Field(default=None, ge=0, le=100)
    min: float | None = Field(default=None, ge=0, le=100)
    max: float | None = Field(default=None, ge=0, le=100)
    approximate: bool = False
    # a bound that is itself excluded: "more than 50%" is {min: 50, exclusive_min: true}
    exclusive_min: bool = False
    exclusive_max: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_scalar(cls, value):
        if isinstance(value, bool):
            raise ValueError("a share is a number from 0 to 100, not true/false")
        if isinstance(value, (int, float)):
            return {"value": value}
        if isinstance(value, str):
            text = value.strip().rstrip("%").strip()
            approximate = bool(_APPROX.match(text))
            text = _APPROX.sub("", text).rstrip("%").strip()
            try:
                number = float(text)
            except ValueError:
                raise ValueError(
                    f"a share is a number (33), approximate ('~25') or a range ({{min: 20, max: 30}}), got {value!r}"
                ) from None
            return {"value": number, "approximate": approximate}
        return value

    @model_validator(mode="after")
    def _consistent(self):
        if self.value is None and self.min is None and self.max is None:
            raise ValueError("a share needs a value, or a min and/or max")
        if self.value is not None and (self.min is not None or self.max is not None):
            raise ValueError("give either value or min/max, not both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        if (self.exclusive_min and self.min is None) or (self.exclusive_max and self.max is None):
            raise ValueError("exclusive_min/exclusive_max need the bound they qualify (min/max)")
        return self

    @property
    def low(self) -> float:
        """What is certain: the lowest the share can be (an excluded minimum: just above it)."""
        if self.value is not None:
            return self.value
        if self.min is None:
            return 0.0
        return self.min + EXCLUDED_BOUND_STEP if self.exclusive_min else self.min

    @property
    def high(self) -> float:
        """What is possible: the highest the share can be (an excluded maximum: just below it)."""
        if self.value is not None:
            return self.value
        if self.max is None:
            return 100.0
        return self.max - EXCLUDED_BOUND_STEP if self.exclusive_max else self.max

    @property
    def exact(self) -> bool:
        return self.value is not None and not self.approximate

    def __str__(self) -> str:
        return share_text(self.model_dump(exclude_defaults=True))


# what an excluded minimum adds to the certain share: more than the control rules' comparison margin
# (1e-9), far less than any share a register prints
EXCLUDED_BOUND_STEP = 1e-7


class Amount(Record):
    """A sum of money (or a count) as the source gives it: ``{value: 18.228, unit: billion, currency: CNY}``."""

    value: float = Field(allow_inf_nan=False)
    unit: Literal["thousand", "million", "billion", "trillion"] | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    approximate: bool = False

    @property
    def absolute(self) -> float:
        return self.value * _MULTIPLIERS[self.unit]

    def __str__(self) -> str:
        parts = [self.currency or "", ("~" if self.approximate else "") + _number(self.value), self.unit or ""]
        return " ".join(part for part in parts if part)


class Fact(Record):
    """A number observed about an entity: users, balances, revenue, members."""

    name: str = Field(min_length=1)
    value: float = Field(allow_inf_nan=False)
    unit: str = Field(min_length=1)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    date: PartialDate | None = None
    approximate: bool = False
    note: str | None = None
    sources: Citations


class Source(Record):
    """A bibliography entry."""

    id: EntityId
    kind: Literal[
        "book", "article", "chapter", "filing", "report", "news", "web", "decision", "dataset", "case_study",
    ]
    title: str = Field(min_length=1)
    author: str | None = None
    container: str | None = None
    publisher: str | None = None
    date: PartialDate | None = None
    url: str | None = None
    pages: str | None = None
    note: str | None = None


class Identifier(Record):
    """An identifier from a register: ``{scheme: GB-COH, id: "01234567"}`` (``name``: the scheme's name)."""

    id: str | None = Field(default=None, min_length=1)
    scheme: str | None = Field(default=None, min_length=1)
    name: str | None = None
    uri: str | None = None

    @model_validator(mode="after")
    def _names_something(self):
        if self.id is None and self.uri is None:
            raise ValueError("an identifier needs an id (with its scheme) or a uri")
        return self

    def __str__(self) -> str:
        if self.id is None:
            return str(self.uri)
        return f"{self.scheme}-{self.id}" if self.scheme else self.id


class Entity(Record):
    id: EntityId
    name: str = Field(min_length=1)
    type: str
    identifiers: list[Identifier] = Field(default_factory=list)
    # the id of the record this entity came from in a register (a BODS recordId): commands accept it
    record_id: str | None = Field(default=None, min_length=1)
    component: bool = False  # only a step of an indirect chain declared elsewhere (BODS isComponent)
    unspecified_reason: str | None = None  # an unknown or anonymous party: why (BODS reason code)
    names: dict[str, str] = Field(default_factory=dict)
    aliases: list[str] = Field(default_factory=list)
    jurisdiction: EntityId | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    description: str | None = None
    facts: list[Fact] = Field(default_factory=list)
    distinct_from: list[EntityId] = Field(default_factory=list)
    inferred: bool = False
    sources: Citations

    @field_validator("names")
    @classmethod
    def _language_codes(cls, value):
        for language in value:
            if not re.match(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", language):
                raise ValueError(f"{language!r} is not a language code such as zh, en or zh-Hant")
        return value


class Relation(Record):
    id: EntityId | None = None
    type: str
    from_: EntityId = Field(alias="from")
    to: EntityId
    equity: Share | None = None
    votes: Share | None = None
    amount: Amount | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    as_of: PartialDate | None = None
    supersedes: list[EntityId] = Field(default_factory=list)
    instruments: list[str] = Field(default_factory=list)
    role: str | None = None
    law: EntityId | None = None
    # register fields (BODS): a look-through interest held through others, not on the register
    indirect: bool = False
    beneficial: bool = False  # the register declares it beneficial ownership or control
    component: bool = False  # a step of an indirect chain declared by another relation
    components: list[EntityId] = Field(default_factory=list)  # the entities and relations of that chain
    record_id: str | None = Field(default=None, min_length=1)
    inferred: bool = False
    note: str | None = None
    sources: Citations

    @property
    def default_id(self) -> str:
        return f"{self.from_}__{self.type}__{self.to}"


def share_text(value) -> str:
    """A share as people read it (``33%``, ``~25%``, ``20-30%``), from a :class:`Share` or its dict; ``unknown``
    when absent. The one text of a share: the loader's messages, queries, control answers and exports use it."""
    if value is None:
        return "unknown"
    if isinstance(value, Share):
        return str(value)
    number = value.get("value")
    if number is not None:
        return f"{'~' if value.get('approximate') else ''}{_number(number)}%"
    if value.get("exclusive_min") and value.get("max") is None:
        return f"more than {_number(value['min'])}%"
    low = (">" if value.get("exclusive_min") else "") + (_number(value["min"]) if value.get("min") is not None else "?")
    high = ("<" if value.get("exclusive_max") else "") + (_number(value["max"]) if value.get("max") is not None else "?")
    return f"{low}-{high}%"


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else str(value)
