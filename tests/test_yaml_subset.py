"""``ecosystem._speedups.parse_items(text, indent)`` gives exactly what PyYAML gives, or None.

``parse_items`` reads a piece of a YAML file (whole lines: block sequence items starting with
``indent`` spaces and ``- ``, blank and comment lines) and gives either exactly what PyYAML gives,
``yaml.load("key:\\n" + text.decode(), Loader=yaml.CSafeLoader)["key"]``, or None ("not sure").
"Exactly" means equal values with the same Python types at every level (``5 == 5.0``,
``True == 1`` and ``date == datetime`` are not enough; ``-0.0`` is not ``0.0``) and the same dict
key order. None is always a correct answer; a non-None answer must be right, and is only allowed
where PyYAML's pure-Python ``SafeLoader`` agrees with ``CSafeLoader`` (where the two disagree,
e.g. on tabs or ``"\\ud800"``, the only safe answer is None). The function never raises and never
crashes, whatever bytes it gets.

* generated pieces in the layout (flow and block items, nested flow collections, a key with an
  empty value over a deeper block sequence, comments, blank lines, CRLF, no final newline ...)
  full of tricky scalars (numbers in every YAML 1.1 form, dates, yes/no/on/off/null, strings
  with indicators, quotes, escapes, non-ASCII and forbidden characters, odd keys);
* realistic pieces (``benchmarks.synthetic``) and generated ones, mutated at random places; the
  synthetic pieces with values swapped for tricky ones; records as ``yaml.safe_dump`` writes them;
* the slice form ``parse_items(data, start, end, indent)``: right for ``data[start:end]``, any
  start and end (out of range too) safe;
* deep nesting, huge numbers, long lines, many items: no crash, no unbounded recursion;
* hand-picked examples of each tricky case, so they always run;
* the synthetic pieces (several seeds, block and flow records, indentation 2) are accepted,
  equal, with one item per item line: a function that declines everything fails;
* random bytes (invalid UTF-8, NULs, truncated text) and odd indentations never crash or raise.

Without ``parse_items`` these tests are skipped on a developer's machine but fail in CI (CI=true).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import sys
from pathlib import Path

import pytest
import yaml
from conftest import IN_CI
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import _yaml_document, _yaml_record, make_records  # noqa: E402

try:
    from ecosystem import _speedups
except ImportError:  # not built
    _speedups = None

NOT_BUILT = ("ecosystem._speedups.parse_items is missing (the C extension was not built, or is older); "
             "build it with `pip install --no-deps -e .`")
if getattr(_speedups, "parse_items", None) is None and not IN_CI:
    pytest.skip(NOT_BUILT, allow_module_level=True)


def test_parse_items_is_built():
    assert callable(getattr(_speedups, "parse_items", None)), NOT_BUILT


# --- the reference: PyYAML ---------------------------------------------------------------------------


def same(a, b) -> bool:
    """Equal, with the same types and the same dict key order at every level (-0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return (len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
                and all(same(x, y) for x, y in zip(a.values(), b.values())))
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is float:
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if type(a) is dt.datetime:
        return a == b and a.utcoffset() == b.utcoffset() and (a.tzinfo is None) == (b.tzinfo is None)
    if type(a) in (str, int, bool, bytes, type(None), dt.date):
        return a == b
    return False  # anything else: PyYAML's safe loaders give no other type here


class Rejected:
    """PyYAML gives no list for the piece, or its two loaders disagree: the answer must be None."""

    def __init__(self, why: str):
        self.why = why

    def __repr__(self):
        return f"<no list: {self.why}>"


def _load(document: str, loader):
    try:
        return True, yaml.load(document, Loader=loader)
    except RecursionError:
        return False, "RecursionError"
    except Exception as error:  # noqa: BLE001 - YAMLError, and ValueError for 2019-02-29, 0x_ or huge ints
        return False, f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"


def pyyaml(text: bytes):
    """What PyYAML's CSafeLoader gives for the piece, or a Rejected (then only None is right)."""
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError as error:
        return Rejected(f"not UTF-8: {error}")
    document = "key:\n" + decoded
    ok, value = _load(document, yaml.CSafeLoader)
    if not ok:
        return Rejected(f"CSafeLoader: {value}")
    if type(value) is not dict or "key" not in value:
        return Rejected(f"CSafeLoader gives no key: {value!r}")
    value = value["key"]
    if type(value) is not list:
        return Rejected(f"CSafeLoader gives no list but {value!r}")
    ok, pure = _load(document, yaml.SafeLoader)
    if not ok:
        return Rejected(f"SafeLoader (pure Python) rejects it, CSafeLoader does not: {pure}")
    if type(pure) is not dict or "key" not in pure or not same(pure["key"], value):
        return Rejected(f"SafeLoader (pure Python) gives {pure!r}, CSafeLoader {value!r}")
    return value


def parse(text: bytes, indent: int):
    """The C function's answer; an exception is a failure (it must never raise)."""
    try:
        return _speedups.parse_items(text, indent)
    except MemoryError:
        raise
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"parse_items({text!r}, {indent}) raised {error!r}")


def difference(text: bytes, indent: int, got=None, computed: bool = False):
    """None when the C answer is right for the piece, else a description of what is wrong."""
    if not computed:
        got = parse(text, indent)
    if got is None:
        return None
    expected = pyyaml(text)
    if type(got) is not list:
        return f"parse_items({text!r}, {indent})\n    C gives no list: {got!r}\n    PyYAML: {expected!r}"
    if isinstance(expected, Rejected) or not same(got, expected):
        return f"parse_items({text!r}, {indent})\n    C:      {got!r}\n    PyYAML: {expected!r}"
    return None


