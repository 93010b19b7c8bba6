"""Actors and places: spaCy's named entities, corrected by the gazetteer, as entities with mentions.

The gazetteer's spans (doc.spans[SPANS_KEY], from the SpanRuler in front of this component) win
over the model's entities; a person's name is extended over Arabic name particles ("Mohammed bin
Abdulrahman bin Jassim Al Thani"); a title before a name becomes the person's role and affiliation
("State Department spokesman Matthew Miller"); a bare surname within a document is the person named
in full elsewhere in it; nationality words ("Americans", "Israeli") are mentions of the country;
place names in datelines ("KABUL, Afghanistan") are mentions of the place.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import pairwise

from spacy.attrs import LOWER
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.extractors import places
from kg.extractors.facts import Entity, Facts, Span, slug, strip_the
from kg.extractors.gazetteer import CROSSING_WORDS, WEAK, Curated, Gazetteer, Place, fold
from kg.extractors.vocabulary import ACTOR_KINDS, PLACE_KINDS

SPANS_KEY = "newskg_gazetteer"
NER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"})
NAME_PARTICLES = frozenset({"bin", "bint", "ibn", "al", "el", "abu", "abd", "abdul", "ben", "de", "van", "von"})
# words that make a title before a name a role
ROLE_HEADS = frozenset(
    """
secretary minister president vice prime premier chancellor king queen emir prince sheikh spokesman spokeswoman
spokesperson governor mayor chief commander director head officer official ambassador envoy negotiator senator
rep. representative congressman congresswoman general gen. lt. lieutenant capt. captain sgt. sergeant col. colonel
maj. major cpl. corporal pvt. private adm. admiral sheriff deputy detective prosecutor attorney judge leader
coordinator administrator chairman chairwoman chair superintendent inspector agent investigator coroner
trooper constable marshal undersecretary adviser advisor
""".split()
)
ROLE_MODIFIERS = frozenset(
    """
