"""Where each place of a document lies: a place as an entity with the places that contain it, what
the text says contains what ("Andar district, Ghazni province", "Puyallup, Wash."), and the story's
own state and city, which take the towns the gazetteer placed elsewhere (namesakes)."""

from __future__ import annotations

import re
from itertools import pairwise

from kg.extractors import places
from kg.extractors.facts import Entity, Facts, ordered, slug
from kg.extractors.gazetteer import Curated, Gazetteer, Place, fold
from kg.extractors.lexicon.places import AP_CITIES
from kg.extractors.vocabulary import PLACE_KINDS

# what stands between a place and the one containing it: "Andar district, Ghazni", "Gomal district of Paktika"
NESTED = re.compile(r"^(?:,\s*|\s+of\s+(?:the\s+)?)$")
IN_TOWN = re.compile(r"^\s+in\s+(?:the\s+)?$")  # "on Colchester Drive in Knightdale": a spot in its town


class Containment:
    """The place entities of a document, each with the places that contain it, from the gazetteer
    and from what the text says."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    def curated(self, facts: Facts, entry: Curated) -> Entity:
        """The entity of a curated entry; a curated place lies in its country."""
        entity = facts.entity(entry.key, (entry.kind,), entry.label)
        entity.affiliation = entity.affiliation or entry.affiliation
        if entry.point is not None:
            entity.point = entry.point
        if entry.kind in ("City", "Region", "Crossing") and entry.country in self.gaz.codes and not entity.within:
            entity.within = [self._container(facts, self.gaz.codes[entry.country])]
        return entity

    def place(self, facts: Facts, place: Place) -> Entity:
        """The entity of a gazetteer place, in the places that contain it (a US town's state, its country)."""
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
    def nest(self, facts: Facts, text: str, context: set[str]) -> None:
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
                a = moved(facts, a, spot)
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
            a.within = ordered([b.key, *b.within, *a.within])

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
        return moved(facts, city, self.place(facts, place))

    # the story's own state and city -------------------------------------------------------------
    def localize(self, facts: Facts, context: set[str]) -> None:
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

        alone = {e.key for e in towns() if (fold(e.label), region(e)) in AP_CITIES}
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
                moved(facts, town, self.place(facts, namesake))
            else:
                strangers.append(town)
        ours = [e for e in towns() if region(e) in states]
        known = {e.key: p for e in ours if (p := self._gazetteer_town(e)) is not None}
        for town, city in ((t, c) for t in ours for c in ours if t.key in known and c.key in known):
            if city.key not in town.within and places.within_city(known[town.key], known[city.key]):
                town.within = ordered([city.key, *town.within])
        home = dateline if dateline in ours else None
        if home is None and ours:
            home = max(ours, key=lambda e: (len(e.mentions), known[e.key].population if e.key in known else 0))
        state = region(home) if home is not None else next(iter(states)) if len(states) == 1 else None
        for county in [e for e in facts.entities.values() if e.size() == 1 and not e.within and e.mentions]:
            if state is not None:  # "Pierce County" of a story in Washington: that state's county
                place = self.gaz.states[state]
                county = moved(facts, county, facts.entity(f"{county.key}-{state.lower()}", county.kinds, county.label))
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
            spot = moved(facts, entity, spot)
            spot.within = [home.key, *home.within]

    def _gazetteer_town(self, entity: Entity) -> Place | None:
        return next((c for c in self.gaz.cities.get(fold(entity.label), []) if c.key == entity.key), None)


def moved(facts: Facts, old: Entity, new: Entity) -> Entity:
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


def merge_namesakes(facts: Facts, key: str) -> None:
    """The dateline's city ("LAFAYETTE, Ind.") is the city of that name elsewhere in the document."""
    city = facts.entities.get(key)
    if city is None or city.kinds != ("City",):
        return
    for other in [e for e in facts.entities.values() if e.kinds == ("City",) and e.label == city.label]:
        if other is not city:
            for mention in other.mentions:
                city.add_mention(mention)
            del facts.entities[other.key]


__all__ = ["Containment", "merge_namesakes", "moved"]
