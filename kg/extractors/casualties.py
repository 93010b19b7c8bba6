"""Casualty words: which words and phrases say that people were killed, hurt, held, freed or moved.

The tests on one token of a parse that the counts extractor (kg.extractors.counts) asks, over the
words of kg.extractors.lexicon.casualties: what type a word gives with its complements ("shot dead"
is Killed, "shot" alone says nothing of the outcome), whether its subject is who it happened to
("three died"), whether it is negated or only intended ("threatened to kill", "an operation to
arrest"), the phrases that state harm without a casualty verb ("taken into custody", "taken to the
hospital with gunshot wounds", "struck in the leg", "a gunshot victim", "took his own life"), and
whether the harm is the attacker's own ("then killed himself").
"""

from __future__ import annotations

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Token

from kg.extractors.lexicon.casualties import (
    ATTACKERS,
    ATTACKS,
    CUSTODY_VERBS,
    HOSPITAL_VERBS,
    HOSPITALS,
    INTENT,
    INTRANSITIVE,
    MULTIPLES,
    OWN_LIFE_VERBS,
    REFLEXIVE,
    SELF_INFLICTED,
    SHOOTING,
    STRIKE_VERBS,
    STRUCK_BY,
    TOLL_NOUNS,
    TRIGGERS,
    WOUNDS,
)

# the casualty types that harm the people themselves: of these a count may be the attackers' own
HARM = {"Killed", "Injured"}


def trigger_type(token: Token) -> str | None:
    """The casualty type a word names by itself ("killed", "hostages", "missing")."""
    return TRIGGERS.get(token.lemma_.lower()) or TRIGGERS.get(token.lower_)


