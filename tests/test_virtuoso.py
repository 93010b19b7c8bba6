"""`kg push` into a live Virtuoso (Debian `virtuoso-opensource`), then the canned queries over HTTP.

Virtuoso runs in the foreground on loopback ports with a minimal virtuoso.ini in a temporary
directory. `--via update` goes to /sparql (SPARQL_UPDATE granted to the SPARQL user), the Graph Store
Protocol to /sparql-graph-crud-auth with HTTP digest auth.
"""
from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import queries
from kg.namespaces import DEFAULT_BASE
from kg.push import GraphStore, PushReport, SparqlUpdate, Target, current, push
from kg.store import KGStore
from tests.external import Endpoints, answers, difference, isql_exec, virtuoso_server

pytestmark = pytest.mark.external

FAST = {"retries": 2, "backoff": 0.05, "timeout": 30.0}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[Endpoints]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as endpoints:
        yield endpoints


@pytest.fixture(scope="module", params=[pytest.param(SparqlUpdate, id="update"), pytest.param(GraphStore, id="gsp")])
def pushed(request, virtuoso: Endpoints, sample_store_dir: Path,
           tmp_path_factory) -> tuple[KGStore, Target, PushReport]:
    """The sample graph pushed into Virtuoso with one protocol (the second replaces what the first sent)."""
    copy = tmp_path_factory.mktemp(f"virtuoso-push-{request.param.name}") / "store"
    shutil.copytree(sample_store_dir, copy)
    store, target = KGStore(copy), virtuoso.target(request.param)
    return store, target, push(store, target, DEFAULT_BASE, **FAST)


def test_push_into_virtuoso_sends_every_named_graph(pushed, virtuoso: Endpoints) -> None:
    store, _, report = pushed
    assert not report.failed
    assert sorted(report.sent) == sorted(item.graph for item in current(store))
    graphs = " ".join(f"<{g}>" for g in report.sent)
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ {graphs} }} }}"
    assert answers(count, virtuoso.query) == [(("number", report.triples),)]


@pytest.mark.parametrize("name", sorted(queries.all_queries()))
def test_virtuoso_answers_every_canned_query_as_our_endpoint(name: str, pushed, virtuoso: Endpoints,
                                                              server: str) -> None:
    text = queries.get(name).text
    ours, theirs = answers(text, server + "/sparql"), answers(text, virtuoso.query)
    assert theirs == ours, difference(theirs, ours)


def test_second_push_into_virtuoso_sends_nothing(pushed) -> None:
    store, target, report = pushed
    again = push(store, target, DEFAULT_BASE, **FAST)
    assert again.sent == [] and again.failed == {} and again.unchanged == len(report.sent)


def test_virtuoso_bulk_loader_takes_our_nquads_export(pushed, virtuoso: Endpoints) -> None:
    """The README recipe: `kg export --format nquads`, then ld_dir + rdf_loader_run into emptied graphs."""
    store, _, report = pushed
    assert virtuoso.load_dir is not None
    dump = virtuoso.load_dir / f"newskg-{uuid.uuid4().hex}.nq"  # ld_dir registers each file name once
    with dump.open("wb") as out:
        store.export(out, "nquads")
    clear = "; ".join(f"SPARQL CLEAR GRAPH <{graph}>" for graph in report.sent)
    isql_exec(virtuoso.isql, f"{clear}; ld_dir('{virtuoso.load_dir}', '{dump.name}', '{DEFAULT_BASE}graph/default'); "
                             "rdf_loader_run(); checkpoint;")
    for graph in report.sent:
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        expected = len(list(store.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
        assert answers(count, virtuoso.query) == [(("number", expected),)], graph
