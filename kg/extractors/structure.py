"""A document's structure: headline, header lines, dateline and body, as character segments.

No sentence crosses from one segment into the next: `make_doc` marks the first token of each
segment as a sentence start before the parser runs, which keeps it, and first splits a token that
runs across a segment's start (scrapers glue the title to the body: "Los Angeles TimesJassely").

- The headline is the article's title when the text starts with it (scrapers often glue it to the
  body: "Man shot in Wilmington | 6abc.comPolice are investigating ..."); a `.txt` file's first line
  is its title (kg.documents). Without a title, a short first line without final punctuation that
  more lines follow is the headline.
- Each line is a segment of its own, except a line that continues a sentence wrapped at the line
  end (the line before ends without punctuation and this one starts in lower case).
- Header lines are the furniture of a press release: its serial number ("2013-01-S-025"),
  "For Immediate Release", "Download PDF", the issuing command. They state no counts.
- A dateline opens the body: an upper-case place, an optional parenthesis (a date or an agency)
  and a dash or the line's end ("KABUL, Afghanistan (Jan. 25, 2013) -", "MILWAUKEE --").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

LINE_BREAK = re.compile(r"[\n\r\u2028\u2029]+")
# a press release's serial number: year, month, series and serial ("2013-01-S-025"); a draft's serial
# may be a placeholder ("2010-08-CA-XXX"), its year and month still hold
SERIAL = r"-\d\d-[A-Z]{1,3}[-\u2013](?:\d+|X+)\b"
RELEASE_NUMBER = re.compile(r"\b((?:19|20)\d\d)" + SERIAL)
HEADER_LINE = re.compile(
    r"^\W*(?:(?:19|20)\d\d" + SERIAL + r"|for immediate release|download pdf|news release|"
    r"isaf joint command\s*-\s*afghanistan|international security assistance force|"
    r"(?:\d{3,5},\s*)+\d{3,5})(?:\W+(?:for immediate release|download pdf))*\W*$",
    re.I,
)
# a video player's notice on a scraped page, on a line of its own or before the dateline on its line
PLAYER_NOTICE = re.compile(r"^please enable javascript to (?:watch|view) this video\.?(?:[ \xa0]+|$)", re.I)
# a place as a dateline writes it, in capitals: "KABUL", "NEW YORK", "ST. LOUIS", "WINSTON-SALEM"
CAPITALS = r"[A-Z][A-Z.'\-]{2,}(?: [A-Z][A-Z.'\-]*){0,3}"
DATELINE = re.compile(
    rf"^[\s\xa0]*(?P<place>{CAPITALS}"
    r"(?:, ?[A-Z][A-Za-z.']*(?: [A-Z][A-Za-z.']*){0,2})?)"
    r"[ \xa0]*(?:\((?P<paren>[^()\n]{1,40})\))?[ \xa0]*(?P<dash>--|[-\u2013\u2014]|:|$)"
)
# the site or section a scraped title ends with: "| 6abc.com", "- Los Angeles Times", "« CBS Denver"
SITE_NAME = re.compile(r"\s+(?:\||-|\u2013|\u2014|\u00ab|::)\s+(?!.*\s(?:\||-|\u2013|\u2014|\u00ab|::)\s)[^|]{1,60}$")
TERMINAL = tuple(".!?:;\"'\u201d\u2019)]")


@dataclass(frozen=True)
class Segment:
    kind: str  # "headline" | "header" | "dateline" | "body"
    begin: int  # character offsets into the text
    end: int


def segments(text: str, title: str | None = None) -> list[Segment]:
    """The segments of `text`, in order; together with the blanks between them they cover it."""
    found: list[Segment] = []
    start = 0
    stripped = text.lstrip()
    if title and title.strip() and stripped.startswith(title.strip()):
        begin = len(text) - len(stripped)
        start = begin + len(title.strip())
        site = SITE_NAME.search(title.strip())
        if site is not None and site.start() >= 10:  # "... in Wilmington | 6abc.com": the site is no headline
            found.append(Segment("headline", begin, begin + site.start()))
            lead = len(site.group()) - len(site.group().lstrip())
            found.append(Segment("header", begin + site.start() + lead, start))
        else:
            found.append(Segment("headline", begin, start))
    dateline_seen = False
    lines = _lines(text, start)
    if not found and len(lines) > 1 and is_heading(text[lines[0][0] : lines[0][1]]) and not text[lines[1][0]].islower():
        found.append(Segment("headline", *lines[0]))  # a first line that is a title, not a sentence
        lines = lines[1:]
    for begin, end in lines:
        notice = PLAYER_NOTICE.match(text[begin:end])
        if notice is not None:  # the page's chrome, then its dateline or first sentence
            found.append(Segment("header", begin, begin + len(notice.group().rstrip())))
            begin += notice.end()
            if begin >= end:
                continue
        line = text[begin:end]
        if HEADER_LINE.match(line):
            found.append(Segment("header", begin, end))
            continue
        if not dateline_seen and begin < 600:
            match = DATELINE.match(line)
            if match is not None and _is_dateline(match):
                dateline_seen = True
                cut = begin + match.end()
                found.append(Segment("dateline", begin, cut))
                rest = cut + len(text[cut:end]) - len(text[cut:end].lstrip(" \xa0\t"))
                if rest < end:
                    found.append(Segment("body", rest, end))
                continue
        if found and found[-1].kind == "body" and _continues(text, found[-1], begin):
            found[-1] = Segment("body", found[-1].begin, end)
        else:
            found.append(Segment("body", begin, end))
    return found


def _lines(text: str, start: int) -> list[tuple[int, int]]:
    """(begin, end) of each non-blank line from `start`, without its surrounding blanks."""
    spans = []
    for match in re.finditer(r"[^\n\r\u2028\u2029]+", text[start:]):
        line = match.group()
        if not line.strip():
            continue
        lead = len(line) - len(line.lstrip())
        spans.append((start + match.start() + lead, start + match.start() + len(line.rstrip())))
    return spans


def is_heading(line: str) -> bool:
    """A line that is a title, byline or name, not a sentence: short and without a full stop at its end."""
    return (
        len(line) < 160
        and not line.rstrip().endswith(TERMINAL)
        and not HEADER_LINE.match(line)
        and not ((match := DATELINE.match(line)) is not None and _is_dateline(match))
    )


def _continues(text: str, previous: Segment, begin: int) -> bool:
    """A sentence wrapped at the end of a line: the line ends without punctuation, the next starts lower case."""
    last = text[previous.begin : previous.end].rstrip()
    return bool(last) and not last.endswith(TERMINAL) and text[begin].islower()


def _is_dateline(match: re.Match[str]) -> bool:
    first = match.group("place").split(",")[0].split()[0]
    letters = [c for c in first if c.isalpha()]
    if len(letters) < 3 or not all(c.isupper() for c in letters):
        return False
    return match.group("dash") != ":" or match.group("paren") is not None


def with_headline(text: str, title: str | None) -> str:
    """The text a document is read as: its headline, then its body. Most scraped pages give the title
    apart from a body that does not repeat it (or that opens with a site's menus), and the headline
    says which story a page is. A text that starts with its title is kept as it is, but for a line break
    after a title glued to the body ("... | abc13.comA waitress was shot"): the parser reads the two as
    one sentence otherwise, whatever sentence start it was given. An empty text is kept as it is."""
    title = (title or "").strip()
    if not title or not text.strip():
        return text
    body = text.lstrip()
    if not body.startswith(title):
        return f"{title}\n\n{text}"
    end = len(text) - len(body) + len(title)
    if end < len(text) and not text[end].isspace():
        return f"{text[:end]}\n\n{text[end:]}"
    return text


def make_doc(nlp: Language, text: str, title: str | None = None) -> tuple[Doc, list[Segment]]:
    """The tokens of `text` read with its headline (`with_headline`), with a sentence starting at each
    segment. A token that runs across a segment's start ("TimesJassely", a title glued to the body) is
    split there first."""
    text = with_headline(text, title)
    parts = segments(text, title)
    doc = nlp.make_doc(text)
    if not len(doc):
        return doc, parts
    cuts = sorted({p.begin for p in parts})
    glued = [
        (doc[i], cut - doc[i].idx)
        for cut in cuts
        for i in [_token_at(doc, cut)]
        if i is not None and doc[i].idx < cut < doc[i].idx + len(doc[i].text)
    ]
    if glued:
        with doc.retokenize() as retokenizer:
            for token, at in glued:
                retokenizer.split(token, [token.text[:at], token.text[at:]], heads=[(token, 1), (token, 1)])
    doc[0].is_sent_start = True
    for cut in cuts:
        i = _token_at(doc, cut)
        if i is not None and i > 0 and doc[i].idx == cut:
            doc[i].is_sent_start = True
    return doc, parts


def _token_at(doc: Doc, char: int) -> int | None:
    """The index of the token holding the character at `char`."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return None if span is None else span.start


__all__ = ["CAPITALS", "Segment", "is_heading", "make_doc", "segments", "with_headline"]
