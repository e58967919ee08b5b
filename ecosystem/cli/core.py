"""Core commands: validate, stats, show, search, neighbours, path, timeline."""

from __future__ import annotations

from typing import Optional

import typer

from . import AS_OF_OPTION, JSON_OPTION, app, console, parse_types, print_json, state
from ..errors import DataError


@app.command()
def validate(as_json: bool = JSON_OPTION):
    """Check every data file and report every problem (file, line, id, fix). Exit 1 if any.

    Paths that look like data but are not read (a FIFO, a folder named x.yaml, a link loop) are
    named with why (`skipped` in --json)."""
    try:
        dataset = state.dataset()
    except DataError as error:
        if as_json:
            print_json({"ok": False, "problems": [p.to_dict() for p in error.problems],
                        "skipped": [s.to_dict() for s in error.skipped]})
            raise typer.Exit(1)
        _print_skipped(error.skipped, stderr=True)
        raise
    skipped = getattr(dataset, "skipped", ())
    if as_json:
        print_json({"ok": True, "problems": [], "entities": len(dataset.entities),
                    "relations": len(dataset.relations), "sources": len(dataset.sources),
                    "skipped": [s.to_dict() for s in skipped]})
        return
    _print_skipped(skipped)
    console().print(
        f"[green]ok[/]: {len(dataset.entities)} entities, {len(dataset.relations)} relations, "
        f"{len(dataset.sources)} sources in {dataset.path}"
    )


def _print_skipped(skipped, stderr: bool = False) -> None:
    from rich.markup import escape

    out = console(stderr=stderr)
    for item in skipped:
        if not item.problem:  # unreadable paths are among the problems
            out.print(escape(f"skipped: {item.path}: {item.reason}"), soft_wrap=True)


@app.command()
def stats(as_json: bool = JSON_OPTION, as_of: Optional[str] = AS_OF_OPTION):
    """Counts by entity type and relation category, and citation coverage."""
    from ..query import statistics

    graph = state.graph(as_of) if as_of else state.full_graph()
    result = statistics(graph)
    if as_json:
        print_json(result)
        return
    from rich.table import Table

    vocabulary = graph.graph["vocabulary"]
    out = console()
    out.print(f"{result['entities']} entities, {result['relations']} relations, {result['sources']} sources"
              + (f" (as of {graph.graph['as_of']})" if "as_of" in graph.graph else ""))
    table = Table("entity type", "count", title="Entities")
    for type_id, count in result["entity_types"].items():
        table.add_row(vocabulary.entity_types[type_id].label if type_id in vocabulary.entity_types else type_id, str(count))
    out.print(table)
    table = Table("category", "relation type", "count", title="Relations")
    for type_id, count in sorted(result["relation_types"].items(),
                                 key=lambda item: (vocabulary.relation_types[item[0]].category, item[0])):
        table.add_row(vocabulary.relation_types[type_id].category, type_id, str(count))
    out.print(table)
    out.print(f"cited: {result['cited_entities']}/{result['entities']} entities, "
              f"{result['cited_relations']}/{result['relations']} relations; "
              f"dated: {result['dated_relations']} relations; inferred: {result['inferred_relations']}")
    if result["uncited_sources"]:
        out.print(f"sources never cited: {', '.join(result['uncited_sources'])}")
    if result["isolated_entities"]:
        out.print(f"entities with no relation: {', '.join(result['isolated_entities'])}")


@app.command()
def show(
    entity_id: str = typer.Argument(..., metavar="ID", help="Entity id (see `ecosystem search`)."),
    as_json: bool = JSON_OPTION,
    as_of: Optional[str] = AS_OF_OPTION,
    all_dates: bool = typer.Option(False, "--all", help="Show relations of every date, not only those in force."),
):
    """An entity: names, facts, and its relations in both directions with dates and citations."""
    from ..query import show as show_entity

    graph = state.full_graph() if all_dates else state.graph(as_of)
    result = show_entity(graph, entity_id)
    if as_json:
        print_json(result)
        return
    _print_entity(graph, result)


