"""Full-text search (kg.search): `kg search`, `/search`, `text:query` inside SPARQL, and an index that
stays in step with the store through ingest, re-ingest, removal and writes through the server."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import search
from kg.ingestion import ingest
from kg.namespaces import DEFAULT_BASE
from kg.store import KGStore
from tests.conftest import UPDATE_TOKEN, in_process, run_kg

DNIPRO = DEFAULT_BASE + "doc/dnipro-strike-1202"
TEXT = "PREFIX text: <https://w3id.org/newskg/text#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"


def _docs(results: search.Results) -> list[str]:
    return [hit.iri for hit in results.hits]


def test_the_query_language_quotes_every_term_so_no_input_breaks_it() -> None:
    assert search.match_expression('Rafah "border crossing"') == '"Rafah" "border crossing"'
    assert search.match_expression("evacuat* OR hostage") == '"evacuat"* OR "hostage"'
    assert search.match_expression('AND NOT ) ( " : -') == '"AND" "NOT"'
    with pytest.raises(search.SearchError, match="give one or more words"):
        search.match_expression('OR " ) -')


def test_kg_search_finds_a_sample_article_by_a_word_of_its_body_and_by_a_phrase(sample_store_dir: Path) -> None:
    by_word = run_kg("search", "storey", "--store", sample_store_dir)
    assert by_word.returncode == 0, by_word.stderr
    assert DNIPRO in by_word.stdout and "nine-storey" in by_word.stdout
    by_phrase = run_kg("search", '"struck a nine-storey"', "--store", sample_store_dir, "--json")
    found = json.loads(by_phrase.stdout)
    assert [d["iri"] for d in found["documents"]] == [DNIPRO]
    [doc] = found["documents"]
    start, end = doc["snippet"]["matches"][0]
    assert doc["snippet"]["text"][start:end] == "struck a nine-storey"  # the phrase marked whole
    # a phrase is words in a row: the same words apart do not match it
    assert json.loads(run_kg("search", '"storey struck"', "--store", sample_store_dir, "--json").stdout)["total"] == 0
    nothing = run_kg("search", '"', "--store", sample_store_dir)
    assert nothing.returncode == 2 and "give one or more words" in nothing.stderr


def test_results_are_ranked_paged_and_limited(sample_store_dir: Path) -> None:
    index = search.index_of(sample_store_dir)
    every = search.search(index, "killed", limit=100)
    assert every.total == len(every.hits) > 3
    assert [h.score for h in every.hits] == sorted((h.score for h in every.hits), reverse=True)
    first, second = search.search(index, "killed", limit=2), search.search(index, "killed", limit=2, offset=2)
    assert _docs(first) + _docs(second) == _docs(every)[:4]
    assert search.search(index, "kill", limit=100).total == every.total  # stemmed: one word, one set


def test_search_page_and_json(reader) -> None:
    page = reader.get("/search", params={"q": "storey"})
    assert page.status_code == 200 and "<mark>storey</mark>" in page.text and "dnipro-strike-1202" in page.text
    answer = reader.get("/search", params={"q": "Dnipro", "format": "json"}).json()
    assert DNIPRO in [d["iri"] for d in answer["documents"]]
    assert any(e["label"] == "Dnipro" and e["kind"] == "city" for e in answer["entities"])
    by_accept = reader.get("/search", params={"q": "Dnipro"}, headers={"Accept": "application/json"})
    assert by_accept.json() == answer
    for params, words in [({"q": '"'}, "give one or more words"), ({"q": "x", "limit": "0"}, "'limit'"),
                          ({"q": "", "format": "json"}, "/search?q=words"), ({"q": "x", "format": "xml"}, "'format'")]:
        refused = reader.get("/search", params=params)
        assert refused.status_code == 400 and words in refused.text, params


def test_search_inside_sparql_gives_the_documents_of_search(reader) -> None:
    query = TEXT + """SELECT ?doc ?score ?title WHERE {
      (?doc ?score) text:query ("missile strike" 50) .
      ?doc dcterms:title ?title .
    } ORDER BY DESC(?score) ?doc"""
    answer = reader.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    rows = answer.json()["results"]["bindings"]
    searched = reader.get("/search", params={"q": "missile strike", "format": "json", "limit": "50"}).json()
    assert [r["doc"]["value"] for r in rows] == [d["iri"] for d in searched["documents"]] != []
    assert all(r["title"]["value"] for r in rows)
    # joined with the graph: only the documents that report an incident in Dnipro
    joined = TEXT + """PREFIX nkg: <https://w3id.org/newskg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT DISTINCT ?doc WHERE { ?doc text:query "missile" . GRAPH ?doc { ?i a nkg:Incident ; nkg:place ?p } ?p rdfs:label "Dnipro" }"""
    docs = reader.get("/sparql", params={"query": joined}, headers={"Accept": "application/sparql-results+json"}).json()
    assert DNIPRO in {r["doc"]["value"] for r in docs["results"]["bindings"]}


