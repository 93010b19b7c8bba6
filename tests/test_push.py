"""`kg push` into a live Oxigraph server on loopback, and into a flaky Graph Store endpoint.

The sample graph is pushed with each protocol; then every canned query must answer the same
over HTTP from the Oxigraph server as from our own endpoint (`kg serve`).
"""
from __future__ import annotations

import io
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest

from kg import queries
from kg.ingestion import ingest
from kg.namespaces import DEFAULT_BASE
from kg.push import GraphStore, PushReport, Records, SparqlUpdate, Target, current, push
from kg.keys import doc_iri
from kg.store import KGStore
from tests.conftest import free_port, run_kg
from tests.external import Endpoints, answers, difference, oxigraph_server

NEW_ARTICLE = """Evacuation from Kharkiv resumes
Ukrainian officials said 120 people were evacuated from Vovchansk on Sunday.
"""
NEW_ID = "kharkiv-evacuation-resumes"
FAST = {"retries": 2, "backoff": 0.01, "timeout": 5.0}


def _copy(sample_store_dir: Path, where: Path) -> KGStore:
    shutil.copytree(sample_store_dir, where)
    return KGStore(where)


@dataclass
class Pushed:
    endpoints: Endpoints
    store: KGStore
    target: Target
    report: PushReport


@pytest.fixture(scope="module", params=[pytest.param(GraphStore, id="gsp"), pytest.param(SparqlUpdate, id="update")])
def pushed(request, sample_store_dir: Path, tmp_path_factory) -> Iterator[Pushed]:
    """A fresh Oxigraph server that the sample graph was pushed into, with the given protocol."""
    workdir = tmp_path_factory.mktemp(f"oxigraph-{request.param.name}")
    store = _copy(sample_store_dir, workdir / "store")
    with oxigraph_server(workdir) as endpoints:
        target = endpoints.target(request.param)
        yield Pushed(endpoints, store, target, push(store, target, DEFAULT_BASE, **FAST))


def test_push_sends_every_named_graph_once(pushed: Pushed) -> None:
    everything = {item.graph for item in current(pushed.store)}
    assert not pushed.report.failed
    assert sorted(pushed.report.sent) == sorted(everything)
    assert set(pushed.store.documents()) < everything
    assert f"{DEFAULT_BASE}graph/entities" in everything
    assert pushed.report.triples == sum(1 for q in pushed.store.ox if q.graph_name.value in everything)


@pytest.mark.parametrize("name", sorted(queries.all_queries()))
def test_pushed_graph_answers_every_canned_query_as_our_endpoint(name: str, pushed: Pushed, server: str) -> None:
    text = queries.get(name).text
    ours = answers(text, server + "/sparql")
    theirs = answers(text, pushed.endpoints.query)
    assert theirs == ours, difference(theirs, ours)


def test_second_push_of_an_unchanged_graph_sends_nothing(pushed: Pushed) -> None:
    again = push(pushed.store, pushed.target, DEFAULT_BASE, **FAST)
    assert again.sent == [] and again.failed == {} and again.triples == 0
    assert again.unchanged == len(pushed.report.sent)


def test_push_after_ingest_sends_only_the_new_document(pushed: Pushed, nlp, tmp_path: Path) -> None:
    (tmp_path / f"{NEW_ID}.txt").write_text(NEW_ARTICLE)
    assert ingest([tmp_path], pushed.store, DEFAULT_BASE, nlp=nlp).documents == 1
    report = push(pushed.store, pushed.target, DEFAULT_BASE, **FAST)
    new_doc = doc_iri(DEFAULT_BASE, NEW_ID).value
    documents = set(pushed.store.documents())
    assert [g for g in report.sent if g in documents] == [new_doc]
    # its graph, the shared facts it adds to, and the events graph, which records every document it linked
    assert set(report.sent) <= {new_doc, f"{DEFAULT_BASE}graph/entities", f"{DEFAULT_BASE}graph/events"}
    ask = f"SELECT ?id WHERE {{ GRAPH <{new_doc}> {{ <{new_doc}> <http://purl.org/dc/terms/identifier> ?id }} }}"
    assert answers(ask, pushed.endpoints.query) == [(("literal", NEW_ID, "", ""),)]


# --- a flaky Graph Store endpoint, to see retries, failures and auth on the wire --------------

@dataclass
class FlakyEndpoint:
    """Answers 503 to every PUT of `broken`, 503 once to each graph of `hiccup`, 204 to the rest."""

    broken: set[str] = field(default_factory=set)
    hiccup: set[str] = field(default_factory=set)
    received: list[str] = field(default_factory=list)  # graphs stored, in order
    deleted: list[str] = field(default_factory=list)  # graphs deleted, in order
    attempts: list[str] = field(default_factory=list)  # every PUT, with the retries
    authorization: set[str] = field(default_factory=set)


