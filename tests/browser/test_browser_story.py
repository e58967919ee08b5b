"""A story page: arrow keys, buttons and dots step through; each step draws its own view at its
date and brings its entities forward; the page API's story.next/previous/step; offline like every
page."""

from __future__ import annotations

import pytest

from conftest import BUNDLED, ROOT
from test_browser_figures import Page, browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bundled_story_graph():
    from ecosystem.graph import load_graph

    return load_graph(BUNDLED, use_cache=False)


@pytest.fixture(scope="module")
def story_pages(tmp_path_factory, bundled_story_graph):
    from ecosystem.render.story import render_story
    from ecosystem.stories import load_stories

    stories = load_stories(BUNDLED)
    folder = tmp_path_factory.mktemp("stories")
    return stories, {name: render_story(bundled_story_graph, story, folder / f"story-{name}.html")
                     for name, story in stories.items()}


def brought_forward(graph, step) -> set:
    """What a step brings forward, worked out from the view the builder resolves at the step's date:
    each highlighted entity the view draws, or the collapsed pattern that stands for it."""
    from ecosystem.views import build_view

    drawn = build_view(graph, step.view, step.date).graph
    found = set()
    for entity in step.highlight:
        if entity in drawn:
            found.add(entity)
        else:
            patterns = [node for node, data in drawn.nodes(data=True) if entity in (data.get("members") or ())]
            assert len(patterns) == 1, (step.title, entity)
            found.add(patterns[0])
    return found


def test_both_stories_are_bundled(story_pages):
    stories, _ = story_pages
    assert {"vie", "ant"} <= set(stories)
    for story in stories.values():
        assert len(story.steps) >= 3 and all(step.sources for step in story.steps)


def test_ant_story_steps_through_time_with_keys_and_buttons(browser, story_pages):  # noqa: F811
    stories, pages = story_pages
    story = stories["ant"]
    page = Page(browser, pages["ant"])
    try:
        assert page.requests == [] and page.errors == []
        assert page.evaluate("ecosystem.story.step()") == 0
        assert story.steps[0].title in page.page.inner_text("#story-title")
        assert page.page.locator("#story-dots button").count() == len(story.steps)
        page.page.locator("#network").click(position={"x": 5, "y": 5})
        page.page.keyboard.press("ArrowRight")
        assert page.evaluate("ecosystem.story.step()") == 1
        assert page.evaluate("ecosystem.date()") == story.steps[1].date
        page.page.keyboard.press("ArrowLeft")
        assert page.evaluate("ecosystem.story.step()") == 0
        page.page.click("#story-next")
        page.page.click("#story-next")
        assert page.evaluate("ecosystem.story.step()") == 2
        verdicts = {}
        for index, step in enumerate(story.steps):
            page.evaluate("(i) => ecosystem.story.go(i)", index)
            assert page.evaluate("ecosystem.date()") == step.date
            assert page.page.inner_text("#story-caption").strip() == " ".join(step.caption.split())
            assert all(str(citation) in page.page.inner_text("#story-sources") for citation in step.sources)
            near = page.evaluate("ecosystem.state.near")
            assert set(near) == set(step.highlight) - set() or not step.highlight
            verdicts[step.date] = page.evaluate("ecosystem.verdict('ant_group')")
        assert verdicts["2020-11-03"] != verdicts["2023-06-30"]
        assert page.evaluate("ecosystem.story.next()") == len(story.steps) - 1  # stays on the last step
        assert page.page.locator("#story-next").is_disabled()
        page.page.locator("#story-dots button").nth(0).click()
        assert page.evaluate("ecosystem.story.previous()") == 0
        (ROOT / "tests" / "artifacts" / "screenshots").mkdir(parents=True, exist_ok=True)
        page.page.screenshot(path=str(ROOT / "tests" / "artifacts" / "screenshots" / "story-ant.png"))
    finally:
        page.close()


def test_vie_story_highlights_each_tier(browser, story_pages, bundled_story_graph):  # noqa: F811
    stories, pages = story_pages
    page = Page(browser, pages["vie"])
    try:
        patterns = 0
        for index, step in enumerate(stories["vie"].steps):
            assert page.evaluate("(i) => ecosystem.story.go(i)", index) == index
            expected = brought_forward(bundled_story_graph, step)
            assert set(page.evaluate("ecosystem.state.near")) == expected
            patterns += any(node.startswith("pattern_") for node in expected)
        assert patterns >= 1  # a step on vie-pattern brings the WFOE, VIE and nominee patterns forward
        assert page.errors == []
    finally:
        page.close()


