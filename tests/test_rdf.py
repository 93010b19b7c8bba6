"""`kg.rdf.build` on hand-made facts, compared as sets of triples (INCIDENT-SHAPE.md)."""
from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from kg import namespaces, rdf
from kg.documents import Article
from kg.extractors.facts import Count, Facts, Incident, Span, Toll
from kg.namespaces import DEFAULT_BASE


class Terms:
    """A namespace of kg.namespaces as pyoxigraph terms: `NKG.Incident` is an ox.NamedNode."""

    def __init__(self, namespace) -> None:
        self.namespace = namespace

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):  # what pytest looks for on a module's names while it collects
            raise AttributeError(name)
        return ox.NamedNode(self.namespace[name])


NIF, NKG, PROV, RDF, XSD = (Terms(n) for n in (namespaces.NIF, namespaces.NKG, namespaces.PROV, namespaces.RDF,
                                                 namespaces.XSD))

TEXT = "Gunmen killed 3 people in Kabul on Monday. A guard was also killed. One attacker died."
DOC = ox.NamedNode(f"{DEFAULT_BASE}doc/a%2Fb")  # an id with a slash is quoted
KABUL = ox.NamedNode(f"{DEFAULT_BASE}place/kabul")
TALIBAN = ox.NamedNode(f"{DEFAULT_BASE}org/taliban")
DAY = dt.date(2024, 3, 4)


def span(phrase: str) -> Span:
    begin = TEXT.index(phrase)
    return Span(begin, begin + len(phrase), phrase)


def sentence(n: int) -> Span:
    starts = [0, TEXT.index("A guard"), TEXT.index("One attacker"), len(TEXT) + 1]
    return Span(starts[n], starts[n + 1] - 1, TEXT[starts[n]:starts[n + 1] - 1])


def facts() -> Facts:
    f = Facts()
    f.entity("place/kabul", ("City",), "Kabul").add_mention(span("Kabul"))
    f.counts += [
        Count(span("3"), sentence(0), "Killed", value=3, min_value=3, max_value=3, date=DAY, place="place/kabul"),
        Count(span("A guard"), sentence(1), "Killed", value=1, min_value=1, max_value=1),
        Count(span("One attacker"), sentence(2), "Killed", value=1, min_value=1, max_value=1, of_perpetrators=True),
    ]
    f.incidents.append(Incident(mention=sentence(0), date=DAY, places=["place/kabul"], perpetrators=["org/taliban"]))
    f.incidents.append(Incident(mention=sentence(2), reported=False))
    f.counts[2].incident = 1
    f.main_incident = 0
    f.tolls += [
        Toll(incident=0, type="Killed", min_value=4, value=4, max_value=4, qualifier="Exactly", counts=[0, 1]),
        Toll(incident=1, type="Killed", min_value=1, of_perpetrators=True, counts=[2]),
    ]
    return f


def build() -> set[tuple]:
    graph = rdf.build(Article(id="a/b", text=TEXT), facts(), DEFAULT_BASE)
    assert graph.iri == DOC
    return {(t.subject, t.predicate, t.object) for t in graph.triples}


def about(triples: set[tuple], subject: ox.NamedNode) -> set[tuple]:
    return {t for t in triples if t[0] == subject}


def test_incidents_are_numbered_from_one_with_their_description() -> None:
    triples = build()
    first, second = ox.NamedNode(f"{DOC.value}#incident_1"), ox.NamedNode(f"{DOC.value}#incident_2")
    mention = ox.NamedNode(f"{DOC.value}#offset_{sentence(0).begin}_{sentence(0).end}")
    assert about(triples, first) == {
        (first, RDF.type, NKG.Incident),
        (first, NKG.mention, mention),
        (first, NKG.date, ox.Literal(DAY.isoformat(), datatype=XSD.date)),
        (first, NKG.place, KABUL),
        (first, NKG.perpetrator, TALIBAN),
        (first, PROV.wasDerivedFrom, DOC),
    }
    assert (second, RDF.type, NKG.Incident) in triples
    assert (DOC, NKG.reports, first) in triples and (DOC, NKG.reports, second) not in triples
    assert about(triples, DOC) >= {(DOC, NKG.mainIncident, first)}
    assert len({t for t in triples if t[1] == NKG.mainIncident}) == 1


def test_tolls_name_their_incident_type_bounds_and_counts() -> None:
    triples = build()
    toll = ox.NamedNode(f"{DOC.value}#incident_1_killed")
    three = ox.NamedNode(f"{DOC.value}#killed_{span('3').begin}_{span('3').end}")
    guard = ox.NamedNode(f"{DOC.value}#killed_{span('A guard').begin}_{span('A guard').end}")
    integer = lambda n: ox.Literal(str(n), datatype=XSD.integer)  # noqa: E731
    assert about(triples, toll) == {
        (toll, RDF.type, NKG.Toll),
        (toll, NKG.incident, ox.NamedNode(f"{DOC.value}#incident_1")),
        (toll, NKG.casualtyType, NKG.Killed),
        (toll, NKG.minValue, integer(4)),
        (toll, NKG.value, integer(4)),
        (toll, NKG.maxValue, integer(4)),
        (toll, NKG.qualifier, NKG.Exactly),
        (toll, PROV.wasDerivedFrom, three),
        (toll, PROV.wasDerivedFrom, guard),
    }
    own = ox.NamedNode(f"{DOC.value}#incident_2_killed_perpetrators")
    assert (own, NKG.ofPerpetrators, ox.Literal("true", datatype=XSD.boolean)) in triples
    assert (own, NKG.minValue, integer(1)) in triples and not about(triples, own) & {(own, NKG.value, integer(1))}


