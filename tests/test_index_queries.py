"""Every question the index answers from what it needs gives the answer of the whole graph: show,
search, neighbours, path, timeline, stats, controllers, owners, explain and controlled, on the
bundled data and on a synthetic dataset, at several dates."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import pytest

from ecosystem import graph as graphs
from ecosystem import query
from ecosystem.control import analyse
from ecosystem.errors import QueryError
from ecosystem.index import open_index, queries
from ecosystem.loader import load

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import write_dataset  # noqa: E402

DATES = (None, "2005-06", "2014-09-19", "2020-11-01")


@pytest.fixture(scope="module", params=["bundled", "synthetic", "handover"])
def case(request, tmp_path_factory):
    """(index, whole graph, entity ids to ask about) for each dataset; "handover": a stake passed to a
    holder that a question about the old holder does not read (``supersedes`` names the old record)."""
    if request.param == "bundled":
        folder = ROOT / "data"
    elif request.param == "handover":
        folder = _handover_folder(tmp_path_factory)
    else:
        folder = tmp_path_factory.mktemp("synthetic")
        write_dataset(folder, 400, fmt="jsonl", seed=5)
    cache = tmp_path_factory.mktemp("index")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ECOSYSTEM_CACHE_DIR", str(cache))
        index = open_index(folder)
    whole = graphs.build_graph(load(folder, use_cache=False))
    ids = list(whole.nodes)
    if len(ids) > 80:
        ids = random.Random(7).sample(ids, 80)
    return index, whole, ids


def _at(whole, when):
    when = when or whole.graph["latest_date"]
    return graphs.snapshot(whole, when) if when else whole


def _whole_or_error(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except QueryError as error:
        return ("error", str(error))


def _indexed_or_error(function, *args, **kwargs):
    try:
        found = function(*args, **kwargs)
    except QueryError as error:
        return ("error", str(error))
    return "whole graph" if found is None else found[0]


def _handover_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("handover")
    for part in ("valid", "handover"):
        for file in (ROOT / "tests" / "fixtures" / part).glob("*.yaml"):
            shutil.copy(file, folder / file.name)
    return folder


def test_a_stake_passed_to_another_holder_ends_for_the_old_holder_alone(tmp_path_factory, monkeypatch):
    """citizen_a's question reads citizen_a and the VIE, not the new holder: the record naming the old
    one must still end it (it showed citizen_a holding the VIE for ever)."""
    monkeypatch.setenv("ECOSYSTEM_CACHE_DIR", str(tmp_path_factory.mktemp("index")))
    index = open_index(_handover_folder(tmp_path_factory))
    for when, held in (("2017", ["citizen_a__owns__vie"]), ("2020-11-01", [])):
        assert [edge["id"] for edge in queries.show(index, "citizen_a", when)[0]["outgoing"]] == held
    [item] = [item for item in queries.timeline(index, "citizen_a") if item["kind"] == "relation superseded"]
    assert item["superseded_by"] == "nominee_takes_a_half" and item["date"] == "2018"


def test_statistics(case):
    index, whole, _ = case
    assert queries.statistics(index) == query.statistics(whole)  # kept when the index was written
    assert queries.aggregate_statistics(index.connection) == query.statistics(whole)


@pytest.mark.parametrize("when", DATES)
def test_show(case, when):
    index, whole, ids = case
    snapshot = _at(whole, when)
    for entity_id in ids:
        answer = _indexed_or_error(queries.show, index, entity_id, when)
        # an entity that did not exist then is answered too: its record, its existence, no relation
        assert answer == query.show(snapshot, entity_id, whole=whole), entity_id
        assert (answer["existence"] == "exists") == (entity_id in snapshot)
        assert _indexed_or_error(queries.show, index, entity_id, when, True) == query.show(whole, entity_id)


@pytest.mark.parametrize("when", DATES)
def test_neighbours(case, when):
    index, whole, ids = case
    snapshot = _at(whole, when)
    for entity_id in ids[:30]:
        for depth, direction, types in ((1, "both", None), (2, "both", None), (2, "out", None), (2, "in", ["owns"]),
                                        (3, "both", ["owns", "controls"])):
            answer = _indexed_or_error(queries.neighbours, index, entity_id, depth, types, direction, when)
            expected = query.neighbours(snapshot, entity_id, depth, types, direction, whole=whole)
            assert answer == expected, (entity_id, depth)


@pytest.mark.parametrize("when", DATES)
def test_paths(case, when):
    index, whole, ids = case
    snapshot = _at(whole, when)
    rng = random.Random(11)
    for _ in range(20):
        source, target = rng.sample(ids, 2)
        for directed, types in ((False, None), (True, None), (False, ["owns"])):
            answer = _indexed_or_error(queries.paths, index, source, target, types, 10, directed, when)
            expected = query.paths(snapshot, source, target, types, limit=10, directed=directed, whole=whole)
            assert answer == expected, (source, target, directed, types)


def test_timeline(case):
    index, whole, ids = case
    for entity_id in ids[:40]:
        for since, until in ((None, None), ("2000", "2015-06")):
            assert queries.timeline(index, entity_id, since, until) == query.timeline(whole, entity_id, since, until)


@pytest.mark.parametrize("text", ["ant", "蚂蚁", "阿里", "alibba", "jack ma", "yu'eobao", "zhi fu bao", "a",
                                  "platform economy", "Cloud", "云网络", "Zhang W", "qqqqzzzz"])
@pytest.mark.parametrize("small", [True, False])
def test_search(case, text, small, monkeypatch):
    """With few entities near misses are looked for among all of them, exactly as over the graph;
    above SMALL only among those sharing trigrams: every hit found is then found alike."""
    index, whole, _ = case
    if not small:
        monkeypatch.setattr(queries, "SMALL", 0)
    expected = query.search(whole, text, limit=None)
    found = queries.search(index, text, limit=None)
    if small:
        assert found == expected
    else:
        assert all(hit in expected for hit in found)
        assert [hit for hit in expected if hit["score"] >= 50] == [hit for hit in found if hit["score"] >= 50]
    for entity_type in ("company", "person"):
        typed = queries.search(index, text, limit=5, entity_type=entity_type)
        assert all(hit["type"] == entity_type for hit in typed)
        if small:
            assert typed == query.search(whole, text, limit=5, entity_type=entity_type)


def test_descriptions_are_searched_and_ranked_below_names(case):
    index, whole, _ = case
    described = next((data for _, data in whole.nodes(data=True) if len(data.get("description", "")) > 30), None)
    if described is None:
        pytest.skip("no description in this dataset")
    words = query.fold(described["description"]).split()
    text = " ".join(words[len(words) // 2: len(words) // 2 + 3])
    hits = queries.search(index, text, limit=None)
    assert any(hit["id"] == described["id"] and hit["matched"] in ("description", "note") or hit["id"] == described["id"]
               for hit in hits)
    scores = [(hit["matched"] in ("description", "note"), -hit["score"]) for hit in hits]
    assert scores == sorted(scores)  # every name match before every description match
    assert hits == query.search(whole, text, limit=None)


@pytest.mark.parametrize("when", DATES)
def test_control_of_one_entity(case, when):
    index, whole, ids = case
    analysis = analyse(whole, when)  # the analysis takes its own snapshot
    for entity_id in ids[:50]:
        local = queries.control_analysis(index, entity_id, when)
        assert local.controllers(entity_id) == analysis.controllers(entity_id), entity_id
        assert local.economic_interest(entity_id) == analysis.economic_interest(entity_id), entity_id
        assert local.legal_owners(entity_id) == analysis.legal_owners(entity_id), entity_id
        below = queries.control_analysis(index, entity_id, when, below=True)
        assert below.controlled_by(entity_id) == analysis.controlled_by(entity_id), entity_id
        assert below.verdict(entity_id) == analysis.verdict(entity_id), entity_id
    rng = random.Random(3)
    for _ in range(15):
        controller, entity_id = rng.sample(ids, 2)
        local = queries.control_analysis(index, entity_id, when, also=(controller,))
        assert _whole_or_error(local.explain, controller, entity_id) == \
            _whole_or_error(analysis.explain, controller, entity_id), (controller, entity_id)


def test_pinyin_reads_as_pypinyin_does(case):
    """Pinyin kept per word gives what pypinyin.lazy_pinyin gives for the whole name."""
    from pypinyin import lazy_pinyin

    _, whole, _ = case
    names = [name for _, data in whole.nodes(data=True) for language, name in data.get("names", {}).items()
             if language.startswith("zh")]
    assert names
    for name in names + ["银行", "重庆银行", "Ant 蚂蚁 Group 2", "行长"]:
        expected = " ".join(part.strip() for part in lazy_pinyin(name) if part.strip())
        assert query.pinyin(name) == expected, name
    # text mixing characters with and without a reading, spaces, digits, punctuation, rare CJK blocks
    rng = random.Random(11)
    alphabet = "蚂蚁集团阿里巴巴银行长重庆乐 a1,，（）-·〇\u3400\U00020000ÉéＡ\n\t"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        expected = " ".join(part.strip() for part in lazy_pinyin(text) if part.strip())
        assert query.pinyin(text) == expected, text


def test_a_bounded_walk_stops_past_its_limit(case):
    """The upward walk with a limit (the benchmark's choice of an entity) stops once it has more than
    the limit, and within the limit finds what the whole walk finds."""
    index, whole, ids = case
    when = whole.graph["latest_date"]
    sizes = {entity_id: index._walk([entity_id], when, "up") for entity_id in ids}
    assert max(len(found) for found in sizes.values()) > 3  # some entity has several above it
    for entity_id, found in sizes.items():
        bounded = index._walk([entity_id], when, "up", limit=3)
        assert bounded <= found
        assert bounded == found if len(found) <= 3 else len(bounded) > 3
