"""SHACL validation (kg.validate, `kg validate`) of graphs the project builds and of broken ones."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg import rdf
from kg.documents import Article
from kg.keys import doc_iri
from kg.extractors.facts import Count, Facts, Incident, Span, Toll
from kg import namespaces as ns
from kg.namespaces import DEFAULT_BASE, NKG, RDFS
from kg.store import KGStore
from kg.validate import rdflib_graph, validate_graph, validate_store
from tests.conftest import run_kg

TEXT = "Hamas blocked the Rafah crossing; 3 people were killed."
HAMAS = URIRef(f"{DEFAULT_BASE}org/hamas")
RAFAH = URIRef(f"{DEFAULT_BASE}crossing/rafah")
DOC = URIRef(doc_iri(DEFAULT_BASE, "t").value)
COUNT = URIRef(f"{DOC}#killed_34_35")
INCIDENT = URIRef(f"{DOC}#incident_1")
TOLL = URIRef(f"{DOC}#incident_1_killed")


def good_facts() -> Facts:
    facts = Facts()
    facts.entity("org/hamas", ("ArmedGroup",), "Hamas").add_mention(Span(0, 5, "Hamas"))
    rafah = facts.entity("crossing/rafah", ("Crossing",), "Rafah crossing")
    rafah.add_mention(Span(18, 32, "Rafah crossing"))
    rafah.status, rafah.blocked_by = "Closed", ["org/hamas"]
    facts.counts.append(Count(span=Span(34, 35, "3"), sentence=Span(0, len(TEXT), TEXT), type="Killed", value=3,
                              min_value=3, max_value=3, perpetrator="org/hamas"))
    facts.incidents.append(Incident(mention=Span(34, 53, TEXT[34:53]), perpetrators=["org/hamas"]))
    facts.main_incident = 0
    facts.tolls.append(Toll(incident=0, type="Killed", min_value=3, value=3, max_value=3, qualifier="Exactly",
                            counts=[0]))
    return facts


def good_graph() -> Graph:
    built = rdf.build(Article(id="t", text=TEXT), good_facts(), DEFAULT_BASE)
    return rdflib_graph(built.triples + built.shared)


# (what breaks the graph, the focus node, the path the violation names)
BREAKS = [
    pytest.param(lambda g: g.remove((HAMAS, RDFS.label, None)), HAMAS, RDFS.label, id="no-label"),
    pytest.param(lambda g: g.add((HAMAS, RDFS.label, Literal("Harakat"))), HAMAS, RDFS.label, id="two-labels"),
    pytest.param(lambda g: g.remove((HAMAS, NKG.mention, None)), HAMAS, NKG.mention, id="no-mention"),
    pytest.param(lambda g: g.add((COUNT, NKG.casualtyType, NKG.Injured)), COUNT, NKG.casualtyType,
                 id="two-casualty-types"),
    pytest.param(lambda g: g.set((COUNT, NKG.casualtyType, NKG.Open)), COUNT, NKG.casualtyType,
                 id="type-outside-scheme"),
    pytest.param(lambda g: g.remove((COUNT, NKG.qualifier, None)), COUNT, NKG.qualifier, id="no-qualifier"),
    pytest.param(lambda g: g.set((COUNT, NKG.value, Literal("three"))), COUNT, NKG.value, id="value-not-integer"),
    pytest.param(lambda g: g.set((COUNT, NKG.minValue, Literal("3", datatype=ns.XSD.decimal))), COUNT, NKG.minValue,
                 id="min-not-integer"),
    pytest.param(lambda g: g.add((COUNT, NKG.victimNationality, RAFAH)), COUNT, NKG.victimNationality,
                 id="nationality-not-a-country"),
    pytest.param(lambda g: g.set((RAFAH, NKG.status, NKG.Killed)), RAFAH, NKG.status, id="status-not-open-closed"),
    pytest.param(lambda g: g.add((RAFAH, NKG.blockedBy, COUNT)), RAFAH, NKG.blockedBy, id="blocked-by-no-actor"),
    pytest.param(lambda g: g.remove((COUNT, NKG.incident, None)), COUNT, NKG.incident, id="count-without-incident"),
    pytest.param(lambda g: g.add((COUNT, NKG.incident, COUNT)), COUNT, NKG.incident, id="count-two-incidents"),
    pytest.param(lambda g: g.remove((INCIDENT, NKG.mention, None)), INCIDENT, NKG.mention,
                 id="incident-without-mention"),
    pytest.param(lambda g: g.add((INCIDENT, NKG.perpetrator, COUNT)), INCIDENT, NKG.perpetrator,
                 id="incident-perpetrator-no-actor"),
    pytest.param(lambda g: g.add((DOC, NKG.mainIncident, COUNT)), DOC, NKG.mainIncident, id="two-main-incidents"),
    pytest.param(lambda g: g.remove((TOLL, NKG.minValue, None)), TOLL, NKG.minValue, id="toll-without-minimum"),
    pytest.param(lambda g: g.remove((TOLL, ns.PROV.wasDerivedFrom, None)), TOLL, ns.PROV.wasDerivedFrom,
                 id="toll-without-counts"),
    pytest.param(lambda g: g.set((TOLL, NKG.incident, COUNT)), TOLL, NKG.incident, id="toll-incident-not-incident"),
]


def test_two_tolls_of_one_type_for_one_incident_are_a_violation() -> None:
    graph = good_graph()
    other = URIRef(f"{DOC}#incident_1_killed_again")
    for p, o in graph.predicate_objects(TOLL):
        graph.add((other, p, o))
    assert str(INCIDENT) in {v.focus for v in validate_graph(graph)}
    graph.add((other, NKG.ofPerpetrators, Literal(True)))  # the attackers' own dead are a toll apart
    assert validate_graph(graph) == []


def test_a_graph_the_project_builds_conforms() -> None:
    assert validate_graph(good_graph()) == []


@pytest.mark.parametrize(("breaks", "focus", "path"), BREAKS)
def test_broken_graph_is_reported_with_focus_and_path(breaks, focus, path) -> None:
    graph = good_graph()
    breaks(graph)
    found = {(v.focus, v.path) for v in validate_graph(graph)}
    assert (str(focus), str(path)) in found


def test_sample_store_conforms(sample_store) -> None:
    report = validate_store(sample_store, batch=3)
    assert report.documents == len(sample_store.documents()) >= 5
    assert report.conforms, "\n".join(map(str, report.violations[:20]))


def store_copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def test_a_second_label_in_another_graph_is_a_violation(sample_store_dir, tmp_path) -> None:
    path = store_copy(sample_store_dir, tmp_path / "store")
    store = KGStore(path)
    entity = next(iter(store.ox.query(  # an entity the shape targets (an actor or a place), not an incident
        "SELECT ?e WHERE { VALUES ?c { <%s> <%s> <%s> } GRAPH ?g { ?e a ?c ; <%s> ?m } } ORDER BY ?e LIMIT 1"
        % (NKG.Person, NKG.Organization, NKG.City, NKG.mention))))
    store.ox.add(ox.Quad(entity["e"], ox.NamedNode(str(RDFS.label)), ox.Literal("a second name"),
                         ox.NamedNode("https://example.org/other-graph")))
    report = validate_store(store)
    assert [(v.focus, v.path) for v in report.violations] == [(entity["e"].value, str(RDFS.label))]


def test_validate_command_exit_codes(sample_store_dir, tmp_path) -> None:
    path = store_copy(sample_store_dir, tmp_path / "store")
    good = run_kg("validate", "--store", path)
    assert good.returncode == 0, good.stderr
    assert "conforms" in good.stderr
    store = KGStore(path)
    doc = store.documents()[0]
    store.ox.add(ox.Quad(ox.NamedNode(f"{doc}#count_0_1"), ox.NamedNode(str(NKG.value)), ox.Literal("many"),
                         ox.NamedNode(doc)))
    store.ox.add(ox.Quad(ox.NamedNode(f"{doc}#count_0_1"), ox.NamedNode(str(ns.RDF.type)),
                         ox.NamedNode(str(NKG.CasualtyCount)), ox.NamedNode(doc)))
    store.close()
    bad = run_kg("validate", "--store", path)
    assert bad.returncode == 1
    assert f"{doc}#count_0_1" in bad.stderr and "violations" in bad.stderr
