"""From articles to named graphs in the store: read, extract, build triples, write."""
from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef
from spacy.language import Language

from kg import events, ontology, pipeline, rdf
from kg.documents import Article, ReadOptions, read_sources
from kg.errors import RecordError
from kg.store import KGStore, encode_graph


@dataclass
class Report:
    documents: int = 0  # written this run
    unchanged: int = 0  # skipped: same content as already stored
    triples: int = 0
    seconds: float = 0.0
    errors: list[RecordError] = field(default_factory=list)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def extract(nlp: Language, articles: list[Article], base: str, fingerprint: str = "",
            batch_size: int = 32) -> list[rdf.DocumentGraph]:
    """The document graphs of `articles`, in order. Pure apart from running the model."""
    docs = pipeline.process(nlp, ((a.text, a.date, a.title) for a in articles), batch_size=batch_size)
    return [rdf.build(article, doc._.facts, base, fingerprint) for article, doc in zip(articles, docs)]


# Worker processes are forked after the model is loaded, so each starts with it in memory
# (copy-on-write) and keeps it for the whole run.
_worker_nlp: Language | None = None
_worker_args: tuple[str, str] = ("", "")  # base, fingerprint


@dataclass(frozen=True)
class _Encoded:
    """A document graph ready for the writer: its triples as N-Quads, its shared facts as they are."""

    iri: URIRef
    nquads: bytes
    shared: list[rdf.Triple]

    @classmethod
    def of(cls, graph: rdf.DocumentGraph) -> _Encoded:
        return cls(graph.iri, encode_graph(graph.iri, graph.triples), graph.shared)


def _extract_chunk(articles: list[Article]) -> list[_Encoded]:
    assert _worker_nlp is not None
    return [_Encoded.of(graph) for graph in extract(_worker_nlp, articles, *_worker_args)]


def _chunks(items: list[Article], size: int) -> Iterator[list[Article]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def ingest(
    paths: list[Path],
    store: KGStore,
    base: str,
    *,
    model: str | None = None,
    workers: int = 1,
    force: bool = False,
    nlp: Language | None = None,
    progress: Callable[[int, int], None] | None = None,
    read_options: ReadOptions | None = None,
) -> Report:
    """Ingest every article under `paths`. Unchanged documents are skipped unless `force`."""
    started = time.perf_counter()
    report = Report()
    articles = _dedupe(read_sources(paths, report.errors, read_options))
    stored = {} if force else store.content_hashes()
    fingerprint = pipeline.fingerprint(model)
    todo = [a for a in articles if stored.get(str(rdf.doc_iri(base, a.id))) != rdf.content_hash(a, fingerprint)]
    report.unchanged = len(articles) - len(todo)
    if progress:
        progress(0, len(todo))
    ontology.load_into(store.ox)
    if todo:
        for graph in _graphs(todo, (base, fingerprint), model, workers, nlp):
            report.triples += store.replace_graph_nquads(graph.iri, graph.nquads)
            store.merge_shared(rdf.entities_graph(base), graph.shared)
            report.documents += 1
            if progress:
                progress(report.documents, len(todo))
        store.prune_shared(rdf.entities_graph(base))
    events.link(store.ox, base)  # always, over every document: also after a removal, or a run that crashed
    store.flush()
    report.seconds = time.perf_counter() - started
    return report


def _graphs(todo: list[Article], args: tuple[str, str], model: str | None, workers: int,
            nlp: Language | None) -> Iterable[_Encoded]:
    global _worker_nlp, _worker_args
    nlp = nlp or pipeline.load(model)
    if workers <= 1 or len(todo) < 2 * workers:
        for chunk in _chunks(todo, 64):
            yield from map(_Encoded.of, extract(nlp, chunk, *args))
        return
    _worker_nlp, _worker_args = nlp, args
    size = max(1, min(16, len(todo) // (workers * 8)))  # small chunks keep both workers busy to the end
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            for graphs in pool.imap(_extract_chunk, _chunks(todo, size)):
                yield from graphs
    finally:
        _worker_nlp = None


def _dedupe(articles: Iterable[Article]) -> list[Article]:
    """The last article of each id wins, as a re-ingest would (kg.documents.report_duplicates has reported
    each earlier one as skipped)."""
    by_id: dict[str, Article] = {}
    for article in articles:
        by_id.pop(article.id, None)
        by_id[article.id] = article
    return list(by_id.values())
