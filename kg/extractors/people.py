"""Who: the named victims and suspects of an incident, and the ages the text gives them.

Every person of a document is a victim (someone the incident killed, wounded or held), a suspect
(who did it, or is accused of it) or neither (officials, spokespeople, relatives, witnesses,
lawyers). Rules decide where the text says it outright:

- a title of office or the court before the name ("police spokesman", "Judge") is neither;
- "suspect X", "the gunman, X", "shooter X" is a suspect, even when the police shot him;
- "victim X", "the victim, X", "identified the victim as X" is a victim.

Everything else a small multinomial logistic regression decides, over the words around each
mention of the person, the verb that governs it (its lemma, the dependency, passive voice), an age
next to the name, the role, where and how often the person is named (train/people.py fits it on
the dev files; the weights ship as data/people.json, read with plain Python).

A person goes to the incident whose counts' sentences, or whose first sentence, name them; else to
the document's main incident. A document without incidents has no victims.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.extractors.facts import Entity, Facts, Span
from kg.extractors.sentences import index_at, sentence_of

WEIGHTS = Path(__file__).parent / "data" / "people.json"
CLASSES = ("other", "victim", "suspect")
SUSPECT_CUES = frozenset({"suspect", "suspects", "gunman", "shooter", "assailant", "attacker", "killer"})
VICTIM_CUES = frozenset({"victim", "victims"})
# a role of office or of the court: who speaks of the incident, not who is in it
OFFICES = frozenset(
    """
