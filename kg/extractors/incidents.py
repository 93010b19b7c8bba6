"""Incidents: which counts of a document describe the same happening, and which one it reports.

A news article reports one happening, sometimes a few, and mentions others as background. The
counts are grouped so:

- A count inside a sentence that opens a background or summary frame is about another happening:
  "earlier this month", "last year", "since the war began", "so far this year", "in separate
  operations over the past 24 hours", "the deadliest since". Each such sentence is an incident of its
  own, not reported (a background incident).
- So is a count after the headline and the lead's first sentence dated well before the document's own
  day (more than `BACKGROUND_DAYS` earlier: a follow-up's headline tells the happening it follows up,
  however long ago), in
  a sentence that frames another month than the document's ("In January, a missile killed 46" in a
  December report), or in a sentence that frames a year before the document's ("in the summer of 2012", "since the
  deadly December 2012 rampage"; any such year when the document's own is unknown).
- Everything else is the reported happening: "the attack", "the shooting", "the operation" refer
  back to it, and the parts of its tolls may be stated in different sentences.
- A part ("including at least 33 Americans") belongs to the incident of its whole.

An incident's date, places and perpetrators are those its counts name; without a place of its
counts, the places its first sentence names. The main incident's date is the day of the happening,
also in a follow-up written weeks later: a month and day said of it ("charged in the Jan. 5
shooting death") wins over a weekday, and a day said of what followed ("arrested Monday", "in court
on Feb. 3") is none. A page that counts no one but whose lead reports a happening ("Man charged in
shooting") has that one reported incident.

The main incident is the reported one the headline and lead are about: the reported incident with
a count in the headline or the first body sentences, else the first reported incident.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.extractors import structure
from kg.extractors.attribution import bounded
from kg.extractors.dates import HOLIDAYS, MONTH_NAMES, DateMention
from kg.extractors.facts import Count, Entity, Facts, Incident, Span
from kg.extractors.gazetteer import fold
from kg.extractors.structure import Segment
from kg.extractors.vocabulary import PLACE_KINDS

# a sentence that frames what it counts as another, earlier or cumulative happening
BACKGROUND = re.compile(
    r"\b(?:earlier (?:this|last) (?:year|month|week)|last (?:year|month|summer|winter|spring|fall|autumn)|"
    r"(?:in|since) (?:19|20)\d\d\b|since the (?:war|conflict|fighting|start|beginning|outbreak|uprising)|"
    r"since (?:january|february|march|april|may|june|july|august|september|october|november|december)\b|"
    r"so far this (?:year|month)|this year|(?:in|during) (?:the )?(?:past|last) (?:\d+|two|three|four|five|six|"
    r"seven|several|few) (?:days|weeks|months|years)|over the (?:past|last) (?:\d+ hours|\w+ (?:days|weeks|months))|"
    r"in (?:a |an )?(?:separate|other|unrelated) (?:operations?|incidents?|cases?|shootings?)|"
    r"previous(?:ly)?|years? ago|months ago|in all of|"
    r"(?:deadliest|worst|largest|biggest) (?:\w+ )?since|a year after|anniversary)\b",
    re.I,
)
BACKGROUND_DAYS = 7
# a month named without its day frames a happening of that month: "In January, a missile killed 46"
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_FRAME = re.compile(
    r"\b(?:in|since|during|of)\s+(?:early\s+|late\s+|mid-?)?(?P<month>" + "|".join(MONTHS) + r")\b(?![\s.]*\d)", re.I
)
# a year that frames a happening as past: "in December 2012", "the summer of 2012", "since the 2012 attack"
YEAR_FRAME = re.compile(
    r"\b(?:in|of|since|during|from)\s+(?:the\s+)?(?:(?:early|late|mid|deadly|summer|winter|spring|fall|autumn|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?)\.?[\s,-]+){0,3}(?P<year>(?:19|20)\d\d)\b",
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
# the headline or lead reports a happening even when it counts no one ("Man charged in shooting")
HAPPENING = re.compile(
    r"\b(?:shot|shoots?|shooting|shootings|gunfire|gunshots?|gunman|killed|killing|killings|murder(?:ed|s)?|"
    r"homicides?|stabb(?:ed|ing)|slain|slaying|death|dead|attack(?:ed)?|raid(?:ed)?|"
    r"manslaughter|fired (?:at|on|into|shots))\b",
    re.I,
)
LEAD_SENTENCES = 3
# how much less sure a day is said after the lead than in it
LATER = 2.5
AND_THE_DAY = re.compile(r",? (?:and|or) (?:on |then )?")
QUIET_LATER, QUIET_REACH = 10, 365  # a month and day in a quiet sentence after the lead, within a year
QUIET_LEAD = 4  # a day in the lead, in a sentence without a word of violence ("claimed the life of ... on June 27")
# a day named by its month and number ("Jan. 5", "July 4, 2015", "12/24") or by its holiday ("Christmas
# Eve"), not a weekday or "yesterday"
PRECISE = re.compile(rf"\b(?:{'|'.join(MONTH_NAMES)})\.? \d{{1,2}}\b|\b\d{{1,2}}/\d{{1,2}}\b|{'|'.join(HOLIDAYS)}")


class IncidentFinder:
    """Leaves the incidents of `doc` on `doc._.facts.incidents`, sets every count's incident and the
    document's main incident."""

    def __call__(self, doc: Doc) -> Doc:
        facts: Facts = doc._.facts
        parts = doc._.segments if doc._.segments is not None else structure.segments(doc.text)
        group(doc.text, facts, parts, doc._.ref_date)
        day = happening_day(doc, doc._.dates or [], _lead_end(doc.text, parts))
        if not facts.counts:
            _uncounted(doc, facts, parts, day[0] if day else doc._.ref_date)
        elif day is not None and facts.main_incident is not None:  # it outranks the day of the first count
            facts.incidents[facts.main_incident].date = day[0]
        if facts.main_incident is not None:
            locate(facts.incidents[facts.main_incident], facts, _lead(doc, parts), doc.text)
        return doc


