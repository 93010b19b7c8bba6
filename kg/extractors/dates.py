"""Calendar days the text refers to ("Oct. 7", "on Monday", "yesterday"), resolved with dateparser.

The reference day is the document date, else the dateline ("KABUL, Afghanistan (Jan. 25, 2013)").
Without either, only dates that state their year are resolved: "Tuesday" means nothing without
knowing when the article was written. Relative dates look back (news reports what happened): a
weekday is the most recent such day on or before the reference day; "Oct. 24" in a text of
2023-11-23 is 2023-10-24, in one of 2023-09-20 it is 2022-10-24, but a day at most a week ahead
("Oct. 24" in a text of 2023-10-23) is that day to come, not a day of the year before.
Only expressions that name one day count; "last week" and "in February"
are not event dates; "last night" and "overnight" are the day before the reference day (a night
operation is reported the next morning). Document codes such as "2013-01-S-025" are not dates.
A month and day the entity recognizer misses ("in Paktiya province Aug 9") is a day all the same, and
so is a holiday named as the day something happened ("on New Year's Eve", "Easter Sunday", "the
Thanksgiving Day shooting"), however the recognizer tags it; its day comes from dateutil's calendar
arithmetic (Easter, "the fourth Thursday of November").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dateparser.date import DateDataParser
from spacy.attrs import LOWER
from spacy.tokens import Doc

from kg.extractors.lexicon.time import HOLIDAYS, MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAY_ABBREVIATIONS, WEEKDAYS
from kg.extractors.structure import RELEASE_NUMBER

# A dateline or heading date: the first day with its year near the top of the text; failing
# that, a dateline without a year ("KABUL, Afghanistan (June 14)") dated by the release code
# ("2012-06-S-026", whose year and month are those of the release).
HEADING_DATE = re.compile(r"\b([A-Z][a-z]{2,8}\.? \d{1,2}, (?:19|20)\d\d)\b")
DAY_NO_YEAR = re.compile(r"\b([A-Z][a-z]{2,8}\.? \d{1,2})\b(?!,? \d)")
DATELINE_WINDOW = 400
WEEKDAY_NUMBER = {name.lower(): index for index, name in enumerate(WEEKDAYS)}  # "monday": 0
# a month and its day, with or without a year ("Aug 9", "Sept. 3, 2012"): a day however it is tagged
MONTH_DAY = re.compile(rf"\b(?:{'|'.join(MONTH_NAMES)})\.? \d{{1,2}}\b(?!,? ?\d)(?:,? (?:19|20)\d\d\b)?")
# a day named by its month, weekday or number, not by its distance from today ("Monday", "June 14")
NAMED = re.compile(rf"\d|\b(?:{'|'.join([*MONTH_NAMES, *WEEKDAYS])})\b")
# a day expression names a month, a weekday or a day relative to today; "four days" is a duration
DAY_WORDS = re.compile(
    "|".join(
        [
            r"\b(yesterday|today|tonight|ago)\b",
            *(rf"\b{m}" for m in MONTH_ABBREVIATIONS),
            *(rf"\b{d}" for d in WEEKDAY_ABBREVIATIONS),
        ]
    ),
    re.I,
)
# a time of day ("5:30", "1:45 p.m.", "2 a.m."): the day it is said with is the day
CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?:\s*[ap]\.?m\b\.?)?|\b\d{1,2}\s*[ap]\.?m\b\.?", re.I)
# a night operation reported the next day: the day it began
LAST_NIGHT = re.compile(r"\b(last night|overnight)\b", re.I)
# when the page was posted or updated ("Posted: Wednesday, March 9, 2016"), not when anything happened
STAMP = re.compile(
    r"\b(?:posted|updated|published|modified)\b\W*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\W*)?$", re.I
)
HAS_YEAR = re.compile(r"\b(19|20)\d\d\b")
_DAY_OF = [(re.compile(rf"(?:{name})$"), day) for name, day in HOLIDAYS.items()]
# a holiday named as the day something happened: "on Easter", "during the Fourth of July", "Christmas
# night", "the Thanksgiving Day shooting"; not a day counted from it ("two days after Thanksgiving"),
# a span around it ("Memorial Day weekend") or a thing named after it ("Christmas cards")
HOLIDAY = re.compile(rf"(?<![\w'\u2019])(?P<name>{'|'.join(HOLIDAYS)})(?:,? (?P<year>(?:19|20)\d\d))?\b(?![\w'\u2019])")
_HOLIDAY_BEFORE = re.compile(r"\b(?:on|during|over|of|this|last|that)\W*$", re.I)
_HOLIDAY_AFTER = re.compile(  # "Christmas night", "the Easter fatal shooting"
    r"^\W*(?:night|morning|evening|afternoon|eve|day|celebrations?|part(?:y|ies)|"
    r"(?-i:(?:\w+ )?(?:shootings?|slayings?|homicides?|killings?|murders?|stabbings?|attacks?)))\b",
    re.I,
)
_HOLIDAY_SPAN = re.compile(r"^\W*(?:weekend|week|holiday weekend|season)\b", re.I)
_HOLIDAY_FROM = re.compile(
    r"\b(?:after|before|ahead of|until|since|starting|beginning|from|days?|weeks?)\W+(?:on\W+)?(?:the\W+)?$", re.I
)
SOON_DAYS = 7  # a month and day at most this far after the reference is of its year, not the year before
# words a day expression may carry that dateparser does not need
NOISE = re.compile(
    r"\b(on|early|late|earlier|later|this|that|in the|the|morning|afternoon|evening|night|"
    r"overnight|tonight|around|about|of)\b",
    re.I,
)


@lru_cache(maxsize=64)
def _parser(reference: dt.date | None) -> DateDataParser:
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past"}
    if reference is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(reference, dt.time())
    return DateDataParser(languages=["en"], settings=settings)


@dataclass(frozen=True)
class DateMention:
    """A day the text names: token range and the resolved date."""

    start: int
    end: int
    date: dt.date
    named: bool = False  # named by its month, weekday or number ("June 14", "Monday"), not "yesterday"


def dateline(text: str) -> tuple[dt.date, list[tuple[int, int]]] | None:
    """The date of the dateline or heading near the top of `text`, and where every heading date is: the
    first day with its year in the first `DATELINE_WINDOW` characters, a page's stamp ("Posted: Tuesday,
    January 28, 2014") or a sentence's included, not only the parenthesis of the dateline segment
    (`structure.DATELINE`)."""
    top = text[:DATELINE_WINDOW]
    spans = [m.span(1) for m in HEADING_DATE.finditer(top) if _heading(top, *m.span(1))]
    spans += [m.span(1) for m in DAY_NO_YEAR.finditer(top) if _heading(top, *m.span(1))]
    match = HEADING_DATE.search(top)
    if match is not None:  # it dates the document, but a day in a sentence is a mention all the same
        day = resolve(match.group(1), None)
        return (day, spans) if day else None
    code = RELEASE_NUMBER.search(top)
    if code is None:
        return None
    for match in DAY_NO_YEAR.finditer(top):
        day = resolve(f"{match.group(1)}, {code.group(1)}", None)
        if day is not None:
            return day, [*spans, match.span(1)]
    return None


def _heading(top: str, begin: int, end: int) -> bool:
    """A date that stands alone on a heading line or in a dateline's parentheses."""
    before = top[:begin].rstrip(" ,")
    after = top[end:].lstrip(" ")
    return (not before or before[-1] in "(\n\u2028" or before.endswith("Update")) or (
        not after or after[0] in ")\n\u2028:"
    )


