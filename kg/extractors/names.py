"""Names as the text spells them: spaCy's entity mended (a name goes on over particles, a title the
span swallowed goes back, a "person" ending in "Police" is an institution), names that a cue word
stands next to (an age or a word for a person before a person's name, a word for a place's people
after the place's), and the title before a person's name (a role, an affiliation)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import LOWER
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.extractors import places
from kg.extractors.gazetteer import Gazetteer
from kg.extractors.lexicon.names import CONNECTORS, NAME_PARTICLES, PERSON_CUES, ROLE_HEADS, ROLE_MODIFIERS
from kg.extractors.lexicon.places import POLICE_WORDS, REGION_WORDS, RESIDENTS

CUE_WORDS = PERSON_CUES | {"old", "as", ","}


@dataclass
class Candidate:
    """A span the text may name an entity with; of overlapping ones, the lowest `priority` wins."""

    span: SpacySpan
    label: str  # spaCy label, or CROSSING / REGION / WEAK
    key: str | None = None  # a gazetteer key
    priority: int = 9


def title_before(
    doc: Doc, person: Candidate, chosen: list[Candidate]
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
        titled = tok.is_title or tok.is_upper or is_head(tok) or word in ROLE_MODIFIERS or abbreviation
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
    if not any(map(is_head, words)):
        return None, None, []
    inside = [c for c in chosen if first <= c.span.start and c.span.end <= end]
    affiliation = next((c for c in inside if c.span.start == first and c.label != "PERSON"), None)
    role_start = first
    if affiliation is not None:
        role_start = affiliation.span.end
        while role_start < end and doc[role_start].lower_ in CONNECTORS:
            role_start += 1
    role = doc[role_start:end].text.strip() or None
    if role is None or not any(map(is_head, doc[role_start:end])):
        return None, None, []
    return role, affiliation, [c for c in inside if c is not affiliation]


def cued_names(doc: Doc) -> list[SpacySpan]:
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


def residents_of(doc: Doc, gaz: Gazetteer, context: set[str]) -> list[SpacySpan]:
    """Known cities and regions named before a word for their people ("Beech Grove police"; "Waco
    Police Sgt. Patrick Swanton", where the model saw no "Waco Police")."""
    found = []
    named = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    for i in _indexes(doc, RESIDENTS):
        tok = doc[i]
        if not (tok.is_lower or (tok.lower_ == "police" and i not in named)):
            continue
        for start in range(max(0, tok.i - 3), tok.i):
            span = doc[start : tok.i]
            if all(t.is_title and t.is_alpha and not t.is_stop for t in span):
                place = places.resolve(gaz, span.text, context)
                if place is not None and place.kind in ("City", "Region"):
                    found.append(span)
                    break
    return found


def repair(ent: SpacySpan) -> tuple[SpacySpan, str]:
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
    while end - ent.start > 1 and is_head(ent.doc[end - 1]):
        end -= 1
    span = ent if end == ent.end else ent.doc[ent.start : end]
    if span[-1].lower_ in REGION_WORDS - {"state", "region"} and len(span) > 1:
        return span, "REGION"
    return span, ent.label_


def _extend_name(ent: SpacySpan) -> SpacySpan:
    """'Mohammed bin Abdulrahman' + ' bin Jassim Al Thani': a name goes on over particles."""
    doc, end = ent.doc, ent.end
    while end + 1 < len(doc) and doc[end].lower_ in NAME_PARTICLES and doc[end + 1].is_title:
        end += 2
    return SpacySpan(doc, ent.start, end, label=ent.label) if end != ent.end else ent


def bare(span: SpacySpan) -> SpacySpan:
    """A name without the possessive the model's span took in: "Carroll's" -> "Carroll"."""
    end = span.end
    while end - span.start > 1 and span.doc[end - 1].lower_ in ("'s", "\u2019s", "'", "\u2019"):
        end -= 1
    return span if end == span.end else span.doc[span.start : end]


def _indexes(doc: Doc, words: frozenset[str]) -> list[int]:
    """The indexes of the tokens whose lower-case form is one of `words`, read from the document's
    array: a Token object per word costs more than the rules asked of the few that match."""
    wanted = {doc.vocab.strings[w] for w in words}
    return [i for i, lower in enumerate(doc.to_array(LOWER).tolist()) if lower in wanted]


def _name_word(tok: Token) -> bool:
    """A capitalized word that may be part of a name: not a place, a date or a time the model tagged."""
    return tok.is_title and tok.is_alpha and not tok.is_stop and tok.ent_type_ not in ("GPE", "DATE", "TIME")


def in_capitals(span: SpacySpan) -> bool:
    """An upper-case span between upper-case words: part of a headline set in capitals."""
    doc = span.doc
    if not span.text.isupper():
        return False
    around = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return any(t.is_alpha and t.is_upper and len(t) > 1 for t in around)


def is_head(tok: Token) -> bool:
    """A word that makes a title a role: "spokesman", "Capt"."""
    return tok.lower_ in ROLE_HEADS or tok.lower_ + "." in ROLE_HEADS


__all__ = ["Candidate", "bare", "cued_names", "in_capitals", "repair", "residents_of", "title_before"]
