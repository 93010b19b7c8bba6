"""Document graphs written in batches through Oxigraph's bulk loader, as safe after a crash as one
transaction a document.

A document is done when its content-hash mark is in its graph: an ingest skips the documents whose
mark holds their content's hash, and extracts and writes again every other. The bulk loader is not
transactional: killed midway, it leaves any part of what it was given in the store. So a batch goes in
in three writes, and a fourth clears up: the batch's documents are listed in the pending graph
(`namespaces.pending_graph`) in one small transaction; then their graphs without their marks and the
facts they propose for the shared graph (`KGStore.bulk_extend`); then the marks, all of them in one
small transaction; then the list is dropped. A crash leaves each document of the batch with its mark
and the whole of the rest, or listed and without its mark; and `Writer.open` removes the graph of
every listed document without its mark, so that after a crash and before a re-run a document's graph
and mark are there or neither is. A graph no writer listed is never removed (one a user put under
the documents' IRIs through the Graph Store Protocol stays). Its shared facts may be there in part:
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
from kg.namespaces import entities_graph, nkg, pending_graph, rdfs
from kg.store import KGStore, Subject, Term

_PENDING = ox.Literal("")  # a pending document's entry in the pending graph (no hash: it is not done)


class Writer:
    """Stores document graphs in input order, in batches: `add` each, then `flush` (a `with` block
    flushes at its end, unless it ends with an exception)."""

    def __init__(self, store: KGStore, base: str, *, batch_size: int | None = None) -> None:
        self.store = store
        self.shared_graph = entities_graph(base)
        self.pending_graph = pending_graph(base)
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
        return cls(store, base, batch_size=batch_size)

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
        facts = self.store.shared_quads(self.shared_graph, shared, self._label)
        labels: dict[object, Term] = {}
        for quad in facts:  # the labels this document gives first
            if quad.predicate == rdfs.label and self._labels[quad.subject] is None:
                labels.setdefault(quad.subject, quad.object)
        self._nquads.append(ox.serialize(facts, format=formats.WIRE) or b"")
        self._labels.update(labels)  # a document's labels count from the next document on, as in the store
        if len(self._documents) >= self.batch_size:
            self.flush()
        return nquads.count(b"\n")

    def _label(self, entity: Subject) -> Term | None:
        """The entity's rdfs:label in the shared graph: given earlier in this batch, or stored."""
        if entity not in self._labels:
            stored = next(iter(self.store.ox.quads_for_pattern(entity, rdfs.label, None, self.shared_graph)), None)
            self._labels[entity] = None if stored is None else stored.object
        return self._labels[entity]

    def flush(self) -> None:
        """Write the batch: its documents listed as pending, their graphs and shared facts in bulk, their
        marks in one transaction, and the list dropped."""
        if not self._documents:
            return
        self.store.extend([ox.Quad(d, nkg.contentHash, _PENDING, self.pending_graph) for d in self._documents])
        self.store.bulk_extend(b"".join(self._nquads))
        self.store.extend(self._marks)
        self.store.remove_graph(self.pending_graph)
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
    """Remove what a writer killed midway left: the graph of every document it listed as pending and
    did not mark (which a re-run writes again), the list, and the bulk loader's storage files. Returns
    the graphs removed."""
    store.remove_orphans()
    pending = pending_graph(base)
    listed = {q.subject for q in store.ox.quads_for_pattern(None, None, None, pending)}
    if not listed:
        return []
    marked = store.content_hashes()
    gone = sorted((g for g in listed if isinstance(g, ox.NamedNode) and g.value not in marked), key=lambda g: g.value)
    for graph in gone:
        store.remove_graph(graph)
    store.remove_graph(pending)
    return gone


__all__ = ["Writer", "unfinished"]
