"""A story page: arrow keys, buttons and dots step through; each step moves the date and brings
its entities forward; the page API's story.next/previous/step; offline like every page."""

from __future__ import annotations

import pytest

from conftest import BUNDLED, ROOT
from test_browser_figures import Page, browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def story_pages(tmp_path_factory):
    from ecosystem.graph import load_graph
    from ecosystem.render.story import render_story
    from ecosystem.stories import load_stories

    graph = load_graph(BUNDLED, use_cache=False)
    stories = load_stories(BUNDLED)
    folder = tmp_path_factory.mktemp("stories")
    return stories, {name: render_story(graph, story, folder / f"story-{name}.html") for name, story in stories.items()}


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


def test_vie_story_highlights_each_tier(browser, story_pages):  # noqa: F811
    stories, pages = story_pages
    page = Page(browser, pages["vie"])
    try:
        for index, step in enumerate(stories["vie"].steps):
            assert page.evaluate("(i) => ecosystem.story.go(i)", index) == index
            assert set(page.evaluate("ecosystem.state.near")) == set(step.highlight)
        assert page.errors == []
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

        assert "Ant Group" in texts() and not any("蚂蚁集团" in text for text in texts())
        drawn = drawn_by(lambda: page.page.click("#lang"))
        assert page.evaluate("ecosystem.language()") == "zh" and page.page.inner_text("#lang") == "EN"
        assert "蚂蚁集团" in drawn and "马云" in drawn and "Ant Group" not in drawn, drawn
        assert "蚂蚁集团" in texts() and "马云" in texts()
        # the steps keep the language, the story its text; Alibaba's stake is step 3
        page.page.keyboard.press("ArrowRight")
        drawn = drawn_by(lambda: page.page.keyboard.press("ArrowRight"))
        assert page.evaluate("ecosystem.story.step()") == 2 and page.evaluate("ecosystem.language()") == "zh"
        assert "alibaba_group_holding" in steps[2].highlight
        assert any(text.startswith("阿里巴巴") for text in drawn) and "蚂蚁集团" in drawn, drawn
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
def test_each_step_draws_its_entities_and_brings_them_on_screen(browser, story_pages, size):  # noqa: F811
    stories, pages = story_pages
    for name, story in stories.items():
        page = Page(browser, pages[name])
        try:
            page.page.set_viewport_size({"width": size[0], "height": size[1]})
            for index, step in enumerate(story.steps):
                page.evaluate("(i) => ecosystem.story.go(i)", index)
                # what a step highlights is drawn at the step's date
                assert set(step.highlight) <= set(page.evaluate("ecosystem.visibleNodes()")), (name, index)
                on_screen = {label["id"] for label in page.evaluate("ecosystem.labels()")}
                if size == (1920, 1080):
                    assert set(step.highlight) <= on_screen, (name, index)
                else:  # a figure larger than the screen: centred on the step's entities, at a readable size
                    assert step.highlight[0] in on_screen, (name, index)
                    assert len(set(step.highlight) & on_screen) * 2 >= len(step.highlight), (name, index)
            assert page.errors == []
        finally:
            page.close()
