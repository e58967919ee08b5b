"""GraphML, GEXF, JSON, CSV and Neo4j exports, each read back by an independent reader."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import SCHEMAS as SHARED_SCHEMAS

from conftest import ROOT, need, need_binary
from fixtures.export.awkward import awkward_graph

SCHEMAS = SHARED_SCHEMAS
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
GEXF_NS = "{http://gexf.net/1.3}"
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def schema(*parts) -> Path:
    path = SCHEMAS.joinpath(*parts)
    need(path.is_file(), f"the shared schema {path}", "the schemas live in ../shared/schemas beside the repository")
    return path


def xmllint(document: Path, xsd: Path) -> None:
    binary = need_binary("xmllint", "apt-get install libxml2-utils")
    run = subprocess.run([binary, "--noout", "--nonet", "--schema", str(xsd), str(document)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


def xmlschema_valid(document: Path, xsd: Path) -> None:
    import xmlschema

    xmlschema.XMLSchema(str(xsd)).validate(str(document))


@pytest.fixture(scope="module")
def awkward():
    return awkward_graph()


def _shares(graph):
    """(edge key) -> {equity_value, equity_min, ...} as floats, from the graph itself."""
    found = {}
    for _, _, key, data in graph.edges(keys=True, data=True):
        for share in ("equity", "votes"):
            for part, value in (data.get(share) or {}).items():
                if part != "approximate":
                    found.setdefault(key, {})[f"{share}_{part}"] = float(value)
    return found


# ---------------------------------------------------------------------------------------------
# GraphML


@pytest.mark.parametrize("which", ["valid", "awkward"])
def test_graphml_is_schema_valid(which, tmp_path, valid_graph, awkward):
    from ecosystem.exporters.graphml import write_graphml

    path = tmp_path / "g.graphml"
    write_graphml(valid_graph if which == "valid" else awkward, path)
    xsd = schema("graphml", "graphml.xsd")
    xmllint(path, xsd)
    xmlschema_valid(path, xsd)


def test_graphml_reads_back_in_networkx_with_equal_counts_and_shares(tmp_path, awkward):
    import networkx as nx

    from ecosystem.exporters.graphml import write_graphml

    path = tmp_path / "g.graphml"
    write_graphml(awkward, path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == awkward.number_of_nodes()
    assert back.number_of_edges() == awkward.number_of_edges()
    expected = _shares(awkward)
    slugs = {data["label"]: node for node, data in back.nodes(data=True)}
    assert slugs["Cayman Islands"] == "cayman" and "acme" in back  # slug ids are our ids where they are slugs
    read = {}
    for _, _, key, data in back.edges(keys=True, data=True):
        read[key] = {name: value for name, value in data.items() if re.match(r"(equity|votes)_(value|min|max)$", name)}
    for key, shares in expected.items():
        edge_id = key.replace(" ", "_")
        assert read[edge_id] == shares, key
    assert back.nodes["acme"]["label"] == 'ACME "Quotes" <Angle> & Co'
    assert back.nodes["acme"]["names_zh"] == "阿克米公司"
    assert back.nodes["acme"]["start"] == "2001-02-03"
    edge = back.edges["张三", "acme", "zhang_owns_acme"]
    assert edge["weight"] == 33.0 and edge["label"] == "owns shares in" and edge["instruments"] == "a; b"


def test_graphml_reads_back_in_igraph(tmp_path, awkward):
    igraph = pytest.importorskip("igraph")
    from ecosystem.exporters.graphml import write_graphml

    path = tmp_path / "g.graphml"
    write_graphml(awkward, path)
    back = igraph.Graph.Read_GraphML(str(path))
    assert back.vcount() == awkward.number_of_nodes()
    assert back.ecount() == awkward.number_of_edges()
    assert back.is_directed()
    values = sorted(v for v in back.es["equity_value"] if v == v)  # NaN where absent
    assert values == sorted(d["equity"]["value"] for *_, d in awkward.edges(data=True) if "value" in (d.get("equity") or {}))
    assert set(back.vs["label"]) >= {"Cayman Islands", "张三"}


def test_graphml_keys_ids_and_values_are_clean(tmp_path, awkward):
    from ecosystem.exporters.graphml import write_graphml

    path = tmp_path / "g.graphml"
    write_graphml(awkward, path)
    text = path.read_text(encoding="utf-8")
    assert not CONTROL.search(text.replace("\t", "").replace("\n", "").replace("\r", ""))
    root = ET.parse(path).getroot()
    keys = root.findall(f"{GRAPHML_NS}key")
    assert len({k.get("id") for k in keys}) == len(keys)
    per_domain = [(k.get("for"), k.get("attr.name")) for k in keys]
    assert len(set(per_domain)) == len(per_domain)  # one key (so one type) per attribute name
    types = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    assert types["edge", "weight"] == "double" and types["node", "label"] == "string"
    assert types["edge", "mixed"] == "string" and types["edge", "ratio"] == "double"
    edges = root.iter(f"{GRAPHML_NS}edge")
    ids = [e.get("id") for e in edges]
    assert len(ids) == len(set(ids)) == awkward.number_of_edges()
    data_text = [d.text or "" for d in root.iter(f"{GRAPHML_NS}data")]
    assert "None" not in data_text and not any(t.startswith(("[", "{'")) and "'" in t for t in data_text)
    # the record's own `label` and `weight` are kept under other names, not lost
    assert types["node", "record_label"] == "string" and types["edge", "record_weight"] == "string"


def test_graphml_writes_no_python_objects_of_the_graph(tmp_path, awkward):
    from ecosystem.exporters.graphml import write_graphml

    path = tmp_path / "g.graphml"
    write_graphml(awkward, path)
    text = path.read_text(encoding="utf-8")
    assert "Vocabulary" not in text and "relation_types" not in text and "whatever" not in text


# ---------------------------------------------------------------------------------------------
# GEXF


@pytest.mark.parametrize("which", ["valid", "awkward"])
def test_gexf_is_schema_valid(which, tmp_path, valid_graph, awkward):
    from ecosystem.exporters.gexf import write_gexf

    path = tmp_path / "g.gexf"
    write_gexf(valid_graph if which == "valid" else awkward, path)
    xsd = schema("gexf-1.3", "gexf.xsd")
    xmllint(path, xsd)
    xmlschema_valid(path, xsd)


def test_gexf_has_no_reserved_titles_and_dates_relations(tmp_path, awkward):
    from ecosystem.exporters.gexf import write_gexf

    path = tmp_path / "g.gexf"
    write_gexf(awkward, path)
    root = ET.parse(path).getroot()
    titles = [a.get("title") for a in root.iter(f"{GEXF_NS}attribute")]
    assert not set(titles) & {"id", "label", "start", "end", "weight", "type"}
    assert {"relation_type", "entity_type", "start_date", "end_date"} <= set(titles)
    graph = root.find(f"{GEXF_NS}graph")
    assert graph.get("name") is None and graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    assert root.find(f"{GEXF_NS}meta").get("lastmodifieddate") is None
    edges = {e.get("id"): e for e in root.iter(f"{GEXF_NS}edge")}
    dated = edges["zhang_owns_acme"]
    assert (dated.get("start"), dated.get("end")) == ("2014-01-01", "2016-08-31")  # end exclusive -> day before
    assert edges["zhang_owns_acme_later"].get("start") == "2019-11-15"  # as_of counts as a start
    assert edges["fund_owns_acme"].get("start") is None  # ends the month it starts: no interval fits
    nodes = {n.get("id"): n for n in root.iter(f"{GEXF_NS}node")}
    assert (nodes["fund"].get("start"), nodes["fund"].get("end")) == ("2014-09-01", "2019-12-31")


def test_gexf_reads_back_in_networkx(tmp_path, awkward):
    import networkx as nx

    from ecosystem.exporters.gexf import write_gexf

    path = tmp_path / "g.gexf"
    write_gexf(awkward, path)
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == awkward.number_of_nodes()
    assert back.number_of_edges() == awkward.number_of_edges()
    assert back.nodes["acme"]["label"] == 'ACME "Quotes" <Angle> & Co'


def test_gexf_last_modified_only_when_asked(tmp_path, valid_graph):
    from ecosystem.exporters.gexf import write_gexf

    write_gexf(valid_graph, tmp_path / "g.gexf", last_modified="2024-01-02")
    assert 'lastmodifieddate="2024-01-02"' in (tmp_path / "g.gexf").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# JSON


def test_node_link_reads_back_in_networkx(tmp_path, awkward):
    import networkx as nx

    from ecosystem.exporters.json_graph import write_node_link

    path = tmp_path / "g.json"
    write_node_link(awkward, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "edges" in data and "links" not in data
    back = nx.node_link_graph(data, edges="edges")
    assert back.is_multigraph() and back.is_directed()
    assert set(back.nodes) == set(awkward.nodes)
    assert {k for *_, k in back.edges(keys=True)} == {k for *_, k in awkward.edges(keys=True)}
    assert back.edges["张三", "acme", "zhang_owns_acme"]["votes"] == {"min": 20, "max": 30}
    assert back.nodes["acme"]["start"] == "2001-02-03"
    assert back.nodes["acme"]["name"] == 'ACME "Quotes" <Angle> & Co'
    assert "vocabulary" not in back.graph and "sources" not in back.graph


def test_full_json_keeps_records_bibliography_and_labels(tmp_path, awkward):
    from ecosystem.exporters.json_graph import write_json

    path = tmp_path / "g.json"
    write_json(awkward, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    entities = {e["id"]: e for e in data["entities"]}
    relations = {r["id"]: r for r in data["relations"]}
    assert set(entities) == set(awkward.nodes)
    assert entities["weird id/with space"]["record_id"] == "other id"
    assert all(r["from"] in entities and r["to"] in entities for r in relations.values())
    assert set(relations) == {k for *_, k in awkward.edges(keys=True)}
    assert relations["zhang_owns_acme"]["from"] == "张三" and relations["zhang_owns_acme"]["label"] == "owns shares in"
    assert relations["fine"]["category_label"] == "Regulatory"
    assert entities["acme"]["type_label"] == "Company" and entities["acme"]["facts"][0]["value"] == 1e9
    assert {s["id"] for s in data["sources"]} == {"case", "web"}
    assert data["vocabulary"]["relation_types"]["owns"]["bods"] == ["shareholding", "votingRights"]


# ---------------------------------------------------------------------------------------------
# CSV


def test_csv_reads_back_in_csv_and_pandas(tmp_path, awkward):
    import pandas as pd

    from ecosystem.exporters.csv_tables import write_csv

    write_csv(awkward, tmp_path / "csv")
    with open(tmp_path / "csv" / "nodes.csv", encoding="utf-8", newline="") as stream:
        nodes = list(csv.DictReader(stream))
    with open(tmp_path / "csv" / "edges.csv", encoding="utf-8", newline="") as stream:
        edges = list(csv.DictReader(stream))
    assert len(nodes) == awkward.number_of_nodes() and len(edges) == awkward.number_of_edges()
    by_id = {row["id"]: row for row in nodes}
    assert by_id["acme"]["description"] == "line one\nline two\ttab end"
    assert by_id["张三"]["names_en"] == "Zhang San" and by_id["acme"]["aliases"] == "A<1>; B;C; 阿克米"
    assert by_id["weird id/with space"]["record_id"] == "other id"
    frame = pd.read_csv(tmp_path / "csv" / "edges.csv")
    assert list(frame.columns[:6]) == ["id", "from", "to", "type", "label", "category"]
    shares = frame.set_index("id")
    for key, values in _shares(awkward).items():
        for name, value in values.items():
            assert shares.loc[key, name] == value
    assert shares.loc["zhang_owns_acme", "note"] == 'He said "<hi>" & left'
    assert json.loads(by_id["acme"]["facts"])[0]["unit"] == "people"


# ---------------------------------------------------------------------------------------------
# Neo4j

HEADER = re.compile(r"^(:(ID|LABEL|START_ID|END_ID|TYPE)|[A-Za-z_][A-Za-z0-9_]*(:(ID|long|double|boolean|string\[\]|date))?)$")


def test_neo4j_files_follow_the_import_header_convention(tmp_path, awkward):
    import pandas as pd

    from ecosystem.exporters.neo4j import write_neo4j

    write_neo4j(awkward, tmp_path / "neo")
    with open(tmp_path / "neo" / "nodes.csv", encoding="utf-8", newline="") as stream:
        node_rows = list(csv.reader(stream))
    with open(tmp_path / "neo" / "relationships.csv", encoding="utf-8", newline="") as stream:
        edge_rows = list(csv.reader(stream))
    node_header, edge_header = node_rows[0], edge_rows[0]
    assert node_header[:2] == ["id:ID", ":LABEL"] and edge_header[:3] == [":START_ID", ":END_ID", ":TYPE"]
    for name in node_header + edge_header:
        assert HEADER.match(name), name
    nodes = [dict(zip(node_header, row)) for row in node_rows[1:]]
    edges = [dict(zip(edge_header, row)) for row in edge_rows[1:]]
    ids = [row["id:ID"] for row in nodes]
    assert len(ids) == len(set(ids)) == awkward.number_of_nodes()
    assert all(row[":START_ID"] in ids and row[":END_ID"] in ids for row in edges)
    assert len(edges) == awkward.number_of_edges()
    by_id = {row["id:ID"]: row for row in nodes}
    assert by_id["acme"][":LABEL"] == "Entity|Company" and by_id["regulator"][":LABEL"] == "Entity|StateBody"
    assert by_id["acme"]["aliases:string[]"].split("|") == ["A<1>", "B;C", "阿克米"]
    rel = {row["id"]: row for row in edges}
    assert rel["zhang_owns_acme"][":TYPE"] == "OWNS" and float(rel["zhang_owns_acme"]["equity_value:double"]) == 33
    frame = pd.read_csv(tmp_path / "neo" / "relationships.csv")
    assert frame["equity_value:double"].dtype.kind == "f"  # a numeric column, parsed as floats
    assert sorted(frame["equity_value:double"].dropna()) == [25.0, 33.0]
    script = (tmp_path / "neo" / "import.cypher").read_text(encoding="utf-8")
    for name in node_header[2:] + edge_header[4:]:
        assert f"row.`{name}`" in script, name
    for row in edges:
        assert f"row.`:TYPE` = '{row[':TYPE']}'" in script
    assert "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv'" in script


# ---------------------------------------------------------------------------------------------
# every format


def _digest(directory: Path) -> dict:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_write_all_writes_every_format_deterministically(tmp_path, awkward):
    from ecosystem.exporters import FORMATS, write_all

    first = write_all(awkward, tmp_path / "a")
    second = write_all(awkward_graph(), tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    for item in FORMATS.values():
        assert (tmp_path / "a" / item.default_name).exists() == item.in_all, item.name
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert not [p for p in (tmp_path / "a").rglob("*.tmp")]


def test_a_failed_write_leaves_the_old_file(tmp_path):
    from ecosystem.exporters._common import atomic_path

    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as stream:
            stream.write("half")
            raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_writing_into_a_file_path_is_a_clear_error(tmp_path, valid_graph):
    from ecosystem.errors import ExportError
    from ecosystem.exporters.csv_tables import write_csv

    (tmp_path / "taken").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="is a file"):
        write_csv(valid_graph, tmp_path / "taken")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_bundled_data_exports_valid_xml(fmt, tmp_path, bundled_graph):
    from ecosystem.exporters import export

    path = tmp_path / f"g.{fmt}"
    export(bundled_graph, fmt, path)
    xmllint(path, schema("graphml", "graphml.xsd") if fmt == "graphml" else schema("gexf-1.3", "gexf.xsd"))


def test_bundled_data_graphml_reads_back(tmp_path, bundled_graph):
    import networkx as nx

    from ecosystem.exporters.graphml import write_graphml

    write_graphml(bundled_graph, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (bundled_graph.number_of_nodes(),
                                                                bundled_graph.number_of_edges())


def test_an_observation_another_record_replaces_ends_in_every_flat_export(tmp_path):
    """citizen_a's half of the VIE passes to a new holder in 2018 (tests/fixtures/handover: the new record
    names the old in `supersedes`, as docs/DATA_FORMAT.md says to record it, with no end on the old one).
    Read back by networkx, csv and json, GraphML, CSV, node-link JSON and Neo4j said nothing of it ending:
    a researcher counted citizen_a as a holder at every date."""
    import shutil

    import networkx as nx

    from ecosystem.exporters import write_all
    from ecosystem.graph import load_graph

    folder = tmp_path / "data"
    folder.mkdir()
    for part in ("valid", "handover"):
        for file in (ROOT / "tests" / "fixtures" / part).glob("*.yaml"):
            shutil.copy(file, folder / file.name)
    write_all(load_graph(folder, use_cache=False), tmp_path / "out")
    old, new = "citizen_a__owns__vie", "nominee_takes_a_half"
    graphml = nx.read_graphml(tmp_path / "out" / "ecosystem.graphml")
    [edge] = [d for _, _, key, d in graphml.edges(keys=True, data=True) if key == old]
    assert (edge["in_force_end"], edge["superseded_by"]) == ("2018", new)
    rows = {row["id"]: row for row in csv.DictReader((tmp_path / "out" / "csv" / "edges.csv").open(encoding="utf-8"))}
    assert (rows[old]["in_force_end"], rows[old]["superseded_by"]) == ("2018", new)
    assert rows[new]["in_force_end"] == "" and rows["investor__owns__holdco"]["superseded_by"] == ""
    linked = json.loads((tmp_path / "out" / "ecosystem.node-link.json").read_text(encoding="utf-8"))
    [link] = [item for item in linked["edges" if "edges" in linked else "links"] if item.get("key") == old]
    assert (link["in_force_end"], link["superseded_by"]) == ("2018", new)
    neo = {row["id"]: row for row in csv.DictReader((tmp_path / "out" / "neo4j" / "relationships.csv").open(encoding="utf-8"))}
    assert (neo[old]["in_force_end_text"], neo[old]["superseded_by"]) == ("2018", new)