def test_each_step_draws_its_own_view_at_its_date(browser, story_pages, bundled_story_graph):  # noqa: F811
    """Stepping switches the drawn view: the page draws exactly what the view resolves at the
    step's date, with that view's title, legend and slider; going back to a view keeps its layout."""
    from ecosystem.views import build_view

    stories, pages = story_pages
    for name, story in stories.items():
        assert len({step.view for step in story.steps}) >= 2, name  # every bundled story uses several views
        page = Page(browser, pages[name])
        try:
            seen, positions = [], {}
            for index, step in enumerate(story.steps):
                if index:  # a real key press, across a change of view
                    page.page.locator("#network").click(position={"x": 5, "y": 5})
                    page.page.keyboard.press("ArrowRight")
                else:
                    page.evaluate("ecosystem.story.go(0)")
                page.page.wait_for_selector("body[data-layout=done]", state="attached", timeout=30000)
                assert page.evaluate("ecosystem.story.step()") == index
                assert page.evaluate("ecosystem.view()") == step.view
                assert page.evaluate("ecosystem.date()") == step.date
                expected = build_view(bundled_story_graph, step.view, step.date)
                visible = sorted(page.evaluate("ecosystem.visibleNodes()"))
                assert visible == sorted(expected.graph), (name, index)
                assert sorted(page.evaluate("ecosystem.nodes.get({filter: n => !n.hidden}).map(n => n.id)")) == visible
                assert expected.view.title in page.page.inner_text("#title")
                vocabulary = bundled_story_graph.graph["vocabulary"]
                legend = page.page.inner_text("#legend")
                # (a pattern's type is that of most of its members, which the slider's dates may change)
                for type_id in {data["type"] for _, data in expected.graph.nodes(data=True) if not data.get("members")}:
                    assert vocabulary.entity_types[type_id].label in legend
                assert page.evaluate("document.querySelectorAll('#network canvas').length") == 1
                where = page.evaluate("ecosystem.network.getPositions()")
                if step.view in positions:  # the same view again: nothing has moved
                    both = set(where) & set(positions[step.view])
                    assert both and all(where[k] == positions[step.view][k] for k in both)
                positions.setdefault(step.view, where)
                seen.append(tuple(visible))
            assert len(set(seen)) >= 2 and page.requests == [] and page.errors == [] and page.console_errors == []
        finally:
            page.close()


# every text the page draws on its canvas from now on, as it draws it
RECORD_TEXT = """() => {
    window.drawnTexts = [];
    const proto = CanvasRenderingContext2D.prototype, fill = proto.fillText;
    proto.fillText = function (text) { window.drawnTexts.push(String(text)); return fill.apply(this, arguments); };
}"""


def test_language_toggle_on_a_story_page(browser, story_pages):  # noqa: F811
    stories, pages = story_pages
    steps = stories["ant"].steps
    page = Page(browser, pages["ant"])
    try:
        page.evaluate(RECORD_TEXT)
        texts = lambda: {label["text"] for label in page.evaluate("ecosystem.labels()")}  # noqa: E731

        def drawn_by(action):  # the texts drawn on the figure while the action runs
            page.evaluate("window.drawnTexts = []")
            action()
            return set(page.evaluate("window.drawnTexts"))

        def press(key):  # a step, maybe onto another view: drawn once its figure is laid out
            page.page.keyboard.press(key)
            page.page.wait_for_selector("body[data-layout=done]", state="attached", timeout=30000)
            page.page.wait_for_timeout(100)

        assert "Ant Group" in texts() and not any("蚂蚁集团" in text for text in texts())
        drawn = drawn_by(lambda: page.page.click("#lang"))
        assert page.evaluate("ecosystem.language()") == "zh" and page.page.inner_text("#lang") == "EN"
        assert "蚂蚁集团" in drawn and any(text.startswith("阿里巴巴") for text in drawn), drawn
        assert "蚂蚁集团" in texts() and "Ant Group" not in texts()  # the group's box too
        # the steps keep the language, across a change of view, and the story its text
        press("ArrowRight")
        assert page.evaluate("ecosystem.view()") == steps[1].view != steps[0].view
        assert page.evaluate("ecosystem.language()") == "zh" and page.page.inner_text("#lang") == "EN"
        assert "蚂蚁集团" in texts() and "马云" in texts() and "Jack Ma" not in texts(), texts()
        press("ArrowRight")  # Alibaba's stake is step 3
        assert page.evaluate("ecosystem.story.step()") == 2 and page.evaluate("ecosystem.language()") == "zh"
        assert "alibaba_group_holding" in steps[2].highlight
        assert any(text.startswith("阿里巴巴") for text in texts()) and "蚂蚁集团" in texts(), texts()
        assert page.page.inner_text("#story-title").strip() == steps[2].title
        drawn = drawn_by(lambda: page.page.click("#lang"))
        assert page.evaluate("ecosystem.story.step()") == 2 and page.evaluate("ecosystem.language()") == "en"
        assert "Ant Group" in drawn and not any("蚂蚁集团" in text or "阿里巴巴" in text for text in drawn), drawn
        assert "Ant Group" in texts() and not any("蚂蚁集团" in text for text in texts())
        page.page.keyboard.press("ArrowLeft")
        assert page.evaluate("ecosystem.story.step()") == 1
        assert page.errors == []
    finally:
        page.close()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=lambda size: f"{size[0]}x{size[1]}")
