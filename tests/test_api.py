"""The Python API as the README shows it: kg.open, kg.extract, kg.ingest."""
from __future__ import annotations

from pathlib import Path

import pytest
from oxrdflib import OxigraphStore
from rdflib import Dataset, URIRef

import kg
from kg.errors import StoreError
from kg.namespaces import DEFAULT_BASE
from tests.conftest import SAMPLES

DOCUMENTS = """PREFIX nkg: <https://w3id.org/newskg/ontology#>
SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?doc a nkg:Document }"""
TOLLS = """PREFIX nkg: <https://w3id.org/newskg/ontology#>
SELECT ?type ?min WHERE { ?doc nkg:mainIncident ?i . ?t a nkg:Toll ; nkg:incident ?i ;
                          nkg:casualtyType ?type ; nkg:minValue ?min } ORDER BY ?type"""


def test_open_gives_an_rdflib_dataset_whose_queries_run_in_oxigraph(sample_store_dir: Path, sample_store) -> None:
    ds = kg.open(sample_store_dir, read_only=True)
    assert isinstance(ds, Dataset) and isinstance(ds.store, OxigraphStore)
    [(n,)] = list(ds.query(DOCUMENTS))
    assert int(n) == len(sample_store.documents()) > 0
    graphs = {str(g.identifier) for g in ds.graphs()}
    assert f"{DEFAULT_BASE}graph/entities" in graphs and f"{DEFAULT_BASE}graph/events" in graphs


def test_open_without_a_store_says_so_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="No store at"):
        kg.open(tmp_path / "none")
    assert not (tmp_path / "none").exists()


def test_extract_returns_the_facts_of_a_text_without_a_store() -> None:
    ds = kg.extract("Gunman kills two in Dayton\nTwo people were killed and three wounded in a shooting in "
                    "Dayton, Ohio, on Saturday night, police said.", id="dayton", date="2024-03-02")
    doc = URIRef(f"{DEFAULT_BASE}doc/dayton")
    assert doc in {g.identifier for g in ds.graphs()}
    tolls = {(str(t).rsplit("#", 1)[1], int(m)) for t, m in ds.query(TOLLS)}
    assert tolls == {("Killed", 2), ("Injured", 3)}


def test_ingest_without_a_store_builds_the_graph_kg_ingest_builds(sample_store) -> None:
    ds = kg.ingest(SAMPLES)
    [(n,)] = list(ds.query(DOCUMENTS))
    assert int(n) == len(sample_store.documents())
    ours = set(ds.quads())
    theirs = set(sample_store.dataset.quads())
    assert ours == theirs
