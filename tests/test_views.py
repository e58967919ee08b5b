"""Views: views.yaml validation, selection, levels, groups, ad-hoc views, the CLI's views/render errors."""

from __future__ import annotations

import copy

import networkx as nx
import pytest

from conftest import FIXTURES
from ecosystem.errors import DataError, QueryError
from ecosystem.views import View, adhoc_view, build_view, hierarchy_levels, named_views, parse_views

RENDER = FIXTURES / "render"


@pytest.fixture(scope="module")
def render_graph():
    from ecosystem.graph import load_graph

    return load_graph(RENDER, use_cache=False)


def _problems(document):
    with pytest.raises(DataError) as caught:
        parse_views(document)
    return [str(problem) for problem in caught.value.problems]


def test_unknown_key_names_the_file_the_view_and_a_fix():
    problems = _problems({"views": {"fig": {"title": "x", "include": [{"ids": ["a"]}], "layuot": "force"}}})
    assert len(problems) == 1
    assert problems[0].startswith("views.yaml")
    assert "'fig'" in problems[0] and "layuot" in problems[0] and "did you mean 'layout'" in problems[0]


def test_every_problem_is_reported():
    problems = _problems({"views": {
        "a": {"include": [{"ids": ["x"]}]},                                   # no title
        "b": {"title": "b", "include": [{"ids": ["x"], "depth": 99}]},        # depth out of range
        "c": {"title": "c", "include": [{"ids": ["x"]}], "as_of": "2020-13"},  # no such month
        "d": {"title": "d", "include": [{"ids": ["x"]}], "layout": "circle"},
    }})
    assert len(problems) == 4
    assert any("'a'" in p and "title" in p for p in problems)
    assert any("'b'" in p and "depth" in p for p in problems)
    assert any("'c'" in p and "as_of" in p for p in problems)
    assert any("'d'" in p and "layout" in p for p in problems)


def test_top_level_must_be_views():
    assert "views" in _problems({"figures": {}})[0]


def test_bundled_views_validate_and_include_the_figures(bundled_graph):
    views = named_views(bundled_graph)
    assert {"vie-structure", "ecosystem", "ant-control", "regulators"} <= set(views)


@pytest.mark.parametrize("name", ["vie-structure", "ecosystem", "ant-control", "ant-control-2023", "regulators"])
def test_bundled_views_draw_something(bundled_graph, name):
    view_graph = build_view(bundled_graph, name)
    assert view_graph.graph.number_of_nodes() >= 5
    assert view_graph.graph.number_of_edges() >= 4


def test_bundled_vie_structure_has_the_figure_parts(bundled_graph):
    view_graph = build_view(bundled_graph, "vie-structure")
    graph = view_graph.graph
    assert "alibaba_group_holding" in graph and "softbank" in graph
    types = {data["type"] for _, _, data in graph.edges(data=True)}
    assert {"owns", "controls_by_contract"} <= types
    jurisdictions = {graph.nodes[n].get("jurisdiction") for n in graph}
    assert {"cayman_islands", "prc"} <= jurisdictions
    assert set(view_graph.groups.values()) >= {"cayman_islands", "prc"}


def test_bundled_ant_control_differs_before_and_after_2023(bundled_graph):
    before = build_view(bundled_graph, "ant-control").graph
    after = build_view(bundled_graph, "ant-control-2023").graph
    controllers = lambda g: {(u, v) for u, v, d in g.edges(data=True) if d["category"] == "control"}  # noqa: E731
    assert controllers(before) != controllers(after)


def test_vie_view_selection(render_graph):
    view_graph = build_view(render_graph, "vie-structure")
    assert set(view_graph.graph) == {"investor", "public_float", "founder", "holdco", "hk_sub", "wfoe", "wfoe2",
                                     "vie", "vie2", "citizen_a", "citizen_b", "xss"}
    assert {d["category"] for _, _, d in view_graph.graph.edges(data=True)} == {"ownership", "control"}
    assert view_graph.groups["holdco"] == "cayman" and view_graph.groups["wfoe"] == "prc"
    assert view_graph.group_labels["prc"] == "People's Republic of China"
    assert "citizen_a" not in view_graph.groups  # no jurisdiction: drawn outside every box