spokesman spokeswoman spokesperson prosecutor attorney judge coroner mayor governor minister secretary president
senator congressman congresswoman representative rep. ambassador superintendent chairman chairwoman commissioner
""".split()
)
WINDOW = 3
MAX_AGE = 110


@dataclass(frozen=True)
class Model:
    """Weights of the logistic regression: per feature, one weight for each of CLASSES."""

    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Model | None:
        """The weights at `path`, or None where there are none (the rules alone decide)."""
        if not path.is_file():
            return None
        data = json.loads(path.read_text())
        return cls(tuple(data["intercept"]), {k: tuple(v) for k, v in data["weights"].items()})

    def probabilities(self, features: Iterable[str]) -> list[float]:
        scores = list(self.intercept)
        for name in set(features):
            for c, w in enumerate(self.weights.get(name, ())):
                scores[c] += w
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return [e / total for e in exp]


class PeopleFinder:
    """Sets `Entity.age` of the persons the text gives an age, `Incident.victims` and the named person
    suspects in `Incident.perpetrators`."""

    def __init__(self, *, model: Model | None) -> None:
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        facts: Facts = doc._.facts
        people = persons(doc, facts)
        for entity, spans in people:
            entity.age = entity.age or next((a for a in map(age, spans) if a is not None), None)
        if not facts.incidents:
            return doc
        for entity, spans in people:
            role = self.role(doc, facts, entity, spans)
            if role == "other":
                continue
            incident = facts.incidents[_incident_of(facts, entity)]
            found = incident.victims if role == "victim" else incident.perpetrators
            if entity.key not in found:
                found.append(entity.key)
        for incident in facts.incidents:  # a named suspect is never a victim, even when shot (or self-shot)
            incident.victims = [key for key in incident.victims if key not in incident.perpetrators]
        return doc

    def role(self, doc: Doc, facts: Facts, entity: Entity, spans: list[SpacySpan]) -> str:
        """ "victim", "suspect" or "other": the rules' answer where they have one, else the model's."""
        ruled = rule(entity, spans)
        if ruled is not None or self.model is None:
            return ruled or "other"
        p = self.model.probabilities(features(doc, facts, entity, spans))
        return CLASSES[max(range(len(CLASSES)), key=p.__getitem__)]


def persons(doc: Doc, facts: Facts) -> list[tuple[Entity, list[SpacySpan]]]:
    """Each person entity of the document, with its mentions as spaCy spans, in text order."""
    found: list[tuple[Entity, list[SpacySpan]]] = []
    for entity in facts.entities.values():
        if entity.kinds != ("Person",):
            continue
        spans = [doc.char_span(m.begin, m.end, alignment_mode="expand") for m in sorted(entity.mentions)]
        found.append((entity, [s for s in spans if s is not None and len(s)]))
    return found


def rule(entity: Entity, spans: list[SpacySpan]) -> str | None:
    """What the text says outright: an office is neither, a suspect cue wins over a victim cue."""
    if entity.role and any(w.lower() in OFFICES for w in entity.role.split()):
        return "other"
    cues = {_cue(span) for span in spans}
    if cues & SUSPECT_CUES:
        return "suspect"
    if cues & VICTIM_CUES:
        return "victim"
    return None


def _cue(span: SpacySpan) -> str | None:
    """The word for a person just before the name: "suspect X", "the victim, X", "identified the victim as X"."""
    doc, i = span.doc, span.start - 1
    if i >= 0 and doc[i].text in (",", "as") and not (doc[i].text == "," and i > 0 and doc[i - 1].lower_ == "said"):
        i -= 1
    if i >= 0 and (doc[i].lower_ in SUSPECT_CUES or doc[i].lower_ in VICTIM_CUES):
        return doc[i].lower_.rstrip("s") if doc[i].lower_ != "suspect" else "suspect"
    return None


def age(span: SpacySpan) -> int | None:
    """The age the words next to a name give: "21-year-old X", "X, 21,", "X, a 21-year-old", "X (21)",
    "X, aged 21"."""
    doc = span.doc
    i = span.start - 1
    skipped = 0
    while i >= 0 and doc[i].is_lower and doc[i].is_alpha and doc[i].lower_ != "old" and skipped < 2:
        i -= 1  # "21-year-old victim X", "21-year-old Dayton man X" is not skipped over
        skipped += 1
    if i >= 4 and doc[i].lower_ == "old" and doc[i - 2].lower_ in ("year", "years"):
        return _number(doc[i - 4])
    e = span.end
    if e + 1 < len(doc) and doc[e].text in (",", "("):
        nxt = doc[e + 1]
        if nxt.lower_ == "aged" and e + 2 < len(doc):
            return _number(doc[e + 2])
        if nxt.lower_ in ("a", "an") and e + 4 < len(doc) and doc[e + 4].lower_ in ("year", "years"):
            return _number(doc[e + 2])
        after = doc[e + 2] if e + 2 < len(doc) else None
        if after is None or after.text in (",", ")", ".", ";") or after.lower_ in ("of", "and", "was", "who", "is"):
            return _number(nxt)
    if e + 1 < len(doc) and doc[e].lower_ == "aged":
        return _number(doc[e + 1])
    return None


def _number(tok: Token) -> int | None:
    if tok.text.isdigit() and 0 < int(tok.text) <= MAX_AGE:
        return int(tok.text)
    return None


def features(doc: Doc, facts: Facts, entity: Entity, spans: list[SpacySpan]) -> list[str]:
    """The model's features of a person: of each mention, the words around it and the verb over it; of the
    person, the role, the age, the cue, where and how often it is named, the counts of its sentences."""
    found: list[str] = []
    for span in spans:
        found += _mention_features(span)
    segments = doc._.segments or []
    headline = next((s for s in segments if s.kind == "headline"), None)
    if headline is not None and any(headline.begin <= m.begin < headline.end for m in entity.mentions):
        found.append("in_headline")
    first = min(m.begin for m in entity.mentions)
    sentence = index_at(doc, first)
    found.append(f"first_sent={min(sentence, 6)}")
    found.append(f"mentions={min(len(entity.mentions), 5)}")
    found.append(f"words={min(len(entity.label.split()), 3)}")
    if entity.age is not None:
        found.append("age")
        found.append(f"age_group={'child' if entity.age < 12 else 'teen' if entity.age < 18 else 'adult'}")
    if entity.role:
        found += ["role"] + [f"role={w.lower()}" for w in entity.role.split()]
    cue = rule(entity, spans)
    if cue:
        found.append(f"cue={cue}")
    for count in facts.counts:
        if any(count.sentence.begin <= m.begin < count.sentence.end for m in entity.mentions):
            found.append(f"count={count.type}")
            if count.of_perpetrators:
                found.append("count=of_perpetrators")
    return found


def _mention_features(span: SpacySpan) -> list[str]:
    doc = span.doc
    out = []
    for k in range(1, WINDOW + 1):
        if span.start - k >= 0:
            out += [f"L{k}={doc[span.start - k].lower_}", f"L={doc[span.start - k].lower_}"]
        if span.end - 1 + k < len(doc):
            out += [f"R{k}={doc[span.end - 1 + k].lower_}", f"R={doc[span.end - 1 + k].lower_}"]
    if span.start >= 2:
        out.append(f"LL={doc[span.start - 2].lower_}_{doc[span.start - 1].lower_}")
    if span.end + 1 < len(doc):
        out.append(f"RR={doc[span.end].lower_}_{doc[span.end + 1].lower_}")
    root = span.root
    node = root
    while node.dep_ in ("compound", "appos", "conj", "poss", "flat") and node.head is not node:
        if node.dep_ == "poss":
            out.append(f"poss={node.head.lemma_.lower()}")
        node = node.head
    head = node.head
    out += [f"dep={node.dep_}", f"head={head.lemma_.lower()}", f"dh={node.dep_}:{head.lemma_.lower()}"]
    if node.dep_ == "pobj":
        out.append(f"pobj={head.lower_}:{head.head.lemma_.lower()}")
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in head.children):
        out.append(f"passive={head.lemma_.lower()}")
    for tok in sentence_of(span[0]):
        if tok.pos_ == "VERB":
            out.append(f"sverb={tok.lemma_.lower()}")
    return out


def _incident_of(facts: Facts, entity: Entity) -> int:
    """The incident whose counts' sentences, or first sentence, name the person; else the main one."""
    for count in sorted(facts.counts, key=lambda c: c.span.begin):
        if any(count.sentence.begin <= m.begin < count.sentence.end for m in entity.mentions):
            return count.incident
    for n, incident in enumerate(facts.incidents):
        if any(_within(m, incident.mention) for m in entity.mentions):
            return n
    return facts.main_incident if facts.main_incident is not None else 0


def _within(mention: Span, span: Span) -> bool:
    return span.begin <= mention.begin and mention.end <= span.end


__all__ = ["CLASSES", "WEIGHTS", "Model", "PeopleFinder", "age", "features", "persons", "rule"]
