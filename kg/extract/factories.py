"""Every spaCy component of newskg, registered in one place (as spaCy's own factories.py does)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.entities import EntityExtractor
from kg.extract.facts import Facts

_registered = False


def register() -> None:
    """Declare the Doc extensions and the component factories, once per process."""
    global _registered
    if _registered:
        return
    if not Doc.has_extension("facts"):
        Doc.set_extension("facts", default=None)
    if not Doc.has_extension("doc_date"):
        Doc.set_extension("doc_date", default=None)
    Language.factory("newskg_facts", assigns=["doc._.facts"], func=_make_facts)
    Language.factory("newskg_entities", requires=["doc.ents"], assigns=["doc._.facts"], func=_make_entities)
    _registered = True


class _FactsInit:
    def __call__(self, doc: Doc) -> Doc:
        doc._.facts = Facts()
        return doc


def _make_facts(nlp: Language, name: str) -> _FactsInit:
    return _FactsInit()


def _make_entities(nlp: Language, name: str) -> EntityExtractor:
    return EntityExtractor()


COMPONENTS = ("newskg_facts", "newskg_entities")
