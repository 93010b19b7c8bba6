"""The readers take any bytes (issue 10): whatever a file holds, reading it yields articles or records
errors, and never raises. Each format gets random bytes, and bytes cut and spliced from a good file of
its kind (which reach far deeper into the parsers than noise does).

Each test runs a quarter of the examples of hypothesis's profile (25 of the default 100), so that `make
test` stays quick; `--hypothesis-profile` with a profile of more examples runs a longer fuzz.
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import rdf
from kg.keys import doc_iri
from kg.documents import read_sources
from kg.errors import RecordError
from kg.readers import FORMATS, ReadOptions
from tests.corpora import atom, page, rows, rss, story, write_warc


def _good_files() -> dict[str, bytes]:
    stories = [story(i) for i in range(3)]
    with tempfile.TemporaryDirectory() as tmp:
        write_warc(Path(tmp) / "a.warc", 3, gzip=False)
        write_warc(Path(tmp) / "a.warc.gz", 3, gzip=True)
        table = io.BytesIO()
        pq.write_table(pa.Table.from_pylist(rows(stories)), table)
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=list(rows(stories)[0]))
        writer.writeheader()
        writer.writerows(rows(stories))
        return {
            ".txt": stories[0].text.encode(),
            ".jsonl": "".join(json.dumps({"id": f"a{i}", "text": s.text, "date": s.date.isoformat(), "url": s.url})
                              + "\n" for i, s in enumerate(stories)).encode(),
            ".html": page(stories[0]).encode(),
            ".warc": (Path(tmp) / "a.warc").read_bytes(),
            ".warc.gz": (Path(tmp) / "a.warc.gz").read_bytes(),
            ".rss": rss(stories).encode(),
            ".atom": atom(stories).encode(),
            ".csv": text.getvalue().encode(),
            ".parquet": table.getvalue(),
        }


GOOD = _good_files()
SUFFIXES = sorted(GOOD)


def test_every_format_is_fuzzed() -> None:
    assert {s for f in FORMATS.values() for s in f.suffixes} - set(SUFFIXES) <= {".htm", ".xml"}


@st.composite
def damaged(draw: st.DrawFn, suffix: str) -> bytes:
    """A good file of the format with a piece cut out, a piece of junk put in, or cut short."""
    data = GOOD[suffix]
    start = draw(st.integers(0, len(data)))
    end = draw(st.integers(start, min(len(data), start + 64)))
    junk = draw(st.binary(max_size=16))
    return data[:start] + junk + data[end:] if draw(st.booleans()) else data[:start]


def assert_reads(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(data)
        errors: list[RecordError] = []
        articles = list(read_sources([path], errors, ReadOptions()))
    for article in articles:
        assert isinstance(article.id, str) and article.id.strip()
        assert isinstance(article.text, str)
        rdf.content_hash(article)  # every string it holds can be written
        doc_iri("https://example.org/", article.id)
    for error in errors:
        assert isinstance(error, RecordError) and error.path == str(path) and error.message


FUZZ = settings(deadline=None, max_examples=max(10, settings().max_examples // 4),
               suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("suffix", SUFFIXES)
@FUZZ
@given(data=st.binary(max_size=2048))
def test_any_bytes(suffix: str, data: bytes) -> None:
    assert_reads(suffix, data)


@pytest.mark.parametrize("suffix", SUFFIXES)
@FUZZ
@given(data=st.data())
def test_a_damaged_good_file(suffix: str, data: st.DataObject) -> None:
    assert_reads(suffix, data.draw(damaged(suffix)))


@pytest.mark.parametrize("suffix", [".atom", ".rss"])
@pytest.mark.parametrize("junk", [pytest.param(b"\x80", id="not-utf-8"), pytest.param(b"\x00", id="nul")])
def test_a_feed_whose_encoding_declaration_is_damaged_is_reported_not_raised(suffix: str, junk: bytes) -> None:
    """Found by the fuzzer: feedparser raises on encoding="\\x80utf-8"."""
    data = GOOD[suffix].replace(b'encoding="', b'encoding="' + junk, 1)
    assert junk in data
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"feed{suffix}"
        path.write_bytes(data)
        errors: list[RecordError] = []
        articles = list(read_sources([path], errors, ReadOptions()))
    assert articles == [] and [(e.path, e.line) for e in errors] == [(str(path), 1)]
    assert "not a readable feed" in errors[0].message


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=8)


@FUZZ
@given(records=st.lists(st.fixed_dictionaries({}, optional={
    "id": JSON | st.text(), "text": JSON | st.text(), "date": JSON | st.dates().map(str), "title": JSON,
    "url": JSON | st.text(), "publisher": JSON, "author": JSON}), max_size=5))
def test_any_json_objects_in_a_jsonl(records: list[dict]) -> None:
    assert_reads(".jsonl", "".join(json.dumps(r) + "\n" for r in records).encode())
