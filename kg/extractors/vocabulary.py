"""The kinds and concepts the extractors use, read once from the ontology (ontology/newskg.ttl).

One place for what used to be written out beside each extractor: which entity kinds are actors,
which are places, and the concepts of the casualty-type and qualifier schemes.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from kg import formats, ontology
from kg.namespaces import NKG, nkg, rdf, rdfs, skos

_NS = str(NKG._NS)


@cache
def _graph() -> ox.Store:
    store = ox.Store()
    path = ontology.ontology_file()
    store.bulk_load(path=path, format=formats.file_format(path))
    return store


def _subjects(predicate: ox.NamedNode, obj: ox.NamedNode) -> list[ox.NamedNode]:
    """The nkg: subjects of (?, predicate, obj)."""
    found = _graph().quads_for_pattern(None, predicate, obj)
    return [q.subject for q in found if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(_NS)]


def _name(iri: ox.NamedNode) -> str:
    return iri.value[len(_NS) :]


def _subclasses(root: ox.NamedNode) -> frozenset[str]:
    """The nkg class names of `root` and everything below it."""
    found = {root}
    frontier = list(found)
    while frontier:
        for sub in _subjects(rdfs.subClassOf, frontier.pop()):
            if sub not in found:
                found.add(sub)
                frontier.append(sub)
    return frozenset(map(_name, found))


def _scheme(scheme: ox.NamedNode) -> frozenset[str]:
    return frozenset(_name(c) for c in _subjects(skos.inScheme, scheme) if c in set(_subjects(rdf.type, scheme)))


ACTOR_KINDS: frozenset[str] = _subclasses(nkg.Actor)  # Actor, Person, Organization, ArmedGroup, Country
PLACE_KINDS: frozenset[str] = _subclasses(nkg.Place)  # Place, Country, Region, City, Crossing
CASUALTY_TYPES: frozenset[str] = _scheme(nkg.CasualtyType)  # Killed, Injured, Hostage, ...
QUALIFIERS: frozenset[str] = _scheme(nkg.Qualifier)  # Exactly, AtLeast, MoreThan, ...