foreign defense defence interior military regional district provincial police state deputy senior assistant
acting former army navy naval air force national security health public chief special press political
""".split()
)
POLICE_WORDS = frozenset({"police", "sheriff", "sheriff's", "department", "office"})
INSTITUTIONS = frozenset(
    {
        "police",
        "department",
        "sheriff",
        "sheriff's",
        "fire",
        "city",
        "county",
        "district",
        "municipal",
        "public",
        "school",
        "schools",
        "court",
        "council",
        "transit",
        "housing",
        "times",
        "post",
        "news",
        "herald",
        "tribune",
        "journal",
        "gazette",
        "chronicle",
        "sentinel",
    }
)
# a "person" whose name ends so is a building or a street
FACILITIES = frozenset(
    {
        "road",
        "street",
        "avenue",
        "boulevard",
        "highway",
        "hospital",
        "school",
        "mosque",
        "church",
        "camp",
        "square",
        "market",
        "bridge",
        "airport",
        "stadium",
        "university",
    }
)
# "Augusta man shot": a place name before a word for its people is the place they are from
RESIDENTS = frozenset(
    {
        "man",
        "woman",
        "teen",
        "teenager",
        "boy",
        "girl",
        "police",
        "officer",
        "resident",
        "residents",
        "family",
        "couple",
        "homeowner",
    }
)
PERSON_CUES = frozenset({"victim", "suspect", "gunman", "shooter"})
CONNECTORS = frozenset({"of", "and", "for", "'s", "\u2019s", "-"})


@dataclass
class Candidate:
    span: SpacySpan
    label: str  # spaCy label, or CROSSING / REGION / WEAK
    key: str | None = None  # a gazetteer key
    priority: int = 9


class EntityExtractor:
    """Turns the gazetteer's spans and `doc.ents` into entities with mentions on `doc._.facts`."""

    def __init__(self, *, gazetteer: Gazetteer, spans_key: str = SPANS_KEY) -> None:
        self.gaz = gazetteer
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        facts: Facts = doc._.facts
        context = self._countries(doc)
        chosen = self._choose(doc, context)
        roles = {id(c): self._title_before(doc, c, chosen) for c in chosen if c.label == "PERSON"}
        consumed = {id(inner) for _, _, inside in roles.values() for inner in inside}
        surnames: dict[str, Entity] = {}
        later: list[Candidate] = []
        for candidate in chosen:
            if id(candidate) in consumed:
                continue
            if candidate.label in ("PERSON", "ORG") and len(_bare(candidate.span)) == 1 and candidate.key is None:
                later.append(candidate)  # maybe the surname of someone named in full ("Carroll", "Carroll's")
                continue
            entity = self._entity(facts, candidate, context)
            if entity is None:
                continue
            entity.add_mention(_span(candidate.span))
            if candidate.label == "ORG" and "Organization" in entity.kinds:
                self._place_in_name(facts, candidate.span, context)
            if candidate.label == "PERSON":
                surnames.setdefault(candidate.span[-1].text, entity)
                role, affiliation, _ = roles[id(candidate)]
                entity.role = entity.role or role
                if affiliation is not None:
                    target = self._entity(facts, affiliation, context)
                    if target is not None and ACTOR_KINDS.intersection(target.kinds):
                        target.add_mention(_span(affiliation.span))
                        entity.affiliation = entity.affiliation or target.key
        for candidate in later:
            bare = _bare(candidate.span)
            entity = surnames.get(bare.text)
            if entity is not None:
                entity.add_mention(_span(bare))
                continue
            entity = self._entity(facts, candidate, context)
            if entity is not None:
                entity.add_mention(_span(candidate.span))
        taken = {i for c in chosen for i in range(c.span.start, c.span.end)}
        for tok in doc:  # a surname the model did not tag: "Webb is charged"
            if tok.i not in taken and tok.is_title and tok.text in surnames and tok.text.isalpha() and len(tok) > 2:
                surnames[tok.text].add_mention(_span(doc[tok.i : tok.i + 1]))
        dateline_at = len(doc.text)
        for begin, end, place in places.datelines(doc.text, self.gaz, context):
            if not any(
                m.begin < end and begin < m.end
                for e in facts.entities.values()
                if PLACE_KINDS.intersection(e.kinds)
                for m in e.mentions
            ):
                self._place(facts, place).add_mention(Span(begin, end, doc.text[begin:end]))
            _merge_namesakes(facts, place.key)
            if facts.dateline is None or begin < dateline_at:
                facts.dateline, dateline_at = place.key, begin
        self._nest(facts, doc.text, context)
        self._localize(facts, context)
        for entity in facts.entities.values():  # link only to what this document names
            if entity.affiliation not in facts.entities:
                entity.affiliation = None
        return doc

    # choosing spans ---------------------------------------------------------------------------
    def _countries(self, doc: Doc) -> set[str]:
        """ISO codes of the countries the model's entities name and the one the text's cues give
        (`places.home`: US local news that names France or Sudan is still about a US town), else the
        countries named by a name a US state shares ("Georgia"): the context for place names."""
        found, shared = set(), set()
        for ent in doc.ents:
            if ent.label_ == "NORP":
                place = self.gaz.demonym(ent.text)
            elif ent.label_ in ("GPE", "LOC"):
                place = places.resolve(self.gaz, ent.text, set())
            else:
                continue
            if place is None or place.kind not in ("Country", "Region") or not place.country:
                continue
            if place.kind == "Country" and any(r.country == "US" for r in self.gaz.regions.get(fold(ent.text), ())):
                shared.add(place.country)
            else:
                found.add(place.country)
        return (found | places.home(self.gaz, doc.text)) or shared

    def _choose(self, doc: Doc, context: set[str]) -> list[Candidate]:
        """Non-overlapping spans: the gazetteer's first, then names an age or a word for a person stands next
        to, the model's persons, weak aliases, the model's other entities; longer before shorter."""
        pool: list[Candidate] = []
        for span in doc.spans.get(self.spans_key, []):
            if _in_capitals(span):  # "MAN WHO SHOT ..." is a headline, not the World Health Organization
                continue
            if span.label_ == WEAK:
                pool.append(Candidate(span, WEAK, span.id_ or None, 4))
            else:
                pool.append(Candidate(span, span.label_, span.id_ or None, 0 if span.id_ else 1))
        for span in _cued_names(doc):
            pool.append(Candidate(span, "PERSON", None, 2))
        for span in self._residents_of(doc, context):
            pool.append(Candidate(span, "GPE", None, 2))
        model = [_repair(ent) for ent in doc.ents if ent.label_ in NER_LABELS]
        for span, label in self._one_sense(model, context):
            pool.append(Candidate(span, label, None, 3 if label == "PERSON" else 5))
        pool.sort(key=lambda c: (c.priority, -len(c.span), c.span.start))
        taken: set[int] = set()
        chosen = []
        for candidate in pool:
            tokens = set(range(candidate.span.start, candidate.span.end))
            if tokens & taken:
                continue
            taken |= tokens
            chosen.append(candidate)
        return sorted(chosen, key=lambda c: c.span.start)

    def _residents_of(self, doc: Doc, context: set[str]) -> list[SpacySpan]:
        """Known cities and regions named before a word for their people ("Beech Grove police")."""
        found = []
        for i in _indexes(doc, RESIDENTS):
            tok = doc[i]
            if not tok.is_lower:
                continue
            for start in range(max(0, tok.i - 3), tok.i):
                span = doc[start : tok.i]
                if all(t.is_title and t.is_alpha and not t.is_stop for t in span):
                    place = places.resolve(self.gaz, span.text, context)
                    if place is not None and place.kind in ("City", "Region"):
                        found.append(span)
                        break
        return found

    def _one_sense(self, spans: list[tuple[SpacySpan, str]], context: set[str]) -> list[tuple[SpacySpan, str]]:
        """One reading per name in a document: "Wilmington" tagged once a place, once a person is a place
        when the gazetteer knows it, else the reading the model gave it most often."""
        readings: dict[str, Counter[str]] = defaultdict(Counter)
        for span, label in spans:
            readings[span.text][label] += 1
        chosen: dict[str, str] = {}
        for text, labels in readings.items():
            if len(labels) == 1:
                continue
            (top, n), *rest = labels.most_common()
            if labels.keys() & {"GPE", "LOC"} and places.resolve(self.gaz, text, context) is not None:
                chosen[text] = "GPE"
            elif rest[0][1] < n:
                chosen[text] = top
            elif "PERSON" in labels and labels["PERSON"] == n:
                chosen[text] = "PERSON"
        return [(span, chosen.get(span.text, label)) for span, label in spans]

    # roles ------------------------------------------------------------------------------------
    def _title_before(
        self, doc: Doc, person: Candidate, chosen: list[Candidate]
    ) -> tuple[str | None, Candidate | None, list[Candidate]]:
        """(role, affiliation span, spans inside the title) from the words before a person's name."""
        start = person.span.start
        i = start - 1
        if i >= 0 and doc[i].text == ",":
            i -= 1
        first = i + 1
        while i >= 0:
            tok = doc[i]
            if any(c.span.start <= i < c.span.end for c in chosen if c.label == "PERSON"):
                break
            word = tok.lower_
            abbreviation = tok.text == "." and i > 0 and doc[i - 1].is_title  # "Capt" "."
            titled = tok.is_title or tok.is_upper or _is_head(tok) or word in ROLE_MODIFIERS or abbreviation
            if not (titled or word in CONNECTORS) or tok.pos_ in ("DET", "PRON", "VERB", "AUX") or tok.like_num:
                break
            first = i
            if tok.is_sent_start:
                break
            i -= 1
        end = start - 1 if start > 0 and doc[start - 1].text == "," else start
        while first < end and doc[first].lower_ in CONNECTORS:
            first += 1
        words = doc[first:end]
        if not any(map(_is_head, words)):
            return None, None, []
        inside = [c for c in chosen if first <= c.span.start and c.span.end <= end]
        affiliation = next((c for c in inside if c.span.start == first and c.label != "PERSON"), None)
        role_start = first
        if affiliation is not None:
            role_start = affiliation.span.end
            while role_start < end and doc[role_start].lower_ in CONNECTORS:
                role_start += 1
        role = doc[role_start:end].text.strip() or None
        if role is None or not any(map(_is_head, doc[role_start:end])):
            return None, None, []
        return role, affiliation, [c for c in inside if c is not affiliation]

    # entities ---------------------------------------------------------------------------------
    def _entity(self, facts: Facts, candidate: Candidate, context: set[str]) -> Entity | None:
        text = candidate.span.text
        if candidate.key is not None and candidate.key in self.gaz.curated:
            return self._curated(facts, self.gaz.curated[candidate.key])
        label = candidate.label
        if label == "CROSSING":
            name = _crossing_name(text)
            entry = self.gaz.crossing(name)
            if entry is not None:
                return self._curated(facts, entry)
            return facts.entity(f"crossing/{slug(text)}", ("Crossing",), strip_the(text))
        if label == "REGION":
            if self.gaz.demonym(places.strip_region_word(text)[0]) is not None:
                return None  # "Afghan province" names no province
            place = places.resolve(self.gaz, text, context)
            if place is not None:
                return self._place(facts, place)
            return facts.entity(f"place/{slug(text)}", ("Region",), strip_the(text))
        if label == "NORP":
            country = self.gaz.demonym(text)
            entry = self.gaz.entry(text)
            if entry is not None:
                return self._curated(facts, entry)
            return self._place(facts, country) if country is not None else None
        if label == "PERSON":
            place = self._misread_place(text, context)
            if place is not None:
                return self._place(facts, place)
            if candidate.span[-1].lower_ not in FACILITIES:  # "Nasser Hospital" is a building
                return facts.entity(f"person/{slug(text)}", ("Person",), text)
        entry = self.gaz.entry(text)
        if entry is not None:
            return self._curated(facts, entry)
        if label == "ORG":  # "TN" in "Bristol, TN" is Tennessee in a US text, else Tunisia
            state = self.gaz.states.get(text) if "US" in context else None
            place = state or self.gaz.country(text) or places.resolve(self.gaz, text, context)
            if place is not None:
                return self._place(facts, place)
            name = strip_the(text)
            return facts.entity(f"org/{slug(name)}", ("Organization",), name)
        place = places.resolve(self.gaz, text, context)
        if place is not None:
            return self._place(facts, place)
        name = strip_the(text)
        _, region_word = places.strip_region_word(name)
        return facts.entity(f"place/{slug(name)}", ("Region",) if region_word else ("Place",), name)

    def _place_in_name(self, facts: Facts, span: SpacySpan, context: set[str]) -> None:
        """The place an institution is named after: "Chicago" in "the Chicago Police Department"."""
        start = span.start + (span[0].lower_ == "the")
        for end in range(span.end - 1, start, -1):
            if span.doc[end].lower_ not in INSTITUTIONS:
                continue
            place = places.resolve(self.gaz, span.doc[start:end].text, context)
            if place is not None:
                self._place(facts, place).add_mention(_span(span.doc[start:end]))
                return

    def _misread_place(self, text: str, context: set[str]) -> Place | None:
        """A 'person' that is a place of a country the document names (the model's "Khan Younis")."""
        place = places.resolve(self.gaz, text, context)
        if place is not None and (place.kind == "Country" or place.country in context):
            return place
        return None

    def _curated(self, facts: Facts, entry: Curated) -> Entity:
        entity = facts.entity(entry.key, (entry.kind,), entry.label)
        entity.affiliation = entity.affiliation or entry.affiliation
        if entry.point is not None:
            entity.point = entry.point
        if entry.kind in ("City", "Region", "Crossing") and entry.country in self.gaz.codes and not entity.within:
            entity.within = [self._container(facts, self.gaz.codes[entry.country])]
        return entity

    def _place(self, facts: Facts, place: Place) -> Entity:
        entity = facts.entity(place.key, (place.kind,), place.label)
        if place.kind == "Country":
            entity.iso_code = place.country
        entity.geonames_id = place.geonames_id
        entity.point = place.point
        if not entity.within:
            entity.within = [self._container(facts, c) for c in self.gaz.containers(place)]
        return entity

    def _container(self, facts: Facts, place: Place) -> str:
        """The key of a place that contains a named one, kept on `facts.containers` with what contains it."""
        if place.key not in facts.containers:
            entity = Entity(
                place.key, (place.kind,), place.label, iso_code=place.country if place.kind == "Country" else None
            )
            entity.geonames_id, entity.point = place.geonames_id, place.point
            facts.containers[place.key] = entity
            entity.within = [self._container(facts, c) for c in self.gaz.containers(place)]
        return place.key

    # places inside places ---------------------------------------------------------------------
    def _nest(self, facts: Facts, text: str, context: set[str]) -> None:
        """What the text says contains what: "Andar district, Ghazni province", "Puyallup, Wash.",
        "the Gomal district of Paktika": a place named right after another, with a comma or "of"
        between, contains it when it is the larger kind; a town named right after a spot the gazetteer
        does not know, with "in" between, contains it ("on Colchester Drive in Knightdale"), and the spot
        is that town's (`place/colchester-drive-in-geonames-4474527`). A town the gazetteer placed in
        another state than the text gives is that state's town of the name (or a town no gazetteer
        lists)."""
        mentions = sorted(
            (m.begin, m.end, e.key)
            for e in facts.entities.values()
            if PLACE_KINDS.intersection(e.kinds)
            for m in e.mentions
        )
        for (_, end, inner), (begin, _, outer) in reversed(list(pairwise(mentions))):
            a, b = facts.entities.get(inner), facts.entities.get(outer)
            if a is None or b is None or a is b:
                continue
            between = text[end:begin]
            larger = NESTED.match(between) is not None and b.size() > a.size()
            if not larger:
                if not (IN_TOWN.match(between) and a.kinds == ("Place",) and "City" in b.kinds):
                    continue
                # "Elm Street" in Toledo is another place than "Elm Street" in Dayton
                spot = facts.entity(places.spot_key(a.key, b.key), a.kinds, a.label)
                a = _moved(facts, a, spot)
            code = self.gaz.state_codes.get(b.key)
            state = self.gaz.states[code] if code is not None else None
            if state is not None and a.kinds in (("City",), ("Place",)) and b.key not in a.within:
                a = self._rehome(facts, a, state, context)
            if b.key in a.within or a.key in b.within:
                continue
            countries = {k for k in a.within if k.startswith("country/")}
            outer_countries = {k for k in (b.key, *b.within) if k.startswith("country/")}
            if countries and outer_countries and countries.isdisjoint(outer_countries):
                continue  # "Paris, Texas" is not in France: the gazetteer read the name as another place
            a.within = _ordered([b.key, *b.within, *a.within])

    def _rehome(self, facts: Facts, city: Entity, state: Place, context: set[str]) -> Entity:
        """`city` (a town, or a name the gazetteer does not know, before ", Ohio") as the town of its name
        in `state`: the gazetteer's, else a town known only by its name."""
        local = [c for c in self.gaz.cities.get(fold(city.label), []) if c.country == "US" and c.region == state.region]
        place = places.best(local, context, fold(city.label)) if local else None
        if place is None:
            place = Place(
                places.town_key(city.label, state.region),
                "City",
                city.label.title() if city.label.isupper() else city.label,
                "US",
                region=state.region,
            )
        if place.key == city.key:
            return city
        return _moved(facts, city, self._place(facts, place))

    # the story's own state and city -------------------------------------------------------------
    def _localize(self, facts: Facts, context: set[str]) -> None:
        """US local news names its state's towns without the state, and its city's sections as if
        they were towns. The story's states are those it names and those of the cities AP style
        names alone ("Chicago"). A town the gazetteer placed in another state is then the story's
        state's town of that name ("Englewood", Illinois, not Colorado); a town that lies in a city
        the story names (`places.within_city`) is a section of it; and a town of another state with
        no namesake in the story's, or a spot the gazetteer does not know ("Austin", "West Garfield
        Park", "South Side"), is a place in the story's city: the dateline's, else the one it names
        most, or the city that contains that one; a town of another state larger than that city is
        left where it is. A county no gazetteer knows lies in the story's city's state, or in the one
        state the story names. Not in a story that names only other countries."""
        if context and "US" not in context:
            return
        state_of = self.gaz.state_codes

        def region(entity: Entity) -> str | None:
            return next((state_of[k] for k in entity.within if k in state_of), None)

        def towns() -> list[Entity]:
            return [e for e in facts.entities.values() if e.kinds == ("City",) and e.mentions]

        alone = {e.key for e in towns() if (fold(e.label), region(e)) in places.AP_CITIES}
        states = {state_of[e.key] for e in facts.entities.values() if e.key in state_of and e.mentions}
        states |= {r for e in towns() if e.key in alone and (r := region(e)) is not None}
        dateline = facts.entities.get(facts.dateline or "")
        if not states and dateline is not None and dateline.kinds == ("City",) and (r := region(dateline)):
            states = {r}  # "SOUTHAVEN —" alone: its state, as the gazetteer reads it
        if not states:
            return
        strangers = []
        for town in towns():
            if town.key in alone or region(town) in states or region(town) is None:
                continue
            local = [c for c in self.gaz.cities.get(fold(town.label), []) if c.country == "US" and c.region in states]
            namesake = places.best(local, context, fold(town.label))
            if namesake is not None:
                _moved(facts, town, self._place(facts, namesake))
            else:
                strangers.append(town)
        ours = [e for e in towns() if region(e) in states]
        known = {e.key: p for e in ours if (p := self._gazetteer_town(e)) is not None}
        for town, city in ((t, c) for t in ours for c in ours if t.key in known and c.key in known):
            if city.key not in town.within and places.within_city(known[town.key], known[city.key]):
                town.within = _ordered([city.key, *town.within])
        home = dateline if dateline in ours else None
        if home is None and ours:
            home = max(ours, key=lambda e: (len(e.mentions), known[e.key].population if e.key in known else 0))
        state = region(home) if home is not None else next(iter(states)) if len(states) == 1 else None
        for county in [e for e in facts.entities.values() if e.size() == 1 and not e.within and e.mentions]:
            if state is not None:  # "Pierce County" of a story in Washington: that state's county
                place = self.gaz.states[state]
                county = _moved(
                    facts, county, facts.entity(f"{county.key}-{state.lower()}", county.kinds, county.label)
                )
                county.within = [place.key, *(c.key for c in self.gaz.containers(place))]
                self._container(facts, place)
        if home is None:
            return
        home = next((facts.entities[k] for k in home.within if k in facts.entities and k in known), home)
        size = known[home.key].population if home.key in known else 0
        # a town larger than the story's city is no part of it: "Brooklyn" beside "Houston Street"
        strangers = [e for e in strangers if (p := self._gazetteer_town(e)) is None or p.population < size]
        spots = [e for e in facts.entities.values() if e.kinds == ("Place",) and not e.within and e.mentions]
        for entity in [*strangers, *spots]:
            spot = facts.entity(places.spot_key(f"place/{slug(entity.label)}", home.key), ("Place",), entity.label)
            spot = _moved(facts, entity, spot)
            spot.within = [home.key, *home.within]

    def _gazetteer_town(self, entity: Entity) -> Place | None:
        return next((c for c in self.gaz.cities.get(fold(entity.label), []) if c.key == entity.key), None)


