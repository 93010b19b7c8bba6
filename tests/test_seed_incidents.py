"""The seed article's incidents and tolls, through the real pipeline and store, asked for in SPARQL."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingestion import ingest
from kg.namespaces import DEFAULT_BASE, sparql_prefixes
from kg.store import KGStore

DOC = f"<{DEFAULT_BASE}doc/seed-gaza-americans>"


@pytest.fixture(scope="module")
def store(nlp, tmp_path_factory, seed_article: Path) -> KGStore:
    store = KGStore(tmp_path_factory.mktemp("seed-incidents") / "store")
    assert ingest([seed_article], store, DEFAULT_BASE, nlp=nlp).documents == 1
    return store


def incident_of(store: KGStore, phrase: str, kind: str) -> str:
    query = sparql_prefixes() + f"""
    SELECT ?i WHERE {{ GRAPH {DOC} {{ ?c nkg:casualtyType nkg:{kind} ; nkg:mention/nif:anchorOf "{phrase}" ;
                                        nkg:incident ?i . ?i a nkg:Incident }} }}"""
    found = [s["i"].value for s in store.ox.query(query)]
    assert len(found) == 1, f"{phrase!r} ({kind}) has incidents {found}"
    return found[0]


def test_the_october_7_attack_is_an_incident_with_its_killed_toll(store) -> None:
    attack = incident_of(store, "more than 1,400", "Killed")
    assert incident_of(store, "at least 33", "Killed") == attack  # the Americans are among the dead
    query = sparql_prefixes() + f"""
    SELECT ?min ?value ?qualifier ?date ?perpetrator WHERE {{ GRAPH {DOC} {{
        ?t a nkg:Toll ; nkg:incident <{attack}> ; nkg:casualtyType nkg:Killed ; nkg:minValue ?min ;
           nkg:value ?value ; nkg:qualifier ?qualifier .
        FILTER NOT EXISTS {{ ?t nkg:ofPerpetrators true }}
        <{attack}> nkg:date ?date ; nkg:perpetrator ?p }}
      GRAPH ?g {{ ?p rdfs:label ?perpetrator }} }}"""
    rows = [{k: s[k].value for k in ("min", "value", "qualifier", "date", "perpetrator")} for s in store.ox.query(query)]
    assert rows == [{"min": "1401", "value": "1400", "qualifier": sparql_iri("MoreThan"), "date": "2023-10-07",
                     "perpetrator": "Hamas"}]


def test_the_toll_rests_on_the_count_it_states(store) -> None:
    attack = incident_of(store, "more than 1,400", "Killed")
    query = sparql_prefixes() + f"""
    SELECT ?phrase WHERE {{ GRAPH {DOC} {{ ?t a nkg:Toll ; nkg:incident <{attack}> ; nkg:casualtyType nkg:Killed ;
        prov:wasDerivedFrom/nkg:mention/nif:anchorOf ?phrase }} }}"""
    assert "more than 1,400" in {s["phrase"].value for s in store.ox.query(query)}


def test_the_release_of_two_americans_is_another_incident(store) -> None:
    release = incident_of(store, "two", "Released")
    assert release != incident_of(store, "more than 1,400", "Killed")
    query = sparql_prefixes() + f"ASK {{ GRAPH {DOC} {{ <{release}> nkg:date \"2023-10-20\"^^xsd:date }} }}"
    assert store.ox.query(query)


def test_one_main_incident_that_the_document_reports(store) -> None:
    query = sparql_prefixes() + f"SELECT ?m WHERE {{ GRAPH {DOC} {{ {DOC} nkg:mainIncident ?m ; nkg:reports ?m }} }}"
    assert len(list(store.ox.query(query))) == 1


def sparql_iri(name: str) -> str:
    return "https://w3id.org/newskg/ontology#" + name
