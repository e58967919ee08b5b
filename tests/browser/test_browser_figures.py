"""The HTML figures in a real browser: the system Chromium driven by Playwright, offline.

Every request that is not for the file itself is aborted and recorded; the page must make none,
log no console error, raise no page error, draw the view's nodes and edges, show a legend and
tooltips with citations, and keep owners above what they own in the VIE figure.
"""

from __future__ import annotations

import shutil

import networkx as nx
import pytest

from conftest import BUNDLED, FIXTURES, need, need_binary

pytestmark = pytest.mark.browser
RENDER = FIXTURES / "render"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    return need_binary("chromium", "apt-get install chromium")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        need(False, "the playwright Python package", "pip install playwright")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=executable, args=ARGS,
            headless=True, viewport={"width": 1400, "height": 900})
        yield context
        context.close()


class Page:
    """A page with every non-file request aborted and every problem recorded."""

    def __init__(self, context, path):
        self.page = context.new_page()
        self.requests, self.errors, self.console_errors, self.dialogs = [], [], [], []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: self.console_errors.append(message.text)
                     if message.type == "error" else None)
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("request", lambda request: None if request.url.startswith("file:")
                     else self.requests.append(request.url))
        self.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                        else route.abort())
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-layout=done]", state="attached", timeout=30000)

    def evaluate(self, script, argument=None):
        return self.page.evaluate(script, argument)

    def close(self):
        self.page.close()


def _render(graph, view, tmp_path):
    from ecosystem.render import render_view

    return render_view(graph, view, tmp_path / f"{view}.html")


@pytest.fixture(scope="module")
def render_graph():
    from ecosystem.graph import load_graph

    return load_graph(RENDER, use_cache=False)


@pytest.fixture(scope="module")
def bundled():
    from ecosystem.graph import load_graph

    return load_graph(BUNDLED, use_cache=False)


def _check_page(browser, graph, view, tmp_path):
    from ecosystem.views import build_view

    expected = build_view(graph, view).graph
    page = Page(browser, _render(graph, view, tmp_path))
    try:
        assert page.requests == [] and page.errors == [] and page.console_errors == [] and page.dialogs == []
        # at the view's date the page draws exactly the view (it holds the other dates for the slider)
        assert sorted(page.evaluate("ecosystem.visibleNodes()")) == sorted(expected)
        # and vis-network draws exactly those: an entity of another date is laid out but hidden
        assert sorted(page.evaluate("ecosystem.nodes.get({filter: n => !n.hidden}).map(n => n.id)")) == sorted(expected)
        shown = page.evaluate("ecosystem.data.edges.filter(e => ecosystem._internal.edgeActive(e)).map(e => e.id)")
        assert sorted(shown) == sorted(key for _, _, key in expected.edges(keys=True))
        assert page.evaluate("Object.keys(ecosystem.network.body.nodes).filter(id => ecosystem.nodes.get(id)).length") \
            == page.evaluate("ecosystem.data.nodes.length")
        if page.evaluate("ecosystem.data.graphviz !== null"):  # one line per pair of entities
            pairs = page.evaluate("new Set(ecosystem.data.edges.map(e => [e.from, e.to].sort().join(' '))).size")
            assert page.evaluate("ecosystem.data.graphviz.lines.length") == pairs
        drawn = page.evaluate("""() => {
            const canvas = document.querySelector('#network canvas');
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
            return painted;
        }""")
        assert drawn > 2000
        legend = page.page.locator("#legend")
        assert legend.is_visible() and "Entities" in legend.inner_text()
        vocabulary = graph.graph["vocabulary"]
        for type_id in {d["type"] for _, d in expected.nodes(data=True)}:
            assert vocabulary.entity_types[type_id].label in legend.inner_text()
        assert page.evaluate("ecosystem.network.physics.physicsEnabled") is False
        visible = page.evaluate("document.body.innerText")
        assert visible.count(build_view(graph, view).title) == 1
        _hover_shows_citation(page, expected, sorted(expected)[0])
    finally:
        page.close()
    return page


def _node_position(page, node):
    return page.evaluate("""(id) => {
        const p = ecosystem.network.canvasToDOM(ecosystem.network.getPosition(id));
        const box = document.getElementById('network').getBoundingClientRect();
        return [p.x + box.left, p.y + box.top];
    }""", node)