def test_levels_put_owners_above_what_they_own_despite_a_cycle(render_graph):
    view_graph = build_view(render_graph, "vie-structure")
    levels, graph = view_graph.levels, view_graph.graph
    assert set(levels) == set(graph)
    for u, v, data in graph.edges(data=True):
        if nx.has_path(graph, v, u):  # the vie2 <-> xss cross-holding: one of the two must give way
            continue
        assert levels[u] < levels[v], (u, v)
    # the citizens sit just above their VIEs, not beside the foreign investors
    assert levels["citizen_a"] == levels["vie"] - 1
    assert levels["investor"] == 0 and levels["holdco"] == 1


def test_levels_of_a_pure_cycle():
    graph = nx.MultiDiGraph()
    for u, v in [("a", "b"), ("b", "c"), ("c", "a")]:
        graph.add_edge(u, v, key=f"{u}{v}", type="owns", category="ownership")
    levels, used = hierarchy_levels(graph)
    assert sorted(levels.values()) == [0, 1, 2] and len(used) == 2


def test_build_view_changes_nothing(render_graph):
    before = copy.deepcopy(render_graph)
    view_graph = build_view(render_graph, "ecosystem")
    view_graph.graph.nodes["holdco"]["name"] = "changed"
    assert nx.utils.graphs_equal(before, render_graph)
    assert render_graph.nodes["holdco"]["name"] == "Example Holding Limited"


def test_as_of_changes_the_picture(render_graph):
    late = build_view(render_graph, "vie-structure", as_of="2023")
    early = build_view(render_graph, "vie-structure", as_of="2010")
    assert "public_float" in late.graph and "public_float" not in early.graph  # listed 2014
    assert early.as_of == "2010" and "(as of 2010)" in early.title


def test_expand_adds_the_neighbours_of_everything_selected(render_graph):
    view = View(name="t", title="t", include=[{"ids": ["vie"]}, {"expand": True, "direction": "in", "relations": ["owns"]}])
    assert set(build_view(render_graph, view).graph) == {"vie", "citizen_a", "citizen_b"}


def test_stop_at_is_included_but_not_expanded(render_graph):
    view = View(name="t", title="t", include=[{"focus": "holdco", "depth": 3, "direction": "out",
                                                "relations": ["owns"], "stop_at": ["hk_sub"]}])
    assert set(build_view(render_graph, view).graph) == {"holdco", "hk_sub", "fintech"}


def test_unknown_id_in_a_view_is_a_clear_error(render_graph):
    view = View(name="broken", title="t", include=[{"focus": "holdc"}])
    with pytest.raises(QueryError) as caught:
        build_view(render_graph, view)
    message = str(caught.value)
    assert "views.yaml" in message and "'broken'" in message and "'holdc'" in message and "holdco" in message


def test_unknown_view_name_suggests(render_graph):
    with pytest.raises(QueryError, match="vie-structure"):
        build_view(render_graph, "vie-structur")


def test_adhoc_view_sorts_types(render_graph):
    view = adhoc_view(render_graph, "holdco", 2, ["company", "owns", "control"])
    clause = view.include[0]
    assert clause.types == ["company"] and clause.relations == ["owns"] and clause.categories == ["control"]
    graph = build_view(render_graph, view).graph
    assert {graph.nodes[n]["type"] for n in graph} == {"company"}
    with pytest.raises(QueryError, match="neither an entity type"):
        adhoc_view(render_graph, "holdco", 1, ["compnay"])


def test_cli_lists_views(invoke):
    result = invoke("--data", RENDER, "views", "--json")
    assert result.exit_code == 0, result.output
    import json

    assert [item["name"] for item in json.loads(result.output)] == ["vie-structure", "ecosystem", "everything"]


@pytest.mark.parametrize("args, expected, code", [
    (["render", "nope", "-o", "{tmp}/x.html"], "No view named 'nope'", 1),
    (["render", "vie-structure", "-o", "{tmp}/x.jpeg"], "must end in one of", 2),  # bad usage
    (["render", "--focus", "holdcoo", "-o", "{tmp}/x.html"], "holdco", 1),
    (["render", "-o", "{tmp}/x.html"], "--focus", 1),
    (["render", "vie-structure", "--as-of", "2020-13", "-o", "{tmp}/x.html"], "--as-of", 2),  # bad usage
    (["render", "vie-structure", "-o", "{tmp}/missing/x.html"], "does not exist", 1),
])
def test_cli_errors_are_one_clear_line(invoke, tmp_path, args, expected, code):
    result = invoke("--data", RENDER, *[arg.format(tmp=tmp_path) for arg in args])
    assert result.exit_code == code, result.output
    assert expected in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_cli_renders_a_focus_view(invoke, tmp_path):
    target = tmp_path / "focus.dot"
    result = invoke("--data", RENDER, "render", "--focus", "wfoe", "--depth", "1", "--type", "control", "-o", target)
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert '"wfoe" -> "vie"' in text and "citizen_a" not in text


