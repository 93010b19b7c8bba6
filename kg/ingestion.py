"""From articles to named graphs in the store: read, extract, build triples, write."""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from spacy.language import Language

from kg import events, formats, ontology, pipeline, rdf
from kg.batches import batches
from kg.documents import Article, ReadOptions, read_sources
from kg.errors import RecordError
from kg.keys import doc_iri
from kg.namespaces import ONTOLOGY_GRAPH, entities_graph
from kg.store import KGStore, encode_graph, return_freed_memory, trim_freed_memory
from kg.writer import Writer


@dataclass
class Report:
    documents: int = 0  # written this run
    unchanged: int = 0  # skipped: same content as already stored
    triples: int = 0  # in the document graphs written this run (not the shared graphs, not the ontology)
    seconds: float = 0.0
    errors: list[RecordError] = field(default_factory=list)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def extract(
    nlp: Language, articles: list[Article], base: str, fingerprint: str = "", batch_size: int = 32
) -> list[rdf.DocumentGraph]:
    """The document graphs of `articles`, in order. Pure apart from running the model."""
    docs = pipeline.process(nlp, ((a.text, a.date, a.title) for a in articles), batch_size=batch_size)
    return [rdf.build(article, doc._.facts, base, fingerprint) for article, doc in zip(articles, docs)]


# Worker processes are forked after the model is loaded, so each starts with it in memory
# (copy-on-write) and keeps it for the whole run.
_worker_nlp: Language | None = None
_worker_args: tuple[str, str] = ("", "")  # base, fingerprint


@dataclass(frozen=True)
class Encoded:
    """A document graph ready for the writer: its triples as N-Quads, its shared facts as they are."""

    iri: ox.NamedNode
    nquads: bytes
    shared: list[rdf.Triple]

    @classmethod
    def of(cls, graph: rdf.DocumentGraph) -> Encoded:
        return cls(graph.iri, encode_graph(graph.iri, graph.triples), graph.shared)


# What one chunk of articles becomes: the graphs of those that went through, the errors of the others.
Extracted = tuple[list[Encoded], list[RecordError]]


def extract_safely(nlp: Language, articles: list[Article], base: str, fingerprint: str) -> Extracted:
    """The encoded graphs of `articles`, in order, and an error for each article that failed: too long
    for the pipeline, or any exception while extracting it. One bad article never takes the others down."""
    fits = [a for a in articles if len(a.text) <= nlp.max_length]
    errors = [
        RecordError.at(
            a.source or a.id,
            f"text of {len(a.text):,} characters is over the limit of {nlp.max_length:,} (spaCy's max_length); skipped",
        )
        for a in articles
        if len(a.text) > nlp.max_length
    ]
    try:
        return [Encoded.of(graph) for graph in extract(nlp, fits, base, fingerprint)], errors
    except Exception:
        pass
    graphs = []
    for article in fits:
        try:
            graphs += [Encoded.of(graph) for graph in extract(nlp, [article], base, fingerprint)]
        except Exception as exc:
            errors.append(
                RecordError.at(
                    article.source or article.id, f"extraction failed ({type(exc).__name__}: {exc}); skipped"
                )
            )
    return graphs, errors


def _extract_chunk(articles: list[Article]) -> Extracted:
    assert _worker_nlp is not None
    return extract_safely(_worker_nlp, articles, *_worker_args)


# Text of a corpus the plan keeps for the extraction, rather than reading it again: a small corpus is read
# once (a WARC record's HTML costs trafilatura about 3 ms), a big one is streamed twice in flat memory.
HELD_TEXT = 2 * 2**20


@dataclass
class Plan:
    """What an ingest will extract, read as a stream: the articles whose content the store lacks, the
    last of each id winning as a re-ingest would. Memory grows with the number of ids, not of texts
    (beyond the articles of a corpus of at most HELD_TEXT characters, kept from the first read)."""

    paths: list[Path]
    keep: set[int]  # positions (in read order) of the articles to extract
    unchanged: int
    options: ReadOptions | None = None
    held: list[Article] | None = None  # every article read, when the corpus is small

    def articles(self) -> Iterator[Article]:
        """The articles to extract, in order: held, or read again. Errors were reported by `plan`."""
        read = self.held if self.held is not None else read_sources(self.paths, [], self.options)
        for position, article in enumerate(read):
            if position in self.keep:
                yield article

    def chunks(self, size: int) -> Iterator[list[Article]]:
        """Runs of at most `size` consecutive articles as the readers yield them, whatever the format: a
        range of the records of a big file, or several small files."""
        yield from batches(self.articles(), size)


