"""Every SPARQL evaluation of the server goes through here: `execute` for queries, `apply` for updates.

Oxigraph evaluates and Oxigraph serializes: results reach Python only as the bytes of the answer.
`evaluate` and `run_update` are plain functions of picklable arguments, so the way they are run
(today a thread of the pool) can change without touching the callers. A query comes with its shape
(kg.server.query_shape), read off its text once: its form, its FROM clauses, SERVICE, a lookup.

The row limit evaluates the query once. Triples stream into Oxigraph's serializer, cut after
`max_rows`, and one more pulled from the evaluation tells that there were more. Solutions are
serialized whole by Oxigraph; an upper bound on their rows comes from the answer's length (small
answers) or one `bytes.count` of the row mark of its format (kg.formats). Only when that bound passes
`max_rows` are they read back from those bytes, only as far as the limit, as TSV (one solution a line,
so counting and cutting are a `bytes.split`), and the first `max_rows` serialized again. CSV, which is
written row by row in Python anyway (kg.sparql.results_csv), stops after `max_rows` itself.
"""

from __future__ import annotations

import io
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import formats
from kg.namespaces import node
from kg.server import negotiation, security
from kg.server.errors import BadRequest, NotAcceptable, QueryFailed
from kg.server.limits import Limits
from kg.server.protocol import RequestDataset
from kg.server.query_shape import QueryShape
from kg.server.snapshots import Snapshots
from kg.sparql import explain_syntax_error, results_csv, run_query, serialize_results

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

DEFAULT_DATASET = RequestDataset()

# One bytes.count that counts each solution at least once (a literal may add to it, never take away): the
# format table's `rows` (kg.formats), format -> (marker, marks that are not rows).
_ROW_MARKS: dict[ox.QueryResultsFormat, tuple[bytes, int]] = {
    row.format: row.rows for row in formats.RESULTS if row.rows
}


def _choose(accept: str | None, graph: bool) -> tuple[str, ox.RdfFormat | ox.QueryResultsFormat]:
    """The media type and format `accept` asks for, among those of a graph or of solutions."""
    if graph:
        return negotiation.choose(accept, negotiation.GRAPHS)
    return negotiation.choose(accept, negotiation.RESULTS)


def _most_rows(body: bytes, fmt: ox.QueryResultsFormat) -> int:
    """An upper bound on the solutions in `body`; every format spends 2 bytes a row or more."""
    if len(body) < 1024:
        return len(body) // 2
    marker, extra = _ROW_MARKS.get(fmt, (b"", 0))
    return body.count(marker) - extra if marker else len(body) // 2


@dataclass(frozen=True, slots=True)
class Answer:
    media_type: str
    body: bytes
    rows_cut: bool = False  # True when more than max_rows rows were found and only max_rows are in `body`


def _options(dataset: RequestDataset, names_dataset: bool, union: bool, base_iri: str | None) -> dict:
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
    return {"union": union and not names_dataset, "base_iri": base_iri}


def _serialize(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    fmt: ox.RdfFormat | ox.QueryResultsFormat,
    max_rows: int,
) -> tuple[bytes, bool]:
    """The answer in `fmt`, its rows cut to the first `max_rows` (none when 0), and whether they were."""
    if isinstance(result, ox.QueryTriples):
        assert isinstance(fmt, ox.RdfFormat)
        if not max_rows:
            return result.serialize(format=fmt) or b"", False
        body = ox.serialize(islice(result, max_rows), format=fmt) or b""
        return body, next(result, None) is not None
    assert isinstance(fmt, ox.QueryResultsFormat)
    if isinstance(result, ox.QueryBoolean) or not max_rows:
        return serialize_results(result, fmt), False
    if fmt == formats.CSV:
        body = results_csv(result.variables, islice(result, max_rows))
        return body, next(result, None) is not None
    body = serialize_results(result, fmt)
    if _most_rows(body, fmt) <= max_rows:
        return body, False
    return _cut(body, fmt, max_rows)


