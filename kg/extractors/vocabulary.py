"""The kinds and concepts the extractors use, read once from the ontology (ontology/newskg.ttl).

One place for what used to be written out beside each extractor: which entity kinds are actors,
which are places, and the concepts of the casualty-type and qualifier schemes.
"""

from __future__ import annotations

from functools import cache

from rdflib import Graph, URIRef

from kg import ontology
from kg.namespaces import NKG, RDF, RDFS, SKOS

_NS = str(NKG._NS)


@cache
def _graph() -> Graph:
    return Graph().parse(ontology.ontology_file(), format="turtle")


def _name(iri: URIRef) -> str:
    return str(iri)[len(_NS) :]


def _subclasses(root: URIRef) -> frozenset[str]:
    """The nkg class names of `root` and everything below it."""
    graph = _graph()
    found = {root}
    frontier = [root]
    while frontier:
        for sub in graph.subjects(RDFS.subClassOf, frontier.pop()):
            if isinstance(sub, URIRef) and str(sub).startswith(_NS) and sub not in found:
                found.add(sub)
                frontier.append(sub)
    return frozenset(map(_name, found))


def _scheme(scheme: URIRef) -> frozenset[str]:
    return frozenset(
        _name(c)
        for c in _graph().subjects(SKOS.inScheme, scheme)
        if isinstance(c, URIRef) and (c, RDF.type, scheme) in _graph()
    )


ACTOR_KINDS: frozenset[str] = _subclasses(NKG.Actor)  # Actor, Person, Organization, ArmedGroup, Country
PLACE_KINDS: frozenset[str] = _subclasses(NKG.Place)  # Place, Country, Region, City, Crossing
CASUALTY_TYPES: frozenset[str] = _scheme(NKG.CasualtyType)  # Killed, Injured, Hostage, ...
QUALIFIERS: frozenset[str] = _scheme(NKG.Qualifier)  # Exactly, AtLeast, MoreThan, ...