def plan(
    paths: list[Path],
    stored: dict[str, str],
    base: str,
    fingerprint: str,
    errors: list[RecordError],
    options: ReadOptions | None = None,
) -> Plan:
    """Read `paths` once for ids and content hashes: what to extract (see `Plan`); bad records to `errors`."""
    last: dict[str, tuple[int, bool]] = {}  # id -> (position, changed)
    held: list[Article] | None = []
    text = 0
    for position, article in enumerate(read_sources(paths, errors, options)):
        changed = stored.get(doc_iri(base, article.id).value) != rdf.content_hash(article, fingerprint)
        last[article.id] = (position, changed)
        text += len(article.text)
        if text > HELD_TEXT:
            held = None  # a big corpus: read again
        elif held is not None:
            held.append(article)
    keep = {position for position, changed in last.values() if changed}
    return Plan(paths, keep, len(last) - len(keep), options, held)


def start(
    paths: list[Path], stored: dict[str, str], base: str, model: str | None, options: ReadOptions | None
) -> tuple[Report, str, Plan]:
    """How every ingest begins, local or on a cluster: the extractors' fingerprint, and the plan of what
    to extract against the content hashes `stored`, in a report that counts the unchanged."""
    report = Report()
    fingerprint = pipeline.fingerprint(model)
    todo = plan(paths, stored, base, fingerprint, report.errors, options)
    report.unchanged = todo.unchanged
    return report, fingerprint, todo


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
    writer = Writer.open(store, base)  # first: what a killed run left unfinished goes
    incidents = gather(store, base)
    report, fingerprint, todo = start(paths, {} if force else store.content_hashes(), base, model, read_options)
    if progress:
        progress(0, len(todo.keep))
    done = 0
    for graphs, errors in _graphs(todo, (base, fingerprint), model, workers, nlp) if todo.keep else ():
        report.errors += errors
        done += len(graphs) + len(errors)
        write(writer, graphs, report, incidents)
        if progress:
            progress(done, len(todo.keep))
    writer.flush()
    derive(store, base, incidents)
    store.flush()
    report.seconds = time.perf_counter() - started
    return report


# Documents between two flushes of the store: RocksDB otherwise keeps growing its memtables with the
# store, and the writer's memory with them (528 MB at 2k documents, 990 MB at 5k; 198 MB flushed). What
# the flush frees is handed back to the system then (`trim_freed_memory`): left to the allocator, the
# Dask driver's floor between flushes grew from 348 to 468 MB over a 50k ingest; trimmed, it stays
# between 350 and 385 MB, and each flush hands back some 70 MB. The writer's batch is written first
# (kg.writer: the bulk loader's files bypass the memtables, which hold the marks and the re-ingests).
FLUSH_EVERY = 500


def write(writer: Writer, graphs: Iterable[Encoded], report: Report, incidents: events.Reader | None = None) -> None:
    """Store document graphs through `writer`, in order (the first label of an entity becomes its
    rdfs:label); gather their incidents into `incidents`, if given, for linking. The last of them may
    wait in the writer's batch until its `flush`."""
    return_freed_memory()  # here, not before the workers fork: it would slow their allocations
    for graph in graphs:
        report.triples += writer.add(graph.iri, graph.nquads, graph.shared)
        if incidents is not None:
            incidents.add_graph(graph.iri, ox.parse(graph.nquads, formats.WIRE))
        report.documents += 1
        if report.documents % FLUSH_EVERY == 0:
            writer.flush()
            writer.store.flush()
            trim_freed_memory()


def gather(store: KGStore, base: str) -> events.Reader | None:
    """Where this run's documents are the whole store (it holds nothing yet), their incidents, gathered
    as they are written, so that linking need not read them back; otherwise None."""
    return events.Reader() if store.is_empty() else None


def derive(store: KGStore, base: str, incidents: events.Reader | None = None) -> None:
    """Bring the graphs computed from all documents up to date: the ontology, the shared graph's pruning,
    the events (all linked from `incidents` when `gather` gave them; else re-linked where documents
    changed since the events graph was computed).

    Last, the search index in the store (kg.search), which reads them all.

    Every ingest runs this, even one with nothing new to extract: a run killed before this step left
    them behind its documents, and each step here is safe to run again (it computes the same result)."""
    store.replace_quads(ONTOLOGY_GRAPH, ontology.quads())
    store.prune_shared(entities_graph(base))
    events.link(store.ox, base, incidents, full=False)  # also after a removal: the events graph knows what it saw
    store.sync_search()


def _graphs(
    todo: Plan, args: tuple[str, str], model: str | None, workers: int, nlp: Language | None
) -> Iterable[Extracted]:
    global _worker_nlp, _worker_args
    nlp = nlp or pipeline.load(model)
    if workers <= 1 or len(todo.keep) < 2 * workers:
        for chunk in todo.chunks(64):
            yield extract_safely(nlp, chunk, *args)
        return
    _worker_nlp, _worker_args = nlp, args
    size = max(1, min(16, len(todo.keep) // (workers * 8)))  # small chunks keep both workers busy to the end
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            # a window of chunks in flight, not the whole corpus queued: memory stays flat
            window: deque = deque()
            for chunk in todo.chunks(size):
                window.append(pool.apply_async(_extract_chunk, (chunk,)))
                if len(window) >= 4 * workers:
                    yield window.popleft().get()
            while window:
                yield window.popleft().get()
    finally:
        _worker_nlp = None