def _print_entity(graph, result):
    from rich.markup import escape
    from rich.table import Table

    vocabulary = graph.graph["vocabulary"]
    out = console()
    type_label = vocabulary.entity_types[result["type"]].label
    out.print(f"[bold]{escape(result['name'])}[/] ({result['id']}, {type_label})")
    for language, name in sorted(result.get("names", {}).items()):
        out.print(f"  {language}: {escape(name)}")
    if result.get("aliases"):
        out.print("  also: " + escape(", ".join(result["aliases"])))
    for key in ("jurisdiction", "start", "end"):
        if result.get(key):
            out.print(f"  {key}: {result[key]}")
    if result.get("description"):
        out.print("  " + escape(result["description"]))
    for fact in result.get("facts", []):
        out.print(f"  • {escape(fact['name'])}: {'~' if fact.get('approximate') else ''}{fact['value']:,g} "
                  f"{escape(fact['unit'])}{' (' + fact['date'] + ')' if fact.get('date') else ''}"
                  f"  [dim]{escape(_cites(fact))}[/]")
    out.print(f"  [dim]sources: {escape(_cites(result))}[/]")
    for direction, edges in (("outgoing", result["outgoing"]), ("incoming", result["incoming"])):
        if not edges:
            continue
        table = Table("relation", "entity", "details", "dates", "sources", title=f"{direction} relations",
                      title_justify="left", show_lines=False)
        for edge in edges:
            definition = vocabulary.relation_types[edge["type"]]
            if direction == "outgoing":
                label, other = definition.label, f"{edge['to_name']} ({edge['to']})"
            else:
                label, other = definition.inverse, f"{edge['from_name']} ({edge['from']})"
            table.add_row(escape(label), escape(other), escape(details(edge)), escape(period(edge)), escape(_cites(edge)))
        out.print(table)


def details(edge: dict) -> str:
    from ..query import relation_details

    return "; ".join(relation_details(edge) + (["inferred"] if edge.get("inferred") else []))


def period(edge: dict) -> str:
    from ..query import period as period_text

    return period_text(edge)


def _cites(record: dict) -> str:
    return "; ".join(f"{c['source']} {c.get('locator', '')}".strip() for c in record.get("sources", []))


@app.command()
def search(
    text: str = typer.Argument(..., help="Any name: English, Chinese, pinyin, alias; case and accents ignored."),
    as_json: bool = JSON_OPTION,
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="At most this many hits."),
    entity_type: Optional[str] = typer.Option(None, "--type", help="Only entities of this type."),
):
    """Find entities by name, alias, Chinese name or pinyin, best match first."""
    from ..query import search as search_entities
    from ..query import suggest

    graph = state.full_graph()
    hits = search_entities(graph, text, limit=limit, entity_type=entity_type)
    if as_json:
        print_json(hits)
        return
    out = console()
    if not hits:
        close = suggest(graph, text)
        out.print(f"no entity matches {text!r}" + (f"; closest: {', '.join(close)}" if close else ""))
        raise typer.Exit(1)
    from rich.markup import escape
    from rich.table import Table

    table = Table("id", "name", "type", "matched", "score")
    for hit in hits:
        table.add_row(hit["id"], escape(hit["name"]), hit["type"], escape(hit["matched"]), f"{hit['score']:g}")
    out.print(table)


@app.command()
def neighbours(
    entity_id: str = typer.Argument(..., metavar="ID"),
    depth: int = typer.Option(1, "--depth", min=1, max=10, help="How many hops."),
    relation_type: Optional[str] = typer.Option(None, "--type", help="Only these relation types (comma-separated)."),
    direction: str = typer.Option("both", "--direction", help="out (what ID acts on), in, or both."),
    as_json: bool = JSON_OPTION,
    as_of: Optional[str] = AS_OF_OPTION,
):
    """Entities within N hops of ID, and the relations that connect them."""
    from ..query import neighbours as find_neighbours

    graph = state.graph(as_of)
    result = find_neighbours(graph, entity_id, depth, parse_types(relation_type), direction)
    if as_json:
        print_json(result)
        return
    from rich.markup import escape
    from rich.table import Table

    out = console()
    table = Table("hops", "id", "name", "type", title=f"neighbours of {result['entity']['name']}", title_justify="left")
    for item in result["neighbours"]:
        table.add_row(str(item["distance"]), item["id"], escape(item["name"]), item["type"])
    out.print(table)
    out.print(f"{len(result['relations'])} relations among them")


