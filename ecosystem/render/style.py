"""One place for how things look: colours, shapes, line styles, labels and the legend.

Everything is read from the vocabulary (``data/vocabulary.yaml``): an entity type's ``color``,
``shape`` (vis-network) and ``dot_shape`` (Graphviz); a relation category's ``color``, ``line``
and ``width``. The HTML and the static renderers both call these functions, so a figure on
screen and on a slide look alike.
"""

from __future__ import annotations

from ..graph import share
from ..query import period, relation_details

FONT = "Helvetica, Arial, sans-serif"
DOT_FONT = "Helvetica"
FALLBACK_COLOR = "#cccccc"
# vis-network dash patterns and Graphviz styles for the vocabulary's line names
VIS_DASHES = {"solid": False, "dashed": [10, 6], "dotted": [2, 5]}
DOT_STYLES = {"solid": "solid", "dashed": "dashed", "dotted": "dotted"}
# vis shapes whose label is drawn inside the shape (the others put it underneath)
VIS_LABEL_INSIDE = {"box", "ellipse", "circle", "database", "text"}


def entity_style(vocabulary, type_id: str) -> dict:
    definition = vocabulary.entity_types.get(type_id)
    if definition is None:
        return {"label": type_id, "color": FALLBACK_COLOR, "shape": "box", "dot_shape": "box"}
    return {"label": definition.label, "color": definition.color, "shape": definition.shape,
            "dot_shape": definition.dot_shape}


def category_style(vocabulary, category: str) -> dict:
    definition = vocabulary.categories.get(category)
    if definition is None:
        return {"label": category or "other", "color": FALLBACK_COLOR, "line": "solid", "width": 1.0}
    return {"label": definition.label, "color": definition.color, "line": definition.line,
            "width": definition.width}


