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
# Each scan starts with a literal or a small class and looks behind, which keeps it fast
# (one combined alternation is several times slower); a scan that finds something sends the
# text to PyYAML.
_RISKY_SCANS = (
    # a YAML 1.1 bool, `=` or `<<` as a whole plain scalar (ended by a newline, `,`, `]`, `}`, `: `)
    re.compile(
        "(?:" + "|".join(f"{re.escape(word)}(?<=[\\s\\[{{,]{re.escape(word)})" for word in _WORDS_1_1) + ")"
        + r"(?=[\r\n,\]}]|:[ \t\r\n]|:\Z|\Z)"
    ),
    # a number with a leading zero (017 is octal 15 in 1.1, 17 in 1.2) or 0o17 (a string in 1.1)
    re.compile(r"0[0-7_o](?:(?<=[\s\[{,:]0.)|(?<=[\s\[{,:][-+]0.))"),
    # digit:digit: sexagesimal numbers (1:20 is 80 in 1.1) and times (yaml-rs reads 12:30:45 as a time)
    re.compile(r":(?<=[0-9]:)[0-9]"),
    # a quoted date: a string in PyYAML, a date in yaml-rs
    re.compile(r"-(?<=[\"'][0-9]{4}-)"),
    # tags, anchors, aliases, reserved indicators and directives where a scalar or node starts
    re.compile(r"[!&*@`%](?:(?<=[\s\[{,:][!&*@`%])|(?<=^[!&*@`%]))"),
    # an explicit (complex) key: yaml-rs makes tuple keys of sequences where PyYAML refuses them
    re.compile(r"\?(?<=[\s\[{,:]\?)(?=[\s]|\Z)"),
)
# blanks before the end of a scalar (`on  # comment`, trailing spaces) escape the first scan,
# so a text that has any gets the exact (slower) scan for whole-scalar 1.1 words
_TRAILING_BLANKS = re.compile(r"[\r\n,\]}#](?<=[ \t][\r\n,\]}#])")
_RISKY_WORDS_SLOW = re.compile(
    r"(?:^|[\s\[{,])(?:" + "|".join(re.escape(word) for word in _WORDS_1_1) + r")"
    r"(?=[ \t]*(?:[\r\n,\]}#]|:[ \t\r\n]|:?\Z))",
    re.MULTILINE,
)


_LEADING_ZERO_SCAN = _RISKY_SCANS[1]
_INDICATOR_SCAN = _RISKY_SCANS[4]
# the rest of a number-like token, and what may follow it for it to be a whole plain scalar
_NUMBER_TAIL = re.compile(r"[0-9a-zA-Z_.:+-]*[ \t]*(?:[,\]}#\r\n]|:[ \t\r\n]|:?\Z)")
_SCALAR_STARTERS = frozenset(":-?,[{")


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
    is not counted. A quoted date is always counted (yaml-rs reads it as a date).
    """
    text = "\n" + text  # the scans look behind for a separator: give the first line one
    for scan in _RISKY_SCANS:
        for match in scan.finditer(text):
            start = match.start()
            if scan is _LEADING_ZERO_SCAN:
                if text[start - 1] in "+-":
                    start -= 1
                if _NUMBER_TAIL.match(text, match.end()) is None:
                    continue  # a longer plain scalar (250,000 people): text to both parsers
            elif scan is not _INDICATOR_SCAN and scan is not _RISKY_SCANS[0] and scan is not _RISKY_SCANS[5]:
                return False  # times and sexagesimals, quoted dates: always risky
            if not _harmless(text, start):
                return False
    if _TRAILING_BLANKS.search(text) is not None or text[-1:] in (" ", "\t"):
        for match in _RISKY_WORDS_SLOW.finditer(text):
            start = match.start() if text[match.start()] not in " \t\r\n[{," else match.start() + 1
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
