"""One sentence lookup (kg.extractors.sentences): spaCy's sentences listed once per document, and each
mention's sentence in the graph (nif:sentence), with the real model."""
from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest

from kg import pipeline, rdf
from kg.documents import Article
from kg.extractors import sentences
from kg.namespaces import DEFAULT_BASE, nif, nkg, rdf as rdf_ns

TEXT = ("Gunmen kill 3 in Kabul\n\n"
        "KABUL, Afghanistan (AP) — Gunmen killed three people at a market in Kabul on Monday, Dr. Ali Khan said. "
        "A guard was also wounded.\n\n"
        "The Taliban denied it. Police in Kabul said two attackers died.\n")


@pytest.fixture(scope="module")
def doc(nlp):
    return next(pipeline.process(nlp, [(TEXT, dt.date(2024, 3, 4))]))


@pytest.fixture(scope="module")
def triples(doc) -> set[tuple]:
    graph = rdf.build(Article(id="kabul", text=TEXT), doc._.facts, DEFAULT_BASE)
    return {(t.subject, t.predicate, t.object) for t in graph.triples}


def test_the_sentence_of_a_token_is_spacys(doc) -> None:
    assert [(s.start, s.end) for s in sentences.all_of(doc)] == [(s.start, s.end) for s in doc.sents]
    for token in doc:
        found = sentences.sentence_of(token)
        assert (found.start, found.end) == (token.sent.start, token.sent.end)
        assert sentences.index_at(doc, token.idx) == sum(1 for s in doc.sents if s.end_char <= token.idx)
    assert doc._.sentences is sentences.sentences(doc)  # listed once, by the first of our components


def test_the_facts_keep_the_sentences_trimmed(doc) -> None:
    spans = doc._.facts.sentences
    assert spans and all(s.text == TEXT[s.begin:s.end] == s.text.strip() for s in spans)
    assert [s.text for s in spans] == [s.text.strip() for s in doc.sents if s.text.strip()]


def _bounds(triples: set[tuple], node: ox.NamedNode) -> tuple[int, int]:
    values = {p: int(o.value) for s, p, o in triples if s == node and p in (nif.beginIndex, nif.endIndex)}
    return values[nif.beginIndex], values[nif.endIndex]


def test_every_mention_lies_in_its_spacy_sentence(doc, triples) -> None:
    spacy_sentences = {(s.start_char, s.start_char + len(s.text.rstrip())) for s in doc.sents}
    links = {(s, o) for s, p, o in triples if p == nif.sentence}
    entity_mentions = {o for s, p, o in triples if p == nkg.mention}
    whole = {s for s, p, o in triples if (p, o) == (rdf_ns.type, nif.Sentence)}  # an incident's sentence
    assert entity_mentions and entity_mentions <= {m for m, _ in links} | whole
    for mention, sentence in links:
        begin, end = _bounds(triples, mention)
        start, stop = _bounds(triples, sentence)
        assert (start, stop) in spacy_sentences
        assert start <= begin and TEXT[begin:end].rstrip() == TEXT[begin:end][: stop - begin].rstrip()
        assert (sentence, rdf_ns.type, nif.Sentence) in triples
        assert doc.char_span(begin, end, alignment_mode="expand")[0].sent.start_char == start  # spaCy's


def test_a_counts_sentence_is_its_mentions_sentence(triples) -> None:
    counts = {s for s, p, o in triples if (p, o) == (rdf_ns.type, nkg.CasualtyCount)}
    assert counts
    for count in counts:
        (mention,) = {o for s, p, o in triples if s == count and p == nkg.mention}
        (sentence,) = {o for s, p, o in triples if s == count and p == nkg.sentence}
        if (sentence, rdf_ns.type, nif.Sentence) in triples:  # not a total of parts stated in two sentences
            assert (mention, nif.sentence, sentence) in triples
