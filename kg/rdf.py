"""Turning one article and its facts into triples. Pure: no I/O, no store.

Each document's triples go into the named graph whose IRI is the document IRI. Canonical
entity labels go into the shared entities graph (`entities_graph`), so that an entity has
exactly one rdfs:label however many documents name it; a document graph holds the entity's
types, surface forms (skos:altLabel) and mentions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field

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
    geonames_iri,
    incident_iri,
    mention_iri,
    toll_iri,
)
from kg.namespaces import dcterms, geo, nif, nkg, owl, prov, rdf, rdfs, schema, skos, xsd

Triple = ox.Triple
_Out = list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]  # triples as they are built


def _triples(items: _Out) -> list[ox.Triple]:
    return [ox.Triple(s, p, o) for s, p, o in items]


def _literal(value: object, datatype: ox.NamedNode | None = None) -> ox.Literal:
    """A literal as rdflib wrote it before: dates in ISO form, booleans `true`/`false`."""
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=xsd.boolean)
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=datatype or xsd.date)
    return ox.Literal(str(value), datatype=datatype)


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


@dataclass
class _Mentions:
    """Writes the mentions of one document, each linked with nif:sentence to the sentence it lies in: the
    mention of that sentence (the node a count's nkg:sentence names), typed nif:Sentence. A mention that
    is a whole sentence is typed so, with no link to itself; a mention across sentences (a total of parts
    stated apart) has none."""

    doc: ox.NamedNode
    sentences: list[Span]  # in order, none overlapping the next (`Facts.sentences`)
    out: _Out
    _ends: list[int] = field(default_factory=list)
    _written: set[ox.NamedNode] = field(default_factory=set)  # the sentences described

    def __post_init__(self) -> None:
        self._ends = [s.end for s in self.sentences]

    def sentence(self, span: Span) -> Span | None:
        """The sentence holding `span`: the first to end after it begins, if it ends before the next one
        begins (a mention may hold the blank after its sentence)."""
        i = bisect_right(self._ends, span.begin)
        if i == len(self.sentences) or span.end <= self.sentences[i].begin:
            return None
        if i + 1 < len(self.sentences) and span.end > self.sentences[i + 1].begin:
            return None
        return self.sentences[i]

    def __call__(self, span: Span) -> ox.NamedNode:
        """The mention of `span`, described (again) in the document's graph."""
        doc, mention = self.doc, mention_iri(self.doc, span.begin, span.end)
        self.out.extend(
            [
                (mention, rdf.type, nkg.Mention),
                (mention, nif.beginIndex, _literal(span.begin, xsd.nonNegativeInteger)),
                (mention, nif.endIndex, _literal(span.end, xsd.nonNegativeInteger)),
                (mention, nif.anchorOf, _literal(span.text)),
                (mention, nif.referenceContext, doc),
            ]
        )
        sentence = self.sentence(span)
        if sentence is not None:
            node = mention_iri(doc, sentence.begin, sentence.end)
            if node != mention:  # a sentence is no part of itself
                self.out.append((mention, nif.sentence, node))
            if node not in self._written:
                self._written.add(node)
                self.out.append((node, rdf.type, nif.Sentence))
                if node != mention:
                    self(sentence)
        return mention


def build(article: Article, facts: Facts, base: str, pipeline: str = "") -> DocumentGraph:
    doc = doc_iri(base, article.id)
    out: _Out = [
        (doc, rdf.type, nkg.Document),
        (doc, rdf.type, nif.Context),
        (doc, dcterms.identifier, _literal(article.id)),
        (doc, nif.isString, _literal(facts.text or article.text)),
        (doc, nkg.contentHash, _literal(content_hash(article, pipeline))),
    ]
    if article.title:
        out.append((doc, dcterms.title, _literal(article.title)))
    if article.date:
        out.append((doc, dcterms.date, _literal(article.date, xsd.date)))
    if article.url:
        out.append((doc, schema.url, _literal(article.url, xsd.anyURI)))
    if article.publisher:  # the site (host of the URL) or the feed's title
        out.append((doc, dcterms.publisher, _literal(article.publisher)))
    if article.author:
        out.append((doc, dcterms.creator, _literal(article.author)))
    activity = extraction_iri(doc)
    out += [
        (activity, rdf.type, nkg.Extraction),
        (activity, prov.used, doc),
        (activity, prov.wasAssociatedWith, _literal(f"newskg {__version__}")),
    ]
    shared: _Out = []
    mention = _Mentions(doc, facts.sentences, out)
    for entity in facts.entities.values():
        _entity(mention, entity, base, out, shared)
    for key, container in facts.containers.items():  # named by none of the text, only by what they contain
        if key not in facts.entities:
            _container(container, base, shared)
    count_iris = [count_iri(doc, c.type, c.span.begin, c.span.end) for c in facts.counts]
    incident_iris = [incident_iri(doc, i) for i in range(len(facts.incidents))]
    for iri, count in zip(count_iris, facts.counts):
        _count(mention, iri, count, count_iris, base, out)
        out.append((iri, nkg.incident, incident_iris[count.incident]))
    for iri, incident in zip(incident_iris, facts.incidents):
        _incident(mention, iri, incident, base, out)
    if facts.main_incident is not None:
        out.append((doc, nkg.mainIncident, incident_iris[facts.main_incident]))
    for toll in facts.tolls:
        _toll(doc, toll, count_iris, incident_iris, out)
    return DocumentGraph(doc, _triples(out), _triples(shared))


def _incident(mention: _Mentions, incident_node: ox.NamedNode, incident: Incident, base: str, out: _Out) -> None:
    doc = mention.doc
    out += [
        (incident_node, rdf.type, nkg.Incident),
        (incident_node, nkg.mention, mention(incident.mention)),
        (incident_node, prov.wasDerivedFrom, doc),
    ]
    if incident.reported:
        out.append((doc, nkg.reports, incident_node))
    if incident.date:
        out.append((incident_node, nkg.date, _literal(incident.date, xsd.date)))
    for key in incident.places:
        out.append((incident_node, nkg.place, entity_iri(base, key)))
    for key in incident.perpetrators:
        out.append((incident_node, nkg.perpetrator, entity_iri(base, key)))
    for key in incident.victims:
        out.append((incident_node, nkg.victim, entity_iri(base, key)))


def _toll(doc: ox.NamedNode, toll: Toll, counts: list[ox.NamedNode], incidents: list[ox.NamedNode], out: _Out) -> None:
    toll_node = toll_iri(doc, toll.incident, toll.type, toll.of_perpetrators)
    out += [
        (toll_node, rdf.type, nkg.Toll),
        (toll_node, nkg.incident, incidents[toll.incident]),
        (toll_node, nkg.casualtyType, nkg[toll.type]),
        (toll_node, nkg.minValue, _literal(toll.min_value, xsd.integer)),
    ]
    for prop, number in ((nkg.value, toll.value), (nkg.maxValue, toll.max_value)):
        if number is not None:
            out.append((toll_node, prop, _literal(number, xsd.integer)))
    if toll.qualifier:
        out.append((toll_node, nkg.qualifier, nkg[toll.qualifier]))
    if toll.of_perpetrators:
        out.append((toll_node, nkg.ofPerpetrators, _literal(True)))
    for index in toll.counts:
        out.append((toll_node, prov.wasDerivedFrom, counts[index]))


def _entity(mention: _Mentions, entity: Entity, base: str, out: _Out, shared: _Out) -> None:
    doc, e = mention.doc, entity_iri(base, entity.key)
    for kind in entity.kinds:
        out.append((e, rdf.type, nkg[kind]))
    shared.append((e, rdfs.label, _literal(entity.label)))
    for form in sorted({m.text for m in entity.mentions}):
        if form != entity.label:
            out.append((e, skos.altLabel, _literal(form)))
    for span in entity.mentions:
        out.append((e, nkg.mention, mention(span)))
    out.append((e, prov.wasDerivedFrom, doc))
    if entity.role:
        out.append((e, nkg.role, _literal(entity.role)))
    if entity.affiliation:
        out.append((e, nkg.affiliation, entity_iri(base, entity.affiliation)))
    if entity.age is not None:
        out.append((e, nkg.age, _literal(entity.age, xsd.integer)))
    for key in entity.within:
        shared.append((e, geo.sfWithin, entity_iri(base, key)))
    if entity.iso_code:
        shared.append((e, nkg.isoCode, _literal(entity.iso_code)))
    if entity.geonames_id is not None:
        shared.append((e, owl.sameAs, geonames_iri(entity.geonames_id)))
    if entity.point is not None:
        geometry = geometry_iri(e)
        lon, lat = entity.point
        shared += [
            (e, geo.hasGeometry, geometry),
            (geometry, rdf.type, geo.Geometry),
            (geometry, geo.asWKT, _literal(f"POINT({lon} {lat})", geo.wktLiteral)),
        ]
    for key in entity.connects:
        out.append((e, nkg.connects, entity_iri(base, key)))
    if entity.status:
        out.append((e, nkg.status, nkg[entity.status]))
    for key in entity.blocked_by:
        out.append((e, nkg.blockedBy, entity_iri(base, key)))
    for key in entity.operated_by:
        out.append((e, nkg.operatedBy, entity_iri(base, key)))


def _container(entity: Entity, base: str, shared: _Out) -> None:
    """A place only containing what the document names (Illinois for Chicago): its label, what
    contains it and its ISO code, in the shared graph."""
    e = entity_iri(base, entity.key)
    shared.append((e, rdfs.label, _literal(entity.label)))
    shared += [(e, geo.sfWithin, entity_iri(base, key)) for key in entity.within]
    if entity.iso_code:
        shared.append((e, nkg.isoCode, _literal(entity.iso_code)))


def _count(
    mention: _Mentions, c: ox.NamedNode, count: Count, all_counts: list[ox.NamedNode], base: str, out: _Out
) -> None:
    out += [
        (c, rdf.type, nkg.CasualtyCount),
        (c, nkg.casualtyType, nkg[count.type]),
        (c, nkg.qualifier, nkg[count.qualifier]),
        (c, nkg.mention, mention(count.span)),
        (c, nkg.sentence, mention(count.sentence)),
        (c, prov.wasDerivedFrom, mention.doc),
    ]
    for prop, number in ((nkg.value, count.value), (nkg.minValue, count.min_value), (nkg.maxValue, count.max_value)):
        if number is not None:
            out.append((c, prop, _literal(number, xsd.integer)))
    for prop, key in (
        (nkg.perpetrator, count.perpetrator),
        (nkg.victimNationality, count.victim_nationality),
        (nkg.place, count.place),
    ):
        if key:
            out.append((c, prop, entity_iri(base, key)))
    if count.date:
        out.append((c, nkg.date, _literal(count.date, xsd.date)))
    if count.part_of is not None:
        out.append((c, nkg.partOf, all_counts[count.part_of]))


__all__ = ["DocumentGraph", "build", "content_hash"]