def check(text: bytes | str, indent: int):
    """Assert the C answer is None or right; give it (for statistics)."""
    if isinstance(text, str):
        text = text.encode("utf-8", "surrogatepass")
    got = parse(text, indent)
    problem = difference(text, indent, got, computed=True)
    assert problem is None, problem
    return got


def item_lines(text: str, indent: int) -> int:
    marker = " " * indent + "- "
    return sum(1 for line in text.split("\n") if line.startswith(marker))


# --- tricky scalars ----------------------------------------------------------------------------------

NUMBERS = [
    "0", "00", "000", "-0", "+0", "017", "08", "09", "0o17", "0O17", "0x1F", "0X1F", "0x1f", "0xG", "0x_", "0b101",
    "0b_", "0b2", "0_", "1_", "1_000", "1__0", "_1", "-_1", "+5", "-5", "+-5", "5-", "--5", ".5", "-.5", "+.5", "5.",
    "-5.", "5.4", "-5.4", "+5.4", "25.0", "0.0", "-0.0", "+0.0", "00.5", "05.4", "1.0", "0.1", "1.10", "100.5_0",
    "1_0.5", "1._5", "0.000001", "3.14159265358979323846", "1e3", "1E3", "1e+3", "1.0e+3", "1.0E-3", "1.0e3",
    "1.e+3", "6.02e23", "1.5e", "1.5e+", "1.0e+400", "5e-324", "1:20", "-1:20:30.5", "190:20:30", "1:60", "1:2:3:4",
    ".inf", "-.inf", "+.inf", ".Inf", ".INF", ".iNf", ".nan", ".NaN", ".NAN", "-.nan", "nan", "inf", "Infinity",
    "12345678901234567890123", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
    "18446744073709551616", "99999999999999999999.5", "1.7976931348623157e+308", "1" * 30, "0" + "7" * 25,
    "1,000", "1 000", "١٢٣", "１２", "½", "0.5.5", "1..2", "1.2.3",
]
DATES = [
    "2019-05-07", "2019-02-29", "2020-02-29", "2100-02-29", "2000-02-29", "2019-13-01", "2019-00-10", "2019-05-00",
    "2019-05-32", "2019-04-31", "0000-01-01", "0001-01-01", "9999-12-31", "2019-5-7", "2019-05-7", "2019-5-07",
    "2019-05", "2019", "19-05-07", "12019-05-07", "2019-05-07T10:00:00", "2019-05-07 10:00:00",
    "2019-05-07t10:00:00Z", "2019-05-07T10:00:00+08:00", "2019-05-07T10:00:00.123456", "2019-05-07 10:00:00 -5",
    "2019-05-07T25:00:00", "2019-05-07T10:00", "2019-5-7T1:00:00", "2019-05-07x", "2019-05-07.", "20190507",
    "2019/05/07", "2019-05-07-", "2019–05–07", "２０１９-05-07",
]
WORDS = [
    "yes", "Yes", "YES", "yEs", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
    "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "null", "Null", "NULL", "nULL", "~", "None", "none",
    "=", "<<", "truely", "nulls", "trUe", "true1",
]
STRINGS = [
    "src_1", "holdco", "company_16", "a-b", "a.b", "a b", "a  b", "a#b", "a #b", "a: b", "a:b", "a:", "a :b",
    "a,b", "a, b", "a[b", "a]b", "a{b", "a}b", "?a", "? a", "?", "-a", "- a", "-", "--", "---", "...", "&a", "& a",
    "*a", "!a", "!!str a", "!!int 5", "!!float 1", "!", "|", "|-", ">", ">+", "%a", "%YAML", "@a", "`a", "a@b", "a`b",
    "a'b", "a\"b", "'a", '"a', "a'", "中文", "浙江云网络有限公司", "café", "Zürich", "😀", "a😀b", "a\\b", "\\",
    "http://x.y/z?a=1#f", "src_1 §3.4, n 17", "pp 1-400", "~25", "a\tb", "a\t", "\ta", "a ", " a", "a\u00a0b",
    "a\x85b", "a\u2028b", "a\u2029b", "\ufeffa", "a\ufeffb", "a\ufffeb", "a\uffffb", "a\x00b", "a\x07b", "a\x1bb",
    "a\x7fb", "a\x9fb", "a\rb", "a\ud800b", "\U0010ffff", "x" * 300,
]
PLAIN = NUMBERS + DATES + WORDS + STRINGS
QUOTED = [
    '""', "''", '"a"', "'a'", '"yes"', "'5'", '"2019-05-07"', '"a # b"', "'a # b'", '"a: b"', "'a: b'",
    '"it\'s"', "'it''s'", "'it's'", "''''", "'a''b''c'", "'''", '"\\""', '"\\\\"', '"a\\"b"', '"\\"', '"a\\"',
    '"\\n"', '"\\t"', '"\\/"', '"\\x41"', '"\\x4"', '"\\xZZ"', '"\\u4e2d"', '"\\u4E2D"', '"\\u4e2"',
    '"\\U0001F600"', '"\\U0001f600"', '"\\U00110000"', '"\\ud800"', '"\\udfff"', '"\\ud83d\\ude00"', '"\\N"',
    '"\\_"', '"\\L"', '"\\P"', '"\\ "', '"\\e"', '"\\0"', '"\\a"', '"\\b"', '"\\f"', '"\\r"', '"\\v"', '"\\q"',
    '"\\\'"', '"\\	"', '"a\\tb\\nc"', '"\\u0000"', '"\\x85"', '"\\uFEFF"', '"\\uFFFE"', '"\\u2028"', '"中文"',
    "'中文'", '"😀"', '"a\tb"', "'a\tb'", '"a\x00b"', '"a\x85b"', '"a\u2028b"', '"a\ufeffb"', '"a\ufffeb"', '" a "',
    "' a '", '"a  "', '"#"', "'#'", '"[a]"', "'{a: 1}'", '"a\'b"', "'a\"b'", '"a" b', "'a' b", '"a"b', '"a', "'a",
    'a"', '"a\\\\"', '"\\\\\\""', "'\\'", "'\\n'",
]


