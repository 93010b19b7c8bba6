"""Defects 6, 7 and 8 of issue 10: what a malformed request or an odd value got wrong."""
from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import KG, UPDATE_TOKEN, in_process

AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}
FORM = "application/x-www-form-urlencoded"


# defect 6: a path under /store/ that is no IRI is a 400, as ?graph= is
@pytest.mark.parametrize("path", ["/store/a%22b", "/store/%ZZ", "/store/a|b", "/store/a%3Cb%3E", "/store/a%20b",
                                  "/store/%7B%7D"])
@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "POST", "DELETE"])
def test_a_store_path_that_is_no_iri_is_400(client, path: str, method: str) -> None:
    response = client.request(method, path, headers={**AUTH, "Content-Type": "text/turtle"}, content=b"")
    assert response.status_code == 400, response.text
    if method != "HEAD":
        assert "not an IRI" in response.text


# defect 7: with a form POST the operation is in the body, never in the URL
@pytest.mark.parametrize("field", ["update", "query"])
def test_a_form_post_with_the_operation_in_the_url_is_400(client, field: str) -> None:
    text = ("INSERT DATA { <urn:defect7> <urn:p> 1 }" if field == "update" else "ASK {}")
    response = client.post("/sparql", params={field: text}, headers={**AUTH, "Content-Type": FORM}, content=b"")
    assert response.status_code == 400, response.text
    assert "body" in response.text
    ask = client.get("/sparql", params={"query": "ASK { <urn:defect7> ?p ?o }"}, headers={"Accept": "text/csv"})
    assert ask.text.strip() == "false"


def test_a_form_post_may_still_carry_the_dataset_in_the_url(client) -> None:
    response = client.post("/sparql", params={"default-graph-uri": "urn:none"}, content=b"query=ASK%20%7B%7D",
                           headers={"Content-Type": FORM, "Accept": "text/csv"})
    assert response.status_code == 200 and response.text.strip() == "true"


# defect 8: CSV with a comma in a value, over HTTP and from the CLI
COMMA = "http://example.org/count#killed=1183,1188"
ROWS = [["s", "o"], [COMMA, 'a "quoted", value\nover two lines']]
QUERY = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }"


def _insert_comma(store: ox.Store) -> None:
    store.add(ox.Quad(ox.NamedNode(COMMA), ox.NamedNode("http://example.org/p"), ox.Literal(ROWS[1][1]),
                      ox.NamedNode("http://example.org/g")))


def test_csv_over_http_quotes_an_iri_with_a_comma(client) -> None:
    update = "INSERT DATA { GRAPH <http://example.org/g> { <%s> <http://example.org/p> %s } }" % (
        COMMA, '"a \\"quoted\\", value\\nover two lines"')
    assert client.post("/sparql", content=update,
                       headers={**AUTH, "Content-Type": "application/sparql-update"}).status_code == 204
    for query in (QUERY, QUERY + " LIMIT 1", "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o . FILTER(true) }"):
        response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
        assert response.status_code == 200
        assert list(csv.reader(io.StringIO(response.text, newline=""))) == ROWS


def test_csv_of_a_cut_answer_is_quoted_too(sample_store_dir: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(sample_store_dir, copy)
    store = ox.Store(str(copy))
    for i in range(3):
        store.add(ox.Quad(ox.NamedNode(f"{COMMA},{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(i),
                          ox.NamedNode("http://example.org/g")))
    store.flush()
    del store
    with in_process(copy, max_rows=2) as client:
        response = client.get("/sparql", params={"query": QUERY + " ORDER BY ?s"}, headers={"Accept": "text/csv"})
    assert response.headers["x-result-truncated"] == "true"
    assert list(csv.reader(io.StringIO(response.text, newline=""))) == [["s", "o"], [f"{COMMA},0", "0"],
                                                                         [f"{COMMA},1", "1"]]


def test_csv_from_the_cli_quotes_an_iri_with_a_comma(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = ox.Store(str(path))
    _insert_comma(store)
    store.flush()
    del store
    done = subprocess.run(KG + ["query", QUERY, "--store", str(path), "--format", "csv"], capture_output=True,
                          check=True)
    assert list(csv.reader(io.StringIO(done.stdout.decode(), newline=""))) == ROWS
