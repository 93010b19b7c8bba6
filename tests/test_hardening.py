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