def _double_quote(text: str, style: int) -> str:
    out = []
    for index, char in enumerate(text):
        code = ord(char)
        if char == '"' or char == "\\" or style == 1 and code < 0x20:
            out.append({"\n": "\\n", "\t": "\\t", '"': '\\"', "\\": "\\\\"}.get(char, f"\\x{code:02x}"))
        elif style == 2 and (index % 2):
            out.append(f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _single_quote(text: str, doubled: bool) -> str:
    return "'" + (text.replace("'", "''") if doubled else text) + "'"


INLINE = "aZ09 _-.:#,[]{}?&*!|>%@`'\"\\~=<+/§中é😀\xa0\ufeff"
RARE = "\t\r\x00\x07\x1b\x7f\x85\x9f\u2028\u2029\ufffe\uffff\ud800"  # line breaks, tabs, forbidden characters


@st.composite
def weighted(draw, *choices):
    """One of the strategies, each with its weight: ``weighted((3, a), (1, b))`` (one_of draws
    each strategy about as often, repeated or not)."""
    at = draw(st.integers(0, sum(weight for weight, _ in choices) - 1))
    for weight, strategy in choices:
        if at < weight:
            return draw(strategy)
        at -= weight
    raise AssertionError


words = weighted((3, st.text(alphabet=INLINE, max_size=8)),  # and now and then one rare character in them
                 (1, st.builds("{}{}{}".format, st.text(alphabet=INLINE, max_size=4), st.sampled_from(RARE),
                               st.text(alphabet=INLINE, max_size=4))))
# plain values of the subset, so that a piece is often valid around its tricky parts
CLEAN = ["x", "src_1", "holdco", "company_16", "5", "17", "0", "5.4", "25.0", "0.5", "2019-05-07", "2020-02-29",
         "2019-05", "2019", "true", "false", '"X"', '"a b"', "'a'", '"中文"', "a b", "p 2", '"say \\"hi\\""',
         "'it''s'", '"src_1 §3.4, n 17"', "中文", "pp 1-400"]
scalar = weighted(
    (12, st.sampled_from(CLEAN)),
    (4, st.sampled_from(PLAIN)),
    (3, st.sampled_from(QUOTED)),
    (1, st.builds(_double_quote, words, st.integers(0, 2))),
    (1, st.builds(_single_quote, words, st.booleans())),
    (1, words),
)
KEYS = [
    "id", "name", "type", "from", "to", "sources", "source", "locator", "date", "start", "end", "value", "names",
    "zh", "equity", "min", "max", "yes", "no", "on", "off", "y", "n", "true", "null", "~", "1", "017", "5.4",
    "2019-05-07", '"id"', "'id'", '"a b"', "a b", "<<", "=", "?", "? id", "-k", "k#", "k #c", "中", "é", '""', "''",
    "[a]", "{a: 1}", "[]", "{}", "&a id", "*a", "!!str id", "!!int 5", '"\\u0069d"', "id ", " id", "i:d", "&", "-",
]
key = weighted((12, st.sampled_from(KEYS[:16])), (3, st.sampled_from(KEYS)), (1, words))
COLONS = [": "] * 16 + [":", " : ", ":  ", ":\t", ": \t"]
COMMAS = [", "] * 12 + [",", " , ", ",  ", ",\t"]
ENDS = [""] * 6 + [",", ", ", " "]


def _flow_seq(draw, depth: int) -> str:
    items = [draw(value(depth + 1)) for _ in range(draw(st.integers(0, 3)))]
    return "[" + draw(st.sampled_from(COMMAS)).join(items) + (draw(st.sampled_from(ENDS)) if items else "") + "]"


def _flow_map(draw, depth: int) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4)) if draw(st.integers(0, 9)) else 0):
        bare = draw(st.integers(0, 29))
        k = draw(key)
        parts.append(k if bare == 0 else k + ":" if bare == 1 else k + draw(st.sampled_from(COLONS)) + draw(value(depth + 1)))
    return "{" + draw(st.sampled_from(COMMAS)).join(parts) + (draw(st.sampled_from(ENDS)) if parts else "") + "}"


@st.composite
def value(draw, depth: int = 0) -> str:
    """A scalar, or (less often, and not too deep) a flow sequence or mapping of values."""
    kind = draw(st.integers(0, 9))
    if depth >= 2 or kind < 7:
        return draw(scalar)
    return _flow_seq(draw, depth) if kind < 8 else _flow_map(draw, depth)


@st.composite
def flow_map(draw):
    return _flow_map(draw, 0)


TRAILS = [""] * 12 + [" ", "  ", "\t", " # comment", "  # c: {x}", "# c", " #", " #\t", " # ' \" [ {"]
COMMENTS = ["# comment", "#", "#c", "# - a: b", "#\t", "# 中文 😀", "# {a: [b"]


