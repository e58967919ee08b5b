"""Core commands: validate, stats, show, search, neighbours, path, timeline."""

from __future__ import annotations

from typing import Optional

import typer

from . import AS_OF_OPTION, JSON_OPTION, app, console, date_value, print_json, session


@app.command()
def validate(
    ctx: typer.Context,
    as_json: bool = JSON_OPTION,
    strict: bool = typer.Option(False, "--strict", help="Count warnings as problems (exit 1 if there are any)."),
):
    """Check every data file and report every problem (file, line, id, fix) and warning. Exit 1 on a problem.

    Records, vocabulary.yaml, views.yaml and stories.yaml: everything the other commands read.

    Paths that look like data but are not read (a FIFO, a folder named x.yaml, a link loop) are
    named with why (`skipped` in --json). Warnings (a register's figures adding past 100%) do not
    fail unless --strict."""
    eco = session(ctx)
    result = eco.validate(strict=strict)
    if as_json:
        print_json(result.data)
        raise typer.Exit(0 if result["ok"] else 1)
    if not result["ok"]:
        _print_skipped(result.error.skipped, stderr=True)
        _print_warnings(result.error.warnings if not strict else ())
        raise result.error  # printed, one line per problem, like every other command's
    dataset = eco.dataset
    warnings = list(getattr(dataset, "warnings", ()))
    _print_skipped(getattr(dataset, "skipped", ()))
    _print_warnings(warnings)
    console().print(
        f"[green]ok[/]: {len(dataset.entities)} entities, {len(dataset.relations)} relations, "
        f"{len(dataset.sources)} sources in {dataset.name}"
        + (f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''}; --strict counts them as problems)"
           if warnings else "")
    )


def _print_warnings(warnings) -> None:
    from rich.markup import escape

    out = console(stderr=True)
    for warning in warnings:  # one line each, never wrapped: people grep these
        out.print(escape(f"warning: {warning}"), soft_wrap=True)


def _print_skipped(skipped, stderr: bool = False) -> None:
    from rich.markup import escape

    out = console(stderr=stderr)
    for item in skipped:
        if not item.problem:  # unreadable paths are among the problems
            out.print(escape(f"skipped: {item.path}: {item.reason}"), soft_wrap=True)


@app.command()
def stats(ctx: typer.Context, as_json: bool = JSON_OPTION, as_of: Optional[str] = AS_OF_OPTION):
    """Counts by entity type and relation category, and citation coverage."""
    eco = session(ctx)
    result = eco.stats(as_of).data
    if as_json:
        print_json(result)
        return
    from rich.table import Table

    from .. import dates

    vocabulary = eco.vocabulary
    out = console()
    out.print(f"{result['entities']} entities, {result['relations']} relations, {result['sources']} sources"
              + (f" (as of {dates.normalise(as_of)})" if as_of else ""))
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
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ID", help="Entity id (see `ecosystem search`)."),
    as_json: bool = JSON_OPTION,
    as_of: Optional[str] = AS_OF_OPTION,
    all_dates: bool = typer.Option(False, "--all", help="Show relations of every date, not only those in force."),
):
    """An entity: names, facts, and its relations in both directions with dates and citations."""
    eco = session(ctx)
    result = eco.entity(entity_id, as_of=as_of, all_dates=all_dates).data
    if as_json:
        print_json(result)
        return
    _print_entity(eco.vocabulary, result)


def _print_entity(vocabulary, result):
    from rich.markup import escape
    from rich.table import Table

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
    from ..query import fact_value

    for fact in result.get("facts", []):
        out.print(f"  • {escape(fact['name'])}: {escape(fact_value(fact))}"
                  f"{' (' + fact['date'] + ')' if fact.get('date') else ''}  [dim]{escape(_cites(fact))}[/]")
    out.print(f"  [dim]sources: {escape(_cites(result))}[/]")
    for entry in result.get("same_as", ()):
        out.print(f"  same entity as: {escape(entry['name'])} ({entry['id']}, {escape(entry['file'])}): "
                  + escape("; ".join(same_as_reason(reason) for reason in entry["because"])))
    if result.get("existence") not in (None, "exists"):
        out.print(f"[bold]as of {result['as_of']}: {result['existence']}[/] (its dates: "
                  f"{result.get('start') or '…'} – {result.get('end') or ''}".rstrip() + "); no relation of it was in "
                  "force then (--all shows every date, --as-of another date)")
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


