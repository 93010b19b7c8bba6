"""Days named in the text, resolved against the document date or the dateline."""
from __future__ import annotations

import datetime as dt

import pytest

from kg import pipeline
from kg.extractors.dates import dateline, holiday, resolve

MONDAY = dt.date(2023, 10, 23)
ISAF = ("2013-01-S-025\n\nKABUL, Afghanistan (Jan. 25, 2013)\nDuring a security operation in Andar district, "
        "Ghazni province, yesterday, an Afghan and coalition force killed the Taliban leader, Alaudin.")
NO_YEAR = ("2012-06-S-026\nFor Immediate Release\n\nKABUL, Afghanistan (June 14) \u2014 An Afghan-led security "
           "force detained two suspected insurgents in Kandahar province today.")
# a draft whose serial is a placeholder: the year and month still date the dateline
PLACEHOLDER = ("Patrol detains suspects in Logar\nISAF Joint Command - Afghanistan\n2011-09-CA-XXX\n"
               "For Immediate Release\n\nKABUL, Afghanistan (Sept. 15) - A combined patrol detained three suspected "
               "insurgents in Logar province Tuesday.")


@pytest.mark.parametrize(("text", "day"), [
    pytest.param("Oct. 7", dt.date(2023, 10, 7), id="month-day"),
    pytest.param("on Oct. 20", dt.date(2023, 10, 20), id="on-month-day"),
    pytest.param("Oct. 24", dt.date(2023, 10, 24), id="a-day-within-a-week-ahead-is-to-come"),
    pytest.param("Nov. 24", dt.date(2022, 11, 24), id="a-day-further-ahead-is-last-year"),
    pytest.param("Monday", MONDAY, id="weekday-same-day"),
    pytest.param("on Tuesday", dt.date(2023, 10, 17), id="weekday-before"),
    pytest.param("Saturday night", dt.date(2023, 10, 21), id="weekday-night"),
    pytest.param("about 5:30 Monday morning", MONDAY, id="clock-and-weekday-same-day"),
    pytest.param("1:45 p.m. Tuesday", dt.date(2023, 10, 17), id="clock-and-weekday-before"),
    pytest.param("2 a.m. Monday", MONDAY, id="hour-and-weekday-same-day"),
    pytest.param("6:15 p.m. Tuesday, Oct. 10, 2023", dt.date(2023, 10, 10), id="clock-weekday-and-date"),
    pytest.param("yesterday", dt.date(2023, 10, 22), id="yesterday"),
    pytest.param("today", MONDAY, id="today"),
    pytest.param("last night", dt.date(2023, 10, 22), id="last-night"),
    pytest.param("Jan. 25, 2013", dt.date(2013, 1, 25), id="with-year"),
    pytest.param("last week", None, id="week-is-not-a-day"),
    pytest.param("four days", None, id="duration"),
    pytest.param("2013-01-S-025", None, id="release-code"),
])
def test_resolve_against_the_document_date(text, day) -> None:
    assert resolve(text, MONDAY) == day


def test_without_a_reference_only_dates_with_a_year_resolve() -> None:
    assert resolve("Tuesday, Jan. 27", None) is None
    assert resolve("Jan. 27, 2015", None) == dt.date(2015, 1, 27)


@pytest.mark.parametrize(("text", "day"), [
    pytest.param(ISAF, dt.date(2013, 1, 25), id="dateline"),
    pytest.param(NO_YEAR, dt.date(2012, 6, 14), id="year-from-release-code"),
    pytest.param(PLACEHOLDER, dt.date(2011, 9, 15), id="year-from-placeholder-release-code"),
    pytest.param("Police said a man was shot on Jan. 27.", None, id="none"),
])
def test_dateline(text, day) -> None:
    found = dateline(text)
    assert (found[0] if found else None) == day


def test_relative_days_resolve_against_the_dateline_and_skip_it(nlp) -> None:
    doc = next(pipeline.process(nlp, [(ISAF, None)]))
    assert doc._.ref_date == dt.date(2013, 1, 25)
    assert [(doc[d.start:d.end].text, d.date) for d in doc._.dates] == [("yesterday", dt.date(2013, 1, 24))]


def test_the_document_date_wins_over_the_dateline(nlp) -> None:
    doc = next(pipeline.process(nlp, [(ISAF, dt.date(2013, 1, 26))]))
    assert doc._.ref_date == dt.date(2013, 1, 26)
    assert [d.date for d in doc._.dates] == [dt.date(2013, 1, 25)]