@st.composite
def flow_item(draw, pad: str) -> list[str]:
    return [pad + "- " + _flow_map(draw, 0) + draw(st.sampled_from(TRAILS))]


@st.composite
def scalar_item(draw, pad: str) -> list[str]:
    return [pad + "- " + draw(value()) + draw(st.sampled_from(TRAILS))]


@st.composite
def block_item(draw, pad: str) -> list[str]:
    """A block mapping item: ``- k: v`` then ``k: v`` lines, a key over a deeper block sequence, odd
    indentation, continued values, comments and blank lines between."""
    lines = []
    for number in range(draw(st.integers(1, 6))):
        lead = pad + ("- " if number == 0 else "  " if draw(st.integers(0, 29)) else draw(st.sampled_from(["", " ", "   ", "    "])))
        k = draw(key)
        colon = draw(st.sampled_from(COLONS))
        shape = draw(st.integers(0, 99))
        if shape < 70:
            lines.append(lead + k + colon + draw(value()) + draw(st.sampled_from(TRAILS)))
        elif shape < 90:  # an empty value over a block sequence, mostly deeper, else at the key's indentation or odd
            lines.append(lead + k + draw(st.sampled_from([":"] * 6 + [": ", ":  # c", " :"])))
            inner = " " * len(lead)
            deeper = inner + draw(st.sampled_from(["  "] * 8 + [""] * 3 + [" ", "   ", "    "]))
            for _ in range(draw(st.integers(0, 3))):
                entry = draw(weighted((3, value()), (1, flow_map())))
                lines.append(deeper + draw(st.sampled_from(["- "] * 12 + ["-", "-  ", "- - "])) + entry
                             + draw(st.sampled_from(TRAILS)))
        elif shape < 95:  # a value continued on the next line(s)
            lines.append(lead + k + colon + draw(value()))
            for _ in range(draw(st.integers(1, 2))):
                lines.append(" " * (len(lead) + draw(st.integers(-2, 4))) + draw(value()))
        else:  # a nested block mapping
            lines.append(lead + k + ":")
            lines.append(" " * (len(lead) + 2) + draw(key) + ": " + draw(value()))
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", " ", "  ", "\t"])) if draw(st.booleans()) else
                         " " * draw(st.integers(0, 8)) + draw(st.sampled_from(COMMENTS)))
    return lines


@st.composite
def pieces(draw, items=None):
    """(text, indent): a generated piece, with the indentation the function is told (mostly the true one)."""
    indent = draw(st.sampled_from([2, 2, 2, 0, 4]))
    pad = " " * indent
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 5)) == 0:
            lines.append(" " * draw(st.integers(0, 6)) + draw(st.sampled_from(COMMENTS + ["", "", " "])))
        lines.extend(draw(items(pad) if items else st.one_of(flow_item(pad), block_item(pad), scalar_item(pad))))
    ending = "\n" if draw(st.integers(0, 9)) else draw(st.sampled_from(["\r\n", "\r\n", "\r", "\x85", "\u2028"]))
    text = ending.join(lines) + draw(st.sampled_from([ending] * 6 + ["", ending + ending, " ", "\n# end"]))
    told = draw(st.integers(0, 6)) if draw(st.integers(0, 19)) == 7 else indent
    return text, told


# --- realistic pieces, and mutations ----------------------------------------------------------------


def _reindent(text: str, indent: int) -> str:
    """A piece written at indentation 2 moved to ``indent`` (0, 2 or 4)."""
    if indent == 2:
        return text
    lines = text.split("\n")
    if indent == 0:
        return "\n".join(line[2:] for line in lines)
    return "\n".join("  " + line if line else line for line in lines)


def _synthetic_pieces() -> list[str]:
    out = []
    for seed in range(3):
        records = make_records(30, seed)
        for section in ("sources", "entities", "relations"):
            for start in range(0, len(records[section]), 3):
                group = records[section][start:start + 1 + start % 3]
                out.append("".join(_yaml_record(record, block=(start // 3 + index) % 2 == 0)
                                   for index, record in enumerate(group)))
    return out


SYNTHETIC = _synthetic_pieces()
FRAGMENTS = sorted(set(
    list("#:,[]{}?-&*!|>%@`'\"\\ \t~=<\n") + ["\r\n", "\r", "\n  ", "\n    ", "\n      ", "\n  - ", "\n- ",
                                               "\n    k: v", "\n      - x", "\n# c\n", " # c", ": ", ", ", "...",
                                               "---", "\n...\n", "\n---\n", "&a ", "*a", "!!str ", "!!float ",
                                               "? ", "- ", "{", "}", "{}", "[]", "''", '""', "\\x41", "\\q", "\\u",
                                               "\x00", "\x07", "\x85", "\u2028", "\ufeff", "\ufffe", "中", "é", "😀",
                                               "\ud800", "\\\n", "\n\n", "\t\n", " \n"]))
VALUE_AT = re.compile(r"(?<=: )[^,\n{}\[\]]+|(?<=- )[^\n{}\[\],:]+|(?<=\[)[^\n{}\[\],:]+")


@st.composite
def mutated(draw, base):
    """A piece (text, indent) with 1 to 4 random changes: a tricky scalar for a value, a character or
    fragment inserted, deleted or replaced, a line repeated, dropped or moved in or out."""
    text, indent = draw(base)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.integers(0, 7))
        if op <= 1:  # a value replaced by a tricky scalar or flow collection
            spots = list(VALUE_AT.finditer(text))
            if spots:
                spot = spots[draw(st.integers(0, len(spots) - 1))]
                text = text[:spot.start()] + draw(value() if op else scalar) + text[spot.end():]
                continue
        at = draw(st.integers(0, len(text)))
        if op == 2 or op == 3 and not text:
            text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[at:]
        elif op == 3:
            text = text[:at] + text[at + draw(st.integers(1, 5)):]
        elif op == 4:
            text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[at + 1:]
        else:
            lines = text.split("\n")
            line = draw(st.integers(0, len(lines) - 1))
            if op == 5:
                lines.insert(line, lines[line])
            elif op == 6:
                del lines[line]
            else:
                shift = draw(st.integers(-2, 2))
                lines[line] = lines[line][-shift:] if shift < 0 else " " * shift + lines[line]
            text = "\n".join(lines)
    return text, indent


@st.composite
def synthetic(draw):
    indent = draw(st.sampled_from([2, 2, 2, 0, 4]))
    return _reindent(draw(st.sampled_from(SYNTHETIC)), indent), indent


def _as_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate becomes bytes that are not UTF-8


def _record(got) -> None:
    event("accepted" if got is not None else "declined")


SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                      HealthCheck.filter_too_much])


