"""Every SPARQL evaluation of the server goes through here: `execute` for queries, `apply` for updates.

Oxigraph evaluates and Oxigraph serializes: results reach Python only as the bytes of the answer.
`evaluate` and `run_update` are plain functions of picklable arguments, so the way they are run
(today a thread of the pool) can change without touching the callers.

The row limit costs next to nothing: an upper bound on the rows of the serialized answer comes
from its length (small answers) or one `bytes.count` of the row mark of its format (kg.formats).
Only when that bound passes `max_rows` is the query evaluated again into TSV or N-Triples (one row
a line, so counting and cutting are a `bytes.split`); when it really is over the limit, the first
`max_rows` rows are parsed back by Oxigraph and serialized in the negotiated format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

import pyoxigraph as ox

from kg import formats
from kg.namespaces import node
from kg.server import negotiation, security
from kg.server.errors import BadRequest, NotAcceptable, QueryFailed
from kg.server.lexer import tokens
from kg.server.limits import Limits
from kg.server.protocol import Dataset
from kg.server.snapshots import Snapshots
from kg.sparql import explain_syntax_error, run_query, serialize_results

DEFAULT_DATASET = Dataset()

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
            rf"(?:FROM{_W}(?:NAMED{_W})?{_CONST}{_W}){{0,8}}(?:WHERE{_W})?",
            rf"\{{{_W}{_CONST}{_W}(?:{_CONST}|{_VAR}|a){_W}(?:{_CONST}|{_VAR}){_W}(?:\.{_W})?\}}{_W}",
            rf"(?:ORDER{_W}BY{_W}(?:{_VAR}{_W}){{1,3}})?(?:(?:LIMIT|OFFSET){_W}\d+{_W}){{0,2}}",
        )
    ),
    re.IGNORECASE,
)


def is_lookup(text: str) -> bool:
    """Whether the query is a SELECT or ASK of one triple pattern with a constant subject.

    `SELECT ?p ?o WHERE { <s> ?p ?o } LIMIT 10`, with any prologue, DISTINCT, up to 3 projected
    variables, up to 8 FROM clauses, ORDER BY up to 3 variables, LIMIT and OFFSET. Oxigraph answers
    it with one scan of the subject's triples in its index: its work is bounded by the data. Any
    other shape is not a lookup.
    """
    return _LOOKUP.fullmatch(text) is not None


def _has_from(text: str) -> bool:
    """Whether the query has a FROM or FROM NAMED clause (the word in a literal or an IRI does not count)."""
    return _FROM.search(text) is not None and any(
        t.kind == "word" and t.depth == 0 and t.text.upper() == "FROM" for t in tokens(text)
    )


# One bytes.count that counts each row at least once (a literal may add to it, never take away): the format
# table's `rows` (kg.formats), format -> (marker, marks that are not rows).
_ROW_MARKS: dict[object, tuple[bytes, int]] = {
    row.format: row.rows for table in (formats.RESULTS, formats.RDF) for row in table if row.rows
}


def _choose(accept: str | None, graph: bool) -> tuple[str, ox.RdfFormat | ox.QueryResultsFormat]:
    """The media type and format `accept` asks for, among those of a graph or of solutions."""
    if graph:
        return negotiation.choose(accept, negotiation.GRAPHS)
    return negotiation.choose(accept, negotiation.RESULTS)


def _most_rows(body: bytes, fmt: object) -> int:
    """An upper bound on the rows (solutions or triples) in `body`; every format spends 2 bytes a row or more."""
    if len(body) < 1024:
        return len(body) // 2
    marker, extra = _ROW_MARKS.get(fmt, (b"", 0))
    return body.count(marker) - extra if marker else len(body) // 2


@dataclass(frozen=True, slots=True)
class Answer:
    media_type: str
    body: bytes
    rows_cut: bool = False  # True when more than max_rows rows were found and only max_rows are in `body`


def _options(dataset: Dataset, text: str, union: bool, base_iri: str | None) -> dict:
    """Keyword arguments of `run_query` for this dataset."""
    if dataset:
        # the protocol's dataset wins over FROM / FROM NAMED in the query (SPARQL 1.1 Protocol 2.1.4)
        return {
            "union": False,
            "base_iri": base_iri,
            "default_graph": [node(g) for g in dataset.default_graphs],
            "named_graphs": [node(g) for g in dataset.named_graphs],
        }
    # a FROM in the query defines the dataset itself; Oxigraph's union flag would override it
    return {"union": union and not _has_from(text), "base_iri": base_iri}


def _cut(store: ox.Store, text: str, options: dict, graph: bool, fmt, max_rows: int) -> bytes | None:
    """The first max_rows rows in `fmt`, or None when the answer has no more than max_rows rows."""
    again = run_query(store, text, **options)
    if graph:
        lines = again.serialize(format=formats.LINES).split(b"\n", max_rows)
        if len(lines) <= max_rows or not lines[max_rows]:
            return None
        return ox.serialize(ox.parse(b"\n".join(lines[:max_rows]) + b"\n", formats.LINES), format=fmt)
    lines = again.serialize(format=formats.RESULT_LINES).split(b"\n", max_rows + 1)  # header + rows
    if len(lines) <= max_rows + 1 or not lines[max_rows + 1]:
        return None
    kept = ox.parse_query_results(b"\n".join(lines[: max_rows + 1]) + b"\n", formats.RESULT_LINES)
    return serialize_results(kept, fmt)


_FORMS = {"SELECT": False, "ASK": False, "CONSTRUCT": True, "DESCRIBE": True}


def is_graph_query(text: str) -> bool | None:
    """Whether the query is a CONSTRUCT or DESCRIBE (True), a SELECT or ASK (False), or None: no form found
    (the text does not parse, and the parser will say why)."""
    for token in tokens(text):
        if token.kind == "word" and token.depth == 0:
            form = _FORMS.get(token.text.upper())
            if form is not None:
                return form
    return None


def evaluate(
    store: ox.Store,
    text: str,
    *,
    accept: str | None,
    dataset: Dataset = DEFAULT_DATASET,
    union: bool = True,
    base_iri: str | None = None,
    max_rows: int = 0,
    service_allow: tuple[str, ...] = (),
    graph: bool | None = None,
) -> Answer:
    """Evaluate the query `text` and serialize its answer in the format `accept` asks for.

    The format is chosen before the evaluation, from the query form (`graph`, found by
    `is_graph_query` when not given): a request no format fits costs no evaluation.

    :raises OutboundRefused: SERVICE to a host not in `service_allow`.
    :raises BadRequest: the query does not parse (with the parser's message).
    :raises NotAcceptable: no format of `accept` fits the query form.
    :raises QueryFailed: evaluation failed inside Oxigraph.
    """
    security.check_query(text, base_iri=base_iri, allow=service_allow)
    # The solutions live in _answer's frame, never in this one. rdflib's parser, which check_query
    # runs on a query that may go outbound, leaves reference cycles that hold its frames, and through
    # them this one; the garbage collector frees them later, on whatever thread it runs, and pyo3
    # cannot free query solutions on another thread than the one that made them.
    return _answer(store, text, accept, _options(dataset, text, union, base_iri), max_rows, graph)


def _answer(store: ox.Store, text: str, accept: str | None, options: dict, max_rows: int, graph: bool | None) -> Answer:
    """`evaluate` once the query is allowed."""
    if graph is None:
        graph = is_graph_query(text)
    if graph is not None:
        media, fmt = _choose(accept, graph)
    try:
        result = run_query(store, text, **options)
    except SyntaxError as exc:
        raise BadRequest(f"SPARQL syntax error: {explain_syntax_error(exc, text)}") from None
    except RuntimeError as exc:  # a query Oxigraph cannot run, e.g. a function it does not know
        raise BadRequest(f"Query not supported: {exc}") from None
    except (OSError, ValueError) as exc:
        raise QueryFailed(f"Query evaluation failed: {exc}") from None
    if graph is not isinstance(result, ox.QueryTriples):  # the form was not found, or the lexer was fooled
        graph = isinstance(result, ox.QueryTriples)
        try:
            media, fmt = _choose(accept, graph)
        except NotAcceptable:
            del result  # here, on the thread that made it (pyo3 cannot free it on another)
            raise
    try:
        if isinstance(result, ox.QueryTriples):
            assert isinstance(fmt, ox.RdfFormat)
            body = result.serialize(format=fmt) or b""
        else:
            assert isinstance(fmt, ox.QueryResultsFormat)
            body = serialize_results(result, fmt)
        if max_rows and not isinstance(result, ox.QueryBoolean) and _most_rows(body, fmt) > max_rows:
            cut = _cut(store, text, options, graph, fmt, max_rows)
            if cut is not None:
                return Answer(media, cut, rows_cut=True)
    except (OSError, ValueError, RuntimeError) as exc:
        del result
        raise QueryFailed(f"Query evaluation failed: {exc}") from None
    return Answer(media, body)


async def execute(
    store: ox.Store,
    text: str,
    *,
    accept: str | None,
    limits: Limits,
    dataset: Dataset = DEFAULT_DATASET,
    union: bool = True,
    base_iri: str | None = None,
    max_rows: int = 0,
    service_allow: tuple[str, ...] = (),
) -> Answer:
    """`evaluate` under `limits`: in one of its threads, given up after its timeout (kg.server.limits).

    A lookup (`is_lookup`) is evaluated right here instead: its work is bounded, and the hand-off to a
    thread would cost more than the lookup itself (bench/README.md, "Endpoint").
    """
    call = partial(
        evaluate,
        store,
        text,
        accept=accept,
        dataset=dataset,
        union=union,
        base_iri=base_iri,
        max_rows=max_rows,
        service_allow=service_allow,
    )
    if is_lookup(text):
        return call(graph=False)
    return await limits.run(call)


def run_update(store: ox.Store, text: str, *, base_iri: str | None = None, service_allow: tuple[str, ...] = ()) -> None:
    """Apply the SPARQL Update `text` (all of it or nothing)."""
    security.check_update(text, base_iri=base_iri, allow=service_allow)
    try:
        store.update(text, base_iri=base_iri)
    except SyntaxError as exc:
        raise BadRequest(f"SPARQL Update syntax error: {explain_syntax_error(exc, text)}") from None
    except RuntimeError as exc:  # what the update asks is impossible, e.g. CLEAR GRAPH of a graph that is not there
        raise BadRequest(f"Update failed, nothing was changed: {exc}") from None
    except (OSError, ValueError) as exc:
        raise QueryFailed(f"Update failed, nothing was changed: {exc}") from None


async def apply(
    store: Snapshots, text: str, *, base_iri: str | None = None, service_allow: tuple[str, ...] = ()
) -> None:
    """`run_update` on the store, published to every worker when it succeeds (kg.server.snapshots)."""
    await store.write(partial(run_update, text=text, base_iri=base_iri, service_allow=service_allow))


__all__ = ["Answer", "apply", "evaluate", "execute", "is_graph_query", "is_lookup", "run_update"]
