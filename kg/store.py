"""The graph on disk: an rdflib Dataset over an Oxigraph store.

rdflib is the interface users know; the bulk paths (writing a document's graph, exporting,
loading) go to the pyoxigraph store underneath, which streams in Rust.
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset

from kg import config, formats, search
from kg.errors import StoreError
from kg.namespaces import DEFAULT_BASE, GEO, NKG, PREFIXES, RDF, RDFS, SKOS

Subject = ox.NamedNode | ox.BlankNode | ox.Triple
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
LabelOf = Callable[[Subject], Term | None]  # an entity's rdfs:label in the shared graph, None without one


@functools.cache
def return_freed_memory() -> None:
    """Have the C allocator hand large blocks back to the system as soon as they are freed (glibc's
    `mallopt`; elsewhere nothing), in a process that writes many documents.

    RocksDB builds its memtables in 1 MB blocks and frees them at every flush. glibc raises its mmap
    threshold the first time such a block is freed, and from then on takes them from the heap, which a
    long ingest fragments: the writer grew by 7 MB every 1,000 documents (330 to 402 MB over 10,000,
    peak 453). With the threshold held at 1 MB the blocks are mapped and unmapped: 310 to 357 MB,
    peak 400. (At glibc's initial 128 KB the writer did as well, but a process that went on working
    after it, as the test suite's do, spent 20% more CPU mapping its smaller arrays.)"""
    libc = _glibc()
    if libc is not None:
        m_mmap_threshold = -3  # <malloc.h>
        libc.mallopt(m_mmap_threshold, 1024 * 1024)


def trim_freed_memory() -> None:
    """Hand back to the system the heap pages that are free now, in every thread's arena (glibc's
    `malloc_trim`; elsewhere nothing). glibc keeps what is freed for later allocations, and what a thread
    frees in that thread's arena, where the main thread never reuses it: call this where much was just
    freed (a flush of the store's memtables, a cluster's threads done)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def encode_graph(graph: ox.NamedNode, triples: Iterable[ox.Triple]) -> bytes:
    """The distinct triples as N-Quads in `graph`: how a document's graph travels from an extraction
    worker to the writing process (Oxigraph writes and parses it in Rust, far cheaper than pickling
    terms)."""
    quads = {ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples}
    return ox.serialize(quads, format=formats.WIRE) or b""


def is_store(path: Path) -> bool:
    """Whether `path` holds an Oxigraph (RocksDB) store."""
    return (path / "CURRENT").is_file()


def require_store(path: Path) -> None:
    """StoreError unless `path` holds a store: a command that only reads never creates an empty one."""
    if not is_store(path):
        raise StoreError(
            f"No store at {str(path)!r}: `kg ingest` or `kg load` creates one (or pass --store, or set KG_STORE)."
        )


def open_ox(path: Path | None, *, create: bool = True) -> ox.Store:
    """The Oxigraph store at `path` (created when missing if `create`), or an in-memory one for None."""
    if path is None:
        return ox.Store()
    if not create:
        require_store(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"Cannot open store {str(path)!r}: {exc}") from None


class KGStore:
    """A newskg store: `dataset` for rdflib users, `ox` for the fast paths."""

    def __init__(self, path: Path | None = None, *, ox_store: ox.Store | None = None, create: bool = True) -> None:
        self.path = path
        self.ox = ox_store if ox_store is not None else open_ox(path, create=create)
        self.dataset = Dataset(store=OxigraphStore(store=self.ox), default_union=True)
        self._writes = 0
        self._kill_at = config.kill_at_write()

    # writing --------------------------------------------------------------------------------
    # Every write is one Oxigraph transaction, and each goes through `_write` first: that is where the
    # crash tests' fault injection (KG_KILL_AT_WRITE) stops the process between two of them.
    def _write(self) -> None:
        self._writes += 1
        if self._writes == self._kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def sync_search(self) -> None:
        """Bring the full-text index in the store's directory (kg.search) in step with the store: a write
        point of its own, so that the crash tests kill a run just before it too. A store in memory has none."""
        if self.path is None:
            return
        self._write()
        search.sync(self.ox, search.index_of(self.path))

    def replace_graph(self, graph: ox.NamedNode, triples: Iterable[ox.Triple]) -> int:
        """Make `graph` hold exactly `triples`; returns how many distinct triples it holds."""
        return self.replace_graph_nquads(graph, encode_graph(graph, triples))

    def replace_graph_nquads(self, graph: ox.NamedNode, nquads: bytes) -> int:
        """Make `graph` hold exactly the quads of `nquads` (from `encode_graph`)."""
        quads = list(ox.parse(nquads, formats.WIRE))
        self.replace_quads(graph, quads)
        return len(quads)

    def replace_quads(self, name: ox.NamedNode, quads: list[ox.Quad]) -> None:
        """Make graph `name` hold exactly `quads` (which are in it). The new quads go in before the stale
        ones go out, so a crash in between leaves the graph holding both, never neither."""
        quads = _as_stored(quads)
        old = set(self.ox.quads_for_pattern(None, None, None, name))
        new = [q for q in quads if q not in old]
        if new:
            self._write()
            self.ox.extend(new)
        self._remove(old.difference(quads))

    def write_document(
        self, graph: ox.NamedNode, quads: list[ox.Quad], shared_graph: ox.NamedNode, shared: Iterable[ox.Triple]
    ) -> int:
        """Store one document: its graph (`quads`, all in `graph`), its facts for the shared graph, and
        last its content hash, the mark that a later ingest skips it by.

        A new document is one transaction. A document stored before keeps its old graph until the new
        one is in: its old mark goes first, then the new quads and shared facts go in, the stale quads
        go out, and the new mark comes last. A crash at any point leaves a document without a mark, or
        with the whole of it, so the next ingest finishes the work. Returns the quads of the graph."""
        name = graph
        shared_quads = self.shared_quads(shared_graph, shared)
        if next(iter(self.ox.quads_for_pattern(None, None, None, name)), None) is None:  # a new document
            self._write()
            self.ox.extend(quads + shared_quads)
            return len(quads)
        quads = _as_stored(quads)
        is_mark = _mark_of(name)
        marks = [q for q in quads if is_mark(q)]
        body = [q for q in quads if not is_mark(q)]
        old = set(self.ox.quads_for_pattern(None, None, None, name))
        new = [q for q in body if q not in old] + [q for q in shared_quads if q not in self.ox]
        stale = [q for q in old.difference(quads) if not is_mark(q)]
        old_marks = [q for q in old if is_mark(q)]
        if new or stale:
            self._remove(old_marks)  # the document is not done until its mark is back
            old_marks = []
        if new:
            self._write()
            self.ox.extend(new)
        self._remove(stale)
        self._remove(q for q in old_marks if q not in marks)
        if any(q not in old_marks for q in marks):
            self._write()
            self.ox.extend(marks)
        return len(quads)

    def _remove(self, quads: Iterable[ox.Quad]) -> None:
        """Remove `quads`, in one transaction unless there are blank nodes (which DELETE DATA cannot name)."""
        quads = list(quads)
        if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object, q.graph_name)):
            for quad in quads:
                self._write()
                self.ox.remove(quad)
            return
        data = " ".join(
            f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
            if isinstance(q.graph_name, (ox.NamedNode, ox.BlankNode))
            else f"{q.subject} {q.predicate} {q.object} ."
            for q in quads
        )
        if data:
            self._write()
            self.ox.update(f"DELETE DATA {{ {data} }}")

    def bulk_extend(self, nquads: bytes) -> None:
        """Oxigraph's bulk loader on the quads of `nquads` (from `encode_graph` or `ox.serialize`): far
        cheaper a quad than `extend`, and not one transaction (killed midway, any part of them is in the
        store; see kg.writer). They are not checked again (`lenient`): they were terms before."""
        self._write()
        self.ox.bulk_load(nquads, formats.WIRE, lenient=True)

    def extend(self, quads: list[ox.Quad]) -> None:
        """Add `quads` in one transaction."""
        if quads:
            self._write()
            self.ox.extend(quads)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        """Remove `graph` and every quad in it, in one transaction."""
        self._write()
        self.ox.remove_graph(graph)

    def has_graph(self, graph: ox.NamedNode) -> bool:
        """Whether some quad is in `graph` (one look-up)."""
        return next(iter(self.ox.quads_for_pattern(None, None, None, graph)), None) is not None

    def bulk_load(self, path: Path, fmt: ox.RdfFormat, to_graph: ox.NamedNode | None = None) -> None:
        """Oxigraph's bulk loader: fast, and not one transaction (see kg.load)."""
        self._write()
        self.ox.bulk_load(path=path, format=fmt, to_graph=to_graph)

    def merge_shared(self, graph: ox.NamedNode, triples: Iterable[ox.Triple]) -> None:
        """Add facts to the shared graph; a second, different rdfs:label becomes a skos:altLabel."""
        quads = self.shared_quads(graph, triples)
        self._write()
        self.ox.extend(quads)

    def shared_quads(
        self, graph: ox.NamedNode, triples: Iterable[ox.Triple], label_of: LabelOf | None = None
    ) -> list[ox.Quad]:
        """The quads that merge `triples` into the shared graph: a label that differs from the entity's
        rdfs:label there (or `label_of`'s, for a writer that knows labels the store has not yet) becomes
        a skos:altLabel."""
        name = graph
        label, alt = ox.NamedNode(RDFS.label), ox.NamedNode(SKOS.altLabel)
        if label_of is None:

            def label_of(subject: Subject) -> Term | None:
                stored = next(iter(self.ox.quads_for_pattern(subject, label, None, name)), None)
                return None if stored is None else stored.object

        quads = []
        for triple in triples:
            subject, predicate, obj = triple.subject, triple.predicate, triple.object
            if predicate == label:
                existing = label_of(subject)
                if existing is not None and existing != obj:
                    predicate = alt
            quads.append(ox.Quad(subject, predicate, obj, name))
        return quads

    def prune_shared(self, graph: ox.NamedNode) -> None:
        """Drop shared facts about entities that no document mentions any more (after re-ingests).

        A subject lives while some other graph has a triple about it; a geometry node lives with
        its entity. One index look-up per subject: a SPARQL NOT EXISTS took seconds here."""
        name = graph
        quads = list(self.ox.quads_for_pattern(None, None, None, name))
        has_geometry = ox.NamedNode(GEO.hasGeometry)
        owner = {q.object: q.subject for q in quads if q.predicate == has_geometry}
        live: dict[ox.NamedNode | ox.BlankNode | ox.Triple, bool] = {}

        def used(subject: ox.NamedNode | ox.BlankNode | ox.Triple) -> bool:
            if subject not in live:
                live[subject] = any(q.graph_name != name for q in self.ox.quads_for_pattern(subject, None, None))
            return live[subject]

        # a place lives while a live place lies in it (Illinois, for a document about Chicago)
        within = ox.NamedNode(GEO.sfWithin)
        containers = {q.object for q in quads if q.predicate == within and used(q.subject)}
        self._remove(
            q
            for q in quads
            if owner.get(q.subject, q.subject) not in containers and not used(owner.get(q.subject, q.subject))
        )

    def content_hashes(self) -> dict[str, str]:
        """Document IRI -> content hash of what was ingested."""
        predicate = ox.NamedNode(NKG.contentHash)
        return {
            q.subject.value: q.object.value
            for q in self.ox.quads_for_pattern(None, predicate, None)
            if q.graph_name == q.subject and isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)
        }

    def flush(self) -> None:
        self.ox.flush()

    def remove_orphans(self) -> list[Path]:
        """Delete the storage files a bulk load killed midway left beside the database (Oxigraph's
        `bulk-*.sst`, which the database never took in). Safe only while this process holds the store."""
        if self.path is None:
            return []
        orphans = sorted(self.path.glob("bulk-*.sst"))
        for orphan in orphans:
            orphan.unlink(missing_ok=True)
        return orphans

    # reading --------------------------------------------------------------------------------
    def documents(self) -> list[str]:
        doc = ox.NamedNode(NKG.Document)
        return sorted(
            {
                q.subject.value
                for q in self.ox.quads_for_pattern(None, ox.NamedNode(RDF.type), doc)
                if q.graph_name == q.subject and isinstance(q.subject, ox.NamedNode)
            }
        )

    def __len__(self) -> int:
        return len(self.ox)

    def is_empty(self) -> bool:
        """No quad in any graph (one look-up; `len` counts them all)."""
        return next(iter(self.ox.quads_for_pattern(None, None, None)), None) is None

    def export(
        self,
        output: IO[bytes],
        fmt: ox.RdfFormat | str,
        graph: ox.NamedNode | None = None,
        union: bool = True,
        *,
        base: str = DEFAULT_BASE,
    ) -> None:
        """Stream the store (or one graph) to `output` without building it in Python memory.

        Blank nodes go out as skolem IRIs `{base}genid/{id}`, so that loading an export twice adds nothing.
        """
        fmt = fmt if isinstance(fmt, ox.RdfFormat) else formats.rdf_format(fmt)
        name = graph
        items: Iterable[ox.Quad | ox.Triple]
        if fmt.supports_datasets:  # the quads keep their graph name
            items = self.ox.quads_for_pattern(None, None, None, name)
        elif graph is None and union:
            items = self._union_triples()
        else:
            items = (q.triple for q in self.ox.quads_for_pattern(None, None, None, name or ox.DefaultGraph()))
        if self._has_blank_nodes():
            items = _skolemized(items, f"{base}genid/")
        elif fmt.supports_datasets and graph is None:
            self.ox.dump(output, fmt, prefixes=PREFIXES)  # the whole dataset, all in Rust
            return
        # all quads or all triples, as the format asks: the branches above never mix them
        ox.serialize(cast("Iterable[ox.Quad]", items), output, fmt, prefixes=PREFIXES)

    def _has_blank_nodes(self) -> bool:
        return bool(
            self.ox.query("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } FILTER(isBlank(?s) || isBlank(?o)) }")
        )

    def _union_triples(self) -> Iterator[ox.Triple]:
        # CONSTRUCT results are a set: Oxigraph removes the duplicates across graphs in Rust.
        triples = self.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        assert isinstance(triples, ox.QueryTriples)
        yield from triples

    def close(self) -> None:
        """Flush, and let go of the Oxigraph store: its lock is free for the next opener, in any process."""
        self.ox.flush()
        del self.dataset, self.ox


def _as_stored(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """`quads` as the store gives them back (Oxigraph keeps `"0"^^xsd:nonNegativeInteger` as an
    xsd:integer, for one), so that comparing them with what is stored finds what changed."""
    canonical = ox.Store()
    canonical.extend(quads)
    return list(canonical)


def _mark_of(graph: ox.NamedNode):
    predicate = ox.NamedNode(NKG.contentHash)
    return lambda quad: quad.predicate == predicate and quad.subject == graph


def _skolemized(items: Iterable[ox.Quad | ox.Triple], prefix: str) -> Iterator[ox.Quad | ox.Triple]:
    def skolem(term):
        return ox.NamedNode(prefix + term.value) if isinstance(term, ox.BlankNode) else term

    for item in items:
        if isinstance(item, ox.Quad):
            yield ox.Quad(skolem(item.subject), item.predicate, skolem(item.object), skolem(item.graph_name))
        else:
            yield ox.Triple(skolem(item.subject), item.predicate, skolem(item.object))


__all__ = ["KGStore", "is_store", "open_ox", "require_store"]