@pytest.mark.parametrize("pattern, words", [
    ('?d a ?t ; text:query "x" .', "subject"),
    ('?d text:query ?words .', "object"),
    ('?d text:query "x" ; a ?t .', "must end"),
    ('?d text:query "" .', "give one or more words"),
])
def test_a_misused_text_query_is_a_400_that_shows_how(reader, pattern: str, words: str) -> None:
    answer = reader.get("/sparql", params={"query": TEXT + f"SELECT * WHERE {{ {pattern} }}"})
    assert answer.status_code == 400 and words in answer.text and "text:query" in answer.text


def _indexed(store_dir: Path) -> set[str]:
    index = search.index_of(store_dir)
    return set(_docs(search.search(index, "the OR a OR of OR in", limit=1000)))


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_the_index_follows_ingest_reingest_and_removal(nlp, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    first = [{"id": "a", "text": "A car bomb killed four people in Kirkuk on Monday."},
             {"id": "b", "text": "Floods displaced 2,000 families near Basra."}]
    store = KGStore(store_dir)
    ingest([_write(tmp_path / "v1.jsonl", first)], store, DEFAULT_BASE, nlp=nlp)
    store.close()
    index = search.index_of(store_dir)
    assert _docs(search.search(index, "Kirkuk")) == [DEFAULT_BASE + "doc/a"]
    # a new text for the same document: its old words are gone from the index, its new ones there
    second = [dict(first[0], text="A car bomb killed four people in Mosul on Monday.")]
    store = KGStore(store_dir)
    ingest([_write(tmp_path / "v2.jsonl", second)], store, DEFAULT_BASE, nlp=nlp)
    store.close()
    assert search.search(index, "Kirkuk").total == 0
    assert _docs(search.search(index, "Mosul")) == [DEFAULT_BASE + "doc/a"]
    assert {e.label for e in search.search(index, "Mosul", entities=5).entities} >= {"Mosul"}
    # removed through the server (Graph Store Protocol): gone from search too
    with in_process(store_dir, update_token=UPDATE_TOKEN) as client:
        gone = client.delete("/store", params={"graph": DEFAULT_BASE + "doc/b"},
                             headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
        assert gone.status_code in (200, 204), gone.text
        assert client.get("/search", params={"q": "Basra", "format": "json"}).json()["total"] == 0
        # a title changed by a SPARQL Update is searched by at once
        update = f"""INSERT DATA {{ GRAPH <{DEFAULT_BASE}doc/a> {{ <{DEFAULT_BASE}doc/a>
                     <http://purl.org/dc/terms/title> "Blast in the old city" }} }}"""
        done = client.post("/sparql", data={"update": update}, headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
        assert done.status_code == 204, done.text
        assert client.get("/search", params={"q": "blast", "format": "json"}).json()["total"] == 1
    assert _indexed(store_dir) == {DEFAULT_BASE + "doc/a"}


def test_a_lost_index_is_rebuilt_by_the_next_ingest_and_kg_load_indexes_what_it_loads(
        sample_store_dir: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    shutil.copytree(sample_store_dir, store_dir)
    expected = _indexed(store_dir)
    search.index_of(store_dir).unlink()
    missing = run_kg("search", "Dnipro", "--store", store_dir)
    assert missing.returncode == 2 and "kg ingest" in missing.stderr
    store = KGStore(store_dir)
    search.sync(store.ox, search.index_of(store_dir))  # what every ingest runs last
    store.close()
    assert _indexed(store_dir) == expected
    dump = tmp_path / "all.nq"
    assert run_kg("export", "--store", store_dir, "-o", dump, "-f", "nquads").returncode == 0
    loaded = tmp_path / "loaded"
    assert run_kg("load", dump, "--store", loaded).returncode == 0
    assert _indexed(loaded) == expected


def test_sync_is_a_no_op_when_in_step(sample_store_dir: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    shutil.copytree(sample_store_dir, store_dir)
    store = KGStore(store_dir)
    assert not search.sync(store.ox, search.index_of(store_dir)).changed
    assert not search.sync(store.ox, search.index_of(store_dir), recheck=True).changed
    store.ox.remove(next(iter(store.ox.quads_for_pattern(None, ox.NamedNode("http://purl.org/dc/terms/title"), None))))
    assert search.sync(store.ox, search.index_of(store_dir), recheck=True).indexed == 1
    store.close()
