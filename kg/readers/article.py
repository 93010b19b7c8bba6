"""What an article is, and how one is made from the fields a reader found: checked, with a clear reason when not.

Every reader ends here, so every format follows the same rules: an id is a non-empty string (or an integer,
never a boolean), the text is a string, a date is an ISO date, and every string can be written as UTF-8.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urldefrag, urlsplit


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    source: str = ""  # where it came from: path, or path:N for the Nth line or record of a file
    publisher: str | None = None  # the site (host of the URL) or the feed it came from
    author: str | None = None


def site_of(url: str | None) -> str | None:
    """The host of `url` without a leading "www.", lower-cased: `https://www.Example.org/a` gives example.org."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def url_id(url: str) -> str:
    """A document id from a URL: readable, and the same for the same URL in any file or format.

    A slug of the host and path (at most 60 characters) and 10 hex digits of the SHA-256 of the URL
    without its fragment: `https://www.example.org/world/strike-kills-12` gives
    `example-org-world-strike-kills-12-` followed by the digest."""
    bare = urldefrag(url.strip())[0]
    try:
        parts = urlsplit(bare)
        readable = f"{site_of(bare) or ''}{parts.path}"
    except ValueError:
        readable = ""
    slug = re.sub(r"[^a-z0-9]+", "-", readable.lower()).strip("-")[:60].strip("-")
    digest = hashlib.sha256(bare.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{slug}-{digest}" if slug else digest


def parse_date(value: object) -> dt.date | None:
    """An ISO date (or date-time), a date, a datetime or a struct_time as a date; None for nothing.

    Raises ValueError for anything else, naming the value."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise ValueError(f"'date' {value!r} is not an ISO date (YYYY-MM-DD)")


def _utf8(value: str, field: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"{field!r} holds {value[exc.start]!r} at character {exc.start}, which is not "
            "a character UTF-8 can write (a lone surrogate)"
        ) from None
    return value


def _optional_text(fields: Mapping[str, object], field: str) -> str | None:
    value = fields.get(field)
    if not isinstance(value, str) or not value.strip():
        return None
    return _utf8(value.strip(), field)


def make_article(fields: Mapping[str, object], source: str = "") -> Article:
    """An Article from its fields (`id`, `text`, and optionally `title`, `date`, `url`, `publisher`, `author`).

    Raises ValueError saying which field is wrong and why. Without a `publisher`, the site of the URL is used."""
    doc_id, text = fields.get("id"), fields.get("text")
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or str(doc_id).strip() == "":
        raise ValueError(f"'id' must be a non-empty string, got {doc_id!r}")
    if not isinstance(text, str):
        raise ValueError(f"'text' must be a string, got {type(text).__name__}")
    url = _optional_text(fields, "url")
    return Article(
        id=_utf8(str(doc_id).strip(), "id"),
        text=_utf8(text, "text"),
        title=_optional_text(fields, "title"),
        date=parse_date(fields.get("date")),
        url=url,
        source=source,
        publisher=_optional_text(fields, "publisher") or site_of(url),
        author=_optional_text(fields, "author"),
    )
