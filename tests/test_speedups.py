"""The C speedups (``ecosystem._speedups``) give exactly what the loader's pure-Python fast checks give.

``_speedups.entity``, ``.relation`` and ``.source`` stand in for ``loader._fast_entity``,
``_fast_relation`` and ``_fast_source``: for every input both give None, or dicts that are equal
with the same key order and the same Python types at every level (``5 == 5.0`` and
``True == 1``, so plain ``==`` is not enough; ``-0.0`` and ``0.0`` differ too). The C functions never
raise, never change their input and never hand back a list or dict of the input.

* generated records, mostly valid or nearly so, for each kind of record and for the parts that
  are easiest to get subtly wrong (citations, shares, amounts, facts, names, dates, numbers);
* hand-picked cases (each tricky input in every field it can go in), so they always run;
* the bundled dataset and a synthetic one: both give the same, and the C result is never None;
* no change to the input, no reference or memory leaked over many calls.

Without the extension these tests are skipped on a developer's machine but fail in CI (CI=true).
"""

from __future__ import annotations

import copy
import datetime as dt
import gc
import math
import sys
import tracemalloc
from collections import OrderedDict
from pathlib import Path

import pytest
import yaml
from conftest import IN_CI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem import loader

ROOT = Path(__file__).resolve().parent.parent
_speedups = getattr(loader, "_speedups", None)
NOT_BUILT = ("the C extension ecosystem._speedups was not built (or not found by the loader: "
             "loader._speedups is None); build it with `pip install -e .`")
if _speedups is None and not IN_CI:
    pytest.skip(NOT_BUILT, allow_module_level=True)

PYTHON = {"entities": loader._fast_entity, "relations": loader._fast_relation, "sources": loader._fast_source}
C_NAMES = {"entities": "entity", "relations": "relation", "sources": "source"}
SECTIONS = sorted(PYTHON)


def test_the_c_extension_is_built():
    assert _speedups is not None, NOT_BUILT
    for name in C_NAMES.values():
        assert callable(getattr(_speedups, name, None)), f"ecosystem._speedups has no function {name}()"


def _c(section):
    assert _speedups is not None, NOT_BUILT
    return getattr(_speedups, C_NAMES[section])


# --- comparing results ----------------------------------------------------------------------------


