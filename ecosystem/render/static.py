"""Static figures through Graphviz: ``.dot`` source, and ``.svg`` / ``.png`` / ``.pdf`` via the ``dot``
binary (Debian/Ubuntu: ``apt-get install graphviz``; macOS: ``brew install graphviz``).

The DOT text is written here by hand, sorted, so the same view gives the same bytes. Clusters
are the view's groups (``group_by``); the legend is a table generated from the vocabulary; every
view is drawn by ``dot`` top-down, keeping every holder above what it holds by
giving each hierarchy edge ``minlen`` = the difference of the levels computed in
:mod:`ecosystem.views`, and every other edge ``constraint=false``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap

from ..errors import ExportError
from . import style

FORMATS = ("svg", "png", "pdf")
# page sizes: PNG fits 1920x1080 at 96 dpi, PDF fits A4 landscape
PAGE = {"png": ("20,11.25", "96"), "pdf": ("11.69,8.27", "72")}
CLUSTER_FILL = "#f7f9f9"
INSTALL_HINT = "install Graphviz: apt-get install graphviz (Debian/Ubuntu) or brew install graphviz (macOS)"


def dot_binary(name: str = "dot") -> str:
    found = shutil.which(name)
    if found is None:
        raise ExportError(f"the Graphviz `{name}` program is not installed ({INSTALL_HINT}); "
                          ".html and .dot files do not need it")
    return found


def _quote(text) -> str:
    text = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    return '"' + text.replace("\n", "\\n") + '"'


def _html(text) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def wrap(name: str, width: int = 22) -> str:
    return "\n".join(textwrap.wrap(name, width=width, break_long_words=False)) or name


def to_dot(view_graph) -> str:
    """The view as DOT source (deterministic)."""
    graph = view_graph.graph
    vocabulary = graph.graph["vocabulary"]
    view = view_graph.view
    lines = [f"digraph {_quote(view.name or 'view')} {{"]
    graph_attributes = {
        "label": view_graph.title, "labelloc": "t", "fontsize": "22", "fontname": style.DOT_FONT,
        "bgcolor": "white", "pad": "0.3", "compound": "true", "newrank": "true",
    }
    # dot for every view: a force view's picture on screen comes from vis-network physics, but on a
    # slide a layered drawing (regulators, firms, products, users) reads better than fdp's
    # hierarchical views run top-down; force views (many units per firm) left to right, which keeps
    # a firm's dozen products in a column instead of one row too wide for a slide
    graph_attributes.update(rankdir="TB" if view.layout == "hierarchical" else "LR",
                            nodesep="0.35" if view.layout == "hierarchical" else "0.18",
                            ranksep="0.7" if view.layout == "hierarchical" else "1.1", splines="spline")
    lines += [f"  {key}={_quote(value)};" for key, value in graph_attributes.items()]
    lines.append(f"  node [fontname={_quote(style.DOT_FONT)}, fontsize=\"12\", style=\"filled\", penwidth=\"1\", margin=\"0.12,0.06\"];")
    lines.append(f"  edge [fontname={_quote(style.DOT_FONT)}, fontsize=\"11\", arrowsize=\"0.7\"];")

    clusters: dict[str, list[str]] = {}
    loose = []
    for node in sorted(graph):
        group = view_graph.groups.get(node)
        (clusters.setdefault(group, []) if group else loose).append(node)
    for number, group in enumerate(sorted(clusters, key=lambda g: (view_graph.group_labels.get(g, g), g))):
        cluster_style = _cluster_style(view, vocabulary)
        lines.append(f"  subgraph cluster_{number} {{")
        lines.append(f"    label={_quote(view_graph.group_labels.get(group, group))}; fontsize=\"16\"; "
                     f"style=\"rounded,filled\"; fillcolor={_quote(CLUSTER_FILL)}; color={_quote(cluster_style)}; "
                     f"penwidth=\"2\"; margin=\"14\";")
        lines += [f"    {_node(graph, node)}" for node in clusters[group]]
        lines.append("  }")
    lines += [f"  {_node(graph, node)}" for node in loose]

    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        lines.append(f"  {_edge(view_graph, u, v, key, data)}")
    lines.append(f"  Legend [id=\"Legend\", shape=\"plaintext\", style=\"\", margin=\"0\", label=<{_legend_table(graph)}>];")
    lines.append("  { rank=\"sink\"; Legend; }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _cluster_style(view, vocabulary) -> str:
    if view.group_by == "jurisdiction":
        return style.entity_style(vocabulary, "jurisdiction")["color"]
    return style.FALLBACK_COLOR


def _node(graph, node) -> str:
    data = graph.nodes[node]
    look = style.entity_style(graph.graph["vocabulary"], data["type"])
    shape_style = "rounded,filled" if look["dot_shape"] == "box" else "filled"
    attributes = {
        "label": wrap(data["name"]), "shape": look["dot_shape"], "style": shape_style,
        "fillcolor": look["color"], "fontcolor": style.text_color(look["color"]), "id": node,
        "tooltip": style.entity_tooltip(graph, node),
    }
    if data["type"] in ("unknown_party",):
        attributes["style"] += ",dashed"
    return f"{_quote(node)} [" + ", ".join(f"{key}={_quote(value)}" for key, value in attributes.items()) + "];"


def _edge(view_graph, u, v, key, data) -> str:
    graph = view_graph.graph
    vocabulary = graph.graph["vocabulary"]
    look = style.category_style(vocabulary, data.get("category"))
    definition = vocabulary.relation_types.get(data["type"])
    attributes = {
        "id": key, "color": look["color"], "style": style.DOT_STYLES.get(look["line"], "solid"),
        "penwidth": f"{look['width']:g}", "tooltip": style.edge_tooltip(graph, u, v, data),
    }
    label = style.share_label(data) if view_graph.view.share_labels else ""
    if not label and data.get("category") == "control":
        label = style.relation_phrase(vocabulary, data)
    if label:
        attributes.update(label=wrap(label, 18), fontcolor=look["color"])
    if definition is not None and not definition.directed:
        attributes["dir"] = "none"
    if (u, v, key) in view_graph.hierarchy:
        attributes["minlen"] = str(max(1, view_graph.levels[v] - view_graph.levels[u]))
    else:
        attributes["constraint"] = "false"
    return f"{_quote(u)} -> {_quote(v)} [" + ", ".join(f"{k}={_quote(value)}" for k, value in attributes.items()) + "];"


_LINE_TEXT = {"solid": "━━━━", "dashed": "━ ━ ━", "dotted": "• • • • •"}


def _legend_table(graph) -> str:
    entries = style.legend(graph)
    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    for item in entries["types"]:
        rows.append(f'<TR><TD BGCOLOR="{_html(item["color"])}" WIDTH="28" BORDER="1"> </TD>'
                    f'<TD ALIGN="LEFT">{_html(item["label"])}</TD></TR>')
    for item in entries["categories"]:
        rows.append(f'<TR><TD><FONT COLOR="{_html(item["color"])}">{_LINE_TEXT.get(item["line"], "━━━━")}</FONT></TD>'
                    f'<TD ALIGN="LEFT">{_html(item["label"])} ({_html(item["line"])})</TD></TR>')
    return ('<TABLE BORDER="1" COLOR="#999999" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3" BGCOLOR="white">'
            + "".join(rows) + "</TABLE>")


def run_graphviz(dot_source: str, fmt: str, output: str) -> None:
    """Run Graphviz on ``dot_source`` writing ``fmt`` to ``output``."""
    command = [dot_binary(), f"-T{fmt}" + (":cairo" if fmt in ("png", "pdf") else "")]
    if fmt in PAGE:
        size, dpi = PAGE[fmt]
        command += [f"-Gsize={size}", f"-Gdpi={dpi}"]
    command += ["-o", output]
    environment = dict(os.environ, SOURCE_DATE_EPOCH="0")  # no timestamps in PDF/PNG metadata
    try:
        completed = subprocess.run(command, input=dot_source.encode("utf-8"), capture_output=True,
                                   env=environment, timeout=300)
    except subprocess.TimeoutExpired:
        raise ExportError("Graphviz took more than 5 minutes; draw a smaller view (--focus ID --depth 1)") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExportError(f"Graphviz failed to write {fmt.upper()}: {message[-1] if message else 'unknown error'}")


def dot_positions(view_graph) -> dict | None:
    """Node positions and cluster boxes from Graphviz (points, y downwards), or None without Graphviz."""
    if shutil.which("dot") is None:
        return None
    completed = subprocess.run([dot_binary(), "-Tjson"], input=to_dot(view_graph).encode("utf-8"),
                               capture_output=True, timeout=300)
    if completed.returncode != 0:
        return None
    layout = json.loads(completed.stdout)
    top = float(layout["bb"].split(",")[3])
    positions, clusters = {}, []
    for item in layout.get("objects", []):
        if "pos" in item and item["name"] != "Legend":
            x, y = (float(value) for value in item["pos"].split(","))
            positions[item["name"]] = [round(x, 1), round(top - y, 1)]
        elif item.get("name", "").startswith("cluster_") and "bb" in item:
            x0, y0, x1, y1 = (float(value) for value in item["bb"].split(","))
            clusters.append({"label": item.get("label", ""), "x": round(x0, 1), "y": round(top - y1, 1),
                             "w": round(x1 - x0, 1), "h": round(y1 - y0, 1)})
    return {"positions": positions, "clusters": clusters}
