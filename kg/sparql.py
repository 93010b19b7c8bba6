"""Running SPARQL on the Oxigraph store, the way every entry point (CLI, server) does it."""
from __future__ import annotations

import csv
import io

import pyoxigraph as ox

from kg.namespaces import PREFIXES, sparql_prefixes


def run_query(store: ox.Store, text: str, *, union: bool = True, **options):
    """Evaluate `text` in Oxigraph. The default graph is the union of all graphs unless told otherwise."""
    return store.query(text, use_default_graph_as_union=union, **options)


def _csv_cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)  # a quoted triple


def results_csv(solutions: ox.QuerySolutions) -> bytes:
    """`solutions` as SPARQL 1.1 CSV, every value quoted where it must be (RFC 4180).

    pyoxigraph 0.5.13's CSV writer leaves an IRI with a comma unquoted, which shifts the columns
    after it: every CSV we write goes through here instead.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    variables = [variable.value for variable in solutions.variables]
    writer.writerow(variables)
    writer.writerows([_csv_cell(solution[name]) for name in variables] for solution in solutions)
    return out.getvalue().encode("utf-8")


def serialize_results(result: ox.QuerySolutions | ox.QueryBoolean, fmt: ox.QueryResultsFormat) -> bytes:
    """A SELECT or ASK answer in `fmt`, by Oxigraph except the CSV of solutions (`results_csv`)."""
    if fmt == ox.QueryResultsFormat.CSV and isinstance(result, ox.QuerySolutions):
        return results_csv(result)
    return result.serialize(format=fmt)


def store_stats(store: ox.Store) -> dict:
    p = sparql_prefixes()
    docs = next(iter(store.query(p + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?d { ?d a nkg:Document } }")))
    entities = store.query(p + """SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE {
        GRAPH ?g { ?e a ?class } FILTER(STRSTARTS(STR(?class), STR(nkg:)))
        FILTER(?class NOT IN (nkg:Document, nkg:Mention, nkg:CasualtyCount, nkg:Extraction))
      } GROUP BY ?class ORDER BY DESC(?n)""")
    counts = store.query(p + """SELECT ?type (COUNT(DISTINCT ?c) AS ?n) WHERE {
        GRAPH ?g { ?c nkg:casualtyType ?type } } GROUP BY ?type ORDER BY DESC(?n)""")
    short = lambda term: term.value.replace(PREFIXES["nkg"], "nkg:")  # noqa: E731
    return {
        "documents": int(docs["n"].value),
        "triples": len(store),
        "entities": [(short(s["class"]), int(s["n"].value)) for s in entities],
        "counts": [(short(s["type"]), int(s["n"].value)) for s in counts],
    }
