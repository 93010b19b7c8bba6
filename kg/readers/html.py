"""Saved web pages (`.html`, `.htm`): the main text and metadata of one page, with trafilatura.

trafilatura drops navigation, boilerplate and comments, and reads the title, date, author, canonical URL
and site name from the page's markup. It is given the page's bytes, never a URL to fetch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import RecordError
from kg.readers.article import Article, make_article, url_id

if TYPE_CHECKING:
    from kg.readers import ReadOptions

# Only dates the page's markup states (meta tags, time elements, JSON-LD), not guesses from its text:
# a copyright year is no publication date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def page_fields(data: bytes | str, url: str | None = None) -> dict[str, object]:
    """The article fields of one HTML page: text, title, date, url, author, publisher (when no URL).

    `url` is where the page was fetched from (a WARC record's target), which wins over the page's own
    canonical URL. Raises ValueError when the page has no main text or cannot be parsed."""
    import trafilatura

    for name in ("trafilatura", "htmldate", "courlan"):  # each failure becomes our RecordError instead
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        page = trafilatura.bare_extraction(
            data, url=url, with_metadata=True, include_comments=False, date_extraction_params=_DATE_PARAMS
        )
    except Exception as exc:
        raise ValueError(f"the page cannot be parsed ({type(exc).__name__}: {exc})") from None
    if page is None or isinstance(page, dict) or not isinstance(page.text, str) or not page.text.strip():
        raise ValueError("no main text found in the page")
    found_url = url or page.url or None
    return {
        "text": page.text,
        "title": page.title,
        "date": _date_or_none(page.date),
        "url": found_url,
        "author": page.author,
        "publisher": None if found_url else page.sitename or page.hostname,
    }


def _date_or_none(value: object) -> object:
    from kg.readers.article import parse_date

    try:
        return parse_date(value)
    except ValueError:  # a date the page states badly is no reason to lose the page
        return None


def read(
    path: Path, errors: list[RecordError], options: ReadOptions | None = None, start: int = 0, stop: int | None = None
) -> Iterator[Article]:
    """The page as one article; its id from its URL if it states one, else the file name."""
    if start > 0 or stop == 0:
        return
    try:
        fields = page_fields(path.read_bytes())
        url = fields["url"]
        fields["id"] = url_id(url) if isinstance(url, str) and url else path.stem
        article = make_article(fields, source=str(path))
    except ValueError as exc:
        errors.append(RecordError(str(path), 1, f"{exc}; the page is skipped"))
        return
    yield article


def count(path: Path, options: ReadOptions | None = None) -> int:
    return 1
