"""A force-layout page: a view that Graphviz does not lay out (``ecosystem render --focus ID``, or
``layout: force`` with no ``engine`` and no ``group_by``), so vis-network places and draws it.

What is drawn is read from vis-network's own data (the items it is given, hidden or not, and their
labels), not only from the page API, and driven through real clicks: the legend hides and shows
entity types and relation categories, the language toggle switches the names, the date slider
draws what the view holds at each date.
"""

from __future__ import annotations

import pytest

from conftest import BUNDLED
from test_browser_figures import Page, browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser
DRAWN_NODES = "ecosystem.nodes.get({filter: n => !n.hidden}).map(n => n.id).sort()"
DRAWN_EDGES = "ecosystem.edges.get({filter: e => !e.hidden}).map(e => e.id).sort()"


@pytest.fixture(scope="module")
def force_page(tmp_path_factory):
    from ecosystem.graph import load_graph
    from ecosystem.render import render_view
    from ecosystem.render.html import uses_graphviz
    from ecosystem.views import adhoc_view

    graph = load_graph(BUNDLED, use_cache=False)
    view = adhoc_view(graph, "ant_group", depth=1)
    assert not uses_graphviz(view)
    return graph, view, render_view(graph, view, tmp_path_factory.mktemp("force") / "focus-ant_group.html")


def _open(browser, path):  # noqa: F811
    page = Page(browser, path)
    assert page.evaluate("ecosystem.data.graphviz") is None  # vis-network's own layout
    assert page.evaluate("ecosystem.network.physics.physicsEnabled") is False  # settled, then stopped
    return page


