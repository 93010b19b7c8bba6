"""What the server reads off a query's text before Oxigraph parses it, once: its `QueryShape`.

The shape says which format fits the answer (the form: a graph for CONSTRUCT and DESCRIBE), whether
the query defines its own dataset (FROM, FROM NAMED: the union default graph must not override it),
whether SERVICE or LOAD may be in it (kg.server.security then checks where it would go), whether it
is a lookup (evaluated on the event loop, kg.server.executor), and, when it may use `text:query`, its
tokens (kg.server.text_query rewrites those).

`shape_of` reads a lookup with one regular expression, which gives its form and FROM clauses too; any
other query with one pass of the lexer, which stops once it has seen all the text may hold: most
queries end at the keyword of their form.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kg.namespaces import TEXT
from kg.server import security
from kg.server.lexer import SparqlToken, tokens

_FORMS = {"SELECT": False, "ASK": False, "CONSTRUCT": True, "DESCRIBE": True}  # form -> whether it gives a graph
_FROM = re.compile(r"\bfrom\b", re.IGNORECASE)

# A SELECT or ASK of one triple pattern with a constant subject, written out token by token: keywords,
# IRIs, prefixed names, variables, braces, comments; never a literal, expression, path or second group.
# Variables in the projection and ORDER BY, and FROM clauses, are counted: thousands of unbound ORDER
# BY keys would make every comparison of a sort walk them all.
_W = r"(?:\s|#[^\n]*+)*+"  # white space and comments
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*+>"
_PREFIX = r"(?:[^\W\d_][\w\-.]*+)?:"
_CONST = rf"(?:{_IRI}|{_PREFIX}[\w\-.:%]*+)"
_VAR = r"[?$]\w++"
_LOOKUP = re.compile(
    "".join(
        (
            rf"{_W}(?:BASE{_W}{_IRI}{_W}|PREFIX{_W}{_PREFIX}{_W}{_IRI}{_W})*",
            rf"(?:SELECT{_W}(?:(?:DISTINCT|REDUCED){_W})?(?:\*{_W}|(?:{_VAR}{_W}){{1,3}})|ASK{_W})",
            rf"(?P<from>(?:FROM{_W}(?:NAMED{_W})?{_CONST}{_W}){{0,8}})(?:WHERE{_W})?",
            rf"\{{{_W}{_CONST}{_W}(?:{_CONST}|{_VAR}|a){_W}(?:{_CONST}|{_VAR}){_W}(?:\.{_W})?\}}{_W}",
            rf"(?:ORDER{_W}BY{_W}(?:{_VAR}{_W}){{1,3}})?(?:(?:LIMIT|OFFSET){_W}\d+{_W}){{0,2}}",
        )
    ),
    re.IGNORECASE,
)


class QueryShape(NamedTuple):
    graph: bool | None  # CONSTRUCT or DESCRIBE (True), SELECT or ASK (False); None: no form found (the text
    # does not parse, and the parser will say why)
    names_dataset: bool  # a FROM or FROM NAMED clause: the query defines its dataset itself
    outbound: bool  # SERVICE or LOAD may be in it, outside literals and IRIs: kg.server.security checks it
    # one triple pattern with a constant subject (see `_LOOKUP`): SELECT ?p ?o WHERE { <s> ?p ?o } LIMIT 10, with
    # any prologue, DISTINCT, up to 3 projected variables, up to 8 FROM clauses, ORDER BY up to 3 variables,
    # LIMIT and OFFSET. Oxigraph answers it with one scan of the subject's triples in its index: its work is
    # bounded by the data. Any other shape is not a lookup.
    lookup: bool
    tokens: tuple[SparqlToken, ...] = ()  # every token, when the text names the text: namespace; else none


def shape_of(text: str) -> QueryShape:
    """The shape of the query `text` (see the module), found in one pass over it."""
    lookup = _LOOKUP.fullmatch(text)
    may_go_out = security.may_name_outbound(text)
    may_search = str(TEXT) in text  # it may use text:query, which is rewritten token by token
    if lookup is not None and not may_go_out and not may_search:
        return QueryShape(graph=False, names_dataset=bool(lookup["from"]), outbound=False, lookup=True)
    may_name_dataset = _FROM.search(text) is not None
    graph, names_dataset, outbound, kept = None, False, False, []
    for token in tokens(text):
        if may_search:
            kept.append(token)
        if token.kind != "word":  # the other tokens that are not opaque are one character: none is a keyword
            continue
        if token.depth == 0:
            word = token.text.upper()
            if graph is None and word in _FORMS:
                graph = _FORMS[word]
            names_dataset = names_dataset or word == "FROM"
        outbound = outbound or security.names_outbound(token)
        if (
            graph is not None
            and not may_search
            and (names_dataset or not may_name_dataset)
            and (outbound or not may_go_out)
        ):
            break  # nothing the rest of the text holds can change the shape
    return QueryShape(graph, names_dataset, outbound, lookup is not None, tuple(kept))


__all__ = ["QueryShape", "shape_of"]
