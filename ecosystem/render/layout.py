"""The Graphviz picture of a view as data the HTML page draws: the same positions, shapes, lines
and labels as the static figure.

:func:`graphviz_layout` runs the view's Graphviz program on :func:`ecosystem.render.static.to_dot`
(without the legend table: the page has its own) with ``-Tjson`` and keeps, in points with y
pointing down, each node's position, size and drawing operations (relative to its centre, so a
dragged node carries its drawing along), each line's spline, arrowheads and label rows (each row
tagged with the relation it describes, so the date slider can hide one relation of a line; and the
label's rows in Chinese, ``zh``), and each cluster box (with its Chinese title, ``zh``, where it
differs). :func:`label_boxes` lists every text box of a layout, which the tests use to
prove that no two labels overlap.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from . import static

DIGITS = 1


def _num(value) -> float:
    number = round(float(value), DIGITS)
    return int(number) if number == int(number) else number


def graphviz_layout(view_graph, language: str = "en") -> dict | None:
    """The layout of ``view_graph`` as plain JSON-ready data, or None without Graphviz.
    ``language="zh"``: the picture ``render --lang zh`` draws (the tests measure its labels)."""
    if shutil.which("dot") is None:
        return None
    source = static.to_dot(view_graph, legend=False, language=language)
    try:
        completed = subprocess.run([static.dot_binary(), "-Tjson"], input=source.encode("utf-8"),
                                   capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        return None
    if completed.returncode != 0:
        return None
    return convert(json.loads(completed.stdout), view_graph)


def convert(layout: dict, view_graph) -> dict:
    x0, y0, x1, y1 = (float(value) for value in layout["bb"].split(","))
    top = y1

    def point(x, y):
        return [_num(x - x0), _num(top - y)]

    def ops(items, centre=None):
        result = []
        cx, cy = centre if centre else (0.0, 0.0)
        for op in items or []:
            kind = op["op"]
            if kind in ("c", "C"):
                result.append([kind, op.get("color", "#000000")])
            elif kind == "S":
                result.append(["S", op["style"]])
            elif kind == "F":
                result.append(["F", _num(op["size"]), op["face"]])
            elif kind == "T":
                x, y = point(*op["pt"])
                result.append(["T", _num(x - cx), _num(y - cy), op["align"], _num(op["width"]), op["text"]])
            elif kind in ("P", "p", "B", "b", "L"):
                flat = []
                for px, py in op["points"]:
                    x, y = point(px, py)
                    flat += [_num(x - cx), _num(y - cy)]
                result.append([kind] + flat)
            elif kind in ("E", "e"):
                x, y, rx, ry = op["rect"]
                px, py = point(x, y)
                result.append([kind, _num(px - cx), _num(py - cy), _num(rx), _num(ry)])
        return result

    nodes, clusters, names = {}, [], {}
    titles_zh = static.cluster_titles(view_graph, "zh")
    for item in layout.get("objects", []):
        names[item["_gvid"]] = item["name"]
        if item["name"].startswith("cluster_") and "bb" in item:
            bx0, by0, bx1, by1 = (float(value) for value in item["bb"].split(","))
            left, upper = point(bx0, by1)
            cluster = {"label": item.get("label", ""), "x": left, "y": upper,
                       "w": _num(bx1 - bx0), "h": _num(by1 - by0),
                       "draw": ops(item.get("_draw_")) + ops(item.get("_ldraw_"))}
            if titles_zh.get(item["name"], cluster["label"]) != cluster["label"]:
                cluster["zh"] = titles_zh[item["name"]]  # the page's 中文 title, where the box has one
            clusters.append(cluster)
        elif "pos" in item and item["name"] in view_graph.graph:
            x, y = point(*(float(value) for value in item["pos"].split(",")))
            nodes[item["name"]] = {"x": x, "y": y, "w": _num(float(item["width"]) * 72),
                                   "h": _num(float(item["height"]) * 72),
                                   "draw": ops(item.get("_draw_"), (x, y)),
                                   "text": ops(item.get("_ldraw_"), (x, y))}

    bundles = {bundle["id"]: bundle for bundle in static._edge_bundles(view_graph)}
    phrased: set = set()
    labels = {bundle_id: static.bundle_labels(view_graph, bundle, phrased) for bundle_id, bundle in bundles.items()}
    phrased = set()
    labels_zh = {bundle_id: static.bundle_labels(view_graph, bundle, phrased, "zh") for bundle_id, bundle in bundles.items()}
    lines = []
    for item in layout.get("edges", []):
        bundle_id = item.get("id")
        if bundle_id not in bundles:
            continue
        bundle = bundles[bundle_id]
        rows = _label_rows(ops(item.get("_ldraw_")), labels[bundle_id], item)
        if rows is not None and labels_zh[bundle_id]:
            # the label in Chinese: its rows, each with its relation's key (the page centres them
            # where Graphviz put the English rows)
            rows["zh"] = [[row, key] for key, text in labels_zh[bundle_id] for row in static.wrap_zh(text).splitlines()]
        lines.append({"id": bundle_id, "from": bundle["u"], "to": bundle["v"],
                      "edges": [key for _, _, key, _ in bundle["edges"]],
                      "draw": ops(item.get("_draw_")) + ops(item.get("_hdraw_")) + ops(item.get("_tdraw_")),
                      "label": rows})
    lines.sort(key=lambda line: line["id"])
    return {"width": _num(x1 - x0), "height": _num(y1 - y0), "nodes": {k: nodes[k] for k in sorted(nodes)},
            "clusters": sorted(clusters, key=lambda c: (c["y"], c["x"], c["label"])), "lines": lines}


def _label_rows(text_ops, labels, item) -> dict | None:
    """The label of a line: font, colour and its rows, each row tagged with its relation's key."""
    rows = [op for op in text_ops if op[0] == "T"]
    if not rows:
        return None
    size = next((op[1] for op in text_ops if op[0] == "F"), 14)
    color = next((op[1] for op in text_ops if op[0] == "c"), "#000000")
    owners = []
    for key, text in labels:
        width = 20 if len("; ".join(t for _, t in labels)) <= 40 else 30
        owners += [key] * len(static.wrap(text, width).splitlines())
    result = []
    for index, (_, x, y, align, width, text) in enumerate(rows):
        result.append([x, y, align, width, text, owners[index] if index < len(owners) else None])
    return {"size": size, "color": color, "rows": result}


