"""Who did it, where and when: the perpetrator, place, victims' nationality and date of a casualty word.

The perpetrator is the subject of the active verb or its "by" agent, else the attack the people
died in ("killed in an Israeli airstrike"); an actor named inside the noun phrase counts
("the Hamas terrorist group", "Israeli forces" -> Israel). The place is a place named in a
locative phrase of the clause. The date is a day named in the clause, else in the sentence, else
(optionally) the first event day of the document; a day that bounds a period ("since Oct. 7") is
no event's day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Set as AbstractSet

from spacy.tokens import Doc, Token

from kg.extractors.casualties import has_subject, is_toll, patient_subject
from kg.extractors.dates import DateMention
from kg.extractors.facts import Entity, Facts
from kg.extractors.lexicon.casualties import ATTACK_PREPS, CARE_PLACES, CARE_WORDS, LOCATIVE, NOT_THE_DAY
from kg.extractors.sentences import sentence_of
from kg.extractors.vocabulary import ACTOR_KINDS, PLACE_KINDS


class Attribution:
    """Answers, for the casualty words of one document, who, where and when."""

    def __init__(self, doc: Doc, facts: Facts, document_date_fallback: bool = True) -> None:
        self.doc = doc
        self.facts = facts
        self.dates: list[DateMention] = doc._.dates or []
        event_days = [d for d in self.dates if not bounded(doc, d)]
        # a sentence without a day of its own: the document's first event day, else the day it was written
        first = event_days[0].date if event_days else doc._.ref_date
        self.document_day = first if document_date_fallback else None

    def entity(self, token: Token, kinds: AbstractSet[str]) -> Entity | None:
        entity = self.facts.entity_at(token.idx, token.idx + len(token.text))
        return entity if entity is not None and not kinds.isdisjoint(entity.kinds) else None

    def actor(self, token: Token, itself: bool = True) -> str | None:
        """An actor a noun phrase names: itself, or a name or nationality inside it ("Israeli forces");
        with `itself` False only the latter ("in an Israeli airstrike", but not "in Ukraine")."""
        modifiers = [c for c in token.children if c.dep_ in ("compound", "amod", "poss", "nmod")]
        for candidate in [token, *modifiers] if itself else modifiers:
            entity = self.entity(candidate, ACTOR_KINDS)
            if entity is not None:
                return entity.key
        return None

    def nationality(self, noun: Token) -> str | None:
        for candidate in [noun, *(c for c in noun.children if c.dep_ in ("compound", "amod", "nmod"))]:
            entity = self.entity(candidate, {"Country"})
            if entity is not None:
                return entity.key
        return None

    def perpetrator(self, word: Token) -> str | None:
        verb = word.head if word.pos_ in ("NOUN", "PROPN") and word.dep_ in ("dobj", "nsubjpass") else word
        while (
            verb.dep_ in ("conj", "xcomp", "acomp", "oprd", "advcl") and verb.head is not verb and not has_subject(verb)
        ):
            verb = verb.head
        for child in verb.children:
            if child.dep_ == "nsubj" and not patient_subject(verb):
                actor = self.actor(child)
                if actor is not None:
                    return actor
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ in ATTACK_PREPS):
                for pobj in child.children:
                    if pobj.dep_ in ("pobj", "pcomp"):
                        actor = self.actor(pobj, itself=child.dep_ == "agent")
                        if actor is not None:
                            return actor
        if verb.dep_ == "nsubj" or is_toll(verb):  # "the toll from the Israeli airstrike"
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in ATTACK_PREPS:
                    for pobj in child.children:
                        actor = self.actor(pobj, itself=False) if pobj.dep_ == "pobj" else None
                        if actor is not None:
                            return actor
        return None

    def place(self, word: Token) -> str | None:
        for token in word.subtree:
            if token.dep_ == "pobj" and token.head.lower_ in LOCATIVE and not _of_care(token.head.head):
                entity = self.entity(token, PLACE_KINDS)
                if entity is not None:
                    return entity.key
        return None

    def dated(self, word: Token) -> bool:
        """Whether the sentence of `word` names the day itself."""
        sentence = sentence_of(word)
        return any(sentence.start <= d.start < sentence.end and not bounded(self.doc, d) for d in self.dates)

    def date(self, word: Token) -> dt.date | None:
        sentence = sentence_of(word)
        here = [d for d in self.dates if sentence.start <= d.start < sentence.end and not bounded(self.doc, d)]
        clause = {t.i for t in word.subtree}
        within = [d for d in here if d.start in clause]
        chosen = within or here
        if chosen:  # a named day ("Monday", "June 14") is more precise than "today" or "overnight"
            return min(chosen, key=lambda d: (not d.named, d.start)).date
        return self.document_day


def _of_care(noun: Token) -> bool:
    """Whether `noun` is a place where the hurt are treated ("a hospital", "University Trauma Center")."""
    words = {noun.lower_, *(c.lower_ for c in noun.children if c.dep_ in ("compound", "amod"))}
    return bool(words & CARE_PLACES) or (noun.lower_ in ("center", "centre") and bool(words & CARE_WORDS))


def bounded(doc: Doc, mention: DateMention) -> bool:
    """'since Oct. 7', 'until Friday': a day that bounds a period, not the day of an event."""
    return mention.start > 0 and doc[mention.start - 1].lower_ in NOT_THE_DAY
