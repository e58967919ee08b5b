"""The loader's plain fast check of record shapes gives exactly what the pydantic models give.

* each ``_fast_*`` function returns the dumped model (same keys, same order, same values) or None,
  never a dict for a record the model rejects: on hand-picked edge cases and on generated records;
* whole loads with the fast check on and off give byte-identical Datasets (the bundled data, the
  valid fixtures, a synthetic dataset) and identical problems on every invalid fixture;
* the synthetic dataset takes the fast check for every record (else these tests prove little).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ecosystem import loader
from ecosystem.models import Entity, Relation, Source

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import make_records, write_dataset  # noqa: E402

MODELS = {"sources": (Source, loader._dump_source), "entities": (Entity, loader._dump),
          "relations": (Relation, loader._dump)}


def _model_result(section, item):
    model, dump = MODELS[section]
    try:
        return dump(model.model_validate(item))
    except ValidationError:
        return None


def _assert_agrees(section, item):
    fast = loader._FAST[section](item)
    if fast is None:
        return
    slow = _model_result(section, item)
    assert slow is not None, f"fast check accepted what the model rejects: {item!r}"
    assert json.dumps(fast) == json.dumps(slow), (item, fast, slow)  # same keys, order and values


def _plain(dataset) -> str:
    return json.dumps([dataset.sources, dataset.entities, dataset.relations, dict(dataset.locations)], ensure_ascii=False)


def _load_both(path, monkeypatch):
    fast = loader.load(path, use_cache=False)
    with monkeypatch.context() as patch:
        patch.setattr(loader._Reader, "fast_validate", False)
        slow = loader.load(path, use_cache=False)
    return fast, slow


def _problems_both(path, monkeypatch):
    results = []
    for fast in (True, False):
        with monkeypatch.context() as patch:
            patch.setattr(loader._Reader, "fast_validate", fast)
            try:
                loader.load(path, use_cache=False)
                results.append(None)
            except loader.DataError as error:
                results.append(error.problems)
    return results


# --- whole loads --------------------------------------------------------------------------------


def test_bundled_data_and_valid_fixtures_load_identically(monkeypatch):
    for path in (None, FIXTURES / "valid"):
        fast, slow = _load_both(path, monkeypatch)
        assert _plain(fast) == _plain(slow)


def test_a_synthetic_dataset_loads_identically_and_takes_the_fast_check(tmp_path, monkeypatch):
    write_dataset(tmp_path / "data", 400, fmt="yaml")
    fast, slow = _load_both(tmp_path / "data", monkeypatch)
    assert _plain(fast) == _plain(slow)
    records = make_records(400)
    for section, items in records.items():
        assert all(loader._FAST[section](item) is not None for item in items), section


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "invalid").iterdir()))
def test_every_invalid_fixture_gives_identical_problems(name, tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    shutil.copy(FIXTURES / "invalid" / name, folder / name)
    fast, slow = _problems_both(folder, monkeypatch)
    assert fast is not None and fast == slow


def test_json_records_load_identically(tmp_path, monkeypatch):
    write_dataset(tmp_path / "data", 200, fmt="json")
    fast, slow = _load_both(tmp_path / "data", monkeypatch)
    assert _plain(fast) == _plain(slow)


# --- single records -------------------------------------------------------------------------------

EDGE_VALUES = [
    None, "", " ", "x", "Bad Id", "a" * 201, 0, 5, -1, 100, 100.5, 150, 2014, 999, 10000, 10 ** 20, 1.5,
    float("inf"), float("nan"), True, False, "2014", "2014-09", "2014-09-19", "2014-13", "2014-02-30",
    "2020-01-31", " 2014", "2014\n", dt.date(2014, 9, 19), dt.datetime(2014, 9, 19, 10, 0),
    "~25", "about 30%", "c. 40", "25%", "abc", "nan", "1e1", "1_0", [], {}, ["a"], ["a", 1], ("a",),
    {"min": 20, "max": 10}, {"min": 5}, {"max": 5.5}, {"value": 30, "approximate": True},
    {"value": 30, "min": 1}, {"value": None, "min": 3}, {"value": "30"}, {"approximate": True},
    "src_1 p 3", "src_1", "  src_1   §3  ", "src_1\t§3", {"source": "src_1"}, {"source": "src_1", "locator": ""},
    {"source": "src_1", "locator": 3}, {"source": "Bad"}, {"zh": "阿里"}, {"zh-Hant": "x"}, {"ZH": "x"},
    {"zh\n": "x"}, {1: "x"}, {"zh": 1}, "CNY", "cny", "CNYX", "million", "gazillion",
    {"value": 3, "unit": "billion", "currency": "CNY"}, {"value": "3"}, {"value": 3, "extra": 1},
]
ENTITY = {"id": "alpha", "name": "Alpha", "type": "company", "sources": ["src_1 §1"]}
RELATION = {"type": "owns", "from": "alpha", "to": "beta", "sources": [{"source": "src_1", "locator": "p 2"}]}
SOURCE = {"id": "src_1", "kind": "book", "title": "A book"}
FACT = {"name": "users", "value": 5, "unit": "people", "sources": ["src_1"]}
KEYS = {
    "entities": sorted(loader._ENTITY_KEYS) + ["from_", "extra"],
    "relations": sorted(loader._RELATION_KEYS) + ["from_", "extra"],
    "sources": sorted(loader._SOURCE_KEYS) + ["extra"],
}
BASES = {"entities": ENTITY, "relations": RELATION, "sources": SOURCE}


@pytest.mark.parametrize("section", sorted(BASES))
def test_edge_values_in_every_field(section):
    for key in KEYS[section]:
        for value in EDGE_VALUES:
            item = dict(BASES[section], **{key: value})
            _assert_agrees(section, item)
            if key in BASES[section]:
                item = dict(BASES[section])
                del item[key]
                _assert_agrees(section, item)
    for value in EDGE_VALUES:  # inside facts and citations
        for key in sorted(loader._FACT_KEYS):
            _assert_agrees("entities", dict(ENTITY, facts=[dict(FACT, **{key: value})]))
        _assert_agrees("entities", dict(ENTITY, sources=[value]))
        _assert_agrees("relations", dict(RELATION, sources=["src_1", value]))


_scalars = st.one_of(st.sampled_from(EDGE_VALUES), st.none(), st.booleans(), st.integers(-5, 3000),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                     st.from_regex(r"[a-z][a-z0-9_]{0,6}( [a-z0-9§., ]{0,8})?", fullmatch=True),
                     st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", fullmatch=True))
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["value", "min", "max", "approximate", "source", "locator", "zh", "en",
                                     "unit", "currency", "name", "sources", "date", "note"]), inner, max_size=4)),
    max_leaves=6)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(section=st.sampled_from(sorted(BASES)), changes=st.data())
def test_generated_records_agree_with_the_models(section, changes):
    item = dict(BASES[section])
    for _ in range(changes.draw(st.integers(1, 4))):
        key = changes.draw(st.sampled_from(KEYS[section]))
        if changes.draw(st.booleans()) and key in item:
            del item[key]
        else:
            item[key] = changes.draw(_values)
    _assert_agrees(section, item)


def _fold_reference(text: str) -> str:
    """Name folding as defined: casefold, NFKD, combining marks dropped, outer blanks stripped."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(max_codepoint=0x24F), st.characters(min_codepoint=0x300, max_codepoint=0x36F),
                                  st.characters(min_codepoint=0x1D100, max_codepoint=0x1D24F), st.characters()), max_size=12))
def test_name_folding_matches_its_definition(text):
    assert loader._fold(text) == _fold_reference(text)