def test_every_count_has_exactly_one_incident() -> None:
    triples = build()
    counts = {t[0] for t in triples if t[1:] == (RDF.type, NKG.CasualtyCount)}
    assert len(counts) == 3
    for count in counts:
        assert len({t for t in triples if t[0] == count and t[1] == NKG.incident}) == 1
    attacker = span("One attacker")
    assert (ox.NamedNode(f"{DOC.value}#killed_{attacker.begin}_{attacker.end}"), NKG.incident,
            ox.NamedNode(f"{DOC.value}#incident_2")) in triples


def test_our_iris_carry_no_commas_and_mentions_use_the_offset_form() -> None:
    triples = build()
    ours = {n.value for t in triples for n in t if isinstance(n, ox.NamedNode) and n.value.startswith(DOC.value)}
    assert ours and not [iri for iri in ours if "," in iri or "=" in iri]
    mentions = {t[0] for t in triples if t[1:] == (RDF.type, NKG.Mention)}
    kabul = span("Kabul")
    node = ox.NamedNode(f"{DOC.value}#offset_{kabul.begin}_{kabul.end}")
    assert node in mentions
    assert about(triples, node) == {
        (node, RDF.type, NKG.Mention),
        (node, NIF.beginIndex, ox.Literal(str(kabul.begin), datatype=XSD.nonNegativeInteger)),
        (node, NIF.endIndex, ox.Literal(str(kabul.end), datatype=XSD.nonNegativeInteger)),
        (node, NIF.anchorOf, ox.Literal("Kabul")),
        (node, NIF.referenceContext, DOC),
    }


def test_a_document_without_counts_has_no_incidents() -> None:
    f = Facts()
    triples = {(t.subject, t.predicate, t.object)
               for t in rdf.build(Article(id="empty", text="Nothing happened."), f, DEFAULT_BASE).triples}
    assert not {t for t in triples if t[1] in (NKG.reports, NKG.mainIncident, NKG.incident)}


def offset(s: Span) -> ox.NamedNode:
    return ox.NamedNode(f"{DOC.value}#offset_{s.begin}_{s.end}")


def test_a_mention_links_to_the_sentence_it_lies_in_the_node_a_count_names() -> None:
    f = facts()
    f.sentences = [sentence(0), sentence(1), sentence(2)]
    total = Count(Span(span("3").begin, span("A guard").end, TEXT[span("3").begin:span("A guard").end]),
                  Span(0, sentence(1).end, TEXT[:sentence(1).end]), "Killed", value=4, min_value=4, max_value=4)
    f.counts.append(total)  # a total of parts stated in two sentences
    triples = {(t.subject, t.predicate, t.object) for t in rdf.build(Article(id="a/b", text=TEXT), f, DEFAULT_BASE).triples}
    kabul, three, first = offset(span("Kabul")), offset(span("3")), offset(sentence(0))
    assert (kabul, NIF.sentence, first) in triples and (three, NIF.sentence, first) in triples
    assert (ox.NamedNode(f"{DOC.value}#killed_{span('3').begin}_{span('3').end}"), NKG.sentence, first) in triples
    assert about(triples, first) == {  # a sentence is no part of itself: no nif:sentence of its own
        (first, RDF.type, NKG.Mention),
        (first, RDF.type, NIF.Sentence),
        (first, NIF.beginIndex, ox.Literal(str(sentence(0).begin), datatype=XSD.nonNegativeInteger)),
        (first, NIF.endIndex, ox.Literal(str(sentence(0).end), datatype=XSD.nonNegativeInteger)),
        (first, NIF.anchorOf, ox.Literal(sentence(0).text)),
        (first, NIF.referenceContext, DOC),
    }
    across = offset(total.span)
    assert not {t for t in triples if t[0] in (across, offset(total.sentence)) and t[1] == NIF.sentence}
    assert (offset(total.sentence), RDF.type, NIF.Sentence) not in triples
    sentences = {t[2] for t in triples if t[1] == NIF.sentence}
    assert sentences == {offset(s) for s in f.sentences}
    assert {t[0] for t in triples if t[1:] == (RDF.type, NIF.Sentence)} == sentences


def test_only_the_sentence_triples_are_new() -> None:
    """Without the document's sentences, the graph is what it was before they were stored."""
    f = facts()
    before = {(t.subject, t.predicate, t.object) for t in rdf.build(Article(id="a/b", text=TEXT), f, DEFAULT_BASE).triples}
    f.sentences = [sentence(0), sentence(1), sentence(2)]
    after = {(t.subject, t.predicate, t.object) for t in rdf.build(Article(id="a/b", text=TEXT), f, DEFAULT_BASE).triples}
    assert before < after
    assert {t[1:] if t[1] == RDF.type else t[1] for t in after - before} <= {NIF.sentence, (RDF.type, NIF.Sentence)}
