"""YAML reading: a fast parse for the common case, line numbers only when a problem needs one."""

from __future__ import annotations

import re

import yaml

try:  # libyaml's C parser where it is built; the pure-Python one otherwise
    _FastLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _FastLoader = yaml.SafeLoader

# An alias is "*name" after a space, "[", ",", ":" or "-" (or at the start of a line).
_ALIAS = re.compile(r"(?:^|[\s\[,:-])\*[^\s,\[\]{}]+", re.MULTILINE)
# How many nodes alias expansion may produce, against the nodes written out: bounded, not exploded.
MAX_EXPANSION = 1_000_000


class AliasBombError(ValueError):
    pass


# ---------------------------------------------------------------------------------------------
# An optional fast path: yaml-rs (a Rust YAML 1.2 parser) on files that cannot tell 1.1 from 1.2.
#
# PyYAML reads YAML 1.1; yaml-rs reads YAML 1.2, so the two disagree on some plain scalars
# (yes/no/on/off, 017, 0o17, 1:20, =, <<), and yaml-rs also reads a *quoted* "2014-09-19" as a
# date and ignores tags PyYAML rejects. `fast_parse` uses yaml-rs only on a text in which a cheap
# scan finds none of those constructs (nor tags, anchors, aliases, or `@` / backquote starts),
# and returns None otherwise: the caller then parses with PyYAML. Every check below is written
# so that a false alarm only costs speed (the file goes to PyYAML). The loader also re-reads a
# dataset entirely with PyYAML whenever a fast-parsed file has any problem, so error messages and
# line numbers always come from PyYAML.

try:  # pragma: no cover - depends on the environment
    import yaml_rs as _yaml_rs

    _RS_LIMITS = _yaml_rs.AliasLimits(max_total_replayed_events=1)  # aliases never reach it (gated)
except Exception:  # ImportError, or an incompatible version
    _yaml_rs = None

