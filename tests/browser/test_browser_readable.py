"""The pages as a reader meets them, at 1366x768 and 1920x1080, through the page API and real
clicks and keys: labels big enough and never on top of each other, the legend filters, the
language toggle, presentation mode and search.

Screenshots of every bundled view at both sizes go to tests/artifacts/screenshots/ (not committed).
"""

from __future__ import annotations

import statistics

import pytest

from conftest import BUNDLED, ROOT
from test_browser_figures import Page, browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser
SIZES = [(1366, 768), (1920, 1080)]
VIEWS = ["vie-structure", "vie-pattern", "ecosystem", "ant-control", "ant-control-2023", "regulators"]
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def bundled():
    from ecosystem.graph import load_graph

    return load_graph(BUNDLED, use_cache=False)


@pytest.fixture(scope="module")
def pages(bundled, tmp_path_factory):
    from ecosystem.render import render_view

    folder = tmp_path_factory.mktemp("pages")
    return {view: render_view(bundled, view, folder / f"{view}.html") for view in VIEWS}


def _open(browser, path, size):  # noqa: F811
    page = Page(browser, path)
    page.page.set_viewport_size({"width": size[0], "height": size[1]})
    page.page.wait_for_timeout(150)
    page.evaluate("ecosystem.network.setSize('100%', '100%'); ecosystem.fit(); ecosystem.network.redraw()")
    return page


def _overlapping(labels):
    found = []
    for index, first in enumerate(labels):
        for second in labels[index + 1:]:
            if first["id"] == second["id"]:
                continue
            if (first["x"] < second["x"] + second["width"] - 0.5 and second["x"] < first["x"] + first["width"] - 0.5
                    and first["y"] < second["y"] + second["height"] - 0.5
                    and second["y"] < first["y"] + first["height"] - 0.5):
                found.append((first["text"], second["text"]))
    return found


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("view", VIEWS)
def test_labels_readable_and_apart(browser, pages, view, size):  # noqa: F811
    page = _open(browser, pages[view], size)
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.page.screenshot(path=str(SHOTS / f"{view}-{size[0]}x{size[1]}.png"))
        labels = page.evaluate("ecosystem.labels()")
        assert len(labels) >= 5
        heights = [label["height"] for label in labels]
        assert statistics.median(heights) >= 12 - 1e-6, (view, size, statistics.median(heights))
        assert min(heights) >= 9 - 1e-6
        assert _overlapping(labels) == []
        fitted = page.evaluate("ecosystem.fitted")
        if fitted["zoomed"]:
            # the whole view at this size would have labels under 12 px (median) or 9 px: opened at
            # the readable zoom, centred on its main entity (in the part of the screen the legend leaves)
            assert fitted["fits"] < fitted["readable"] - 1e-9 and fitted["scale"] == pytest.approx(fitted["readable"])
            main = page.evaluate("ecosystem.data.main")
            assert any(label["id"] == main for label in labels)
            where = page.evaluate("(id) => ecosystem.network.canvasToDOM(ecosystem.network.getPosition(id))", main)
            assert where["x"] == pytest.approx(fitted["free"]["w"] / 2, abs=1), (view, size, where, fitted)
            assert where["y"] == pytest.approx(fitted["free"]["h"] / 2, abs=1), (view, size, where, fitted)
        else:  # the whole view fitted: every entity's label on screen
            assert fitted["scale"] == pytest.approx(fitted["fits"])
            assert {label["id"] for label in labels} >= set(page.evaluate("ecosystem.visibleNodes()"))
        assert page.errors == [] and page.requests == []
    finally:
        page.close()


def test_presentation_mode_hides_the_controls_and_enlarges_the_figure(browser, pages):  # noqa: F811
    page = _open(browser, pages["ant-control"], (1366, 768))
    try:
        before = page.evaluate("ecosystem.fitted.scale")
        page.page.keyboard.press("p")
        page.page.wait_for_function("() => document.body.classList.contains('present')")
        page.page.wait_for_timeout(100)
        assert page.page.locator("header").is_visible() is False
        assert page.page.locator("#legend").is_visible() is False
        assert page.evaluate("ecosystem.fitted.scale") > before * 1.05  # larger text
        labels = page.evaluate("ecosystem.labels()")
        assert statistics.median(label["height"] for label in labels) >= 12 - 1e-6
        assert {label["id"] for label in labels} >= set(page.evaluate("ecosystem.visibleNodes()"))
        page.page.keyboard.press("p")
        page.page.wait_for_function("() => !document.body.classList.contains('present')")
        assert page.page.locator("header").is_visible()
    finally:
        page.close()


def whole(page):
    """The whole figure on screen, whatever the size of its text (labels() lists what is on screen)."""
    page.evaluate("ecosystem.network.fit({animation: false})")


