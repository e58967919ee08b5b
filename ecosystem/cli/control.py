"""Control commands: controllers, controlled, owners, explain, control-diff.

Each prints a short proof (the chain of relations with shares, dates, citations, the rule that fired
and the thresholds used), or ``--json`` per the contract in DESIGN.md.
"""

from __future__ import annotations

from typing import Optional

import typer

from . import AS_OF_OPTION, JSON_OPTION, app, console, date_value, print_json, session

CONTROL_OPTION = typer.Option(50.0, "--control-threshold", metavar="PCT",
                              help="Votes strictly above this percentage control.")
SIGNIFICANT_OPTION = typer.Option(25.0, "--significant-threshold", metavar="PCT",
                                  help="Votes or equity at or above this percentage are a significant holding.")
BOARD_OPTION = typer.Option(True, "--board/--no-board",
                            help="Count appointing or nominating a board majority as control.")
MARGIN_OPTION = typer.Option(0.0, "--approximate-margin", metavar="PCT",
                             help="Treat an approximate share ~v as the range v±PCT (default: at its value).")
STALE_OPTION = typer.Option(3.0, "--stale-after", metavar="YEARS",
                            help="Flag a step whose latest observation is older than this at the date asked.")


def _rules(control_threshold, significant_threshold, board, margin, stale_after=3.0) -> dict:
    """The options as keywords of ecosystem.control.ControlRules."""
    return dict(control_threshold=control_threshold, significant_threshold=significant_threshold,
                count_board=board, approximate_margin=margin, stale_after=stale_after)


@app.command()
def controllers(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ID", help="Entity id (see `ecosystem search`)."),
    as_json: bool = JSON_OPTION,
    as_of: Optional[str] = AS_OF_OPTION,
    control_threshold: float = CONTROL_OPTION,
    significant_threshold: float = SIGNIFICANT_OPTION,
    board: bool = BOARD_OPTION,
    margin: float = MARGIN_OPTION,
    stale_after: float = STALE_OPTION,
):
    """Who controls ID: ultimate and direct controllers, significant holders, legal owners — with proofs."""
    rules = _rules(control_threshold, significant_threshold, board, margin, stale_after)
    result = session(ctx).controllers(entity_id, as_of=as_of, **rules).data
    if as_json:
        print_json(result)
        return
    out = console()
    entity = result["entity"]
    out.print(f"[bold]{_e(entity['name'])}[/] ({entity['id']}) as of {result['as_of'] or 'any date'}: {result['verdict']}")
    if result["ultimate"]:
        out.print("[bold]Ultimate controllers[/]")
        for item in result["ultimate"]:
            _print_controller(out, item)
    else:
        out.print(f"[bold]Ultimate controllers[/]: none — {result['verdict']}")
    if result["direct"]:
        out.print("[bold]Direct controllers[/]")
        for item in result["direct"]:
            out.print(f"  {_who(item)}: {item['status']} by {item['rule']}")
    _print_significant(out, result["significant"])
    _print_legal(out, result["legal_owners"])
    _print_basis(out, result["basis"], result["rules"])
    _print_declared(out, result.get("declared_beneficial_owners") or [])
    _print_notes(out, result["notes"], result["rules"])


@app.command()
def controlled(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ID"),
    as_json: bool = JSON_OPTION,
    as_of: Optional[str] = AS_OF_OPTION,
    control_threshold: float = CONTROL_OPTION,
    significant_threshold: float = SIGNIFICANT_OPTION,
    board: bool = BOARD_OPTION,
    margin: float = MARGIN_OPTION,
    stale_after: float = STALE_OPTION,
):
    """Everything ID controls, directly or through others, with how (votes, contract, board ...) and the chain."""
    rules = _rules(control_threshold, significant_threshold, board, margin, stale_after)
    result = session(ctx).controlled(entity_id, as_of=as_of, **rules).data
    items = result["controlled"]
    if as_json:
        print_json(result)
        return
    out = console()
    out.print(f"[bold]{_e(result['entity']['name'])}[/] ({entity_id}) as of {result['as_of'] or 'any date'} "
              f"controls {sum(i['status'] == 'controls' for i in items)} and may control "
              f"{sum(i['status'] == 'may control' for i in items)} entities"
              + _existence(result["verdict"] if result["verdict"] in ("dissolved", "not yet founded") else None))
    for item in items:
        out.print(f"  {_who(item)}: {item['status']}{_stale(item)} via {' → '.join(item['via'])}")
        _print_chain(out, item["chain"], indent=4)
    _print_basis(out, result["basis"], result["rules"])
    _print_notes(out, [], result["rules"])