def _moved(facts: Facts, old: Entity, new: Entity) -> Entity:
    """`new` in place of `old`: its mentions, and what pointed at it."""
    if new is old:
        return new
    del facts.entities[old.key]
    for mention in old.mentions:
        new.add_mention(mention)
    for entity in facts.entities.values():
        if entity.affiliation == old.key:
            entity.affiliation = new.key
    if facts.dateline == old.key:
        facts.dateline = new.key
    return new


def _span(span: SpacySpan) -> Span:
    return Span(span.start_char, span.end_char, span.text)


# what stands between a place and the one containing it: "Andar district, Ghazni", "Gomal district of Paktika"
NESTED = re.compile(r"^(?:,\s*|\s+of\s+(?:the\s+)?)$")
IN_TOWN = re.compile(r"^\s+in\s+(?:the\s+)?$")  # "on Colchester Drive in Knightdale": a spot in its town


def _ordered(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(keys))


def _bare(span: SpacySpan) -> SpacySpan:
    """A name without the possessive the model's span took in: "Carroll's" -> "Carroll"."""
    end = span.end
    while end - span.start > 1 and span.doc[end - 1].lower_ in ("'s", "\u2019s", "'", "\u2019"):
        end -= 1
    return span if end == span.end else span.doc[span.start : end]


