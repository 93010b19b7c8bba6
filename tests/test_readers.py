"""kg.readers: HTML pages, WARC archives, feeds, CSV and Parquet tables, each from files the tests write."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gzip
import http.server
import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kg.cli.ingest import InputFormat
from kg.documents import read_sources, sources
from kg.errors import InputError, RecordError
from kg.readers import FORMATS, ReadOptions, format_of
from kg.readers.article import Article, url_id
from tests.corpora import (
    BOILERPLATE,
    atom,
    page,
    response_record,
    rows,
    rss,
    story,
    write_warc,
)


def read(path: Path, **options: str) -> tuple[list[Article], list[RecordError]]:
    errors: list[RecordError] = []
    return list(read_sources([path], errors, ReadOptions(**options))), errors


def write_csv(path: Path, records: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return path


# ---------------------------------------------------------------- ids and the format table

def test_url_ids_are_readable_stable_and_ignore_the_fragment() -> None:
    url = "https://www.gulfledger.example/world/2024/03/05/strike-on-kessa-market"
    assert url_id(url) == url_id(url + "#comments") == url_id(" " + url)
    assert url_id(url).startswith("gulfledger-example-world-2024-03-05-strike-on-kessa-market-")
    assert url_id(url) != url_id(url + "?page=2")
    assert url_id("not a url at all \x00") == url_id("not a url at all \x00")


@pytest.mark.parametrize(("name", "fmt"), [
    ("a.txt", "txt"), ("a.jsonl", "jsonl"), ("a.html", "html"), ("a.HTM", "html"), ("a.warc", "warc"),
    ("crawl-00001.warc.gz", "warc"), ("a.rss", "feed"), ("a.atom", "feed"), ("a.xml", "feed"), ("a.csv", "csv"),
    ("a.parquet", "parquet"),
])
def test_the_format_comes_from_the_extension(name: str, fmt: str) -> None:
    found = format_of(Path(name))
    assert found is not None and found.name == fmt


def test_the_cli_offers_every_format() -> None:
    assert [f.value for f in InputFormat] == list(FORMATS)


def test_input_format_reads_a_file_whatever_its_extension(tmp_path: Path) -> None:
    path = tmp_path / "saved-page.bin"
    path.write_text(page(story(1)))
    with pytest.raises(InputError, match="--input-format"):
        sources([path])
    [article], errors = read(path, input_format="html")
    assert article.title == story(1).title and errors == []


# ---------------------------------------------------------------- HTML

def test_html_page_gives_main_text_and_metadata_without_boilerplate(tmp_path: Path) -> None:
    s = story(3)
    path = tmp_path / "page.html"
    path.write_text(page(s))
    [article], errors = read(path)
    assert errors == []
    assert (article.title, article.date, article.url, article.author, article.publisher) == (
        s.title, s.date, s.url, s.author, "gulfledger.example")
    assert article.id == url_id(s.url)
    for paragraph in s.paragraphs:
        assert paragraph in article.text
    for noise in BOILERPLATE:
        assert noise not in article.text


def test_html_page_without_url_takes_its_id_from_the_file_name_and_publisher_from_the_site(tmp_path: Path) -> None:
    path = tmp_path / "kessa-floods.htm"
    path.write_text(page(story(2), canonical=False))
    [article], _ = read(path)
    assert (article.id, article.url, article.publisher) == ("kessa-floods", None, "Gulf Ledger")


def test_a_page_without_text_is_reported_and_the_other_pages_still_read(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(page(story(0)))
    (tmp_path / "b.html").write_bytes(b"<html><head><title>Nothing</title></head><body></body></html>")
    (tmp_path / "c.html").write_bytes(b"\x00\xff\xfe\x89PNG not a page")
    (tmp_path / "d.html").write_text(page(story(1)))
    articles, errors = read(tmp_path)
    assert [a.title for a in articles] == [story(0).title, story(1).title]
    assert [(Path(e.path).name, e.line) for e in errors] == [("b.html", 1), ("c.html", 1)]
    assert all("no main text" in e.message for e in errors)


# ---------------------------------------------------------------- WARC

@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_gives_one_article_per_html_response_with_url_and_fetch_date(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    stories = write_warc(path, 12)
    with path.open("ab") as out:  # what a crawl also holds: no page, so no article and no error
        writer = WARCWriter(out, gzip=name.endswith(".gz"))
        writer.write_record(response_record(writer, "https://www.gulfledger.example/logo.png", b"\x89PNG",
                                            media="image/png"))
        writer.write_record(response_record(writer, "https://www.gulfledger.example/gone", b"<p>Not found</p>",
                                            status="404 Not Found"))
        undated = dataclasses.replace(story(40), url="https://www.gulfledger.example/world/no-date-in-this-url")
        body = re.sub(r'<meta property="article:published_time"[^>]*>', "", page(undated)).encode()  # no date
        writer.write_record(response_record(writer, undated.url, body, fetched="2024-06-01T23:59:00Z"))
    articles, errors = read(path)
    assert errors == []
    assert [a.url for a in articles] == [s.url for s in stories] + [undated.url]
    assert [a.id for a in articles] == [url_id(s.url) for s in stories + [undated]]
    assert [a.date for a in articles] == [s.date for s in stories] + [dt.date(2024, 6, 1)]
    assert {a.publisher for a in articles} == {"gulfledger.example"}
    assert all(noise not in a.text for a in articles for noise in BOILERPLATE)


def test_a_truncated_warc_record_is_reported_with_its_offset_and_the_others_still_read(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    stories = write_warc(whole, 6, extra=False)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[:-200])
    articles, errors = read(cut)
    assert [a.url for a in articles] == [s.url for s in stories[:5]]
    [error] = errors
    assert (error.path, error.line) == (str(cut), 6)
    assert "record 6 at byte offset" in error.message and stories[5].url in error.message


def test_a_page_without_text_in_a_warc_is_reported_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        writer.write_record(response_record(writer, story(0).url, page(story(0)).encode()))
        writer.write_record(response_record(writer, "https://www.gulfledger.example/empty", b"<html><body></body></html>"))
        writer.write_record(response_record(writer, story(1).url, page(story(1)).encode()))
    articles, errors = read(path)
    assert [a.url for a in articles] == [story(0).url, story(1).url]
    assert [(e.line, "https://www.gulfledger.example/empty" in e.message) for e in errors] == [(2, True)]


def test_garbage_where_a_warc_should_be_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not an archive\r\n\r\nat all")
    articles, errors = read(path)
    assert articles == [] and ["cannot be read (ArchiveLoadFailed" in e.message for e in errors] == [True]


# ---------------------------------------------------------------- feeds

@pytest.mark.parametrize(("written", "name"), [
    pytest.param("desk@gulfledger.example (Lina Haddad)", "Lina Haddad", id="address-then-name"),
    pytest.param("Lina Haddad <desk@gulfledger.example>", "Lina Haddad", id="name-then-address"),
    pytest.param("Lina Haddad", "Lina Haddad", id="name"),
    pytest.param("desk@gulfledger.example", "desk@gulfledger.example", id="address-alone"),
])
def test_an_rss_author_is_the_name_not_the_address(tmp_path: Path, written: str, name: str) -> None:
    from xml.sax.saxutils import escape

    path = tmp_path / "desk.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Gulf Ledger</title><item>'
                    '<title>Strike kills 3</title><link>https://www.gulfledger.example/a</link>'
                    f'<author>{escape(written)}</author><description>A strike killed 3 people.</description>'
                    '</item></channel></rss>')
    articles, errors = read(path)
    assert errors == [] and [a.author for a in articles] == [name]


def test_rss_entries_are_articles_with_link_date_author_and_the_feed_as_publisher(tmp_path: Path) -> None:
    stories = [story(i) for i in range(3)]
    path = tmp_path / "world.rss"
    path.write_text(rss(stories))
    articles, errors = read(path)
    assert errors == []
    assert [(a.id, a.title, a.url, a.date, a.author, a.publisher) for a in articles] == [
        (url_id(s.url), s.title, s.url, s.date, s.author, "Gulf Ledger: World") for s in stories]
    assert [a.text for a in articles] == [s.text for s in stories]  # content:encoded, without its HTML


def test_atom_entries_fall_back_on_the_summary(tmp_path: Path) -> None:
    stories = [story(i, "reliefwire.example") for i in range(2)]
    path = tmp_path / "relief.atom"
    path.write_text(atom(stories))
    articles, errors = read(path)
    assert errors == []
    assert [(a.text, a.publisher, a.date) for a in articles] == [(s.paragraphs[0], "Relief Wire", s.date)
                                                                 for s in stories]


def test_a_feed_entry_without_text_is_reported_and_the_others_still_read(tmp_path: Path) -> None:
    stories = [story(i) for i in range(3)]
    feed = rss(stories)
    empty = "<item><title>Live: updates</title><link>https://www.gulfledger.example/live</link></item>"
    path = tmp_path / "world.xml"
    path.write_text(feed.replace("<item>", empty + "<item>", 1))
    articles, errors = read(path)
    assert [a.url for a in articles] == [s.url for s in stories]
    assert [(e.line, "entry 1 (https://www.gulfledger.example/live) has no text" in e.message) for e in errors] == [
        (1, True)]


def test_entries_without_link_take_file_name_and_number_as_id(tmp_path: Path) -> None:
    path = tmp_path / "wire.rss"
    path.write_text(rss([story(5)]).replace(f"<link>{story(5).url}</link>", ""))
    [article], _ = read(path)
    assert (article.id, article.url) == ("wire-1", None)


# ---------------------------------------------------------------- tables

def test_csv_rows_with_default_column_names(tmp_path: Path) -> None:
    stories = [story(i) for i in range(4)]
    articles, errors = read(write_csv(tmp_path / "export.csv", rows(stories)))
    assert errors == []
    assert [(a.id, a.title, a.text, a.date, a.url, a.publisher) for a in articles] == [
        (f"row-{i}", s.title, s.text, s.date, s.url, "gulfledger.example") for i, s in enumerate(stories)]


def test_csv_columns_named_on_the_command_line(tmp_path: Path) -> None:
    records = [{"uid": "k1", "story": story(1).text, "when": "2024-02-03", "hed": "Kessa", "href": ""}]
    path = write_csv(tmp_path / "monitor.csv", records)
    with pytest.raises(AssertionError):  # no default name fits "story": the file is reported
        assert read(path)[1] == []
    [article], errors = read(path, text_column="story", id_column="uid", date_column="when", title_column="hed",
                             url_column="href")
    assert errors == [] and (article.id, article.title, str(article.date), article.url) == (
        "k1", "Kessa", "2024-02-03", None)
    _, errors = read(path, text_column="body")
    assert "there is no column 'body' (--text-column)" in errors[0].message


def test_bad_csv_rows_are_reported_and_the_others_still_read(tmp_path: Path) -> None:
    good = [dict(r, body=r["body"].replace("\n", " ")) for r in rows([story(i) for i in range(3)])]
    path = tmp_path / "export.csv"
    write_csv(path, good)
    data = path.read_bytes().splitlines(keepends=True)
    bad_utf8 = b'row-x,Headline,"caf\xe9 text",2024-01-01,https://x.example/a\r\n'
    bad_date = b"row-y,Headline,Some text,yesterday,https://x.example/b\r\n"
    no_text = b"row-z,Headline,,2024-01-01,https://x.example/c\r\n"
    too_many = b"row-w,a,b,c,d,e,caf\xe9\r\n"
    path.write_bytes(b"".join(data[:2] + [bad_utf8, bad_date, no_text, too_many] + data[2:]))
    articles, errors = read(path)
    assert [a.id for a in articles] == ["row-0", "row-1", "row-2"]
    messages = sorted(e.message for e in errors)
    assert len(messages) == 4
    assert any("row 2: column 'text': byte 0xe9" in m for m in messages)
    assert any("row 3: 'date' 'yesterday' is not an ISO date" in m for m in messages)
    assert any("row 4: the row has no text" in m for m in messages)
    assert any("row 5 (line 6): 7 fields where the header has 5" in m for m in messages)


def test_parquet_rows_and_ids_from_the_url(tmp_path: Path) -> None:
    stories = [story(i) for i in range(5)]
    table = pa.table({"body": [s.text for s in stories], "link": [s.url for s in stories],
                      "published": pa.array([s.date for s in stories], pa.date32())})
    path = tmp_path / "export.parquet"
    pq.write_table(table, path, row_group_size=2)
    articles, errors = read(path)
    assert errors == []
    assert [(a.id, a.date, a.url) for a in articles] == [(url_id(s.url), s.date, s.url) for s in stories]


def test_bad_parquet_rows_are_reported_and_the_others_still_read(tmp_path: Path) -> None:
    table = pa.table({"id": ["a", "b", None, "d"], "text": ["One killed.", None, "Three hurt.", "  "],
                      "date": ["2024-01-01", "2024-01-02", "not a date", None]})
    path = tmp_path / "t.parquet"
    pq.write_table(table, path)
    articles, errors = read(path)
    assert [a.id for a in articles] == ["a"]
    assert [(e.line, e.message.split(":")[0]) for e in errors] == [(2, "row 2"), (3, "row 3"), (4, "row 4")]


def test_a_file_that_is_not_parquet_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    path.write_bytes(b"PAR1 but not really")
    articles, errors = read(path)
    assert articles == [] and "cannot read the table" in errors[0].message


# ---------------------------------------------------------------- ranges: a chunk is a range of records

@pytest.fixture
def one_of_each(tmp_path: Path) -> list[Path]:
    stories = [story(i) for i in range(7)]
    write_warc(tmp_path / "a.warc.gz", 7)
    (tmp_path / "b.rss").write_text(rss(stories))
    write_csv(tmp_path / "c.csv", rows(stories))
    pq.write_table(pa.Table.from_pylist(rows(stories)), tmp_path / "d.parquet", row_group_size=3)
    (tmp_path / "e.jsonl").write_text("".join(f'{{"id": "j{i}", "text": "Text {i}."}}\n\n' for i in range(7)))
    (tmp_path / "f.html").write_text(page(stories[0]))
    (tmp_path / "g.txt").write_text("Title\nBody.\n")
    return sorted(tmp_path.iterdir())


@pytest.mark.parametrize("size", [1, 3, 100])
def test_ranges_of_records_together_read_the_whole_file(one_of_each: list[Path], size: int) -> None:
    options = ReadOptions()
    for path, fmt in sources(one_of_each, options):
        whole = list(fmt.read(path, [], options, 0, None))
        total = fmt.count(path, options)
        pieces = [a for start in range(0, total, size) for a in fmt.read(path, [], options, start, start + size)]
        assert pieces == whole and whole, path.name


# ---------------------------------------------------------------- no reader makes a request

class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        body = b"<!ENTITY x 'FETCHED'><p>FETCHED</p>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)  # shutdown() waits one poll
    thread.start()
    _Recorder.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_no_reader_fetches_anything_or_resolves_external_entities(tmp_path: Path, canary: str) -> None:
    s = story(9)
    secret, tmp_path = tmp_path / "secret.txt", tmp_path / "inputs"
    tmp_path.mkdir()
    lure = (f'<img src="{canary}/img.png"><link rel="stylesheet" href="{canary}/s.css">'
            f'<script src="{canary}/s.js"></script><iframe src="{canary}/frame"></iframe>')
    (tmp_path / "page.html").write_text(page(s).replace("<article>", "<article>" + lure)
                                        .replace(s.url, f"{canary}/canonical"))
    feed = rss([s]).replace('<?xml version="1.0" encoding="utf-8"?>',
                            '<?xml version="1.0" encoding="utf-8"?>\n'
                            f'<?xml-stylesheet href="{canary}/style.xsl"?>\n'
                            f'<!DOCTYPE rss [<!ENTITY ext SYSTEM "{canary}/entity"> '
                            f'<!ENTITY local SYSTEM "file://{secret}">]>')
    secret.write_text("SECRET")
    (tmp_path / "feed.rss").write_text(feed.replace("<title>", "<title>&ext;&local;", 2))
    (tmp_path / "pointer.rss").write_text(str(tmp_path / "feed.rss"))  # bytes that name a file are not opened
    with (tmp_path / "crawl.warc").open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        writer.write_record(response_record(writer, f"{canary}/article", page(s).replace("<article>", "<article>" + lure)
                                            .encode()))
    write_csv(tmp_path / "t.csv", [{"text": f"See {canary}/x", "url": f"{canary}/row"}])
    errors: list[RecordError] = []
    articles = list(read_sources([tmp_path], errors))
    assert _Recorder.hits == []
    assert not any("FETCHED" in a.text or "SECRET" in a.text or "SECRET" in (a.title or "") for a in articles)
    assert not any(a.source.endswith("pointer.rss:1") for a in articles)
    assert {Path(a.source.split(":")[0]).name for a in articles} == {"page.html", "feed.rss", "crawl.warc", "t.csv"}


def test_the_thousand_record_warc_of_the_scale_tests(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    stories = write_warc(path, 1000)
    fmt = format_of(path)
    assert fmt is not None and fmt.count(path, ReadOptions()) == 1 + 100 + 1000  # warcinfo, requests, responses
    assert len({url_id(s.url) for s in stories}) == 1000
    errors: list[RecordError] = []
    tail = list(fmt.read(path, errors, ReadOptions(), 1050, None))
    assert [a.url for a in tail] == [s.url for s in stories[953:]]  # record 1050 is the response of story 953 and errors == []


def test_warc_payloads_compressed_chunked_or_in_latin1_are_decoded(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        zipped = gzip.compress(page(story(1)).encode())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                                              ("Content-Length", str(len(zipped)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(story(1).url, "response", payload=io.BytesIO(zipped),
                                                      http_headers=headers))
        raw = page(story(2)).encode()
        chunked = b"".join(b"%x\r\n%s\r\n" % (len(raw[i:i + 500]), raw[i:i + 500]) for i in range(0, len(raw), 500))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(story(2).url, "response",
                                                      payload=io.BytesIO(chunked + b"0\r\n\r\n"), http_headers=headers))
        latin = page(story(3)).replace('charset="utf-8"', 'charset="iso-8859-1"').replace("Witnesses", "Témoins")
        writer.write_record(response_record(writer, story(3).url, latin.encode("latin-1"),
                                            media="text/html; charset=iso-8859-1"))
    articles, errors = read(path)
    assert errors == [] and [a.title for a in articles] == [story(i).title for i in (1, 2, 3)]
    assert story(2).paragraphs[-1] in articles[1].text and "Témoins" in articles[2].text