def resolve(text: str, reference: dt.date | None) -> dt.date | None:
    """The single day `text` names, relative to `reference`; None when it names no one day."""
    if RELEASE_NUMBER.search(text):
        return None
    if reference is not None and LAST_NIGHT.search(text):
        return reference - dt.timedelta(days=1)
    cleaned = " ".join(NOISE.sub(" ", text).replace(",", " ").split())
    if not cleaned:
        return None
    if not DAY_WORDS.search(cleaned) or (reference is None and not HAS_YEAR.search(cleaned)):
        return None
    weekday = " ".join(CLOCK.sub(" ", cleaned).split()).lower()
    if reference is not None and weekday in WEEKDAY_NUMBER:  # the latest such day, the reference's own included
        back = (reference.weekday() - WEEKDAY_NUMBER[weekday]) % 7  # (dateparser goes a week back: "5:30 Friday")
        return reference - dt.timedelta(days=back)
    data = _parser(reference).get_date_data(cleaned)
    if data.date_obj is None or data.period != "day":
        return None
    day = data.date_obj.date()
    if reference is not None and day < reference and not HAS_YEAR.search(cleaned):
        # "Aug. 17" a few days after the reference is that day to come ("will appear in court Aug. 17"),
        # or the page's date is a day early; not a day of the year before
        ahead = _same_day_in(day, reference.year) - reference
        if dt.timedelta(0) < ahead <= dt.timedelta(days=SOON_DAYS):
            return reference + ahead
    return day