@pytest.fixture
def flaky() -> Iterator[tuple[FlakyEndpoint, str]]:
    state = FlakyEndpoint()

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:  # noqa: N802 (http.server's naming)
            graph = parse_qs(urlsplit(self.path).query)["graph"][0]
            self.rfile.read(int(self.headers["Content-Length"]))
            state.attempts.append(graph)
            state.authorization.add(self.headers.get("Authorization", ""))
            if graph in state.broken or graph in state.hiccup:
                state.hiccup.discard(graph)
                self.send_response(503)
            else:
                state.received.append(graph)
                self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_DELETE(self) -> None:  # noqa: N802
            state.deleted.append(parse_qs(urlsplit(self.path).query)["graph"][0])
            self.send_response(404 if len(state.deleted) > 1 else 204)  # gone already is as good
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)  # shutdown() waits one poll
    thread.start()
    yield state, f"http://127.0.0.1:{httpd.server_port}/store"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def store_copy(sample_store_dir: Path, tmp_path: Path) -> KGStore:
    return _copy(sample_store_dir, tmp_path / "store")


def test_failed_graphs_are_reported_and_a_rerun_sends_exactly_those(flaky, store_copy: KGStore) -> None:
    state, url = flaky
    documents = store_copy.documents()
    state.broken = {documents[0]}
    state.hiccup = {documents[1]}
    first = push(store_copy, GraphStore(url), DEFAULT_BASE, **FAST)
    assert list(first.failed) == [documents[0]]
    assert "HTTP 503" in first.failed[documents[0]]
    assert state.attempts.count(documents[0]) == 1 + FAST["retries"]
    assert state.attempts.count(documents[1]) == 2  # one 503, then stored
    assert documents[0] not in Records(store_copy).sent(url)

    state.broken, state.received = set(), []
    second = push(store_copy, GraphStore(url), DEFAULT_BASE, **FAST)
    assert second.sent == [documents[0]] == state.received
    assert second.failed == {} and second.unchanged == len(first.sent)


def test_a_graph_gone_from_the_store_is_deleted_at_the_target_once(flaky, store_copy: KGStore) -> None:
    state, url = flaky
    push(store_copy, GraphStore(url), DEFAULT_BASE, **FAST)
    gone = store_copy.documents()[:2]
    for graph in gone:
        store_copy.ox.remove_graph(ox.NamedNode(graph))
    second = push(store_copy, GraphStore(url), DEFAULT_BASE, **FAST)
    assert sorted(second.deleted) == sorted(state.deleted) == sorted(gone)
    assert not second.failed and not set(gone) & set(Records(store_copy).sent(url))
    third = push(store_copy, GraphStore(url), DEFAULT_BASE, **FAST)
    assert third.deleted == [] and third.sent == [] and len(state.deleted) == 2


def test_push_records_stay_out_of_the_store_and_its_export(flaky, store_copy: KGStore, tmp_path: Path) -> None:
    state, url = flaky
    secret_url = url.replace("http://", "http://ana:pw@")  # credentials in the URL must not leak
    push(store_copy, GraphStore(secret_url), DEFAULT_BASE, **FAST)
    assert Records(store_copy).sent(secret_url)
    assert (tmp_path / "store.pushes.json").exists()
    out = io.BytesIO()
    store_copy.export(out, "nquads")
    assert b"ana:pw" not in out.getvalue() and b"/graph/pushes" not in out.getvalue()


@pytest.mark.parametrize("target, header", [
    pytest.param(GraphStore("", token="s3cret"), "Bearer s3cret", id="bearer"),
    pytest.param(GraphStore("", user="ana", password="pw"), "Basic YW5hOnB3", id="basic"),
])
def test_push_authenticates_every_request(flaky, store_copy: KGStore, target: Target, header: str) -> None:
    state, url = flaky
    report = push(store_copy, GraphStore(url, token=target.token, user=target.user, password=target.password),
                  DEFAULT_BASE, **FAST)
    assert report.sent and not report.failed
    assert state.authorization == {header}


def test_push_takes_its_credentials_from_the_settings(flaky, sample_store_dir: Path, tmp_path: Path) -> None:
    """KG_PUSH_TOKEN and KG_PUSH_PASSWORD keep a secret out of the command line (and `ps`); a flag wins."""
    state, url = flaky
    shutil.copytree(sample_store_dir, tmp_path / "store")
    done = run_kg("push", "--store", tmp_path / "store", "--to", url, env={"KG_PUSH_TOKEN": "s3cret"})
    assert done.returncode == 0, done.stderr
    assert state.authorization == {"Bearer s3cret"}
    state.authorization.clear()
    done = run_kg("push", "--store", tmp_path / "store", "--to", url, "--all", "--user", "ana",
                  env={"KG_PUSH_PASSWORD": "pw", "KG_PUSH_TOKEN": ""})
    assert done.returncode == 0, done.stderr
    assert state.authorization == {"Basic YW5hOnB3"}
    state.authorization.clear()
    done = run_kg("push", "--store", tmp_path / "store", "--to", url, "--all", "--token", "flagged",
                  env={"KG_PUSH_TOKEN": "s3cret"})
    assert done.returncode == 0, done.stderr
    assert state.authorization == {"Bearer flagged"}


def test_unreachable_target_fails_with_the_graphs_named(sample_store_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(sample_store_dir, tmp_path / "store")
    url = f"http://127.0.0.1:{free_port()}/store"
    done = run_kg("push", "--store", tmp_path / "store", "--to", url, "--retries", "0")
    assert done.returncode == 1
    assert "ConnectError" in done.stderr
    for doc in KGStore(tmp_path / "store").documents():
        assert f"not sent {doc}" in done.stderr
    assert "run again to send them" in done.stderr
