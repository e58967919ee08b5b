"""Static figures through Graphviz: DOT text, SVG/PNG/PDF, determinism, atomic writes."""

from __future__ import annotations

import copy
import os
import statistics
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from conftest import FIXTURES, need_binary
from ecosystem.errors import ExportError
from ecosystem.render import render_view

RENDER = FIXTURES / "render"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def render_graph():
    from ecosystem.graph import load_graph

    return load_graph(RENDER, use_cache=False)


@pytest.fixture
def dot():
    return need_binary("dot", "apt-get install graphviz")


def test_dot_source_has_clusters_legend_and_styles(render_graph, tmp_path):
    path = render_view(render_graph, "vie-structure", tmp_path / "v.dot")
    text = path.read_text(encoding="utf-8")
    assert text.count("subgraph cluster_") == 4  # Cayman, Hong Kong, PRC, and the offshore box around two
    assert 'label="Cayman Islands"' in text
    # the offshore / onshore divider: the offshore boxes in one, above every onshore entity
    assert "subgraph cluster_offshore" in text and "Onshore: " in text and '"__divider" ->' in text
    assert "Legend [" in text and "Ownership (solid)" in text and "Control (dashed)" in text
    vocabulary = render_graph.graph["vocabulary"]
    assert vocabulary.categories["control"].color in text and 'style="dashed"' in text
    assert vocabulary.entity_types["person"].color in text
    assert "<TD>~25%</TD>" in text and "<TD>5% / 30% votes</TD>" in text
    # holders above holdings: hierarchy edges set minlen, others do not constrain
    assert '"hk_sub" -> "wfoe"' in text and "minlen=" in text


def test_dot_escapes_quotes_and_backslashes(render_graph, tmp_path):
    graph = copy.deepcopy(render_graph)
    graph.nodes["investor"]["name"] = 'A "quoted" \\N name'
    graph.nodes["holdco"]["name"] = 'A <b>"tagged"</b> & \\N name'  # a role tag: an HTML-like label
    text = render_view(graph, "vie-structure", tmp_path / "v.dot").read_text()
    assert 'label="A \\"quoted\\" \\\\N name"' in text
    assert "A &lt;b&gt;&quot;tagged&quot;&lt;/b&gt; &amp; \\N<BR/>name<BR/>" in text


def _node_texts(svg_path) -> dict[str, str]:
    root = ET.parse(svg_path).getroot()
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            texts = [t.text or "" for t in group.iter(f"{SVG}text")]
            found[group.get("id")] = " ".join(texts)
    return found


@pytest.mark.parametrize("view", ["vie-structure", "ecosystem", "everything"])
def test_svg_parses_and_holds_every_node_label(render_graph, tmp_path, dot, view):
    path = render_view(render_graph, view, tmp_path / f"{view}.svg")
    from ecosystem.views import build_view

    view_graph = build_view(render_graph, view)
    expected = view_graph.graph
    texts = _node_texts(path)
    for node, data in expected.nodes(data=True):
        tag = " · ".join(view_graph.roles.get(node, []))
        assert texts.get(node) == " ".join(data["name"].split()) + (f" {tag}" if tag else ""), node
    assert "Legend" in texts and texts["Legend"].startswith("Legend")  # ids are lower case: no clash


def test_svg_keeps_the_injection_as_text(render_graph, tmp_path, dot):
    path = render_view(render_graph, "vie-structure", tmp_path / "v.svg")
    raw = path.read_text(encoding="utf-8")
    assert "<img" not in raw and "&lt;img src=x" in raw
    ET.parse(path)


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf", ".dot"])
def test_same_data_same_bytes(render_graph, tmp_path, dot, suffix):
    first = render_view(render_graph, "vie-structure", tmp_path / f"a{suffix}").read_bytes()
    second = render_view(copy.deepcopy(render_graph), "vie-structure", tmp_path / f"b{suffix}").read_bytes()
    assert first == second and len(first) > 1000