@app.command()
def owners(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ID"),
    as_json: bool = JSON_OPTION,
    as_of: Optional[str] = AS_OF_OPTION,
    stale_after: float = STALE_OPTION,
):
    """Legal owners of ID and the economic interest of every holder through every path (cycle-safe)."""
    result = session(ctx).owners(entity_id, as_of=as_of, stale_after=stale_after).data
    if as_json:
        print_json(result)
        return
    out = console()
    out.print(f"[bold]{_e(result['entity']['name'])}[/] ({entity_id}) as of {result['as_of'] or 'any date'}"
              + _existence(result.get("existence")))
    _print_legal(out, result["legal_owners"])
    if result["closed_cycle"]:
        out.print("[bold]Economic interest[/]: undefined — a closed cycle of companies holds all of each other: "
                  + ", ".join(result["closed_cycle"]))
    elif result["holders"]:
        from rich.table import Table

        table = Table("holder", "kind", "economic interest", title="Economic interest (equity, all paths)",
                      title_justify="left")
        for holder in result["holders"]:
            table.add_row(_e(f"{holder['name']} ({holder['id']})"), "final owner" if holder["final"] else "intermediate",
                          _interval(holder["interest"]))
        out.print(table)
    else:
        out.print("[bold]Economic interest[/]: no equity holders recorded")
    for item in result.get("declared_interests") or []:
        share = f" {'~' if item.get('approximate') else ''}{_interval(item['interest'])}" if item.get("interest") else ""
        out.print(f"  declared interest through others (look-through): {_who(item)}{share} "
                  f"({item['relation_type']})  [dim]\\[{_e(_cites(item['relation']))}][/]")
    _print_declared(out, result.get("declared_beneficial_owners") or [])
    for edge in result["contractual_channels"]:
        out.print(f"  contractual channel: {_e(edge['from'])} receives exclusive service fees "
                  f"(not an equity interest)  [dim]{_e(_cites(edge))}[/]")
    for item in result["behind"]:
        out.print(f"  behind {_e(item['holder'])}: {_who(item)} controls it, {_e(item['share'])}")
    _print_basis(out, result["basis"], {"stale_after": stale_after})
    if result["approximate"]:
        out.print("[dim]note: some shares upstream are approximate or ranges[/]")


@app.command()
def explain(
    ctx: typer.Context,
    controller_id: str = typer.Argument(..., metavar="A", help="The would-be controller."),
    entity_id: str = typer.Argument(..., metavar="B", help="The entity it may control."),
    as_json: bool = JSON_OPTION,
    as_of: Optional[str] = AS_OF_OPTION,
    control_threshold: float = CONTROL_OPTION,
    significant_threshold: float = SIGNIFICANT_OPTION,
    board: bool = BOARD_OPTION,
    margin: float = MARGIN_OPTION,
    stale_after: float = STALE_OPTION,
):
    """Whether A controls B, and why or why not."""
    rules = _rules(control_threshold, significant_threshold, board, margin, stale_after)
    result = session(ctx).explain(controller_id, entity_id, as_of=as_of, **rules).data
    if as_json:
        print_json(result)
        return
    out = console()
    out.print(f"{_who(result['controller'])} [bold]{result['status']}[/] {_who(result['entity'])} "
              f"as of {result['as_of'] or 'any date'} (verdict on {result['entity']['id']}: {result['verdict']})")
    _print_chain(out, result["chain"], indent=2)
    for reason in result["reasons"]:
        out.print(f"  - {_e(reason)}")
    _print_look_through(out, result)
    _print_basis(out, result["basis"], result["rules"])
    _print_notes(out, [], result["rules"])


