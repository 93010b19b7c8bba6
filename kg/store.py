"""The graph on disk: an rdflib Dataset over an Oxigraph store.

rdflib is the interface users know; the bulk paths (writing a document's graph, exporting,
loading) go to the pyoxigraph store underneath, which streams in Rust.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import to_ox
from rdflib import Dataset, URIRef
from rdflib.term import Node

from kg.errors import StoreError
from kg.namespaces import DEFAULT_BASE, GEO, NKG, PREFIXES, RDF, RDFS, SKOS

FORMATS: dict[str, ox.RdfFormat] = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
QUAD_FORMATS = {"nquads", "trig", "jsonld"}


def encode_graph(graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """The distinct triples as N-Quads in `graph`: how a document's graph travels from an extraction
    worker to the writing process (Oxigraph writes and parses it in Rust, far cheaper than pickling
    rdflib terms)."""
    name = to_ox(graph)
    quads = {ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in triples}
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def open_ox(path: Path | None) -> ox.Store:
    """The Oxigraph store at `path` (created when missing), or an in-memory one for None."""
    if path is None:
        return ox.Store()
    try:
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"Cannot open store {str(path)!r}: {exc}") from None


class KGStore:
    """A newskg store: `dataset` for rdflib users, `ox` for the fast paths."""

    def __init__(self, path: Path | None = None, *, ox_store: ox.Store | None = None) -> None:
        self.path = path
        self.ox = ox_store if ox_store is not None else open_ox(path)
        self.dataset = Dataset(store=OxigraphStore(store=self.ox), default_union=True)

    # writing --------------------------------------------------------------------------------
    def replace_graph(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> int:
        """Make `graph` hold exactly `triples`; returns how many distinct triples it holds."""
        return self.replace_graph_nquads(graph, encode_graph(graph, triples))

    def replace_graph_nquads(self, graph: URIRef, nquads: bytes) -> int:
        """Make `graph` hold exactly the quads of `nquads` (from `encode_graph`)."""
        name = to_ox(graph)
        quads = list(ox.parse(nquads, ox.RdfFormat.N_QUADS))
        if self.ox.contains_named_graph(name):
            self.ox.remove_graph(name)
        self.ox.extend(quads)
        return len(quads)

    def merge_shared(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Add facts to the shared graph; a second, different rdfs:label becomes a skos:altLabel."""
        name = to_ox(graph)
        label, alt = to_ox(RDFS.label), to_ox(SKOS.altLabel)
        quads = []
        for s, p, o in triples:
            subject, predicate, obj = to_ox(s), to_ox(p), to_ox(o)
            if predicate == label:
                existing = next(iter(self.ox.quads_for_pattern(subject, label, None, name)), None)
                if existing is not None and existing.object != obj:
                    predicate = alt
            quads.append(ox.Quad(subject, predicate, obj, name))
        self.ox.extend(quads)

    def prune_shared(self, graph: URIRef) -> None:
        """Drop shared facts about entities that no document mentions any more (after re-ingests).

        A subject lives while some other graph has a triple about it; a geometry node lives with
        its entity. One index look-up per subject: a SPARQL NOT EXISTS took seconds here."""
        name = to_ox(graph)
        quads = list(self.ox.quads_for_pattern(None, None, None, name))
        has_geometry = to_ox(GEO.hasGeometry)
        owner = {q.object: q.subject for q in quads if q.predicate == has_geometry}
        live: dict[ox.NamedNode | ox.BlankNode, bool] = {}

        def used(subject: ox.NamedNode | ox.BlankNode) -> bool:
            if subject not in live:
                live[subject] = any(q.graph_name != name for q in self.ox.quads_for_pattern(subject, None, None))
            return live[subject]

        for quad in quads:
            if not used(owner.get(quad.subject, quad.subject)):
                self.ox.remove(quad)

    def content_hashes(self) -> dict[str, str]:
        """Document IRI -> content hash of what was ingested."""
        predicate = to_ox(NKG.contentHash)
        return {q.subject.value: q.object.value for q in self.ox.quads_for_pattern(None, predicate, None)
                if q.graph_name == q.subject}

    def flush(self) -> None:
        self.ox.flush()

    # reading --------------------------------------------------------------------------------
    def documents(self) -> list[str]:
        doc = to_ox(NKG.Document)
        return sorted({q.subject.value for q in self.ox.quads_for_pattern(None, to_ox(RDF.type), doc)
                       if q.graph_name == q.subject})

    def __len__(self) -> int:
        return len(self.ox)

    def export(self, output: IO[bytes], fmt: str, graph: URIRef | None = None, union: bool = True, *,
               base: str = DEFAULT_BASE) -> None:
        """Stream the store (or one graph) to `output` without building it in Python memory.

        Blank nodes go out as skolem IRIs `{base}genid/{id}`, so that loading an export twice adds nothing.
        """
        rdf_format = FORMATS[fmt]
        name = to_ox(graph) if graph is not None else None
        items: Iterable[ox.Quad] | Iterable[ox.Triple]
        if fmt in QUAD_FORMATS:  # the quads keep their graph name
            items = self.ox.quads_for_pattern(None, None, None, name)
        elif graph is None and union:
            items = self._union_triples()
        else:
            items = (q.triple for q in self.ox.quads_for_pattern(None, None, None, name or ox.DefaultGraph()))
        if self._has_blank_nodes():
            items = _skolemized(items, f"{base}genid/")
        elif fmt in QUAD_FORMATS and graph is None:
            self.ox.dump(output, rdf_format, prefixes=PREFIXES)  # the whole dataset, all in Rust
            return
        ox.serialize(items, output, rdf_format, prefixes=PREFIXES)

    def _has_blank_nodes(self) -> bool:
        return bool(self.ox.query("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } "
                                  "FILTER(isBlank(?s) || isBlank(?o)) }"))

    def _union_triples(self) -> Iterator[ox.Triple]:
        # CONSTRUCT results are a set: Oxigraph removes the duplicates across graphs in Rust.
        yield from self.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")

    def close(self) -> None:
        """Flush, and let go of the Oxigraph store: its lock is free for the next opener, in any process."""
        self.ox.flush()
        del self.dataset, self.ox


def _skolemized(items: Iterable[ox.Quad] | Iterable[ox.Triple], prefix: str) -> Iterator[ox.Quad | ox.Triple]:
    def skolem(term):
        return ox.NamedNode(prefix + term.value) if isinstance(term, ox.BlankNode) else term

    for item in items:
        if isinstance(item, ox.Quad):
            yield ox.Quad(skolem(item.subject), item.predicate, skolem(item.object), skolem(item.graph_name))
        else:
            yield ox.Triple(skolem(item.subject), item.predicate, skolem(item.object))


__all__ = ["KGStore", "FORMATS", "QUAD_FORMATS", "open_ox"]