# --- property tests ------------------------------------------------------------------------------------


@settings(max_examples=1000, **SETTINGS)
@given(pieces())
def test_generated_pieces(piece):
    _record(check(_as_bytes(piece[0]), piece[1]))


@settings(max_examples=500, **SETTINGS)
@given(pieces(items=flow_item))
def test_generated_flow_items(piece):
    _record(check(_as_bytes(piece[0]), piece[1]))


@settings(max_examples=600, **SETTINGS)
@given(pieces(items=block_item))
def test_generated_block_items(piece):
    _record(check(_as_bytes(piece[0]), piece[1]))


@settings(max_examples=1500, **SETTINGS)
@given(mutated(synthetic()))
def test_mutated_realistic_pieces(piece):
    _record(check(_as_bytes(piece[0]), piece[1]))


@settings(max_examples=600, **SETTINGS)
@given(mutated(pieces()))
def test_mutated_generated_pieces(piece):
    _record(check(_as_bytes(piece[0]), piece[1]))


@settings(max_examples=1000, **SETTINGS)
@given(synthetic(), st.integers(0, 3), st.data())
def test_realistic_pieces_with_tricky_values(piece, count, data):
    """Valid-looking synthetic pieces with a few values swapped for tricky scalars (no other change)."""
    text, indent = piece
    for _ in range(count + 1):
        spots = list(VALUE_AT.finditer(text))
        spot = spots[data.draw(st.integers(0, len(spots) - 1))]
        text = text[:spot.start()] + data.draw(st.one_of(scalar, value())) + text[spot.end():]
    _record(check(_as_bytes(text), indent))


python_scalars = st.one_of(
    st.sampled_from([text for text in PLAIN if "\ud800" not in text]), st.sampled_from(CLEAN), st.text(max_size=10),
    st.integers(), st.integers(-10 ** 6, 10 ** 6), st.floats(), st.floats(-1e6, 1e6), st.booleans(), st.none(),
    st.dates(), st.datetimes(),
)
python_values = st.recursive(python_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.one_of(st.sampled_from(KEYS[:16]), python_scalars), inner, max_size=4)),
    max_leaves=10)
python_records = st.lists(st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(KEYS[:16]), python_scalars), python_values, min_size=1, max_size=6),
    python_values), min_size=1, max_size=3)


@settings(max_examples=800, **SETTINGS)
@given(python_records, st.sampled_from([False, None]), st.booleans(), st.sampled_from([2, 4]), st.sampled_from([0, 2, 4]),
       st.sampled_from([80, 20, 10 ** 6]))
def test_what_safe_dump_writes(records, flow_style, unicode, step, indent, width):
    """Records as yaml.safe_dump writes them (block or mixed style, quoted where PyYAML needs it,
    long strings folded over lines), moved to indentation 0, 2 or 4."""
    try:
        dumped = yaml.safe_dump({"key": records}, default_flow_style=flow_style, allow_unicode=unicode, indent=step,
                                width=width, sort_keys=False)
    except Exception:  # noqa: BLE001 - what it cannot write is no piece
        return
    if not dumped.startswith("key:\n"):
        return
    lines = dumped[len("key:\n"):].split("\n")
    text = "\n".join(" " * indent + line if line else line for line in lines)
    _record(check(_as_bytes(text), indent))


@settings(max_examples=800, **SETTINGS)
@given(st.one_of(
    st.binary(max_size=200),
    st.lists(st.sampled_from([b"  - ", b"    ", b"- ", b"{", b"}", b"[", b"]", b": ", b",", b"\n", b"\r\n", b"#",
                              b"'", b'"', b"\\", b"a", b"5", b"2019-05-07", b"\x00", b"\xff", b"\xc3", b"\xe4\xb8",
                              b"\xed\xa0\x80", b"\xf0\x9f\x98", b"\xc0\x80", b"\t", b"&a", b"*a", b"!!", b"|", b">"]),
             max_size=40).map(b"".join),
    mutated(synthetic()).map(lambda piece: _as_bytes(piece[0])).flatmap(
        lambda data: st.integers(0, len(data)).map(lambda cut: data[:cut])),  # truncated, maybe mid-character
), st.integers(0, 8))
def test_any_bytes_never_crash_or_raise(data, indent):
    check(data, indent)


