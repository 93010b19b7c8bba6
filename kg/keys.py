"""The IRIs of what the graph describes, made here and nowhere else, and read back here.

An entity's key is the name extraction gives it (`country/US`, `place/geonames-4887398`,
`person/jacob-stahl`); its IRI is the key under the base IRI (`entity_iri`), and a place GeoNames
knows is also GeoNames' own (`geonames_iri`). A document is `{base}doc/{id}`, an event
`{base}event/{16 hex}`, and the parts of a document's graph (its mentions, counts, incidents, tolls and
extraction) are fragments of the document's IRI. The graphs that hold them are named in
`kg.namespaces`. Read back, an IRI gives only the name a page shows for a thing without a label
(`last_part`): nothing takes a key apart to learn what a place is (the graph states it).
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import pyoxigraph as ox

from kg.namespaces import GEONAMES, node


def doc_iri(base: str, doc_id: str) -> ox.NamedNode:
    return node(f"{base}doc/{quote(doc_id, safe='')}")


def entity_iri(base: str, key: str) -> ox.NamedNode:
    return node(f"{base}{quote(key, safe='/')}")


def geonames_iri(geonames_id: int) -> ox.NamedNode:
    """GeoNames' IRI of a place (`https://sws.geonames.org/4887398/`), for owl:sameAs."""
    return node(GEONAMES[f"{geonames_id}/"])


def last_part(iri: str) -> str:
    """What follows the IRI's last slash: the name of a thing the store has no label for
    (`https://w3id.org/newskg/id/doc/gvdb-12` -> `gvdb-12`), still %-encoded."""
    return iri.rsplit("/", 1)[-1]


def geometry_iri(entity: ox.NamedNode) -> ox.NamedNode:
    """`{entity}/geometry`: the point of a place."""
    return node(f"{entity.value}/geometry")


def event_iri(base: str, smallest_member: str) -> ox.NamedNode:
    """`{base}event/{16 hex of sha256 of the IRI of its smallest member incident}`."""
    return node(f"{base}event/{hashlib.sha256(smallest_member.encode('utf-8')).hexdigest()[:16]}")


def extraction_iri(doc: ox.NamedNode) -> ox.NamedNode:
    """`{doc}#extraction`: the prov:Activity that built the document's graph."""
    return node(f"{doc.value}#extraction")


def mention_iri(doc: ox.NamedNode, begin: int, end: int) -> ox.NamedNode:
    """`{doc}#offset_666_681`, NIF 2.0's offset form without the comma of RFC 5147's `#char=`."""
    return node(f"{doc.value}#offset_{begin}_{end}")


def count_iri(doc: ox.NamedNode, casualty_type: str, begin: int, end: int) -> ox.NamedNode:
    """`{doc}#killed_666_681`: one span may state two counts ("the suspect was wounded and arrested"),
    so the type is part of the name."""
    return node(f"{doc.value}#{casualty_type.lower()}_{begin}_{end}")


def incident_iri(doc: ox.NamedNode, index: int) -> ox.NamedNode:
    """`{doc}#incident_1`: incidents are numbered from 1 in the order the text first mentions them."""
    return node(f"{doc.value}#incident_{index + 1}")


def toll_iri(doc: ox.NamedNode, incident: int, casualty_type: str, of_perpetrators: bool) -> ox.NamedNode:
    """`{doc}#incident_1_killed`, `{doc}#incident_1_killed_perpetrators`."""
    suffix = "_perpetrators" if of_perpetrators else ""
    return node(f"{incident_iri(doc, incident).value}_{casualty_type.lower()}{suffix}")


__all__ = [
    "count_iri",
    "doc_iri",
    "entity_iri",
    "event_iri",
    "extraction_iri",
    "geometry_iri",
    "geonames_iri",
    "incident_iri",
    "last_part",
    "mention_iri",
    "toll_iri",
]