def test_png_fits_a_1920_by_1080_screen(render_graph, tmp_path, dot):
    data = render_view(render_graph, "everything", tmp_path / "e.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width <= 1920 and height <= 1080 and max(width, height) >= 800


def test_pdf_is_a4(render_graph, tmp_path, dot):
    data = render_view(render_graph, "vie-structure", tmp_path / "v.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    import re

    box = re.search(rb"/MediaBox \[ *0 0 ([\d.]+) ([\d.]+) *\]", data)
    assert box and float(box.group(1)) <= 842 and float(box.group(2)) <= 842


def test_leaves_exactly_the_file_and_changes_nothing(render_graph, tmp_path, dot, monkeypatch):
    before = copy.deepcopy(render_graph)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    out = tmp_path / "out"
    out.mkdir()
    for suffix in (".svg", ".png", ".pdf", ".dot"):
        render_view(render_graph, "vie-structure", out / f"figure{suffix}")
    assert sorted(p.name for p in out.iterdir()) == ["figure.dot", "figure.pdf", "figure.png", "figure.svg"]
    assert os.getcwd() == str(elsewhere) and list(elsewhere.iterdir()) == []
    assert nx.utils.graphs_equal(before, render_graph)
    assert all(before.nodes[n] == render_graph.nodes[n] for n in before)
    assert oct((out / "figure.svg").stat().st_mode & 0o777) != oct(0o600)


def test_missing_graphviz_is_a_clear_error_and_keeps_the_old_file(render_graph, tmp_path, monkeypatch):
    target = tmp_path / "figure.svg"
    target.write_text("old")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(ExportError, match="apt-get install graphviz"):
        render_view(render_graph, "vie-structure", target)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["figure.svg"]


def test_graphviz_failure_leaves_no_temporary_file(render_graph, tmp_path, dot, monkeypatch):
    from ecosystem.render import static

    monkeypatch.setattr(static, "to_dot", lambda view_graph, **options: "digraph { this is not dot")
    with pytest.raises(ExportError, match="Graphviz failed"):
        render_view(render_graph, "vie-structure", tmp_path / "figure.svg")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# layout engines, bands, readable labels, the bundled figures


def _view(render_graph, name, **settings):
    from ecosystem.views import View, named_views

    base = named_views(render_graph)[name]
    return View(**{**base.model_dump(), **settings})


def _dot_text(graph, view, tmp_path) -> str:
    return render_view(graph, view, tmp_path / "figure.dot").read_text(encoding="utf-8")


def test_engine_is_named_in_the_dot_source(render_graph, tmp_path):
    assert 'layout="dot";' in _dot_text(render_graph, "vie-structure", tmp_path)
    text = _dot_text(render_graph, _view(render_graph, "ecosystem", engine="neato"), tmp_path)
    assert 'layout="neato";' in text and 'start="7";' in text and 'overlap="prism";' in text
    assert "minlen=" not in text and 'rank="' not in text  # dot-only hints left out


def test_bands_put_top_types_on_top_and_bottom_types_below(render_graph, tmp_path):
    view = _view(render_graph, "ecosystem", engine="dot", top_types=["state_body"], bottom_types=["user_group"],
                 bottom_rows=2)
    text = _dot_text(render_graph, view, tmp_path)
    assert '{ rank="min"; "regulator"; }' in text
    assert '{ rank="max"; "merchants"; }' in text and '{ rank="same"; "consumers"; }' in text
    # a user group's edges are drawn downwards, the arrowhead kept where the relation points
    assert '"pay" -> "consumers"' in text


def test_the_same_pair_in_the_same_category_is_one_line(render_graph, tmp_path):
    graph = copy.deepcopy(render_graph)
    graph.add_edge("consumers", "pay", key="consumers_use_pay", type="uses", category="market", sources=[])
    text = _dot_text(graph, "ecosystem", tmp_path)
    lines = [line for line in text.splitlines() if '"pay" -> "consumers"' in line or '"consumers" -> "pay"' in line]
    assert len(lines) == 1 and 'dir="both"' in lines[0] and "consumers_use_pay" in lines[0]


def test_contract_bundle_names_its_contracts(render_graph, tmp_path):
    text = _dot_text(render_graph, "vie-structure", tmp_path)
    assert 'label="VIE contracts: proxy, option,\\nservices"' in text or "VIE contracts: proxy" in text
    assert "proxy = voting proxy" in text  # the legend says what the short names stand for


def _font_sizes(svg_path) -> list[float]:
    root = ET.parse(svg_path).getroot()
    return [float(text.get("font-size")) for text in root.iter(f"{SVG}text") if text.get("font-size")]


def _png_size(path):
    data = path.read_bytes()
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("view", ["vie-structure", "vie-pattern", "ecosystem", "ant-control", "ant-control-2023",
                                  "regulators"])
def test_bundled_figures_are_readable_on_a_1920_by_1080_screen(bundled_graph, tmp_path, dot, view, language):
    """The labels, scaled as the PNG is to fit 1920x1080: none under 9 px, the median at least 10 px
    (the full VIE structure, offshore above onshore, is the tallest; its page zooms to 12 px and
    vie-pattern is the figure for the board); the PNG fills most of the screen in one direction."""
    svg = render_view(bundled_graph, view, tmp_path / f"{view}.svg", language=language)
    root = ET.parse(svg).getroot()
    width_pt = float(root.get("width").removesuffix("pt"))
    height_pt = float(root.get("height").removesuffix("pt"))
    scale = min(1.0, 20 * 72 / width_pt, 11.25 * 72 / height_pt)  # -Gsize=20,11.25 shrinks to fit
    sizes = [size * scale * 96 / 72 for size in _font_sizes(svg)]
    assert min(sizes) >= 9, f"{view}: smallest text {min(sizes):.1f} px at 1920x1080"
    assert statistics.median(sizes) >= 10, f"{view}: median text {statistics.median(sizes):.1f} px at 1920x1080"
    width, height = _png_size(render_view(bundled_graph, view, tmp_path / f"{view}.png", language=language))
    assert width <= 1920 and height <= 1080 and (width >= 1300 or height >= 800)


def test_bundled_vie_structure_draws_the_citizens_inside_the_prc_box(bundled_graph, tmp_path):
    # at the 2014 listing, when Jack Ma and Simon Xie were the VIEs' registered shareholders
    text = render_view(bundled_graph, "vie-structure", tmp_path / "v.dot", as_of="2014-09-19").read_text(encoding="utf-8")
    prc = text[text.index('label="Onshore: People\'s Republic of China"'):]
    prc = prc[:prc.index("\n  }")]
    assert '"jack_ma" [' in prc and '"simon_xie" [' in prc


def test_pdf_has_no_creation_time(render_graph, tmp_path, dot):
    data = render_view(render_graph, "vie-structure", tmp_path / "v.pdf").read_bytes()
    assert b"/CreationDate (D:19700101000000" in data


BUNDLED_VIEWS = ["vie-structure", "vie-pattern", "ecosystem", "ant-control", "ant-control-2023", "regulators"]


@pytest.fixture(scope="module")
def bundled_graph_for_layout():
    from conftest import BUNDLED
    from ecosystem.graph import load_graph

    return load_graph(BUNDLED, use_cache=False)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("view", BUNDLED_VIEWS)
def test_no_two_labels_overlap_in_the_graphviz_layout(bundled_graph_for_layout, view, language, dot):
    from ecosystem.render.layout import graphviz_layout, label_boxes, overlaps
    from ecosystem.views import build_view

    layout = graphviz_layout(build_view(bundled_graph_for_layout, view), language)
    boxes = label_boxes(layout)
    assert len(boxes) >= 10
    assert [(a["text"], b["text"]) for a, b in overlaps(boxes)] == []


def test_parallel_relations_are_one_line_with_one_label(bundled_graph_for_layout, dot):
    """SoftBank owns 13.9% of Alibaba (2023) and invested in it in 2000: two relations, one line, one label."""
    from ecosystem.render.layout import graphviz_layout
    from ecosystem.views import build_view

    view_graph = build_view(bundled_graph_for_layout, "vie-structure")
    assert view_graph.graph.number_of_edges("softbank", "alibaba_group_holding") >= 2
    layout = graphviz_layout(view_graph)
    lines = [line for line in layout["lines"] if {line["from"], line["to"]} == {"softbank", "alibaba_group_holding"}]
    assert len(lines) == 1
    texts = [row[4] for row in lines[0]["label"]["rows"]]
    assert any("13.9%" in text for text in texts)  # the holding's share; the 2000 investment carries none
    # every pair of entities has at most one line
    pairs = [frozenset((line["from"], line["to"])) for line in layout["lines"]]
    assert len(pairs) == len(set(pairs))


def test_chinese_static_figure(invoke, tmp_path, dot):
    """`--lang zh`: Chinese names (names.zh) and role tags in the SVG; English where no Chinese name."""
    result = invoke("render", "vie-structure", "--lang", "zh", "-o", tmp_path / "v.svg")
    assert result.exit_code == 0, result.output
    texts = " ".join(_node_texts(tmp_path / "v.svg").values())
    assert "阿里巴巴集团" in texts and "外商独资企业" in texts and "SoftBank" not in texts
    # the lines, the boxes and the legend too (a Chinese name split over rows of equal length)
    import xml.etree.ElementTree as ET

    every = [element.text for element in ET.parse(tmp_path / "v.svg").iter() if element.tag.endswith("text") and element.text]
    assert any(text.startswith("VIE协议：") for text in every) and not any("VIE contracts" in text for text in every)
    assert any(text.startswith("境内：") for text in every) and not any(text.startswith("Onshore") for text in every)
    assert "图例" in every and "Legend" not in every and "开曼群岛" in every
    assert "阿里巴巴集团" in every and "控股有限公司" in every
    assert invoke("render", "vie-structure", "--lang", "fr", "-o", tmp_path / "w.svg").exit_code == 2


def test_chinese_labels_come_from_the_vocabulary_and_wrap_at_their_breaks(bundled_graph):
    from ecosystem.control.rules import VERDICTS
    from ecosystem.render import style
    from ecosystem.render.static import wrap_zh

    vocabulary = bundled_graph.graph["vocabulary"]
    assert all(definition.label_zh for definition in vocabulary.relation_types.values())
    assert all(definition.label_zh for definition in vocabulary.entity_types.values())
    assert all(definition.label_zh for definition in vocabulary.categories.values())
    assert set(style.VERDICT_ZH) == set(VERDICTS)
    owns = {"type": "owns", "category": "ownership", "equity": 33, "votes": 50}
    assert style.edge_label(vocabulary, owns) == "33% / 50% votes"
    assert style.edge_label(vocabulary, owns, language="zh") == "33% / 表决权 50%"
    bundle = {"type": "controls_by_contract", "category": "control", "count": 5,
              "instruments": ["voting_proxy", "exclusive_call_option", "equity_pledge"]}
    assert style.edge_label(vocabulary, bundle) == "VIE contracts: proxy, option, pledge (×5)"
    assert style.edge_label(vocabulary, bundle, language="zh") == "VIE协议：表决权委托、购买权、股权质押 (×5)"
    fined = {"type": "fined", "category": "regulatory"}
    assert style.relation_phrase(vocabulary, fined, "zh") == vocabulary.relation_types["fined"].label_zh
    rows = wrap_zh("VIE协议：表决权委托、购买权、股权质押、独家服务、借款", 10).splitlines()
    assert "".join(rows) == "VIE协议：表决权委托、购买权、股权质押、独家服务、借款" and len(rows) >= 3
    assert all(row.endswith(("、", "：")) for row in rows[:-1])  # broken after the list's commas
    assert wrap_zh("持股 ~25%") == "持股 ~25%"


@pytest.mark.parametrize("language, text", [("en", "~10% indirect"), ("zh", "间接 ~10%")])
def test_a_look_through_interest_is_labelled_indirect(bundled_graph, tmp_path, language, text):
    """Jack Ma's ~10% of Ant (Reuters) is his interest through the partnerships, not a holding on Ant's
    register: the line in the ant-control figure must not read as a direct stake ("owns ~10%")."""
    path = render_view(bundled_graph, "ant-control", tmp_path / "ant.dot", language=language)
    assert text in path.read_text(encoding="utf-8")