def _lead(doc: Doc, parts: list[Segment]) -> list[SpacySpan]:
    """The headline and the first body sentences."""
    lead_end = _lead_end(doc.text, parts)
    sentences = [s for s in doc.sents if s.text.strip()]
    lead = [s for s in sentences if s.start_char < lead_end] or sentences[:1]
    return [*lead, *sentences[len(lead) : len(lead) + LEAD_SENTENCES]]


def locate(incident: Incident, facts: Facts, lead: list[SpacySpan], text: str) -> None:
    """The main incident's most specific place. Without a place of its own it takes the places the
    lead says it happened in ("in Andar district"), else the dateline's; without a town, it takes
    the dateline's town, or the first the lead says "in", or the first whose police the text quotes
    ("Waco police said": a town's police work in their town), or the first the lead names, so long
    as the town lies in the provinces or states its places lie in (not KABUL, the dateline of a raid
    in Ghazni)."""
    said = [key for sentence in lead for key in _places_within(facts, _span(sentence))]
    if not incident.places:
        incident.places = _ordered(said[:1]) or _ordered([facts.dateline])

    def place(key: str) -> Entity | None:
        return facts.entities.get(key) or facts.containers.get(key)

    def regions(entity: Entity) -> set[str]:
        return {k for k in entity.within if (p := place(k)) is not None and p.size() == 2}

    towns = [e for k in incident.places if (e := facts.entities.get(k)) is not None and "City" in e.kinds]
    policed = _policed(facts, text)
    if towns:
        # a town of another state than the dateline's (or, without one, than the town whose police
        # speak) is a namesake the gazetteer chose ("West End", Chatham in England), or where the
        # suspect was found ("Denver police arrested a man in Tulsa")
        anchor = next(
            (e for k in _ordered([facts.dateline, *policed[:1]]) if (e := facts.entities.get(k)) and "City" in e.kinds),
            None,
        )
        if (
            anchor is not None
            and anchor not in towns
            and regions(anchor)
            and all(regions(t).isdisjoint(regions(anchor)) for t in towns)
        ):
            incident.places = [anchor.key, *incident.places]
        return

    bounds = set()
    for key in incident.places:
        entity = place(key)
        if entity is not None:
            bounds |= {k for k in (key, *entity.within) if (p := place(k)) is not None and p.size() >= 2}
    named = [
        e.key
        for sentence in lead
        for e in sorted(facts.entities.values(), key=lambda e: min(m.begin for m in e.mentions) if e.mentions else 0)
        if "City" in e.kinds and any(sentence.start_char <= m.begin < sentence.end_char for m in e.mentions)
    ]
    for key in _ordered([facts.dateline, *said, *policed, *named]):
        town = facts.entities.get(key)
        if town is not None and "City" in town.kinds and bounds <= {key, *town.within}:
            incident.places = [key, *incident.places]
            return


# a town's police, named by the town: "Waco police said", "the Chicago Police Department"
POLICE = re.compile(r"\s+(?:police|Police|PD|P\.D\.)\b")


