"""Incidents and tolls from hand-made counts: no model needed (kg.extractors.incidents, kg.extractors.tolls)."""
from __future__ import annotations

import datetime as dt

import spacy

from kg.extractors.facts import Count, Facts, Span
from kg.extractors.incidents import group
from kg.extractors.structure import segments
from kg.extractors.tolls import deaths_stated, derive

DAY = dt.date(2024, 5, 10)


def count(text: str, phrase: str, kind: str, n: int | None, **kw) -> Count:
    """A count of `phrase` in the sentence of `text` that holds it."""
    begin = text.index(phrase)
    start = text.rfind(". ", 0, begin) + 2 if ". " in text[:begin] else 0
    end = text.find(". ", begin)
    end = len(text) if end < 0 else end + 1
    low = kw.pop("low", n)
    return Count(Span(begin, begin + len(phrase), phrase), Span(start, end, text[start:end]), kind, value=n,
                 min_value=low, max_value=kw.pop("high", n), **kw)


def tolls_of(counts: list[Count], deaths: bool = False) -> dict[tuple[int, str, bool], int]:
    return {(t.incident, t.type, t.of_perpetrators): t.min_value for t in derive(counts, deaths)}


def test_restatements_are_the_same_people_and_the_largest_wins() -> None:
    text = "A man was killed. The victim, 25, died at the scene. Police said two people died."
    counts = [count(text, "A man", "Killed", 1), count(text, "The victim", "Killed", 1),
              count(text, "two", "Killed", 2)]
    assert tolls_of(counts) == {(0, "Killed", False): 2}


def test_additional_counts_add_up_across_sentences() -> None:
    text = "The force arrested a leader. The force also detained two suspects. Another man was detained."
    counts = [count(text, "a leader", "Captured", 1), count(text, "two", "Captured", 2, additional=True),
              count(text, "Another man", "Captured", 1, additional=True)]
    toll = derive(counts)[0]
    assert (toll.min_value, toll.value, toll.qualifier, toll.counts) == (4, 4, "Exactly", [0, 1, 2])


def test_a_part_adds_nothing_to_its_whole() -> None:
    text = "Hamas killed more than 1,400 people, including at least 33 Americans."
    whole = count(text, "more than 1,400", "Killed", 1400, low=1401, high=None, qualifier="MoreThan")
    part = count(text, "at least 33", "Killed", 33, high=None, qualifier="AtLeast", part_of=0)
    toll = derive([whole, part])[0]
    assert (toll.min_value, toll.value, toll.max_value, toll.qualifier) == (1401, 1400, None, "MoreThan")
    assert toll.counts == [0, 1]  # the toll names the part it rests on too


def test_shot_then_one_died_is_one_killed_and_one_injured() -> None:
    text = "Two people were shot. One of them died."
    counts = [count(text, "Two", "Injured", 2, unstated=True), count(text, "One", "Killed", 1)]
    assert tolls_of(counts) == {(0, "Killed", False): 1, (0, "Injured", False): 1}


def test_the_shot_are_the_dead_when_the_document_says_someone_died() -> None:
    text = "A woman was shot. The homicide is under investigation."
    counts = [count(text, "A woman", "Injured", 1, unstated=True)]
    assert tolls_of(counts, deaths=True) == {(0, "Killed", False): 1}
    assert tolls_of(counts, deaths=False) == {(0, "Injured", False): 1}


def test_the_attackers_own_deaths_are_a_toll_apart() -> None:
    text = "The gunman shot two neighbors and then killed himself."
    counts = [count(text, "two", "Injured", 2, unstated=True), count(text, "himself", "Killed", 1,
                                                                      of_perpetrators=True)]
    assert tolls_of(counts) == {(0, "Injured", False): 2, (0, "Killed", True): 1}


def test_a_vague_quantity_keeps_its_lower_bound() -> None:
    text = "Dozens of people were injured."
    toll = derive([count(text, "Dozens", "Injured", None, low=24, qualifier="Approximately")])[0]
    assert (toll.min_value, toll.value) == (24, None)


def test_background_and_earlier_days_are_incidents_of_their_own() -> None:
    text = ("Gunmen killed three people on Monday. Police arrested two suspects. "
            "Last year, 40 people were killed in the city. A man was killed on April 2.")
    facts = Facts(counts=[
        count(text, "three", "Killed", 3, date=dt.date(2024, 5, 6), dated=True),
        count(text, "two", "Captured", 2),
        count(text, "40", "Killed", 40),
        count(text, "A man", "Killed", 1, date=dt.date(2024, 4, 2), dated=True),
    ])
    group(text, facts, segments(text), DAY)
    assert [c.incident for c in facts.counts] == [0, 0, 1, 2]
    assert [(i.reported, i.date) for i in facts.incidents] == [(True, dt.date(2024, 5, 6)), (False, None),
                                                              (False, dt.date(2024, 4, 2))]
    assert facts.main_incident == 0


def test_another_month_named_without_its_day_is_background() -> None:
    text = ("The death toll from Saturday's strike rose to more than 30. "
            "In January, a missile killed 46 people in another building. In May, the same happened again.")
    facts = Facts(counts=[count(text, "more than 30", "Killed", 30, low=31, date=DAY, dated=False),
                          count(text, "46", "Killed", 46, date=DAY, dated=False)])  # dated by the document
    group(text, facts, segments(text), DAY)  # a May report: "In January" is another happening
    assert [c.incident for c in facts.counts] == [0, 1]
    # the news takes the document's day; the January strike is not dated by it
    assert [(i.reported, i.date) for i in facts.incidents] == [(True, DAY), (False, None)]
    assert tolls_of(facts.counts)[(0, "Killed", False)] == 31


def test_a_new_day_opens_a_new_happening_and_the_lead_is_the_main_one() -> None:
    text = "Headline about a raid\nTroops detained four men on Thursday. Two hostages were freed on Tuesday."
    facts = Facts(counts=[
        count(text, "four", "Captured", 4, date=dt.date(2024, 5, 9), dated=True),
        count(text, "Two", "Released", 2, date=dt.date(2024, 5, 7), dated=True),
    ])
    group(text, facts, segments(text), DAY)
    assert [c.incident for c in facts.counts] == [0, 1]
    assert all(i.reported for i in facts.incidents) and facts.main_incident == 0


def test_no_counts_no_incidents() -> None:
    facts = Facts()
    group("Nothing happened.", facts, segments("Nothing happened."), DAY)
    assert (facts.incidents, facts.main_incident) == ([], None)


def test_deaths_stated_reads_words_of_death_told_as_facts() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert deaths_stated(nlp("The victim was found. The death is a homicide."))
    assert not deaths_stated(nlp("He was charged with attempted murder."))
    assert not deaths_stated(nlp("Last year, the homicide rate rose."))  # background