def _same_day_in(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # February 29
        return day.replace(year=year, day=28)


def holiday(name: str, year: int | None, reference: dt.date | None) -> dt.date | None:
    """The day the holiday `name` fell on: in `year`, else the latest on or before `reference`, or
    one at most `SOON_DAYS` ahead of it (as for "Aug. 17"); None without either."""
    of_year = next(day for pattern, day in _DAY_OF if pattern.match(name))
    if year is not None:
        return of_year(year)
    if reference is None:
        return None
    days = [of_year(reference.year + step) for step in (1, 0, -1)]
    return next(day for day in days if (day - reference).days <= SOON_DAYS)


def _holidays(doc: Doc, reference: dt.date | None) -> list[tuple[int, int, dt.date]]:
    """Where the text names a holiday as the day something happened, and that day."""
    found = []
    text = doc.text  # Doc.text joins every token anew
    for match in HOLIDAY.finditer(text):
        before, after = text[max(0, match.start() - 30) : match.start()], text[match.end() : match.end() + 30]
        if _HOLIDAY_SPAN.match(after) or _HOLIDAY_FROM.search(before):
            continue
        if not (_HOLIDAY_BEFORE.search(before) or _HOLIDAY_AFTER.match(after)):
            continue
        year = match.group("year")
        day = holiday(match.group("name"), int(year) if year else None, reference)
        if day is not None:
            found.append((match.start(), match.end(), day))
    return found


def date_mentions(doc: Doc, reference: dt.date | None, skip: list[tuple[int, int]]) -> list[DateMention]:
    """Every DATE entity of `doc` that names one day, except those at `skip` (dateline, headings) and the
    page's own stamps ("Posted: ...", "Updated: ...")."""
    found = []
    text = doc.text  # Doc.text joins every token anew
    holidays = _holidays(doc, reference)
    # a holiday is its day however the recognizer tags it ("New Year's Eve" an EVENT, "Easter" a PERSON)
    spans = [
        ent
        for ent in doc.ents
        if ent.label_ in ("DATE", "TIME") and not any(b < ent.end_char and ent.start_char < e for b, e, _ in holidays)
    ]
    for begin, end, holiday_day in holidays:
        span = doc.char_span(begin, end, alignment_mode="expand")
        if span is not None and not any(span.start_char < e and b < span.end_char for b, e in skip):
            found.append(DateMention(span.start, span.end, holiday_day, True))
    tagged = [(ent.start_char, ent.end_char) for ent in spans] + [(b, e) for b, e, _ in holidays]
    for match in MONTH_DAY.finditer(text):  # "province Aug 9": a day the recognizer did not tag
        if not any(b < match.end() and match.start() < e for b, e in tagged):
            span = doc.char_span(*match.span(), alignment_mode="expand")
            if span is not None:
                spans.append(span)
    overnight = doc.vocab.strings["overnight"]
    spans += [
        doc[i : i + 1]
        for i, lower in enumerate(doc.to_array(LOWER).tolist())
        if lower == overnight and not doc[i].ent_type_
    ]
    for span in sorted(spans, key=lambda s: s.start):
        if any(span.start_char < e and b < span.end_char for b, e in skip):
            continue
        if STAMP.search(text[max(0, span.start_char - 30) : span.start_char]):
            continue
        day = resolve(span.text, reference)
        if day is not None:
            found.append(DateMention(span.start, span.end, day, bool(NAMED.search(span.text))))
    return sorted(found, key=lambda mention: mention.start)


class DateResolver:
    """Leaves the reference day on `doc._.ref_date` and every named day on `doc._.dates`."""

    def __init__(self) -> None:
        # dateparser reads its English data on first use (0.4 s): here, with the pipeline, so that the
        # worker processes forked from a loaded pipeline share it instead of each reading it again
        resolve("June 14, 2020", None)

    def __call__(self, doc: Doc) -> Doc:
        line = dateline(doc.text)
        doc._.ref_date = doc._.doc_date or (line[0] if line else None)
        doc._.dates = date_mentions(doc, doc._.ref_date, line[1] if line else [])
        return doc