def _policed(facts: Facts, text: str) -> list[str]:
    """The towns whose police the text names, in the order it first names them."""
    found = sorted(
        (m.begin, e.key)
        for e in facts.entities.values()
        if "City" in e.kinds
        for m in e.mentions
        if POLICE.match(text, m.end)
    )
    return _ordered(key for _, key in found)


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
        if BACKGROUND.search(first.sent.text):
            continue
        precise = bool(PRECISE.search(doc[mention.start : mention.end].text))
        after = doc[mention.end : mention.end + 2]  # "the Feb. 2 shooting", "the Jan. 5 fatal stabbing"
        said_of = "violence" if any(VIOLENCE.match(t.text) for t in after) else _said_of(first)
        if said_of == "follow-up":
            continue
        if said_of == "violence":
            rank: float = 0 if precise else 2
        elif any(VIOLENCE.match(t.text) for t in first.sent):
            rank = 1 if precise else 3
        elif first.sent.start_char < lead_end:  # the lead tells the happening even in other words
            rank = QUIET_LEAD + (0 if precise else 1)
        elif precise and not (doc._.ref_date and (doc._.ref_date - mention.date).days > QUIET_REACH):
            rank = QUIET_LATER  # a month and day said anywhere, failing all else ("summoned at 8:09 a.m. on Nov. 22")
        else:
            continue
        if first.sent.start_char >= lead_end:
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


def _uncounted(doc: Doc, facts: Facts, parts: list[Segment], day: dt.date | None) -> None:
    """A document that counts no one but whose headline or lead reports a happening: one reported
    incident, the main one, first described by the sentence that reports it."""
    lead_end = _lead_end(doc.text, parts)
    sentences = [s for s in doc.sents if s.text.strip()]
    lead = [s for s in sentences if s.start_char < lead_end] or sentences[:1]
    for sentence in [*lead, *sentences[len(lead) : len(lead) + LEAD_SENTENCES]]:
        if HAPPENING.search(sentence.text):
            incident = Incident(mention=_span(sentence), date=day)
            incident.places = _places_within(facts, incident.mention)
            facts.incidents, facts.main_incident = [incident], 0
            return


def _span(sentence: SpacySpan) -> Span:
    return Span(sentence.start_char, sentence.end_char, sentence.text)


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


def group(text: str, facts: Facts, parts: list[Segment], reference: dt.date | None) -> None:
    """Set `facts.incidents`, each count's `incident` and `facts.main_incident`."""
    counts = facts.counts
    if not counts:
        facts.incidents, facts.main_incident = [], None
        return
    # a provisional key per count: a cluster of news, or the sentence of a background frame
    keys: list[object] = [None] * len(counts)
    lead = _lead_part(text, parts)
    lead_end, opening = (lead.end if lead else 0), _opening(text, lead)
    clusters: list[tuple[int, dt.date | None]] = []  # (key, date) of the news happenings so far
    for i in sorted(range(len(counts)), key=lambda i: counts[i].span.begin):
        count = counts[i]
        if count.part_of is not None:
            continue
        if background(text, count, reference, opening):
            keys[i] = ("background", count.sentence.begin)
            continue
        keys[i] = _cluster(clusters, count, lead_end)
    for i, count in enumerate(counts):  # a part goes with its whole, a total with its parts
        whole = count.part_of
        seen = set()
        while whole is not None and whole not in seen:
            seen.add(whole)
            keys[i] = keys[whole]
            whole = counts[whole].part_of
    order = sorted(range(len(counts)), key=lambda i: (counts[i].span.begin, counts[i].span.end))
    index: dict[object, int] = {}
    incidents: list[Incident] = []
    for i in order:
        key = keys[i]
        if key not in index:
            index[key] = len(incidents)
            incidents.append(Incident(mention=counts[i].sentence, reported=not isinstance(key, tuple)))
        counts[i].incident = index[key]
    for number, incident in enumerate(incidents):
        members = [c for c in counts if c.incident == number]
        _describe(incident, members, facts)
        if not incident.places:  # "in Andar district, Ghazni province": the places its sentence names
            incident.places = _places_within(facts, incident.mention)
    facts.incidents = incidents
    facts.main_incident = _main(incidents, counts, text, parts)


def _cluster(clusters: list[tuple[int, dt.date | None]], count: Count, lead_end: int) -> int:
    """The news happening a count is about: the one of its stated day (give or take one), else the last
    one spoken of ("the attack", "the victim" refer back); a new day opens a new happening."""
    if not count.dated or count.date is None:
        if not clusters:
            clusters.append((0, None))
        return clusters[-1][0]
    for n, (key, day) in enumerate(clusters):
        if day is not None and abs((day - count.date).days) <= 1:
            clusters.append(clusters.pop(n))
            return key
    if clusters and clusters[-1][1] is None and count.span.begin < lead_end + 400:
        key = clusters[-1][0]
        clusters[-1] = (key, count.date)
        return key
    clusters.append((len(clusters), count.date))
    return clusters[-1][0]


