"""No outbound request on a client's behalf: `SERVICE <url>` and `LOAD <url>` only to allow-listed hosts.

Oxigraph evaluates `SERVICE` and `LOAD` by fetching the URL. The guard runs only on text where either
word may be (`names_outbound`: for a query its shape says so, kg.server.query_shape): rdflib's SPARQL
parser resolves every IRI (BASE, PREFIX, escapes) and the algebra is walked for `ServiceGraphPattern`
and `Load`, in sub-queries, `EXISTS` and update `WHERE` clauses alike. A variable service is always
refused, and text that has the keyword but does not parse is refused too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from rdflib.term import URIRef

from kg.server.errors import BadRequest
from kg.server.lexer import SparqlToken, tokens

_WORDS = re.compile(r"service|load", re.IGNORECASE)
_OPAQUE = frozenset({"string", "iri", "var"})


class OutboundRefused(BadRequest):
    """A query or update that would make the server fetch a URL that is not allowed."""


def _targets(node: object) -> Iterator[object]:
    from rdflib.plugins.sparql.parserutils import CompValue  # imported by then (_query_algebra)

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield node.get("term")
        elif node.name == "Load":
            yield node.get("iri")
        for value in node.values():
            yield from _targets(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _targets(value)


def _check(targets: Iterator[object], allow: tuple[str, ...]) -> None:
    for target in targets:
        if not isinstance(target, URIRef):
            raise OutboundRefused(
                f"SERVICE {target.n3() if hasattr(target, 'n3') else target!s} is refused: "
                "this endpoint calls no service named by a variable."
            )
        host = urlsplit(str(target)).hostname
        if host is None or host not in {a.lower() for a in allow}:
            raise OutboundRefused(
                f"<{target}> is refused: this endpoint makes no request to host {host!r} "
                f"(allowed hosts: {', '.join(allow) or 'none'}; set KG_SERVICE_ALLOW)."
            )


def may_name_outbound(text: str) -> bool:
    """Whether the letters of SERVICE or LOAD are anywhere in `text`: one search, before any token is read."""
    return _WORDS.search(text) is not None


def names_outbound(token: SparqlToken) -> bool:
    """Whether `token` may be SERVICE or LOAD. Oxigraph reads `SERVICE:x` as SERVICE + `:x`, so a keyword
    may be glued to a prefixed name: any token outside literals, IRIs and variables with the letters counts."""
    return token.kind not in _OPAQUE and _WORDS.search(token.text) is not None


# rdflib's SPARQL engine is imported when a text first needs it: most workers never do (8 MB each)
def _query_algebra(text: str, base: str | None) -> object:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    return translateQuery(parseQuery(text), base=base).algebra


def _update_algebra(text: str, base: str | None) -> object:
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    return translateUpdate(parseUpdate(text), base=base).algebra


def _guard(text: str, kind: str, translate, base_iri: str | None, allow: tuple[str, ...]) -> None:
    try:
        algebra = translate(text, base_iri)
    except Exception as exc:
        raise OutboundRefused(f"The {kind} uses SERVICE or LOAD and could not be checked ({exc}); refused.") from None
    _check(_targets(algebra), allow)


def check_query(text: str, *, base_iri: str | None, allow: tuple[str, ...]) -> None:
    """Raise OutboundRefused if the query has a SERVICE whose URL is not on an allowed host.

    For a query whose shape says it may go outbound (`QueryShape.outbound`): this parses it with rdflib.
    """
    _guard(text, "query", _query_algebra, base_iri, allow)


def check_update(text: str, *, base_iri: str | None, allow: tuple[str, ...]) -> None:
    """Raise OutboundRefused if the update has a LOAD or SERVICE whose URL is not on an allowed host."""
    if may_name_outbound(text) and any(names_outbound(t) for t in tokens(text)):
        _guard(text, "update", _update_algebra, base_iri, allow)


__all__ = ["OutboundRefused", "check_query", "check_update", "may_name_outbound", "names_outbound"]