def label_boxes(layout: dict) -> list[dict]:
    """Every piece of text the layout draws as a box (points, y down): node names, line labels and
    cluster titles, each with the id of what it belongs to."""
    boxes = []

    def add(owner, kind, text_ops, dx=0.0, dy=0.0):
        size = 14.0
        for op in text_ops:
            if op[0] == "F":
                size = op[1]
            elif op[0] == "T":
                _, x, y, align, width, text = op[:6]
                left = x + dx - (width / 2 if align == "c" else width if align == "r" else 0)
                # the baseline is at y; ascent ~0.8 of the size above it, descent ~0.2 below
                boxes.append({"id": owner, "kind": kind, "text": text, "x": left, "y": y + dy - 0.8 * size,
                              "width": width, "height": size})

    for node_id, node in layout["nodes"].items():
        add(node_id, "node", node["text"], node["x"], node["y"])
    for line in layout["lines"]:
        if line["label"]:
            size = line["label"]["size"]
            add(line["id"], "line", [["F", size]] + [["T"] + row[:5] for row in line["label"]["rows"]])
    for number, cluster in enumerate(layout["clusters"]):
        add(f"cluster:{number}", "cluster", cluster["draw"])
    return boxes


def overlaps(boxes: list[dict], margin: float = 0.0) -> list[tuple[dict, dict]]:
    """Pairs of boxes (of different owners) that overlap by more than ``margin``."""
    found = []
    ordered = sorted(boxes, key=lambda box: box["x"])
    for index, first in enumerate(ordered):
        for second in ordered[index + 1:]:
            if second["x"] >= first["x"] + first["width"] - margin:
                break
            if first["id"] == second["id"]:
                continue
            if (first["y"] < second["y"] + second["height"] - margin
                    and second["y"] < first["y"] + first["height"] - margin):
                found.append((first, second))
    return found
