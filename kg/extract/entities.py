"""First cut: spaCy's named entities as Person, Organization and Place."""
from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.facts import Facts, Span, slug

KINDS = {
    "PERSON": ("person", ("Person",)),
    "ORG": ("org", ("Organization",)),
    "NORP": None,
    "GPE": ("place", ("Place",)),
    "LOC": ("place", ("Place",)),
    "FAC": ("place", ("Place",)),
}


class EntityExtractor:
    """Turns `doc.ents` into entities with mentions on `doc._.facts`."""

    def __init__(self) -> None:
        pass

    def __call__(self, doc: Doc) -> Doc:
        facts: Facts = doc._.facts
        for ent in doc.ents:
            kind = KINDS.get(ent.label_)
            if kind is None:
                continue
            prefix, classes = kind
            text = ent.text
            label = text[4:] if text.lower().startswith("the ") else text
            entity = facts.entity(f"{prefix}/{slug(label)}", classes, label)
            entity.add_mention(Span(ent.start_char, ent.end_char, text))
        return doc
