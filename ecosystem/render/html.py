"""The interactive figure: one self-contained HTML file that works offline.

Why not pyvis's ``Network.write_html``: its in-line template still links Bootstrap from a CDN,
``from_nx`` changes the graph it is given, ``set_options`` mangles values, and titles containing
"href" switch tooltips to innerHTML. We only take pyvis's bundled copy of vis-network (inlined,
source-map comment removed) and write the vis-network data and options as JSON ourselves, into
our own template (``template.html``): no request to any host (a Content-Security-Policy forbids
them), tooltips and search results set through ``textContent``, the JSON embedded with ``<``,
``>`` and ``&`` escaped.

Layout: every view but a plain force view is drawn from its Graphviz picture when ``dot`` is
installed (the same positions, shapes, lines and labels as the SVG/PNG; see :mod:`.layout`), else
vis-network's hierarchical layout on the levels
computed in :mod:`ecosystem.views`; physics is off in both. Force views run vis-network physics
with a fixed seed, straight edges on large graphs and a bounded number of stabilisation
iterations, then switch physics off. The page sets ``window.ecosystemLayoutDone = true``,
``data-layout="done"`` on ``<body>`` and fires a ``layoutdone`` event when the layout is final.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

from ..roles import role_tag
from . import style
from .static import wrap, wrap_zh

TEMPLATE = Path(__file__).with_name("template.html")
PAGE_JS = Path(__file__).with_name("page.js")  # the page's own code, inlined
LARGE = 200  # above this many nodes: straight edges, fewer iterations, no improvedLayout


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """pyvis's bundled vis-network, ready to inline."""
    import pyvis

    path = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    if not path.is_file():
        from ..errors import ExportError

        raise ExportError(f"vis-network not found at {path}; reinstall pyvis (pip install 'pyvis>=0.3.2')")
    text = path.read_text(encoding="utf-8")
    # not splitlines(): the code holds U+0085 inside a string, which Python would take for a line end
    text = re.sub(r"(?m)^//# sourceMappingURL=.*$", "", text)
    # only "</script" (any case) or "<!--" could end or confuse the <script> element; the code has neither,
    # but a future copy might: "<\/script" means the same inside a JS string

    return re.sub(r"<(/script|!--)", lambda match: "<\\" + match.group(1), text, flags=re.IGNORECASE)


def options(view_graph, node_count: int) -> dict:
    """vis-network options for a view, as a dict (never through pyvis's ``set_options``)."""
    large = node_count > LARGE
    result = {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": not large},
        "nodes": {"font": {"size": 14, "face": style.FONT}, "borderWidth": 1, "margin": 8,
                  "shapeProperties": {"interpolation": False}},
        "edges": {"smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.3},
                  "font": {"size": 12, "face": style.FONT, "align": "horizontal", "strokeWidth": 4,
                           "strokeColor": "#ffffff"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
                  "selectionWidth": 2, "hoverWidth": 1},
        "interaction": {"hover": True, "tooltipDelay": 3600000, "hideEdgesOnDrag": large,
                        "navigationButtons": False, "keyboard": False},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "centralGravity": 0.012, "springLength": 120,
                                 "springConstant": 0.05, "damping": 0.5, "avoidOverlap": 0.6},
            "stabilization": {"enabled": True, "iterations": 150 if large else 500, "updateInterval": 25,
                              "fit": True},
            "minVelocity": 2 if large else 0.75, "maxVelocity": 60, "timestep": 0.5,
        },
    }
    if view_graph.view.layout == "hierarchical":
        result["physics"] = {"enabled": False}
        result["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier", "forceDirection": "vertical",
                                     "roundness": 0.4}
    return result


def uses_graphviz(view) -> bool:
    """Every view is laid out by Graphviz in the page too (the picture of the static figure),
    except a view that asks for a force layout and names no Graphviz program."""
    return view.layout != "force" or view.engine is not None or view.group_by != "none"


def main_entity(view_graph) -> str | None:
    """The entity a view is about: its first focus entity drawn, else the most connected one."""
    graph = view_graph.graph
    for node in view_graph.view.focus_ids():
        if node in graph:
            return node
    if not graph:
        return None
    return sorted(graph, key=lambda node: (-graph.degree(node), node))[0]


