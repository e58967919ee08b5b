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


def wrap_zh(text: str, width: int = 12) -> str:
    """A label in Chinese in rows of about ``width`` Chinese characters (a Latin letter or digit
    counts half), broken at spaces and after 、：，; a run longer than a row is cut."""
    import re

    limit = 2 * width

    def units(piece: str) -> int:
        return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f" else 1
                   for ch in piece)

    tokens = [token for token in re.split(r"(?<=[、：，])|\s+", text) if token]
    rows, row = [], ""
    for token in tokens:
        glue = "" if not row or row[-1] in "、：，" else " "
        if row and units(row + glue + token) > limit:
            rows.append(row)
            row = ""
            glue = ""
        while units(token) > limit:  # a run with no break in it
            cut = 1
            while units(token[:cut + 1]) <= limit:
                cut += 1
            rows.append(token[:cut])
            token = token[cut:]
        row = row + glue + token
    if row:
        rows.append(row)
    return "\n".join(rows) or text


def wrap(name: str, width: int = 22) -> str:
    if " " not in name and len(name) > width and any("\u4e00" <= ch <= "\u9fff" for ch in name):
        # Chinese: no spaces to break at; rows of equal length (阿里巴巴集团 / 控股有限公司, not a last row of one)
        rows = -(-len(name) // width)
        size = -(-len(name) // rows)
        return "\n".join(name[i:i + size] for i in range(0, len(name), size))
    return "\n".join(textwrap.wrap(name, width=width, break_long_words=False)) or name


# Graphviz shapes that grow much larger than their label, and the compact shape drawn instead
# (the colour, not the shape, is what the legend keys)
COMPACT_SHAPES = {"invtriangle": "invhouse", "triangle": "house", "diamond": "cds"}
# shapes that grow taller with every line of text: their labels wrapped wider
WIDE_SHAPES = ("invhouse", "house")  # hexagons and octagons grow wider too: not these
FONT_SIZES = {"title": 26, "cluster": 20, "node": 15, "edge": 14, "share": 15, "legend": 14, "role": 14}
MEMBERSHIP = ("ownership", "control", "corporate")  # a unit belongs to its holder
STACK_ROW = 5  # stack: fewest units in a row
LAYOUT_SEED = 7  # neato/fdp/sfdp start from the same seed: same data, same picture
FORCE_ENGINES = ("neato", "fdp", "sfdp")


def engine(view) -> str:
    """The Graphviz layout program for a view's static figure (``engine:`` in views.yaml, else dot)."""
    return view.engine or "dot"


def to_dot(view_graph, legend: bool = True, language: str = "en") -> str:
    """The view as DOT source (deterministic); the graph's ``layout`` attribute names the engine.

    ``legend=False`` leaves out the legend table (the HTML page has a legend of its own);
    ``language="zh"`` labels entities with their Chinese names (``names.zh``, else the English
    name) and role tags in Chinese (the CJK glyphs come from the fonts setup.sh installs)."""
    graph = view_graph.graph
    vocabulary = graph.graph["vocabulary"]
    view = view_graph.view
    program = engine(view)
    width = 22 if view.layout == "hierarchical" else 18  # narrower labels where many sit in a row
    lines = [f"digraph {_quote(view.name or 'view')} {{"]
    graph_attributes = {
        "layout": program, "label": view_graph.title, "labelloc": "t", "fontsize": str(FONT_SIZES["title"]),
        "fontname": style.DOT_FONT, "bgcolor": "white", "pad": "0.3",
    }
    if program == "dot":
        # hierarchical views run top-down with holders above holdings (minlen from the levels);
        # a view with top/bottom rows (the ecosystem) too, every edge pointing down the rows
        graph_attributes.update(compound="true", newrank="true", rankdir="TB",
                                nodesep="0.35" if view.layout == "hierarchical" else "0.25",
                                ranksep="0.7" if view.layout == "hierarchical" else "0.5",
                                splines="spline")
    else:
        graph_attributes.update(start=str(LAYOUT_SEED), overlap="prism", overlap_scaling="-4", sep="+14",
                                esep="+6", splines="true", K="1.2" if program == "fdp" else "0.9")
    lines += [f"  {key}={_quote(value)};" for key, value in graph_attributes.items()]
    lines.append(f"  node [fontname={_quote(style.DOT_FONT)}, fontsize=\"{FONT_SIZES['node']}\", style=\"filled\", "
                 "penwidth=\"1\", margin=\"0.12,0.05\"];")
    lines.append(f"  edge [fontname={_quote(style.DOT_FONT)}, fontsize=\"{FONT_SIZES['edge']}\", arrowsize=\"0.8\"];")

    clusters: dict[str, list[str]] = {}
    loose = []
    for node in sorted(graph):
        group = view_graph.groups.get(node)
        (clusters.setdefault(group, []) if group else loose).append(node)
    roles = view_graph.roles
    onshore = divider_jurisdictions(view_graph) if program == "dot" else set()
    titles = cluster_titles(view_graph, language)
    offshore_groups = [group for group in clusters if group not in onshore] if onshore else []
    # an entity standing for several in different offshore jurisdictions (a collapsed pattern)
    offshore_loose = [node for node in loose if onshore and graph.nodes[node].get("jurisdictions")
                      and not set(graph.nodes[node]["jurisdictions"]) & onshore] if offshore_groups else []
    loose = [node for node in loose if node not in offshore_loose]
    if offshore_groups:
        # the offshore / onshore divider: the offshore boxes inside one dashed box, above every
        # onshore entity (invisible edges through one invisible point rank them so)
        lines.append("  subgraph cluster_offshore {")
        lines.append(f"    label={_quote(titles['cluster_offshore'])}; labeljust=\"l\"; labelloc=\"b\"; "
                     f"fontsize=\"{FONT_SIZES['cluster']}\"; style=\"dashed,rounded\"; color=\"#7f8c8d\"; "
                     "penwidth=\"2\"; margin=\"18\";")
        lines += [f"    {_node(graph, node, width, roles.get(node), language)}" for node in offshore_loose]
    for number, group in enumerate(cluster_order(view_graph, clusters)):
        cluster_style = _cluster_style(view, vocabulary)
        label = titles[f"cluster_{number}"]
        indent = "  " if group in offshore_groups else ""
        lines.append(f"{indent}  subgraph cluster_{number} {{")
        lines.append(f"{indent}    label={_quote(label)}; labelloc=\"t\"; fontsize=\"{FONT_SIZES['cluster']}\"; "
                     f"style=\"rounded,filled\"; fillcolor={_quote(CLUSTER_FILL)}; color={_quote(cluster_style)}; "
                     f"penwidth=\"2\"; margin=\"14\";")
        lines += [f"{indent}    {_node(graph, node, width, roles.get(node), language)}" for node in clusters[group]]
        lines.append(f"{indent}  }}")
        if group in offshore_groups and group == _last(offshore_groups, view_graph):
            lines.append("  }")
    lines += [f"  {_node(graph, node, width, roles.get(node), language)}" for node in loose]
    if offshore_groups:
        # one row per tier of the structure: the WFOEs side by side, their VIEs in the row below
        for role in ("WFOE", "VIE"):
            tier = sorted(node for node in graph if role in roles.get(node, []))
            if len(tier) > 1:
                lines.append("  { rank=\"same\"; " + " ".join(f"{_quote(node)};" for node in tier) + " }")
        lines.append('  "__divider" [shape="point", style="invis", width="0", label=""];')
        for node in offshore_loose:
            lines.append(f'  {_quote(node)} -> "__divider" [style="invis", weight="0"];')
        for group in sorted(clusters):
            for node in clusters[group]:
                if group in onshore:
                    lines.append(f'  "__divider" -> {_quote(node)} [style="invis", weight="0"];')
                else:
                    lines.append(f'  {_quote(node)} -> "__divider" [style="invis", weight="0"];')

    bands = _bands(view_graph) if program == "dot" else {}
    rows = _bottom_rows(view_graph, bands)
    for rank, members in [("min", [n for n, b in bands.items() if b == 0])] \
            + [("same", row) for row in rows[:-1]] + [("max", rows[-1] if rows else [])]:
        if members:
            lines.append(f"  {{ rank=\"{rank}\"; " + " ".join(f"{_quote(node)};" for node in sorted(members)) + " }")
    for upper, lower in zip(rows, rows[1:]):  # each bottom row right above the next
        lines += [f"  {_quote(node)} -> {_quote(lower[0])} [style=\"invis\", weight=\"8\"];" for node in upper]
    stagger = _stagger(view_graph) if program == "dot" else {}
    phrased: set = set()  # an undirected relation (acts in concert) is named once per entity
    for edge in _edge_bundles(view_graph):
        lines.append(f"  {_edge(view_graph, edge, bands, stagger, program, phrased, language)}")
    if legend:
        lines.append(f"  Legend [id=\"Legend\", shape=\"plaintext\", style=\"\", margin=\"0\", "
                     f"fontsize=\"{FONT_SIZES['legend']}\", label=<{_legend_table(view_graph, language)}>];")
    if legend and program == "dot":
        # the legend in the top row when there is one (the bottom row of a banded figure is full)
        lines.append("  { rank=\"min\"; Legend; }" if any(value == 0 for value in bands.values())
                     else "  { rank=\"sink\"; Legend; }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def cluster_order(view_graph, groups) -> list:
    """The boxes in drawing order (by title, then id): ``cluster_N`` is the N-th, in the DOT source and
    in :func:`cluster_titles` alike."""
    return sorted(groups, key=lambda g: (view_graph.group_labels.get(g, g), g))


def cluster_titles(view_graph, language: str = "en") -> dict[str, str]:
    """The title of each box of the figure, by its Graphviz name (``cluster_N`` in the order of
    their English titles, ``cluster_offshore`` for the divider's offshore box), in ``language``
    (Chinese names where the data has them)."""
    zh = language == "zh"

    def title(group):
        if zh and group in view_graph.group_labels_zh:
            return view_graph.group_labels_zh[group]
        return view_graph.group_labels.get(group, group)

    grouped = set(view_graph.groups.values())
    onshore = divider_jurisdictions(view_graph) if engine(view_graph.view) == "dot" else set()
    titles = {}
    if onshore and grouped - onshore:
        names = sorted(title(j) for j in onshore)
        titles["cluster_offshore"] = ("境外：" + "、".join(names) + "以外") if zh else \
            "Offshore: outside " + " and ".join(names)
    for number, group in enumerate(cluster_order(view_graph, grouped)):
        name = title(group)
        if group in onshore:
            name = f"境内：{name}" if zh else f"Onshore: {name}"
        titles[f"cluster_{number}"] = name
    return titles


def divider_jurisdictions(view_graph) -> set:
    """The onshore jurisdictions of a structure figure (grouped by jurisdiction, with VIEs): the
    figure draws the offshore / onshore divider above them. Empty for any other figure."""
    if view_graph.view.group_by != "jurisdiction":
        return set()
    from ..roles import onshore_jurisdictions

    return onshore_jurisdictions(view_graph.graph) & set(view_graph.groups.values())


def _last(groups, view_graph):
    return sorted(groups, key=lambda g: (view_graph.group_labels.get(g, g), g))[-1]


def _cluster_style(view, vocabulary) -> str:
    if view.group_by == "jurisdiction":
        return style.entity_style(vocabulary, "jurisdiction")["color"]
    return style.FALLBACK_COLOR


def _node(graph, node, width: int = 22, roles=None, language: str = "en") -> str:
    data = graph.nodes[node]
    look = style.entity_style(graph.graph["vocabulary"], data["type"])
    shape = COMPACT_SHAPES.get(look["dot_shape"], look["dot_shape"])
    shape_style = "rounded,filled" if shape == "box" else "filled"
    name = data["name"]
    if language == "zh" and (data.get("names") or {}).get("zh"):
        name = data["names"]["zh"]
        width = max(6, width // 2)  # a Chinese character is about two Latin letters wide
    attributes = {
        "label": wrap(name, width), "shape": shape, "style": shape_style,
        "fillcolor": look["color"], "fontcolor": style.text_color(look["color"]), "id": node,
        "tooltip": style.entity_tooltip(graph, node),
    }
    if shape in WIDE_SHAPES + ("hexagon", "doubleoctagon", "octagon"):
        attributes.update(margin="0.04,0.03", label=wrap(name, width + (6 if shape in WIDE_SHAPES else 0)))
    if data["type"] in ("unknown_party",):
        attributes["style"] += ",dashed"
    label = _quote(attributes.pop("label"))
    if roles:
        # the structural role as a tag under the name (an HTML-like label: smaller, in italics)
        rows = [_html(row) for row in label_rows(attributes, name, width, shape)]
        tag = _html(role_text(roles, language))
        label = ("<" + "<BR/>".join(rows) + f'<BR/><FONT POINT-SIZE="{FONT_SIZES["role"]}"><I>{tag}</I></FONT>>')
    return f"{_quote(node)} [label={label}, " + ", ".join(f"{key}={_quote(value)}" for key, value in attributes.items()) + "];"


def label_rows(attributes, name, width, shape) -> list[str]:
    return wrap(name, width + (6 if shape in WIDE_SHAPES else 0)).splitlines()


def role_text(roles, language: str = "en") -> str:
    from ..roles import role_tag

    return role_tag(roles, language)


def _bands(view_graph) -> dict[str, int]:
    """Row band of every node for a dot figure: 0 top (``top_types``), 1 middle, 2 bottom."""
    view = view_graph.view
    if not view.top_types and not view.bottom_types:
        return {}
    result = {}
    for node, data in view_graph.graph.nodes(data=True):
        result[node] = 0 if data["type"] in view.top_types else 2 if data["type"] in view.bottom_types else 1
    return result


def _bottom_rows(view_graph, bands) -> list[list[str]]:
    """``bottom_rows: N``: the bottom band in N rows, the entities with most relations in the
    upper row (their many lines stay short), each row sorted by name."""
    bottom = [node for node, band in bands.items() if band == 2]
    if not bottom:
        return []
    graph = view_graph.graph
    count = min(view_graph.view.bottom_rows, len(bottom))
    ordered = sorted(bottom, key=lambda node: (-graph.degree(node), graph.nodes[node]["name"].lower(), node))
    size = -(-len(ordered) // count)
    return [sorted(ordered[start:start + size]) for start in range(0, len(ordered), size)]


def _stagger(view_graph) -> dict[tuple, int]:
    """``stack: N``: a holder's many units (same group and band) spread over up to N rows of at
    least ``STACK_ROW`` units, as Graphviz's
    ``unflatten`` does, those with most relations to the bottom row lowest (their lines to it stay
    short): (holder, unit) -> extra rows."""
    view = view_graph.view
    if view.stack <= 1:
        return {}
    graph = view_graph.graph
    bands = _bands(view_graph)

    def downwards(node) -> int:
        return sum(1 for other in nx_neighbours(graph, node) if bands.get(other, 1) > bands.get(node, 1))

    result = {}
    for holder in sorted(graph):
        units = sorted({v for _, v, d in graph.out_edges(holder, data=True)
                        if d.get("category") in MEMBERSHIP and v != holder
                        and view_graph.groups.get(v) == view_graph.groups.get(holder)
                        and bands.get(v, 1) == bands.get(holder, 1)},
                       key=lambda n: (downwards(n), graph.nodes[n]["type"], graph.nodes[n]["name"].lower(), n))
        if len(units) <= STACK_ROW:
            continue
        size = max(STACK_ROW, -(-len(units) // view.stack))
        for index, unit in enumerate(units):
            result[(holder, unit)] = index // size
    return result


def nx_neighbours(graph, node) -> set:
    return set(graph.predecessors(node)) | set(graph.successors(node))


def _edge_bundles(view_graph) -> list[dict]:
    """The drawn lines: every relation between the same two entities is one line (one label
    listing each relation's shares or phrase, its tooltip listing each; arrowheads at both ends
    if they point both ways; drawn in the style of the strongest category), in a stable order."""
    graph = view_graph.graph
    categories = list(graph.graph["vocabulary"].categories)
    bundles: dict[tuple, dict] = {}
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        pair = (min(u, v), max(u, v))
        bundle = bundles.setdefault(pair, {"u": u, "v": v, "edges": []})
        bundle["edges"].append((u, v, key, data))

    def strength(edge):
        category = edge[3].get("category")
        return categories.index(category) if category in categories else len(categories)

    for bundle in bundles.values():
        bundle["edges"].sort(key=lambda edge: (strength(edge), edge[0], edge[1], edge[2]))
        bundle["id"] = "+".join(key for _, _, key, _ in bundle["edges"])
    return [bundles[pair] for pair in sorted(bundles)]


def bundle_labels(view_graph, bundle, phrased=None, language: str = "en") -> list[tuple[str, str]]:
    """(relation key, text) for each relation of a line that has something to say, each text once.

    One labelled relation shows its shares (or how it controls); several are told apart by their
    phrase: ``owns ~25%`` and ``invested in 0-80%`` on the one line from SoftBank to Alibaba
    (``持股 ~25%`` and ``投资 0-80%`` in Chinese)."""
    graph = view_graph.graph
    vocabulary = graph.graph["vocabulary"]
    found = []
    for a, b, key, item in bundle["edges"]:
        label = style.edge_label(vocabulary, item, view_graph.view.share_labels, language=language)
        definition = vocabulary.relation_types.get(item["type"])
        directed = definition is None or definition.directed
        if label and not directed and phrased is not None and not style.share_label(item):
            if (a, item["type"]) in phrased or (b, item["type"]) in phrased:
                continue  # the same words again beside the same entity: once is enough
            phrased.update({(a, item["type"]), (b, item["type"])})
        if label:
            found.append((key, item, label))
    if len({label for _, _, label in found}) > 1:
        found = [(key, item, label if not style.share_label(item) else
                  f"{_verb(style.relation_phrase(vocabulary, item, language))} {label}") for key, item, label in found]
    result, seen = [], set()
    for key, _, label in found:
        if label not in seen:
            seen.add(label)
            result.append((key, label))
    return result


def _verb(phrase: str) -> str:
    """``owns shares in`` -> ``owns``, ``invested in`` -> ``invested``: the phrase before a share."""
    for ending in (" shares in", " in", " of"):
        if phrase.endswith(ending):
            return phrase[: -len(ending)]
    return phrase


def label_markup(lines: list[str], width: int, language: str = "en") -> str:
    """An edge label as a Graphviz HTML-like label: padding around the text keeps two labels that
    Graphviz puts side by side from reading as one."""
    rows = []
    for line in lines:
        rows += (wrap_zh(line) if language == "zh" else wrap(line, width)).splitlines()
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4"><TR><TD>'
            + "<BR/>".join(_html(row) for row in rows) + "</TD></TR></TABLE>>")


def _edge(view_graph, bundle, bands, stagger, program, phrased=None, language: str = "en") -> str:
    graph = view_graph.graph
    vocabulary = graph.graph["vocabulary"]
    u, v = bundle["u"], bundle["v"]
    members = bundle["edges"]
    data = members[0][3]
    look = style.category_style(vocabulary, data.get("category"))
    forward = any(a == u for a, _, _, _ in members)
    backward = any(a == v for a, _, _, _ in members)
    directed = [vocabulary.relation_types.get(d["type"]) is None or vocabulary.relation_types[d["type"]].directed
                for _, _, _, d in members]
    attributes = {
        "id": bundle["id"], "color": look["color"],
        "style": style.DOT_STYLES.get(look["line"], "solid"), "penwidth": f"{look['width']:g}",
        "tooltip": "\n\n".join(style.edge_tooltip(graph, a, b, d) for a, b, _, d in members),
    }
    labels = [text for _, text in bundle_labels(view_graph, bundle, phrased, language)]
    if labels:
        text = "; ".join(labels)
        attributes.update(label=label_markup(labels, 20 if len(text) <= 40 else 30, language), fontcolor=look["color"])
        if any(d.get("category") == "ownership" and style.share_label(d) for _, _, _, d in members):
            attributes["fontsize"] = str(FONT_SIZES["share"])  # the stakes are what a reader looks for
    tail, head = u, v
    if program == "dot":
        if bands:
            if bands[u] > bands[v]:  # drawn downwards; the arrowheads still show where the relation points
                tail, head = v, u
            extra = stagger.get((tail, head), 0)
            if extra:
                attributes["minlen"] = str(1 + extra)
            tail_group, head_group = view_graph.groups.get(tail), view_graph.groups.get(head)
            if bands[tail] == 1 and bands[head] == 1 and tail_group and head_group and tail_group != head_group:
                attributes["constraint"] = "false"  # side by side: one firm's units never pushed below the other's
            elif bands[tail] != bands[head]:
                attributes["weight"] = "0"  # a unit with many customers is not pulled down to them
            elif view_graph.groups.get(tail) and view_graph.groups.get(tail) == view_graph.groups.get(head):
                attributes["weight"] = "4"  # units close to their holder
        else:
            hierarchy = [(a, b) for a, b, key, _ in members if (a, b, key) in view_graph.hierarchy]
            if hierarchy:
                tail, head = hierarchy[0]
                attributes["minlen"] = str(max(1, view_graph.levels[head] - view_graph.levels[tail]))
            else:
                attributes["constraint"] = "false"
    pointing = {(a, b) for (a, b, _, d), is_directed in zip(members, directed) if is_directed}
    if not pointing:
        attributes["dir"] = "none"
    elif (tail, head) in pointing and (head, tail) in pointing:
        attributes["dir"] = "both"
    elif (head, tail) in pointing:
        attributes["dir"] = "back"
    return f"{_quote(tail)} -> {_quote(head)} [" + ", ".join(
        f"{k}={value if k == 'label' else _quote(value)}" for k, value in attributes.items()) + "];"


_LINE_TEXT = {"solid": "━━━━", "dashed": "━ ━ ━", "dotted": "• • • • •"}


LINE_ZH = {"solid": "实线", "dashed": "虚线", "dotted": "点线"}


def _legend_table(view_graph, language: str = "en") -> str:
    """The legend as a table in two columns (entity types beside relation categories), so it is
    wide and low: it sits in a row of the figure and would make that row as tall as itself."""
    graph = view_graph.graph
    entries = style.legend(graph)
    zh = language == "zh"

    def said(item):
        return item.get("zh", item["label"]) if zh else item["label"]

    types = [f'<TD BGCOLOR="{_html(item["color"])}" WIDTH="28" BORDER="1"> </TD>'
             f'<TD ALIGN="LEFT">{_html(said(item))}</TD>' for item in entries["types"]]
    categories = [f'<TD><FONT COLOR="{_html(item["color"])}">{_LINE_TEXT.get(item["line"], "━━━━")}</FONT></TD>'
                  f'<TD ALIGN="LEFT">{_html(said(item))} '
                  f'({_html(LINE_ZH.get(item["line"], item["line"]) if zh else item["line"])})</TD>'
                  for item in entries["categories"]]
    empty = "<TD></TD><TD></TD>"
    rows = [f'<TR><TD COLSPAN="4" ALIGN="LEFT"><B>{"图例" if zh else "Legend"}</B></TD></TR>']
    for index in range(max(len(types), len(categories))):
        rows.append("<TR>" + (types[index] if index < len(types) else empty)
                    + (categories[index] if index < len(categories) else empty) + "</TR>")
    for note in ([] if zh else style.legend_notes(graph)):  # (in Chinese the lines name the contracts in full)
        text = '<BR ALIGN="LEFT"/>'.join(_html(line) for line in wrap(note, 64).splitlines())
        rows.append(f'<TR><TD COLSPAN="4" ALIGN="LEFT">{text}<BR ALIGN="LEFT"/></TD></TR>')
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
    if fmt == "pdf":
        _fix_pdf_date(output)


def _fix_pdf_date(path: str) -> None:
    """cairo before 1.17 ignores SOURCE_DATE_EPOCH and stamps the PDF with the current second: put
    the epoch there instead, digit for digit (same length, so the cross-reference offsets hold)."""
    import re

    with open(path, "rb") as handle:
        content = handle.read()
    fixed = re.sub(rb"/(CreationDate|ModDate) \(D:(\d+)", lambda match: b"/" + match.group(1) + b" (D:"
                   + b"19700101000000"[:len(match.group(2))].ljust(len(match.group(2)), b"0"), content)
    if fixed != content:
        with open(path, "wb") as handle:
            handle.write(fixed)


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
