"""Asking the store: `kg query` (SPARQL, as the endpoint runs it) and `kg search` (the full-text index)."""

from __future__ import annotations

import re
import sys
from contextlib import suppress
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg import config, formats
from kg.cli.options import StoreOption, err, open_store, plural
from kg.errors import QueryNotFound

# `kg query --format`: a table, or a results format of kg.formats by its short name (json, xml, csv, tsv)
QUERY_FORMATS = ["table", *(row.name for row in formats.RESULTS)]


def _query_format(value: str) -> str:
    if value not in QUERY_FORMATS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(QUERY_FORMATS)}.")
    return value


def _graph_formats() -> dict[str, ox.RdfFormat]:
    """The --format names that fit CONSTRUCT and DESCRIBE: a table is one triple a line, and a results
    format's name that also names an RDF format stands for that one (json: JSON-LD, xml: RDF/XML)."""
    found = {"table": formats.LINES}
    for row in formats.RESULTS:
        with suppress(ValueError):
            found[row.name] = formats.rdf_format(row.name)
    return found


def query(
    query: Annotated[str, typer.Argument(help="A SPARQL query, a .rq file, or the name of a canned query.")],
    store: StoreOption,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=f"SELECT and ASK: {', '.join(QUERY_FORMATS)}. CONSTRUCT and DESCRIBE: "
            + ", ".join(f"{name} ({fmt.name})" for name, fmt in _graph_formats().items())
            + ".",
            callback=_query_format,
        ),
    ] = "table",
) -> None:
    """Run a SPARQL query against the store."""
    from kg import search
    from kg.server import text_query
    from kg.server.errors import BadRequest
    from kg.server.lexer import nesting
    from kg.server.query_shape import shape_of
    from kg.sparql import explain_syntax_error, run_query, serialize_results

    text = _query_text(query)
    limit = config.settings().max_query_depth
    if nesting(text) > limit:
        err.print(
            f"[red]Query refused:[/red] its brackets ( [ {{ nest {nesting(text)} deep, over the limit of "
            f"{limit} (KG_MAX_QUERY_DEPTH).",
            highlight=False,
        )
        raise typer.Exit(2)
    kg_store = open_store(store)
    try:
        text = text_query.rewrite(text, shape_of(text), search.index_of(store))  # text:query, as the endpoint does it
    except BadRequest as exc:
        err.print(f"[red]Query refused:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    try:
        result = run_query(kg_store.ox, text)
    except SyntaxError as exc:
        short, _, raw = explain_syntax_error(exc, text).partition("\n")
        err.print(f"[red]Query syntax error:[/red] {escape(short)}", highlight=False)
        if raw:  # the parser's own words, which can run to a screenful of Unicode ranges
            err.print(escape(raw if len(raw) <= 200 else raw[:200] + " ..."), highlight=False, style="dim")
        raise typer.Exit(2) from None
    out = sys.stdout.buffer
    if isinstance(result, ox.QuerySolutions) and format == "table":
        _print_table(result)
    elif isinstance(result, ox.QueryBoolean) and format == "table":
        print("true" if bool(result) else "false")
    elif isinstance(result, ox.QueryTriples):
        graph_formats = _graph_formats()
        if format not in graph_formats:
            err.print(
                f"[red]--format {format}[/red] is for SELECT and ASK; this query gives triples: use "
                + " or ".join(f"--format {name} ({fmt.name})" for name, fmt in graph_formats.items())
                + ".",
                highlight=False,
            )
            raise typer.Exit(2)
        result.serialize(out, graph_formats[format])
    else:
        out.write(serialize_results(result, formats.results_format(format)))
    out.flush()


def search(
    words: Annotated[
        list[str],
        typer.Argument(
            help='Words that must all occur (stemmed: "kill" finds "killed"), a "quoted phrase", word* for a prefix, '
            "OR between two."
        ),
    ],
    store: StoreOption,
    limit: Annotated[int, typer.Option(min=1, help="Documents to print, best first (BM25).")] = 10,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many of the best first (the next page).")] = 0,
    json: Annotated[bool, typer.Option("--json", help="Print the results as JSON, as /search?q= answers.")] = False,
) -> None:
    """Search the documents' titles and text, and the labels of entities and events."""
    import json as json_module

    from kg import search as index
    from kg.store import require_store

    require_store(store)
    results = index.search(index.index_of(store), " ".join(words), limit=limit, offset=offset, entities=5)
    if json:
        print(json_module.dumps(index.as_json(results), ensure_ascii=False, indent=2))
        return
    out = Console(soft_wrap=True, highlight=False)
    shown = f"{offset + 1}-{offset + len(results.hits)} of " if results.hits else ""
    out.print(f"{shown}{plural(results.total, 'document')} match {escape(repr(results.query))}")
    for number, hit in enumerate(results.hits, offset + 1):
        date = f" ({hit.published})" if hit.published else ""
        snippet = "".join(f"[bold]{escape(text)}[/bold]" if marked else escape(text) for text, marked in hit.pieces())
        out.print(
            f"\n{number}. {escape(hit.title or hit.iri)}{date}\n   {escape(hit.iri)}\n   {' '.join(snippet.split())}"
        )
    if results.entities:
        out.print("\nentities and events:")
        for entity in results.entities:
            out.print(f"   {escape(entity.label)} ({entity.kind or 'entity'}) {escape(entity.iri)}")


def _query_text(query: str) -> str:
    """The text of `query`: a file's, a canned query's, or the argument itself when it is SPARQL.

    :raises QueryNotFound: a file name that is no file, or a name that is no canned query.
    """
    from kg import queries

    path = Path(query)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    if query.endswith(".rq") or ("/" in query and not any(c in query for c in "{}?")):
        raise QueryNotFound(f"No query file {query!r} (from {str(Path.cwd())!r}).")
    if re.fullmatch(r"[\w.-]+", query):  # one word: no SPARQL is that
        return queries.get(query).text
    return query


def _print_table(solutions) -> None:
    from kg.namespaces import PREFIXES
    from kg.sparql import shorten

    names = {**PREFIXES, "id": config.settings().base}
    variables = [v.value for v in solutions.variables]
    table = Table(*variables, show_lines=False)
    rows = 0
    for solution in solutions:
        cells = []
        for var in variables:
            term = solution[var]
            cells.append(
                ""
                if term is None
                else f"_:{term.value}"
                if isinstance(term, ox.BlankNode)
                else shorten(term.value, names)
                if isinstance(term, ox.NamedNode)
                else str(getattr(term, "value", term))
            )
        table.add_row(*cells)
        rows += 1
    Console().print(table, markup=False)
    err.print(f"{rows} row{'' if rows == 1 else 's'}", highlight=False)
