"""Every spaCy component of newskg, registered in one place (as spaCy's own factories.py does)."""

from __future__ import annotations

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc

from kg.extractors import gazetteer, sentences
from kg.extractors.counts import CountExtractor
from kg.extractors.crossings import CrossingLinker
from kg.extractors.dates import DateResolver
from kg.extractors.entities import SPANS_KEY, EntityExtractor
from kg.extractors.facts import Facts
from kg.extractors.incidents import IncidentFinder
from kg.extractors.numbers import NumberFinder
from kg.extractors.people import Model, PeopleFinder
from kg.extractors.tolls import TollDeriver

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
    for extension in ("quantities", "dates", "ref_date", "segments", "sentences"):
        if not Doc.has_extension(extension):
            Doc.set_extension(extension, default=None)
    Language.factory("newskg_facts", assigns=["doc._.facts", "doc._.sentences"], func=_make_facts)
    Language.factory("newskg_gazetteer", requires=["doc.ents"], assigns=["doc.spans"], func=_make_gazetteer)
    Language.factory("newskg_entities", requires=["doc.ents"], assigns=["doc._.facts"], func=_make_entities)
    Language.factory("newskg_crossings", requires=["doc._.facts"], assigns=["doc._.facts"], func=_make_crossings)
    Language.factory("newskg_numbers", assigns=["doc._.quantities"], func=_make_numbers)
    Language.factory("newskg_dates", requires=["doc.ents"], assigns=["doc._.dates", "doc._.ref_date"], func=_make_dates)
    Language.factory(
        "newskg_counts",
        requires=["doc._.facts", "doc._.quantities", "doc._.dates"],
        assigns=["doc._.facts"],
        default_config={"document_date_fallback": True},
        func=_make_counts,
    )
    Language.factory("newskg_incidents", requires=["doc._.facts"], assigns=["doc._.facts"], func=_make_incidents)
    Language.factory("newskg_people", requires=["doc._.facts"], assigns=["doc._.facts"], func=_make_people)
    Language.factory("newskg_tolls", requires=["doc._.facts"], assigns=["doc._.facts"], func=_make_tolls)
    _registered = True


class _FactsInit:
    """The document's facts, empty but for its text and sentences (listed once, after the parser)."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.facts = Facts(text=doc.text, sentences=sentences.spans(doc))
        return doc


def _make_facts(nlp: Language, name: str) -> _FactsInit:
    return _FactsInit()


def _make_gazetteer(nlp: Language, name: str) -> SpanRuler:
    """spaCy's SpanRuler, given the gazetteer's patterns through initialize()."""
    ruler = SpanRuler(nlp, name, spans_key=SPANS_KEY, annotate_ents=False, validate=False)
    ruler.initialize(list, nlp=nlp, patterns=gazetteer.load().patterns())
    return ruler


def _make_entities(nlp: Language, name: str) -> EntityExtractor:
    return EntityExtractor(gazetteer=gazetteer.load())


def _make_crossings(nlp: Language, name: str) -> CrossingLinker:
    return CrossingLinker(gazetteer=gazetteer.load())


def _make_numbers(nlp: Language, name: str) -> NumberFinder:
    return NumberFinder()


def _make_dates(nlp: Language, name: str) -> DateResolver:
    return DateResolver()


def _make_counts(nlp: Language, name: str, *, document_date_fallback: bool) -> CountExtractor:
    return CountExtractor(document_date_fallback=document_date_fallback)


def _make_incidents(nlp: Language, name: str) -> IncidentFinder:
    return IncidentFinder()


def _make_people(nlp: Language, name: str) -> PeopleFinder:
    """The rules, and the model's weights (kg/extractors/data/people.json) read once per process."""
    return PeopleFinder(model=Model.load())


def _make_tolls(nlp: Language, name: str) -> TollDeriver:
    return TollDeriver()


COMPONENTS = (
    "newskg_facts",
    "newskg_gazetteer",
    "newskg_entities",
    "newskg_numbers",
    "newskg_dates",
    "newskg_counts",
    "newskg_incidents",
    "newskg_people",
    "newskg_tolls",
    "newskg_crossings",
)