@app.command()
def path(
    source: str = typer.Argument(..., metavar="FROM"),
    target: str = typer.Argument(..., metavar="TO"),
    relation_type: Optional[str] = typer.Option(None, "--type", help="Only through these relation types (comma-separated)."),
    directed: bool = typer.Option(False, "--directed", help="Follow relations only from holder/actor to held/acted on."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, help="At most this many paths."),
    as_json: bool = JSON_OPTION,
    as_of: Optional[str] = AS_OF_OPTION,
):
    """The shortest chains of relations connecting two entities, each step cited."""
    from ..query import paths

    graph = state.graph(as_of)
    found = paths(graph, source, target, parse_types(relation_type), limit=limit, directed=directed)
    if as_json:
        print_json(found)
        return
    out = console()
    if not found:
        out.print(f"no path from {source} to {target}")
        raise typer.Exit(1)
    from rich.markup import escape

    vocabulary = graph.graph["vocabulary"]
    for number, chain in enumerate(found, 1):
        out.print(f"[bold]path {number}[/] ({len(chain)} step{'s' if len(chain) != 1 else ''})")
        for edge in chain:
            label = vocabulary.relation_types[edge["type"]].label
            extra = "; ".join(part for part in (details(edge), period(edge)) if part)
            out.print(f"  {escape(edge['from_name'])} —{escape(label)}→ {escape(edge['to_name'])}"
                      + (f" ({escape(extra)})" if extra else "") + f"  [dim]{escape(_cites(edge))}[/]")


@app.command()
def timeline(
    entity_id: Optional[str] = typer.Argument(None, metavar="[ID]", help="Only facts about this entity."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE"),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE"),
    as_json: bool = JSON_OPTION,
):
    """Dated facts in order: foundings, stakes, listings, fines, restructurings."""
    from ..errors import QueryError
    from ..query import timeline as build_timeline

    try:
        items = build_timeline(state.full_graph(), entity_id, since, until)
    except ValueError as error:
        raise QueryError(str(error)) from None
    if as_json:
        print_json(items)
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table("date", "what", "sources")
    for item in items:
        table.add_row(item["date"], escape(item["text"]), escape(_cites(item)))
    console().print(table)


@app.command()
def diff(
    before: str = typer.Option(..., "--from", metavar="DATE", help="The earlier date."),
    after: str = typer.Option(..., "--to", metavar="DATE", help="The later date."),
    as_json: bool = JSON_OPTION,
):
    """What changed between two dates: relations and entities that began or ended."""
    from ..errors import QueryError
    from ..query import diff as compare

    try:
        result = compare(state.full_graph(), before, after)
    except ValueError as error:
        raise QueryError(str(error)) from None
    if as_json:
        print_json(result)
        return
    from rich.markup import escape

    out = console()
    vocabulary = state.full_graph().graph["vocabulary"]
    out.print(f"[bold]from {result['from']} to {result['to']}[/]")
    for key, mark in (("entities_added", "+"), ("entities_removed", "-")):
        for entity in result[key]:
            out.print(f"  {mark} {escape(entity['name'])} ({entity['id']})")
    for key, mark in (("relations_added", "+"), ("relations_removed", "-")):
        for edge in result[key]:
            label = vocabulary.relation_types[edge["type"]].label
            superseded = f"superseded by {edge['superseded_by']}" if edge.get("superseded_by") else ""
            extra = "; ".join(part for part in (details(edge), period(edge), superseded) if part)
            out.print(f"  {mark} {escape(edge['from_name'])} {escape(label)} {escape(edge['to_name'])}"
                      + (f" ({escape(extra)})" if extra else "") + f"  [dim]{escape(_cites(edge))}[/]")
    if not any(result[key] for key in ("entities_added", "entities_removed", "relations_added", "relations_removed")):
        out.print("  no change")
