"""Test inputs written by the tests: news-shaped articles from templates (our own words, fictional places
and outlets), as HTML pages, WARC archives, RSS and Atom feeds, CSV and Parquet tables.

`write_warc(path, 1000)` is the 1,000-record archive of the scale tests.
"""
from __future__ import annotations

import datetime as dt
import html
import io
from dataclasses import dataclass
from pathlib import Path

TOWNS = ("Port Alder", "Kessa", "Marrow Bay", "Tel Hadra", "Olvin", "Sarrat", "North Ferrin", "Banu Wells")
GROUPS = ("the Northern Front", "the Coastal Brigade", "the Ridge Movement", "government forces")
AGENCIES = ("the Red Crescent", "the regional health office", "the UN refugee agency", "local civil defence")
EVENTS = (
    ("An airstrike on a crowded market in {town} killed at least {n} people on {day}, {agency} said.",
     "Strike on {town} market kills {n}"),
    ("Gunmen from {group} attacked a checkpoint outside {town} on {day}, killing {n} police officers.",
     "{n} police killed in {town} checkpoint attack"),
    ("Floods swept through {town} on {day}, leaving {n} people dead and thousands displaced, {agency} said.",
     "Floods kill {n} in {town}"),
    ("{group} released {n} hostages in {town} on {day} after talks brokered by {agency}.",
     "{n} hostages freed in {town}"),
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Story:
    title: str
    paragraphs: tuple[str, ...]
    date: dt.date
    url: str
    author: str

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def story(i: int, site: str = "www.gulfledger.example", *, short: bool = False) -> Story:
    """The i-th made-up news story: different words, numbers, places and dates for every i.
    A `short` one leaves out the paragraph on the injured: cheaper to extract at scale."""
    lead, headline = EVENTS[i % len(EVENTS)]
    values = {"town": TOWNS[i % len(TOWNS)], "group": GROUPS[i % len(GROUPS)], "agency": AGENCIES[(i // 2) % len(AGENCIES)],
              "day": DAYS[i % len(DAYS)], "n": 3 + (i * 7) % 90}
    lead = lead.format(**values)
    paragraphs = (
        lead[0].upper() + lead[1:],
        (f"Witnesses in {values['town']} described scenes of chaos as rescue teams searched the area late into "
        f"the night. Report number {i} was filed from the scene."),
        (f"At least {values['n'] * 2} people were injured, according to hospital officials, who asked for "
        "blood donations and more ambulances."),
        "No one has claimed responsibility, and officials said an investigation was under way.",
    )
    if short:  # still longer than trafilatura's minimum (250 characters), below which it tries again
        paragraphs = (paragraphs[0], paragraphs[1], paragraphs[3])
    date = dt.date(2024, 1, 1) + dt.timedelta(days=i % 300)
    slug = headline.format(**values).lower().replace(" ", "-").replace(",", "")
    return Story(headline.format(**values), paragraphs, date, f"https://{site}/world/{date:%Y/%m/%d}/{slug}-{i}",
                 f"Staff reporter {i % 5}")


def page(s: Story, *, canonical: bool = True, site_name: str = "Gulf Ledger") -> str:
    """A whole web page around the story: navigation, a cookie banner, related links and comments,
    all of which a reader must leave out."""
    e = html.escape
    paragraphs = "\n".join(f"<p>{e(p)}</p>" for p in s.paragraphs)
    link = f'<link rel="canonical" href="{e(s.url)}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(s.title)} | {e(site_name)}</title>
<meta property="og:title" content="{e(s.title)}">
<meta property="og:site_name" content="{e(site_name)}">
<meta name="author" content="{e(s.author)}">
<meta property="article:published_time" content="{s.date.isoformat()}T08:00:00Z">
{link}
</head><body>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/subscribe">Subscribe for unlimited access</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<main><article><h1>{e(s.title)}</h1>
{paragraphs}
</article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/x">Markets rally on trade hopes</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Reader_77 wrote: Unbelievable, nobody ever learns from these tragedies.</p></div>
</section></main>
<footer><p>Copyright 2024 {e(site_name)}. All rights reserved. Terms of use. Privacy policy.</p></footer>
</body></html>"""


BOILERPLATE = ("Subscribe for unlimited access", "Accept all cookies", "Reader_77", "All rights reserved",
               "Markets rally")


def write_warc(path: Path, n: int = 1000, *, gzip: bool | None = None, site: str = "www.gulfledger.example",
               extra: bool = True, short: bool = False) -> list[Story]:
    """A WARC of `n` HTML response records (with, if `extra`, a warcinfo record first and a request
    record before every tenth response, as crawlers write them), of `short` stories if asked.
    Returns the stories, in order."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    stories = [story(i, site, short=short) for i in range(n)]
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz") if gzip is None else gzip)
        if extra:
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newskg tests"}))
        for i, s in enumerate(stories):
            if extra and i % 10 == 0:
                request = StatusAndHeaders(f"GET {s.url} HTTP/1.1", [("Host", site)], is_http_request=True)
                writer.write_record(writer.create_warc_record(s.url, "request", http_headers=request))
            writer.write_record(response_record(writer, s.url, page(s).encode("utf-8"),
                                                fetched=f"{s.date.isoformat()}T12:00:00Z"))
    return stories


def response_record(writer, url: str, body: bytes, *, media: str = "text/html; charset=utf-8",
                    status: str = "200 OK", fetched: str = "2024-03-05T12:00:00Z"):
    from warcio.statusandheaders import StatusAndHeaders

    headers = StatusAndHeaders(status, [("Content-Type", media), ("Content-Length", str(len(body)))],
                               protocol="HTTP/1.1")
    return writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                     warc_headers_dict={"WARC-Date": fetched})


def rss(stories: list[Story], title: str = "Gulf Ledger: World") -> str:
    e = html.escape
    items = "\n".join(f"""<item><title>{e(s.title)}</title><link>{e(s.url)}</link>
<pubDate>{s.date:%a, %d %b %Y} 08:00:00 GMT</pubDate><dc:creator>{e(s.author)}</dc:creator>
<description>{e(s.paragraphs[0])}</description>
<content:encoded><![CDATA[{''.join(f'<p>{e(p)}</p>' for p in s.paragraphs)}]]></content:encoded></item>"""
                      for s in stories)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>{e(title)}</title><link>https://www.gulfledger.example/world</link><description>World news</description>
{items}
</channel></rss>"""


def atom(stories: list[Story], title: str = "Relief Wire") -> str:
    e = html.escape
    entries = "\n".join(f"""<entry><title>{e(s.title)}</title><link href="{e(s.url)}"/><id>{e(s.url)}</id>
<published>{s.date.isoformat()}T08:00:00Z</published><updated>{s.date.isoformat()}T09:00:00Z</updated>
<author><name>{e(s.author)}</name></author>
<summary>{e(s.paragraphs[0])}</summary></entry>""" for s in stories)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{e(title)}</title><link href="https://reliefwire.example/"/>
<id>https://reliefwire.example/</id><updated>2024-04-01T10:00:00Z</updated>
{entries}
</feed>"""


def rows(stories: list[Story]) -> list[dict[str, str]]:
    return [{"id": f"row-{i}", "headline": s.title, "body": s.text, "published": s.date.isoformat(), "link": s.url}
            for i, s in enumerate(stories)]