# ---------------------------------------------------------------------------------------------
# grouping owners without a jurisdiction, layout hints for static figures


def _vie_with(render_graph, **settings):
    base = named_views(render_graph)["vie-structure"]
    return View(**{**base.model_dump(), **settings})


def test_owners_join_the_jurisdiction_of_their_holdings(render_graph):
    view_graph = build_view(render_graph, _vie_with(render_graph, owners_join_holdings=["person"]))
    # the citizens own only PRC VIEs: inside the PRC box; the founder owns the Cayman holding company
    assert view_graph.groups["citizen_a"] == "prc" and view_graph.groups["citizen_b"] == "prc"
    assert view_graph.groups["founder"] == "cayman"
    assert "investor" not in view_graph.groups  # not a person: the rule does not apply to its type


def test_owners_with_holdings_in_two_jurisdictions_stay_outside(render_graph):
    graph = copy.deepcopy(render_graph)
    graph.add_edge("citizen_a", "hk_sub", key="citizen_a_owns_hk_sub", type="owns", category="ownership",
                   equity={"value": 1.0}, sources=[])
    view_graph = build_view(graph, _vie_with(render_graph, owners_join_holdings=["person"]))
    assert "citizen_a" not in view_graph.groups and view_graph.groups["citizen_b"] == "prc"


def test_bundled_vie_structure_puts_the_prc_citizens_in_the_prc_box(bundled_graph):
    # at the 2014 listing Jack Ma and Simon Xie were the VIEs' registered shareholders
    at_listing = build_view(bundled_graph, "vie-structure", as_of="2014-09-19")
    for person in ("jack_ma", "simon_xie"):
        assert at_listing.groups[person] == "prc", person
    # later, Hangzhou Zhenxi's owners and the other VIEs' PRC-citizen holders
    view_graph = build_view(bundled_graph, "vie-structure")
    for person in ("hangzhou_zhenxi_owners", "hangzhou_ali_technology_holders_2020", "alibaba_cloud_computing_holders_2020"):
        assert view_graph.groups[person] == "prc", person
    assert "alibaba_founders_and_employees" not in view_graph.groups  # an investor group: outside


def test_chain_hanging_from_a_root_sits_just_above_its_holdings(bundled_graph):
    levels = build_view(bundled_graph, "vie-structure").levels
    assert levels["hangzhou_zhenxi_owners"] == levels["hangzhou_zhenxi"] - 1
    assert levels["hangzhou_zhenxi"] == min(levels["hangzhou_alibaba_advertising"], levels["zhejiang_taobao_network"]) - 1
    assert levels["hangzhou_zhenxi"] > levels["alibaba_group_holding"]  # not up beside the foreign investors


def test_layout_hints_are_validated():
    problems = _problems({"views": {
        "a": {"title": "a", "include": [{"ids": ["x"]}], "engine": "circo"},
        "b": {"title": "b", "include": [{"ids": ["x"]}], "stack": 0},
    }})
    assert len(problems) == 2 and any("engine" in p for p in problems) and any("stack" in p for p in problems)
    views = parse_views({"views": {"c": {"title": "c", "include": [{"ids": ["x"]}], "engine": "neato",
                                          "top_types": "state_body", "bottom_types": ["user_group"]}}})
    assert views["c"].engine == "neato" and views["c"].top_types == ["state_body"]


def test_unknown_type_in_a_layout_hint_is_a_clear_error(render_graph):
    with pytest.raises(QueryError, match="entity type 'regulator'"):
        build_view(render_graph, _vie_with(render_graph, top_types=["regulator"]))


# ---------------------------------------------------------------------------------------------
# structural roles and the VIE pattern


