"""Incidents: which counts of a document describe the same happening, and which one it reports.

A news article reports one happening, sometimes a few, and mentions others as background. The
counts are grouped so:

- A count that a background or summary frame marks as another, earlier or cumulative happening
  (`incident_dates.background`: "earlier this month", "last year", a day well before the document's,
  another month or an earlier year) is in an incident of its own, one per sentence, not reported (a
  background incident).
- Everything else is the reported happening: "the attack", "the shooting", "the operation" refer
  back to it, and the parts of its tolls may be stated in different sentences.
- A part ("including at least 33 Americans") belongs to the incident of its whole.

An incident's date, places and perpetrators are those its counts name; without a place of its
counts, the places its first sentence names (`incident_places`). The main incident's date is the day
of the happening (`incident_dates.happening_day`), its place the most specific the text gives
(`incident_places.locate`). A page that counts no one but whose lead reports a happening ("Man
charged in shooting") has that one reported incident.

The main incident is the reported one the headline and lead are about: the reported incident with
a count in the headline or the first body sentences, else the first reported incident.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from kg.extractors import structure
from kg.extractors.facts import Count, Facts, Incident, Span, ordered
from kg.extractors.incident_dates import background, happening_day
from kg.extractors.incident_places import locate, places_within, without_namesakes
from kg.extractors.sentences import all_of
from kg.extractors.structure import Segment

# the headline or lead reports a happening even when it counts no one ("Man charged in shooting")
HAPPENING = re.compile(
    r"\b(?:shot|shoots?|shooting|shootings|gunfire|gunshots?|gunman|killed|killing|killings|murder(?:ed|s)?|"
    r"homicides?|stabb(?:ed|ing)|slain|slaying|death|dead|attack(?:ed)?|raid(?:ed)?|"
    r"manslaughter|fired (?:at|on|into|shots))\b",
    re.I,
)
LEAD_SENTENCES = 3


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
    sentences = [s for s in all_of(doc) if s.text.strip()]
    lead = [s for s in sentences if s.start_char < lead_end] or sentences[:1]
    return [*lead, *sentences[len(lead) : len(lead) + LEAD_SENTENCES]]


def _uncounted(doc: Doc, facts: Facts, parts: list[Segment], day: dt.date | None) -> None:
    """A document that counts no one but whose headline or lead reports a happening: one reported
    incident, the main one, first described by the sentence that reports it."""
    for sentence in _lead(doc, parts):
        if HAPPENING.search(sentence.text):
            incident = Incident(mention=Span.of(sentence), date=day)
            incident.places = places_within(facts, incident.mention)
            facts.incidents, facts.main_incident = [incident], 0
            return


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
            incident.places = places_within(facts, incident.mention)
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
    incident.places = without_namesakes(ordered(c.place for c in members), facts)
    incident.perpetrators = ordered(c.perpetrator for c in members if not c.of_perpetrators)


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


__all__ = ["IncidentFinder", "group"]