def text_color(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (#rrggbb)."""
    try:
        red, green, blue = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    except (ValueError, IndexError):
        return "#000000"
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#ffffff"


def share_label(data: dict, language: str = "en") -> str:
    """``~25%``, ``33% / 50% votes``: the shares an edge carries, or '' (``33% / 表决权 50%`` in Chinese);
    a look-through interest, not a holding on the register, says so (``~10% indirect``, ``间接 ~10%``)."""
    label = _shares(data, language)
    if label and data.get("indirect"):
        return f"间接 {label}" if language == "zh" else f"{label} indirect"
    return label


def _shares(data: dict, language: str) -> str:
    equity, votes = share(data.get("equity")), share(data.get("votes"))
    zh = language == "zh"
    if equity and votes and str(equity) != str(votes):
        return f"{equity} / 表决权 {votes}" if zh else f"{equity} / {votes} votes"
    if equity:
        return str(equity)
    if votes:
        return f"表决权 {votes}" if zh else f"{votes} votes"
    return ""


def relation_phrase(vocabulary, data: dict, language: str = "en") -> str:
    """What a relation says (``owns shares in``), from the vocabulary; in Chinese its ``label_zh``."""
    definition = vocabulary.relation_types.get(data["type"])
    if definition is not None and language == "zh" and definition.label_zh:
        return definition.label_zh
    return definition.label if definition else data["type"].replace("_", " ")


# the control verdicts (ecosystem.control.rules) in Chinese, for the page's 中文 header
VERDICT_ZH = {
    "controlled": "受控制", "may be controlled": "可能受控制", "no controlling party": "无控制方", "unknown": "不明",
    "not yet founded": "尚未成立", "dissolved": "已解散", "contested": "有争议",
}


# short names for the contracts of a VIE bundle, so the bundle can be labelled on the edge itself
INSTRUMENT_SHORT = {
    "voting_proxy": "proxy", "exclusive_call_option": "option", "equity_pledge": "pledge",
    "exclusive_technical_services": "services", "exclusive_business_cooperation": "services",
    "loan_agreements_with_shareholders": "loans", "spousal_consent": "spousal consent",
}
INSTRUMENT_SHORT_ZH = {
    "proxy": "表决权委托", "option": "购买权", "pledge": "股权质押", "services": "独家服务", "loans": "借款",
    "spousal consent": "配偶同意",
}
INSTRUMENT_LONG = {
    "proxy": "voting proxy", "option": "exclusive call option", "pledge": "equity pledge",
    "services": "exclusive technical services", "loans": "loans to the VIE's shareholders",
}


def instruments_short(data: dict) -> list[str]:
    short = [INSTRUMENT_SHORT.get(str(item), str(item).replace("_", " ")) for item in data.get("instruments") or []]
    return list(dict.fromkeys(short))


def edge_label(vocabulary, data: dict, share_labels: bool = True, control_phrases: bool = True,
               language: str = "en") -> str:
    """The text on an edge: its shares; else for a control edge, how it controls (a contract
    bundle lists its contracts: ``VIE contracts: proxy, option, pledge, services, loans``);
    ``language="zh"``: in Chinese (``VIE协议：表决权委托、购买权、股权质押、独家服务、借款``)."""
    label = _edge_label(vocabulary, data, share_labels, control_phrases, language)
    if label and data.get("count", 1) > 1:
        return f"{label} (×{data['count']})"  # a pattern's relation stands for this many
    return label


# relations whose phrase is worth printing on the line itself (the licences a VIE structure exists for)
PHRASED_TYPES = ("licenses", "holds_licence")


def _edge_label(vocabulary, data: dict, share_labels: bool, control_phrases: bool, language: str = "en") -> str:
    if data["type"] in PHRASED_TYPES:
        return relation_phrase(vocabulary, data, language)
    label = share_label(data, language) if share_labels else ""
    if label or data.get("category") != "control" or not control_phrases:
        return label
    short = instruments_short(data)
    phrase = relation_phrase(vocabulary, data, language)
    if language == "zh":
        names = "、".join(INSTRUMENT_SHORT_ZH.get(name, name) for name in short)
        if short and data["type"] == "controls_by_contract":
            return "VIE协议：" + names
        return f"通过{names}{phrase}" if short else phrase
    if short and data["type"] == "controls_by_contract":
        return "VIE contracts: " + ", ".join(short)
    if short:
        return f"{phrase} via " + ", ".join(short)
    return phrase


def legend_notes(graph) -> list[str]:
    """Notes under the legend: what the short contract names on the edges stand for."""
    used = []
    for _, _, data in sorted(graph.edges(data=True), key=lambda item: str(item[2].get("id", ""))):
        if data.get("category") == "control":
            used += [name for name in instruments_short(data) if name in INSTRUMENT_LONG]
    used = list(dict.fromkeys(used))
    if not used:
        return []
    return ["Contracts: " + "; ".join(f"{name} = {INSTRUMENT_LONG[name]}" for name in used) + "."]


def citations(graph, record: dict) -> list[str]:
    """Each citation of a record as one line: ``case §3.2, n 20 — <title of the source>``."""
    sources = graph.graph.get("sources", {})
    lines = []
    for citation in record.get("sources", []):
        text = f"{citation['source']} {citation.get('locator', '')}".strip()
        title = sources.get(citation["source"], {}).get("title")
        lines.append(f"{text} — {title}" if title else text)
    return lines


def entity_tooltip(graph, node: str, verdict: bool = True) -> str:
    """Plain text (never HTML): name, type, other names, dates, description, control verdict (unless
    ``verdict`` is false: a page with a date slider adds the verdict of the date shown), citations."""
    data = graph.nodes[node]
    vocabulary = graph.graph["vocabulary"]
    lines = [data["name"], f"{entity_style(vocabulary, data['type'])['label']} · id {node}"]
    for language, name in sorted(data.get("names", {}).items()):
        lines.append(f"{language}: {name}")
    if data.get("aliases"):
        lines.append("also: " + ", ".join(data["aliases"]))
    if data.get("jurisdiction"):
        where = data["jurisdiction"]
        lines.append("jurisdiction: " + graph.nodes[where]["name"] if where in graph else f"jurisdiction: {where}")
    return "\n".join(lines + _tooltip_end(graph, data, data.get("control_verdict") if verdict else None))


def edge_tooltip(graph, u: str, v: str, data: dict) -> str:
    vocabulary = graph.graph["vocabulary"]
    lines = [f"{graph.nodes[u]['name']} {relation_phrase(vocabulary, data)} {graph.nodes[v]['name']}"]
    details = relation_details(data)
    if details:
        lines.append("; ".join(details))
    return "\n".join(lines + _tooltip_end(graph, data))


def _tooltip_end(graph, record: dict, verdict: str | None = None) -> list[str]:
    """The lines a tooltip ends with: dates, description, the control verdict, whether inferred, citations."""
    lines = []
    when = period(record)
    if when:
        lines.append(f"dates: {when}")
    if record.get("description"):
        lines.append(record["description"])
    if verdict:
        lines.append(f"control: {verdict}")
    if record.get("inferred"):
        lines.append("(inferred)")
    cited = citations(graph, record)
    if cited:
        lines.append("Sources:")
        lines += [f"  {line}" for line in cited]
    return lines


def legend(graph) -> dict:
    """The legend of a view: the entity types and relation categories it shows, in vocabulary order
    (each with its Chinese label, ``zh``, where the vocabulary has one)."""
    vocabulary = graph.graph["vocabulary"]
    present_types = {data["type"] for _, data in graph.nodes(data=True)}
    present_categories = {data.get("category") for _, _, data in graph.edges(data=True)}
    types = [{"id": type_id, **entity_style(vocabulary, type_id), **_zh(vocabulary.entity_types[type_id])}
             for type_id in vocabulary.entity_types if type_id in present_types]
    types += [{"id": type_id, **entity_style(vocabulary, type_id)}
              for type_id in sorted(present_types - set(vocabulary.entity_types))]
    categories = [{"id": category, **category_style(vocabulary, category), **_zh(vocabulary.categories[category])}
                  for category in vocabulary.categories if category in present_categories]
    return {"types": types, "categories": categories}


def _zh(definition) -> dict:
    """``{"zh": label}`` for a vocabulary entry with a Chinese label, else nothing."""
    return {"zh": definition.label_zh} if definition.label_zh else {}
