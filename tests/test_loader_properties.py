"""Property tests: whatever is in the files, the loader raises only its own DataError."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem.errors import DataError
from ecosystem.loader import load

VALID = Path(__file__).parent / "fixtures" / "valid"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(["owns", "company", "holdco", "case", "~25", "2014-09", "2014-13", "%"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=8) | st.sampled_from(
                                   ["id", "name", "type", "from", "to", "equity", "sources", "start", "end"]),
                                   children, max_size=5)),
    max_leaves=20,
)
records = st.dictionaries(
    st.sampled_from(["id", "name", "type", "from", "to", "equity", "votes", "sources", "start", "end", "names",
                     "aliases", "facts", "amount", "instruments", "kind", "title", "jurisdiction", "bogus"]),
    values, max_size=8,
)
documents = st.one_of(
    values,
    st.dictionaries(st.sampled_from(["entities", "relations", "sources", "other"]), st.lists(records, max_size=4) | values,
                    max_size=3),
)


def load_with(content: bytes, name: str):
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "data"
        shutil.copytree(VALID, folder)
        (folder / name).write_bytes(content)
        try:
            load(folder, use_cache=False)
        except DataError as error:
            for problem in error.problems:
                assert problem.file and problem.message
                assert problem.line is None or problem.line >= 1


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes(content):
    load_with(content, "random.yaml")


@SETTINGS
@given(st.text(max_size=300))
def test_random_text(content):
    load_with(content.encode("utf-8", "surrogatepass") if False else content.encode("utf-8", "replace"), "random.yaml")


@SETTINGS
@given(documents)
def test_random_yaml_documents(document):
    load_with(yaml.safe_dump(document, allow_unicode=True).encode("utf-8"), "random.yaml")


@SETTINGS
@given(documents)
def test_random_json_documents(document):
    load_with(json.dumps(document).encode("utf-8"), "random.json")


@SETTINGS
@given(st.lists(records, max_size=4))
def test_random_jsonl_records(items):
    lines = [json.dumps({"record": "entity", **item}) for item in items]
    load_with("\n".join(lines).encode("utf-8"), "random.jsonl")


@SETTINGS
@given(st.lists(st.tuples(documents, records), max_size=4))
def test_random_jsonl_record_kinds(items):
    lines = [json.dumps({"record": kind, **item}) for kind, item in items]
    load_with("\n".join(lines).encode("utf-8"), "random.jsonl")
