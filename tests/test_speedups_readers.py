"""The fast load's piece readers in C (ecosystem._speedups.read_entities / read_relations) give
what the Python readers in ecosystem/_fastload.py give: the same records in the same order and
the same summaries, or None for both. A C reader may also decline (None) where the Python one
would not, but only for forms the record checks never produce; the tests below see no such case.

Also: the fast load with the Python readers still gives the reader's dataset, so both stay tested
in a build with the extension.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem import _fastload, _yaml, loader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import make_records, write_dataset  # noqa: E402

if loader._speedups is None:
    if os.environ.get("CI"):
        def test_the_c_extension_is_built():
            pytest.fail("ecosystem._speedups was not built: setup.sh must compile it (a C compiler and Python headers)")
    else:
        pytest.skip("ecosystem._speedups is not built (no C compiler)", allow_module_level=True)
else:
    PYTHON = _fastload._READERS_IN_PYTHON
    C = _fastload._READERS


def _rules():
    path = ROOT / "data" / "vocabulary.yaml"
    reader = loader._Reader(ROOT / "data", {path: path.read_bytes()})
    return _fastload._Rules(reader._read_vocabulary(path))


RULES = _rules() if loader._speedups is not None else None


def _same(a, b) -> bool:
    """Equal, with the same types and (for dicts and lists) the same order at every level."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b  # str, float, bool, sets of str


def _compare(section: str, items: list) -> object:
    """Both readers' results on copies of ``items`` (a relation's derived id is added to its record)."""
    import copy

    python = PYTHON[section](copy.deepcopy(items), RULES)
    c = C[section](copy.deepcopy(items), RULES)
    if section == "entities" and python is not None and c is not None:
        # the folded names map: the same forms to the same ids (Python fills it from a set)
        assert python[5] == c[5]
        python, c = python[:5] + python[6:], c[:5] + c[6:]
    assert _same(c, python), (section, c, python)
    return python


def test_the_bundled_data_reads_alike():
    """Whole and record by record (some bundled records, such as dates past the 28th, are left to
    the models, so the whole relations file is declined by both)."""
    for section in ("entities", "relations"):
        items = yaml.safe_load((ROOT / "data" / f"{section}.yaml").read_text(encoding="utf-8"))[section]
        _compare(section, items)
        accepted = sum(_compare(section, [item]) is not None for item in items)
        assert accepted >= 0.9 * len(items), (section, accepted, len(items))


@pytest.mark.parametrize("seed", range(8))
def test_synthetic_records_read_alike(seed):
    records = make_records(400, seed=seed)
    for section in ("entities", "relations"):
        items = yaml.safe_load(yaml.safe_dump({section: records[section]}))[section]
        assert _compare(section, items) is not None


# --- generated pieces: mostly valid records with the summaries' corner cases --------------------------

TEXTS = st.sampled_from([
    "Ant Group", "ant group", "  Ant  Group ", "ANT GROUP\t", "蚂蚁集团", " 蚂蚁集团 ", "蚂蚁 Group", "Ａｎｔ",
    "Café", "CAFÉ", "straße", "STRASSE", "İstanbul", "Ⅷ", "ﬁnance", "a\u0301", "\u3000蚂蚁", "\x1cx\x1f", "",
    " ", "\u00a0", "𠀀", "㐀", "鿿", "\ufeffA",
])
IDS = st.sampled_from(["a", "b", "c", "company_1", "prc", "hong_kong"])
DATES = st.sampled_from([None, "2019", "2019-05", "2019-05-07", "2018", 2020, datetime.date(2019, 5, 31), "2019-12"])


