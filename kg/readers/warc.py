"""Web archives (`.warc`, `.warc.gz`): each HTML response record is one article, read with warcio.

The article's URL is the record's WARC-Target-URI and its id comes from that URL; its text, title and
author come from the page (see kg.readers.html); its date is the one the page states, else the day it
was fetched (WARC-Date). Records that are no HTML page (requests, metadata, images, redirects, errors)
give no article and no error. A record whose page has no text, or that the file cuts short, is reported
with its number and byte offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import RecordError
from kg.readers.article import Article, make_article, parse_date, url_id
from kg.readers.html import page_fields

if TYPE_CHECKING:
    from kg.readers import ReadOptions

_PAGE_TYPES = ("text/html", "application/xhtml+xml")


def _records(path: Path) -> Iterator[tuple[int, int, Any, str | None]]:
    """(number from 1, byte offset, record, None) for each record. What cannot be read ends the file, as a last
    (number, offset, None, why)."""
    from warcio.archiveiterator import ArchiveIterator

    size = path.stat().st_size
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        number = 0
        try:
            for record in records:
                number += 1
                yield number, records.offset, record, None
        except Exception as exc:
            yield number + 1, records.offset, None, f"cannot be read ({_reason(exc)}); the rest of the file is skipped"
            return
        if records.offset < size:
            yield (
                number + 1,
                records.offset,
                None,
                f"is cut short: {size - records.offset} bytes that are no complete record; skipped",
            )


def _reason(exc: Exception) -> str:
    message = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _is_page(record: Any) -> bool:
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        media = record.http_headers.get_header("Content-Type") or ""
        return status.startswith("2") and media.split(";")[0].strip().lower() in _PAGE_TYPES
    if record.rec_type == "resource":
        media = record.rec_headers.get_header("Content-Type") or ""
        return media.split(";")[0].strip().lower() in _PAGE_TYPES
    return False


def read(
    path: Path, errors: list[RecordError], options: ReadOptions | None = None, start: int = 0, stop: int | None = None
) -> Iterator[Article]:
    """An article for each HTML page among WARC records `start` to `stop` (numbered from 0, all types)."""
    for number, offset, record, broken in _records(path):
        index = number - 1
        if index < start:
            continue
        if stop is not None and index >= stop:
            return
        where = f"record {number} at byte offset {offset}"
        if broken:
            errors.append(RecordError(str(path), number, f"{where} {broken}"))
            return
        if not _is_page(record):
            continue
        url = record.rec_headers.get_header("WARC-Target-URI")
        try:
            data = record.content_stream().read()
            if getattr(record.raw_stream, "limit", 0) > 0:  # the file ended inside this record
                raise ValueError("the record is cut short")
            fields = page_fields(data, url=url)
            fields["id"] = url_id(url) if url else f"{path.name}-{number}"
            if fields["date"] is None:
                fields["date"] = _fetch_date(record.rec_headers.get_header("WARC-Date"))
            yield make_article(fields, source=f"{path}:{number}")
        except (ValueError, EOFError, OSError) as exc:
            errors.append(RecordError(str(path), number, f"{where} ({url}): {exc}; skipped"))
        except Exception as exc:
            errors.append(RecordError(str(path), number, f"{where} ({url}): {_reason(exc)}; skipped"))


def _fetch_date(value: str | None) -> object:
    try:
        return parse_date(value)
    except ValueError:
        return None


def count(path: Path, options: ReadOptions | None = None) -> int:
    """The number of WARC records (of every type) the file holds, a damaged end counting as one."""
    return sum(1 for _ in _records(path))
