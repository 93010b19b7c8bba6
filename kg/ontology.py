"""The ontology and SHACL shapes files, and the named graph that carries the ontology in the store.

SPARQL users see the concept schemes (casualty types, qualifiers, crossing states) and the class
hierarchy in the graph `kg.namespaces.ONTOLOGY_GRAPH`, which every ingest brings up to date.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg import formats
from kg.namespaces import ONTOLOGY_GRAPH
from kg.queries import resource_dir


def ontology_file() -> Path:
    """ontology/newskg.ttl, from the wheel or the checkout."""
    return resource_dir("ontology") / "newskg.ttl"


def shapes_file() -> Path:
    return resource_dir("ontology") / "shapes.ttl"


def quads() -> list[ox.Quad]:
    """The ontology file's triples in `ONTOLOGY_GRAPH`, as every ingest makes the store hold them."""
    return [
        ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH)
        for t in ox.parse(path=str(ontology_file()), format=formats.file_format(ontology_file()))
    ]