def _hover_shows_citation(page, graph, node):
    page.evaluate("(id) => ecosystem.network.focus(id, {scale: 1.2, animation: false})", node)
    x, y = _node_position(page, node)
    page.page.mouse.move(x - 40, y - 40)
    page.page.mouse.move(x, y, steps=4)
    tooltip = page.page.locator("#tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    citation = graph.nodes[node]["sources"][0]
    text = tooltip.inner_text()
    assert graph.nodes[node]["name"] in text and citation["source"] in text and citation.get("locator", "") in text


@pytest.mark.parametrize("view", ["vie-structure", "ecosystem", "everything"])
def test_fixture_views(browser, render_graph, tmp_path, view):
    _check_page(browser, render_graph, view, tmp_path)


@pytest.mark.parametrize("view", ["vie-structure", "ecosystem", "ant-control", "ant-control-2023", "regulators"])
def test_bundled_views(browser, bundled, tmp_path, view):
    _check_page(browser, bundled, view, tmp_path)


@pytest.mark.parametrize("graph_name", ["render_graph", "bundled"])
def test_owners_are_drawn_above_what_they_own(browser, tmp_path, request, graph_name):
    from ecosystem.views import build_view

    graph = request.getfixturevalue(graph_name)
    expected = build_view(graph, "vie-structure").graph
    page = Page(browser, _render(graph, "vie-structure", tmp_path))
    try:
        positions = page.evaluate("ecosystem.network.getPositions()")
        checked = 0
        for u, v, data in expected.edges(data=True):
            if data["category"] != "ownership" or nx.has_path(expected, v, u):
                continue  # a cross-holding cannot put each above the other
            assert positions[u]["y"] < positions[v]["y"], (u, v)
            checked += 1
        assert checked >= 5
    finally:
        page.close()


def test_injection_renders_as_text_and_runs_nothing(browser, render_graph, tmp_path):
    page = Page(browser, _render(render_graph, "vie-structure", tmp_path))
    try:
        assert page.evaluate("document.querySelectorAll('img, #network script').length") == 0
        _hover_shows_citation(page, render_graph, "xss")
        assert "<img src=x onerror=alert(1)>" in page.page.locator("#tooltip").inner_text()
        page.page.fill("#search", "alert(2)")
        results = page.page.locator("#results")
        assert "</script><script>alert(2)</script>" in results.inner_text()
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.dialogs == [] and page.errors == [] and page.requests == []
    finally:
        page.close()


def test_search_by_any_name_highlights_the_neighbourhood(browser, render_graph, tmp_path):
    page = Page(browser, _render(render_graph, "vie-structure", tmp_path))
    try:
        for query in ("浙江示例网络", "zhejiang example", "ZHEJIANG-EXAMPLE network"):
            assert page.evaluate("(q) => ecosystem.find(q)[0].id", query) == "vie"
        assert page.evaluate("ecosystem.find('Shili Konggu')[0].id") == "holdco"  # an alias
        page.page.fill("#search", "示例控股")
        page.page.press("#search", "Enter")
        assert page.evaluate("ecosystem.highlighted") == "holdco"
        near = page.evaluate("ecosystem.state.near")
        assert near.get("hk_sub") and near.get("investor") and near.get("holdco")
        assert not near.get("vie") and not near.get("citizen_a")
        assert "holdco" in page.evaluate("ecosystem.network.getSelectedNodes()")
        page.page.click("#clear")
        assert page.evaluate("ecosystem.state.highlight") is None
    finally:
        page.close()


def test_share_labels_toggle(browser, render_graph, tmp_path):
    page = Page(browser, _render(render_graph, "vie-structure", tmp_path))
    try:
        page.evaluate("ecosystem.network.moveTo({scale: 0.3})")  # everything on screen
        labels = lambda: {label["text"] for label in page.evaluate("ecosystem.labels()")}  # noqa: E731
        assert "~25%" in labels()
        page.page.uncheck("#shares")
        assert "~25%" not in labels() and not {"5% / 30% votes", "50-65%"} & labels()
        page.page.check("#shares")
        assert "~25%" in labels()
    finally:
        page.close()


def test_force_layout_settles_and_stops(browser, render_graph, tmp_path):
    page = Page(browser, _render(render_graph, "ecosystem", tmp_path))
    try:
        first = page.evaluate("ecosystem.network.getPositions()")
        page.page.wait_for_timeout(500)
        assert page.evaluate("ecosystem.network.getPositions()") == first
        assert page.evaluate("window.ecosystemLayoutDone") is True
    finally:
        page.close()


@pytest.mark.parametrize("view", ["vie-structure", "ecosystem", "regulators"])
def test_legend_covers_no_node(browser, bundled, tmp_path, view):
    page = Page(browser, _render(bundled, view, tmp_path))
    try:
        hidden = page.evaluate("""() => {
            const net = ecosystem.network, legend = document.getElementById('legend').getBoundingClientRect();
            const box = document.getElementById('network').getBoundingClientRect();
            return ecosystem.nodes.getIds().filter(id => {
                const b = net.getBoundingBox(id);
                const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
                return a.x + box.left < legend.right && z.x + box.left > legend.left
                    && a.y + box.top < legend.bottom && z.y + box.top > legend.top;
            });
        }""")
        fitted = page.evaluate("ecosystem.fitted")
        if not fitted["zoomed"]:  # zoomed in to be readable, the figure goes on under the legend
            assert hidden == []
        # and the drawing still uses most of the free area: not shrunk to a corner
        assert fitted and fitted["scale"] > 0.2
    finally:
        page.close()