def page_data(view_graph, layout=None, time=None) -> dict:
    """Everything the page draws, as plain JSON-ready data (sorted: same data, same bytes).

    ``layout``: the Graphviz picture (:func:`ecosystem.render.layout.graphviz_layout`), drawn
    as it is; without it vis-network lays the view out (physics, or levels for a hierarchy).
    ``time``: the date slider's document (:func:`ecosystem.render.timeline.view_timeline`): its
    dates go to ``time``, and each entity and relation carries the dates it is drawn on (``days``:
    runs of indices into the dates), each entity its control verdicts (``verdicts``: runs
    ``[first, last, verdict]``). Every entity and relation carries its tooltip (``tip``); the
    colour, dashes and width of a relation are its category's (``edgeStyles``). The data of a
    large view stays small: nothing is repeated per date or per relation that a run or a
    category can say once."""
    graph = view_graph.graph
    vocabulary = graph.graph["vocabulary"]
    from ..query import names_of

    nodes, names = [], {}
    for node in sorted(graph):
        data = graph.nodes[node]
        item = {"id": node, "label": wrap(data["name"]), "group": data["type"],
                "tip": style.entity_tooltip(graph, node, verdict=False)}  # the page adds the verdict shown
        zh = (data.get("names") or {}).get("zh")
        if zh:
            item["zh"] = zh
        if time is not None:  # the dates (indices into time["dates"]) the entity is drawn, its verdict at each
            item["days"] = time["nodes"].get(node, [])
            if time["verdicts"].get(node):
                item["verdicts"] = time["verdicts"][node]
        elif data.get("control_verdict"):
            item["verdict"] = data["control_verdict"]
        roles = view_graph.roles.get(node)
        if roles:
            item["roles"] = roles
            item["zhRole"] = role_tag(roles, "zh")
        if layout is not None and node in layout["nodes"]:
            placed = layout["nodes"][node]
            item.update(x=placed["x"], y=placed["y"], shape="custom")
        elif view_graph.view.layout == "hierarchical":
            item["level"] = view_graph.levels.get(node, 0)
        nodes.append(item)
        names[node] = [name for _, name in names_of(data)] + [node]

    edges, edge_styles = [], {}
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        category = data.get("category")
        look = style.category_style(vocabulary, category)
        edge_styles[category or ""] = {"color": look["color"], "dashes": style.VIS_DASHES.get(look["line"], False),
                                       "width": look["width"]}
        definition = vocabulary.relation_types.get(data["type"])
        label = style.edge_label(vocabulary, data, view_graph.view.share_labels,
                                 control_phrases=view_graph.view.layout == "hierarchical")
        item = {"id": key, "from": u, "to": v, "type": data["type"], "category": category,
                "tip": style.edge_tooltip(graph, u, v, data)}
        if time is not None:
            item["days"] = time["edges"].get(key, [])
        if label:
            item["shareLabel"] = wrap(label, 18 if len(label) <= 40 else 30)
            zh = style.edge_label(vocabulary, data, view_graph.view.share_labels,
                                  control_phrases=view_graph.view.layout == "hierarchical", language="zh")
            if zh != label:
                item["zhLabel"] = wrap_zh(zh)
        if definition is not None and not definition.directed:
            item["arrows"] = {"to": {"enabled": False}}
        edges.append(item)

    page_options = options(view_graph, len(nodes))
    if layout is not None:
        page_options["physics"] = {"enabled": False}
        page_options["interaction"]["dragNodes"] = False
    return {
        "title": view_graph.title,
        "titleBase": view_graph.view.title,
        "description": view_graph.view.description,
        "view": view_graph.view.name,
        "asOf": view_graph.as_of,
        "layout": view_graph.view.layout,
        "main": main_entity(view_graph),
        "nodes": nodes,
        "edges": edges,
        "names": names,
        "edgeStyles": edge_styles,
        "legend": {**style.legend(graph), "notes": style.legend_notes(graph)},
        "graphviz": layout,
        "time": {"dates": time["dates"], "start": time["start"]} if time is not None else None,
        "font": style.FONT,
        "verdictsZh": style.VERDICT_ZH,
        "options": {**page_options, "groups": groups(graph)},
    }


def groups(graph) -> dict:
    """vis-network groups, one per entity type in the view: colour, shape and label colour
    once per type rather than on every node (a large view stays small)."""
    vocabulary = graph.graph["vocabulary"]
    result = {}
    for type_id in sorted({data["type"] for _, data in graph.nodes(data=True)}):
        look = style.entity_style(vocabulary, type_id)
        inside = look["shape"] in style.VIS_LABEL_INSIDE
        group = {
            "shape": look["shape"],
            "color": {"background": look["color"], "border": "#333333",
                      "highlight": {"background": look["color"], "border": "#000000"},
                      "hover": {"background": look["color"], "border": "#000000"}},
            "font": {"color": style.text_color(look["color"]) if inside else "#222222"},
        }
        if not inside:
            group["size"] = 14
        if type_id == "unknown_party":
            group["shapeProperties"] = {"borderDashes": [5, 4]}
        result[type_id] = group
    return result


def embed_json(document) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>``, no ``<!--``, no line separators."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def to_html(view_graph, layout="auto", time=None, language: str = "en") -> str:
    """The page as a string. ``layout``: "auto" (the Graphviz picture where the view is drawn by
    Graphviz and ``dot`` is installed), None (vis-network lays out), or a dict from
    :func:`ecosystem.render.layout.graphviz_layout`."""
    if layout == "auto":
        layout = None
        if uses_graphviz(view_graph.view):
            from .layout import graphviz_layout

            layout = graphviz_layout(view_graph)
    document = page_data(view_graph, layout, time)
    if language != "en":
        document["language"] = language
    return render_page(document)


def render_page(document: dict) -> str:
    template = TEMPLATE.read_text(encoding="utf-8")
    replacements = {
        "{{TITLE}}": html.escape(document["title"]),
        "{{DESCRIPTION}}": html.escape(document.get("description") or ""),
        "{{DATA}}": embed_json(document),
        "{{VIS_JS}}": vis_network_js(),
        "{{PAGE_JS}}": PAGE_JS.read_text(encoding="utf-8"),
    }
    # one pass, so text inside the data can never be taken for a placeholder
    return re.sub(r"\{\{(TITLE|DESCRIPTION|DATA|VIS_JS|PAGE_JS)\}\}", lambda match: replacements[match.group(0)], template)
