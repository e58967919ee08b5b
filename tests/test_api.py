"""The Python API (``ecosystem.open()``): its answers are the command line's ``--json`` documents,
its tables have the rows the answers hold, its graphs are the library's snapshots, its errors are
the library's exceptions, and opening reads nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import ecosystem
from ecosystem.errors import DataError, ExportError, QueryError, UnknownEntityError

from conftest import BUNDLED, FIXTURES


@pytest.fixture(scope="module")
def eco():
    return ecosystem.open(use_cache=False)


def cli_json(invoke, *args):
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- the same answers as --json -------------------------------------------------------------------

SAME_AS_CLI = [
    (("controllers", "ant_group"), lambda eco: eco.controllers("ant_group")),
    (("controllers", "ant_group", "--as-of", "2021"), lambda eco: eco.controllers("ant_group", as_of="2021")),
    (("controllers", "zhejiang_taobao_network", "--no-board", "--control-threshold", "60"),
     lambda eco: eco.controllers("zhejiang_taobao_network", count_board=False, control_threshold=60)),
    (("controlled", "jack_ma", "--as-of", "2022"), lambda eco: eco.controlled("jack_ma", as_of="2022")),
    (("owners", "ant_group"), lambda eco: eco.owners("ant_group")),
    (("explain", "alibaba_group_holding", "ant_group"), lambda eco: eco.explain("alibaba_group_holding", "ant_group")),
    (("control-diff", "--from", "2022", "--to", "2024"), lambda eco: eco.control_diff("2022", "2024")),
    (("search", "蚂蚁"), lambda eco: eco.search("蚂蚁")),
    (("search", "ant", "--limit", "3", "--type", "company"), lambda eco: eco.search("ant", limit=3, type="company")),
    (("show", "mybank"), lambda eco: eco.entity("mybank")),
    (("show", "ant_group", "--all"), lambda eco: eco.entity("ant_group", all_dates=True)),
    (("show", "ant_group", "--as-of", "2015"), lambda eco: eco.entity("ant_group", as_of="2015")),
    (("neighbours", "mybank", "--depth", "2", "--direction", "in"),
     lambda eco: eco.neighbours("mybank", depth=2, direction="in")),
    (("path", "taobao", "mybank"), lambda eco: eco.path("taobao", "mybank")),
    (("path", "taobao", "mybank", "--type", "serves,lends_to", "--limit", "1"),
     lambda eco: eco.path("taobao", "mybank", types=["serves", "lends_to"], limit=1)),
    (("timeline", "ant_group", "--since", "2020"), lambda eco: eco.timeline("ant_group", since="2020")),
    (("diff", "--from", "2020", "--to", "2024"), lambda eco: eco.diff("2020", "2024")),
    (("stats",), lambda eco: eco.stats()),
    (("stats", "--as-of", "2019"), lambda eco: eco.stats(as_of="2019")),
    (("views",), lambda eco: eco.views()),
    (("validate",), lambda eco: eco.validate()),
]


@pytest.mark.parametrize("args, ask", SAME_AS_CLI, ids=[" ".join(args) for args, _ in SAME_AS_CLI])
def test_answer_is_the_cli_json(eco, invoke, args, ask):
    result = ask(eco)
    printed = cli_json(invoke, *args)
    assert json.loads(result.to_json()) == printed
    assert json.loads(json.dumps(result.data, ensure_ascii=False)) == printed


def test_results_read_like_their_data(eco):
    controllers = eco.controllers("ant_group", as_of="2023-06")
    assert controllers["verdict"] == "no controlling party"
    assert set(controllers) == set(controllers.data) and len(controllers) == len(controllers.data)
    assert dict(controllers) == controllers.data
    hits = eco.search("蚂蚁")
    assert [hit["id"] for hit in hits] == [hit["id"] for hit in hits.data] and len(hits) == len(hits.data)
    assert hits[0] is hits.data[0]


def bad_data(tmp_path):
    """The valid fixture plus two files with defects."""
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    for name in ("bad_date.yaml", "unknown_entity.yaml"):
        shutil.copy(FIXTURES / "invalid" / name, folder / name)
    return folder


def test_a_validation_of_bad_data_is_the_cli_json(invoke, tmp_path):
    folder = bad_data(tmp_path)
    result = ecosystem.open(folder, use_cache=False).validate()
    printed = invoke("--data", folder, "validate", "--json")
    assert printed.exit_code == 1
    assert result["ok"] is False and result.data == json.loads(printed.stdout)
    assert len(result["problems"]) >= 2 and len(result.to_frame()) == len(result["problems"])
    assert isinstance(result.error, DataError)


# -- tables ----------------------------------------------------------------------------------------


def test_tables_have_one_row_per_item(eco):
    import pandas  # a test dependency
    hits = eco.search("ant")
    frame = hits.to_frame()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["id", "name", "type", "matched", "score"]
    assert list(frame["id"]) == [hit["id"] for hit in hits.data]

    controlled = eco.controlled("jack_ma", as_of="2022")
    frame = controlled.to_frame()
    assert len(frame) == len(controlled["controlled"]) > 0
    assert {"id", "name", "status", "via"} <= set(frame.columns)

    owners = eco.owners("ant_group").to_frame()
    assert list(owners.columns) == ["id", "name", "final", "interest_low", "interest_high"]
    assert (owners["interest_low"] <= owners["interest_high"]).all()

    timeline = eco.timeline("ant_group").to_frame()
    assert list(timeline.columns)[:2] == ["date", "kind"] and len(timeline) == len(eco.timeline("ant_group"))

    paths = eco.path("taobao", "mybank")
    frame = paths.to_frame()
    assert len(frame) == sum(len(chain) for chain in paths.data)
    assert set(frame["path"]) == set(range(1, len(paths.data) + 1))


def test_entity_table_lists_its_relations_in_force(eco):
    from ecosystem.graph import build_graph, snapshot
    from ecosystem.loader import load

    graph = snapshot(build_graph(load(BUNDLED, use_cache=False)), "2021")
    frame = eco.entity("ant_group", as_of="2021").to_frame()
    assert len(frame) == graph.in_degree("ant_group") + graph.out_degree("ant_group")
    outgoing = frame[frame["direction"] == "outgoing"]
    assert sorted(outgoing["relation"]) == sorted(key for _, _, key in graph.out_edges("ant_group", keys=True))


def test_controllers_table_has_a_row_per_party(eco):
    result = eco.controllers("zhejiang_taobao_network")
    frame = result.to_frame()
    expected = (len(result["ultimate"]) + len(result["direct"]) + len(result["significant"])
                + len(result["legal_owners"]))
    assert len(frame) == expected > 0
    assert set(frame["role"]) <= {"ultimate", "direct", "significant", "legal owner"}
    assert "alibaba_group_holding" in set(frame[frame["role"] == "ultimate"]["id"])


def test_a_result_that_is_not_a_table_says_so():
    from ecosystem.api import Result

    with pytest.raises(TypeError, match="not a table"):
        Result({"verdict": "controlled"}).to_frame()
    assert repr(Result({"verdict": "controlled"}, title="plain")) == "plain"


# -- display ---------------------------------------------------------------------------------------


def test_repr_names_the_entities(eco):
    text = repr(eco.controllers("zhejiang_taobao_network"))
    assert text.startswith("Zhejiang Taobao Network Co., Ltd. (zhejiang_taobao_network) as of ")
    assert "Alibaba Group Holding Limited" in text and "Hangzhou Zhenxi" in text
    assert "Ant Group" in repr(eco.search("蚂蚁")) and "Ant Consumer Finance" in repr(eco.search("蚂蚁"))
    explanation = repr(eco.explain("alibaba_group_holding", "ant_group", as_of="2023-06"))
    assert "does not control" in explanation and "not above 50%" in explanation
    path = repr(eco.path("taobao", "mybank"))
    assert "Taobao" in path and "MyBank" in path and "case §3.1, n 7" in path
    assert "MyBank" in repr(eco.entity("mybank")) and "网商银行" in repr(eco.entity("mybank"))


def test_repr_of_a_long_table_is_cut_short(eco):
    text = repr(eco.timeline())
    assert len(text.splitlines()) < 40 and "more rows (to_frame() has them all)" in text


def test_html_is_a_table_with_escaped_text(eco):
    page = eco.search("Yu'ebao")._repr_html_()
    assert page.count("<table>") == 1 and "<th>id</th>" in page and "Yu&#x27;ebao" in page
    assert "<script" not in eco.entity("mybank")._repr_html_()


def test_opening_names_what_it_opens():
    assert "not loaded yet" in repr(ecosystem.open())
    assert "mydata" in repr(ecosystem.open("mydata"))


# -- graphs ----------------------------------------------------------------------------------------


def _edges(graph):
    return sorted((u, v, k, json.dumps(d, sort_keys=True, default=str)) for u, v, k, d in graph.edges(keys=True, data=True))


@pytest.mark.parametrize("as_of", ["2014", "2020-11-03", "2023-06"])
def test_graph_as_of_is_the_snapshot(eco, as_of):
    from ecosystem.graph import build_graph, snapshot
    from ecosystem.loader import load

    expected = snapshot(build_graph(load(BUNDLED, use_cache=False)), as_of)
    graph = eco.graph(as_of=as_of)
    assert dict(graph.nodes(data=True)).keys() == dict(expected.nodes(data=True)).keys()
    assert _edges(graph) == _edges(expected)
    assert graph.graph["as_of"] == expected.graph["as_of"]


def test_graph_without_a_date_holds_every_relation(eco, bundled_dataset):
    graph = eco.graph()
    assert graph.number_of_edges() == len(bundled_dataset.relations)
    assert set(graph) >= set(bundled_dataset.entities)
    assert "as_of" not in graph.graph


# -- errors ----------------------------------------------------------------------------------------


def test_errors_are_the_library_exceptions(eco, tmp_path):
    with pytest.raises(UnknownEntityError, match="ant_grup") as caught:
        eco.controllers("ant_grup")
    assert "ant_group" in caught.value.suggestions
    with pytest.raises(QueryError, match="as-of"):
        eco.entity("ant_group", as_of="2020-13")
    with pytest.raises(ExportError, match="graphml, gexf"):
        eco.export("xls", tmp_path / "out.xls")
    with pytest.raises(QueryError):
        eco.render(output=tmp_path / "x.html")
    missing = ecosystem.open(tmp_path / "missing")
    with pytest.raises(DataError, match="no such folder"):
        missing.search("ant")


def test_bad_data_raises_data_error_not_system_exit(tmp_path):
    folder = bad_data(tmp_path)
    with pytest.raises(DataError) as caught:
        ecosystem.open(folder, use_cache=False).controllers("anything")
    assert caught.value.problems


# -- files -----------------------------------------------------------------------------------------


def test_export_writes_what_the_cli_writes(eco, invoke, tmp_path):
    results = eco.export("graphml", tmp_path / "api.graphml", as_of="2021")
    assert [path.name for result in results for path in result.paths] == ["api.graphml"]
    assert invoke("export", "graphml", "-o", tmp_path / "cli.graphml", "--as-of", "2021").exit_code == 0
    assert (tmp_path / "api.graphml").read_bytes() == (tmp_path / "cli.graphml").read_bytes()


def test_render_to_a_file_and_in_memory(eco, invoke, tmp_path):
    written = eco.render("vie-structure", tmp_path / "api.html")
    assert written == tmp_path / "api.html"
    assert invoke("render", "vie-structure", "-o", tmp_path / "cli.html").exit_code == 0
    assert written.read_bytes() == (tmp_path / "cli.html").read_bytes()
    figure = eco.render(focus="mybank", depth=1)
    assert "MyBank" in figure.html and figure.html.lstrip().lower().startswith("<!doctype html")
    assert figure._repr_html_().startswith("<iframe srcdoc=")
    assert figure.save(tmp_path / "f.html").read_text(encoding="utf-8") == figure.html


# -- laziness --------------------------------------------------------------------------------------

LAZY = r"""
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" and "data" in str(args[0]) else None)
import ecosystem
eco = ecosystem.open()
repr(eco)
heavy = [name for name in ("networkx", "pandas", "yaml", "pydantic", "ecosystem.loader", "ecosystem.graph")
         if name in sys.modules]
data = [path for path in opened if path.endswith((".yaml", ".yml", ".json", ".jsonl"))]
print(heavy, data)
"""


def test_import_and_open_read_nothing():
    result = subprocess.run([sys.executable, "-c", LAZY], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[] []"