@st.composite
def entity_items(draw):
    item = {"id": draw(IDS), "name": draw(TEXTS) or "x",
            "type": draw(st.sampled_from(["company", "person", "jurisdiction", "law", "no_such_type"])),
            "sources": draw(st.lists(st.sampled_from(["s1", "s2 §3", {"source": "s3", "locator": "p 2"}]), min_size=1, max_size=2))}
    if draw(st.booleans()):
        item["aliases"] = draw(st.lists(TEXTS, max_size=3))
    if draw(st.booleans()):
        item["names"] = draw(st.dictionaries(st.sampled_from(["zh", "en", "zh-Hant"]), TEXTS, max_size=2))
    for key in ("start", "end"):
        date = draw(DATES)
        if date is not None:
            item[key] = date
    if draw(st.booleans()):
        item["jurisdiction"] = draw(IDS)
    if draw(st.booleans()):
        item["distinct_from"] = draw(st.lists(IDS, max_size=2))
    if draw(st.booleans()):
        item["facts"] = [{"name": "employees", "value": 3, "unit": "people", "sources": [draw(st.sampled_from(["s4", "s1 n 2"]))]}]
    return item


@st.composite
def relation_items(draw):
    kind = draw(st.sampled_from(["owns", "controls", "regulates", "partners_with", "no_such_type"]))
    item = {"type": kind, "from": draw(IDS), "to": draw(IDS),
            "sources": draw(st.lists(st.sampled_from(["s1", "s2 §3", {"source": "s3"}]), min_size=1, max_size=2))}
    if draw(st.booleans()):
        item["id"] = draw(st.sampled_from(["r1", "r2", "a__owns__b"]))
    for key in ("equity", "votes"):
        if draw(st.integers(0, 2)) == 0:
            item[key] = draw(st.sampled_from([60, 50.5, 0, 100, "~40%", {"min": 30, "max": 70}, {"max": 20},
                                              {"value": 45, "approximate": True}]))
    for key in ("start", "end", "as_of"):
        date = draw(DATES)
        if date is not None:
            item[key] = date
    if draw(st.integers(0, 3)) == 0:
        item["law"] = draw(IDS)
    return item


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entity_items(), max_size=8))
def test_generated_entity_pieces_read_alike(items):
    _compare("entities", items)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(relation_items(), max_size=8))
def test_generated_relation_pieces_read_alike(items):
    _compare("relations", items)


def test_the_corner_cases_are_reached():
    """The generated pieces meet each outcome the summaries have (so the tests above can fail)."""
    same_name = [{"id": "a", "name": "Ant Group", "type": "company", "sources": ["s1"]},
                 {"id": "b", "name": " ANT group", "type": "company", "sources": ["s1"]}]
    assert _compare("entities", same_name)[-1] is True  # a clash, found by folding
    cjk = [{"id": "a", "name": "蚂蚁集团", "type": "company", "sources": ["s1"]},
           {"id": "b", "name": "x", "aliases": [" 蚂蚁集团"], "type": "company", "sources": ["s1"]}]
    assert _compare("entities", cjk)[-1] is True
    accented = [{"id": "a", "name": "Café", "type": "company", "sources": ["s1"]},
                {"id": "b", "name": "CAFE", "type": "company", "sources": ["s1"]}]
    assert _compare("entities", accented)[-1] is True  # folded by the Python function (NFKD)
    heavy = [{"type": "owns", "from": "a", "to": "c", "equity": 60, "sources": ["s1"]},
             {"type": "owns", "from": "b", "to": "c", "equity": {"min": 45, "max": 50}, "sources": ["s1"]}]
    assert _compare("relations", heavy)[-1] == ["a__owns__c", "b__owns__c"]
    just_past = [{"type": "owns", "from": "a", "to": "c", "equity": 60, "sources": ["s1"]},
                 {"type": "owns", "from": "b", "to": "c", "equity": 40.05, "sources": ["s1"]}]
    assert _compare("relations", just_past)[-1] == ["a__owns__c", "b__owns__c"]
    backwards = [{"type": "owns", "from": "a", "to": "c", "start": "2019-05", "end": "2019", "sources": ["s1"]}]
    assert _compare("relations", backwards) is None
    twice = [{"id": "r1", "type": "owns", "from": "a", "to": "c", "sources": ["s1"]},
             {"id": "r1", "type": "owns", "from": "b", "to": "c", "sources": ["s1"]}]
    assert _compare("relations", twice) is None
    shares_where_none_go = [{"type": "regulates", "from": "a", "to": "c", "votes": 10, "sources": ["s1"]}]
    assert _compare("relations", shares_where_none_go) is None