def same_as_reason(reason: dict) -> str:
    """Why a record was merged into an entity, in words: the cited same_as relation, or the identifier."""
    if "relation" in reason:
        return f"same_as {reason['relation']} ({_cites(reason)})"
    identifier = reason.get("identifier", {})
    return "identifier " + " ".join(str(identifier[key]) for key in ("scheme", "id") if identifier.get(key))


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
    ctx: typer.Context,
    text: str = typer.Argument(..., help="Any name: English, Chinese, pinyin, alias; case and accents ignored."),
    as_json: bool = JSON_OPTION,
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="At most this many hits."),
    entity_type: Optional[str] = typer.Option(None, "--type", help="Only entities of this type."),
):
    """Find entities by name, alias, Chinese name or pinyin, best match first."""
    eco = session(ctx)
    hits = eco.search(text, limit=limit, type=entity_type).data
    if as_json:
        print_json(hits)
        return
    out = console()
    if not hits:
        close = eco.suggest(text)
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
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ID"),
    depth: int = typer.Option(1, "--depth", min=1, max=10, help="How many hops."),
    relation_type: Optional[str] = typer.Option(None, "--type", help="Only these relation types (comma-separated)."),
    direction: str = typer.Option("both", "--direction", help="out (what ID acts on), in, or both."),
    as_json: bool = JSON_OPTION,
    as_of: Optional[str] = AS_OF_OPTION,
):
    """Entities within N hops of ID, and the relations that connect them."""
    result = session(ctx).neighbours(entity_id, depth=depth, types=relation_type, direction=direction,
                                     as_of=as_of).data
    if as_json:
        print_json(result)
        return
    from rich.markup import escape
    from rich.table import Table

    out = console()
    if result.get("existence") not in (None, "exists"):
        out.print(f"{escape(result['entity']['name'])} ({result['entity']['id']}) as of {result['as_of']}: "
                  f"{result['existence']}, so no neighbours then (--as-of another date)")
        return
    if not result["neighbours"]:  # an empty table reads as a fault
        restricted = f" through {relation_type}" if relation_type else ""
        out.print(f"{escape(result['entity']['name'])} ({result['entity']['id']}) has no neighbours within {depth} "
                  f"step{'s' if depth != 1 else ''}{restricted} ({direction}) as of {result['as_of']}")
        return
    table = Table("hops", "id", "name", "type", title=f"neighbours of {result['entity']['name']}", title_justify="left")
    for item in result["neighbours"]:
        table.add_row(str(item["distance"]), item["id"], escape(item["name"]), item["type"])
    out.print(table)
    out.print(f"{len(result['relations'])} relations among them")


@app.command()
def path(
    ctx: typer.Context,
    source: str = typer.Argument(..., metavar="FROM"),
    target: str = typer.Argument(..., metavar="TO"),
    relation_type: Optional[str] = typer.Option(None, "--type", help="Only through these relation types (comma-separated)."),
    directed: bool = typer.Option(False, "--directed", help="Follow relations only from holder/actor to held/acted on."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, help="At most this many paths."),
    as_json: bool = JSON_OPTION,
    as_of: Optional[str] = AS_OF_OPTION,
):
    """The shortest chains of relations connecting two entities, each step cited."""
    eco = session(ctx)
    found = eco.path(source, target, types=relation_type, directed=directed, limit=limit, as_of=as_of).data
    if as_json:
        print_json(found)
        return
    out = console()
    if not found:
        why = [f"{end} {state}" for end, state in
               ((end, eco.entity(end, as_of=as_of)["existence"]) for end in dict.fromkeys((source, target)))
               if state not in (None, "exists")]
        out.print(f"no path from {source} to {target}" + (f" ({', '.join(why)} at that date)" if why else ""))
        raise typer.Exit(1)
    from rich.markup import escape

    vocabulary = eco.vocabulary
    for number, chain in enumerate(found, 1):
        out.print(f"[bold]path {number}[/] ({len(chain)} step{'s' if len(chain) != 1 else ''})")
        for edge in chain:
            label = vocabulary.relation_types[edge["type"]].label
            extra = "; ".join(part for part in (details(edge), period(edge)) if part)
            out.print(f"  {escape(edge['from_name'])} —{escape(label)}→ {escape(edge['to_name'])}"
                      + (f" ({escape(extra)})" if extra else "") + f"  [dim]{escape(_cites(edge))}[/]")


@app.command()
def timeline(
    ctx: typer.Context,
    entity_id: Optional[str] = typer.Argument(None, metavar="[ID]", help="Only facts about this entity."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE", callback=date_value),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE", callback=date_value),
    as_json: bool = JSON_OPTION,
):
    """Dated facts in order: foundings, stakes, listings, fines, restructurings."""
    items = session(ctx).timeline(entity_id, since=since, until=until).data
    if as_json:
        print_json(items)
        return
    from rich.markup import escape
    from rich.table import Table

    if not items:  # an empty table reads as a fault
        what = f"about {entity_id}" if entity_id else "in the data"
        between = f" from {since or 'the start'} to {until or 'the end'}" if since or until else ""
        console().print(f"no dated facts {what}{between}")
        return
    table = Table("date", "what", "sources")
    for item in items:
        table.add_row(item["date"], escape(item["text"]), escape(_cites(item)))
    console().print(table)


@app.command()
def diff(
    ctx: typer.Context,
    before: str = typer.Option(..., "--from", metavar="DATE", callback=date_value, help="The earlier date."),
    after: str = typer.Option(..., "--to", metavar="DATE", callback=date_value, help="The later date."),
    as_json: bool = JSON_OPTION,
):
    """What changed between two dates: relations and entities that began or ended."""
    eco = session(ctx)
    result = eco.diff(before, after).data
    if as_json:
        print_json(result)
        return
    from rich.markup import escape

    out = console()
    vocabulary = eco.vocabulary
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
