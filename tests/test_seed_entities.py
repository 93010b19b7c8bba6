"""The seed article, ingested into a real store and asked about through SPARQL (query strings on store.ox)."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingestion import ingest
from kg.namespaces import DEFAULT_BASE, sparql_prefixes
from kg.store import KGStore
from kg.validate import validate_store

DOC = f"{DEFAULT_BASE}doc/seed-gaza-americans"

# (question, SPARQL pattern over ?e, expected rows of the SELECT)
ASK = [
    pytest.param("blinken", "?e a nkg:Person ; rdfs:label 'Antony Blinken' ; nkg:role 'Secretary of State' .",
                 id="blinken-secretary-of-state"),
    pytest.param("miller", "?e a nkg:Person ; rdfs:label 'Matthew Miller' ; nkg:role 'spokesman' ; "
                           "nkg:affiliation [ rdfs:label 'State Department' ] ; skos:altLabel 'Miller' .",
                 id="miller-spokesman-state-department"),
    pytest.param("al-thani", "?e a nkg:Person ; rdfs:label 'Mohammed bin Abdulrahman bin Jassim Al Thani' ; "
                             "nkg:affiliation [ a nkg:Country ; rdfs:label 'Qatar' ] ; "
                             "nkg:role ?role . FILTER(CONTAINS(?role, 'Prime Minister'))", id="qatari-prime-minister"),
    pytest.param("hamas", "?e a nkg:ArmedGroup ; rdfs:label 'Hamas' .", id="hamas-armed-group"),
    pytest.param("un", "?e a nkg:Organization ; rdfs:label 'United Nations' ; skos:altLabel 'UN' .", id="un"),
    pytest.param("us", "?e a nkg:Country ; rdfs:label 'United States' ; nkg:isoCode 'US' ; "
                       "skos:altLabel 'US', 'U.S.', 'the United States', 'Americans' .", id="us-one-entity"),
    pytest.param("rafah", "?e a nkg:Crossing ; nkg:status nkg:Closed ; "
                          "nkg:connects [ rdfs:label 'Gaza Strip' ], [ a nkg:Country ; rdfs:label 'Egypt' ] ; "
                          "nkg:blockedBy [ rdfs:label 'Hamas' ] .", id="rafah-crossing"),
] + [pytest.param(name, f"?e a nkg:Country ; rdfs:label '{name}' .", id=f"country-{name.lower()}")
     for name in ("Qatar", "Egypt", "Israel")]

# things that must NOT be in the graph
ABSENT = [
    pytest.param("?e a nkg:Person ; rdfs:label ?l . FILTER(CONTAINS(?l, 'Rafah'))", id="no-person-rafah"),
    pytest.param("?e a nkg:Person ; rdfs:label 'Mohammed bin Abdulrahman' .", id="no-cut-name"),
    pytest.param("?e rdfs:label ?a, ?b . FILTER(?a != ?b)", id="one-label-each"),
    pytest.param("?e a nkg:Organization ; rdfs:label 'State' .", id="no-org-state"),
]


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, nlp, seed_article: Path) -> KGStore:
    store = KGStore(tmp_path_factory.mktemp("seed") / "store")
    report = ingest([seed_article], store, DEFAULT_BASE, nlp=nlp)
    assert report.documents == 1 and not report.errors
    return store


def select(store: KGStore, pattern: str) -> list:
    query = sparql_prefixes() + f"SELECT DISTINCT ?e WHERE {{ GRAPH <{DOC}> {{ ?e nkg:mention ?m }} {pattern} }}"
    return list(store.ox.query(query, use_default_graph_as_union=True))


@pytest.mark.parametrize(("name", "pattern"), ASK)
def test_seed_article_states(seed_store, name, pattern) -> None:
    assert len(select(seed_store, pattern)) == 1, name


@pytest.mark.parametrize("pattern", ABSENT)
def test_seed_article_does_not_state(seed_store, pattern) -> None:
    assert select(seed_store, pattern) == []


def test_seed_store_conforms_to_the_shapes(seed_store) -> None:
    report = validate_store(seed_store)
    assert report.conforms, "\n".join(map(str, report.violations[:20]))