def _cut(body: bytes, fmt: ox.QueryResultsFormat, max_rows: int) -> tuple[bytes, bool]:
    """The solutions of `body` cut to the first max_rows, and whether there were more (the bound may be loose)."""
    if fmt == formats.RESULT_LINES:
        lines = body
    else:  # read back only as far as the first solution past the limit
        solutions = ox.parse_query_results(body, fmt)
        assert isinstance(solutions, ox.QuerySolutions)
        lines = _FirstLines.of(solutions, max_rows + 2)
    rows = lines.split(b"\n", max_rows + 1)  # the header, then a solution a line
    if len(rows) <= max_rows + 1 or not rows[max_rows + 1]:
        return body, False
    kept = ox.parse_query_results(b"\n".join(rows[: max_rows + 1]) + b"\n", formats.RESULT_LINES)
    return serialize_results(kept, fmt), True


class _Enough(Exception):
    pass


class _FirstLines(io.BytesIO):
    """Takes what Oxigraph writes until it holds `lines` lines, then stops the writing (`_Enough`)."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.left = lines

    @classmethod
    def of(cls, solutions: ox.QuerySolutions, lines: int) -> bytes:
        """The first `lines` lines of `solutions` as RESULT_LINES (and a few more), or all there are."""
        sink = cls(lines)
        with suppress(_Enough):
            solutions.serialize(sink, format=formats.RESULT_LINES)
        return sink.getvalue()

    def write(self, data: ReadableBuffer, /) -> int:
        written = super().write(data)
        self.left -= bytes(data).count(b"\n")
        if self.left <= 0:
            raise _Enough
        return written


def evaluate(
    store: ox.Store,
    text: str,
    shape: QueryShape,
    *,
    accept: str | None,
    dataset: RequestDataset = DEFAULT_DATASET,
    union: bool = True,
    base_iri: str | None = None,
    max_rows: int = 0,
    service_allow: tuple[str, ...] = (),
) -> Answer:
    """Evaluate the query `text`, of `shape`, and serialize its answer in the format `accept` asks for.

    The format is chosen before the evaluation, from the query form (`shape.graph`): a request no
    format fits costs no evaluation.

    :raises OutboundRefused: SERVICE to a host not in `service_allow`.
    :raises BadRequest: the query does not parse (with the parser's message).
    :raises NotAcceptable: no format of `accept` fits the query form.
    :raises QueryFailed: evaluation failed inside Oxigraph.
    """
    if shape.outbound:
        security.check_query(text, base_iri=base_iri, allow=service_allow)
    # The solutions live in _answer's frame, never in this one. rdflib's parser, which check_query
    # runs on a query that may go outbound, leaves reference cycles that hold its frames, and through
    # them this one; the garbage collector frees them later, on whatever thread it runs, and pyo3
    # cannot free query solutions on another thread than the one that made them.
    return _answer(store, text, accept, _options(dataset, shape.names_dataset, union, base_iri), max_rows, shape.graph)


def _answer(store: ox.Store, text: str, accept: str | None, options: dict, max_rows: int, graph: bool | None) -> Answer:
    """`evaluate` once the query is allowed."""
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
        body, cut = _serialize(result, fmt, max_rows)
    except (OSError, ValueError, RuntimeError) as exc:
        del result
        raise QueryFailed(f"Query evaluation failed: {exc}") from None
    return Answer(media, body, rows_cut=cut)


async def execute(
    store: ox.Store,
    text: str,
    shape: QueryShape,
    *,
    accept: str | None,
    limits: Limits,
    dataset: RequestDataset = DEFAULT_DATASET,
    union: bool = True,
    base_iri: str | None = None,
    max_rows: int = 0,
    service_allow: tuple[str, ...] = (),
) -> Answer:
    """`evaluate` under `limits`: in one of its threads, given up after its timeout (kg.server.limits).

    A lookup (`shape.lookup`) is evaluated right here instead: its work is bounded, and the hand-off to
    a thread would cost more than the lookup itself (bench/README.md, "Endpoint").
    """
    call = partial(
        evaluate,
        store,
        text,
        shape,
        accept=accept,
        dataset=dataset,
        union=union,
        base_iri=base_iri,
        max_rows=max_rows,
        service_allow=service_allow,
    )
    if shape.lookup:
        return call()
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


__all__ = ["Answer", "apply", "evaluate", "execute", "run_update"]
