"""The ontology and SHACL shapes files, and the named graph that carries the ontology in the store.

SPARQL users see the concept schemes (casualty types, qualifiers, crossing states) and the class
hierarchy in the graph `ONTOLOGY_GRAPH`, which every ingest brings up to date.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.queries import resource_dir

ONTOLOGY_GRAPH = "https://w3id.org/newskg/ontology"


def ontology_file() -> Path:
    return resource_dir("ontology") / "newskg.ttl"


def shapes_file() -> Path:
    return resource_dir("ontology") / "shapes.ttl"


def load_into(store: ox.Store) -> None:
    """Make `ONTOLOGY_GRAPH` in `store` hold exactly the ontology file."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    if store.contains_named_graph(graph):
        store.remove_graph(graph)
    store.load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE, to_graph=graph)
