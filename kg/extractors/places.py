"""Resolving a place name to a country, region or city, with the document's countries as context."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence

from kg.extractors.facts import slug
from kg.extractors.gazetteer import Gazetteer, Place, fold
from kg.extractors.lexicon.places import REGION_WORDS, SECOND_LEVEL_WORDS
from kg.extractors.structure import CAPITALS

SMALL_TOWN = 15_000  # a town smaller than this never wins over a region of the same name
BIG_CITY = 1_000_000  # a city this big wins over a region of the same name ("New York")
# Datelines: an upper-case place name opening a line ("KABUL, Afghanistan") or glued to the text
# before it by a scraper ("CBS DenverAURORA, Colo."), before a comma, a bracket or a dash; a name
# glued after a site name ("6abc.comPhiladelphia police"); "(Cincinnati, OH)". Anywhere in the text,
# and only where the gazetteer knows the place: more than the one dateline segment `structure`
# cuts off the body's first lines (a line without a dash, "NEW ORLEANS (AP)" further down), and not
# a "FILE" or "BREAKING" line it takes for one.
DATELINES = (
    re.compile(rf"(?m)(?:^[ \t]*|(?<=[a-z0-9]))({CAPITALS})(?=,| \(| [-\u2013\u2014])"),
    re.compile(r"(?<=\.com)([A-Z][a-z]+(?: [A-Z][a-z]+){0,2})\b"),
    re.compile(r"\(([A-Z][a-z]+(?: [A-Z][a-z]+){0,2}), [A-Z]{2}\)"),
)
# a US dateline names its state in AP style ("LAFAYETTE, Ind."): the name before it is a US city even
# when the gazetteer does not know it
US_DATELINE = re.compile(rf"(?m)(?:^[ \t]*|(?<=[a-z0-9]))({CAPITALS}), ([A-Z][A-Za-z.]{{1,5}}\.)")


# What marks a text as US local news when it names no country: its institutions ("Police Department",
# "Sheriff's Office", "Pierce County"), a station's call letters ("(WJBF)", "(WSLS 10)"), a phone
# number ("912-384-2222"), a US time zone after a time ("8:18 PM EST"). `home` adds a town before its
# state's code ("Bristol, TN", "Lebanon, Tenn.").
US_CUES = re.compile(
    r"\b(?:Police|Sheriff['\u2019]s|Sheriff|Fire) (?:Department|Dept\b|Office)"
    r"|\b[A-Z][a-z]+ County\b"
    r"|\((?:[KW][A-Z]{2,3})(?:-(?:TV|FM|AM))?(?: \d{1,2})?\)"
    r"|\b\d{3}-\d{3}-\d{4}\b"
    r"|\b\d{1,2}:\d{2} ?[AaPp]\.?[Mm]\.? (?:E|C|M|P)[SD]T\b"
)

CITY_DENSITY = 3_000  # people a square kilometre: a city of N people covers a disk of N / CITY_DENSITY km²
SECTION_SHARE = 10  # a place within a city's disk is a part of it when the city has 10 times its people


def within_city(town: Place, city: Place) -> bool:
    """Whether `town` is a section of `city` ("Englewood" of Chicago, "Boyle Heights" of Los
    Angeles): it lies within the disk a city of that size covers, and has a tenth of its people or
    fewer. GeoNames lists many sections as towns of their own."""
    if town.point is None or city.point is None or town.population * SECTION_SHARE > city.population:
        return False
    return distance_km(town.point, city.point) <= math.sqrt(city.population / CITY_DENSITY / math.pi)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (longitude, latitude) points."""
    (lon1, lat1), (lon2, lat2) = (map(math.radians, p) for p in (a, b))
    cos = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(lon1 - lon2)
    return 6371.0 * math.acos(max(-1.0, min(1.0, cos)))


def town_key(name: str, region: str | None) -> str:
    """The key of a US town no gazetteer lists, by its name and state: `place/smallville-oh`."""
    return f"place/{slug(name)}-{(region or '').lower()}"


def spot_key(key: str, town: str) -> str:
    """The key of a spot in a town ("Elm Street" in Toledo is another than in Dayton):
    `place/elm-street-in-geonames-5174035`."""
    return f"{key}-in-{town.rsplit('/', 1)[-1]}"


