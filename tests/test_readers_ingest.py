"""End to end: saved pages, a WARC and a feed go through `kg ingest` into the store, their URL and
publisher queryable by SPARQL, and the graph still conforms to the shapes."""
from __future__ import annotations

import re
from pathlib import Path

from kg.namespaces import sparql_prefixes
from kg.readers.article import url_id
from kg.store import KGStore
from tests.conftest import run_kg as kg
from tests.corpora import page, rss, story, write_warc

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


def test_kg_ingest_passes_input_format_and_columns_to_the_readers(tmp_path: Path) -> None:
    s = story(30)
    export = tmp_path / "export.csv"
    export.write_text(f'uid,story,hed\nk-1,"{s.text}",{s.title}\n', encoding="utf-8")
    saved = tmp_path / "page.saved"
    saved.write_text(page(story(31), canonical=False))
    store = tmp_path / "store"
    run = kg("ingest", str(export), str(saved), "--store", str(store), "--text-column", "story",
             "--id-column", "uid", "--title-column", "hed")
    assert run.returncode == 2 and "page.saved' has no known extension" in run.stderr  # and nothing is read
    run = kg("ingest", str(export), "--store", str(store), "--text-column", "story", "--id-column", "uid",
             "--title-column", "hed")
    assert run.returncode == 0 and re.search(r"1 documents? ingested \(0 unchanged\)", run.stderr), run.stderr
    run = kg("ingest", str(saved), "--store", str(store), "--input-format", "html")
    assert run.returncode == 0 and "1 document" in run.stderr, run.stderr
    kg_store = KGStore(store)
    titles = {(r["id"].value, r["title"].value) for r in kg_store.ox.query(sparql_prefixes() + """
        SELECT ?id ?title WHERE { GRAPH ?doc { ?doc dcterms:identifier ?id ; dcterms:title ?title } }""")}
    assert titles == {("k-1", s.title), ("page", story(31).title)}