@settings(max_examples=500, **SETTINGS)
@given(mutated(synthetic()), st.binary(max_size=20), st.binary(max_size=20), st.integers(-3, 3), st.integers(-3, 3))
def test_slice_form_reads_the_slice(piece, before, after, start_shift, end_shift):
    """``parse_items(data, start, end, indent)`` (the form the fast load uses on a whole file) is
    right for ``data[start:end]``, and any start and end (out of range too) give None or that, never
    a crash or a read outside the buffer."""
    text, indent = piece
    body = _as_bytes(text)
    data = before + b"\n" + body + after
    start, end = len(before) + 1, len(before) + 1 + len(body)
    for first, last in [(start, end), (start + start_shift, end + end_shift), (0, len(data)), (end, start),
                        (-1, end), (start, len(data) + 1), (len(data), len(data))]:
        try:
            got = _speedups.parse_items(data, first, last, indent)
        except MemoryError:
            raise
        except Exception as error:  # noqa: BLE001
            pytest.fail(f"parse_items({data!r}, {first}, {last}, {indent}) raised {error!r}")
        if got is None:
            continue
        assert 0 <= first <= last <= len(data), f"parse_items({data!r}, {first}, {last}, {indent}) gives {got!r}"
        problem = difference(data[first:last], indent, got, computed=True)
        assert problem is None, f"(slice {first}:{last} of {data!r})\n" + problem


def test_deep_long_and_huge_inputs():
    """Deep nesting (flow and block), huge numbers (past Python's 4300-digit limit, where PyYAML
    raises), long lines and many items: None or right, no crash (no unbounded recursion)."""
    cases = [
        b"  - " + b"[" * 100000 + b"]" * 100000 + b"\n",
        b"  - " + b"{a: " * 100000 + b"1" + b"}" * 100000 + b"\n",
        b"  - " + b"[" * 30 + b"]" * 30 + b"\n",
        b"  - " + b"".join(b" " * (2 * i) + b"k:\n" for i in range(3000)).lstrip() + b" " * 6000 + b"v: 1\n",
        b"  - a:\n" + b"".join(b" " * (4 + 2 * i) + b"- b:\n" for i in range(3000)),
        b"  - v: " + b"1" * 4300 + b"\n", b"  - v: " + b"1" * 4301 + b"\n", b"  - {v: -" + b"9" * 5000 + b"}\n",
        b"  - v: " + b"1" * 5000 + b".5\n", b"  - v: 1" + b"0" * 400 + b".0\n", b"  - v: 0." + b"0" * 400 + b"1\n",
        b"  - v: " + b"a" * 100000 + b"\n", b'  - v: "' + b"\\u4e2d" * 10000 + b'"\n', b"  - a\n" * 20000,
    ]
    problems = [p for p in (difference(text, 2) for text in cases) if p]
    assert not problems, "\n".join(problem[:2000] for problem in problems)


# --- hand-picked examples --------------------------------------------------------------------------------