def _describe(incident: Incident, members: list[Count], facts: Facts) -> None:
    """Date, places and perpetrators of an incident: those its victims' counts name (perpetrators
    of the attackers' own deaths excepted). A background incident takes only a date the text states:
    the document's own date, which dates the news, says nothing of when an earlier happening was."""
    days = Counter(c.date for c in members if c.date is not None and (c.dated or incident.reported))
    if days:
        incident.date = min(days, key=lambda d: (-days[d], d))
    incident.places = _without_namesakes(_ordered(c.place for c in members), facts)
    incident.perpetrators = _ordered(c.perpetrator for c in members if not c.of_perpetrators)


def _without_namesakes(keys: list[str], facts: Facts) -> list[str]:
    """`keys` without a town named like a region that another of them lies in: "Two wounded in
    Ghazni" over "in Andar district, Ghazni province" names the province, not the city of Ghazni."""

    def entity(key: str) -> Entity | None:
        return facts.entities.get(key) or facts.containers.get(key)

    regions = {
        fold(r.label)
        for key in keys
        if (e := entity(key)) is not None
        for k in e.within
        if (r := entity(k)) is not None and "Region" in r.kinds
    }
    return [k for k in keys if not ((e := entity(k)) is not None and "City" in e.kinds and fold(e.label) in regions)]


SPECIFIC = {"City": 0, "Crossing": 1, "Region": 2, "Country": 3, "Place": 4}


# where a victim was treated, or a suspect tried or held, is not where it happened: "filed in federal
# court in Greeneville", "taken to a hospital in Knoxville"
ELSEWHERE = re.compile(
    r"\b(?:court|courthouse|jail|prison|hospital|medical center)\b[^.,;]{0,20}\s(?:in|at|near)\s+(?:the\s+)?$", re.I
)
LOCATED = re.compile(r"\b(?:in|at|near|outside|inside|on|across)\s+(?:the\s+)?$", re.I)


def _places_within(facts: Facts, span: Span) -> list[str]:
    """The places `span` says something happened in ("in Andar district, Ghazni province"), the most
    specific first; not every place it names ("working with Israel, Egypt and Qatar"), nor where a
    victim was treated or a suspect tried ("taken to a hospital in Knoxville", `ELSEWHERE`)."""
    mentions = sorted(
        (m.begin, m.end, e)
        for e in facts.entities.values()
        if PLACE_KINDS.intersection(e.kinds)
        for m in e.mentions
        if span.begin <= m.begin and m.end <= span.end
    )
    found: list[tuple[int, int, str]] = []
    last_end = -1
    for begin, end, entity in mentions:
        before = span.text[max(0, begin - span.begin - 12) : begin - span.begin]
        if ELSEWHERE.search(span.text[max(0, begin - span.begin - 40) : begin - span.begin]):
            continue
        if LOCATED.search(before) or (before.endswith((", ", ",")) and begin - last_end <= 2):
            found.append((min(SPECIFIC.get(k, 5) for k in entity.kinds), begin, entity.key))
            last_end = end
    return _ordered(key for _, _, key in sorted(found))


def _ordered(keys: Iterable[str | None]) -> list[str]:
    seen: list[str] = []
    for key in keys:
        if key and key not in seen:
            seen.append(key)
    return seen


def _main(incidents: list[Incident], counts: list[Count], text: str, parts: list[Segment]) -> int | None:
    """The reported incident with a count in the headline or lead, else the first reported one."""
    reported = [i for i, incident in enumerate(incidents) if incident.reported]
    if not reported:
        return None
    lead_end = _lead_end(text, parts)
    for i in reported:
        if any(c.incident == i and c.span.begin < lead_end for c in counts):
            return i
    return reported[0]


def _lead_part(text: str, parts: list[Segment]) -> Segment | None:
    """The lead: the first body line that is a sentence (not a byline, the paper's name or the headline
    again); without one, the first body line."""
    body = [p for p in parts if p.kind == "body"]
    return next((p for p in body if not structure.is_heading(text[p.begin : p.end])), body[0] if body else None)


def _lead_end(text: str, parts: list[Segment]) -> int:
    """Where the lead ends: after the headline and the lead."""
    lead = _lead_part(text, parts)
    return lead.end if lead else 0


def _opening(text: str, lead: Segment | None) -> int:
    """Where the `lead`'s first sentence begins: a sentence that begins there or before is the headline's
    or the lead's first, which tell the page's happening."""
    if lead is None:
        return 0
    line = text[lead.begin : lead.end]
    return lead.begin + len(line) - len(line.lstrip())


__all__ = ["BACKGROUND", "IncidentFinder", "Span", "background", "group"]
