"""`kg query` and the endpoint as a new user meets them (issue 10, "What a new user met")."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kg.namespaces import PREFIXES
from tests.conftest import KG

UNDECLARED = "SELECT ?l WHERE { ?p a nkg:Person ; rdfs:label ?l }"


def kg_query(store: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(KG + ["query", *args, "--store", str(store)], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "250"})


@pytest.fixture(scope="module")
def store(sample_store_dir: Path, tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("query-ux") / "store"
    shutil.copytree(sample_store_dir, copy)
    return copy


def test_a_misspelt_canned_query_suggests_the_name(store: Path) -> None:
    done = kg_query(store, "peopel")
    assert done.returncode == 2
    assert "No canned query named 'peopel'" in done.stderr and "Did you mean 'people'?" in done.stderr
    assert "places" in done.stderr  # the list of them all
    assert "syntax" not in done.stderr


def test_a_missing_query_file_is_named(store: Path, tmp_path: Path) -> None:
    done = kg_query(store, str(tmp_path / "missing.rq"))
    assert done.returncode == 2 and "No query file" in done.stderr and "missing.rq" in done.stderr
    assert "syntax" not in done.stderr


def test_an_undeclared_prefix_is_one_sentence_on_the_cli(store: Path) -> None:
    done = kg_query(store, UNDECLARED)
    assert done.returncode == 2
    first = done.stderr.splitlines()[0]
    assert first.startswith("Query syntax error: unknown prefix nkg: at 1:24; declare it with PREFIX nkg:")
    assert "\\u{" not in first


def test_an_undeclared_prefix_is_one_sentence_over_http(client) -> None:
    response = client.get("/sparql", params={"query": UNDECLARED})
    assert response.status_code == 400
    first, raw = response.text.splitlines()[:2]
    assert first == f"SPARQL syntax error: unknown prefix nkg: at 1:24; declare it with PREFIX nkg: <{PREFIXES['nkg']}>"
    assert raw.startswith("parser: error at 1:34: expected one of Prefix not found")  # the parser's own words


def test_an_undeclared_prefix_in_an_update_is_one_sentence(client) -> None:
    from tests.conftest import UPDATE_TOKEN

    response = client.post("/sparql", content="INSERT DATA { <urn:a> foo:b 1 }", headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {UPDATE_TOKEN}"})
    assert response.status_code == 400
    assert response.text.splitlines()[0] == ("SPARQL Update syntax error: unknown prefix foo: at 1:23; "
                                             "declare it with PREFIX")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_table_format_for_a_construct_is_refused(store: Path, fmt: str) -> None:
    done = kg_query(store, "CONSTRUCT WHERE { ?s a ?o } LIMIT 1", "--format", fmt)
    assert done.returncode == 2 and f"--format {fmt} is for SELECT and ASK" in done.stderr
    assert done.stdout == ""


def test_a_construct_in_json_is_json_ld(store: Path) -> None:
    import json

    done = kg_query(store, "CONSTRUCT WHERE { ?s a ?o } LIMIT 1", "--format", "json")
    assert done.returncode == 0
    assert "@id" in json.loads(done.stdout)[0]


def test_the_table_shortens_iris_with_the_prefixes(store: Path) -> None:
    done = kg_query(store, "PREFIX nkg: <%s> SELECT ?p ?c WHERE { ?p a ?c . ?p a nkg:Person }" % PREFIXES["nkg"])
    assert done.returncode == 0, done.stderr
    assert "nkg:Person" in done.stdout and "id:person/" in done.stdout
    assert "https://" not in done.stdout
