"""SPARQL text as tokens, just enough to see words and brackets outside literals, IRIs and comments.

Not a parser: it finds where words such as `SERVICE`, `LOAD`, `USING` and `WHERE` occur and at
which brace depth, in one regular expression pass that stays linear on any input. A literal left
open runs to the end of its line (or of the text, for a long one): SPARQL rejects such text anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_TOKEN = re.compile(
    r"""
  (?P<space>\s+)
| (?P<comment>\#[^\n]*)
| (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*+(?:\"\"\")?|'''(?:[^'\\]|\\.|'(?!''))*+(?:''')?
            |"(?:[^"\\\n\r]|\\[^\n\r])*+"?|'(?:[^'\\\n\r]|\\[^\n\r])*+'?)
| (?P<iri><[^<>"{}|^`\\\x00-\x20]*+>)
| (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
| (?P<word>[^\W\d][\w\-.]*(?::[\w\-.:%\\]*)?|:[\w\-.:%\\]*)
| (?P<open>\{)
| (?P<close>\})
| (?P<other>.)
""",
    re.VERBOSE | re.DOTALL,
)


# only what can hide a bracket (comments, literals, IRIs) and the brackets themselves
_BRACKET = re.compile(
    r"""
  (?P<skip>\#[^\n]*
    |\"\"\"(?:[^"\\]|\\.|"(?!""))*+(?:\"\"\")?|'''(?:[^'\\]|\\.|'(?!''))*+(?:''')?
    |"(?:[^"\\\n\r]|\\[^\n\r])*+"?|'(?:[^'\\\n\r]|\\[^\n\r])*+'?)
| (?P<iri><[^<>"{}|^`\\\x00-\x20]*+>)
| (?P<open>[([{])
| (?P<close>[)\]}])
""",
    re.VERBOSE | re.DOTALL,
)


class SparqlToken(NamedTuple):
    kind: str  # word, var, iri, string, open, close, other
    text: str
    start: int
    end: int
    depth: int  # braces open before this token


def tokens(text: str) -> Iterator[SparqlToken]:
    """The significant tokens of `text` (no whitespace or comments), each with its brace depth."""
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or ""
        if kind in ("space", "comment"):
            continue
        if kind == "close":
            depth -= 1
        yield SparqlToken(kind, match.group(), match.start(), match.end(), depth)
        if kind == "open":
            depth += 1


def nesting(text: str) -> int:
    """How deep `(`, `[` and `{` nest in `text`, outside literals and comments (all three count alike).

    An IRI counts as deep as the brackets it holds: what reads as an IRI here may be a less-than
    followed by brackets to the parser (`?a<((1))>0`), and counting them is never wrong by much.
    """
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "iri":
            iri = match.group()
            deepest = max(deepest, depth + iri.count("(") + iri.count("["))
    return deepest