def _crossing_name(text: str) -> str:
    name = strip_the(text)
    for word in sorted(CROSSING_WORDS, key=len, reverse=True):
        if name.lower().endswith(" " + word):
            return name[: -len(word) - 1]
    return name


def _merge_namesakes(facts: Facts, key: str) -> None:
    """The dateline's city ("LAFAYETTE, Ind.") is the city of that name elsewhere in the document."""
    city = facts.entities.get(key)
    if city is None or city.kinds != ("City",):
        return
    for other in [e for e in facts.entities.values() if e.kinds == ("City",) and e.label == city.label]:
        if other is not city:
            for mention in other.mentions:
                city.add_mention(mention)
            del facts.entities[other.key]


def _cued_names(doc: Doc) -> list[SpacySpan]:
    """Two to four capitalized words that an age or a word for a person stands next to: "27-year-old Tiffany
    Segule", "victim Victoria Cantu", "identified as X", "X, 23,", "X, a 40-year-old"."""
    found = []
    for i in _indexes(doc, CUE_WORDS):
        tok = doc[i]
        if (
            (tok.lower_ == "old" and tok.i >= 2 and doc[tok.i - 1].text == "-")
            or tok.lower_ in PERSON_CUES
            or (tok.lower_ == "as" and tok.i > 0 and doc[tok.i - 1].lower_ in ("identified", "named"))
        ):
            end = tok.i + 1
            while end < len(doc) and end - tok.i <= 4 and _name_word(doc[end]):
                end += 1
            if end - tok.i - 1 >= 2:
                found.append(doc[tok.i + 1 : end])
        elif tok.text == "," and tok.i + 1 < len(doc):  # Name Name, 23 / Name Name, a 40-year-old
            nxt = doc[tok.i + 1]
            aged = nxt.like_num or (nxt.lower_ == "a" and tok.i + 2 < len(doc) and doc[tok.i + 2].like_num)
            start = tok.i
            while aged and start > 0 and tok.i - start < 4 and _name_word(doc[start - 1]):
                start -= 1
            if aged and tok.i - start >= 2:
                found.append(doc[start : tok.i])
    return found