def _print_look_through(out, result):
    """A's look-through votes in B, with the paths that carry them."""
    found = result.get("look_through_votes")
    entity = result["entity"]["name"]
    if found is None:
        out.print("  - its look-through votes: undefined (a closed cycle of companies holds all of each other)")
        return
    out.print(f"  - its look-through votes (each block of {_e(entity)}'s votes followed to whoever directs the "
              f"holder; shared by equity where nobody controls it): {_interval(found)}")
    for path in found["paths"]:
        parts = []
        for step in path:
            if step["how"] == "controls":
                parts.append(f"{step['from']} directs {step['to']} ({step['rule']})")
            else:
                parts.append(f"{step['from']} {step['how']} {step['share']:g}% of {step['to']}")
        cites = "; ".join(dict.fromkeys(f"{c['source']} {c.get('locator', '')}".strip()
                                        for step in path for r in step["relations"] for c in r.get("sources", [])))
        out.print(f"      {_e(' → '.join(parts))}  [dim]\\[{_e(cites)}][/]")


@app.command("control-diff")
def control_diff(
    ctx: typer.Context,
    date_from: str = typer.Option(..., "--from", metavar="DATE", callback=date_value, help="The earlier date."),
    date_to: str = typer.Option(..., "--to", metavar="DATE", callback=date_value, help="The later date."),
    as_json: bool = JSON_OPTION,
    control_threshold: float = CONTROL_OPTION,
    significant_threshold: float = SIGNIFICANT_OPTION,
    board: bool = BOARD_OPTION,
    margin: float = MARGIN_OPTION,
    stale_after: float = STALE_OPTION,
):
    """Who gained or lost ultimate control of what between two dates."""
    rules = _rules(control_threshold, significant_threshold, board, margin, stale_after)
    result = session(ctx).control_diff(date_from, date_to, **rules).data
    if as_json:
        print_json(result)
        return
    out = console()
    out.print(f"Ultimate control, {result['from']} → {result['to']}: {len(result['changes'])} change(s)")
    for change in result["changes"]:
        before = ", ".join(f"{i['id']} ({i['status']})" for i in change["before"]) or change["verdict_before"] or "absent"
        after = ", ".join(f"{i['id']} ({i['status']})" for i in change["after"]) or change["verdict_after"] or "absent"
        out.print(f"  {_who(change)}: {_e(before)} → {_e(after)}")
    _print_notes(out, [], result["rules"])


# ------------------------------------------------------------------------------------------------
# printing


def _e(text) -> str:
    from rich.markup import escape

    return escape(str(text))


def _existence(state) -> str:
    """`` (dissolved by then)`` when the entity did not exist at the date asked, else ''."""
    return f" ({state} at that date)" if state not in (None, "exists") else ""


def _who(item) -> str:
    return f"{_e(item['name'])} ({item['id']})"


def _interval(value) -> str:
    low, high = value["low"], value["high"]
    return f"{low:.4g}%" if abs(high - low) < 1e-9 else f"{low:.4g}-{high:.4g}%"


def _cites(record) -> str:
    return "; ".join(f"{c['source']} {c.get('locator', '')}".strip() for c in record.get("sources", []))


def _dates(edge) -> str:
    until = f" until {edge['end']}" if edge.get("end") else ""
    if edge.get("undated"):
        return (f"… – {edge['end']} (no start date: counted as in force before then)" if until
                else "undated (counted as always in force)")
    if edge.get("assumed_start"):
        return f"observed {edge['assumed_start']} (counted from then{until})"
    return f"{edge.get('start', '…')} – {edge.get('end', '')}".rstrip()


