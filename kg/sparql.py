"""Running SPARQL on the Oxigraph store, the way every entry point (CLI, server) does it."""
from __future__ import annotations

import pyoxigraph as ox

from kg.namespaces import PREFIXES, sparql_prefixes


def run_query(store: ox.Store, text: str, *, union: bool = True, **options):
    """Evaluate `text` in Oxigraph. The default graph is the union of all graphs unless told otherwise."""
    return store.query(text, use_default_graph_as_union=union, **options)


def store_stats(store: ox.Store) -> dict:
    p = sparql_prefixes()
    docs = next(iter(store.query(p + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?d { ?d a nkg:Document } }")))
    entities = store.query(p + """SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE {
        GRAPH ?g { ?e a ?class } FILTER(STRSTARTS(STR(?class), STR(nkg:)))
        FILTER(?class NOT IN (nkg:Document, nkg:Mention, nkg:CasualtyCount, nkg:Extraction))
      } GROUP BY ?class ORDER BY DESC(?n)""")
    counts = store.query(p + """SELECT ?type (COUNT(DISTINCT ?c) AS ?n) WHERE {
        GRAPH ?g { ?c nkg:casualtyType ?type } } GROUP BY ?type ORDER BY DESC(?n)""")
    short = lambda term: term.value.replace(PREFIXES["nkg"], "nkg:")  # noqa: E731
    return {
        "documents": int(docs["n"].value),
        "triples": len(store),
        "entities": [(short(s["class"]), int(s["n"].value)) for s in entities],
        "counts": [(short(s["type"]), int(s["n"].value)) for s in counts],
    }
