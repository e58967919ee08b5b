"""JSON and JSON lines reading: orjson for the data, the standard library where orjson cannot
say what we need (its errors' lines, integers past 64 bits, NaN), and keys given twice found.

orjson keeps the last of two equal keys without a word. Whether a text may hold one is checked
cheaply: the number of keys written (a quote, then blanks, then a colon) against the number in
what was parsed (orjson writing it back). They are equal when no key was lost; a string holding
a quote and a colon only makes the written count larger, which sends the text to the exact check
(the standard library with ``object_pairs_hook``), never the other way. Escapes that hide a quote
or a colon (``\\u0022``, ``\\u003a``) also send it there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import orjson

_KEY_END = re.compile(r'"[ \t\r\n]*:')
_SPACED_KEY_END = re.compile(r'"[ \t\r\n]+:')
_HIDDEN_QUOTE_OR_COLON = re.compile(r"\\u00(?:22|3[aA])")


class JsonError(ValueError):
    """Malformed JSON: the reason and its 1-based line (and column)."""

    def __init__(self, reason: str, line: int | None, column: int | None = None):
        super().__init__(reason)
        self.reason, self.line, self.column = reason, line, column


@dataclass(frozen=True)
class DuplicateKey:
    key: str
    first_line: int | None
    second_line: int | None
    record_id: str | None
    top_level: bool


def parse_json(text: str):
    """The data of a JSON text and the keys given twice in it. Raises JsonError."""
    data = _loads(text, 1)
    if not _may_repeat_keys(text, data):
        return data, []
    return data, _duplicates(text, 1)


def parse_json_lines(text: str):
    """[(line number, data)] of a JSON lines text (blank lines skipped) and the keys given twice.

    Lines are split at "\\n" only (U+2028 and U+0085 are text inside a JSON string). Raises JsonError.
    """
    lines = text.split("\n")
    kept = [(number, line) for number, line in enumerate(lines, 1) if line and not line.isspace()]
    try:  # the usual case: orjson reads every line
        items = [(number, orjson.loads(line)) for number, line in kept]
    except orjson.JSONDecodeError:  # the standard library decides, line by line (and says where)
        items = [(number, _loads(line, number)) for number, line in kept]
    if not items or not _may_repeat_keys(text, [item for _, item in items]):
        return items, []
    duplicates = []
    for number, item in items:  # each line parsed once: look again only where a key may repeat
        if _may_repeat_keys(lines[number - 1], item):
            duplicates.extend(_duplicates(lines[number - 1], number))
    return items, duplicates


def _loads(text: str, first_line: int):
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        pass  # the standard library decides (and says where): it also reads big integers and NaN
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonError(error.msg, first_line + error.lineno - 1, error.colno) from None
    except RecursionError:
        raise JsonError("nested too deeply", None) from None
    except ValueError as error:  # an integer of more digits than Python converts
        raise JsonError(str(error), None) from None


def _may_repeat_keys(text: str, data) -> bool:
    written = text.count('":')
    if _SPACED_KEY_END.search(text):
        written = len(_KEY_END.findall(text))
    try:
        kept = orjson.dumps(data).count(b'":')
    except (TypeError, orjson.JSONEncodeError):  # an integer past 64 bits, NaN, depth: check exactly
        return True
    return written != kept or _HIDDEN_QUOTE_OR_COLON.search(text) is not None


def _duplicates(text: str, first_line: int) -> list[DuplicateKey]:
    """Every key given twice in one object of ``text``, with the lines of both (the exact check)."""
    repeated: list[tuple[str, str | None, dict]] = []

    def pairs_hook(pairs):
        made = dict(pairs)
        if len(made) < len(pairs):
            seen = set()
            for key, _ in pairs:
                if key in seen:
                    record_id = made.get("id")
                    repeated.append((key, record_id if isinstance(record_id, str) else None, made))
                seen.add(key)
        return made

    try:
        data = json.loads(text, object_pairs_hook=pairs_hook)
    except (ValueError, RecursionError):
        return []
    lines = _key_lines(text) if repeated else {}
    found = []
    for key, record_id, made in repeated:
        where = lines.get(key, [])
        first, second = (first_line + where[0] - 1, first_line + where[1] - 1) if len(where) >= 2 else (None, None)
        found.append(DuplicateKey(key, first, second, record_id, made is data))
    return found


_STRING_OR_KEY = re.compile(r'"(?:[^"\\]|\\.)*"(?P<colon>[ \t\r\n]*:)?|[{}\[\]]')


def _key_lines(text: str) -> dict[str, list[int]]:
    """Each key's lines, first to last, for keys that repeat within one object (token scan, used only
    to place a duplicate the standard library found)."""
    stack: list[dict | None] = []
    found: dict[str, list[int]] = {}
    line, position = 1, 0
    for match in _STRING_OR_KEY.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        token = match.group()
        if token == "{":
            stack.append({})
        elif token == "[":
            stack.append(None)
        elif token in "}]":
            if stack:
                stack.pop()
        elif match.group("colon") is not None and stack and stack[-1] is not None:
            key = json.loads(token[: len(token) - len(match.group("colon"))])
            seen = stack[-1]
            if key in seen:
                found.setdefault(key, [seen[key]]).append(line)
            else:
                seen[key] = line
    return found