def test_roles_of_the_bundled_vie_structure(bundled_graph):
    view_graph = build_view(bundled_graph, "vie-structure")
    roles = view_graph.roles
    assert roles["alibaba_group_holding"] == ["offshore listed holding company"]
    assert roles["taobao_holding_limited"] == ["offshore intermediate"]
    assert roles["taobao_china_holding_limited"] == ["offshore intermediate"]
    assert {node for node, found in roles.items() if "WFOE" in found} == {
        "alibaba_china_technology", "alisoft_shanghai", "hangzhou_alimama_technology", "taobao_china_software",
        "zhejiang_tmall_technology"}
    assert {node for node, found in roles.items() if "VIE" in found} == {
        "alibaba_cloud_computing", "hangzhou_ali_technology", "hangzhou_alibaba_advertising",
        "zhejiang_taobao_network", "zhejiang_tmall_network"}
    assert "licence holder" in roles["zhejiang_taobao_network"]
    # the registered shareholders at the figure's date (2023), and at the 2014 listing
    assert {node for node, found in roles.items() if "nominee shareholder" in found} == {
        "hangzhou_zhenxi", "hangzhou_ali_technology_holders_2020", "alibaba_cloud_computing_holders_2020"}
    at_listing = build_view(bundled_graph, "vie-structure", as_of="2014-09-19").roles
    assert at_listing["jack_ma"] == ["nominee shareholder"] and at_listing["simon_xie"] == ["nominee shareholder"]
    assert "telecom_licensing_authorities" not in roles  # its type already reads "State body or regulator"


def test_roles_need_evidence_in_the_figure(bundled_graph):
    """Jack Ma holds VIE shares as a nominee, but the figure of who controls Ant shows no VIE."""
    assert "jack_ma" not in build_view(bundled_graph, "ant-control").roles


def test_vie_pattern_collapses_the_repeated_pairs(bundled_graph):
    full = build_view(bundled_graph, "vie-structure")
    pattern = build_view(bundled_graph, "vie-pattern")
    graph = pattern.graph
    assert graph.number_of_nodes() < full.graph.number_of_nodes()
    wfoe, vie = graph.nodes["pattern_wfoe"], graph.nodes["pattern_vie"]
    assert wfoe["name"].startswith("5 WFOEs") and vie["name"].startswith("5 VIEs")
    assert sorted(wfoe["members"]) == sorted(n for n, r in full.roles.items() if "WFOE" in r)
    assert pattern.roles["pattern_wfoe"] == ["WFOE"]
    contracts = [d for _, _, d in graph.edges("pattern_wfoe", data=True) if d["type"] == "controls_by_contract"]
    assert len(contracts) == 1 and contracts[0]["count"] == 5
    # nothing cited is lost: every member's citations are on the pattern entity
    for member in wfoe["members"]:
        for citation in full.graph.nodes[member]["sources"]:
            assert citation in wfoe["sources"]
    assert "alibaba_group_holding" in graph and "softbank" in graph


def test_collapse_roles_must_be_known_roles(bundled_graph):
    view = View(name="bad", title="bad", include=[{"ids": ["alibaba_group_holding"]}], collapse_roles=["WFEO"])
    with pytest.raises(QueryError, match="role 'WFEO'"):
        build_view(bundled_graph, view)


# ---------------------------------------------------------------------------------------------
# stories (data/stories.yaml)


def test_bundled_stories_are_valid(bundled_graph):
    from conftest import BUNDLED
    from ecosystem.stories import check_stories, load_stories

    stories = load_stories(BUNDLED)
    assert set(stories) >= {"vie", "ant"}
    assert check_stories(bundled_graph, stories) == []


def test_story_problems_are_all_reported_with_a_fix(bundled_graph):
    from ecosystem.stories import check_stories, parse_stories

    with pytest.raises(DataError) as caught:
        parse_stories({"stories": {"a": {"title": "A", "steps": [{"title": "t", "caption": "c", "view": "v"}]},
                                   "b": {"title": "B", "stepz": []}}})
    messages = [problem.message for problem in caught.value.problems]
    assert any("sources" in message for message in messages) and any("stepz" in message for message in messages)
    stories = parse_stories({"stories": {"a": {"title": "A", "steps": [
        {"title": "t", "caption": "c", "view": "vie-structur", "sources": ["nosuch §1"], "highlight": ["jak_ma"]}]}}})
    problems = check_stories(bundled_graph, stories)
    assert len(problems) == 3
    hints = [p.hint for p in problems]
    assert any(hint.startswith("did you mean 'vie-structure'") for hint in hints), hints
    assert any(hint.startswith("did you mean 'jack_ma'") for hint in hints), hints