def same(a, b) -> bool:
    """Equal, with the same types and the same dict key order at every level (-0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return (len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
                and all(same(x, y) for x, y in zip(a.values(), b.values())))
    if type(a) is list or type(a) is tuple:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is float:
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if type(a) in (str, int, bool, bytes, type(None), dt.date, dt.datetime):
        return a == b
    if isinstance(a, (str, int, float, bytes)):  # the subclasses below: compare the plain value
        return same(type(a).__mro__[-2](a), type(b).__mro__[-2](b))
    if isinstance(a, dict):
        return same(dict(a), dict(b))
    if isinstance(a, list):
        return same(list(a), list(b))
    return a is b or type(a) is Evil or a == b


def _compare(section, item):
    """None when C and Python agree on the item, else a description of the difference."""
    expected = PYTHON[section](item)
    try:
        got = _c(section)(item)
    except Exception as error:  # noqa: BLE001 - the C functions must never raise
        return f"{C_NAMES[section]}({item!r}) raised {error!r}; Python gives {expected!r}"
    if not same(got, expected):
        return f"{C_NAMES[section]}({item!r}):\n    C:      {got!r}\n    Python: {expected!r}"
    return None


def _assert_same(section, item):
    difference = _compare(section, item)
    assert difference is None, difference


def _assert_all_same(cases):
    """Every (section, item) agrees; the failure lists every difference, not only the first."""
    differences = [d for d in (_compare(section, item) for section, item in cases) if d is not None]
    assert not differences, f"{len(differences)} of {len(cases)} differ:\n" + "\n".join(differences[:40])


# --- odd values -------------------------------------------------------------------------------------


class S(str):
    pass


class I(int):  # noqa: E742
    pass


class F(float):
    pass


class D(dict):
    pass


class L(list):
    pass


class Day(dt.date):
    pass


class Evil:
    """Hashable, but comparing, converting, iterating or testing it raises (Python never does)."""

    def _fail(self, *args):
        raise RuntimeError("Evil touched")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _fail
    __float__ = __int__ = __index__ = __bool__ = __len__ = __iter__ = __str__ = __format__ = _fail
    __hash__ = object.__hash__

    def __repr__(self):
        return "Evil()"

    def __deepcopy__(self, memo):
        return self


EVIL = Evil()
WHITESPACE = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0", "\u1680",
              "\u2000", "\u2003", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
NOT_WHITESPACE = ["\u200b", "\ufeff", "\u180e", "\x00", "_"]  # str.strip keeps these
VALID_IDS = ["alpha", "beta", "src_1", "a", "0", "9_", "a_b_c", "x" * 200]
BAD_IDS = ["", "Alpha", "ALPHA", "al-pha", "_a", "a b", "a\n", "alpha\n", " alpha", "é", "\uff41", "\u0661",
           "a" * 201, "x" * 199 + "é", S("alpha"), 5, 0, True, None, 1.0, b"alpha", ["alpha"], ("alpha",), EVIL]
LANGUAGES = ["zh", "en", "yue", "zh-Hans", "zh-Hant", "zh-Hans-CN", "zh-1", "en-GB", "zh\n", "zh-Hans\n"]
BAD_LANGUAGES = ["ZH", "Zh", "z", "zhxx", "zh-", "zh--Hans", "zh_Hans", "zh\n\n", "zh\r", "zh ", " zh", "",
                 "zh-Hans-", "zh-\u0125", "\u017e\u017e", "zh-Hans\r\n", S("zh"), 1, True, None, 1.5, EVIL]
BIG_INTS = [2 ** 53, 2 ** 53 + 1, -2 ** 53, -2 ** 53 - 1, 2 ** 62, 2 ** 63 - 1, 2 ** 63, 2 ** 64 - 1, 2 ** 64,
            -2 ** 63, -2 ** 63 - 1, -2 ** 64, 10 ** 30, -10 ** 30, 10 ** 400]
NUMBERS = [0, 1, -1, 5, 100, 0.0, -0.0, 5.0, 1.5, -2.5, 1e308, 5e-324, -5e-324, float("nan"), float("-nan"),
           float("inf"), float("-inf"), True, False, I(5), F(5.0), "5", "5.0", None, [5], EVIL] + BIG_INTS
DATES = ["2019", "2019-02", "2019-02-28", "2019-02-29", "2019-02-30", "2019-13", "2019-00", "2019-1", "2019-01-1",
         "0999", "0000", "999", "10000", " 2019", "2019 ", "2019\n", "2019-02-28\n", "\uff12\uff10\uff11\uff19",
         "2019/02", "", "2019-12-31", "2019-12-28", S("2019"), 999, 1000, 2019, 9999, 10000, 0, -2019, True,
         2019.0, I(2019), 2 ** 64, -2 ** 64, dt.date(2019, 2, 28), dt.date(1, 1, 1), dt.date(999, 12, 31),
         dt.date(9999, 12, 31), Day(2019, 2, 28), dt.datetime(2019, 2, 28, 10, 30), None, ["2019"], EVIL]
SHARE_TEXTS = ["5", "~5%", "about 5", " 5 % ", "~ 5 %", "approx 5", "approx. 5", "approx.5", "c. 5", "c.5",
               "about5", "About 5", "ca. 5", "~~5", "~", "%", "", " ", "5%%", "5 % %", "% 5", "1_0", "1__0", "_1",
               "1_", "1e1", "1E1", "nan", "NaN", "-nan", "inf", "-inf", "infinity", "101", "100", "100.0",
               "100.00000000000001", "100.0000000001", "0", "-0", "-0.0", "+5", ".5", "5.", "0x10", "five",
               "\uff15", "\u0665", "\u0665\u0660", "1e-400", "1e400", "5 5", "\u22125", "-1", "5\u2003%",
               "\u3000~\u30005\u3000%\u3000", "\x1c5\x1f", "\x855\xa0", "5\x00", "\u200b5", "about\u20035",
               "~\n5", S("5"), "c. ~5", "approx.. 5", "~ 5.5 %", "12.5%", "99.99999999999999999"]
CITATION_TEXTS = ["src_1", "src_1 p. 5", "src_1  p. 5", "src_1   p.  5  ", " src_1 p. 5", "src_1 p. 5 ", "src_1\tp. 5",
                  "src_1\np. 5", "src_1 \tp. 5", "src_1\t", "src_1 \t", "src_1 \u3000", "src_1\u3000p", "src_1 ",
                  "src_1  ", "", " ", "\t", "src_1 \u00a7 3", "src_1 \u7b2c3\u9875", "src_1 p.\t5", "src_1 p.\n5",
                  "Src_1 p. 5", "src-1 p. 5", "src_1\u00a0p", "\u00a0src_1\u00a0", "\u3000src_1 p\u3000",
                  "\x1csrc_1 p\x1f", "\x85src_1\x85", "\x0bsrc_1\x0c", "\u200bsrc_1", "src_1\u200b", S("src_1"),
                  "src_1 " + "\u2003" * 3, "src_1 \u2003x\u2003", "a" * 200 + " p", "a" * 201 + " p"]
CITATION_DICTS = [{"source": "src_1"}, {"source": "src_1", "locator": "p. 5"}, {"source": "src_1", "locator": ""},
                  {"source": "src_1", "locator": " "}, {"source": "src_1", "locator": " p. 5 "},
                  {"source": "src_1", "locator": None}, {"source": "src_1", "locator": 5},
                  {"source": "src_1", "locator": S("p")}, {"source": "src_1", "locator": "\u7b2c3\u9875"},
                  {"locator": "p. 5", "source": "src_1"}, {"locator": "p. 5"}, {}, {"source": None},
                  {"source": "src_1 p. 5"}, {"source": " src_1"}, {"source": "Src"}, {"source": S("src_1")},
                  {"source": 5}, {"source": "src_1", "page": 5}, {"source": "src_1", 1: 5},
                  {S("source"): "src_1"}, {S("source"): "src_1", S("locator"): "p"}, D(source="src_1"),
                  OrderedDict(source="src_1"), {"source": "src_1", "locator": EVIL}, {EVIL: 1, "source": "src_1"}]
ODD = [None, "", "x", 0, 1, -1, 1.5, True, False, [], {}, ["x"], ("x",), {"x": 1}, S("x"), I(1), F(1.0), D(),
       L(), b"x", EVIL, float("nan"), 2 ** 64]
UNKNOWN_KEYS = ["extra", "from_", "ID", "Id", "sources ", " id", "", "_id", 1, 0, -1, True, False, None, 1.5, 2 ** 70,
                b"id", ("id",), EVIL, dt.date(2019, 1, 1)]


ENTITY = {"id": "alpha", "name": "Alpha", "type": "company", "sources": ["src_1 p. 1"]}
RELATION = {"type": "owns", "from": "alpha", "to": "beta", "sources": [{"source": "src_1", "locator": "p. 2"}]}
SOURCE = {"id": "src_1", "kind": "book", "title": "A book"}
FACT = {"name": "users", "value": 5, "unit": "people", "sources": ["src_1"]}
BASES = {"entities": ENTITY, "relations": RELATION, "sources": SOURCE}
FULL_ENTITY = {
    "id": "ant_group", "name": "Ant Group", "type": "company", "names": {"zh": "\u8682\u8681\u96c6\u56e2", "en": "Ant"},
    "aliases": ["Ant Financial", "\u8682\u8681\u91d1\u670d"], "jurisdiction": "prc", "start": "2014-10",
    "end": dt.date(2020, 11, 3), "description": "A company.",
    "facts": [{"name": "users", "value": 1_000_000_000, "unit": "people", "currency": "CNY", "date": 2020,
               "approximate": True, "note": "n", "sources": ["src_1 p. 3", {"source": "src_2"}]},
              {"name": "staff", "value": 1.5, "unit": "people", "approximate": False, "sources": ["src_1"]}],
    "distinct_from": ["ant_fin"], "inferred": True, "sources": ["src_1  \u00a7 3 ", {"source": "src_2", "locator": ""}],
}
FULL_RELATION = {
    "id": "r1", "type": "owns", "from": "alpha", "to": "beta", "equity": "~33%", "votes": {"min": 10, "max": 50.5},
    "amount": {"value": 3, "unit": "billion", "currency": "CNY", "approximate": True}, "start": "2019-02-28",
    "end": 2020, "as_of": dt.date(2021, 1, 1), "instruments": ["voting_proxy", "equity_pledge"], "role": "chairman",
    "law": "company_law", "inferred": False, "note": "A note.", "sources": ["src_1", "src_2 p. 7"],
}
FULL_SOURCE = {"id": "src_1", "kind": "case_study", "title": "T", "author": "A", "container": "C", "publisher": "P",
               "date": "2019-02", "url": "https://example.org", "pages": "1-2", "note": "N"}
FULL = {"entities": FULL_ENTITY, "relations": FULL_RELATION, "sources": FULL_SOURCE}


def _weighted(good, bad, odds=5):
    """Mostly ``good``: ``bad`` about once in ``odds`` draws (and shrinks towards good)."""
    return st.integers(0, odds - 1).flatmap(lambda n: bad if n == odds - 1 else good)


def _strategies(clean: bool) -> dict:
    """Strategies for every field of every kind of record: valid values only (``clean``), or
    near-valid ones (valid most of the time at each level, else something a little or very wrong)."""

    def pick(good, bad, odds=5):
        return good if clean else _weighted(good, bad, odds)

    def rarely(odds):  # a draw that is True about once in ``odds``, never when clean
        return st.just(False) if clean else st.integers(0, odds - 1).map(lambda n: n == odds - 1)

    blank = st.lists(st.sampled_from(WHITESPACE), max_size=3).map("".join)
    blank = st.one_of(st.just(""), st.just(" "), blank) if clean else st.one_of(
        st.just(""), st.just(" "), blank,
        st.lists(st.sampled_from(WHITESPACE + NOT_WHITESPACE), max_size=3).map("".join))
    text = st.one_of(st.sampled_from(["x", "Alpha", "\u963f\u91cc", "p. 5", " ", "a b", "\u00e9", ""]),
                     st.text(max_size=8))
    filled = text.filter(bool)
    good_id = st.one_of(st.sampled_from(VALID_IDS), st.from_regex(r"[a-z0-9][a-z0-9_]{0,12}", fullmatch=True))
    an_id = pick(good_id, st.one_of(st.sampled_from(BAD_IDS), st.from_regex(r"[a-zA-Z0-9_\- ]{0,6}", fullmatch=True)))
    date = pick(st.one_of(st.from_regex(r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|1[0-9]|2[0-8]))?)?", fullmatch=True),
                          st.integers(1000, 9999), st.dates()),
                st.one_of(st.sampled_from(DATES), st.integers(-20000, 20000), st.datetimes(),
                          st.from_regex(r"[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?", fullmatch=True)))
    number = pick(st.one_of(st.integers(-10 ** 6, 10 ** 6), st.floats(allow_nan=False, allow_infinity=False),
                            st.sampled_from([0, -0.0, 0.0, 2 ** 53, -2 ** 53, 1.5, 1e300])),
                  st.one_of(st.sampled_from(NUMBERS), st.integers(), st.floats()))
    flag = pick(st.booleans(), st.sampled_from([1, 0, None, "yes", "true", 1.0, 0.0, I(1), I(0), EVIL]))
    optional_text = pick(text, st.sampled_from([1, S("x"), b"x", ["x"], 1.5, True, EVIL]))
    strings = pick(st.lists(text, max_size=3),
                   st.one_of(st.lists(st.one_of(text, st.sampled_from([1, None, S("x"), b"x", True, EVIL])),
                                      min_size=1, max_size=3),
                             st.sampled_from([None, "x", ("x",), L(["x"]), {}, {"x": 1}, 1, EVIL])))

    @st.composite
    def citation_text(draw):
        source = draw(an_id)
        if not isinstance(source, str):
            return source
        citation = draw(blank) + source
        if draw(st.booleans()):
            separators = [" ", " ", "  ", "   ", " \t", " \u3000 ", " \n"]
            if not clean:
                separators += ["\t", "\u3000", "\xa0", "\n"]
            citation += draw(st.sampled_from(separators)) + draw(st.one_of(
                st.sampled_from(["p. 5", "\u00a75", "\u7b2c3\u9875", "p.\t5", "p  5", "", " "]), st.text(max_size=6)))
        citation += draw(blank)
        return S(citation) if draw(rarely(20)) else citation

    @st.composite
    def citation_dict(draw):
        out = {"source": draw(an_id)}
        if draw(st.booleans()):
            out["locator"] = draw(pick(text, st.sampled_from(ODD)))
        if draw(rarely(10)):
            out[draw(st.sampled_from(["page", "Source", 1, None, S("source"), EVIL]))] = draw(text)
        if draw(rarely(10)):
            out.pop("source")
        if draw(st.booleans()):
            out = dict(reversed(list(out.items())))
        return out

    citation = st.one_of(citation_text(), citation_text(), citation_dict())
    if not clean:
        citation = st.one_of(citation, st.sampled_from(CITATION_TEXTS), st.sampled_from(CITATION_DICTS),
                             st.sampled_from(ODD))
    citations = pick(st.lists(citation, min_size=1, max_size=3),
                     st.sampled_from([[], None, "src_1", ("src_1",), L(["src_1"]), {"source": "src_1"}, 1, EVIL]), 12)

    share_number = pick(st.one_of(st.integers(0, 100), st.floats(0, 100), st.just(-0.0)),
                        st.sampled_from([-1, 101, 100.0000001, -1e-300, float("nan"), float("inf"), True, False,
                                         2 ** 64, -2 ** 64, I(5), F(5.0), "5", None, EVIL]))

    @st.composite
    def share_text(draw):
        prefixes = ["", "", "", "~", "about", "approx", "approx.", "c."]
        numbers = st.one_of(st.integers(0, 100).map(str), st.floats(0, 100).map(repr),
                            st.sampled_from(["1_0", "1e1", ".5", "5.", "+5", "-0", "100.0", "\uff15", "\u0665"]))
        percents = ["", "", "%", "%%", " %", "% "]
        if not clean:
            prefixes += ["About", "ca.", "~~", "c", "approx..", "c. ~"]
            numbers = st.one_of(numbers, st.integers(90, 120).map(str), st.sampled_from(SHARE_TEXTS),
                                st.from_regex(r"[0-9_.e+\-]{1,5}", fullmatch=True))
            percents += ["% %", "%5"]
        return (draw(blank) + draw(st.sampled_from(prefixes)) + draw(blank) + draw(numbers) + draw(blank)
                + draw(st.sampled_from(percents)) + draw(blank))

    @st.composite
    def share_dict(draw):
        if clean:
            if draw(st.booleans()):
                out = {"value": draw(share_number)}
            else:
                low, high = sorted([draw(share_number), draw(share_number)])
                keys = draw(st.sampled_from([("min",), ("max",), ("min", "max"), ("max", "min")]))
                out = {key: (low if key == "min" else high) for key in keys}
            if draw(st.booleans()):
                out["approximate"] = draw(flag)
            return out
        keys = draw(st.lists(st.sampled_from(["value", "min", "max", "approximate"]), min_size=1, max_size=3,
                             unique=True))
        out = {key: draw(flag) if key == "approximate" else draw(_weighted(share_number, st.none(), 6)) for key in keys}
        if draw(rarely(10)):
            out[draw(st.sampled_from(["extra", "Value", 1, S("value")]))] = 5
        return out

    share = st.one_of(share_number, share_text(), share_dict())
    if not clean:
        share = st.one_of(share, st.sampled_from(SHARE_TEXTS), st.sampled_from(ODD))
    unit = pick(st.sampled_from(["thousand", "million", "billion", "trillion"]),
                st.sampled_from(["Million", "millions", "", " million", "million ", "hundred", S("million"), 1, EVIL]))
    currency = pick(st.one_of(st.sampled_from(["USD", "CNY", "HKD"]), st.from_regex(r"[A-Z]{3}", fullmatch=True)),
                    st.sampled_from(["usd", "Usd", "USDD", "US", "", "U\u00c9R", "\u00c9UR", "US1", "USD\n", " USD",
                                     "\uff35SD", S("USD"), 1, EVIL]))

    @st.composite
    def amount(draw):
        out = {"value": draw(number)}
        for key, strategy in (("unit", unit), ("currency", currency), ("approximate", flag)):
            if draw(st.booleans()):
                out[key] = draw(strategy)
        if draw(rarely(10)):
            out.pop("value")
        if draw(rarely(10)):
            out[draw(st.sampled_from(["extra", "units", 1, S("value")]))] = 1
        if draw(st.booleans()):
            out = dict(reversed(list(out.items())))
        return out

    @st.composite
    def fact(draw):
        out = {"name": draw(pick(filled, st.sampled_from(["", None, 1, S("x"), EVIL]))), "value": draw(number),
               "unit": draw(pick(st.one_of(st.sampled_from(["people", "users", "\u4eba"]), filled),
                                 st.sampled_from(["", None, 1, S("x"), EVIL])))}
        for key, strategy in (("currency", currency), ("date", date), ("approximate", flag), ("note", optional_text)):
            if draw(st.integers(0, 2)) == 0:
                out[key] = draw(strategy)
        out["sources"] = draw(citations)
        if draw(rarely(15)):
            out.pop(draw(st.sampled_from(sorted(out))))
        if draw(rarely(15)):
            out[draw(st.sampled_from(["extra", "Name", 1, None]))] = 1
        if draw(st.booleans()):
            out = dict(reversed(list(out.items())))
        return out

    facts = pick(st.lists(fact(), max_size=2),
                 st.sampled_from([None, {}, "x", (), L(), {"name": "users"}, [None], [1], EVIL]), 8)
    names = pick(st.dictionaries(st.sampled_from(LANGUAGES), text, max_size=3),
                 st.one_of(st.dictionaries(st.sampled_from(LANGUAGES + BAD_LANGUAGES),
                                           st.one_of(text, st.sampled_from([1, None, S("x"), ["x"], EVIL])),
                                           min_size=1, max_size=3),
                           st.sampled_from([None, [], ["zh"], "zh", D(zh="x"), OrderedDict(zh="x"), 1, EVIL])))
    distinct = pick(st.lists(an_id, max_size=3), st.sampled_from([None, "alpha", ("alpha",), L(["alpha"]), {}, EVIL]))
    kind = pick(st.sampled_from(sorted(loader._SOURCE_KINDS)),
                st.sampled_from(["Book", "books", "", " book", "book ", "case study", "case-study", "other", S("book"),
                                 None, 1, ["book"], EVIL]))
    return {
        "entities": {
            "id": an_id, "name": pick(filled, st.sampled_from(["", None, S("A"), 1, ["A"], EVIL])),
            "type": pick(text, st.sampled_from([None, 1, S("company"), ["company"], EVIL])), "names": names,
            "aliases": strings, "jurisdiction": an_id, "start": date, "end": date, "description": optional_text,
            "facts": facts, "distinct_from": distinct, "inferred": flag, "sources": citations,
        },
        "relations": {
            "id": an_id, "type": pick(text, st.sampled_from([None, 1, S("owns"), EVIL])), "from": an_id, "to": an_id,
            "equity": share, "votes": share, "amount": pick(amount(), st.sampled_from(ODD)), "start": date,
            "end": date, "as_of": date, "instruments": strings, "role": optional_text, "law": an_id,
            "inferred": flag, "note": optional_text, "sources": citations,
        },
        "sources": {
            "id": an_id, "kind": kind, "title": pick(filled, st.sampled_from(["", None, S("T"), 1, EVIL])),
            **{key: (date if key == "date" else optional_text)
               for key in ("author", "container", "publisher", "date", "url", "pages", "note")},
        },
        "citation": citation,
    }


CLEAN, NEAR = _strategies(True), _strategies(False)
FIELDS = {section: CLEAN[section] for section in SECTIONS}
REQUIRED = {"entities": {"id", "name", "type", "sources"}, "relations": {"type", "from", "to", "sources"},
            "sources": {"id", "kind", "title"}}
NONE_IS_ABSENT = {"entities": {"jurisdiction", "start", "end", "description"},
                  "relations": {"id", "equity", "votes", "amount", "start", "end", "as_of", "role", "law", "note"},
                  "sources": {"author", "container", "publisher", "date", "url", "pages", "note"}}
assert set(FIELDS["entities"]) == loader._ENTITY_KEYS and set(FIELDS["relations"]) == loader._RELATION_KEYS
assert set(FIELDS["sources"]) == loader._SOURCE_KEYS


@st.composite
def _record(draw, section, only=None):
    """A record of the section. One in three is valid throughout; the others have one to three
    fields drawn near-valid (often still valid, else a little or very wrong: None, a missing
    required key, a value of another type ...), and now and then an unknown or non-str key, or no
    dict at all. Either may have a str-subclass key (which Python finds as the plain str)."""
    keys = [key for key in FIELDS[section] if only is None or key in only or key in REQUIRED[section]]
    clean = draw(st.integers(0, 2)) == 0
    near = set() if clean else set(draw(st.lists(st.sampled_from([key for key in keys if only is None or key in only]),
                                                 min_size=1, max_size=3, unique=True)))
    item = {}
    for key in keys:
        if key in REQUIRED[section]:
            present = key not in near or draw(st.integers(0, 5)) != 0
        else:
            present = draw(st.booleans()) if only is None else draw(st.integers(0, 4)) != 0
        if not present:
            continue
        if key in near and draw(st.integers(0, 7)) == 0:
            item[key] = None
        elif key in NONE_IS_ABSENT[section] and draw(st.integers(0, 9)) == 0:
            item[key] = None
        else:
            item[key] = draw((NEAR if key in near else CLEAN)[section][key])
    if draw(st.booleans()):
        order = draw(st.permutations(list(item)))
        item = {key: item[key] for key in order}
    if not clean and draw(st.integers(0, 5)) == 0:
        item[draw(st.sampled_from(UNKNOWN_KEYS))] = draw(st.sampled_from(ODD[:12]))
    plain = [key for key in item if type(key) is str]
    if plain and draw(st.integers(0, 9)) == 0:
        subclassed = draw(st.sampled_from(plain))
        item = {(S(key) if key is subclassed else key): value for key, value in item.items()}
    if not clean and draw(st.integers(0, 29)) == 0:
        return draw(st.sampled_from([D, OrderedDict, lambda item: list(item.items()), lambda item: None]))(item)
    return item


SETTINGS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.data_too_large])


# --- generated records ----------------------------------------------------------------------------


@SETTINGS
@given(item=_record("entities"))
def test_generated_entities_agree(item):
    _assert_same("entities", item)


@SETTINGS
@given(item=_record("relations"))
def test_generated_relations_agree(item):
    _assert_same("relations", item)


@SETTINGS
@given(item=_record("sources"))
def test_generated_sources_agree(item):
    _assert_same("sources", item)


@SETTINGS
@given(item=_record("relations", only={"id", "equity", "votes", "amount"}))
def test_generated_shares_and_amounts_agree(item):
    _assert_same("relations", item)


@SETTINGS
@given(item=_record("entities", only={"names", "aliases", "facts", "distinct_from"}))
def test_generated_names_facts_and_lists_agree(item):
    _assert_same("entities", item)


@SETTINGS
@given(citations=st.lists(st.one_of(CLEAN["citation"], NEAR["citation"]), min_size=1, max_size=4),
       section=st.sampled_from(["entities", "relations"]))
def test_generated_citations_agree(citations, section):
    base = dict(ENTITY) if section == "entities" else dict(RELATION)
    _assert_same(section, dict(base, sources=citations))


@settings(max_examples=1000, deadline=None)
@given(date=st.one_of(CLEAN["sources"]["date"], NEAR["sources"]["date"]),
       number=st.one_of(CLEAN["relations"]["amount"].map(lambda amount: amount["value"]),
                        st.sampled_from(NUMBERS), st.integers(), st.floats()),
       key=st.sampled_from(["start", "end", "as_of"]))
def test_generated_dates_and_numbers_agree(date, number, key):
    _assert_same("relations", dict(RELATION, **{key: date}))
    _assert_same("sources", dict(SOURCE, date=date))
    _assert_same("relations", dict(RELATION, amount={"value": number}))
    _assert_same("entities", dict(ENTITY, facts=[dict(FACT, value=number, date=date)]))


# --- hand-picked cases ------------------------------------------------------------------------------

EDGE_VALUES = (ODD + NUMBERS + DATES + VALID_IDS + BAD_IDS + SHARE_TEXTS[:30] + CITATION_TEXTS[:12]
               + CITATION_DICTS[:8] + [[c] for c in CITATION_TEXTS + CITATION_DICTS]
               + [{"zh": "x"}, {"zh-Hans": "x"}, {"ZH": "x"}, {"zh\n": "x"}, {1: "x"}, {"zh": 1}, {"zh": S("x")},
                  {S("zh"): "x"}, {"zh": None}, {"zh": ""}, {"zh": "x", "en": "y"}, ["a", 1], ["a", S("b")], [S("b")],
                  ["a", None], ["a", "b"], ["alpha", "Beta"], ["alpha", "beta"], {"value": 3}, {"value": 3.0},
                  {"value": 30, "approximate": True}, {"min": 20, "max": 10}, {"min": 5}, {"max": 5.5},
                  {"value": 30, "min": 1}, {"value": None, "min": 3}, {"value": "30"}, {"approximate": True},
                  {"value": 3, "unit": "billion", "currency": "CNY"}, {"value": 3, "extra": 1}, [FACT],
                  [dict(FACT, value=2 ** 53)], [dict(FACT, value=2 ** 53 + 1)], [dict(FACT, value=True)], [{}],
                  "million", "CNY", "cny", "book", "Book", S("book")])


def _variants(section):
    """Every edge value in every known field (and some unknown ones) of a minimal and a full record,
    each field removed, and each key made a str subclass."""
    cases = []
    for base in (BASES[section], FULL[section]):
        for key in list(FIELDS[section]) + ["extra", "from_"]:
            for value in EDGE_VALUES:
                cases.append((section, dict(base, **{key: value})))
            if key in base:
                cases.append((section, {k: v for k, v in base.items() if k != key}))
                cases.append((section, {(S(k) if k == key else k): v for k, v in base.items()}))
        for key in UNKNOWN_KEYS:
            cases.append((section, {**base, key: 1}))
            cases.append((section, {key: 1, **base}))
        cases.append((section, dict(reversed(list(base.items())))))
        for wrapped in (D(base), OrderedDict(base), list(base.items()), list(base), tuple(base)):
            cases.append((section, wrapped))
    return cases


@pytest.mark.parametrize("section", SECTIONS)
def test_every_edge_value_in_every_field_agrees(section):
    _assert_all_same(_variants(section))


@pytest.mark.parametrize("section", SECTIONS)
def test_odd_records_agree(section):
    _assert_all_same([(section, item) for item in ODD + UNKNOWN_KEYS + [{}, {"id": "alpha"}, [ENTITY], (SOURCE,)]])


def test_full_records_are_accepted_by_both():
    for section, item in FULL.items():
        assert PYTHON[section](item) is not None, section
        _assert_same(section, item)


def test_none_for_every_key():
    """A present None is "not given" for some keys (jurisdiction, start, ...) and wrong for others
    (names, aliases, facts, distinct_from, instruments, inferred, sources ...)."""
    cases = []
    for section, base in FULL.items():
        for key in FIELDS[section]:
            cases.append((section, dict(base, **{key: None})))
            cases.append((section, dict(BASES[section], **{key: None})))
    _assert_all_same(cases)
    assert PYTHON["entities"](dict(ENTITY, jurisdiction=None)) is not None
    assert PYTHON["entities"](dict(ENTITY, names=None)) is None


def test_ids():
    cases = []
    for value in VALID_IDS + BAD_IDS + ["x" * 199, "x" * 201, "a" * 200, "\u00e9t\u00e9", "a\u0301"]:
        cases += [("entities", dict(ENTITY, id=value)), ("entities", dict(ENTITY, jurisdiction=value)),
                  ("entities", dict(ENTITY, distinct_from=[value])), ("relations", dict(RELATION, id=value)),
                  ("relations", dict(RELATION, **{"from": value})), ("relations", dict(RELATION, to=value)),
                  ("relations", dict(RELATION, law=value)), ("sources", dict(SOURCE, id=value)),
                  ("entities", dict(ENTITY, sources=[{"source": value}]))]
        if isinstance(value, str):
            cases += [("entities", dict(ENTITY, sources=[value])), ("entities", dict(ENTITY, sources=[value + " p"]))]
    _assert_all_same(cases)
    assert PYTHON["sources"](dict(SOURCE, id="x" * 200)) is not None
    assert PYTHON["sources"](dict(SOURCE, id="x" * 201)) is None


def test_dates():
    cases = []
    for value in DATES + [dt.date(2019, 2, 28) + dt.timedelta(days=n) for n in range(0, 400, 37)]:
        cases += [("entities", dict(ENTITY, start=value)), ("entities", dict(ENTITY, end=value)),
                  ("relations", dict(RELATION, as_of=value)), ("sources", dict(SOURCE, date=value)),
                  ("entities", dict(ENTITY, facts=[dict(FACT, date=value)]))]
    _assert_all_same(cases)


def test_numbers():
    cases = []
    for value in NUMBERS:
        cases += [("relations", dict(RELATION, amount={"value": value})),
                  ("entities", dict(ENTITY, facts=[dict(FACT, value=value)])),
                  ("relations", dict(RELATION, equity=value)), ("relations", dict(RELATION, votes={"min": value})),
                  ("relations", dict(RELATION, equity={"value": value, "approximate": True})),
                  ("relations", dict(RELATION, votes={"min": 1, "max": value}))]
    _assert_all_same(cases)


def test_citations():
    cases = []
    for citation in CITATION_TEXTS + CITATION_DICTS + ODD:
        cases += [("entities", dict(ENTITY, sources=[citation])),
                  ("relations", dict(RELATION, sources=["src_2", citation])),
                  ("entities", dict(ENTITY, facts=[dict(FACT, sources=[citation])]))]
    for space in WHITESPACE + NOT_WHITESPACE:
        for text in (f"{space}src_1", f"src_1{space}", f"src_1{space}p", f"src_1 {space}p{space}", f"src_1 p{space}5",
                     f"{space}src_1 p{space}", f"src_1{space} p", f"src_1 {space}", space):
            cases += [("entities", dict(ENTITY, sources=[text]))]
    for sources in ([], None, "src_1", ("src_1",), L(["src_1"]), ["src_1"] * 5):
        cases += [("entities", dict(ENTITY, sources=sources)), ("relations", dict(RELATION, sources=sources))]
    _assert_all_same(cases)


def test_shares():
    cases = []
    shares = SHARE_TEXTS + NUMBERS + [
        0, 100, 100.0, -0.0, 0.0, 50, 33.3, -1, 101, 100.0000001, {"value": 5}, {"value": 5.0}, {"value": True},
        {"value": 5, "approximate": True}, {"value": 5, "approximate": False}, {"value": 5, "approximate": 1},
        {"value": 5, "approximate": None}, {"value": None}, {"min": 5}, {"max": 5}, {"min": 5, "max": 5},
        {"min": 6, "max": 5}, {"min": 5, "max": 6, "approximate": True}, {"min": None, "max": 5},
        {"max": 50, "min": 5}, {"approximate": True, "value": 5}, {"value": 5, "min": 1}, {"value": 5, "max": 1},
        {"value": 5, "extra": 1}, {"value": 101}, {"min": -1}, {"max": float("nan")}, {"min": 2 ** 64},
        {"value": I(5)}, {"value": F(5.0)}, {"value": "5"}, {}, {"approximate": True}, {S("value"): 5},
        {1: 5}, D(value=5), OrderedDict(value=5)]
    for share in shares:
        for prefix in ("", " ", "\u3000"):
            if isinstance(share, str):
                for approximate in ("~", "about ", "c. "):
                    cases.append(("relations", dict(RELATION, equity=prefix + approximate + share)))
        cases += [("relations", dict(RELATION, equity=share)), ("relations", dict(RELATION, votes=share))]
    _assert_all_same(cases)


def test_amounts_and_facts():
    cases = []
    units = ["thousand", "million", "billion", "trillion", "Million", "millions", "", S("million"), None, 1]
    currencies = ["USD", "CNY", "ZZZ", "usd", "USDD", "US", "", "\u00c9UR", "USD\n", S("USD"), None, 1]
    for unit in units:
        for currency in currencies:
            cases.append(("relations", dict(RELATION, amount={"value": 3, "unit": unit, "currency": currency})))
            cases.append(("entities", dict(ENTITY, facts=[dict(FACT, currency=currency, unit=unit)])))
    for approximate in (True, False, 1, 0, None, "yes", I(1)):
        cases.append(("relations", dict(RELATION, amount={"value": 3, "approximate": approximate})))
        cases.append(("entities", dict(ENTITY, facts=[dict(FACT, approximate=approximate)])))
    for extra in ({"extra": 1}, {1: 1}, {S("unit"): "million"}, {"value": None}, {"value": "3"}):
        cases.append(("relations", dict(RELATION, amount={"value": 3, **extra})))
    for name in ("users", "", None, S("users"), 1):
        cases.append(("entities", dict(ENTITY, facts=[dict(FACT, name=name)])))
    for note in ("n", "", None, S("n"), 1):
        cases.append(("entities", dict(ENTITY, facts=[dict(FACT, note=note)])))
    for facts in ([], None, [FACT, FACT], [FACT, None], [FACT, {}], (FACT,), L([FACT]), [dict(FACT, extra=1)],
                  [{k: v for k, v in FACT.items() if k != "sources"}], [dict(FACT, sources=[])],
                  [{**{k: v for k, v in FACT.items() if k != "unit"}}], [D(FACT)], [dict(reversed(FACT.items()))]):
        cases.append(("entities", dict(ENTITY, facts=facts)))
    _assert_all_same(cases)


def test_names_lists_and_flags():
    cases = []
    for language in LANGUAGES + BAD_LANGUAGES:
        for text in ("\u963f\u91cc", "", S("x"), 1, None):
            cases.append(("entities", dict(ENTITY, names={language: text})))
            cases.append(("entities", dict(ENTITY, names={"en": "A", language: text})))
    for names in ({}, None, [], "zh", D(zh="x"), {"zh": "x", "en": "y", "yue": "z"}, {"en": "y", "zh": "x"}):
        cases.append(("entities", dict(ENTITY, names=names)))
    for items in ([], ["a"], ["a", "b"], ["a", 1], ["a", None], [S("a")], ["a", True], [""], None, "a", ("a",),
                  L(["a"]), {"a": 1}, [["a"]]):
        cases += [("entities", dict(ENTITY, aliases=items)), ("relations", dict(RELATION, instruments=items))]
    for items in ([], ["beta"], ["beta", "gamma"], ["Beta"], ["beta", 1], [S("beta")], None, "beta", ("beta",),
                  L(["beta"]), [None], ["beta", "beta"]):
        cases.append(("entities", dict(ENTITY, distinct_from=items)))
    for inferred in (True, False, 1, 0, None, "yes", "", 1.0, 0.0, I(1), I(0), EVIL):
        cases += [("entities", dict(ENTITY, inferred=inferred)), ("relations", dict(RELATION, inferred=inferred))]
    for kind in sorted(loader._SOURCE_KINDS) + ["Book", "books", "", "case study", S("book"), None, 1]:
        cases.append(("sources", dict(SOURCE, kind=kind)))
    for key in ("name", "type", "description"):
        for value in ("", "x", S("x"), None, 1, b"x"):
            cases.append(("entities", dict(ENTITY, **{key: value})))
    for key in ("type", "role", "note"):
        for value in ("", "x", S("x"), None, 1, b"x"):
            cases.append(("relations", dict(RELATION, **{key: value})))
    for key in ("title", "author", "container", "publisher", "url", "pages", "note"):
        for value in ("", "x", S("x"), None, 1, b"x"):
            cases.append(("sources", dict(SOURCE, **{key: value})))
    _assert_all_same(cases)


# --- real data ----------------------------------------------------------------------------------------


def _bundled_records():
    for section in SECTIONS:
        with open(ROOT / "data" / f"{section}.yaml", encoding="utf-8") as file:
            for item in yaml.safe_load(file)[section]:
                yield section, item


def _day_28(item):
    """The record with each full date on day 29, 30 or 31 moved to day 28: the fast checks leave
    those days (is there a 30 February?) to the models, so decline a record that has one."""
    return {key: (value[:8] + "28" if key in ("start", "end", "as_of", "date") and type(value) is str
                  and len(value) == 10 and value[8:] in ("29", "30", "31") else value)
            for key, value in item.items()}


def test_every_bundled_record_gives_the_same_dict():
    records = list(_bundled_records())
    assert len(records) > 100
    for section, item in records:
        _assert_same(section, item)
        item = _day_28(item)
        expected = PYTHON[section](item)
        assert expected is not None, f"the Python fast check declines a bundled record: {item!r}"
        got = _c(section)(item)
        assert got is not None, f"{C_NAMES[section]}() declines a bundled record: {item!r}"
        assert same(got, expected), f"{item!r}:\n    C:      {got!r}\n    Python: {expected!r}"


def test_every_synthetic_record_gives_the_same_dict():
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.synthetic import make_records
    finally:
        sys.path.remove(str(ROOT))
    for section, items in make_records(300).items():
        for item in items:
            got = _c(section)(item)
            assert got is not None and same(got, PYTHON[section](item)), item


# --- no side effects ----------------------------------------------------------------------------------


def _containers(value, found):
    if isinstance(value, (dict, list, tuple)):
        found[id(value)] = value
        for inner in (list(value.keys()) + list(value.values())) if isinstance(value, dict) else value:
            _containers(inner, found)
    return found


def _check_untouched(section, item):
    before = copy.deepcopy(item)
    got = _c(section)(item)
    assert same(item, before), f"{C_NAMES[section]}() changed its input: {before!r} became {item!r}"
    inputs = _containers(item, {})
    shared = [value for key, value in _containers(got, {}).items() if key in inputs]
    assert not shared, f"{C_NAMES[section]}({item!r}) hands back the input's own {shared!r}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(section=st.sampled_from(SECTIONS), data=st.data())
def test_the_input_is_left_unchanged_and_unshared(section, data):
    _check_untouched(section, data.draw(_record(section)))


def test_the_input_of_hand_picked_records_is_left_unchanged_and_unshared():
    cases = [(section, item) for section in SECTIONS for item in (BASES[section], FULL[section])]
    for section in SECTIONS:
        cases += _variants(section)[::7]
    for section, item in cases:
        _check_untouched(section, item)


def _leak_cases():
    cases = []
    for section in SECTIONS:
        cases += [(section, FULL[section]), (section, BASES[section]), (section, dict(BASES[section], extra=1)),
                  (section, dict(FULL[section], id="Bad")), (section, dict(FULL[section], sources=["src_1", 1])),
                  (section, dict(FULL[section], start="2019-13")), (section, dict(BASES[section], **{"end": 2 ** 70}))]
    cases += [("relations", dict(FULL_RELATION, equity="~ 5 %")), ("relations", dict(FULL_RELATION, equity="abc")),
              ("relations", dict(FULL_RELATION, votes={"min": 5, "max": 1})),
              ("relations", dict(FULL_RELATION, amount={"value": 3, "currency": "usd"})),
              ("entities", dict(FULL_ENTITY, names={"zh": "x", "ZH": "y"})),
              ("entities", dict(FULL_ENTITY, facts=[FACT, dict(FACT, value=float("nan"))]))]
    return cases


def _objects(value, found):
    """The objects in a record, less those shared all over the interpreter (small ints, None, bools)."""
    if not (value is None or type(value) is bool or (type(value) is int and -5 <= value <= 256)):
        found.append(value)
    if isinstance(value, dict):
        for key, inner in value.items():
            _objects(key, found)
            _objects(inner, found)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            _objects(inner, found)
    return found


def test_no_reference_is_leaked_or_lost():
    for section, item in _leak_cases():
        function = _c(section)
        function(item)  # the first call may keep an id in a cache
        objects = _objects(item, [])
        before = [sys.getrefcount(value) for value in objects]
        for _ in range(500):
            function(item)
        after = [sys.getrefcount(value) for value in objects]
        changed = [(value, b, a) for value, b, a in zip(objects, before, after) if a != b]
        assert not changed, f"{C_NAMES[section]}({item!r}) changes reference counts (object, before, after): {changed}"


def test_no_memory_is_leaked():
    cases = _leak_cases()
    for section, item in cases:
        _c(section)(item)
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(50):
            for section, item in cases:
                _c(section)(item)
        gc.collect()
        start = tracemalloc.get_traced_memory()[0]
        for _ in range(1000):
            for section, item in cases:
                _c(section)(item)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    assert grown < 100_000, f"{grown} bytes more after {1000 * len(cases)} calls"
