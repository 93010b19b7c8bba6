"""Defects 6, 7 and 8 of issue 10: what a malformed request or an odd value got wrong."""
from __future__ import annotations


import pytest

from tests.conftest import UPDATE_TOKEN

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