def home(gaz: Gazetteer, text: str) -> set[str]:
    """The country a text is written in by its cues: {"US"} or nothing. Part of the context of its
    place names beside the countries it names, so that "Taunton" is the Massachusetts town, "Georgia"
    the state and "TN" Tennessee, not their namesakes abroad, also in a story that names France."""
    if US_CUES.search(text) or gaz.town_and_state.search(text):
        return {"US"}
    return set()


def strip_region_word(text: str) -> tuple[str, str | None]:
    """'Helmand province' -> ('Helmand', 'province'); 'Kabul' -> ('Kabul', None)."""
    words = text.split()
    if len(words) > 1 and words[-1].lower() in REGION_WORDS:
        return " ".join(words[:-1]), words[-1].lower()
    return text, None


def best(candidates: Sequence[Place], context: set[str], name: str = "") -> Place | None:
    """In the document's countries first, then a place so named before one with that alternate name
    ("Augusta", not Augsburg), then the most populous."""
    if not candidates:
        return None
    local = [p for p in candidates if p.country in context]
    return max(local or candidates, key=lambda p: (fold(p.label) == name, p.population))


def resolve(gaz: Gazetteer, text: str, context: set[str]) -> Place | None:
    """The place `text` names, or None. `context` holds ISO codes of the countries the document names."""
    if text in gaz.abbreviations:
        return gaz.abbreviations[text]
    if "US" in context and text in gaz.states:  # "St. Louis, MO": Missouri, not Macao
        return gaz.states[text]
    name, region_hint = strip_region_word(text)
    if not re.sub(r"^the\s+", "", name)[:1].isupper():  # place names are written with a capital
        return None
    key = fold(name)
    entry = gaz.by_alias.get(key)
    if entry is not None and entry.kind in ("Region", "City"):
        return Place(entry.key, entry.kind, entry.label, entry.country, point=entry.point)
    regions = gaz.regions.get(key, [])
    if region_hint in SECOND_LEVEL_WORDS:  # ISO 3166-2 has provinces and states, not their districts
        return None
    if region_hint:
        local = [p for p in regions if p.country in context]
        return next(iter(local or regions), None)
    region = best(regions, context) if regions else None
    country = gaz.countries.get(key)
    if country is not None:  # "Georgia" in a document about the US is the state
        inside = region is not None and region.country in context and country.country not in context
        return region if inside else country
    city = best(gaz.cities.get(key, []), context, key)
    if city is not None and region is not None and city.population < SMALL_TOWN:
        city = None  # "California" is the state, not the town of 11,000 in Maryland
    if city is not None and context and city.country not in context and city.population < BIG_CITY:
        city = None  # a small town abroad is more likely a namesake of a local place we do not know
    if city is not None and (
        city.country in context or city.population >= BIG_CITY or region is None or region.country not in context
    ):
        return city
    return region or city


def datelines(text: str, gaz: Gazetteer, context: set[str]) -> Iterator[tuple[int, int, Place]]:
    """(begin, end, place) of the place names in datelines, wherever the tokenizer cut the text."""
    seen = set()
    for match in US_DATELINE.finditer(text):
        state = gaz.abbreviations.get(match.group(2))
        if state is not None:
            name = match.group(1).title()
            local = [c for c in gaz.cities.get(fold(name), []) if c.country == "US" and c.region == state.region]
            kind = "Region" if name.lower().endswith(SECOND_LEVEL_WORDS) else "City"  # "HENDERSON COUNTY, Tenn."
            place = best(local, context, fold(name)) or Place(
                town_key(name, state.region), kind, name, "US", region=state.region
            )
            seen.add(match.start(1))
            yield match.start(1), match.end(1), place
    for pattern in DATELINES:
        for match in pattern.finditer(text):
            found = resolve(gaz, match.group(1).title(), context)
            if found is not None and match.start(1) not in seen:
                yield match.start(1), match.end(1), found


__all__ = [
    "US_CUES",
    "best",
    "datelines",
    "distance_km",
    "home",
    "resolve",
    "spot_key",
    "strip_region_word",
    "town_key",
    "within_city",
]
