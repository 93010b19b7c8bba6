"""When an incident happened: the day of the happening a document reports, and the time frames that
make a count one of another, earlier or cumulative happening (a background count).

- A count inside a sentence that opens a background or summary frame is about another happening:
  "earlier this month", "last year", "since the war began", "so far this year", "in separate
  operations over the past 24 hours", "the deadliest since" (`BACKGROUND`).
- So is a count after the headline and the lead's first sentence dated well before the document's own
  day (more than `BACKGROUND_DAYS` earlier: a follow-up's headline tells the happening it follows up,
  however long ago), in a sentence that frames another month than the document's ("In January, a
  missile killed 46" in a December report), or in a sentence that frames a year before the document's
  ("in the summer of 2012", "since the deadly December 2012 rampage"; any such year when the
  document's own is unknown).

The main incident's date is the day of the happening, also in a follow-up written weeks later: a
month and day said of it ("charged in the Jan. 5 shooting death") wins over a weekday, and a day said
of what followed ("arrested Monday", "in court on Feb. 3") is none (`happening_day`).
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise

from spacy.tokens import Doc, Token

from kg.extractors.attribution import bounded
from kg.extractors.dates import DateMention
from kg.extractors.facts import Count
from kg.extractors.lexicon.time import HOLIDAYS, MONTH_NAMES, MONTHS
from kg.extractors.sentences import sentence_of

# a sentence that frames what it counts as another, earlier or cumulative happening
BACKGROUND = re.compile(
    r"\b(?:earlier (?:this|last) (?:year|month|week)|last (?:year|month|summer|winter|spring|fall|autumn)|"
    r"(?:in|since) (?:19|20)\d\d\b|since the (?:war|conflict|fighting|start|beginning|outbreak|uprising)|"
    rf"since (?:{'|'.join(MONTHS)})\b|"
    r"so far this (?:year|month)|this year|(?:in|during) (?:the )?(?:past|last) (?:\d+|two|three|four|five|six|"
    r"seven|several|few) (?:days|weeks|months|years)|over the (?:past|last) (?:\d+ hours|\w+ (?:days|weeks|months))|"
    r"in (?:a |an )?(?:separate|other|unrelated) (?:operations?|incidents?|cases?|shootings?)|"
    r"previous(?:ly)?|years? ago|months ago|in all of|"
    r"(?:deadliest|worst|largest|biggest) (?:\w+ )?since|a year after|anniversary)\b",
    re.I,
)
BACKGROUND_DAYS = 7
# a month named without its day frames a happening of that month: "In January, a missile killed 46"
MONTH_FRAME = re.compile(
    r"\b(?:in|since|during|of)\s+(?:early\s+|late\s+|mid-?)?(?P<month>" + "|".join(MONTHS) + r")\b(?![\s.]*\d)", re.I
)
# a year that frames a happening as past: "in December 2012", "the summer of 2012", "since the 2012 attack"
YEAR_FRAME = re.compile(
    r"\b(?:in|of|since|during|from)\s+(?:the\s+)?(?:(?:early|late|mid|deadly|summer|winter|spring|fall|autumn|"
    rf"{'|'.join(MONTH_NAMES)})\.?[\s,-]+){{0,3}}(?P<year>(?:19|20)\d\d)\b",
    re.I,
)

# words of the happening itself, and of what follows it (an arrest, a court, a funeral)
VIOLENCE = re.compile(
    r"^(?:shot|shoot|shooting|shootings|gunfire|gunshots?|gunman|gunmen|kill|killed|killing|murder(?:ed|s)?|"
    r"homicides?|stabb(?:ed|ing)|stab|slain|slaying|dead|death|deaths|died|die|dies|attack(?:ed|s)?|raids?|"
    r"wound(?:ed|s)?|injur(?:ed|ies|y)|fired|firing|robbery|robbed|carjacking|crash|fight|altercation|"
    r"struck|striking|hit|bullets?|assault(?:ed)?|exchange|incident|violence|happened|occurred|executed|ambush(?:ed)?|"
    r"gunned|opened)$",
    re.I,
)
FOLLOW_UP = re.compile(
    r"^(?:arrest(?:ed|s)?|charged?|charges|court|hearing|arraign(?:ed|ment)|sentenc(?:ed|ing|e)|trial|jury|"
    r"convicted|pleaded|plea|indicted|indictment|bond|bail|funeral|vigil|memorial|booked|jailed|"
    r"appear(?:ed|s)?|released|identified|autopsy|announced|said|says|told|reported)$",
    re.I,
)
# how much less sure a day is said after the lead than in it
LATER = 2.5
AND_THE_DAY = re.compile(r",? (?:and|or) (?:on |then )?")
QUIET_LATER, QUIET_REACH = 10, 365  # a month and day in a quiet sentence after the lead, within a year
QUIET_LEAD = 4  # a day in the lead, in a sentence without a word of violence ("claimed the life of ... on June 27")
# a day named by its month and number ("Jan. 5", "July 4, 2015", "12/24") or by its holiday ("Christmas
# Eve"), not a weekday or "yesterday"
PRECISE = re.compile(rf"\b(?:{'|'.join(MONTH_NAMES)})\.? \d{{1,2}}\b|\b\d{{1,2}}/\d{{1,2}}\b|{'|'.join(HOLIDAYS)}")


def background(text: str, count: Count, reference: dt.date | None, opening: int = -1) -> bool:
    """Whether `count` is about an earlier or cumulative happening, not the one reported."""
    if BACKGROUND.search(count.sentence.text):
        return True
    for match in YEAR_FRAME.finditer(count.sentence.text):  # "in the summer of 2012", "since the 2012 rampage"
        if reference is None or int(match.group("year")) < reference.year:
            return True
    for match in MONTH_FRAME.finditer(count.sentence.text):  # "In January, ..." in a December report
        if reference is not None and MONTHS.index(match.group("month").lower()) + 1 != reference.month:
            return True
    if count.sentence.begin <= opening:  # the headline and first sentence tell the page's happening, however long ago
        return False
    return bool(reference and count.dated and count.date and (reference - count.date).days > BACKGROUND_DAYS)


def happening_day(doc: Doc, dates: list[DateMention], lead_end: int = 0) -> tuple[dt.date, float] | None:
    """The day of the happening the document reports, and how sure (0 best): a month and day said of
    the happening ("the Jan. 5 shooting", "was shot on Dec. 24") outranks one in a sentence about it,
    which outranks a weekday or "yesterday" said of it, then one in a sentence about it; a day the
    lead (before `lead_end`) says is surer than one said later, which may be another, earlier
    happening ("On June 14, a girl was grazed"). A day the lead says in other words comes after
    those said of violence in the lead. A day said of what followed ("arrested Monday",
    "appeared in court on Feb. 3"), in a sentence of background ("previously") or listed with another
    ("on Easter and on April 16") is none."""
    best: tuple[float, int, dt.date] | None = None
    listed = _listed(doc, dates)
    for mention in dates:
        if mention in listed or bounded(doc, mention) or (doc._.ref_date and mention.date > doc._.ref_date):
            continue
        first = doc[mention.start]
        sentence = sentence_of(first)
        if BACKGROUND.search(sentence.text):
            continue
        precise = bool(PRECISE.search(doc[mention.start : mention.end].text))
        after = doc[mention.end : mention.end + 2]  # "the Feb. 2 shooting", "the Jan. 5 fatal stabbing"
        said_of = "violence" if any(VIOLENCE.match(t.text) for t in after) else _said_of(first)
        if said_of == "follow-up":
            continue
        if said_of == "violence":
            rank: float = 0 if precise else 2
        elif any(VIOLENCE.match(t.text) for t in sentence):
            rank = 1 if precise else 3
        elif sentence.start_char < lead_end:  # the lead tells the happening even in other words
            rank = QUIET_LEAD + (0 if precise else 1)
        elif precise and not (doc._.ref_date and (doc._.ref_date - mention.date).days > QUIET_REACH):
            rank = QUIET_LATER  # a month and day said anywhere, failing all else ("summoned at 8:09 a.m. on Nov. 22")
        else:
            continue
        if sentence.start_char >= lead_end:
            rank += LATER
        # of two months and days, the first said; of two weekdays, the earlier (then came the arrest)
        key = (rank, mention.start if precise else mention.date.toordinal())
        if best is None or key < best[:2]:
            best = (*key, mention.date)
    return (best[2], best[0]) if best else None


def _listed(doc: Doc, dates: list[DateMention]) -> set[DateMention]:
    """Days listed together ("killed on Easter and on April 16"): several happenings, none the one."""
    listed: set[DateMention] = set()
    for first, second in pairwise(dates):
        between = doc.text[doc[first.start : first.end].end_char : doc[second.start].idx]
        if AND_THE_DAY.fullmatch(between):
            listed |= {first, second}
    return listed


def _said_of(token: Token) -> str | None:
    """What the day of `token` is said of: the first word of the happening or of what followed it
    that it hangs from or modifies, within a few steps of the parse."""
    for word in [*list(token.rights)[:3], *token.ancestors]:
        if VIOLENCE.match(word.text):
            return "violence"
        if FOLLOW_UP.match(word.text):
            return "follow-up"
        if word.pos_ == "VERB" or word.dep_ == "ROOT":
            break
    return None


__all__ = ["BACKGROUND", "background", "happening_day"]
