"""The HTML figure without a browser: self-contained, escaped, deterministic, faithful to the view."""

from __future__ import annotations

import copy
import json
import os
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

from conftest import FIXTURES
from ecosystem.render import render_view
from ecosystem.render.html import embed_json
from ecosystem.views import build_view

RENDER = FIXTURES / "render"


@pytest.fixture(scope="module")
def render_graph():
    from ecosystem.graph import load_graph

    return load_graph(RENDER, use_cache=False)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in = [], {}, None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in = dict(attrs).get("id", "code")

    def handle_data(self, data):
        if self._in:
            self.scripts[self._in] = self.scripts.get(self._in, "") + data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None


def _parse(text):
    parser = _Tags()
    parser.feed(text)
    return parser


def test_self_contained(render_graph, tmp_path):
    text = render_view(render_graph, "ecosystem", tmp_path / "e.html").read_text(encoding="utf-8")
    parsed = _parse(text)
    for tag, attributes in parsed.tags:
        assert "src" not in attributes and tag not in ("link", "iframe", "img"), (tag, attributes)
        assert not (tag == "a" and "href" in attributes)
    assert "vis.Network" in text and "sourceMappingURL" not in text
    csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "connect-src" not in csp.replace("default-src 'none'", "")


def test_data_matches_the_view(render_graph, tmp_path):
    text = render_view(render_graph, "vie-structure", tmp_path / "v.html").read_text(encoding="utf-8")
    data = json.loads(_parse(text).scripts["view-data"])
    expected = build_view(render_graph, "vie-structure").graph
    assert sorted(n["id"] for n in data["nodes"]) == sorted(expected)
    assert sorted(e["id"] for e in data["edges"]) == sorted(k for _, _, k in expected.edges(keys=True))
    vocabulary = render_graph.graph["vocabulary"]
    holdco = next(n for n in data["nodes"] if n["id"] == "holdco")
    company = data["options"]["groups"][holdco["group"]]
    assert company["color"]["background"] == vocabulary.entity_types["company"].color
    assert company["shape"] == vocabulary.entity_types["company"].shape
    assert set(data["options"]["groups"]) == {"company", "person", "unknown_party"}
    contract = next(e for e in data["edges"] if e["from"] == "wfoe" and e["to"] == "vie")
    lines = data["edgeStyles"][contract["category"]]
    assert lines["color"] == vocabulary.categories["control"].color and lines["dashes"]
    assert {e.get("shareLabel") for e in data["edges"]} >= {"~25%", "50-65%", "5% / 30% votes"}
    assert "filing p 92 — Example annual report" in next(n for n in data["nodes"] if n["id"] == "wfoe")["tip"]
    assert "via voting proxy, exclusive option, exclusive services" in contract["tip"]
    assert [t["id"] for t in data["legend"]["types"]] == ["company", "person", "unknown_party"]
    assert data["options"]["physics"] == {"enabled": False}
    # hierarchical views take Graphviz positions when dot is installed, else levels for vis
    assert all(("x" in n and "y" in n) or "level" in n for n in data["nodes"])


def test_title_shown_once(render_graph, tmp_path):
    text = render_view(render_graph, "vie-structure", tmp_path / "v.html").read_text(encoding="utf-8")
    body = re.sub(r"<script.*?</script>", "", text[text.index("<body"):], flags=re.S)
    assert body.count("VIE structure (test)") == 1
    assert "<title>VIE structure (test) (as of 2023-01)</title>" in text


def test_injection_is_escaped_everywhere(render_graph, tmp_path):
    text = render_view(render_graph, "vie-structure", tmp_path / "v.html").read_text(encoding="utf-8")
    assert "<img src=x" not in text
    assert text.count("</script>") == 3  # the three script elements, nothing from the data
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in text


def test_embed_json_escapes_what_could_end_the_script():
    text = embed_json({"a": "</script><!-- & \u2028 \u2029"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028 \u2029"}


def test_placeholders_in_data_are_not_expanded(render_graph, tmp_path):
    graph = copy.deepcopy(render_graph)
    graph.nodes["holdco"]["name"] = "{{VIS_JS}} {{TITLE}}"
    text = render_view(graph, "vie-structure", tmp_path / "v.html").read_text(encoding="utf-8")
    assert text.count("vis.Network=") <= 1 and "{{VIS_JS}} {{TITLE}}" in text


def test_same_data_same_bytes(render_graph, tmp_path):
    for view in ("vie-structure", "ecosystem"):
        first = render_view(render_graph, view, tmp_path / "a.html").read_bytes()
        second = render_view(copy.deepcopy(render_graph), view, tmp_path / "b.html").read_bytes()
        assert first == second


def test_leaves_exactly_the_file_and_changes_nothing(render_graph, tmp_path, monkeypatch):
    before = copy.deepcopy(render_graph)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "figure.html"
    target.write_text("old")
    render_view(render_graph, "ecosystem", target)
    assert [p.name for p in tmp_path.iterdir()] == ["out"] and [p.name for p in out.iterdir()] == ["figure.html"]
    assert os.getcwd() == str(tmp_path)
    assert nx.utils.graphs_equal(before, render_graph)
    assert all(before.nodes[n] == render_graph.nodes[n] for n in before)
    assert all(before.edges[e] == render_graph.edges[e] for e in before.edges(keys=True))


def test_vis_hierarchical_fallback_without_graphviz(render_graph, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    text = render_view(render_graph, "vie-structure", tmp_path / "v.html").read_text(encoding="utf-8")
    data = json.loads(_parse(text).scripts["view-data"])
    assert data["graphviz"] is None and all("level" in n and "x" not in n for n in data["nodes"])


def test_large_views_use_cheap_settings(render_graph):
    from ecosystem.render.html import options

    view_graph = build_view(render_graph, "ecosystem")
    small, large = options(view_graph, 40), options(view_graph, 1500)
    assert large["edges"]["smooth"] is False and large["layout"]["improvedLayout"] is False
    assert large["physics"]["stabilization"]["iterations"] < small["physics"]["stabilization"]["iterations"]
    assert small["layout"]["randomSeed"] == large["layout"]["randomSeed"]
    assert re.fullmatch(r"\d+", str(small["layout"]["randomSeed"]))


def test_runs_of_dates_and_of_verdicts():
    from ecosystem.render.timeline import _runs, value_runs

    assert _runs([5, 0, 1, 2, 6]) == [[0, 2], [5, 6]] and _runs([]) == []
    assert value_runs(["a", "a", None, "b", "b", "a"]) == [[0, 1, "a"], [3, 4, "b"], [5, 5, "a"]]
    assert value_runs([None, None]) == []
