"""Turning one article and its facts into triples. Pure: no I/O, no store.

Each document's triples go into the named graph whose IRI is the document IRI. Canonical
entity labels go into the shared entities graph (`entities_graph`), so that an entity has
exactly one rdfs:label however many documents name it; a document graph holds the entity's
types, surface forms (skos:altLabel) and mentions.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass

import pyoxigraph as ox

from kg import __version__
from kg.documents import Article
from kg.extractors.facts import Count, Entity, Facts, Incident, Span, Toll
from kg.keys import (
    count_iri,
    doc_iri,
    entity_iri,
    extraction_iri,
    geometry_iri,
    incident_iri,
    mention_iri,
    toll_iri,
)
from kg.namespaces import DCTERMS, GEO, GEONAMES, NIF, NKG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

Triple = ox.Triple
_Out = list[tuple[object, object, object]]  # triples as they are built, namespace terms still IRI strings


@functools.cache
def _iri(name: str) -> ox.NamedNode:
    """The pyoxigraph term of a namespace term (kg.namespaces names every IRI once), made once."""
    return ox.NamedNode(name)


def _triples(items: _Out) -> list[ox.Triple]:
    """`items` as pyoxigraph triples: the namespace terms among them (IRI strings) become NamedNodes."""
    return [ox.Triple(_named(s), _named(p), o if isinstance(o, ox.Literal) else _named(o)) for s, p, o in items]


def _named(item: object) -> ox.NamedNode:
    return item if isinstance(item, ox.NamedNode) else _iri(str(item))


def _literal(value: object, datatype: str | None = None) -> ox.Literal:
    """A literal as rdflib wrote it before: dates in ISO form, booleans `true`/`false`."""
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=_BOOLEAN)
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=_iri(datatype or XSD.date))
    return ox.Literal(str(value), datatype=_iri(datatype) if datatype else None)


_BOOLEAN = ox.NamedNode(XSD.boolean)


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
    iri: ox.NamedNode
    triples: list[Triple]  # for the document's own named graph
    shared: list[Triple]  # for the entities graph (canonical labels and gazetteer facts)


def _mention(doc: ox.NamedNode, span: Span, out: _Out) -> ox.NamedNode:
    node = mention_iri(doc, span.begin, span.end)
    out += [
        (node, RDF.type, NKG.Mention),
        (node, NIF.beginIndex, _literal(span.begin, XSD.nonNegativeInteger)),
        (node, NIF.endIndex, _literal(span.end, XSD.nonNegativeInteger)),
        (node, NIF.anchorOf, _literal(span.text)),
        (node, NIF.referenceContext, doc),
    ]
    return node


def build(article: Article, facts: Facts, base: str, pipeline: str = "") -> DocumentGraph:
    doc = doc_iri(base, article.id)
    out: _Out = [
        (doc, RDF.type, NKG.Document),
        (doc, RDF.type, NIF.Context),
        (doc, DCTERMS.identifier, _literal(article.id)),
        (doc, NIF.isString, _literal(facts.text or article.text)),
        (doc, NKG.contentHash, _literal(content_hash(article, pipeline))),
    ]
    if article.title:
        out.append((doc, DCTERMS.title, _literal(article.title)))
    if article.date:
        out.append((doc, DCTERMS.date, _literal(article.date, XSD.date)))
    if article.url:
        out.append((doc, SDO.url, _literal(article.url, XSD.anyURI)))
    if article.publisher:  # the site (host of the URL) or the feed's title
        out.append((doc, DCTERMS.publisher, _literal(article.publisher)))
    if article.author:
        out.append((doc, DCTERMS.creator, _literal(article.author)))
    activity = extraction_iri(doc)
    out += [
        (activity, RDF.type, NKG.Extraction),
        (activity, PROV.used, doc),
        (activity, PROV.wasAssociatedWith, _literal(f"newskg {__version__}")),
    ]
    shared: _Out = []
    for entity in facts.entities.values():
        _entity(doc, entity, base, out, shared)
    for key, container in facts.containers.items():  # named by none of the text, only by what they contain
        if key not in facts.entities:
            _container(container, base, shared)
    count_iris = [count_iri(doc, c.type, c.span.begin, c.span.end) for c in facts.counts]
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
    return DocumentGraph(doc, _triples(out), _triples(shared))


def _incident(doc: ox.NamedNode, node: ox.NamedNode, incident: Incident, base: str, out: _Out) -> None:
    out += [
        (node, RDF.type, NKG.Incident),
        (node, NKG.mention, _mention(doc, incident.mention, out)),
        (node, PROV.wasDerivedFrom, doc),
    ]
    if incident.reported:
        out.append((doc, NKG.reports, node))
    if incident.date:
        out.append((node, NKG.date, _literal(incident.date, XSD.date)))
    for key in incident.places:
        out.append((node, NKG.place, entity_iri(base, key)))
    for key in incident.perpetrators:
        out.append((node, NKG.perpetrator, entity_iri(base, key)))
    for key in incident.victims:
        out.append((node, NKG.victim, entity_iri(base, key)))


def _toll(doc: ox.NamedNode, toll: Toll, counts: list[ox.NamedNode], incidents: list[ox.NamedNode], out: _Out) -> None:
    node = toll_iri(doc, toll.incident, toll.type, toll.of_perpetrators)
    out += [
        (node, RDF.type, NKG.Toll),
        (node, NKG.incident, incidents[toll.incident]),
        (node, NKG.casualtyType, NKG[toll.type]),
        (node, NKG.minValue, _literal(toll.min_value, XSD.integer)),
    ]
    for prop, number in ((NKG.value, toll.value), (NKG.maxValue, toll.max_value)):
        if number is not None:
            out.append((node, prop, _literal(number, XSD.integer)))
    if toll.qualifier:
        out.append((node, NKG.qualifier, NKG[toll.qualifier]))
    if toll.of_perpetrators:
        out.append((node, NKG.ofPerpetrators, _literal(True)))
    for index in toll.counts:
        out.append((node, PROV.wasDerivedFrom, counts[index]))


def _entity(doc: ox.NamedNode, entity: Entity, base: str, out: _Out, shared: _Out) -> None:
    e = entity_iri(base, entity.key)
    for kind in entity.kinds:
        out.append((e, RDF.type, NKG[kind]))
    shared.append((e, RDFS.label, _literal(entity.label)))
    for form in sorted({m.text for m in entity.mentions}):
        if form != entity.label:
            out.append((e, SKOS.altLabel, _literal(form)))
    for span in entity.mentions:
        out.append((e, NKG.mention, _mention(doc, span, out)))
    out.append((e, PROV.wasDerivedFrom, doc))
    if entity.role:
        out.append((e, NKG.role, _literal(entity.role)))
    if entity.affiliation:
        out.append((e, NKG.affiliation, entity_iri(base, entity.affiliation)))
    if entity.age is not None:
        out.append((e, NKG.age, _literal(entity.age, XSD.integer)))
    for key in entity.within:
        shared.append((e, GEO.sfWithin, entity_iri(base, key)))
    if entity.iso_code:
        shared.append((e, NKG.isoCode, _literal(entity.iso_code)))
    if entity.geonames_id is not None:
        shared.append((e, OWL.sameAs, GEONAMES[f"{entity.geonames_id}/"]))
    if entity.point is not None:
        geometry = geometry_iri(e)
        lon, lat = entity.point
        shared += [
            (e, GEO.hasGeometry, geometry),
            (geometry, RDF.type, GEO.Geometry),
            (geometry, GEO.asWKT, _literal(f"POINT({lon} {lat})", GEO.wktLiteral)),
        ]
    for key in entity.connects:
        out.append((e, NKG.connects, entity_iri(base, key)))
    if entity.status:
        out.append((e, NKG.status, NKG[entity.status]))
    for key in entity.blocked_by:
        out.append((e, NKG.blockedBy, entity_iri(base, key)))
    for key in entity.operated_by:
        out.append((e, NKG.operatedBy, entity_iri(base, key)))


def _container(entity: Entity, base: str, shared: _Out) -> None:
    """A place only containing what the document names (Illinois for Chicago): its label, what
    contains it and its ISO code, in the shared graph."""
    e = entity_iri(base, entity.key)
    shared.append((e, RDFS.label, _literal(entity.label)))
    shared += [(e, GEO.sfWithin, entity_iri(base, key)) for key in entity.within]
    if entity.iso_code:
        shared.append((e, NKG.isoCode, _literal(entity.iso_code)))


def _count(
    doc: ox.NamedNode, c: ox.NamedNode, count: Count, all_counts: list[ox.NamedNode], base: str, out: _Out
) -> None:
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
            out.append((c, prop, _literal(number, XSD.integer)))
    for prop, key in (
        (NKG.perpetrator, count.perpetrator),
        (NKG.victimNationality, count.victim_nationality),
        (NKG.place, count.place),
    ):
        if key:
            out.append((c, prop, entity_iri(base, key)))
    if count.date:
        out.append((c, NKG.date, _literal(count.date, XSD.date)))
    if count.part_of is not None:
        out.append((c, NKG.partOf, all_counts[count.part_of]))


__all__ = ["DocumentGraph", "build", "content_hash"]