def noun_type(noun: Token) -> str | None:
    """The type a counted noun names itself: '200 hostages', '300 deaths', 'three bodies'."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    lemma = noun.lemma_.lower()
    if lemma in ("hostage", "death", "fatality", "evacuee", "body"):
        held = TRIGGERS[lemma]
        verb = noun.head if noun.dep_ in ("dobj", "nsubjpass") else None
        if held == "Hostage" and verb is not None and trigger_type(verb) in ("Released", "Killed"):
            return None  # "freed 24 hostages": the verb says what happened to them
        return held
    return None


def clause_type(word: Token) -> str | None:
    """The type a casualty word gives with its complements and conjuncts: 'fatally wounded' and
    'shot dead' are Killed; 'shot and wounded' is Injured; 'shot' alone says nothing of the outcome."""
    related = [
        c
        for c in word.children
        if c.dep_ in ("conj", "oprd", "acomp", "xcomp", "advmod")
        and not (c.dep_ == "conj" and any(g.dep_ in ("dobj", "nsubj", "nsubjpass") for g in c.children))
    ]
    if custody(word):
        return "Captured"
    if own_life(word) or fatal_attack(word):
        return "Killed"
    if any(o.lower_ in ("fatally", "dead") or o.lemma_ in ("kill", "die") for o in related) or any(
        c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children) for c in word.children
    ):  # "shot dead", "fatally wounded", "shot to death"
        return "Killed"
    if word.lemma_ in SHOOTING and word.pos_ == "VERB":
        return next((k for k in map(trigger_type, related) if k is not None), None)
    return trigger_type(word)


def fatal_attack(word: Token) -> bool:
    """'the fatal shooting of a 16-year-old boy', 'a deadly stabbing'."""
    return (
        word.pos_ == "NOUN"
        and word.lemma_ in ATTACKS
        and any(c.dep_ == "amod" and c.lower_ in ("fatal", "deadly") for c in word.children)
    )


def own_life(word: Token) -> bool:
    """'took his own life', 'ended her own life'."""
    return word.lemma_ in OWN_LIFE_VERBS and any(
        c.dep_ == "dobj" and c.lemma_ == "life" and any(g.lower_ == "own" for g in c.children) for c in word.children
    )


def self_inflicted(noun: Token, word: Token) -> bool:
    """Whether `word` harms `noun` by the attacker's own hand: 'then killed himself', 'the gunman took his own
    life', 'the suspect was found dead from a self-inflicted gunshot wound', 'the suicide bomber was killed'. A
    suspect shot by police is that shooting's victim, and insurgents killed by a patrol are the patrol's."""
    if noun.lower_ in REFLEXIVE:
        return True
    clause = _clause_text(word)
    if not any(cue in clause for cue in SELF_INFLICTED):
        return False
    return (
        noun.lemma_.lower() in ATTACKERS
        or noun.ent_type_ == "PERSON"
        or any(c.lower_ in ("suicide", "gunman", "shooter") for c in noun.children)
    )


def _clause_text(word: Token) -> str:
    """The words of the clause `word` states, without the clauses coordinated to it (lower case)."""
    verb = word.head if word.dep_ in ("acomp", "oprd", "xcomp") else word
    skip = {t.i for c in verb.children if c.dep_ == "conj" for t in c.subtree}
    return "".join(t.text_with_ws for t in verb.subtree if t.i not in skip).lower()


# the lemmas and lower-case forms any rule of a casualty word starts from
CANDIDATES = frozenset(
    {
        *TRIGGERS,
        *SHOOTING,
        *ATTACKS,
        *WOUNDS,
        *CUSTODY_VERBS,
        *HOSPITAL_VERBS,
        *MULTIPLES,
        *OWN_LIFE_VERBS,
        *STRIKE_VERBS,
        "victim",
        "condition",
    }
)


def custody(word: Token) -> bool:
    """'taken into custody', 'is in custody', 'remains in police custody'."""
    return (
        word.lemma_ in CUSTODY_VERBS
        and word.pos_ in ("VERB", "AUX")
        and any(
            c.dep_ == "prep" and c.lower_ in ("into", "in") and any(g.lemma_ == "custody" for g in c.children)
            for c in word.children
        )
    )


def casualty(word: Token) -> str | None:
    """The type of a casualty word; a gunshot with no stated outcome is Injured (see `_unstated`)."""
    return clause_type(word) or ("Injured" if unstated(word) else None)


def unstated(word: Token) -> bool:
    """'was shot', 'a man with a gunshot wound', 'taken to the hospital', 'struck in the leg': hurt for sure,
    dead or alive unsaid."""
    if word.pos_ == "NOUN":
        return word.lemma_ in WOUNDS or word.lemma_ in ATTACKS or gunshot_victim(word)
    if hospital(word) or struck(word):
        return clause_type(word) in (None, "Injured")
    return word.lemma_ in SHOOTING and word.pos_ == "VERB" and clause_type(word) is None


def hospital(word: Token) -> bool:
    """'was taken to the hospital', 'sends 1 person to the hospital', 'rushed to a hospital'."""
    return (
        word.pos_ == "VERB"
        and word.lemma_ in HOSPITAL_VERBS
        and any(
            c.dep_ == "prep" and c.lower_ in ("to", "at") and any(g.lemma_ in HOSPITALS for g in c.children)
            for c in word.children
        )
    )


def struck(word: Token) -> bool:
    """'was struck in the leg', 'hit by a stray bullet': a person hit by gunfire."""
    return (
        word.pos_ == "VERB"
        and word.lemma_ in STRIKE_VERBS
        and any(
            c.dep_ == "prep" and c.lower_ in ("in", "by") and any(g.lemma_ in STRUCK_BY for g in c.children)
            for c in word.children
        )
    )


def gunshot_victim(noun: Token) -> bool:
    """'a gunshot victim', 'the shooting victim'."""
    return noun.lemma_ == "victim" and any(c.lower_ in ("gunshot", "shooting", "stabbing") for c in noun.children)


def intended_noun(noun: Token) -> bool:
    """'secure the release of every hostage', 'calls for the release of', 'a warrant for the arrest of':
    wanted, not done."""
    head = noun.head
    if noun.dep_ == "dobj" and head.lemma_ in INTENT | {"secure", "win", "obtain", "facilitate", "discuss"}:
        return True
    return (noun.dep_ == "pobj" and head.lower_ in ("for", "toward", "towards")) or intended(head)


def intended(word: Token) -> bool:
    """'threatened to kill', 'an operation to arrest', 'plans to release': intent, not a deed."""
    if word.dep_ in ("xcomp", "acl", "advcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in word.children):
        head = word.head
        return head.lemma_ in INTENT or head.pos_ in ("NOUN", "PROPN") or word.dep_ == "advcl"
    return False


def patient_subject(verb: Token) -> bool:
    """Whether the subject of `verb` is who it happened to: 'three died', 'two others injured'."""
    lemma = verb.lemma_.lower()
    if lemma in ("die",) or own_life(verb) or (verb.lower_ in INTRANSITIVE and verb.pos_ == "ADJ"):
        return True
    if verb.tag_ == "VBN" and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
        return True
    # a headline: "Man shot and killed on Detroit's west side"
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return (
        subject is not None
        and subject.is_title
        and subject.tag_ == "NN"
        and bool(subject.is_sent_start)
        and not any(c.dep_ in ("dobj", "aux") for c in verb.children)
    )


def agent_clause(clause: Token) -> bool:
    """'two officers who fatally shot a man': the noun did it, it did not happen to them."""
    return any(c.dep_ == "nsubj" for c in clause.children) and not patient_subject(clause)


def has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in verb.children)


def negated(word: Token) -> bool:
    return any(c.dep_ == "neg" for c in word.children) or intended(word)


def is_toll(token: Token) -> bool:
    return token.lemma_.lower() in TOLL_NOUNS and not any(
        c.lower_ in ("injury", "injuries", "casualty") for c in token.children
    )


def candidate_words(doc: Doc) -> list[int]:
    """The indexes of the tokens that may be casualty words, found on the document's arrays: making a
    Token object of every word costs more than all the rules asked of the few that may be."""
    strings = doc.vocab.strings
    wanted = {strings[w] for w in CANDIDATES}
    return [
        i
        for i, (lemma, lower) in enumerate(doc.to_array([LEMMA, LOWER]).tolist())
        if lemma in wanted or lower in wanted
    ]