def _relation_line(edge) -> str:
    from ..graph import share

    parts = [f"{edge['from']} {edge['type']} {edge['to']}"]
    if edge.get("equity"):
        parts.append(f"{share(edge['equity'])} equity")
    if edge.get("votes"):
        parts.append(f"{share(edge['votes'])} votes")
    if edge.get("counted_as"):
        parts.append(f"counted as {edge['counted_as']}")
    if edge.get("instruments"):
        parts.append("instruments: " + ", ".join(edge["instruments"]))
    if edge.get("through"):
        parts.append("held through " + " → ".join(edge["through"]))
    if edge.get("nominee_relation"):
        parts.append(f"nominee for {edge['nominee_relation']['to']}")
    parts.append(_dates(edge))
    if edge.get("inferred"):
        parts.append("inferred")
    return " · ".join(parts)


def _stale(item) -> str:
    from ..control.verdicts import stale_text

    return stale_text(item)


def _print_chain(out, chain, indent=4):
    pad = " " * indent
    for number, step in enumerate(chain, 1):
        approximate = " (approximate shares)" if step.get("approximate") else ""
        out.print(f"{pad}{number}. {_e(step['from_name'])} → {_e(step['to_name'])}: [bold]{step['rule']}[/] "
                  f"({step['status']}{_stale(step)}) — {_e(step['test'])}{approximate}")
        for edge in step.get("relations", []):
            out.print(f"{pad}     {_e(_relation_line(edge))}  [dim]\\[{_e(_cites(edge))}][/]")


def _print_controller(out, item):
    extra = ""
    if item.get("joint"):
        extra = f" jointly with {', '.join(m for m in item['group'] if m != item['id'])} (acting in concert)"
    elif item.get("cycle"):
        extra = f" as part of the control cycle {', '.join(item['group'])}"
    approximate = " [approximate shares]" if item.get("approximate") else ""
    out.print(f"  {_who(item)}: [bold]{item['status']}[/]{_stale(item)}{extra} by {item['rule']}{approximate}")
    _print_chain(out, item["chain"])


def _print_significant(out, significant):
    if not significant:
        return
    out.print("[bold]Significant holders[/] (not controlling)")
    for item in significant:
        via = f" through {', '.join(item['via'])}" if item["via"] else ""
        out.print(f"  {_who(item)}: {item['status']} — votes {_interval(item['votes'])}, "
                  f"direct equity {_interval(item['equity'])}{via}")


def _print_legal(out, owners_list):
    if not owners_list:
        out.print("[bold]Legal owners[/]: none recorded")
        return
    out.print("[bold]Legal owners[/] (on the register)")
    for item in owners_list:
        nominee = f", nominee for {', '.join(item['nominee_for'])}" if item.get("nominee_for") else ""
        out.print(f"  {_who(item)}: {item['share']}{nominee}  [dim]\\[{_e(_cites(item['relation']))}][/]")


def _print_basis(out, basis, rules):
    if not basis:
        return
    stale = [b for b in basis if b["stale"]]
    out.print(f"[bold]Observations[/] this answer rests on: {len(basis)}, "
              f"{len(stale)} older than {rules['stale_after']:g} years")
    for item in basis:
        flag = " [bold]stale[/]" if item["stale"] else ""
        out.print(f"  {item['relation']}: observed {item['as_of']}, {item['age_years']:g} years before{flag}")


def _print_declared(out, declared):
    """What the register declares: beneficial owners or controllers, whatever the rules conclude."""
    if not declared:
        return
    out.print("[bold]Declared beneficial owners[/] (as the register states them)")
    for item in declared:
        how = "through others" if item["indirect"] else "directly"
        out.print(f"  {_who(item)}: {item['relation_type']} ({how})  [dim]\\[{_e(_cites(item['relation']))}][/]")


def _print_notes(out, notes, rules):
    for note in notes:
        out.print(f"[dim]note: {_e(note)}[/]")
    out.print(f"[dim]rules: control > {rules['control_threshold']:g}% of votes; significant >= "
              f"{rules['significant_threshold']:g}%; board nomination "
              f"{'counted' if rules['count_board'] else 'not counted'}"
              + (f"; approximate ±{rules['approximate_margin']:g}" if rules["approximate_margin"] else "") + "[/]")
