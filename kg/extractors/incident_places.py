"""Where an incident happened: the places its sentences say it happened in, and the main incident's
most specific place, down to its town.

An incident's places are those its counts name, without a town named like a region another of them
lies in (`without_namesakes`); without a place of its counts, the places its first sentence says it
happened in (`places_within`). The main incident then takes its town from the dateline, the lead, or
the police the text quotes (`locate`).
"""

from __future__ import annotations

import re

from spacy.tokens import Span as SpacySpan

from kg.extractors.facts import Entity, Facts, Incident, Span, ordered
from kg.extractors.gazetteer import fold
from kg.extractors.vocabulary import PLACE_KINDS

# a town's police, named by the town: "Waco police said", "the Chicago Police Department"
POLICE = re.compile(r"\s+(?:police|Police|PD|P\.D\.)\b")
# which of the places a sentence names comes first: the most specific
SPECIFIC = {"City": 0, "Crossing": 1, "Region": 2, "Country": 3, "Place": 4}
# where a victim was treated, or a suspect tried or held, is not where it happened: "filed in federal
# court in Greeneville", "taken to a hospital in Knoxville"
ELSEWHERE = re.compile(
    r"\b(?:court|courthouse|jail|prison|hospital|clinic|(?:medical|trauma|health) cent(?:er|re))\b[^.,;]{0,20}"
    r"\s(?:in|at|near)\s+(?:the\s+)?$",
    re.I,
)
LOCATED = re.compile(r"\b(?:in|at|near|outside|inside|on|across)\s+(?:the\s+)?$", re.I)


def locate(incident: Incident, facts: Facts, lead: list[SpacySpan], text: str) -> None:
    """The main incident's places: its town (`_locate_town`), and the county whose sheriff, coroner or
    prosecutor the text names (`_policing_county`)."""
    _locate_town(incident, facts, lead, text)
    county = _policing_county(incident, facts, text)
    if county is not None:
        incident.places = [*incident.places, county]


def _locate_town(incident: Incident, facts: Facts, lead: list[SpacySpan], text: str) -> None:
    """The main incident's most specific place. Without a place of its own it takes the places the
    lead says it happened in ("in Andar district"), else the dateline's; without a town, it takes
    the dateline's town, or the first the lead says "in", or the first whose police the text quotes
    ("Waco police said": a town's police work in their town), or the first the lead names, so long
    as the town lies in the provinces or states its places lie in (not KABUL, the dateline of a raid
    in Ghazni)."""
    said = [key for sentence in lead for key in places_within(facts, Span.of(sentence))]
    if not incident.places:
        incident.places = ordered(said[:1]) or ordered([facts.dateline])

    towns = [e for k in incident.places if (e := facts.entities.get(k)) is not None and "City" in e.kinds]
    policed = _policed(facts, text)
    if towns:
        # a town of another state than the dateline's (or, without one, than the town whose police
        # speak) is a namesake the gazetteer chose ("West End", Chatham in England), or where the
        # suspect was found ("Denver police arrested a man in Tulsa")
        anchor = next(
            (e for k in ordered([facts.dateline, *policed[:1]]) if (e := facts.entities.get(k)) and "City" in e.kinds),
            None,
        )
        if (
            anchor is not None
            and anchor not in towns
            and _states(facts, anchor)
            and all(_states(facts, t).isdisjoint(_states(facts, anchor)) for t in towns)
        ):
            incident.places = [anchor.key, *incident.places]
        return

    bounds = set()
    for key in incident.places:
        entity = _place(facts, key)
        if entity is not None:
            bounds |= {k for k in (key, *entity.within) if (p := _place(facts, k)) is not None and p.size() >= 2}
    named = [
        e.key
        for sentence in lead
        for e in sorted(facts.entities.values(), key=lambda e: min(m.begin for m in e.mentions) if e.mentions else 0)
        if "City" in e.kinds and any(sentence.start_char <= m.begin < sentence.end_char for m in e.mentions)
    ]
    for key in ordered([facts.dateline, *said, *policed, *named]):
        town = facts.entities.get(key)
        if town is not None and "City" in town.kinds and bounds <= {key, *town.within}:
            incident.places = [key, *incident.places]
            return


def _policed(facts: Facts, text: str) -> list[str]:
    """The towns whose police the text names, in the order it first names them."""
    found = sorted(
        (m.begin, e.key)
        for e in facts.entities.values()
        if "City" in e.kinds
        for m in e.mentions
        if POLICE.match(text, m.end)
    )
    return ordered(key for _, key in found)


# a county's officers, named by the county: "the Navarro County Sheriff", "Anderson County deputies",
# "the Cook County medical examiner's office"
COUNTY_AGENCY = re.compile(
    r"(?:['’]s)?\s+(?:Sheriff|sheriff|Deput(?:y|ies)|deput(?:y|ies)|Coroner|coroner|Medical Examiner|"
    r"medical examiner|Prosecutor|prosecutor|District Attorney|Police|police|Detectives|detectives)\b"
)
# an agency named by its county, read as one name: "the Henderson County Sheriff's Department"
AGENCY_NAME = re.compile(r"^(?:the\s+)?(.+?\s(?:County|Parish))" + COUNTY_AGENCY.pattern, re.IGNORECASE)


def _policing_county(incident: Incident, facts: Facts, text: str) -> str | None:
    """The dateline's county ("HENDERSON COUNTY, Tenn. —"), or the first whose sheriff, coroner or
    prosecutor the text names: they work in their county, so the happening they speak of lies in it.
    None when the incident already has that county or a place in it, when its places lie in another
    state, or when the county's state is unknown."""

    counties = {e.label.casefold(): e for e in facts.entities.values() if "Region" in e.kinds and e.size() == 1}
    found = [(m.begin, e) for e in counties.values() for m in e.mentions if COUNTY_AGENCY.match(text, m.end)]
    for e in facts.entities.values():
        named = AGENCY_NAME.match(e.label) if e.mentions and e.kinds in (("Organization",), ("Place",)) else None
        if named is not None and (county := counties.get(named[1].casefold())) is not None:
            found.append((e.mentions[0].begin, county))
    dateline = _place(facts, facts.dateline) if facts.dateline else None
    if dateline is not None and "Region" in dateline.kinds and dateline.size() == 1:
        found.append((-1, dateline))
    if not found:
        return None
    county = min(found, key=lambda pair: pair[0])[1]
    if not _states(facts, county):
        return None
    for key in incident.places:
        place = _place(facts, key)
        if key == county.key or place is None or county.key in place.within:
            return None
        theirs = _states(facts, place) | ({key} if place.size() == 2 else set())
        if theirs and theirs.isdisjoint(_states(facts, county)):
            return None
    return county.key


def _place(facts: Facts, key: str) -> Entity | None:
    return facts.entities.get(key) or facts.containers.get(key)


def _states(facts: Facts, entity: Entity) -> set[str]:
    """The provinces or states `entity` lies in."""
    return {k for k in entity.within if (p := _place(facts, k)) is not None and p.size() == 2}


def places_within(facts: Facts, span: Span) -> list[str]:
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
    return ordered(key for _, _, key in sorted(found))


def without_namesakes(keys: list[str], facts: Facts) -> list[str]:
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


__all__ = ["locate", "places_within", "without_namesakes"]
