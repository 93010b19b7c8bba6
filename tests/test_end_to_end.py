"""From a text file to an HTTP SPARQL answer: the real model, the real store, the real app."""
from __future__ import annotations

import json
import shutil
from pathlib import Path


from tests.conftest import HTTP, run_kg as kg
from tests.conftest import start_server

ARTICLE = """Hostages freed at Rafah
Hamas released two American hostages on Friday, State Department spokesman Matthew Miller said in Washington.
Miller said Qatar and Egypt helped to secure their release.
"""
PEOPLE = """PREFIX nkg: <https://w3id.org/newskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { ?p a nkg:Person ; rdfs:label ?label } ORDER BY ?label"""


def test_text_file_to_sparql_json_over_http(tmp_path: Path) -> None:
    (tmp_path / "freed.txt").write_text(ARTICLE)
    store = tmp_path / "store"
    done = kg("ingest", str(tmp_path / "freed.txt"), "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert "1 document ingested" in done.stderr and "triples in their document graphs" in done.stderr
    again = kg("ingest", str(tmp_path / "freed.txt"), "--store", str(store))
    assert "0 documents ingested (1 unchanged)" in again.stderr

    proc, url = start_server(store, workers=1)
    try:
        response = HTTP.get(url + "/sparql", params={"query": PEOPLE},
                             headers={"Accept": "application/sparql-results+json"})
    finally:
        proc.terminate()
        proc.wait(10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    labels = [b["label"]["value"] for b in response.json()["results"]["bindings"]]
    assert "Matthew Miller" in labels


def test_export_nquads_puts_every_document_triple_in_its_named_graph(tmp_path: Path) -> None:
    (tmp_path / "freed.txt").write_text(ARTICLE)
    store = tmp_path / "store"
    assert kg("ingest", str(tmp_path), "--store", str(store)).returncode == 0
    out = tmp_path / "out.nq"
    assert kg("export", "--store", str(store), "--format", "nquads", "--output", str(out)).returncode == 0
    graphs = {line.rsplit(" ", 2)[-2] for line in out.read_text().splitlines() if line}
    assert "<https://w3id.org/newskg/id/doc/freed>" in graphs


def test_query_command_prints_json_results(sample_store_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "copy"
    shutil.copytree(sample_store_dir, store)
    done = kg("query", "--store", str(store), "--format", "json", PEOPLE)
    assert done.returncode == 0, done.stderr
    labels = [b["label"]["value"] for b in json.loads(done.stdout)["results"]["bindings"]]
    assert "Antony Blinken" in labels
    bad = kg("query", "--store", str(store), "SELEKT ?x WHERE {}")
    assert bad.returncode == 2 and "syntax error" in bad.stderr.lower()