def test_each_step_draws_its_entities_and_brings_them_on_screen(browser, story_pages, bundled_story_graph,  # noqa: F811
                                                                size):
    stories, pages = story_pages
    for name, story in stories.items():
        page = Page(browser, pages[name])
        try:
            page.page.set_viewport_size({"width": size[0], "height": size[1]})
            for index, step in enumerate(story.steps):
                page.evaluate("(i) => ecosystem.story.go(i)", index)
                # what a step highlights is drawn at the step's date
                forward = [node for node in page.evaluate("Object.keys(ecosystem.state.near)")]
                assert set(forward) == brought_forward(bundled_story_graph, step), (name, index)
                assert set(forward) <= set(page.evaluate("ecosystem.visibleNodes()")), (name, index)
                on_screen = {label["id"] for label in page.evaluate("ecosystem.labels()")}
                if size == (1920, 1080):
                    assert set(forward) <= on_screen, (name, index)
                else:  # a figure larger than the screen: centred on the step's entities, at a readable size
                    assert forward[0] in on_screen, (name, index)
                    assert len(set(forward) & on_screen) * 2 >= len(forward), (name, index)
            assert page.errors == []
        finally:
            page.close()


FORCE_VIEW = """
  around-fintech:
    title: Around the fintech group (test)
    include:
      - focus: [fintech]
        depth: 2
    layout: force
"""
FORCE_STORY = """stories:
  mixed:
    title: Two layouts
    steps:
      - title: The structure
        caption: The holding company and its WFOEs.
        sources: ["case §3.2"]
        view: vie-structure
        highlight: [holdco]
      - title: Around the fintech group
        caption: A view vis-network lays out itself.
        sources: ["case §3.4"]
        view: around-fintech
        highlight: [fintech]
      - title: The structure again
        caption: The VIE.
        sources: ["case §3.2"]
        view: vie-structure
        highlight: [vie]
      - title: Around the fintech group again
        caption: Where it was.
        sources: ["case §3.4"]
        view: around-fintech
        highlight: [fintech]
"""


def test_a_step_on_a_force_view_is_laid_out_once_and_kept(browser, tmp_path):  # noqa: F811
    """A view vis-network lays out (physics) met at a later step: laid out then, physics off once
    it is placed, and where it was when the story comes back to it."""
    import shutil

    from conftest import FIXTURES
    from ecosystem.graph import load_graph
    from ecosystem.render.html import uses_graphviz
    from ecosystem.render.story import render_story
    from ecosystem.stories import load_stories
    from ecosystem.views import build_view

    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "render", folder)
    with open(folder / "views.yaml", "a", encoding="utf-8") as views:
        views.write(FORCE_VIEW)
    (folder / "stories.yaml").write_text(FORCE_STORY, encoding="utf-8")
    graph = load_graph(folder, use_cache=False)
    assert not uses_graphviz(build_view(graph, "around-fintech").view)
    story = load_stories(folder)["mixed"]
    page = Page(browser, render_story(graph, story, tmp_path / "mixed.html"))
    try:
        placed = None
        for index, step in enumerate(story.steps):
            page.evaluate("(i) => ecosystem.story.go(i)", index)
            page.page.wait_for_selector("body[data-layout=done]", state="attached", timeout=30000)
            assert page.evaluate("ecosystem.view()") == step.view
            assert sorted(page.evaluate("ecosystem.visibleNodes()")) == sorted(build_view(graph, step.view, step.date).graph)
            assert page.evaluate("ecosystem.network.physics.physicsEnabled") is False
            if step.view == "around-fintech":
                where = page.evaluate("ecosystem.network.getPositions()")
                assert len({(round(p["x"]), round(p["y"])) for p in where.values()}) == len(where)  # spread out
                if placed is None:
                    placed = where
                else:
                    assert where == placed
        assert placed is not None and page.errors == [] and page.console_errors == [] and page.requests == []
    finally:
        page.close()


def test_story_navigation_follows_the_language_toggle(browser, story_pages):  # noqa: F811
    """In 中文 the story's own words (buttons, step count, the sources' label) are Chinese, with real
    clicks on the toggle; back in English they are English again; the step and its citations stay."""
    stories, pages = story_pages
    story = stories["ant"]
    page = Page(browser, pages["ant"])
    try:
        page.evaluate("ecosystem.story.go(1)")
        english = {part: page.page.inner_text(f"#story-{part}") for part in ("previous", "next", "count")}
        page.page.click("#lang")
        assert page.evaluate("ecosystem.language()") == "zh"
        assert page.page.inner_text("#story-previous").strip() == "← 上一步"
        assert page.page.inner_text("#story-next").strip() == "下一步 →"
        assert page.page.inner_text("#story-count").strip() == f"第 2 步，共 {len(story.steps)} 步"
        sources = page.page.inner_text("#story-sources")
        assert sources.startswith("来源：") and all(str(c) in sources for c in story.steps[1].sources)
        page.page.keyboard.press("ArrowRight")  # a step taken in Chinese stays Chinese
        assert page.page.inner_text("#story-count").strip() == f"第 3 步，共 {len(story.steps)} 步"
        page.evaluate("ecosystem.story.go(1)")
        page.page.click("#lang")
        assert {part: page.page.inner_text(f"#story-{part}") for part in ("previous", "next", "count")} == english
        assert page.errors == []
    finally:
        page.close()