_WORDS_1_1 = ("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "=", "<<")

# Each scan is kept as (character, pattern) and its pattern starts with that one literal character,
# so the regex engine finds candidates with its literal-prefix search (a tight loop over the text);
# a scan led by a character class or an alternation tests every character against it and is
# several times slower. A scan is skipped when its character is not in the text at all (`in` is a
# memchr, ten times faster still). The scans read the text as it is, a token at its very start
# counting as one after a separator; a scan that finds something sends the text to PyYAML unless
# `_harmless` says otherwise.

# what may stand before a whole plain scalar: whitespace, `[`, `{`, `,` (the number and indicator
# scans also count `:`)
_SEPARATORS = r"\s\[{,"
_SEPARATORS_OR_COLON = _SEPARATORS + ":"


def _follows_separator(token: str, separators: str = _SEPARATORS) -> str:
    """A look-behind placed right after ``token``: the token starts the text or follows a separator."""
    return f"(?<![^{separators}]{token})"


def _word_scan(words: list[str]) -> tuple[str, re.Pattern]:
    """One scan for the 1.1 words that begin with the same character, as whole plain scalars.

    A word must be followed by an end (a newline, `,`, `]`, `}`, `#`, `: `), perhaps after blanks.
    """
    lead = words[0][0]
    rests = "|".join(re.escape(word[1:]) + _follows_separator(re.escape(word)) for word in words)
    return lead, re.compile(f"{re.escape(lead)}(?:{rests})" + r"(?=[ \t]*(?:[\r\n,\]}#]|:[ \t\r\n]|:?\Z))")


def _word_scans() -> tuple[tuple[str, re.Pattern], ...]:
    by_lead: dict[str, list[str]] = {}
    for word in _WORDS_1_1:
        by_lead.setdefault(word[0], []).append(word)
    return tuple(_word_scan(words) for words in by_lead.values())


def _indicator_scan(char: str) -> tuple[str, re.Pattern]:
    token = re.escape(char)
    return char, re.compile(token + _follows_separator(token, _SEPARATORS_OR_COLON))


# a YAML 1.1 bool, `=` or `<<` as a whole plain scalar, and what ends one right after the word
_WORD_SCANS = _word_scans()
_WORD_END = re.compile(r"[\r\n,\]}]|:[ \t\r\n]|:?\Z")
# a blank before the end of a scalar (`on  # comment`, `on ,`): where the text has one, a word
# followed by blanks counts too
_TRAILING_BLANKS = ((" ", re.compile(r" [\r\n,\]}#]")), ("\t", re.compile(r"\t[\r\n,\]}#]")))
# a number with a leading zero (017 is octal 15 in 1.1, 17 in 1.2) or 0o17 (a string in 1.1)
_LEADING_ZEROS = (
    ("0", re.compile(
        r"0[0-7_o](?:" + _follows_separator("0.", _SEPARATORS_OR_COLON)
        + r"|(?<=[-+]0.)" + _follows_separator("[-+]0.", _SEPARATORS_OR_COLON) + ")"
    )),
)
# the rest of a number-like token, and what may follow it for it to be a whole plain scalar
_NUMBER_TAIL = re.compile(r"[0-9a-zA-Z_.:+-]*[ \t]*(?:[,\]}#\r\n]|:[ \t\r\n]|:?\Z)")
_ALWAYS_RISKY = (
    # digit:digit: sexagesimal numbers (1:20 is 80 in 1.1) and times (yaml-rs reads 12:30:45 as a time)
    (":", re.compile(r":[0-9](?<=[0-9]:[0-9])")),
    # a quoted date: a string in PyYAML, a date in yaml-rs
    ("-", re.compile(r"-(?<=[\"'][0-9]{4}-)")),
)
_INDICATORS = (
    # tags, anchors, aliases, reserved indicators and directives where a scalar or node starts
    *(_indicator_scan(char) for char in "!&*@`%"),
    # an explicit (complex) key: yaml-rs makes tuple keys of sequences where PyYAML refuses them
    ("?", re.compile(r"\?" + _follows_separator(r"\?", _SEPARATORS_OR_COLON) + r"(?=\s|\Z)")),
)
_SCALAR_STARTERS = frozenset(":-?,[{")


def _present(scans, text: str) -> list[re.Pattern]:
    """The patterns of ``scans`` whose leading character is in ``text`` (the others cannot match)."""
    return [pattern for lead, pattern in scans if lead in text]


def _harmless(text: str, start: int) -> bool:
    """True when the token at ``start`` cannot be read as a value of its own by either parser.

    That is when it sits in a comment (a line whose first non-blank is ``#``, or after `` #`` on a
    line with no quote character, so the ``#`` cannot be inside a quoted scalar), or inside a plain
    scalar (preceded on its line by other text that ends with none of ``: - ? , [ {``). Comment
    lines and text inside a scalar are content to both parsers, never resolved to a type.
    """
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    stripped = before.lstrip(" \t")
    if stripped.startswith("#") or " #" in before or "\t#" in before:
        # a comment, unless a quoted scalar (perhaps opened on an earlier line) holds the `#`: a
        # line without quotes is then all inside that scalar, so content either way
        line_end = text.find("\n", start)
        line = text[line_start:] if line_end < 0 else text[line_start:line_end]
        if '"' not in line and "'" not in line:
            return True
    stripped = stripped.rstrip(" \t")
    return stripped != "" and stripped[-1] not in _SCALAR_STARTERS


def safe_for_fast(text: str) -> bool:
    """True when yaml-rs and PyYAML cannot read ``text`` differently (a conservative scan).

    A cheap scan finds candidates; each is then looked at on its line, and one that sits in a
    comment or inside a longer plain scalar (prose such as "250,000 users" or "Rowman & Littlefield")
    is not counted. A quoted date, a time or a sexagesimal number (`1:20`) always counts.
    """
    return (
        _indicators_safe(text)
        and not any(pattern.search(text) for pattern in _present(_ALWAYS_RISKY, text))
        and _numbers_safe(text)
        and _words_safe(text)
    )


def _indicators_safe(text: str) -> bool:
    """No tag, anchor, alias, reserved indicator, directive or explicit key starts a node."""
    return all(
        _harmless(text, match.start()) for pattern in _present(_INDICATORS, text) for match in pattern.finditer(text)
    )


def _numbers_safe(text: str) -> bool:
    """No number with a leading zero (017, -017, 0o17) is a whole plain scalar."""
    for pattern in _present(_LEADING_ZEROS, text):
        for match in pattern.finditer(text):
            start = match.start()
            if start and text[start - 1] in "+-":
                start -= 1
            if _NUMBER_TAIL.match(text, match.end()) is None:
                continue  # a longer plain scalar (250,000 people): text to both parsers
            if not _harmless(text, start):
                return False
    return True


def _words_safe(text: str) -> bool:
    """No YAML 1.1 word (yes/no/on/off in three cases, `=`, `<<`) is a whole plain scalar.

    A word with its end right after it counts. One followed by blanks first (``on  # comment``)
    counts when the text has a blank before an end anywhere; it is then looked at from the
    separator before it when that is a rarer whitespace character (U+3000, U+00A0, ...), so that
    character is not taken for text before the word (conservative).
    """
    found = []
    for pattern in _present(_WORD_SCANS, text):
        for match in pattern.finditer(text):
            start = match.start()
            if _WORD_END.match(text, match.end()) is not None and not _harmless(text, start):
                return False
            found.append(start)
    if found and (text[-1:] in (" ", "\t") or any(p.search(text) for p in _present(_TRAILING_BLANKS, text))):
        for start in found:
            if start and text[start - 1] not in " \t\r\n[{,":
                start -= 1
            if not _harmless(text, start):
                return False
    return True


def fast_available() -> bool:
    return _yaml_rs is not None


def fast_parse(text: str):
    """Parse with yaml-rs when the text is safe for it; None when PyYAML must read it instead.

    Raises nothing: a yaml-rs error also returns None (PyYAML then gives the located error).
    """
    if _yaml_rs is None or not safe_for_fast(text):
        return None
    try:
        return _yaml_rs.loads(text, parse_datetime=True, alias_limits=_RS_LIMITS)
    except Exception:  # YAMLDecodeError, duplicate keys, anything: let PyYAML decide
        return None


def parse(text: str):
    """Parse one YAML document with the fast safe loader (raises yaml.YAMLError)."""
    data = yaml.load(text, Loader=_FastLoader)
    if _ALIAS.search(text):
        check_expansion(data)
    return data


def check_expansion(data, limit: int = MAX_EXPANSION) -> None:
    """Refuse documents whose aliases would expand past ``limit`` nodes when traversed.

    The safe loader shares one object for every use of an alias, so loading is cheap, but
    anything that walks the result (validation, export) would pay for the full expansion.
    """
    sizes: dict[int, int] = {}

    def size(node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # a cycle counts once; the recursion below terminates
        if isinstance(node, dict):
            total = 1 + sum(size(k) + size(v) for k, v in node.items())
        elif isinstance(node, list):
            total = 1 + sum(size(item) for item in node)
        else:
            total = 1
        sizes[key] = total
        if total > limit:
            raise AliasBombError(
                f"aliases expand to more than {limit:,} nodes; write the values out or use fewer nested aliases"
            )
        return total

    size(data)


def compose(text: str):
    """The node tree with marks, for locating problems (pure PyYAML, used only on error)."""
    return yaml.compose(text, Loader=yaml.SafeLoader)


def locate(root, path: tuple) -> int | None:
    """The 1-based line of the node at ``path`` (keys and list indices) in a composed tree.

    Walks as deep as the path goes and returns the line of the deepest node found.
    """
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == step:
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if 0 <= step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line
        else:
            return line
    return line
