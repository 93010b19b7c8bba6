"""The pages in a real headless Chromium (Debian's `chromium`), driven by Playwright, against a live `kg serve`.

Without the browser these tests skip, except under CI=true, where they fail.
"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import formats
from tests.conftest import SAMPLE_ACTORS, start_server

pytestmark = [pytest.mark.browser, pytest.mark.heavy]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 30_000
MAX_ROWS = 3
CONSTRUCT = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e rdfs:label ?l FILTER(?l = "Hamas") }"""
BROKEN = "SELECT ?x WHERE { ?x ?y"


def _missing() -> str | None:
    executable = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if executable is None:
        return "Debian's chromium is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e .[dev])"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    executable = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def limited_server(sample_store_dir: Path, tmp_path_factory) -> Iterator[str]:
    """A server over a copy of the sample store that answers at most MAX_ROWS rows."""
    copy = tmp_path_factory.mktemp("limited") / "store"
    shutil.copytree(sample_store_dir, copy, ignore=shutil.ignore_patterns("LOCK"))
    proc, url = start_server(copy, {"KG_MAX_ROWS": str(MAX_ROWS)}, workers=1)
    yield url
    proc.terminate()
    proc.wait(10)


def open_tab(browser, base_url: str) -> Iterator:
    """A fresh tab on the query page; the test fails on any script error or failed request."""
    context = browser.new_context(base_url=base_url, accept_downloads=True, viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on("response", lambda r: problems.append(f"{r.status} {r.url}")
           if r.status >= 400 and "/sparql" not in r.url else None)
    tab.goto("/")
    yield tab
    context.close()
    assert not problems


@pytest.fixture
def page(browser, server: str) -> Iterator:
    yield from open_tab(browser, server)


def run_canned(page, name: str) -> None:
    page.click(f'.canned-query[data-name="{name}"]')
    page.wait_for_selector("#results table tbody tr")


def test_canned_query_fills_the_table(page) -> None:
    run_canned(page, "top-actors")
    labels = page.locator("#results tbody tr td:nth-child(3)").all_inner_texts()
    assert set(SAMPLE_ACTORS) <= set(labels)
    assert re.fullmatch(r"\d+ rows in \d+ ms", page.inner_text("#status"))
    rows = int(page.inner_text("#status").split()[0])
    assert rows == page.locator("#results tbody tr").count() == len(labels)
    assert page.locator("#results tbody a.iri").count() == rows  # every ?actor is a link


def test_ctrl_enter_runs_the_editor_and_shows_syntax_errors(page) -> None:
    page.fill("#query", BROKEN)
    page.press("#query", "Control+Enter")
    page.wait_for_selector("#error:not([hidden])")
    assert page.inner_text("#error").startswith("400")
    assert page.is_hidden("#results")
    page.fill("#query", CONSTRUCT)
    page.press("#query", "Control+Enter")
    page.wait_for_selector("#results table")
    assert page.is_hidden("#error")
    assert page.locator("#results th").all_inner_texts() == ["", "subject", "predicate", "object"]
    assert page.locator("#results tbody td:nth-child(4)").all_inner_texts() == ["Hamas"]
    offered = page.locator("#downloads a").all_inner_texts()  # the format table's, in its order
    assert offered == [label for label, _, _ in formats.offers(formats.RDF)]
    assert offered[:2] == ["Turtle", "N-Triples"] and "JSON-LD" in offered


@pytest.mark.parametrize("form, expected", [
    pytest.param("CSV", "actor,label,documents", id="csv"),
    pytest.param("TSV", "?actor\t?label\t?documents", id="tsv"),
    pytest.param("JSON", '"vars"', id="json"),
    pytest.param("XML", "<sparql", id="xml"),
])
def test_download_links_fetch_the_answer_by_content_negotiation(page, form: str, expected: str) -> None:
    run_canned(page, "top-actors")
    with page.expect_download() as info:
        page.click(f'#downloads a[data-format="{form}"]')
    body = Path(info.value.path()).read_text(encoding="utf-8")
    assert expected in body
    assert SAMPLE_ACTORS[0] in body


def test_entity_link_opens_the_entity_page(page) -> None:
    run_canned(page, "top-actors")
    row = page.locator("#results tbody tr", has=page.get_by_role("cell", name=SAMPLE_ACTORS[0], exact=True))
    row.locator("a.iri").first.click()
    page.wait_for_url(re.compile(r"/entity\?iri="))
    assert page.inner_text("#label") == SAMPLE_ACTORS[0]
    marks = page.locator(".passages mark").all_inner_texts()
    assert SAMPLE_ACTORS[0] in marks
    svg = page.locator("svg#neighbourhood")
    assert svg.is_visible()
    assert svg.locator("a.node").count() >= 1
    assert svg.bounding_box()["height"] > 200


def test_a_canned_query_named_in_the_address_runs_on_load(page) -> None:
    page.goto("/#people")
    page.wait_for_selector("#results table tbody tr")
    assert page.locator(".canned-query.active").get_attribute("data-name") == "people"
    assert SAMPLE_ACTORS[1] in page.locator("#results tbody").inner_text()


def test_status_line_says_when_the_server_cut_the_rows(browser, limited_server: str) -> None:
    for tab in open_tab(browser, limited_server):
        run_canned(tab, "top-actors")
        assert tab.locator("#results tbody tr").count() == MAX_ROWS
        assert tab.inner_text("#status").endswith(f"(cut at the server's limit of {MAX_ROWS} rows)")


JABALIA_CAMP = "https://w3id.org/newskg/id/place/jabalia-refugee-camp"


def test_event_page_draws_the_timeline_and_the_tolls_table(page) -> None:
    """From the entity page of a place, to the event of the strike there, to a count a toll rests on."""
    page.goto(f"/entity?iri={JABALIA_CAMP}")
    event = page.locator("#incidents a.event").first
    assert event.is_visible()
    event.click()
    page.wait_for_url(re.compile(r"/event\?iri="))
    assert "jabalia" in page.inner_text("#label").lower()
    svg = page.locator("svg#timeline")
    assert svg.is_visible() and svg.bounding_box()["height"] > 150
    killed = svg.locator('g.series[data-series="Killed"] a.mark')
    assert killed.count() == 2  # the early and the revised report
    assert len({round(m.bounding_box()["x"]) for m in killed.all()}) == 2  # at two publication dates
    assert svg.locator('g.series[data-series="Killed"] path').is_visible()
    rows = page.locator('#tolls tr.toll[data-type="Killed"]')
    assert rows.count() == 2
    assert page.locator('#tolls tr.conflict').count() >= 2
    assert {"jabalia-strike-1101", "jabalia-strike-toll-1104"} <= set(
        page.locator("#sources a").evaluate_all("links => links.map(a => decodeURIComponent(a.href).split('/').pop())"))
    sentences = rows.locator(".sentence mark").all_inner_texts()
    assert any("200" in s for s in sentences) and any("300" in s for s in sentences)
    killed.first.locator("circle").click()
    page.wait_for_url(re.compile(r"/entity\?iri="))
    assert page.locator(".passages mark").count() >= 1  # the count's sentence, its phrase marked


def test_from_the_search_box_to_a_result_and_on_to_its_event(page) -> None:
    page.fill("#bar-search-words", '"missile hits"')
    page.press("#bar-search-words", "Enter")
    page.wait_for_selector("#hits .hit")
    assert "<mark>" in page.inner_html("#hits .hit .snippet")
    first = page.locator("#hits .hit").first
    assert first.locator(".hit-title").inner_text().startswith("At least 20 killed")
    first.locator("a.event-link").first.click()  # the result's event
    page.wait_for_selector("#timeline")
    assert page.inner_text("#label") == "Dnipro, Ukraine, 2023-12-02"


def test_from_the_home_page_to_the_map_and_from_a_mark_to_its_event(page) -> None:
    page.click('.bar nav a[href="map"]')
    page.wait_for_selector('#map[data-ready="true"]')
    assert page.locator("#map .countries path").count() > 100  # the world outline, drawn offline
    marks = page.locator("#map .marks circle")
    total = marks.count()
    assert total >= 5
    page.select_option("#map-type", "Hostage")
    assert 0 < marks.count() < total
    page.select_option("#map-type", "")
    page.fill("#map-from", "2023-12-01")
    assert 0 < marks.count() < total
    page.fill("#map-from", "")
    dnipro = page.locator('#map .marks circle[data-iri] >> xpath=..').filter(
        has=page.locator("title", has_text="Dnipro, Ukraine, 2023-12-02"))
    dnipro.first.click()
    page.wait_for_selector("#timeline")
    assert page.inner_text("#label") == "Dnipro, Ukraine, 2023-12-02"


def test_a_place_page_has_its_map(page, server: str) -> None:
    page.goto("entity?iri=" + "https%3A%2F%2Fw3id.org%2Fnewskg%2Fid%2Fplace%2Fgeonames-709930")
    page.wait_for_selector('#place-map[data-ready="true"]')
    assert page.locator("#place-map .place-point").count() == 1
    assert page.locator("#place-map .countries path").count() > 100