def _examples() -> list[tuple[str, int]]:
    cases = []
    for scalar_text in PLAIN + QUOTED:
        cases += [(f"  - {scalar_text}\n", 2), (f"  - {{id: x, v: {scalar_text}}}\n", 2),
                  (f"  - id: x\n    v: {scalar_text}\n", 2), (f"  - id: x\n    v: [{scalar_text}]\n", 2),
                  (f"  - id: x\n    v:\n      - {scalar_text}\n", 2), (f"- {{{scalar_text}: 1}}\n", 0),
                  (f"  - {scalar_text}: 1\n", 2), (f"    - v: {scalar_text} # c\n", 4),
                  (f"  - id: x\n    amount:\n      value: {scalar_text}\n      unit: u\n", 2),
                  (f"  - id: x\n    sources:\n    - {scalar_text}\n    - b\n", 2),
                  (f"  - id: x\n    facts:\n      - name: n\n        value: {scalar_text}\n", 2),
                  (f"- id: x\n  sources:\n  - source: {scalar_text}\n    locator: p\n", 0),
                  (f"  - id: x\n    v: {scalar_text}  \n    w: 1\n", 2)]
    for k in KEYS:
        cases += [(f"  - {{{k}: 1, b: 2}}\n", 2), (f"  - {k}: 1\n    b: 2\n", 2), (f"  - a: 1\n    {k}: 2\n", 2)]
    cases += [(text, 2) for text in [
        # duplicate keys, merge keys
        "  - {a: 1, a: 2}\n", "  - {a: 1, b: 2, a: 3}\n", "  - a: 1\n    a: 2\n", "  - a: 1\n    b: 2\n    a: 3\n",
        '  - {a: 1, "a": 2}\n', "  - {1: a, 01: b}\n", "  - {yes: a, true: b}\n", "  - {<<: {a: 1}, b: 2}\n",
        "  - {<<: [{a: 1}, {b: 2}], c: 3}\n", "  - {<<: 1}\n", "  - <<: {a: 1}\n    a: 2\n",
        # nested, empty, odd flow collections
        "  - {}\n", "  - []\n", "  - {a: {}}\n", "  - {a: []}\n", "  - {a: {b: {c: [1, [2, {d: e}]]}}}\n",
        "  - {a: 1,}\n", "  - {a: 1, }\n", "  - {a: 1,,}\n", "  - {,}\n", "  - {a: [1, 2,]}\n", "  - [,]\n",
        "  - {a:1}\n", "  - {a: 1,b: 2}\n", "  - {a: 1 ,b: 2}\n", "  - {a : 1}\n", "  - {a:  1}\n", "  - {a}\n",
        "  - {a, b}\n", "  - {a: }\n", "  - {a:}\n", "  - {? a}\n", "  - {a: b: c}\n", "  - {a: b:c}\n",
        "  - {a: -}\n", "  - {a: - b}\n", "  - {a: [b}\n", "  - {a: b]\n", "  - {a: b\n", "  - {a: b}}\n",
        "  - {a: b}x\n", "  - {a: b} x\n", "  - {a: b} # c\n", "  - {a: b}# c\n", "  - {a: b #c}\n",
        "  - {a: b#c}\n", "  - {a: 'b}\n", '  - {a: "b}\n', "  - {a: 'b'c}\n", '  - {a: "b"c}\n',
        "  - {a: [1, 2], b: {c: d}}\n", "  - {[a]: 1}\n", "  - {{a: 1}: 2}\n", "  - {a: {b: 1}, a: 2}\n",
        "  - {a: 1, b: [x, y, {z: 2019-05-07}]}\n", "  - {a:\n    1}\n", "  - {a: 1,\n    b: 2}\n",
        "  - [a,\n    b]\n", "  - {a: 'x\n    y'}\n", '  - {a: "x\n    y"}\n', "  - {a: b\n    c}\n",
        "  - {a: [b, c]: d}\n", "  - {a: &x 1, b: *x}\n", "  - {a: !!str 1}\n", "  - {a: !!int '1'}\n",
        "  - {a: !foo 1}\n", "  - {a: |\n    x}\n", "  - {? [a]: 1}\n", "  - {a: ~}\n", "  - {a: null}\n",
        # block mappings: indentation, continuation, nested sequences
        "  - a: 1\n    b: 2\n", "  - a: 1\n   b: 2\n", "  - a: 1\n     b: 2\n", "  - a: 1\n  b: 2\n",
        "  - a: 1\n b: 2\n", "  - a: 1\nb: 2\n", "  - a: x\n    y\n", "  - a: x\n      y\n", "  - a: x\n  y\n",
        "  - a: x\n    y: z\n", "  - a:\n    b: 1\n", "  - a:\n      b: 1\n", "  - a:\n    - 1\n",
        "  - a:\n      - 1\n", "  - a:\n     - 1\n", "  - a:\n        - 1\n", "  - a:\n  - 1\n",
        "  - a:\n    - 1\n    b: 2\n", "  - a:\n      - 1\n    b: 2\n", "  - a:\n      - 1\n      b: 2\n",
        "  - a:\n      - 1\n     - 2\n", "  - a:\n      - 1\n        - 2\n", "  - a:\n      -1\n",
        "  - a:\n      -\n", "  - a:\n      - \n", "  - a:\n      - - 1\n", "  - a:\n      - b: 1\n",
        "  - a:\n      - b: 1\n        c: 2\n", "  - a:\n      - {b: 1}\n      - [c]\n", "  - a:\n    b:\n",
        "  - a:\n", "  - a:\n  - b\n", "  - a: # c\n      - 1\n", "  - a:  \n      - 1\n", "  - a :\n      - 1\n",
        "  - sources:\n      - \"a\"\n      - {source: s, locator: \"p 2\"}\n",
        "  - id: x\n    sources:\n      - \"a\"\n      - {source: s, locator: \"p 2\"}\n    name: y\n",
        "  - id: x\n    sources:\n    - \"a\"\n    - {source: s, locator: \"p 2\"}\n    name: y\n",
        "  - id: x\n    sources:\n    - \"a\"\n    name: y\n", "  - id: x\n    sources:\n      - a\n  - id: y\n",
        "  - id: x\n    sources:\n      - a\n      # c\n      - b\n", "  - id: x\n    sources:\n\n      - a\n",
        "  - a: 1\n    a:\n      - 2\n", "  - a: 1\n    b: 2\n    c\n", "  - a: 1\n    - b\n", "  - a: 1\n    ? b\n",
        "  - a: 1\n    &x b: 2\n", "  - a: &x 1\n    b: *x\n", "  - &x a: 1\n", "  - a: !!str 1\n",
        "  - a: |\n      x\n", "  - a: >\n      x\n", "  - a: 'x\n      y'\n", '  - a: "x\n      y"\n',
        '  - a: "x\\\n      y"\n', "  - a: x #c\n    b: y\n", "  - a: x#c\n", "  - a: 'x' # c\n", '  - a: "x"#c\n',
        "  - - a\n", "  - - a\n    - b\n", "  - a\n  - b: 1\n", "  -  a: 1\n     b: 2\n", "  -   {a: 1}\n",
        "  -\ta: 1\n", "  - a:\t1\n", "  - a: 1\t\n", "  - a: 1 \n", "  - {a: 1}\t\n", "  - a:\t\n      - 1\n",
        "  -a: 1\n", "  -{a: 1}\n", "  -\n", "  - \n", "  -\n    a: 1\n", "  - \n    a: 1\n", "  - ? a\n    : 1\n",
        # comments, blank lines, line ends, the end of the text
        "  # c\n  - a\n", "# c\n  - a\n", "      # c\n  - a\n", "  - a\n  # c\n", "  - a\n# c\n  - b\n",
        "  - a: 1\n    # c\n    b: 2\n", "  - a: 1\n# c\n    b: 2\n", "  - a: 1\n        # c\n    b: 2\n",
        "  - a: 1\n\n    b: 2\n", "\n  - a\n", "\n\n  - a\n\n\n", "  - a\n \n  - b\n", "  - a\n\t\n  - b\n",
        "  - a\n  \t\n  - b\n", "  - a", "  - {a: 1}", "  - a: 1\n    b: 2", "  - a: 'x", "  - a: \"x", "  - {a: 1",
        "  - a\r\n  - b\r\n", "  - a: 1\r\n    b: 2\r\n", "  - {a: 1}\r\n", "  - a\r  - b\r", "  - a\x85  - b\n",
        "  - a\u2028  - b\n", "  - a\n  - b\r\n", "  - a: 1\r\n    b: x\r\n      y\r\n", "  - a: 'x\r\n    y'\r\n",
        "  - a\n...\n", "  - a\n---\n", "  - a\n...\n  - b\n", "  - a\n--- x\n", "  - a\n%YAML 1.1\n",
        "  - a\nother: 1\n", "  - a\nkey: 1\n", "  - a\nkey:\n  - b\n", "  - a\n- b\n", " - a\n", "   - a\n",
        "", "\n", "  # only a comment\n", "  -", "- ", "  - a\n\x00", "\ufeff  - a\n", "  - a\n\ufeff  - b\n",
        "  - a\n  - \ufeffb\n", "  - \ufeff\n",
    ]]
    cases += [(f"  - {{a: {x}, b: {y}}}\n", 2) for x, y in [("1", "1.0"), ("true", "1"), ("2019-05-07", "2019")]]
    return cases


