"""The day of the happening an incident is, also in a follow-up written weeks later; and the
incident of a page that reports a happening without counting anyone."""
from __future__ import annotations

import datetime as dt

import pytest

from kg import pipeline

PUBLISHED = dt.date(2016, 3, 10)  # a Thursday


def main_incident(nlp, text: str, day: dt.date | None = PUBLISHED):
    doc = next(pipeline.process(nlp, [(text, day)]))
    facts = doc._.facts
    return None if facts.main_incident is None else facts.incidents[facts.main_incident]


@pytest.mark.parametrize(("text", "day"), [
    pytest.param("A man was charged Wednesday in the Feb. 2 shooting death of a 19-year-old woman.",
                 dt.date(2016, 2, 2), id="charged-in-the-dated-shooting"),
    pytest.param("Police arrested a man on Tuesday. The victim was shot and killed on Jan. 24 outside a store.",
                 dt.date(2016, 1, 24), id="precise-day-outranks-the-arrest-weekday"),
    pytest.param("Two men were wounded in a shooting Monday night, police said.",
                 dt.date(2016, 3, 7), id="weekday-of-the-shooting"),
    pytest.param("One man died in a shooting on Main Street. Police said a man was arrested Wednesday. "
                 "The shooting happened Saturday, Feb. 27, police said.",
                 dt.date(2016, 2, 27), id="precise-day-anywhere-outranks-the-count-day"),
    pytest.param("Police spoke Wednesday about the weekend shooting that killed a boy. He was sitting at home "
                 "Saturday night when four bullets went through the window.",
                 dt.date(2016, 3, 5), id="the-earlier-weekday-is-the-happening"),
    pytest.param("Police on Saturday had yet to identify a teenager who was found fatally shot Friday evening.",
                 dt.date(2016, 3, 4), id="weekday-said-of-the-shooting-beats-the-count-sentence-first"),
    pytest.param("A girl was wounded by gunfire Saturday night on Elm Street.\n\nOn Feb. 20, a man was shot "
                 "two blocks away.", dt.date(2016, 3, 5), id="the-lead-day-beats-an-earlier-happening-later"),
    pytest.param("A man was shot Tuesday on Elm Street. Previously, a woman was shot there on Feb. 20.",
                 dt.date(2016, 3, 8), id="a-day-in-a-background-sentence-is-none"),
    pytest.param("A man was shot and killed in his home.\n\nA deputy on patrol was called to the 400 block of Smilax "
                 "Road on Feb. 27 at 8:33 p.m.", dt.date(2016, 2, 27), id="a-month-and-day-anywhere-rather-than-none"),
    pytest.param("A memorial grew on Elm Street on Tuesday for a boy who was shot. Two other children were shot "
                 "and killed on Christmas and on Feb. 20.", dt.date(2016, 3, 8), id="days-listed-together-are-none"),
    pytest.param("Man charged in Christmas Eve shooting that killed two\n\nA man was charged on Wednesday in the "
                 "shooting of two brothers.", dt.date(2015, 12, 24), id="a-follow-up-of-a-holiday-shooting"),
])
def test_the_incident_is_dated_by_the_day_of_the_happening(nlp, text, day) -> None:
    incident = main_incident(nlp, text)
    assert incident is not None and incident.date == day


def test_a_posted_stamp_is_no_day_of_the_happening(nlp) -> None:
    text = "Posted: Wednesday, March 9, 2016. A man was shot in the leg on Main Street, police said."
    incident = main_incident(nlp, text)
    assert incident is not None and incident.date != dt.date(2016, 3, 9)


@pytest.mark.parametrize("text", [
    pytest.param("Man arrested in connection with Feb. 2 shooting. Police made the arrest on Wednesday.",
                 id="arrest-in-a-shooting"),
    pytest.param("A murder suspect appeared in court on Wednesday for a hearing.", id="murder"),
])
def test_a_page_that_counts_no_one_still_reports_its_happening(nlp, text) -> None:
    doc = next(pipeline.process(nlp, [(text, PUBLISHED)]))
    facts = doc._.facts
    assert not facts.counts and len(facts.incidents) == 1 and facts.main_incident == 0
    assert facts.incidents[0].reported and facts.incidents[0].mention.begin == 0


def test_the_uncounted_incident_takes_the_day_of_the_happening(nlp) -> None:
    incident = main_incident(nlp, "Man arrested in connection with Feb. 2 shooting. Police made the arrest Wednesday.")
    assert incident is not None and incident.date == dt.date(2016, 2, 2)


def test_a_page_about_nothing_that_happened_has_no_incident(nlp) -> None:
    assert main_incident(nlp, "The city council met on Tuesday to discuss the budget.") is None


def test_a_follow_up_s_headline_tells_its_happening_however_long_ago(nlp) -> None:
    """Weeks later, the headline's toll is still the page's main incident's, not background."""
    text = ("Third suspect arrested in Jan. 19 shooting that killed two men\n\nPolice arrested a third man on Friday, "
            "more than a month after the shooting at a car wash.")
    doc = next(pipeline.process(nlp, [(text, PUBLISHED)]))
    facts = doc._.facts
    main = facts.incidents[facts.main_incident]
    assert main.reported and main.date == dt.date(2016, 1, 19)
    assert [t.min_value for t in facts.tolls if t.incident == facts.main_incident and t.type == "Killed"] == [2]