CUE_WORDS = PERSON_CUES | {"old", "as", ","}


def _indexes(doc: Doc, words: frozenset[str]) -> list[int]:
    """The indexes of the tokens whose lower-case form is one of `words`, read from the document's
    array: a Token object per word costs more than the rules asked of the few that match."""
    wanted = {doc.vocab.strings[w] for w in words}
    return [i for i, lower in enumerate(doc.to_array(LOWER).tolist()) if lower in wanted]


def _name_word(tok: Token) -> bool:
    return tok.is_title and tok.is_alpha and not tok.is_stop and tok.ent_type_ not in ("GPE", "DATE", "TIME")


def _in_capitals(span: SpacySpan) -> bool:
    """An upper-case span between upper-case words: part of a headline set in capitals."""
    doc = span.doc
    if not span.text.isupper():
        return False
    around = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return any(t.is_alpha and t.is_upper and len(t) > 1 for t in around)


def _is_head(tok: Token) -> bool:
    return tok.lower_ in ROLE_HEADS or tok.lower_ + "." in ROLE_HEADS


def _repair(ent: SpacySpan) -> tuple[SpacySpan, str]:
    """The model's span and label, mended: a full name goes on over particles, a title the span swallowed
    goes back ("U.S. Army Capt" before "Aaron Schwengler"), a name ending in "County" is a region, a
    "person" ending in "Police" is an institution."""
    cut = next((t.i for t in ent if "\n" in t.text), None)  # a name does not run over a line break
    if cut is not None and cut > ent.start:
        ent = SpacySpan(ent.doc, ent.start, cut, label=ent.label)
    if ent.label_ == "PERSON" and not (len(ent) > 1 and ent[-1].lower_ in POLICE_WORDS):
        return _extend_name(ent), "PERSON"
    if ent.label_ == "PERSON":  # "according to Sanford Police": the town's police, not a person
        return ent, "ORG"
    end = ent.end
    while end - ent.start > 1 and _is_head(ent.doc[end - 1]):
        end -= 1
    span = ent if end == ent.end else ent.doc[ent.start : end]
    if span[-1].lower_ in places.REGION_WORDS - {"state", "region"} and len(span) > 1:
        return span, "REGION"
    return span, ent.label_


def _extend_name(ent: SpacySpan) -> SpacySpan:
    """'Mohammed bin Abdulrahman' + ' bin Jassim Al Thani': a name goes on over particles."""
    doc, end = ent.doc, ent.end
    while end + 1 < len(doc) and doc[end].lower_ in NAME_PARTICLES and doc[end + 1].is_title:
        end += 2
    return SpacySpan(doc, ent.start, end, label=ent.label) if end != ent.end else ent
