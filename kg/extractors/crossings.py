"""What a document says about its border crossings: the places they connect, whether they are open
or closed, who blocks them and who operates them.

Runs after the entity extractor, reading the crossings and actors it found. "The crossing" in a
document that names one crossing is a mention of it.
"""

from __future__ import annotations

from spacy.attrs import LOWER
from spacy.tokens import Doc, Token

from kg.extractors.facts import Entity, Facts, Span
from kg.extractors.gazetteer import Gazetteer
from kg.extractors.vocabulary import ACTOR_KINDS, PLACE_KINDS

SIDE_KINDS = PLACE_KINDS - {"Crossing"}  # what a crossing connects: countries, regions, cities

CLOSED = frozenset({"close", "closed", "shut", "seal", "sealed", "block", "blocked", "blockade"})
OPEN = frozenset({"open", "reopen", "opened", "reopened"})
BLOCK = frozenset({"block", "close", "shut", "seal"})
OPERATE = frozenset({"operate", "run", "man", "control"})
SIDE_PREPOSITIONS = frozenset({"into", "to", "between", "with", "from", "on"})


class CrossingLinker:
    """Fills `connects`, `status`, `blocked_by` and `operated_by` of the crossings on `doc._.facts`."""

    def __init__(self, *, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        facts: Facts = doc._.facts
        crossings = [e for e in facts.entities.values() if "Crossing" in e.kinds]
        if not crossings:
            return doc
        at = _token_entities(doc, facts)
        if len(crossings) == 1:
            self._anaphora(doc, crossings[0], at)
        for crossing in crossings:
            entry = self.gaz.curated.get(crossing.key)
            for key in entry.connects if entry is not None else ():
                if key in facts.entities:  # link only to what this document names
                    _add(crossing.connects, key)
            for mention in sorted(crossing.mentions):
                span = doc.char_span(mention.begin, mention.end, alignment_mode="expand")
                if span is not None:
                    self._read(span.root, crossing, at)
        return doc

    def _anaphora(self, doc: Doc, crossing: Entity, at: dict[int, Entity]) -> None:
        wanted = {doc.vocab.strings["crossing"], doc.vocab.strings["gate"]}
        for i in [i for i, lower in enumerate(doc.to_array(LOWER).tolist()) if lower in wanted]:
            tok = doc[i]
            if tok.i not in at and tok.i > 0 and doc[tok.i - 1].lower_ == "the":
                crossing.add_mention(Span(doc[tok.i - 1].idx, tok.idx + len(tok.text), doc[tok.i - 1 : tok.i + 1].text))
                at[tok.i] = at[tok.i - 1] = crossing

    def _read(self, root: Token, crossing: Entity, at: dict[int, Entity]) -> None:
        # places on each side: "the Rafah crossing into Egypt", "between the Gaza Strip and Egypt"
        for prep in root.children:
            if prep.dep_ == "prep" and prep.lower_ in SIDE_PREPOSITIONS:
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        for tok in (obj, *obj.conjuncts):
                            place = at.get(tok.i)
                            if place is not None and SIDE_KINDS.intersection(place.kinds) and place is not crossing:
                                _add(crossing.connects, place.key)
        for clause in root.children:  # "the Argeen crossing, which stays open"
            if clause.dep_ == "relcl":
                self._state(clause, crossing, at)
        # the verb whose object or subject the crossing is
        verb = root.head
        while verb.dep_ in ("prep", "pobj", "dobj", "poss", "compound") and verb.head is not verb:
            if verb.pos_ in ("VERB", "AUX"):
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX", "ADJ"):
            return
        if root.dep_ in ("nsubj", "nsubjpass"):  # "the crossing remained closed", "was reopened"
            self._state(verb, crossing, at)
            return
        negated = any(c.dep_ == "neg" for c in verb.children)
        lemma = verb.lemma_.lower()
        subject = _subject(verb, at)
        if lemma in BLOCK and not negated:
            crossing.status = "Closed"
            if subject is not None:
                _add(crossing.blocked_by, subject.key)
        elif lemma in OPEN:
            crossing.status = "Closed" if negated else "Open"
        elif lemma in OPERATE and subject is not None:
            _add(crossing.blocked_by if negated else crossing.operated_by, subject.key)

    def _state(self, verb: Token, crossing: Entity, at: dict[int, Entity]) -> None:
        """The crossing is the subject of `verb`: its state, and who blocks or operates it."""
        negated = any(c.dep_ == "neg" for c in verb.children)
        lemma = verb.lemma_.lower()
        state = next((c for c in verb.children if c.dep_ in ("acomp", "oprd", "xcomp")), verb)
        word = state.lemma_.lower()
        if word in OPEN or state.lower_ in OPEN:
            crossing.status = "Closed" if negated else "Open"
        elif word in CLOSED or state.lower_ in CLOSED:
            crossing.status = "Open" if negated else "Closed"
        for agent in _agents(verb, at):
            if lemma in BLOCK:
                _add(crossing.blocked_by, agent.key)
            elif lemma in OPERATE or word in OPERATE:
                _add(crossing.operated_by, agent.key)


def _token_entities(doc: Doc, facts: Facts) -> dict[int, Entity]:
    at: dict[int, Entity] = {}
    for entity in facts.entities.values():
        for mention in entity.mentions:
            span = doc.char_span(mention.begin, mention.end, alignment_mode="expand")
            for tok in span or ():
                at.setdefault(tok.i, entity)
    return at


def _subject(verb: Token, at: dict[int, Entity]) -> Entity | None:
    """The actor doing `verb`, looking up a chain of conjoined verbs ("Hamas ... holding ... and blocking")."""
    seen = 0
    while seen < 6:
        for child in verb.children:
            if child.dep_ == "nsubj":
                actor = at.get(child.i)
                return actor if actor is not None and ACTOR_KINDS.intersection(actor.kinds) else None
        if verb.dep_ not in ("conj", "xcomp", "advcl", "ccomp", "acl", "pcomp") or verb.head is verb:
            return None
        verb, seen = verb.head, seen + 1
    return None


def _agents(verb: Token, at: dict[int, Entity]) -> list[Entity]:
    """'operated by Egyptian authorities': the actors after "by"."""
    found = []
    for child in verb.children:
        if child.dep_ == "agent":
            for tok in child.subtree:
                actor = at.get(tok.i)
                if actor is not None and ACTOR_KINDS.intersection(actor.kinds) and actor not in found:
                    found.append(actor)
    return found


def _add(keys: list[str], key: str) -> None:
    if key not in keys:
        keys.append(key)


__all__ = ["CrossingLinker"]