# --- the fast load with the Python readers ---------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2])
def test_the_fast_load_with_the_python_readers_gives_the_readers_dataset(tmp_path, monkeypatch, seed):
    monkeypatch.setattr(_fastload, "_READERS", dict(PYTHON))
    monkeypatch.setattr(_fastload, "PIECE_BYTES", 3_000)
    monkeypatch.setattr(_fastload, "parallel", False)
    path = write_dataset(tmp_path / "data", 300, fmt="yaml", files=2, seed=seed)
    files = loader._record_files(path)
    vocabulary = loader._vocabulary_file(path)
    contents = {file: file.read_bytes() for file in [vocabulary, *files]}
    fast = _fastload.load(path, contents, vocabulary, None, files)
    monkeypatch.setattr(_fastload, "enabled", False)
    slow = loader.load(path, use_cache=False)
    assert fast is not None
    dataset = fast[0]
    for section in ("sources", "entities", "relations"):
        assert list(getattr(dataset, section).items()) == list(getattr(slow, section).items())


def test_random_synthetic_pieces_read_alike():
    rng = random.Random(7)
    for _ in range(5):
        records = make_records(rng.randint(20, 200), seed=rng.randint(0, 10_000))
        for section in ("entities", "relations"):
            items = yaml.safe_load(yaml.safe_dump({section: records[section]}))[section]
            _compare(section, items)


# --- keys that run Python code --------------------------------------------------------------------------

_ODD_KEYS = r'''
import sys
from ecosystem import _fastload, loader

class Like:
    """A key equal to a str whose hash, once armed, runs ``then`` (which changes the record)."""
    def __init__(self, text):
        self.text, self.then = text, None
    def __hash__(self):
        then, self.then = self.then, None
        if then is not None:
            then()
        return hash(self.text)
    def __eq__(self, other):
        return other == self.text if isinstance(other, str) else self is other

def cases():
    citations = []
    key = Like("source")
    citations += [{key: "src_1"}, "src_2", "src_3"]
    key.then = citations.clear
    yield "entities", [{"id": "a", "name": "A", "type": "company", "sources": citations}]
    facts = []
    key = Like("name")
    facts += [{key: "x", "value": 1, "unit": "u", "sources": ["s"]}, {"name": "y"}]
    key.then = facts.clear
    yield "entities", [{"id": "a", "name": "A", "type": "company", "facts": facts, "sources": ["s"]}]
    item = {"id": "a", "name": "A", "type": "company", "sources": ["s"]}
    key = Like("description")
    item[key] = "d"
    key.then = item.clear
    yield "entities", [item]
    items = []
    key = Like("value")
    items += [{"type": "owns", "from": "a", "to": "b", "equity": {key: 5}, "sources": ["s"]},
              {"type": "owns", "from": "c", "to": "b", "sources": ["s"]}]
    key.then = items.clear
    yield "relations", items

readers = _fastload._READERS if sys.argv[1] == "c" else _fastload._READERS_IN_PYTHON
rules = _fastload._Rules(loader.load().vocabulary)
for section, items in cases():
    try:
        print(repr(readers[section](items, rules)))
    except RuntimeError as error:
        print("RuntimeError", error)
'''


