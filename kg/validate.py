"""Checking a store against the SHACL shapes of ontology/shapes.ttl with pySHACL.

Documents are validated in batches (memory stays bounded on large stores): each batch is the
batch's document graphs plus every rdf:type and rdfs:label that any other graph gives their
subjects, so a label counted "across the union" is checked exactly. The ontology is mixed in so
class targets reach subclasses (nkg:Person is an nkg:Actor).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg import formats, ontology
from kg.batches import batches
from kg.store import KGStore

_GRAPHS_QUERY = "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
# the types and labels that other graphs (the shared entities graph, other documents) give these nodes
_ELSEWHERE_QUERY = """
CONSTRUCT {{ ?n ?tp ?t }} WHERE {{
  {{ SELECT DISTINCT ?n ?g WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?n ?x ?y }} }} }}
  VALUES ?tp {{ <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2000/01/rdf-schema#label> }}
  GRAPH ?h {{ ?n ?tp ?t }} FILTER(?h != ?g)
}}"""


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{self.focus}{where}: {self.message}{value}"


@dataclass
class ValidationReport:
    documents: int = 0
    triples: int = 0
    seconds: float = 0.0
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations


@cache
def _shapes() -> Graph:
    return _parse(ontology.shapes_file())


@cache
def _ontology() -> Graph:
    return _parse(ontology.ontology_file())


def _parse(path: Path) -> Graph:
    """An RDF file as an rdflib graph (rdflib knows the formats by their media types)."""
    return Graph().parse(path, format=formats.file_format(path).media_type)


def validate_graph(data: Graph) -> list[Violation]:
    """The violations of `data` against the shapes (empty when it conforms)."""
    _, results, _ = shacl_validate(
        data, shacl_graph=_shapes(), ont_graph=_ontology(), inference="none", advanced=False, allow_warnings=False
    )
    found = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        one = partial(_value, results, result)
        found.append(
            Violation(
                one(SH.focusNode) or "?", one(SH.resultPath), one(SH.value), one(SH.resultMessage) or "violates a shape"
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.path or "", v.message))


def _value(results: Graph, subject: Node, prop: URIRef) -> str | None:
    node = results.value(subject, prop)
    return None if node is None else str(node)


def rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    """pyoxigraph triples as an rdflib graph, for pySHACL: written as N-Triples by Oxigraph, parsed in one go."""
    data = Graph()
    data.parse(data=ox.serialize(triples, format=formats.LINES), format=formats.RDF.row(formats.LINES).media_type)
    return data


def batch_graph(store: KGStore, documents: list[str]) -> Graph:
    """The document graphs and the types and labels of their nodes from any graph, as one rdflib graph."""
    graphs = " ".join(f"<{d}>" for d in documents)
    found: list[ox.Triple] = []
    for query in (_GRAPHS_QUERY, _ELSEWHERE_QUERY):
        found += store.ox.query(query.format(graphs=graphs))  # type: ignore[arg-type]  # CONSTRUCT: triples
    return rdflib_graph(found)


def validate_store(
    store: KGStore, *, batch: int = 50, progress: Callable[[int, int], None] | None = None
) -> ValidationReport:
    """Validate every document graph of `store` (with the shared facts about its nodes)."""
    if batch < 1:
        raise ValueError(f"Batch size {batch!r} is not a positive number of documents.")
    started = time.perf_counter()
    report = ValidationReport()
    documents = store.documents()
    for chunk in batches(documents, batch):
        data = batch_graph(store, chunk)
        report.triples += len(data)
        report.violations += validate_graph(data)
        report.documents += len(chunk)
        if progress:
            progress(report.documents, len(documents))
    report.seconds = time.perf_counter() - started
    return report


__all__ = ["ValidationReport", "Violation", "batch_graph", "rdflib_graph", "validate_graph", "validate_store"]
