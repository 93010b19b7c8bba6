"""The query page and the entity page over HTTP, in process (the app a `kg serve` worker runs)."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from markupsafe import escape
from rdflib import Literal, URIRef

from kg import queries
from kg.namespaces import NIF, NKG, RDF, RDFS, SKOS
from kg.server.entity_view import CONTEXT, pieces
from kg.store import KGStore
from tests.conftest import SAMPLE_ACTORS, in_process, ox_triples

HOSTILE_DOC = URIRef("https://example.org/doc/hostile")
HOSTILE_ENTITY = URIRef("https://example.org/e/it's&more")
HOSTILE_LABEL = '<script>alert("label")</script>'
HOSTILE_ALIAS = "<img src=x onerror=alert(1)>"
HOSTILE_ANCHOR = "<b>Evil & Co</b>"
HOSTILE_TEXT = f"Officials said {HOSTILE_ANCHOR} attacked the <i>town</i>. Nothing else happened."
ABSENT = "https://w3id.org/newskg/id/org/no-such-entity"


def select(reader: httpx.Client, query: str) -> list[dict]:
    response = reader.post("/sparql", data={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def entity_by_label(reader: httpx.Client, label: str) -> str:
    rows = select(reader, f"SELECT ?e WHERE {{ ?e <{RDFS.label}> {json.dumps(label)} }} LIMIT 1")
    assert rows, f"no entity labelled {label!r} in the sample store"
    return rows[0]["e"]["value"]


def entity_page(reader: httpx.Client, iri: str) -> httpx.Response:
    return reader.get("/entity", params={"iri": iri})


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Iterator[httpx.Client]:
    """The app over a hand-made store whose label, alias and text are HTML."""
    path: Path = tmp_path_factory.mktemp("hostile") / "store"
    begin = HOSTILE_TEXT.index(HOSTILE_ANCHOR)
    mention = URIRef(f"{HOSTILE_DOC}#offset_{begin}_{begin + len(HOSTILE_ANCHOR)}")
    store = KGStore(path)
    store.replace_graph(ox.NamedNode(HOSTILE_DOC), ox_triples([
        (HOSTILE_DOC, RDF.type, NKG.Document),
        (HOSTILE_DOC, NIF.isString, Literal(HOSTILE_TEXT)),
        (HOSTILE_ENTITY, RDF.type, NKG.Organization),
        (HOSTILE_ENTITY, RDFS.label, Literal(HOSTILE_LABEL)),
        (HOSTILE_ENTITY, SKOS.altLabel, Literal(HOSTILE_ALIAS)),
        (HOSTILE_ENTITY, NKG.mention, mention),
        (mention, NIF.beginIndex, Literal(begin)),
        (mention, NIF.endIndex, Literal(begin + len(HOSTILE_ANCHOR))),
        (mention, NIF.anchorOf, Literal(HOSTILE_ANCHOR)),
        (mention, NIF.referenceContext, HOSTILE_DOC),
    ]))
    store.close()
    with in_process(path) as endpoint:
        yield endpoint


def test_query_page_offers_every_canned_query(reader: httpx.Client) -> None:
    response = reader.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    data = json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>', page, re.S)[1])
    canned = queries.all_queries()
    assert canned and set(data["queries"]) == set(canned)
    for name, query in canned.items():
        assert f'data-name="{name}"' in page
        assert escape(query.title) in page
        assert escape(query.description) in page
        assert data["queries"][name] == query.text


@pytest.mark.parametrize("path, media", [
    pytest.param("/static/query.js", "text/javascript", id="script"),
    pytest.param("/static/style.css", "text/css", id="stylesheet"),
])
def test_page_assets_are_served_locally(reader: httpx.Client, path: str, media: str) -> None:
    response = reader.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert f'"{path.lstrip("/")}"' in reader.get("/").text


@pytest.mark.parametrize("label", [pytest.param(label, id=label) for label in SAMPLE_ACTORS])
def test_entity_page_shows_label_types_and_highlighted_sentences(reader: httpx.Client, label: str) -> None:
    iri = entity_by_label(reader, label)
    response = entity_page(reader, iri)
    assert response.status_code == 200
    page = response.text
    assert f'<h1 id="label">{escape(label)}</h1>' in page
    types = re.search(r'<p class="types">(.*?)</p>', page, re.S)
    assert types
    for row in select(reader, f"SELECT DISTINCT ?t WHERE {{ <{iri}> a ?t }}"):
        assert f'title="{escape(row["t"]["value"])}"' in types[1]
    assert f"<mark>{escape(label)}</mark>" in page
    mentioned_in = f"SELECT DISTINCT ?d WHERE {{ <{iri}> <{NKG.mention}>/<{NIF.referenceContext}> ?d }}"
    documents = {r["d"]["value"] for r in select(reader, mentioned_in)}
    assert documents
    svg = re.search(r'<svg id="neighbourhood".*?</svg>', page, re.S)
    assert svg
    for doc in documents:  # each passage cites its document, which is also a neighbour in the picture
        link = f'href="entity?iri={doc.replace(":", "%3A")}"'
        assert link in page.replace(svg[0], "")
        assert f'<a class="node document" {link}>' in svg[0]


def test_entity_page_picture_shows_what_is_mentioned_with_it(reader: httpx.Client) -> None:
    """Beside its documents, the picture draws the people, groups and places named in the same documents,
    each coloured by its kind, with its full label and IRI on hover; the legend names only the kinds drawn."""
    hamas = entity_by_label(reader, SAMPLE_ACTORS[0])
    shared = select(reader, f"""SELECT ?x (COUNT(DISTINCT ?d) AS ?n) ?label WHERE {{
        GRAPH ?d {{ <{hamas}> <{NKG.mention}> ?m . ?x <{NKG.mention}> ?o ; a ?k
                    FILTER(?k IN (<{NKG.Place}>, <{NKG.Country}>, <{NKG.Region}>, <{NKG.City}>, <{NKG.Crossing}>)) }}
        ?x <{RDFS.label}> ?label FILTER(?x != <{hamas}>) }} GROUP BY ?x ?label ORDER BY DESC(?n) ?label LIMIT 1""")
    assert shared, "no place named beside Hamas in the sample store"
    place, label, n = shared[0]["x"]["value"], shared[0]["label"]["value"], shared[0]["n"]["value"]
    page = entity_page(reader, hamas).text
    svg = re.search(r'<svg id="neighbourhood".*?</svg>', page, re.S)[0]
    assert f'<a class="node place" href="entity?iri={place.replace(":", "%3A")}">' in svg
    assert f"<title>{escape(label)}&#10;{place}</title>" in svg
    assert f"in {n} of its documents" in svg  # the dashed line says how many documents name both
    drawn = set(re.findall(r'<a class="node ([a-z]*)"', svg))
    legend = re.search(r'<p class="legend muted" id="legend">(.*?)</p>', page, re.S)[1]
    assert set(re.findall(r'<span class="key ([a-z]+)">', legend)) == drawn
    assert {"document", "place", "count"} <= drawn


def test_entity_page_facts_read_as_labels(reader: httpx.Client) -> None:
    """The facts table names each property by its label ("source", not prov:wasDerivedFrom), once for all its
    values, without the entity repeated on each row; facts of others that name it have their own table."""
    hamas = entity_by_label(reader, SAMPLE_ACTORS[0])
    page = entity_page(reader, hamas).text
    facts = re.search(r'<table class="facts" id="facts">(.*?)</table>', page, re.S)[1]
    rows = re.findall(r'<th scope="row"><span title="([^"]+)">([^<]+)</span></th>', facts)
    assert ("http://www.w3.org/ns/prov#wasDerivedFrom", "source") in rows
    assert len(rows) == len({iri for iri, _ in rows})  # one row a property
    assert "<thead>" not in facts and "self" not in facts and "prov:" not in facts
    incoming = re.search(r'<table class="facts incoming" id="incoming">(.*?)</table>', page, re.S)[1]
    assert (str(NKG.perpetrator), "perpetrator of") in re.findall(
        r'<th scope="row"><span title="([^"]+)">([^<]+)</span></th>', incoming)


def test_entity_page_lists_aliases(reader: httpx.Client) -> None:
    rows = select(reader, f"SELECT ?e ?label WHERE {{ ?e <{SKOS.altLabel}> ?alias ; <{RDFS.label}> ?label }} "
                          "ORDER BY ?label LIMIT 1")
    assert rows, "no entity with a skos:altLabel in the sample store"
    iri = rows[0]["e"]["value"]
    aliases = {r["a"]["value"] for r in select(reader, f"SELECT ?a WHERE {{ <{iri}> <{SKOS.altLabel}> ?a }}")}
    page = entity_page(reader, iri).text
    shown = re.search(r'<p class="aliases">(.*?)</p>', page, re.S)
    assert shown
    for alias in aliases - {rows[0]["label"]["value"]}:
        assert f'<span class="alias">{escape(alias)}</span>' in shown[1]


def test_document_page_shows_its_title_and_entities(reader: httpx.Client) -> None:
    hamas = entity_by_label(reader, SAMPLE_ACTORS[0])
    row = select(reader, f"SELECT ?d ?title WHERE {{ <{hamas}> <{NKG.mention}>/<{NIF.referenceContext}> ?d . "
                         f"?d <http://purl.org/dc/terms/title> ?title }} LIMIT 1")[0]
    page = entity_page(reader, row["d"]["value"]).text
    assert f'<h1 id="label">{escape(row["title"]["value"])}</h1>' in page
    assert f'title="{hamas}">{SAMPLE_ACTORS[0]}</a>' in page  # incoming: Hamas prov:wasDerivedFrom the document


@pytest.mark.parametrize("params, status, message", [
    pytest.param({"iri": ABSENT}, 404, f"No triple in the graph mentions &lt;{ABSENT}&gt;.", id="absent"),
    pytest.param({"iri": "not an iri"}, 400, "&#39;not an iri&#39; is not a valid IRI", id="invalid"),
    pytest.param({}, 400, "needs an &#39;iri&#39; parameter", id="missing"),
])
def test_entity_page_errors(reader: httpx.Client, params: dict, status: int, message: str) -> None:
    response = reader.get("/entity", params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert message in response.text


def test_entity_page_escapes_html_from_the_graph(hostile: httpx.Client) -> None:
    response = entity_page(hostile, str(HOSTILE_ENTITY))
    assert response.status_code == 200
    page = response.text
    for raw in (HOSTILE_LABEL, HOSTILE_ALIAS, HOSTILE_ANCHOR, "<i>town</i>", "it's&more"):
        assert raw not in page
    assert f'<h1 id="label">{escape(HOSTILE_LABEL)}</h1>' in page
    assert f'<span class="alias">{escape(HOSTILE_ALIAS)}</span>' in page
    assert f"<mark>{escape(HOSTILE_ANCHOR)}</mark>" in page
    assert "entity?iri=https%3A//example.org/doc/hostile" in page
    assert escape(str(HOSTILE_ENTITY)) in page


STORED_TEXT = "Dr. Ali Khan said so; Hamas fled on Oct. 7. Nothing else. Hamas came back."


@pytest.fixture(scope="module")
def sentenced(tmp_path_factory) -> Iterator[httpx.Client]:
    """The app over a hand-made store whose mentions of one entity have stored sentences (nif:sentence), but
    for the last, which has none: the first sentence as stored is not where a full stop ends it."""
    path: Path = tmp_path_factory.mktemp("sentenced") / "store"
    doc, entity = URIRef("https://example.org/doc/stored"), URIRef("https://example.org/e/hamas")

    def node(begin: int, end: int) -> URIRef:
        return URIRef(f"{doc}#offset_{begin}_{end}")

    def described(begin: int, end: int) -> list[tuple]:
        return [(node(begin, end), NIF.beginIndex, Literal(begin)), (node(begin, end), NIF.endIndex, Literal(end)),
                (node(begin, end), NIF.anchorOf, Literal(STORED_TEXT[begin:end])),
                (node(begin, end), NIF.referenceContext, doc)]

    first, last = STORED_TEXT.index("Hamas"), STORED_TEXT.rindex("Hamas")
    sentence = (STORED_TEXT.index("Hamas"), STORED_TEXT.index(" Nothing"))
    store = KGStore(path)
    store.replace_graph(ox.NamedNode(doc), ox_triples([
        (doc, RDF.type, NKG.Document), (doc, NIF.isString, Literal(STORED_TEXT)),
        (entity, RDF.type, NKG.Organization), (entity, RDFS.label, Literal("Hamas")),
        (entity, NKG.mention, node(first, first + 5)), (entity, NKG.mention, node(last, last + 5)),
        *described(first, first + 5), *described(last, last + 5), *described(*sentence),
        (node(first, first + 5), NIF.sentence, node(*sentence)), (node(*sentence), RDF.type, NIF.Sentence),
    ]))
    store.close()
    with in_process(path) as endpoint:
        yield endpoint


def test_entity_page_shows_the_stored_sentence(sentenced: httpx.Client) -> None:
    page = entity_page(sentenced, "https://example.org/e/hamas").text
    passages = re.findall(r"<blockquote>(.*?)</blockquote>", page, re.S)
    assert passages[0] == "<mark>Hamas</mark> fled on Oct. 7."  # as stored, not as a full stop ends it
    # a mention without a stored sentence: the text around it, cut to CONTEXT characters
    assert passages[1] == str(escape(STORED_TEXT[: STORED_TEXT.rindex("Hamas")])) + "<mark>Hamas</mark> came back."


def test_entity_page_shows_the_spacy_sentence_of_each_mention(reader: httpx.Client) -> None:
    """Over the sample store, each passage of an entity's page is the nif:Sentence of its mentions."""
    iri = entity_by_label(reader, SAMPLE_ACTORS[0])
    stored = {r["text"]["value"] for r in select(reader, f"""SELECT DISTINCT ?text WHERE {{
        <{iri}> <{NKG.mention}>/<{NIF.sentence}> ?s . ?s a <{NIF.Sentence}> ; <{NIF.anchorOf}> ?text }}""")}
    assert stored
    page = entity_page(reader, iri).text
    shown = {re.sub(r"</?mark>", "", p) for p in re.findall(r"<blockquote>(.*?)</blockquote>", page, re.S)}
    assert shown and {p for p in shown if "…" not in p} <= {str(escape(t)) for t in stored}


LONG = "x" * (CONTEXT + 10)


@pytest.mark.parametrize("text, spans, expected", [
    pytest.param("Egypt and Egypt.", [(10, 15), (0, 5)],
                 [("Egypt", True), (" and ", False), ("Egypt", True), (".", False)], id="two-mentions-one-sentence"),
    pytest.param(f"{LONG}Egypt{LONG}", [(len(LONG), len(LONG) + 5)],
                 [("…" + "x" * CONTEXT, False), ("Egypt", True), ("x" * CONTEXT + "…", False)],
                 id="cut-with-ellipses"),
    pytest.param("The Gaza Strip.", [(4, 14), (4, 8)], [("The ", False), ("Gaza Strip", True), (".", False)],
                 id="nested-span-marked-once"),
])
def test_pieces(text: str, spans: list[tuple[int, int]], expected: list[tuple[str, bool]]) -> None:
    assert pieces(text, 0, len(text), spans) == expected
