"""Partial dates, shares and citations: the value types every record uses."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from ecosystem import dates
from ecosystem.graph import snapshot
from ecosystem.models import Amount, Citation, Relation, Share


@pytest.mark.parametrize("value, text, first, last", [
    (2014, "2014", dt.date(2014, 1, 1), dt.date(2014, 12, 31)),
    ("2014-02", "2014-02", dt.date(2014, 2, 1), dt.date(2014, 2, 28)),
    ("2016-02", "2016-02", dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
    (dt.date(2014, 9, 19), "2014-09-19", dt.date(2014, 9, 19), dt.date(2014, 9, 19)),
])
def test_partial_dates_keep_their_precision(value, text, first, last):
    assert dates.normalise(value) == text
    assert dates.first_day(value) == first
    assert dates.last_day(value) == last


@pytest.mark.parametrize("bad", ["2014-13", "2014-02-30", "14-02", "2014/02", "", True, 3.5])
def test_bad_dates_are_refused(bad):
    with pytest.raises(dates.DateFormatError):
        dates.normalise(bad)


def test_as_of_rule_start_inclusive_end_exclusive():
    assert dates.is_current("2014", "2023-01", "2014-01-01")
    assert dates.is_current("2014", "2023-01", "2022-12-31")
    assert not dates.is_current("2014", "2023-01", "2023-01-01")
    assert not dates.is_current("2014-09", None, "2014-08-31")
    assert dates.is_current(None, None, "1900")


def test_sort_key_orders_by_first_day_coarse_first():
    values = ["2014-09-19", "2014", "2013-12-31", "2014-09"]
    assert sorted(values, key=dates.sort_key) == ["2013-12-31", "2014", "2014-09", "2014-09-19"]


@pytest.mark.parametrize("value, low, high, exact, text", [
    (33, 33, 33, True, "33%"),
    ("~25", 25, 25, False, "~25%"),
    ("about 53.46%", 53.46, 53.46, False, "~53.46%"),
    ("80%", 80, 80, True, "80%"),
    ({"min": 20, "max": 30}, 20, 30, False, "20-30%"),
    ({"min": 20}, 20, 100, False, "20-?%"),
    ({"value": 33.3, "approximate": True}, 33.3, 33.3, False, "~33.3%"),
])
def test_share_forms(value, low, high, exact, text):
    share = Share.model_validate(value)
    assert (share.low, share.high, share.exact, str(share)) == (low, high, exact, text)


@pytest.mark.parametrize("bad", [120, -1, "lots", True, {"min": 40, "max": 30}, {"value": 10, "min": 5}, {}])
def test_bad_shares_are_refused(bad):
    with pytest.raises(ValidationError):
        Share.model_validate(bad)


def test_citation_short_form():
    assert Citation.model_validate("case §3.2, n 22") == Citation(source="case", locator="§3.2, n 22")
    assert Citation.model_validate("case") == Citation(source="case", locator="")
    assert str(Citation(source="clark_2016", locator="97-102")) == "clark_2016 97-102"


def test_amount_in_absolute_terms():
    fine = Amount(value=18.228, unit="billion", currency="CNY")
    assert fine.absolute == pytest.approx(18.228e9)
    assert str(fine) == "CNY 18.228 billion"


def test_relation_refuses_unknown_keys_and_needs_a_citation():
    with pytest.raises(ValidationError, match="extra"):
        Relation.model_validate({"type": "owns", "from": "a", "to": "b", "sources": ["case"], "shares": 5})
    with pytest.raises(ValidationError, match="sources"):
        Relation.model_validate({"type": "owns", "from": "a", "to": "b", "sources": []})


def test_snapshot_keeps_what_held_at_the_date(valid_graph):
    early = snapshot(valid_graph, "2010")
    assert ("public_float", "holdco") not in early.edges()
    assert "holdco" in early and early.graph["as_of"] == "2010"
    assert ("public_float", "holdco") in snapshot(valid_graph, "2014-09-19").edges()
    assert "holdco" not in snapshot(valid_graph, "1999-05")  # founded 1999-06
    assert valid_graph.number_of_edges() == 10  # the full graph is untouched