def test_what_is_drawn_follows_the_date(browser, force_page):  # noqa: F811
    from ecosystem.views import build_view

    graph, view, path = force_page
    page = _open(browser, path)
    try:
        expected = build_view(graph, view)
        assert page.evaluate(DRAWN_NODES) == sorted(expected.graph)
        assert page.evaluate(DRAWN_EDGES) == sorted(key for _, _, key in expected.graph.edges(keys=True))
        dates = page.evaluate("ecosystem.dates()")
        assert len(dates) >= 5
        seen = set()
        for day in (dates[0], dates[len(dates) // 2], "2020-11-03", dates[-1]):
            page.evaluate("(d) => ecosystem.setDate(d)", day)
            at = build_view(graph, view, day).graph
            drawn = page.evaluate(DRAWN_NODES)
            assert drawn == sorted(at), day
            assert page.evaluate(DRAWN_EDGES) == sorted(key for _, _, key in at.edges(keys=True)), day
            seen.add(tuple(drawn))
        assert len(seen) >= 2  # the slider changes what is drawn
        assert page.errors == [] and page.requests == []
    finally:
        page.close()


def test_stepping_the_slider_one_date_at_a_time_draws_each_date(browser, force_page):  # noqa: F811
    """A step to the next or previous date updates only what begins or ends there (per-date deltas):
    what vis-network draws must still be the view at every date, forwards, backwards and after a jump."""
    from ecosystem.views import build_view

    graph, view, path = force_page
    page = _open(browser, path)
    try:
        dates = page.evaluate("ecosystem.dates()")
        order = list(range(len(dates))) + list(range(len(dates) - 2, -1, -1)) + [len(dates) // 2, len(dates) // 2 + 1]
        expected = {}
        for index in order:
            page.evaluate("""(i) => { const slider = document.getElementById('date');
                                       slider.value = String(i); slider.dispatchEvent(new Event('input')); }""", index)
            if index not in expected:
                at = build_view(graph, view, dates[index]).graph
                expected[index] = (sorted(at), sorted(key for _, _, key in at.edges(keys=True)))
            assert page.evaluate(DRAWN_NODES) == expected[index][0], dates[index]
            assert page.evaluate(DRAWN_EDGES) == expected[index][1], dates[index]
        assert len({tuple(nodes) for nodes, _ in expected.values()}) >= 3 and page.errors == []
    finally:
        page.close()


def test_legend_clicks_hide_and_show_on_a_force_page(browser, force_page):  # noqa: F811
    graph, _, path = force_page
    page = _open(browser, path)
    try:
        everyone, every_edge = page.evaluate(DRAWN_NODES), page.evaluate(DRAWN_EDGES)
        people = [node for node in everyone if graph.nodes[node]["type"] == "person"]
        assert people
        button = page.page.locator("#legend button[data-kind=type][data-id=person]")
        button.click()
        assert button.get_attribute("aria-pressed") == "false"
        drawn = page.evaluate(DRAWN_NODES)
        assert drawn == sorted(set(everyone) - set(people))
        assert page.evaluate("ecosystem.visibleNodes().sort()") == drawn
        names = {graph.nodes[node]["name"] for node in people}
        assert not names & {label["text"] for label in page.evaluate("ecosystem.labels()")}
        edges = page.evaluate(DRAWN_EDGES)  # their relations go with them
        assert edges and all(page.evaluate("(id) => ecosystem.edges.get(id).from", key) not in people
                             and page.evaluate("(id) => ecosystem.edges.get(id).to", key) not in people
                             for key in edges)
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        assert page.evaluate(DRAWN_NODES) == everyone and page.evaluate(DRAWN_EDGES) == every_edge
        # a relation category: its lines go, the entities stay
        owning = [key for key in every_edge if page.evaluate("(id) => ecosystem.data.edges.find(e => e.id === id).category",
                                                             key) == "ownership"]
        assert owning
        page.page.locator("#legend button[data-kind=category][data-id=ownership]").click()
        assert page.evaluate(DRAWN_EDGES) == sorted(set(every_edge) - set(owning))
        assert page.evaluate(DRAWN_NODES) == everyone
        assert page.evaluate("ecosystem.setCategoryVisible('Ownership', true)") is True
        assert page.evaluate(DRAWN_EDGES) == every_edge
        assert page.errors == []
    finally:
        page.close()


def test_language_toggle_on_a_force_page(browser, force_page):  # noqa: F811
    graph, _, path = force_page
    page = _open(browser, path)
    try:
        drawn_label = lambda node: page.evaluate("(id) => ecosystem.nodes.get(id).label", node)  # noqa: E731
        texts = lambda: {label["text"] for label in page.evaluate("ecosystem.labels()")}  # noqa: E731
        without = next(node for node in page.evaluate(DRAWN_NODES) if not (graph.nodes[node].get("names") or {}).get("zh"))
        english = drawn_label(without)
        assert drawn_label("ant_group") == "Ant Group" and "Ant Group" in texts()
        page.page.click("#lang")
        assert page.evaluate("ecosystem.language()") == "zh"
        assert page.page.inner_text("#lang") == "EN"
        assert page.evaluate("document.documentElement.lang") == "zh-Hans"
        assert drawn_label("ant_group") == "蚂蚁集团" and "蚂蚁集团" in texts()
        assert drawn_label("alibaba_group_holding").startswith("阿里巴巴")
        assert drawn_label(without) == english  # no Chinese name in the data: the English one
        page.page.click("#lang")
        assert page.evaluate("ecosystem.language()") == "en"
        assert drawn_label("ant_group") == "Ant Group" and not any("蚂蚁集团" in text for text in texts())
        page.evaluate("ecosystem.setLanguage('zh')")
        assert drawn_label("ant_group") == "蚂蚁集团"
        assert page.errors == []
    finally:
        page.close()


def test_relation_labels_vis_network_draws_are_chinese_in_chinese_mode(browser, force_page, tmp_path):  # noqa: F811
    """A page drawn without the Graphviz picture (vis-network draws the lines and their labels):
    in 中文 the labels are the vocabulary's Chinese words, and English again after."""
    from ecosystem.render.html import to_html
    from ecosystem.render.timeline import view_timeline

    graph = force_page[0]
    view_graph, time = view_timeline(graph, "ant-control")
    path = tmp_path / "ant-control-vis.html"
    path.write_text(to_html(view_graph, layout=None, time=time), encoding="utf-8")
    page = Page(browser, path)
    try:
        assert page.evaluate("ecosystem.data.graphviz") is None
        translated = page.evaluate("ecosystem.data.edges.filter(e => e.zhLabel && !ecosystem.edges.get(e.id).hidden)"
                                   ".map(e => [e.id, e.shareLabel, e.zhLabel])")
        assert translated
        for edge, english, _ in translated:
            assert page.evaluate("(id) => ecosystem.edges.get(id).label", edge) == english
        page.page.click("#lang")
        vocabulary = graph.graph["vocabulary"]
        # the vocabulary's words, and those of render.style: votes, the VIE bundle, a look-through (indirect) share
        words = {definition.label_zh for definition in vocabulary.relation_types.values()} | {"表决权", "VIE协议", "间接"}
        for edge, english, chinese in translated:
            assert page.evaluate("(id) => ecosystem.edges.get(id).label", edge) == chinese != english
            assert any(word in chinese for word in words) and not any(c.isalpha() and c.isascii() for c in
                                                                        chinese.replace("VIE", "")), chinese
        page.page.click("#lang")
        for edge, english, _ in translated:
            assert page.evaluate("(id) => ecosystem.edges.get(id).label", edge) == english
        assert page.errors == []
    finally:
        page.close()
