"""Running SPARQL on the Oxigraph store, the way every entry point (CLI, server) does it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from kg import formats, queries
from kg.namespaces import PREFIXES


def run_query(store: ox.Store, text: str, *, union: bool = True, **options):
    """Evaluate `text` in Oxigraph. The default graph is the union of all graphs unless told otherwise."""
    return store.query(text, use_default_graph_as_union=union, **options)


def run_named(store: ox.Store, name: str, **values: ox.NamedNode | ox.Literal):
    """Evaluate the package's own query `name` (kg/rq/NAME.rq, `kg.queries.own`) with its variables
    `values` substituted (`?e` for `e=...`), and the prefixes of kg.namespaces."""
    substitutions = {ox.Variable(variable): value for variable, value in values.items()}
    return run_query(store, queries.own(name), prefixes=PREFIXES, substitutions=substitutions)


_POSITION = re.compile(r"error at (\d+):(\d+): ")
_PREFIXED = re.compile(r"([^\W\d][\w.-]*)?:[\w.\-:%\\]*$")
_EXPECTED_MAX = 160  # characters of the parser's "expected one of ..." kept in the short sentence


def explain_syntax_error(exc: SyntaxError, text: str) -> str:
    """Oxigraph's syntax error as a short sentence, then the parser's own message on a second line.

    An undeclared prefix, which Oxigraph reports as a screenful of expected Unicode ranges, reads
    "unknown prefix nkg: at 1:23; declare it with PREFIX nkg: <...>". Used by the endpoint (and so
    the query page) and by `kg query`.
    """
    raw = " ".join(str(exc).split())
    match = _POSITION.match(raw)
    if match is None:
        return raw
    line, column = int(match[1]), int(match[2])
    lines = text.split("\n")
    before = lines[line - 1][: max(column - 1, 0)] if 0 < line <= len(lines) else ""
    if "Prefix not found" in raw:
        name = _PREFIXED.search(before)
        if name is not None:
            prefix = name[1] or ""
            known = PREFIXES.get(prefix)
            hint = f"PREFIX {prefix}: <{known}>" if known else "PREFIX"
            return f"unknown prefix {prefix}: at {line}:{name.start() + 1}; declare it with {hint}\nparser: {raw}"
        return f"unknown prefix at {line}:{column}; declare it with PREFIX\nparser: {raw}"
    expected = raw[match.end() :]
    if len(expected) <= _EXPECTED_MAX:
        return raw
    words = expected.split(", [", 1)[0]  # what follows are character ranges
    if len(words) > _EXPECTED_MAX:
        words = words[:_EXPECTED_MAX].rsplit(", ", 1)[0]
    return f"error at {line}:{column}: {words}, or more\nparser: {raw}"


def shorten(iri: str, names: dict[str, str]) -> str:
    """`nkg:Person` for an IRI in one of the namespaces `names` (prefix: namespace), else the IRI itself."""
    for prefix, namespace in names.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _csv_cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)  # a quoted triple


def results_csv(variables: Sequence[ox.Variable], solutions: Iterable[ox.QuerySolution]) -> bytes:
    """`solutions` of `variables` as SPARQL 1.1 CSV, every value quoted where it must be (RFC 4180).

    pyoxigraph 0.5.13's CSV writer leaves an IRI with a comma unquoted, which shifts the columns
    after it: every CSV we write goes through here instead.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [variable.value for variable in variables]
    writer.writerow(names)
    writer.writerows([_csv_cell(solution[name]) for name in names] for solution in solutions)
    return out.getvalue().encode("utf-8")


def serialize_results(result: ox.QuerySolutions | ox.QueryBoolean, fmt: ox.QueryResultsFormat) -> bytes:
    """A SELECT or ASK answer in `fmt`, by Oxigraph except the CSV of solutions (`results_csv`)."""
    if fmt == formats.CSV and isinstance(result, ox.QuerySolutions):
        return results_csv(result.variables, result)
    return result.serialize(format=fmt) or b""


def store_stats(store: ox.Store) -> dict:
    """Documents, triples, entities by class (and in all), and casualty counts by type."""
    [docs] = run_named(store, "document-count")
    by_class = list(run_named(store, "entities-by-class"))
    counts = run_named(store, "counts-by-type")
    short = lambda term: term.value.replace(PREFIXES["nkg"], "nkg:")  # noqa: E731
    return {
        "documents": int(docs["n"].value),
        "triples": len(store),
        "entities": [(short(s["class"]), int(s["n"].value)) for s in by_class if s["class"] is not None],
        "entity_total": sum(int(s["n"].value) for s in by_class if s["class"] is None),
        "counts": [(short(s["type"]), int(s["n"].value)) for s in counts],
    }
