"""KG_QUERY_TIMEOUT stops a runaway SPARQL Update too (issue 10, defect 3).

The update held the store's write lock for as long as it ran (minutes), and every other write hung
behind it. Now it is stopped at the timeout: 503, the store as it was, the lock released.
"""
from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.conftest import HTTP, numbered_store, UPDATE_TOKEN, running_server

TIMEOUT = 2  # seconds, KG_QUERY_TIMEOUT of the server under test
TRIPLES = 2000
RUNAWAY = "INSERT { ?a <urn:runaway> ?i } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 8e9 rows
HEADERS = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {UPDATE_TOKEN}"}


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("update-timeout") / "store"
    numbered_store(path, TRIPLES)
    with running_server(path, {"KG_QUERY_TIMEOUT": str(TIMEOUT), "KG_UPDATE_TOKEN": UPDATE_TOKEN}) as base:
        yield base


def ask(url: str, query: str) -> bool:
    response = HTTP.get(url + "/sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.text.split()[-1] == "true"


def test_a_runaway_update_is_stopped_and_changes_nothing(url: str) -> None:
    answered = threading.Event()
    outcome: dict[str, httpx.Response] = {}

    def runaway() -> None:
        outcome["runaway"] = HTTP.post(url + "/sparql", content=RUNAWAY, headers=HEADERS, timeout=120)
        answered.set()

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)  # let it take the lock first (not asserted: the write below must succeed either way)
    queued = HTTP.post(url + "/sparql", content="INSERT DATA { <urn:queued> <urn:p> 1 }", headers=HEADERS,
                        timeout=120)
    thread.join(150)
    assert answered.is_set()
    assert outcome["runaway"].status_code == 503
    assert f"timed out after {TIMEOUT} s" in outcome["runaway"].text
    assert queued.status_code == 204, queued.text
    assert not ask(url, "ASK { ?a <urn:runaway> ?i }")
    assert ask(url, "ASK { <urn:queued> <urn:p> 1 }")
    # the lock is free: the next writes go through, on either worker
    for i in range(4):
        after = HTTP.post(url + "/sparql", content=f"INSERT DATA {{ <urn:after{i}> <urn:p> 1 }}", headers=HEADERS,
                           timeout=30)
        assert after.status_code == 204, after.text
        assert ask(url, f"ASK {{ <urn:after{i}> <urn:p> 1 }}")


def test_a_runaway_graph_store_write_is_not_held_either(url: str) -> None:
    """A Graph Store write behind a stopped update goes through (the same lock, the same path)."""
    response = HTTP.put(url + "/store?graph=urn:g", content=b"<urn:x> <urn:p> \"1\" .",
                         headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {UPDATE_TOKEN}"},
                         timeout=30)
    assert response.status_code == 201
    assert ask(url, "ASK { GRAPH <urn:g> { <urn:x> <urn:p> \"1\" } }")
