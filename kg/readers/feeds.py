"""RSS and Atom feeds (`.rss`, `.atom`, `.xml`): each entry is one article, read with feedparser.

An entry gives its title, link (the URL, and the id comes from it), published (or updated) date, author
(the name, without an e-mail address), and its text from its content, else its summary, without the
HTML (with trafilatura). The feed's title is the publisher. feedparser is given the file's bytes,
never a URL, and resolves no external entity.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from email.utils import parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import RecordError
from kg.readers.article import Article, make_article, site_of, url_id
from kg.readers.html import page_fields

if TYPE_CHECKING:
    from kg.readers import ReadOptions


def _parse(path: Path) -> Any:
    import feedparser

    # A stream of the file's bytes: feedparser fetches a str that looks like a URL, and opens a str or
    # bytes that names a file (a feed file holding "/etc/passwd" would read that file).
    return feedparser.parse(io.BytesIO(path.read_bytes()), resolve_relative_uris=False, sanitize_html=True)


def author(value: object) -> str | None:
    """The author's name: RSS writes an e-mail address with the name after it ("desk@site (Name)", RFC
    822), or the name before it ("Name <desk@site>"); a name alone is kept as it is."""
    if not isinstance(value, str) or "@" not in value:
        return value if isinstance(value, str) else None
    name, _ = parseaddr(value)
    return name or value


def entry_text(entry: Any) -> str:
    """The entry's text: its content, else its summary, as plain text ("" when it has none)."""
    for value in [c.get("value") for c in entry.get("content") or []] + [entry.get("summary")]:
        if not isinstance(value, str) or not value.strip():
            continue
        if "<" not in value:  # feedparser gives plain text as it is, and HTML unescaped to markup
            return value.strip()
        try:
            return str(page_fields(f"<html><body>{value}</body></html>")["text"]).strip()
        except ValueError:
            continue
    return ""


def read(
    path: Path, errors: list[RecordError], options: ReadOptions | None = None, start: int = 0, stop: int | None = None
) -> Iterator[Article]:
    """An article for each entry `start` to `stop` (numbered from 0)."""
    try:
        feed = _parse(path)
    except (UnicodeError, ValueError, LookupError) as exc:  # feedparser on a damaged encoding declaration
        if start == 0:
            errors.append(RecordError(str(path), 1, f"not a readable feed ({exc}); skipped"))
        return
    entries = feed.get("entries") or []
    if not entries and feed.get("bozo") and start == 0:
        errors.append(RecordError(str(path), 1, f"not a readable feed ({feed.get('bozo_exception')}); skipped"))
        return
    channel = feed.get("feed") or {}
    publisher = channel.get("title") or site_of(channel.get("link"))
    for index, entry in enumerate(entries[start:stop], start=start):
        number = index + 1
        link = entry.get("link") or None
        where = f"entry {number}" + (f" ({link})" if link else "")
        text = entry_text(entry)
        if not text:
            errors.append(RecordError(str(path), number, f"{where} has no text (no content, no summary); skipped"))
            continue
        fields = {
            "id": url_id(link) if link else f"{path.stem}-{number}",
            "text": text,
            "title": entry.get("title"),
            # dict.get: FeedParserDict maps a missing key to another, with a DeprecationWarning
            "date": dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed"),
            "url": link,
            "author": author(entry.get("author")),
            "publisher": publisher,
        }
        try:
            yield make_article(fields, source=f"{path}:{number}")
        except ValueError as exc:
            errors.append(RecordError(str(path), number, f"{where}: {exc}; skipped"))


def count(path: Path, options: ReadOptions | None = None) -> int:
    return max(1, len(_parse(path).get("entries") or []))