def test_legend_clicks_hide_and_show(browser, pages):  # noqa: F811
    page = _open(browser, pages["vie-structure"], (1920, 1080))
    try:
        whole(page)
        # the figure's latest date: the VIEs' PRC-citizen holders are unnamed parties (Jack Ma and Simon Xie
        # held them until 2018-2020)
        everyone = page.evaluate("ecosystem.visibleNodes()")
        assert "hangzhou_zhenxi_owners" in everyone
        person = page.page.locator("#legend button[data-id=unknown_party]")
        person.click()
        assert person.get_attribute("aria-pressed") == "false"
        without = page.evaluate("ecosystem.visibleNodes()")
        assert "hangzhou_zhenxi_owners" not in without and "alibaba_cloud_computing_holders_2020" not in without
        assert "alibaba_group_holding" in without
        assert not any(label["text"].startswith("Owners of Hangzhou Zhenxi") for label in page.evaluate("ecosystem.labels()"))
        person.click()
        assert page.evaluate("ecosystem.visibleNodes()") == everyone
        # a relation category: its lines and their labels go, the entities stay
        texts = lambda: [label["text"] for label in page.evaluate("ecosystem.labels()")]  # noqa: E731
        assert any("VIE contracts" in text for text in texts())
        page.page.locator("#legend button[data-id=control]").click()
        assert not any("VIE contracts" in text for text in texts())
        assert page.evaluate("ecosystem.visibleNodes()") == everyone
        assert page.evaluate("ecosystem.setCategoryVisible('Control', true)") is True
        assert any("VIE contracts" in text for text in texts())
        assert page.evaluate("ecosystem.setCategoryVisible('ownership', false)") is True
        assert "100%" not in texts()
        assert page.page.locator("#legend button[data-id=ownership]").get_attribute("aria-pressed") == "false"
    finally:
        page.close()


def test_language_toggle_shows_chinese_names(browser, bundled, tmp_path):  # noqa: F811
    from ecosystem.render import render_view

    page = _open(browser, render_view(bundled, "ant-control", tmp_path / "a.html"), (1920, 1080))
    try:
        texts = lambda: {label["text"] for label in page.evaluate("ecosystem.labels()")}  # noqa: E731
        assert "阿里巴巴集团控股有限公司" not in texts()
        page.page.click("#lang")
        assert page.evaluate("ecosystem.language()") == "zh"
        shown = texts()
        assert any("蚂蚁集团" in text for text in shown), shown
        assert any("阿里巴巴" in text for text in shown), shown
        assert _overlapping(page.evaluate("ecosystem.labels()")) == []
        page.evaluate("ecosystem.setLanguage('en')")
        assert "Ant Group" in texts() and not any("蚂蚁集团" in text for text in texts())
    finally:
        page.close()


def test_search_forgives_typos_and_folds_like_the_command_line(browser, pages):  # noqa: F811
    page = _open(browser, pages["vie-structure"], (1366, 768))
    try:
        for query in ("taobo holding", "Alibaba Grup", "alibaba cloud computng"):
            hits = page.evaluate("(q) => ecosystem.search(q)", query)
            assert hits, query
        assert page.evaluate("ecosystem.search('taobo holding')[0]") == "taobao_holding_limited"
        assert page.evaluate("ecosystem.search('Alibaba Grup')[0]") == "alibaba_group_holding"
        assert page.evaluate("ecosystem.search('xyzzy qqq')") == []
        # roles are found too
        vies = set(page.evaluate("ecosystem.search('VIE')"))
        assert {"zhejiang_taobao_network", "zhejiang_tmall_network"} <= vies
        assert "alisoft_shanghai" in page.evaluate("ecosystem.search('wfoe')")
        page.page.fill("#search", "hangzhou zhenix")
        page.page.press("#search", "Enter")
        assert page.evaluate("ecosystem.highlighted") == "hangzhou_zhenxi"
    finally:
        page.close()


def test_chinese_mode_translates_relations_roles_legend_and_boxes(browser, bundled, tmp_path):  # noqa: F811
    """In 中文 every word the figure draws from the vocabulary and the roles is Chinese: the relation
    labels on the lines, the role tags, the legend, the jurisdiction and offshore / onshore boxes
    and the verdict in the header; names without a Chinese form stay English."""
    from ecosystem.render import render_view
    from ecosystem.roles import ROLE_ZH

    vocabulary = bundled.graph["vocabulary"]
    page = _open(browser, render_view(bundled, "vie-structure", tmp_path / "v.html", as_of="2019-11-26"), (1920, 1080))
    try:
        whole(page)
        texts = lambda: [label["text"] for label in page.evaluate("ecosystem.labels()")]  # noqa: E731
        english = texts()
        assert any(text.startswith("VIE contracts") for text in english) and "offshore intermediate" in english
        assert any(text.startswith("Offshore: outside") for text in english) and "Cayman Islands" in english
        page.page.click("#lang")
        chinese = texts()
        assert not any("VIE contracts" in text or "Offshore" in text or "Onshore" in text for text in chinese), chinese
        assert any(text.startswith("VIE协议") for text in chinese), chinese
        assert any(text.startswith(vocabulary.relation_types["owns"].label_zh + " ") for text in chinese), chinese
        assert ROLE_ZH["offshore intermediate"] in chinese and "offshore intermediate" not in chinese
        assert "开曼群岛" in chinese and "Cayman Islands" not in chinese
        assert any(text.startswith("境外：") for text in chinese) and any(text.startswith("境内：") for text in chinese)
        legend = page.page.inner_text("#legend")
        for category in ("ownership", "control"):
            assert vocabulary.categories[category].label_zh in legend
            assert vocabulary.categories[category].label not in legend
        assert vocabulary.entity_types["company"].label_zh in legend and "Company" not in legend
        assert "：" in page.page.inner_text("#verdict") and "controlled" not in page.page.inner_text("#verdict")
        assert page.page.inner_text("#clear") != "Clear"
        assert _overlapping(page.evaluate("ecosystem.labels()")) == []
        # the legend still filters in Chinese, and back in English everything is as it was
        page.page.locator("#legend button[data-id=control]").click()
        assert not any(text.startswith("VIE协议") for text in texts())
        page.page.locator("#legend button[data-id=control]").click()
        page.page.click("#lang")
        assert sorted(texts()) == sorted(english)
        assert "Ownership" in page.page.inner_text("#legend") and page.page.inner_text("#clear") == "Clear"
        assert page.errors == []
    finally:
        page.close()