EXAMPLES = _examples()


def test_tricky_examples():
    """Each hand-picked piece: None or exactly PyYAML's list (every difference is listed)."""
    problems = [p for p in (difference(_as_bytes(text), indent) for text, indent in EXAMPLES) if p]
    assert not problems, f"{len(problems)} of {len(EXAMPLES)} differ:\n" + "\n".join(problems[:40])


def test_tricky_examples_with_the_wrong_indentation():
    problems = [p for text, indent in EXAMPLES for told in {0, 1, 3, 4} - {indent}
                for p in [difference(_as_bytes(text), told)] if p]
    assert not problems, f"{len(problems)} differ:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("indent", [-1, -2, -(2 ** 31), 2 ** 31, 2 ** 62])
def test_odd_indentations(indent):
    """An indentation out of any file's range: None (or PyYAML's list), a ValueError at most; no crash."""
    for text in ["  - a\n", "- a\n", "", "\n" * 3, "  - {a: 1}\n"]:
        try:
            got = _speedups.parse_items(text.encode(), indent)
        except (ValueError, OverflowError):
            continue
        problem = difference(text.encode(), indent, got, computed=True)
        assert problem is None, problem


# In the plain subset the function handles: declining them all would not be useful.
SUBSET = [
    ("  - {id: x, name: \"X\"}\n", 2),
    ("  - {type: owns, from: a, to: b}\n", 2),
    ("  - id: x\n    name: \"X\"\n  - {type: owns, from: a, to: b}\n", 2),
    ("  - {id: a_1, n: 5, f: 5.4, d: 2019-05-07, t: true, u: false, s: 'it''s', q: \"say \\\"hi\\\"\"}\n", 2),
    ("  - id: x\n    n: 17\n    f: 25.0\n    d: 2020-02-29\n    y: 2019\n    m: 2019-05\n    ok: true\n", 2),
    ("  - id: x\n    names: {zh: \"中文\"}\n    aliases: [\"A\", \"B\"]\n    sources: [{source: s, locator: \"p 2\"}]\n", 2),
    ("  - id: x\n    sources:\n      - \"a\"\n      - {source: s, locator: \"p 2\"}\n", 2),
    ("  # comment\n  - {id: x}  # comment\n\n  - id: y # comment\n    # comment\n    name: z\n", 2),
    ("- {id: x}\n- id: y\n  v: 1\n", 0),
    ("    - {id: x}\n    - id: y\n      v: 1\n      sources:\n        - s\n", 4),
]


@pytest.mark.parametrize("text, indent", SUBSET)
def test_plain_subset_is_accepted(text, indent):
    got = check(text, indent)
    assert got is not None, f"parse_items({text.encode()!r}, {indent}) declines a piece in the plain subset"
    assert len(got) == item_lines(text, indent)


@functools.lru_cache(maxsize=None)
def _records(seed: int) -> dict:
    return make_records(40, seed)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("section", ["sources", "entities", "relations"])
@pytest.mark.parametrize("block_every", [1, 5, 10 ** 9])
def test_synthetic_pieces_are_accepted(seed, section, block_every):
    """Realistic pieces as the synthetic datasets write them (all block records, one in five, none):
    accepted, equal, one item per item line, at indentation 2 (as written), 0 and 4."""
    records = _records(seed)[section]
    document = _yaml_document(section, records, block_every)
    body = document.split(f"\n{section}:\n", 1)[1]
    for indent in (2, 0, 4):
        text = _reindent(body, indent)
        got = check(text, indent)
        assert got is not None, f"parse_items declines the synthetic {section} (seed {seed}, indent {indent}):\n{text[:400]}"
        assert len(got) == item_lines(text, indent) == len(records)


@pytest.mark.parametrize("seed", [0, 1])
def test_synthetic_records_one_by_one_are_accepted(seed):
    """Each synthetic record on its own, as a block and as a flow mapping: accepted, equal, one item."""
    for section, records in _records(seed).items():
        for record in records:
            for block in (True, False):
                text = _yaml_record(record, block)
                got = check(text, 2)
                assert got is not None, f"parse_items declines {text.encode()!r}"
                assert len(got) == 1
