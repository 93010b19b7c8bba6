"""Document graphs written in batches through Oxigraph's bulk loader, as safe after a crash as one
transaction a document.

A document is done when its content-hash mark is in its graph: an ingest skips the documents whose
mark holds their content's hash, and extracts and writes again every other. The bulk loader is not
transactional: killed midway, it leaves any part of what it was given in the store. So a batch goes in
in two writes: first its documents' graphs without their marks and the facts they propose for the
shared graph (`KGStore.bulk_extend`), then the marks, all of them in one small transaction. A crash
leaves each document of the batch with its mark and the whole of the rest, or without its mark; and
`Writer.open` removes the graph of every document without its mark, so that after a crash and before
a re-run a document's graph and mark are there or neither is. Its shared facts may be there in part:
the re-run proposes them again, in the same order, and the same labels win (what was left holds at
most the label that the batch's first proposer gave an entity, and that one proposes it again first).

Within a batch the first-label rule reads the labels given earlier in the batch before the store's, so
a batch writes the shared graph that one document at a time writes.

A document the store holds already (a re-ingest of changed content) is written as it always was, in
`KGStore.write_document`'s transactions, after the batch before it: that is where stale quads go out.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg import config, formats
from kg.keys import doc_iri
from kg.namespaces import entities_graph, nkg, rdfs, skos
from kg.store import KGStore

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class Writer:
    """Stores document graphs in input order, in batches: `add` each, then `flush` (a `with` block
    flushes at its end, unless it ends with an exception)."""

    def __init__(self, store: KGStore, shared_graph: ox.NamedNode, *, batch_size: int | None = None) -> None:
        self.store = store
        self.shared_graph = shared_graph
        # the bulk loader's cost is per call (a storage file per index), so a batch is large: 500
        # documents by default (KG_WRITE_BATCH), some 200 quads each, held as N-Quads until written
        self.batch_size = batch_size or config.settings().write_batch
        self._nquads: list[bytes] = []  # the batch's graphs, without their marks, and their shared facts
        self._marks: list[ox.Quad] = []
        self._documents: set[ox.NamedNode] = set()
        # the entities' rdfs:labels, stored or given in the batch (None: none), read once a batch
        self._labels: dict[object, Term | None] = {}
        # hashes of the graph names the store may hold: a new document needs no look-up (a clash costs
        # one). Look-ups for what is not there slow down with every batch's storage files: a look-up a
        # document and a label, 65.4 CPU s for 10k documents; these and the labels read once a batch, 53.7
        self._graphs = {hash(g.value) for g in store.ox.named_graphs() if isinstance(g, ox.NamedNode)}

    @classmethod
    def open(cls, store: KGStore, base: str, *, batch_size: int | None = None) -> Writer:
        """A writer on `store`, once what a crash left unfinished is gone (`unfinished`)."""
        unfinished(store, base)
        return cls(store, entities_graph(base), batch_size=batch_size)

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if kind is None:
            self.flush()

    def add(self, graph: ox.NamedNode, nquads: bytes, shared: Iterable[ox.Triple]) -> int:
        """Store one document (as `KGStore.write_document` does): its graph, `nquads` (from
        `encode_graph`: one quad a line, all in `graph`); its facts for the shared graph (a label that
        differs from the entity's rdfs:label, given before, becomes a skos:altLabel); and last its
        mark. Returns how many quads its graph holds."""
        key = hash(graph.value)
        if key in self._graphs and (graph in self._documents or self.store.has_graph(graph)):
            self.flush()  # the documents before it are in the store first, as the first-label rule reads it
            quads = list(ox.parse(nquads, formats.WIRE))
            return self.store.write_document(graph, quads, self.shared_graph, shared)
        self._graphs.add(key)
        self._documents.add(graph)
        body, marks = _without_marks(graph, nquads)
        self._nquads.append(body)  # as it came: parsed once, in Rust, by the bulk loader
        self._marks += ox.parse(marks, formats.WIRE)
        facts: list[ox.Quad] = []
        labels: dict[object, Term] = {}
        for triple in shared:
            subject, predicate, obj = triple.subject, triple.predicate, triple.object
            if predicate == rdfs.label:
                existing = self._label(subject)
                if existing is None:
                    labels.setdefault(subject, obj)
                elif existing != obj:
                    predicate = skos.altLabel
            facts.append(ox.Quad(subject, predicate, obj, self.shared_graph))
        self._nquads.append(ox.serialize(facts, format=formats.WIRE) or b"")
        self._labels.update(labels)  # a document's labels count from the next document on, as in the store
        if len(self._documents) >= self.batch_size:
            self.flush()
        return nquads.count(b"\n")

    def _label(self, entity: object) -> Term | None:
        """The entity's rdfs:label in the shared graph: given earlier in this batch, or stored."""
        if entity not in self._labels:
            assert isinstance(entity, (ox.NamedNode, ox.BlankNode, ox.Triple))
            stored = next(iter(self.store.ox.quads_for_pattern(entity, rdfs.label, None, self.shared_graph)), None)
            self._labels[entity] = None if stored is None else stored.object
        return self._labels[entity]

    def flush(self) -> None:
        """Write the batch: its graphs and shared facts in bulk, then its marks in one transaction."""
        if not self._documents:
            return
        self.store.bulk_extend(b"".join(self._nquads))
        self.store.extend(self._marks)
        self._nquads, self._marks = [], []
        self._documents.clear()
        self._labels.clear()


def _without_marks(graph: ox.NamedNode, nquads: bytes) -> tuple[bytes, bytes]:
    """The lines of `nquads` but its content-hash marks (`<graph> nkg:contentHash ...`), and those."""
    start = f"<{graph.value}> <{nkg.contentHash.value}> ".encode()
    body, marks = [], []
    at = 0
    while (found := nquads.find(start, at)) >= 0:
        if found == 0 or nquads[found - 1 : found] == b"\n":  # a line that begins so
            end = nquads.find(b"\n", found) + 1 or len(nquads)
            body.append(nquads[at:found])
            marks.append(nquads[found:end])
            at = end
        else:
            body.append(nquads[at : found + 1])
            at = found + 1
    body.append(nquads[at:])
    return b"".join(body), b"".join(marks)


def unfinished(store: KGStore, base: str) -> list[ox.NamedNode]:
    """Remove what a writer killed midway left: the graph of every document without its mark (which a
    re-run writes again), and the bulk loader's storage files. Returns the graphs removed."""
    store.remove_orphans()
    prefix = doc_iri(base, "").value
    marked = store.content_hashes()
    graphs = sorted(
        (g for g in store.ox.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(prefix)),
        key=lambda g: g.value,
    )
    gone = [g for g in graphs if g.value not in marked]
    for graph in gone:
        store.remove_graph(graph)
    return gone


__all__ = ["Writer", "unfinished"]