def test_keys_that_run_python_code_never_crash_the_c_readers_and_read_as_in_python(tmp_path):
    """Such keys come from no parser, but the module must stay safe whatever it is given: the C
    readers hand a record holding one to the Python checks, before hashing it."""
    import subprocess

    script = tmp_path / "odd_keys.py"
    script.write_text(_ODD_KEYS, encoding="utf-8")
    runs = {which: subprocess.run([sys.executable, str(script), which], capture_output=True, text=True, cwd=ROOT,
                                  timeout=120) for which in ("c", "python")}
    assert runs["c"].returncode == 0, runs["c"].stderr[-2000:]  # a crash gives -11
    assert runs["python"].returncode == 0, runs["python"].stderr[-2000:]
    assert runs["c"].stdout == runs["python"].stdout
    assert runs["c"].stdout.count("\n") == 4


# --- the C reader of the plain YAML subset in the fast load ---------------------------------------------


def _datasets_alike(path: Path, monkeypatch) -> None:
    """The fast load (as monkeypatched) gives the reader's dataset (read with nothing patched)."""
    files = loader._record_files(path)
    vocabulary = loader._vocabulary_file(path)
    contents = {file: file.read_bytes() for file in [vocabulary, *files]}
    fast = _fastload.load(path, contents, vocabulary, None, files)
    monkeypatch.undo()
    monkeypatch.setattr(_fastload, "enabled", False)
    slow = loader.load(path, use_cache=False)
    assert fast is not None
    for section in ("sources", "entities", "relations"):
        assert list(getattr(fast[0], section).items()) == list(getattr(slow, section).items())


def test_plain_yaml_is_read_by_the_c_reader_alone(tmp_path, monkeypatch):
    """Synthetic files are in the subset: no piece goes to the scan and yaml-rs."""
    def no_general_parse(text):
        raise AssertionError("a piece went to the general parser")

    monkeypatch.setattr(_fastload, "PIECE_BYTES", 5_000)
    monkeypatch.setattr(_fastload, "parallel", False)
    path = write_dataset(tmp_path / "data", 300, fmt="yaml", files=2, seed=3)
    monkeypatch.setattr(_yaml, "fast_parse", no_general_parse)
    _datasets_alike(path, monkeypatch)


def test_without_yaml_rs_the_fast_load_still_reads_plain_yaml(tmp_path, monkeypatch):
    monkeypatch.setattr(_yaml, "_yaml_rs", None)
    monkeypatch.setattr(_fastload, "PIECE_BYTES", 5_000)
    monkeypatch.setattr(_fastload, "parallel", False)
    assert not _yaml.fast_available()
    path = write_dataset(tmp_path / "data", 300, fmt="yaml", files=1, seed=4)
    _datasets_alike(path, monkeypatch)


def test_a_piece_outside_the_subset_goes_to_the_general_parser(tmp_path, monkeypatch):
    """A `yes` in one record: that piece is declined by the C reader, read by the general path
    (which sends it to PyYAML), and the dataset is still the reader's."""
    calls = []
    general = _yaml.fast_parse

    def counted(text):
        calls.append(text)
        return general(text)

    monkeypatch.setattr(_fastload, "PIECE_BYTES", 5_000)
    monkeypatch.setattr(_fastload, "parallel", False)
    path = write_dataset(tmp_path / "data", 300, fmt="yaml", files=1, seed=5)
    relations = next(path.glob("relations*.yaml"))
    text = relations.read_text(encoding="utf-8")
    relations.write_text(text.replace("inferred: true", "inferred: yes", 1), encoding="utf-8")
    assert "inferred: yes" in relations.read_text(encoding="utf-8")
    monkeypatch.setattr(_yaml, "fast_parse", counted)
    files = loader._record_files(path)
    vocabulary = loader._vocabulary_file(path)
    contents = {file: file.read_bytes() for file in [vocabulary, *files]}
    assert _fastload.load(path, contents, vocabulary, None, files) is None  # yes is True in YAML 1.1: PyYAML's
    assert len(calls) == 1 and "inferred: yes" in calls[0]
