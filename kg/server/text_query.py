"""Search inside SPARQL: the magic property `text:query`, in the style of Jena's, rewritten into
`VALUES` before Oxigraph sees the query.

    PREFIX text: <https://w3id.org/newskg/text#>
    SELECT ?doc ?score ?title WHERE {
      (?doc ?score ?snippet) text:query ("Rafah crossing" 20) .
      ?doc dcterms:title ?title .
    }

The subject is a variable for the document, or a list of it and, optionally, variables for its
BM25 score (an xsd:double, higher is better) and a snippet of its text. The object is the search
as `kg search` and `/search` take it (words, "a phrase", word*, OR), or a list of that string and
a limit (at most `DEFAULT_LIMIT` documents without one). The pattern stands as a triple of its
own: after `{` or `.`, ended by `.` or `}`. The search runs once, on the index in the store
(kg.search), and its documents, best first, become the rows of a `VALUES` block in its place, so
the rest of the query joins them with the graph like any other solutions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg import search
from kg.namespaces import TEXT, node, xsd
from kg.server.errors import BadRequest
from kg.server.lexer import SparqlToken
from kg.server.query_shape import QueryShape

QUERY = str(TEXT) + "query"
DEFAULT_LIMIT = 1000
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_DOUBLE = xsd.double


def rewrite(text: str, shape: QueryShape, index: Path) -> str:
    """`text` with each `text:query` pattern replaced by the documents its search finds in `index`. Its
    shape (form, FROM, SERVICE) stays that of `text`: a VALUES block of IRIs and literals takes the place
    of a triple pattern.

    :raises BadRequest: a pattern not written as described above, or a search with no words in it.
    """
    toks = shape.tokens  # all of them when the text names the text: namespace, which every pattern does
    if not toks:
        return text
    names = _prefixes(toks)
    out, at = [], 0
    for i, tok in enumerate(toks):
        if not _is_query(tok, names):
            continue
        start, variables = _subject(toks, i)
        end, words, limit = _object(toks, i)
        out += [text[at:start], _values(variables, words, limit, index)]
        at = end
    return "".join(out) + text[at:]


def _prefixes(toks: Sequence[SparqlToken]) -> set[str]:
    """The prefixes declared for the text: namespace (`text:` and any other name the query gives it)."""
    names = set()
    for keyword, name, iri in zip(toks, toks[1:], toks[2:]):
        if (
            keyword.text.upper() == "PREFIX"
            and name.text.endswith(":")
            and iri.kind == "iri"
            and iri.text[1:-1] == str(TEXT)
        ):
            names.add(name.text)
    return names


def _is_query(tok: SparqlToken, names: set[str]) -> bool:
    if tok.kind == "iri":
        return tok.text[1:-1] == QUERY
    if tok.kind == "word" and ":" in tok.text:
        prefix, _, local = tok.text.partition(":")
        return local == "query" and prefix + ":" in names
    return False


def _fail(message: str) -> BadRequest:
    return BadRequest(
        f'text:query: {message}. Write it as a triple of its own, e.g. (?doc ?score ?snippet) text:query ("words" 20) .'
    )


def _subject(toks: Sequence[SparqlToken], i: int) -> tuple[int, list[str]]:
    """Where the subject of the pattern at `toks[i]` starts in the text, and its variables."""
    j = i - 1
    if j >= 0 and toks[j].kind == "var":
        variables, first = [toks[j].text], j
    elif j >= 0 and toks[j].text == ")":
        first = j - 1
        while first >= 0 and toks[first].kind == "var":
            first -= 1
        if first < 0 or toks[first].text != "(" or not 1 <= j - first - 1 <= 3:
            raise _fail("its subject is a variable or a list of one to three variables (document, score, snippet)")
        variables = [t.text for t in toks[first + 1 : j]]
    else:
        raise _fail("its subject is a variable or a list of one to three variables (document, score, snippet)")
    before = toks[first - 1] if first > 0 else None
    if before is not None and before.kind not in ("open", "close") and before.text != ".":
        raise _fail(f"it follows {before.text!r}; it must start a triple pattern (after '{{' or '.')")
    return toks[first].start, variables


def _object(toks: Sequence[SparqlToken], i: int) -> tuple[int, str, int]:
    """Where the pattern at `toks[i]` ends in the text (after its '.', if any), its words and limit."""
    j = i + 1
    limit = DEFAULT_LIMIT
    if j < len(toks) and toks[j].kind == "string":
        words, j = _string(toks[j]), j + 1
    elif j + 1 < len(toks) and toks[j].text == "(" and toks[j + 1].kind == "string":
        words, j = _string(toks[j + 1]), j + 2
        if j < len(toks) and toks[j].kind == "other" and toks[j].text.isdigit():
            number = j
            while (
                number + 1 < len(toks)
                and toks[number + 1].text.isdigit()
                and toks[number + 1].start == toks[number].end
            ):
                number += 1
            limit = int("".join(t.text for t in toks[j : number + 1]))
            j = number + 1
        if j >= len(toks) or toks[j].text != ")":
            raise _fail("its object is a string, or a list of a string and a limit")
        j += 1
    else:
        raise _fail("its object is a string of words, or a list of that string and a limit")
    if j < len(toks) and toks[j].text == ".":
        return toks[j].end, words, limit
    if j < len(toks) and toks[j].kind == "close":
        return toks[j - 1].end, words, limit
    raise _fail("it must end its triple pattern, with '.' or '}'")


def _string(tok: SparqlToken) -> str:
    body = tok.text
    quote = 3 if body[:3] in ('"""', "'''") else 1
    body = body[quote:-quote] if len(body) >= 2 * quote else body[quote:]
    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", _unescape, body)


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if len(code) > 1 else _ESCAPES.get(code, code)


def _values(variables: list[str], words: str, limit: int, index: Path) -> str:
    """The VALUES block of the documents the search finds."""
    try:
        results = search.search(index, words, limit=limit)
    except search.SearchError as exc:
        raise BadRequest(f"text:query: {exc}") from None
    rows = []
    for hit in results.hits:
        cells = [str(node(hit.iri)), str(ox.Literal(repr(hit.score), datatype=_DOUBLE))]
        cells.append(str(ox.Literal("".join(piece for piece, _ in hit.pieces()))))
        rows.append("(" + " ".join(cells[: len(variables)]) + ")")
    return f"VALUES ({' '.join(variables)}) {{ {' '.join(rows)} }}"


__all__ = ["DEFAULT_LIMIT", "QUERY", "rewrite"]
