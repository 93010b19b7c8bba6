"""End to end: saved pages, a WARC and a feed go through `kg ingest` into the store, their URL and
publisher queryable by SPARQL, and the graph still conforms to the shapes."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from kg.namespaces import sparql_prefixes
from kg.readers.article import url_id
from kg.store import KGStore
from tests.conftest import KG
from tests.corpora import page, rss, story, write_warc

WIDE = {**os.environ, "COLUMNS": "1000"}  # one message a line


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(KG + list(args), capture_output=True, text=True, timeout=600, env=WIDE, check=False)


def test_html_warc_and_feed_go_through_kg_ingest_with_url_and_publisher(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    saved = story(11)
    (inputs / "saved.html").write_text(page(saved))
    crawled = write_warc(inputs / "crawl.warc.gz", 3)
    fed = story(20, "reliefwire.example")
    (inputs / "relief.rss").write_text(rss([fed], title="Relief Wire"))
    (inputs / "broken.txt").write_bytes(b"\xff\xfeNot UTF-8")
    store = tmp_path / "store"
    run = kg("ingest", str(inputs), "--store", str(store))
    assert run.returncode == 0, run.stderr
    assert "5 documents ingested" in run.stderr and "broken.txt:1: byte 0xff" in run.stderr

    kg_store = KGStore(store)
    query = sparql_prefixes() + """
    SELECT ?id ?url ?publisher ?date WHERE { GRAPH ?doc { ?doc a nkg:Document ; dcterms:identifier ?id ;
        schema:url ?url ; dcterms:publisher ?publisher ; dcterms:date ?date } }"""
    found = {(s["id"].value, s["url"].value, s["publisher"].value, s["date"].value) for s in kg_store.ox.query(query)}
    expected = {(url_id(s.url), s.url, "gulfledger.example", s.date.isoformat()) for s in [saved, *crawled]}
    assert found == expected | {(url_id(fed.url), fed.url, "Relief Wire", fed.date.isoformat())}
    kg_store.close()

    validate = kg("validate", "--store", str(store))
    assert validate.returncode == 0 and "conforms" in validate.stderr, validate.stderr

    again = kg("ingest", str(inputs), "--store", str(store))
    assert "0 documents ingested (5 unchanged)" in again.stderr, again.stderr
