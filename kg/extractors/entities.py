"""Actors and places: spaCy's named entities, corrected by the gazetteer, as entities with mentions.

The gazetteer's spans (doc.spans[SPANS_KEY], from the SpanRuler in front of this component) win
over the model's entities; a person's name is mended and found beside the words that cue it
(`names`); a title before a name becomes the person's role and affiliation ("State Department
spokesman Matthew Miller"); a bare surname within a document is the person named in full elsewhere
in it; nationality words ("Americans", "Israeli") are mentions of the country; place names in
datelines ("KABUL, Afghanistan") are mentions of the place; and each place lies in the places that
contain it (`containment`).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from kg.extractors import places
from kg.extractors.containment import Containment, merge_namesakes, moved
from kg.extractors.facts import Entity, Facts, Span, slug, strip_the
from kg.extractors.gazetteer import WEAK, Gazetteer, Place, fold
from kg.extractors.lexicon.places import CROSSING_WORDS, FACILITIES, INSTITUTIONS
from kg.extractors.names import Candidate, bare, cued_names, in_capitals, repair, residents_of, title_before
from kg.extractors.vocabulary import ACTOR_KINDS, PLACE_KINDS

SPANS_KEY = "newskg_gazetteer"
NER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"})


class EntityExtractor:
    """Turns the gazetteer's spans and `doc.ents` into entities with mentions on `doc._.facts`."""

    def __init__(self, *, gazetteer: Gazetteer, spans_key: str = SPANS_KEY) -> None:
        self.gaz = gazetteer
        self.spans_key = spans_key
        self.containment = Containment(gazetteer)

    def __call__(self, doc: Doc) -> Doc:
        facts: Facts = doc._.facts
        context = self._countries(doc)
        chosen = self._choose(doc, context)
        roles = {id(c): title_before(doc, c, chosen) for c in chosen if c.label == "PERSON"}
        consumed = {id(inner) for _, _, inside in roles.values() for inner in inside}
        surnames: dict[str, Entity] = {}
        later: list[Candidate] = []
        for candidate in chosen:
            if id(candidate) in consumed:
                continue
            if candidate.label in ("PERSON", "ORG") and len(bare(candidate.span)) == 1 and candidate.key is None:
                later.append(candidate)  # maybe the surname of someone named in full ("Carroll", "Carroll's")
                continue
            entity = self._entity(facts, candidate, context)
            if entity is None:
                continue
            entity.add_mention(Span.of(candidate.span))
            if candidate.label == "ORG" and "Organization" in entity.kinds:
                self._place_in_name(facts, candidate.span, context)
            if candidate.label == "PERSON":
                surnames.setdefault(candidate.span[-1].text, entity)
                role, affiliation, _ = roles[id(candidate)]
                entity.role = entity.role or role
                if affiliation is not None:
                    target = self._entity(facts, affiliation, context)
                    if target is not None and ACTOR_KINDS.intersection(target.kinds):
                        target.add_mention(Span.of(affiliation.span))
                        entity.affiliation = entity.affiliation or target.key
        for candidate in later:
            bare_name = bare(candidate.span)
            entity = surnames.get(bare_name.text)
            if entity is not None:
                entity.add_mention(Span.of(bare_name))
                continue
            entity = self._entity(facts, candidate, context)
            if entity is not None:
                entity.add_mention(Span.of(candidate.span))
        taken = {i for c in chosen for i in range(c.span.start, c.span.end)}
        for tok in doc:  # a surname the model did not tag: "Webb is charged"
            if tok.i not in taken and tok.is_title and tok.text in surnames and tok.text.isalpha() and len(tok) > 2:
                surnames[tok.text].add_mention(Span.of(doc[tok.i : tok.i + 1]))
        dateline_at = len(doc.text)
        for begin, end, place in places.datelines(doc.text, self.gaz, context):
            # the dateline says which place of that name it is ("HENDERSON COUNTY, Tenn."): the model's
            # reading of the same words gives way to it
            read = [
                e
                for e in facts.entities.values()
                if PLACE_KINDS.intersection(e.kinds) and any(m.begin < end and begin < m.end for m in e.mentions)
            ]
            dateline = self.containment.place(facts, place)
            for entity in read:
                moved(facts, entity, dateline)
            if not read:
                dateline.add_mention(Span(begin, end, doc.text[begin:end]))
            merge_namesakes(facts, place.key)
            if facts.dateline is None or begin < dateline_at:
                facts.dateline, dateline_at = place.key, begin
        self.containment.nest(facts, doc.text, context)
        self.containment.localize(facts, context)
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
            if in_capitals(span):  # "MAN WHO SHOT ..." is a headline, not the World Health Organization
                continue
            if span.label_ == WEAK:
                pool.append(Candidate(span, WEAK, span.id_ or None, 4))
            else:
                pool.append(Candidate(span, span.label_, span.id_ or None, 0 if span.id_ else 1))
        for span in cued_names(doc):
            pool.append(Candidate(span, "PERSON", None, 2))
        for span in residents_of(doc, self.gaz, context):
            pool.append(Candidate(span, "GPE", None, 2))
        model = [repair(ent) for ent in doc.ents if ent.label_ in NER_LABELS]
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

    # entities ---------------------------------------------------------------------------------
    def _entity(self, facts: Facts, candidate: Candidate, context: set[str]) -> Entity | None:
        text = candidate.span.text
        if candidate.key is not None and candidate.key in self.gaz.curated:
            return self.containment.curated(facts, self.gaz.curated[candidate.key])
        label = candidate.label
        if label == "CROSSING":
            name = _crossing_name(text)
            entry = self.gaz.crossing(name)
            if entry is not None:
                return self.containment.curated(facts, entry)
            return facts.entity(f"crossing/{slug(text)}", ("Crossing",), strip_the(text))
        if label == "REGION":
            if self.gaz.demonym(places.strip_region_word(text)[0]) is not None:
                return None  # "Afghan province" names no province
            place = places.resolve(self.gaz, text, context)
            if place is not None:
                return self.containment.place(facts, place)
            return facts.entity(f"place/{slug(text)}", ("Region",), strip_the(text))
        if label == "NORP":
            country = self.gaz.demonym(text)
            entry = self.gaz.entry(text)
            if entry is not None:
                return self.containment.curated(facts, entry)
            return self.containment.place(facts, country) if country is not None else None
        if label == "PERSON":
            place = self._misread_place(text, context)
            if place is not None:
                return self.containment.place(facts, place)
            if candidate.span[-1].lower_ not in FACILITIES:  # "Nasser Hospital" is a building
                return facts.entity(f"person/{slug(text)}", ("Person",), text)
        entry = self.gaz.entry(text)
        if entry is not None:
            return self.containment.curated(facts, entry)
        if label == "ORG":  # "TN" in "Bristol, TN" is Tennessee in a US text, else Tunisia
            state = self.gaz.states.get(text) if "US" in context else None
            place = state or self.gaz.country(text) or places.resolve(self.gaz, text, context)
            if place is not None:
                return self.containment.place(facts, place)
            name = strip_the(text)
            return facts.entity(f"org/{slug(name)}", ("Organization",), name)
        place = places.resolve(self.gaz, text, context)
        if place is not None:
            return self.containment.place(facts, place)
        name = strip_the(text)
        _, region_word = places.strip_region_word(name)
        return facts.entity(f"place/{slug(name)}", ("Region",) if region_word else ("Place",), name)

    def _place_in_name(self, facts: Facts, span: SpacySpan, context: set[str]) -> None:
        """The place an institution is named after: "Chicago" in "the Chicago Police Department",
        "Indianapolis" in "the Indianapolis Metropolitan Police Department"."""
        start = span.start + (span[0].lower_ == "the")
        for end in range(span.end - 1, start, -1):
            if span.doc[end].lower_ not in INSTITUTIONS:
                continue
            while end - 1 > start and span.doc[end - 1].lower_ in ("metropolitan", "metro"):
                end -= 1
            place = places.resolve(self.gaz, span.doc[start:end].text, context)
            if place is not None:
                self.containment.place(facts, place).add_mention(Span.of(span.doc[start:end]))
                return

    def _misread_place(self, text: str, context: set[str]) -> Place | None:
        """A 'person' that is a place of a country the document names (the model's "Khan Younis")."""
        place = places.resolve(self.gaz, text, context)
        if place is not None and (place.kind == "Country" or place.country in context):
            return place
        return None


def _crossing_name(text: str) -> str:
    """The name before a crossing word: "the Rafah crossing" -> "Rafah"."""
    name = strip_the(text)
    for word in sorted(CROSSING_WORDS, key=len, reverse=True):
        if name.lower().endswith(" " + word):
            return name[: -len(word) - 1]
    return name


__all__ = ["SPANS_KEY", "EntityExtractor"]
