"""No outbound request on a client's behalf: `SERVICE <url>` and `LOAD <url>` only to allow-listed hosts.

Oxigraph evaluates `SERVICE` and `LOAD` by fetching the URL. The guard is cheap when neither word
occurs (one regular expression search); otherwise rdflib's SPARQL parser resolves every IRI (BASE,
PREFIX, escapes) and the algebra is walked for `ServiceGraphPattern` and `Load`, in sub-queries,
`EXISTS` and update `WHERE` clauses alike. A variable service is always refused, and text that has
the keyword but does not parse is refused too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from rdflib.term import URIRef

from kg.server.errors import BadRequest
from kg.server.lexer import tokens

_MAYBE = re.compile(r"service|load", re.IGNORECASE)
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


def _mentions_outbound(text: str) -> bool:
    # Oxigraph reads `SERVICE:x` as SERVICE + `:x`, so a keyword may be glued to a prefixed name:
    # any token outside literals and IRIs that contains the letters counts.
    if _MAYBE.search(text) is None:
        return False
    return any(_MAYBE.search(t.text) for t in tokens(text) if t.kind not in _OPAQUE)


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
    if not _mentions_outbound(text):
        return
    try:
        algebra = translate(text, base_iri)
    except Exception as exc:
        raise OutboundRefused(f"The {kind} uses SERVICE or LOAD and could not be checked ({exc}); refused.") from None
    _check(_targets(algebra), allow)


def check_query(text: str, *, base_iri: str | None, allow: tuple[str, ...]) -> None:
    """Raise OutboundRefused if the query has a SERVICE whose URL is not on an allowed host."""
    _guard(text, "query", _query_algebra, base_iri, allow)


def check_update(text: str, *, base_iri: str | None, allow: tuple[str, ...]) -> None:
    """Raise OutboundRefused if the update has a LOAD or SERVICE whose URL is not on an allowed host."""
    _guard(text, "update", _update_algebra, base_iri, allow)


__all__ = ["OutboundRefused", "check_query", "check_update"]