def test_a_day_in_a_sentence_near_the_top_is_a_mention_not_a_dateline(nlp) -> None:
    """The first full date near the top dates an undated page, but said in a sentence it is the happening's day."""
    text = ("Shooting in Roxbury\n\nAt about 3:58pm, on Saturday, October 15, 2016, officers responded to a call "
            "for shots fired and found a man who had been shot in the leg.")
    doc = next(pipeline.process(nlp, [(text, dt.date(2016, 10, 17))]))
    assert [d.date for d in doc._.dates] == [dt.date(2016, 10, 15)]
    assert doc._.facts.incidents[doc._.facts.main_incident].date == dt.date(2016, 10, 15)


def test_a_weekday_resolves_against_a_dateline_dated_by_a_placeholder_release_code(nlp) -> None:
    doc = next(pipeline.process(nlp, [(PLACEHOLDER, None)]))
    assert [(doc[d.start:d.end].text, d.date) for d in doc._.dates] == [("Tuesday", dt.date(2011, 9, 13))]
    assert {c.date for c in doc._.facts.counts} == {dt.date(2011, 9, 13)}


@pytest.mark.parametrize("text", [
    pytest.param("Officials said today that the patrol detained two men in Logar province Aug 9.", id="abbreviation"),
    pytest.param("Officials said today that the patrol detained two men in Logar province Aug. 9.", id="with-period"),
    pytest.param("Officials said today that the patrol detained two men on August 9.", id="full-name"),
])
def test_a_month_and_day_dates_the_count_before_today(nlp, text) -> None:
    doc = next(pipeline.process(nlp, [(text, dt.date(2012, 8, 14))]))
    assert dt.date(2012, 8, 9) in [d.date for d in doc._.dates]
    assert [c.date for c in doc._.facts.counts] == [dt.date(2012, 8, 9)]


@pytest.mark.parametrize(("text", "named"), [
    pytest.param("The patrol detained two men Sept 3.", [True], id="month-day"),
    pytest.param("Today, the patrol detained two men.", [False], id="today-is-not-named"),
    pytest.param("The patrol detained two men on Monday.", [True], id="weekday"),
    pytest.param("May 2012 was quiet; two men were detained yesterday.", [False], id="month-year-is-no-day"),
])
def test_which_days_are_named(nlp, text, named) -> None:
    doc = next(pipeline.process(nlp, [(text, dt.date(2012, 9, 5))]))
    assert [d.named for d in doc._.dates] == named


@pytest.mark.parametrize(("name", "year", "reference", "day"), [
    pytest.param("New Year's Eve", None, dt.date(2017, 1, 2), dt.date(2016, 12, 31), id="eve-of-last-year"),
    pytest.param("New Years Day", None, dt.date(2016, 12, 28), dt.date(2017, 1, 1), id="a-day-within-a-week-ahead"),
    pytest.param("Christmas", None, dt.date(2015, 12, 28), dt.date(2015, 12, 25), id="fixed-day"),
    pytest.param("Thanksgiving Day", None, dt.date(2016, 12, 19), dt.date(2016, 11, 24), id="fourth-thursday"),
    pytest.param("Easter Sunday", None, dt.date(2016, 4, 7), dt.date(2016, 3, 27), id="easter"),
    pytest.param("Father\u2019s Day", None, dt.date(2015, 6, 22), dt.date(2015, 6, 21), id="third-sunday"),
    pytest.param("Memorial Day", None, dt.date(2015, 6, 1), dt.date(2015, 5, 25), id="last-monday"),
    pytest.param("Fourth of July", 2015, dt.date(2016, 3, 28), dt.date(2015, 7, 4), id="year-stated"),
    pytest.param("Halloween", None, None, None, id="no-reference"),
])
def test_a_holiday_is_its_day(name, year, reference, day) -> None:
    assert holiday(name, year, reference) == day


@pytest.mark.parametrize(("text", "days"), [
    pytest.param("A boy shot himself at his home on New Year's Eve.", [dt.date(2016, 12, 31)], id="on-the-day"),
    pytest.param("A woman was shot in the quadruple shooting Christmas night.", [dt.date(2016, 12, 25)],
                 id="night-of-the-day"),
    pytest.param("The Fourth of July shooting of two children left neighbors shaken.", [dt.date(2016, 7, 4)],
                 id="the-day-names-the-happening"),
    pytest.param("It happened in the early hours of New Year's Eve 2015.", [dt.date(2015, 12, 31)], id="with-year"),
    pytest.param("The shooting happened two days after Thanksgiving.", [], id="counted-from-the-day"),
    pytest.param("Five shootings wounded 15 people over the July 4th weekend.", [], id="a-span-around-the-day"),
    pytest.param("He wished for enough Christmas cards to cover his room.", [], id="a-thing-named-after-it"),
])
def test_a_holiday_dates_what_happened_on_it(nlp, text, days) -> None:
    doc = next(pipeline.process(nlp, [(text, dt.date(2017, 1, 2))]))
    assert [d.date for d in doc._.dates] == days
