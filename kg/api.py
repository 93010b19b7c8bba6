"""The Python API: the graph as an rdflib `Dataset`, and extraction without a store.

>>> import kg
>>> ds = kg.open("data/store")                      # an existing store, as `kg ingest` wrote it
>>> rows = ds.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")   # runs inside Oxigraph
>>> facts = kg.extract("Two people were killed in Rafah on Tuesday.")  # an in-memory Dataset

Every Dataset here is rdflib's, over an Oxigraph store (oxrdflib): `.query()` with a query
string runs in Oxigraph. A prepared query (`prepareQuery`) falls back to rdflib's own engine,
which is far slower: pass strings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from kg import config, pipeline
from kg import ingestion as _ingest
from kg.documents import Article
from kg.namespaces import entities_graph
from kg.store import KGStore, require_store


def open(path: str | Path, *, read_only: bool = False, create: bool = False) -> Dataset:
    """The store at `path` as an rdflib Dataset whose default graph is the union of all graphs.

    :param path: a store directory, as `kg ingest --store` writes it.
    :param read_only: open it beside a process that writes it (a running `kg ingest`); no writes.
    :param create: make an empty store when there is none at `path`.
    :raises kg.errors.StoreError: there is no store at `path` (and not `create`).
    """
    path = Path(path)
    if read_only:
        require_store(path)
        return KGStore(path, ox_store=ox.Store.read_only(str(path))).dataset
    return KGStore(path, create=create).dataset


def extract(
    text: str,
    *,
    id: str = "text",
    title: str | None = None,
    date: dt.date | str | None = None,
    url: str | None = None,
    model: str | None = None,
) -> Dataset:
    """The facts of one text, as `kg ingest` would store them, in an in-memory Dataset.

    The document's own named graph holds its facts; the shared graph holds canonical labels.
    """
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    article = Article(id=id, text=text, title=title, date=date, url=url, source="<text>")
    base = config.settings().base
    [graph] = _ingest.extract(pipeline.load(model), [article], base, pipeline.fingerprint(model))
    store = KGStore(None)
    store.ox.extend(ox.Quad(t.subject, t.predicate, t.object, graph.iri) for t in graph.triples)
    shared = entities_graph(base)
    store.ox.extend(ox.Quad(t.subject, t.predicate, t.object, shared) for t in graph.shared)
    return store.dataset


def ingest(
    paths: str | Path | Iterable[str | Path],
    *,
    store: str | Path | None = None,
    model: str | None = None,
    workers: int = 1,
    force: bool = False,
) -> Dataset:
    """Ingest articles (files or directories, as `kg ingest` takes them) and return the graph.

    With `store=None` the graph lives in memory only; with a directory it is written there, as
    `kg ingest --store` does (unchanged documents are skipped unless `force`).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    target = KGStore(Path(store) if store is not None else None)
    report = _ingest.ingest(
        [Path(p) for p in paths],
        target,
        config.settings().base,
        model=model,
        workers=workers,
        force=force,
        nlp=pipeline.load(model) if workers <= 1 else None,
    )
    if report.errors:
        import warnings

        for error in report.errors:
            warnings.warn(f"skipped {error}", stacklevel=2)
    return target.dataset
