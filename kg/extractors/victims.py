"""The people a count counts: the noun a number counts and where its phrase ties into the clause
("at least 33 Americans", "several of his associates"), a victim named without a number ("a man",
"the Taliban leader", "he", "both men", "a second"), the person a noun stands for ("the body of a
man"), and lists and coordinations of victims ("his wife, son and daughter", "a leader and two
insurgents", "the leader along with three of his associates").
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kg.extractors.lexicon.casualties import COLLECTIVE, NOBODY, NOT_PEOPLE, ORDINALS, SINGULAR_PRONOUNS, STANDS_FOR
from kg.extractors.numbers import Quantity


def phrase_root(doc: Doc, quantity: Quantity) -> Token:
    """The number word that carries the phrase's syntax: '1,400' in 'more than 1,400', 'few' in 'a few'."""
    token = doc[quantity.end - 1]
    for _ in range(quantity.end - quantity.start):  # bounded: the model's heads are not always a tree
        if not quantity.start <= token.head.i < quantity.end or token.head is token:
            break
        token = token.head
    return token


def _modifies_noun(root: Token) -> bool:
    """'33 Americans', 'several suspected insurgents': the number modifies the noun it counts."""
    return root.dep_ in ("nummod", "amod", "quantmod") and root.head.pos_ in ("NOUN", "PROPN")


def attachment(root: Token) -> Token:
    """The token that ties a number phrase into its clause: the counted noun, or the number itself."""
    return _noun_phrase_head(root.head) if _modifies_noun(root) else root


def _noun_phrase_head(noun: Token) -> Token:
    """'several suspected Islamic Movement of Uzbekistan insurgents': the number sits on a modifier."""
    while noun.dep_ in ("nmod", "compound") and noun.head.pos_ in ("NOUN", "PROPN") and noun.head.i > noun.i:
        noun = noun.head
    return noun


def counted_noun(root: Token) -> Token:
    """The people a number counts: 'at least 33 Americans' -> Americans, 'hundreds of Americans' -> Americans."""
    if _modifies_noun(root):
        return _noun_phrase_head(root.head)
    of = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None)
        if pobj is not None:
            return pobj
    return root


def phrase_start(noun: Token) -> int:
    """The first token of the phrase `noun` heads, with its determiner and modifiers: 'a 5-year-old girl'."""
    start = noun.i
    for child in noun.children:
        if child.i < noun.i and child.dep_ in ("det", "poss", "amod", "compound", "nummod", "npadvmod", "nmod"):
            start = min(start, child.left_edge.i)
    return start


def both(noun: Token) -> bool:
    """'both were taken into custody', 'both men died': two people."""
    return noun.lower_ == "both" or any(c.lower_ == "both" for c in noun.children)


def lone(victim: Token) -> bool:
    """A single person named or described: 'a man', 'the Taliban leader', 'Jassely Lupoe', 'he'."""
    if victim.lower_ in NOBODY or any(c.lower_ in NOBODY for c in victim.children):
        return False
    if victim.lemma_.lower() in NOT_PEOPLE:
        return False
    if both(victim):
        return True  # two people: `both` makes the count 2
    if victim.pos_ == "PRON":
        return victim.lower_ in SINGULAR_PRONOUNS
    if victim.lower_ in ORDINALS and any(c.dep_ == "det" for c in victim.children):
        return True  # "a second was injured", "the fourth died"
    if victim.tag_ not in ("NN", "NNP") or victim.lemma_ in COLLECTIVE:
        return False  # "a number of insurgents", "a group of men": how many is not said
    if victim.ent_type_ == "PERSON" or any(c.dep_ in ("det", "poss") for c in victim.children):
        return True
    # a headline's bare noun: "Girl shot at party dies", "Man shot, killed on Detroit's west side"
    return victim.tag_ == "NN" and victim.is_title and bool(victim.is_sent_start)


def stood_for(noun: Token) -> Token:
    """The person `noun` stands for: "the body of a man" is the man (`STANDS_FOR`), else `noun`."""
    if noun.lemma_ in STANDS_FOR:
        return next((g for c in noun.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), noun)
    return noun


def list_members(noun: Token) -> list[Token]:
    """The other people of a list the parser read as appositives of its first: "son" and "daughter" in
    "his wife, son and daughter", "his brother-in-law, sister-in-law, and their infant daughter" after
    "his two children". A list ends in "and"; "the victim, a 25-year-old man" restates one."""
    if noun.pos_ != "NOUN" or noun.ent_type_ == "PERSON":
        return []  # "Nur Mohammad, the Taliban deputy governor, and Hamza": names and their roles
    members, todo = [], [c for c in noun.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
    while todo:
        member = todo.pop()
        members.append(member)
        todo += [c for c in member.children if c.dep_ in ("appos", "conj") and c.pos_ == "NOUN"]
    if not any(c.dep_ == "cc" and c.lower_ in ("and", "&") for m in members for c in m.children):
        return []
    numbered = noun.like_num or any(c.dep_ == "nummod" for c in noun.children)
    if numbered and not any(c.dep_ == "poss" for m in members for c in m.children):
        return []  # "three others were wounded — two males and a female": the three, told apart
    return sorted(members, key=lambda m: m.i)


def list_head(noun: Token) -> Token:
    """The first member of the list `noun` is in (itself when in none)."""
    first = noun
    while first.dep_ in ("conj", "appos") and first.head.i < first.i and first.head.pos_ in ("NOUN", "PROPN"):
        first = first.head
    return first


def lone_member(victim: Token) -> bool:
    """A person in a list whose first member has the determiner for all: "son" and "daughter" in "his
    wife, son and daughter", "grandmother" in "his mother and grandmother"."""
    first = list_head(victim)
    if first is victim or not (lone(first) or first.tag_ == "NNS") or first.pos_ == "PRON":
        return False
    if victim.dep_ == "conj" and not any(c.dep_ == "poss" for c in first.children):
        return False  # "a bomb maker and facilitator" is one man; "his mother and grandmother" two
    return victim.tag_ in ("NN", "NNP") and victim.lemma_.lower() not in NOT_PEOPLE | COLLECTIVE


def coordinated(phrase: Token, word: Token) -> bool:
    """'a leader and two insurgents' (conjuncts joined by a conjunction), 'the leader along with three
    of his associates' (the casualty word takes an 'along with' phrase)."""
    first = phrase
    while first.dep_ == "conj" and first.head.i < first.i:
        first = first.head
    members = [first, *first.conjuncts]
    if len(members) > 1 and any(c.dep_ == "cc" for m in members for c in m.children):
        return True
    if list_members(list_head(phrase)):  # "his wife, son and daughter"
        return True
    return any(c.dep_ == "prep" and c.lower_ in ("along", "together") for c in word.children)
