"""The date slider: relations appear and end, the control verdicts follow the date (precomputed by
the control engine), the URL fragment keeps the date; through the page API and the real slider."""

from __future__ import annotations

import pytest

from conftest import BUNDLED
from test_browser_figures import Page, browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def ant_page(tmp_path_factory):
    from ecosystem.graph import load_graph
    from ecosystem.render import render_view

    graph = load_graph(BUNDLED, use_cache=False)
    return graph, render_view(graph, "ant-control", tmp_path_factory.mktemp("time") / "ant-control.html")


def test_slider_changes_what_is_drawn_and_the_ant_verdict(browser, ant_page):  # noqa: F811
    from ecosystem.control import analyse
    from ecosystem.graph import snapshot

    graph, path = ant_page
    page = Page(browser, path)
    try:
        assert page.evaluate("ecosystem.date()") == "2020-11-01"  # the view's own date first
        expected = {day: analyse(snapshot(graph, day), day).verdict("ant_group") for day in ("2020-11-03", "2023-06-30")}
        assert expected["2020-11-03"] != expected["2023-06-30"]  # the restructuring changed it
        for day, verdict in expected.items():
            assert page.evaluate("(d) => ecosystem.setDate(d)", day) == day
            assert page.evaluate("ecosystem.verdict('ant_group')") == verdict
            assert verdict in page.page.inner_text("#verdict")
            assert day in page.page.inner_text("#title")
        assert page.page.evaluate("location.hash") == "#date=2023-06-30"
        # relations appear and end: early on, Ant's later shareholders are not drawn
        page.evaluate("ecosystem.setDate('2015-01-01')")
        early = set(page.evaluate("ecosystem.visibleNodes()"))
        page.evaluate("ecosystem.setDate('2020-11-03')")
        late = set(page.evaluate("ecosystem.visibleNodes()"))
        assert early != late and "hangzhou_junhan" in late
        texts = {label["text"] for label in page.evaluate("ecosystem.labels()")}
        page.evaluate("ecosystem.setDate('2015-01-01')")
        assert texts != {label["text"] for label in page.evaluate("ecosystem.labels()")}
    finally:
        page.close()


def test_the_real_slider_and_play(browser, ant_page):  # noqa: F811
    _, path = ant_page
    page = Page(browser, path)
    try:
        dates = page.evaluate("ecosystem.dates()")
        assert len(dates) >= 5 and dates == sorted(dates)
        slider = page.page.locator("#date")
        assert slider.is_visible()
        slider.focus()
        page.page.keyboard.press("End")
        assert page.evaluate("ecosystem.date()") == dates[-1]
        page.page.keyboard.press("Home")
        assert page.evaluate("ecosystem.date()") == dates[0]
        page.page.click("#play")
        page.page.wait_for_function("(first) => ecosystem.date() !== first", arg=dates[0], timeout=5000)
        page.page.click("#play")  # pause
        assert page.page.inner_text("#play") == "▶"
    finally:
        page.close()


def test_url_fragment_opens_at_a_date(browser, ant_page):  # noqa: F811
    _, path = ant_page
    page = Page(browser, path.with_name(path.name))
    try:
        page.page.goto(path.as_uri() + "#date=2023-06-30")
        page.page.reload()
        page.page.wait_for_selector("body[data-layout=done]", state="attached")
        assert page.evaluate("ecosystem.date()") == "2023-06-30"
        assert page.page.locator("#date-label").inner_text() == "2023-06-30"
    finally:
        page.close()


@pytest.mark.parametrize("view", ["vie-pattern", "vie-structure"])
def test_a_box_is_drawn_only_while_it_holds_an_entity(browser, ant_page, tmp_path, view):  # noqa: F811
    """A jurisdiction's box is drawn at a date when the view puts an entity of that date in it."""
    from ecosystem.render import render_view
    from ecosystem.views import build_view

    graph, _ = ant_page
    page = Page(browser, render_view(graph, view, tmp_path / f"{view}.html"))
    try:
        boxes = set(page.evaluate("ecosystem.data.graphviz.clusters.map(c => c.label)"))
        drawn_any = set()
        for day in page.evaluate("ecosystem.dates()"):
            page.evaluate("(d) => ecosystem.setDate(d)", day)
            at = build_view(graph, view, day)
            expected = {at.group_labels[group] for group in at.groups.values()} & boxes
            drawn = {label["text"] for label in page.evaluate("ecosystem._internal.canvasLabels()")
                     if label["id"].startswith("cluster:")} & boxes
            jurisdictions = drawn - {text for text in boxes if text.startswith(("Offshore", "Onshore"))}
            assert jurisdictions == expected, day
            drawn_any |= drawn
        assert "Hong Kong" in drawn_any  # drawn at some dates, not at others
    finally:
        page.close()


def test_hovering_an_entity_tells_its_verdict_at_the_date_shown(browser, ant_page):  # noqa: F811
    from ecosystem.control import analyse
    from ecosystem.graph import snapshot

    graph, path = ant_page
    page = Page(browser, path)
    try:
        for day in ("2020-11-03", "2023-06-30"):
            verdict = analyse(snapshot(graph, day), day).verdict("ant_group")
            page.evaluate("(d) => ecosystem.setDate(d)", day)
            page.page.mouse.move(2, 2)
            page.page.wait_for_timeout(50)
            x, y = page.evaluate("""() => {
                const p = ecosystem.network.canvasToDOM(ecosystem.network.getPosition('ant_group'));
                const box = document.getElementById('network').getBoundingClientRect();
                return [p.x + box.left, p.y + box.top];
            }""")
            page.page.mouse.move(x, y, steps=4)
            tooltip = page.page.locator("#tooltip")
            tooltip.wait_for(state="visible", timeout=5000)
            lines = [line for line in tooltip.inner_text().splitlines() if line.startswith("control")]
            assert lines == [f"control on {day}: {verdict}"], lines  # one verdict, the date's
    finally:
        page.close()
