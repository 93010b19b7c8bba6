"""Quantities as the real model tokenizes them: words, digits, vague amounts, qualifiers, and what is not one."""
from __future__ import annotations

import pytest

from kg.extractors.numbers import Quantity, interval, parse_number

# sentence, the phrase it states, qualifier, value, minValue, maxValue
STATED = [
    pytest.param("Hamas killed more than 1,400 people.", "more than 1,400", "MoreThan", 1400, 1401, None, id="more-than"),
    pytest.param("At least 33 Americans were killed.", "At least 33", "AtLeast", 33, 33, None, id="at-least"),
    pytest.param("Hamas is holding about 200 hostages.", "about 200", "Approximately", 200, None, None, id="about"),
    pytest.param("Nearly 1.4 million people were displaced.", "Nearly 1.4 million", "Approximately", 1_400_000,
                 None, None, id="nearly-million"),
    pytest.param("Up to 600 Americans were trapped.", "Up to 600", "AtMost", 600, None, 600, id="up-to"),
    pytest.param("As many as 50 hostages may be freed.", "As many as 50", "AtMost", 50, None, 50, id="as-many-as"),
    pytest.param("Fewer than 10 Americans are held.", "Fewer than 10", "FewerThan", 10, None, 9, id="fewer-than"),
    pytest.param("Over 300 people died.", "Over 300", "MoreThan", 300, 301, None, id="over"),
    pytest.param("Thirty-three people were hurt.", "Thirty-three", "Exactly", 33, 33, 33, id="hyphenated-words"),
    pytest.param("Police detained two men.", "two", "Exactly", 2, 2, 2, id="word"),
    pytest.param("Two dozen people were hurt.", "Two dozen", "Approximately", None, 24, None, id="two-dozen"),
    pytest.param("A dozen people were hurt.", "A dozen", "Approximately", None, 12, None, id="a-dozen"),
    pytest.param("Dozens were trapped.", "Dozens", "Approximately", None, 24, None, id="dozens"),
    pytest.param("Hundreds of Americans are trapped.", "Hundreds", "Approximately", None, 200, None, id="hundreds"),
    pytest.param("Thousands fled.", "Thousands", "Approximately", None, 2000, None, id="thousands"),
    pytest.param("A couple of men were hurt.", "A couple", "Approximately", None, 2, None, id="a-couple"),
    pytest.param("A few men were hurt.", "A few", "Approximately", None, 3, None, id="a-few"),
    pytest.param("Several men were hurt.", "Several", "Approximately", None, 3, None, id="several"),
    pytest.param("Multiple men were hurt.", "Multiple", "Approximately", None, 3, None, id="multiple"),
    pytest.param("Numerous men were hurt.", "Numerous", "Approximately", None, 4, None, id="numerous"),
    pytest.param("Many men were hurt.", "Many", "Approximately", None, 4, None, id="many"),
    pytest.param("More than a dozen were hurt.", "More than a dozen", "MoreThan", None, 13, None, id="more-than-vague"),
]

# sentences whose numbers count nothing
NOT_QUANTITIES = [
    pytest.param("The attack on Oct. 7 was condemned.", id="date"),
    pytest.param("A 34-year-old man spoke.", id="age"),
    pytest.param("A 5-year-old girl spoke.", id="age-young"),
    pytest.param("The strike came at 6:30 a.m. there.", id="time"),
    pytest.param("He lived in the 1000 block of McFarland Avenue.", id="address"),
    pytest.param("The U.S. pledged $100 million.", id="money"),
    pytest.param("Turnout fell by 12% this year.", id="percent"),
    pytest.param("The war began in 2013.", id="year"),
    pytest.param("The town is about 45 km from the border.", id="distance"),
    pytest.param("Cars were shot at on Route 232.", id="road"),
    pytest.param("It hit a four-storey building.", id="compound-modifier"),
    pytest.param("How many were there?", id="question"),
]


def quantities(nlp, text: str) -> list[Quantity]:
    return nlp(text)._.quantities


@pytest.mark.parametrize(("text", "phrase", "qualifier", "value", "low", "high"), STATED)
def test_stated_quantity(nlp, text, phrase, qualifier, value, low, high) -> None:
    doc = nlp(text)
    [found] = doc._.quantities
    assert doc[found.start:found.end].text == phrase
    assert (found.qualifier, found.value, found.min_value, found.max_value) == (qualifier, value, low, high)


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_numbers_that_count_nothing(nlp, text) -> None:
    assert quantities(nlp, text) == []


@pytest.mark.parametrize(("words", "number"), [
    pytest.param(["1,400"], 1400, id="digits"),
    pytest.param(["thirty", "-", "three"], 33, id="words"),
    pytest.param(["1.1", "million"], 1_100_000, id="decimal-million"),
    pytest.param(["two", "dozen"], 24, id="dozen"),
    pytest.param(["one", "hundred", "and", "five"], 105, id="compound-words"),
    pytest.param(["umpteen"], None, id="not-a-number"),
])
def test_parse_number(words, number) -> None:
    assert parse_number(words) == number


@pytest.mark.parametrize(("qualifier", "vague", "expected"), [
    pytest.param("Exactly", False, (7, 7, 7), id="exactly"),
    pytest.param("MoreThan", False, (7, 8, None), id="more-than"),
    pytest.param("FewerThan", False, (7, None, 6), id="fewer-than"),
    pytest.param("Approximately", True, (None, 7, None), id="vague"),
    pytest.param("MoreThan", True, (None, 8, None), id="more-than-vague"),
])
def test_interval(qualifier, vague, expected) -> None:
    assert interval(qualifier, 7, vague) == expected
