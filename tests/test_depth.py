"""Deeply nested brackets are refused before Oxigraph's parser recurses into them (issue 10, defect 2).

A query nested 10,000 deep killed the worker that parsed it (SIGSEGV: the parser's recursion ran
off the thread's stack). bench/README.md, "Nesting", has the depths where that happens.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.server.lexer import nesting
from tests.conftest import HTTP, UPDATE_TOKEN, in_process

DEEP = 10_000


def braces(n: int) -> str:
    return "SELECT * WHERE " + "{" * n + "}" * n


@pytest.mark.parametrize(("text", "depth"), [
    pytest.param("SELECT * WHERE { ?s ?p ?o }", 1, id="flat"),
    pytest.param(braces(3), 3, id="braces"),
    pytest.param("ASK { FILTER(((1))) }", 4, id="parentheses"),
    pytest.param("ASK { ?s ?p [ ?q [ ?r 1 ] ] }", 3, id="blank node brackets"),
    pytest.param('ASK { ?s ?p "{{{{(((([[[[" }', 1, id="in a literal"),
    pytest.param("ASK { ?s ?p '''{{{\n{{{''' }", 1, id="in a long literal"),
    pytest.param("ASK { ?s ?p ?o } # {{{{{{{{\n", 1, id="in a comment"),
    pytest.param("ASK { <http://x/#> ?p {{ }} }", 3, id="hash in an IRI is no comment"),
    pytest.param("ASK { FILTER(?a<((((1))))>0) }", 6, id="less-than read as an IRI still counts"),
])
def test_nesting_counts_brackets_outside_literals_and_comments(text: str, depth: int) -> None:
    assert nesting(text) == depth


def test_a_deep_query_is_400_and_the_worker_lives(server: str) -> None:
    response = HTTP.get(server + "/sparql", params={"query": braces(DEEP)}, timeout=30)
    assert response.status_code == 400
    assert "KG_MAX_QUERY_DEPTH" in response.text and "limit of 32" in response.text and f"{DEEP} deep" in response.text
    for _ in range(4):  # both workers still answer
        assert HTTP.get(server + "/sparql", params={"query": "ASK {}"}, timeout=10).status_code == 200


@pytest.mark.parametrize("how", ["POST sparql-query", "POST form"])
def test_a_deep_query_by_post_is_400(server: str, how: str) -> None:
    query = "ASK { FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }"
    if how == "POST form":
        response = HTTP.post(server + "/sparql", data={"query": query}, timeout=30)
    else:
        response = HTTP.post(server + "/sparql", content=query,
                              headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert response.status_code == 400 and "KG_MAX_QUERY_DEPTH" in response.text


def test_a_deep_update_is_400_and_changes_nothing(writable_server: str) -> None:
    update = "INSERT { <urn:deep> <urn:p> 1 } WHERE " + "{" * DEEP + "}" * DEEP
    response = HTTP.post(writable_server + "/sparql", content=update, timeout=30, headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {UPDATE_TOKEN}"})
    assert response.status_code == 400 and "update nests" in response.text and "KG_MAX_QUERY_DEPTH" in response.text
    assert HTTP.get(writable_server + "/sparql", params={"query": "ASK { <urn:deep> ?p ?o }"},
                     headers={"Accept": "text/csv"}).text.strip().endswith("false")


def test_the_limit_is_a_setting(sample_store_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "store"
    shutil.copytree(sample_store_dir, copy)
    with in_process(copy, max_query_depth=5) as client:
        assert client.get("/sparql", params={"query": braces(5)}).status_code == 200
        refused = client.get("/sparql", params={"query": braces(6)})
        assert refused.status_code == 400 and "6 deep, over the limit of 5" in refused.text
        # brackets in literals do not count
        literal = 'SELECT * WHERE { BIND("((((((((((" AS ?x) }'
        assert client.get("/sparql", params={"query": literal}).status_code == 200


def test_the_default_limit_bounds_the_parse_of_nested_blank_nodes(client) -> None:
    """Nested [ ] in a triple cost Oxigraph's parser time growing as depth^4: the default keeps it short."""
    nested = "ASK { ?s ?p " + "[ ?p " * 33 + "1" + " ]" * 33 + " }"
    refused = client.get("/sparql", params={"query": nested})
    assert refused.status_code == 400 and "over the limit of 32" in refused.text
