"""Every per-entity question answers for every entity of the bundled data, at the default date and at a
date before the entity was founded: never an error, and a verdict that says what is known.

An entity outside its own dates (``start`` <= date < ``end``) is ``not yet founded`` or ``dissolved``;
``show``, ``neighbours`` and ``owners`` say so in ``existence``, ``controllers``, ``controlled`` and
``explain`` in ``verdict`` (``explain`` also in ``controller_existence`` for its first entity). The API
sweep covers every entity (the command line prints the same documents: it calls these methods); the
command line itself is run for every entity that has dates of its own, at a date outside them.
"""

from __future__ import annotations

import datetime
import json

import pytest

import ecosystem
from ecosystem import dates
from ecosystem.control import VERDICTS

from conftest import BUNDLED

LIFETIME = ("not yet founded", "dissolved")
KNOWN = set(VERDICTS) - set(LIFETIME)


def _entities():
    from ecosystem.loader import load

    return load(BUNDLED, use_cache=False).entities


ENTITIES = _entities()


def before_founding(record) -> str:
    """The day before the entity's start; for an entity with no start, a date before anything in the data."""
    if record.get("start"):
        return (dates.first_day(record["start"]) - datetime.timedelta(days=1)).isoformat()
    return "1900"


def expected(record, when) -> str:
    day = dates.first_day(when)
    if record.get("start") and day < dates.first_day(record["start"]):
        return "not yet founded"
    if record.get("end") and dates.first_day(record["end"]) <= day:
        return "dissolved"
    return "exists"


@pytest.fixture(scope="module")
def eco():
    return ecosystem.open(BUNDLED)


def test_the_default_date_is_the_latest_in_the_data(eco):
    assert eco.dataset.latest_date() == "2023-07-12"
    assert {"saic", "samr"} <= set(ENTITIES)  # the sweep below meets a dissolved and a later-founded regulator


def _check(eco, entity_id, when, answer_date):
    record = ENTITIES[entity_id]
    state = expected(record, answer_date)
    shown = eco.entity(entity_id, as_of=when).data
    assert shown["id"] == entity_id and shown["existence"] == state and shown["as_of"] == answer_date
    near = eco.neighbours(entity_id, as_of=when).data
    assert near["existence"] == state
    assert isinstance(eco.timeline(entity_id).data, list)
    owners = eco.owners(entity_id, as_of=when).data
    assert owners["existence"] == state
    controllers = eco.controllers(entity_id, as_of=when).data
    controlled = eco.controlled(entity_id, as_of=when).data
    explained = eco.explain("jack_ma", entity_id, as_of=when).data if entity_id != "jack_ma" else controllers
    asked_first = eco.explain(entity_id, "ant_group", as_of=when).data if entity_id != "ant_group" else None
    verdicts = {controllers["verdict"], controlled["verdict"], explained["verdict"]}
    assert len(verdicts) == 1, (entity_id, when, verdicts)
    [verdict] = verdicts
    if state == "exists":
        assert verdict in KNOWN
    else:
        assert verdict == state
        assert shown["outgoing"] == shown["incoming"] == [] and near["neighbours"] == []
        assert controllers["ultimate"] == [] and controlled["controlled"] == [] and owners["holders"] == []
        assert any(state in note or ("no longer" if state == "dissolved" else "not exist yet") in note
                   for note in controllers["notes"])
    if asked_first is not None:
        assert asked_first["controller_existence"] == state


@pytest.mark.parametrize("entity_id", sorted(ENTITIES))
def test_every_question_about_every_entity_at_the_default_date_and_before_its_founding(eco, entity_id):
    _check(eco, entity_id, None, "2023-07-12")
    when = before_founding(ENTITIES[entity_id])
    _check(eco, entity_id, when, when)


DATED = sorted(e for e, record in ENTITIES.items() if record.get("start") or record.get("end"))


def _outside(entity_id) -> str | None:
    record = ENTITIES[entity_id]
    return before_founding(record) if record.get("start") else None  # else: ended before the default date


COMMANDS = [
    ("show", "{e}"), ("neighbours", "{e}"), ("timeline", "{e}"), ("owners", "{e}"), ("controllers", "{e}"),
    ("controlled", "{e}"), ("explain", "jack_ma {e}"), ("explain", "{e} ant_group"),
]


@pytest.mark.parametrize("entity_id", DATED)
def test_the_command_line_answers_about_an_entity_outside_its_dates(invoke, entity_id):
    when = _outside(entity_id)
    state = expected(ENTITIES[entity_id], when or "2023-07-12")
    assert state in LIFETIME
    for command, arguments in COMMANDS:
        dated = when and command != "timeline"  # a timeline covers every date
        args = [command, *arguments.format(e=entity_id).split()] + (["--as-of", when] if dated else [])
        if command == "explain" and args[1] == args[2]:
            continue  # explain X X
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)
        if command in ("show", "neighbours", "owners", "controllers", "controlled"):
            assert state in " ".join(result.output.split()), (args, result.output)
        if command == "controllers":
            assert json.loads(invoke(*args, "--json").output)["verdict"] == state


def test_show_of_a_dissolved_regulator_says_so_and_an_earlier_date_shows_its_relations(invoke):
    """The SAIC ended in 2018 (merged into the SAMR): at the default date it is dissolved, in 2015 it acts."""
    result = invoke("show", "saic")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "as of 2023-07-12: dissolved" in text and "--all" in text
    then = json.loads(invoke("show", "saic", "--as-of", "2015-06", "--json").output)
    assert then["existence"] == "exists" and then["outgoing"]
    every = json.loads(invoke("show", "saic", "--all", "--json").output)
    assert every["existence"] is None and every["outgoing"]


def test_path_to_an_entity_that_did_not_exist_says_why(invoke):
    result = invoke("path", "saic", "samr", "--as-of", "2015")
    assert result.exit_code == 1  # no path, as for any two entities that are not connected
    assert "samr not yet founded" in " ".join(result.output.split())
    assert json.loads(invoke("path", "saic", "samr", "--json").output) == []


def test_the_whole_graph_gives_the_same_answers_without_the_index():
    """use_cache=False answers from the whole graph: the same existence and verdicts for the dated entities."""
    plain = ecosystem.open(BUNDLED, use_cache=False)
    indexed = ecosystem.open(BUNDLED)
    for entity_id in DATED:
        when = _outside(entity_id)
        for question in ("entity", "neighbours", "owners", "controllers"):
            a = getattr(plain, question)(entity_id, as_of=when).data
            b = getattr(indexed, question)(entity_id, as_of=when).data
            assert a.get("existence") == b.get("existence") and a.get("verdict") == b.get("verdict"), (entity_id, question)
