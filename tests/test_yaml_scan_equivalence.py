"""`_yaml.safe_for_fast` gives what its first, slower version gave, on every text tried.

The first version is kept here, frozen, as the reference: a scan that sends a text to PyYAML only
costs speed, so the rewritten scan must never pass a text the reference refuses (that would let
yaml-rs read a text YAML 1.1 reads differently) and should pass every text it passes. Both are run
on the bundled data, a synthetic dataset, every fixture, hypothesis-built texts and 100,000
seeded random snippets of risky tokens, separators and blanks; they agree on all of them.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem._yaml import safe_for_fast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import write_dataset  # noqa: E402

# --- the reference: safe_for_fast as first written (one regex pass per kind of construct) ------

_REF_WORDS_1_1 = ("yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "=", "<<")
_REF_RISKY_SCANS = (
    re.compile(
        "(?:" + "|".join(f"{re.escape(word)}(?<=[\\s\\[{{,]{re.escape(word)})" for word in _REF_WORDS_1_1) + ")"
        + r"(?=[\r\n,\]}]|:[ \t\r\n]|:\Z|\Z)"
    ),
    re.compile(r"0[0-7_o](?:(?<=[\s\[{,:]0.)|(?<=[\s\[{,:][-+]0.))"),
    re.compile(r":(?<=[0-9]:)[0-9]"),
    re.compile(r"-(?<=[\"'][0-9]{4}-)"),
    re.compile(r"[!&*@`%](?:(?<=[\s\[{,:][!&*@`%])|(?<=^[!&*@`%]))"),
    re.compile(r"\?(?<=[\s\[{,:]\?)(?=[\s]|\Z)"),
)
_REF_TRAILING_BLANKS = re.compile(r"[\r\n,\]}#](?<=[ \t][\r\n,\]}#])")
_REF_RISKY_WORDS_SLOW = re.compile(
    r"(?:^|[\s\[{,])(?:" + "|".join(re.escape(word) for word in _REF_WORDS_1_1) + r")"
    r"(?=[ \t]*(?:[\r\n,\]}#]|:[ \t\r\n]|:?\Z))",
    re.MULTILINE,
)
_REF_LEADING_ZERO_SCAN = _REF_RISKY_SCANS[1]
_REF_INDICATOR_SCAN = _REF_RISKY_SCANS[4]
_REF_NUMBER_TAIL = re.compile(r"[0-9a-zA-Z_.:+-]*[ \t]*(?:[,\]}#\r\n]|:[ \t\r\n]|:?\Z)")
_REF_SCALAR_STARTERS = frozenset(":-?,[{")


def _reference_harmless(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    stripped = before.lstrip(" \t")
    if stripped.startswith("#") or " #" in before or "\t#" in before:
        line_end = text.find("\n", start)
        line = text[line_start:] if line_end < 0 else text[line_start:line_end]
        if '"' not in line and "'" not in line:
            return True
    stripped = stripped.rstrip(" \t")
    return stripped != "" and stripped[-1] not in _REF_SCALAR_STARTERS


def _reference_safe_for_fast(text: str) -> bool:
    text = "\n" + text
    for scan in _REF_RISKY_SCANS:
        for match in scan.finditer(text):
            start = match.start()
            if scan is _REF_LEADING_ZERO_SCAN:
                if text[start - 1] in "+-":
                    start -= 1
                if _REF_NUMBER_TAIL.match(text, match.end()) is None:
                    continue
            elif scan is not _REF_INDICATOR_SCAN and scan is not _REF_RISKY_SCANS[0] and scan is not _REF_RISKY_SCANS[5]:
                return False
            if not _reference_harmless(text, start):
                return False
    if _REF_TRAILING_BLANKS.search(text) is not None or text[-1:] in (" ", "\t"):
        for match in _REF_RISKY_WORDS_SLOW.finditer(text):
            start = match.start() if text[match.start()] not in " \t\r\n[{," else match.start() + 1
            if not _reference_harmless(text, start):
                return False
    return True


def _assert_agree(text: str) -> None:
    reference, new = _reference_safe_for_fast(text), safe_for_fast(text)
    assert reference or not new, f"passes a text the reference refuses: {text!r}"
    assert new == reference, f"refuses a text the reference passes: {text!r}"


# --- files ---------------------------------------------------------------------------------------


def _texts(paths) -> list[tuple[str, str]]:
    return [(path.name, path.read_bytes().decode("utf-8", errors="replace")) for path in sorted(paths)]


@pytest.mark.parametrize("name, text", _texts((ROOT / "data").glob("*.yaml")))
def test_bundled_data(name, text):
    _assert_agree(text)


@pytest.mark.parametrize("name, text", _texts(p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.is_file()))
def test_fixtures(name, text):
    _assert_agree(text)


def test_synthetic_dataset(tmp_path):
    directory = write_dataset(tmp_path, 2_000)
    texts = _texts(directory.glob("*.yaml"))
    for _, text in texts:
        _assert_agree(text)
    assert all(safe_for_fast(text) for _, text in texts)  # the benchmark data takes the fast path


def test_every_start_and_end_of_a_file():
    """Cut points put each construct at the very start or end of a text, where the scans look around."""
    text = (ROOT / "data" / "vocabulary.yaml").read_text(encoding="utf-8")[:3_000]
    for cut in range(len(text)):
        _assert_agree(text[cut:])
        _assert_agree(text[:cut])


# --- generated texts -----------------------------------------------------------------------------

_RISKY = [
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "=", "<<", "<", "==",
    "017", "0o17", "-017", "+07", "0_1", "00", "0", "08", "1:20", "12:30:45", "0:0",
    '"2014-09-19"', "'2014-09'", '"1999-"', "2014-09-19",
    "!tag", "!!str", "!", "&a", "&", "*a", "*", "@", "`", "%", "%YAML", "?", "? ",
]
_STRUCTURE = [
    "#", " #", "# c", "\t#", '"', "'", "[", "]", "{", "}", ",", ", ", ":", ": ", "-", "- ", "+",
    "\t", " ", "  ", "\n", "\n", "\r\n", "\r", "\u3000", "\u00a0", "\x0b", "\x0c", "\x85", "\u2028",
]
_PLAIN = ["word", "a", "key", "online", "yesterday", "note", "Zhejiang", "250,000", "1", "2014", "x1", "§", "阿里"]
_TOKENS = _RISKY + _STRUCTURE + _PLAIN

SETTINGS = settings(max_examples=1_500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(st.sampled_from(_TOKENS), max_size=24).map("".join))
def test_hypothesis_texts_of_risky_tokens(text):
    _assert_agree(text)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(_STRUCTURE), st.sampled_from(_RISKY + _PLAIN)), max_size=12))
def test_hypothesis_tokens_after_separators(pairs):
    _assert_agree("".join(separator + token for separator, token in pairs))


def _snippet(rng: random.Random) -> str:
    """A few lines of mostly plain tokens with a risky one here and there, in random places."""
    parts = []
    for _ in range(rng.randint(1, 10)):
        roll = rng.random()
        if roll < 0.15:
            parts.append(rng.choice(_RISKY))
        elif roll < 0.6:
            parts.append(rng.choice(_STRUCTURE))
        else:
            parts.append(rng.choice(_PLAIN))
    return "".join(parts)


def test_random_snippets():
    rng = random.Random(20240919)
    passed = 0
    for _ in range(100_000):
        text = _snippet(rng)
        _assert_agree(text)
        passed += _reference_safe_for_fast(text)
    assert 20_000 < passed < 90_000  # both outcomes are well represented


def test_random_edits_of_bundled_data():
    """Pieces of the real files, cut anywhere, with risky tokens put in anywhere."""
    sources = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "data").glob("*.yaml"))]
    rng = random.Random(7)
    for _ in range(20_000):
        source = rng.choice(sources)
        start = rng.randrange(len(source))
        text = source[start:start + rng.randint(0, 400)]
        for _ in range(rng.randint(0, 3)):
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(_TOKENS) + text[at:]
        _assert_agree(text)
