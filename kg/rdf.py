"""Turning one article and its facts into triples. Pure: no I/O, no store.

Each document's triples go into the named graph whose IRI is the document IRI. Canonical
entity labels go into the shared entities graph (`entities_graph`), so that an entity has
exactly one rdfs:label however many documents name it; a document graph holds the entity's
types, surface forms (skos:altLabel) and mentions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg import __version__
from kg.documents import Article
from kg.extractors.facts import Count, Entity, Facts, Incident, Span, Toll
from kg.namespaces import DCTERMS, GEO, GEONAMES, NIF, NKG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

Triple = tuple[Node, Node, Node]


def doc_iri(base: str, doc_id: str) -> URIRef:
    return URIRef(f"{base}doc/{quote(doc_id, safe='')}")


def entity_iri(base: str, key: str) -> URIRef:
    return URIRef(f"{base}{quote(key, safe='/')}")


def count_iri(doc: URIRef, count: Count) -> URIRef:
    """`{doc}#killed_666_681`: one span may state two counts ("the suspect was wounded and arrested"),
    so the type is part of the name."""
    return URIRef(f"{doc}#{count.type.lower()}_{count.span.begin}_{count.span.end}")


def mention_iri(doc: URIRef, span: Span) -> URIRef:
    """`{doc}#offset_666_681`, NIF 2.0's offset form without the comma of RFC 5147's `#char=`."""
    return URIRef(f"{doc}#offset_{span.begin}_{span.end}")


def incident_iri(doc: URIRef, index: int) -> URIRef:
    """`{doc}#incident_1`: incidents are numbered from 1 in the order the text first mentions them."""
    return URIRef(f"{doc}#incident_{index + 1}")


def toll_iri(doc: URIRef, toll: Toll) -> URIRef:
    """`{doc}#incident_1_killed`, `{doc}#incident_1_killed_perpetrators`."""
    suffix = "_perpetrators" if toll.of_perpetrators else ""
    return URIRef(f"{incident_iri(doc, toll.incident)}_{toll.type.lower()}{suffix}")


def entities_graph(base: str) -> URIRef:
    """The graph holding facts shared by all documents: canonical labels, codes, coordinates."""
    return URIRef(f"{base}graph/entities")


def content_hash(article: Article, pipeline: str = "") -> str:
    """What decides whether a re-ingest changes anything: the text, the metadata we store, and the
    fingerprint of the pipeline that extracts (see `kg.pipeline.fingerprint`)."""
    key = "\x1f".join(
        [
            article.text,
            article.title or "",
            str(article.date or ""),
            article.url or "",
            article.publisher or "",
            article.author or "",
            pipeline,
        ]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass
class DocumentGraph:
    iri: URIRef
    triples: list[Triple]  # for the document's own named graph
    shared: list[Triple]  # for the entities graph (canonical labels and gazetteer facts)


def _mention(doc: URIRef, span: Span, out: list[Triple]) -> URIRef:
    node = mention_iri(doc, span)
    out += [
        (node, RDF.type, NKG.Mention),
        (node, NIF.beginIndex, Literal(span.begin, datatype=XSD.nonNegativeInteger)),
        (node, NIF.endIndex, Literal(span.end, datatype=XSD.nonNegativeInteger)),
        (node, NIF.anchorOf, Literal(span.text)),
        (node, NIF.referenceContext, doc),
    ]
    return node


def build(article: Article, facts: Facts, base: str, pipeline: str = "") -> DocumentGraph:
    doc = doc_iri(base, article.id)
    out: list[Triple] = [
        (doc, RDF.type, NKG.Document),
        (doc, RDF.type, NIF.Context),
        (doc, DCTERMS.identifier, Literal(article.id)),
        (doc, NIF.isString, Literal(article.text)),
        (doc, NKG.contentHash, Literal(content_hash(article, pipeline))),
    ]
    if article.title:
        out.append((doc, DCTERMS.title, Literal(article.title)))
    if article.date:
        out.append((doc, DCTERMS.date, Literal(article.date, datatype=XSD.date)))
    if article.url:
        out.append((doc, SDO.url, Literal(article.url, datatype=XSD.anyURI)))
    if article.publisher:  # the site (host of the URL) or the feed's title
        out.append((doc, DCTERMS.publisher, Literal(article.publisher)))
    if article.author:
        out.append((doc, DCTERMS.creator, Literal(article.author)))
    activity = URIRef(f"{doc}#extraction")
    out += [
        (activity, RDF.type, NKG.Extraction),
        (activity, PROV.used, doc),
        (activity, PROV.wasAssociatedWith, Literal(f"newskg {__version__}")),
    ]
    shared: list[Triple] = []
    for entity in facts.entities.values():
        _entity(doc, entity, base, out, shared)
    count_iris = [count_iri(doc, c) for c in facts.counts]
    incident_iris = [incident_iri(doc, i) for i in range(len(facts.incidents))]
    for iri, count in zip(count_iris, facts.counts):
        _count(doc, iri, count, count_iris, base, out)
        out.append((iri, NKG.incident, incident_iris[count.incident]))
    for iri, incident in zip(incident_iris, facts.incidents):
        _incident(doc, iri, incident, base, out)
    if facts.main_incident is not None:
        out.append((doc, NKG.mainIncident, incident_iris[facts.main_incident]))
    for toll in facts.tolls:
        _toll(doc, toll, count_iris, incident_iris, out)
    return DocumentGraph(doc, out, shared)


def _incident(doc: URIRef, node: URIRef, incident: Incident, base: str, out: list[Triple]) -> None:
    out += [
        (node, RDF.type, NKG.Incident),
        (node, NKG.mention, _mention(doc, incident.mention, out)),
        (node, PROV.wasDerivedFrom, doc),
    ]
    if incident.reported:
        out.append((doc, NKG.reports, node))
    if incident.date:
        out.append((node, NKG.date, Literal(incident.date, datatype=XSD.date)))
    for key in incident.places:
        out.append((node, NKG.place, entity_iri(base, key)))
    for key in incident.perpetrators:
        out.append((node, NKG.perpetrator, entity_iri(base, key)))


def _toll(doc: URIRef, toll: Toll, counts: list[URIRef], incidents: list[URIRef], out: list[Triple]) -> None:
    node = toll_iri(doc, toll)
    out += [
        (node, RDF.type, NKG.Toll),
        (node, NKG.incident, incidents[toll.incident]),
        (node, NKG.casualtyType, NKG[toll.type]),
        (node, NKG.minValue, Literal(toll.min_value, datatype=XSD.integer)),
    ]
    for prop, number in ((NKG.value, toll.value), (NKG.maxValue, toll.max_value)):
        if number is not None:
            out.append((node, prop, Literal(number, datatype=XSD.integer)))
    if toll.qualifier:
        out.append((node, NKG.qualifier, NKG[toll.qualifier]))
    if toll.of_perpetrators:
        out.append((node, NKG.ofPerpetrators, Literal(True)))
    for index in toll.counts:
        out.append((node, PROV.wasDerivedFrom, counts[index]))


def _entity(doc: URIRef, entity: Entity, base: str, out: list[Triple], shared: list[Triple]) -> None:
    e = entity_iri(base, entity.key)
    for kind in entity.kinds:
        out.append((e, RDF.type, NKG[kind]))
    shared.append((e, RDFS.label, Literal(entity.label)))
    for form in sorted({m.text for m in entity.mentions}):
        if form != entity.label:
            out.append((e, SKOS.altLabel, Literal(form)))
    for span in entity.mentions:
        out.append((e, NKG.mention, _mention(doc, span, out)))
    out.append((e, PROV.wasDerivedFrom, doc))
    if entity.role:
        out.append((e, NKG.role, Literal(entity.role)))
    if entity.affiliation:
        out.append((e, NKG.affiliation, entity_iri(base, entity.affiliation)))
    if entity.iso_code:
        shared.append((e, NKG.isoCode, Literal(entity.iso_code)))
    if entity.geonames_id is not None:
        shared.append((e, OWL.sameAs, GEONAMES[f"{entity.geonames_id}/"]))
    if entity.point is not None:
        geometry = URIRef(f"{e}/geometry")
        lon, lat = entity.point
        shared += [
            (e, GEO.hasGeometry, geometry),
            (geometry, RDF.type, GEO.Geometry),
            (geometry, GEO.asWKT, Literal(f"POINT({lon} {lat})", datatype=GEO.wktLiteral)),
        ]
    for key in entity.connects:
        out.append((e, NKG.connects, entity_iri(base, key)))
    if entity.status:
        out.append((e, NKG.status, NKG[entity.status]))
    for key in entity.blocked_by:
        out.append((e, NKG.blockedBy, entity_iri(base, key)))
    for key in entity.operated_by:
        out.append((e, NKG.operatedBy, entity_iri(base, key)))


def _count(doc: URIRef, c: URIRef, count: Count, all_counts: list[URIRef], base: str, out: list[Triple]) -> None:
    out += [
        (c, RDF.type, NKG.CasualtyCount),
        (c, NKG.casualtyType, NKG[count.type]),
        (c, NKG.qualifier, NKG[count.qualifier]),
        (c, NKG.mention, _mention(doc, count.span, out)),
        (c, NKG.sentence, _mention(doc, count.sentence, out)),
        (c, PROV.wasDerivedFrom, doc),
    ]
    for prop, number in ((NKG.value, count.value), (NKG.minValue, count.min_value), (NKG.maxValue, count.max_value)):
        if number is not None:
            out.append((c, prop, Literal(number, datatype=XSD.integer)))
    for prop, key in (
        (NKG.perpetrator, count.perpetrator),
        (NKG.victimNationality, count.victim_nationality),
        (NKG.place, count.place),
    ):
        if key:
            out.append((c, prop, entity_iri(base, key)))
    if count.date:
        out.append((c, NKG.date, Literal(count.date, datatype=XSD.date)))
    if count.part_of is not None:
        out.append((c, NKG.partOf, all_counts[count.part_of]))


__all__ = [
    "DocumentGraph",
    "build",
    "content_hash",
    "count_iri",
    "doc_iri",
    "entities_graph",
    "entity_iri",
    "incident_iri",
    "mention_iri",
    "toll_iri",
]
