"""The `kg` command line."""
from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from kg import config
from kg.errors import KGError

app = typer.Typer(help="newskg: build a knowledge graph from news articles and serve it over SPARQL.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
err = Console(stderr=True)

StoreOption = Annotated[Path, typer.Option("--store", help="Store directory (created when missing). Env: KG_STORE.",
                                           default_factory=config.default_store, show_default="data/store")]


class ExportFormat(str, enum.Enum):
    nquads = "nquads"
    trig = "trig"
    turtle = "turtle"
    ntriples = "ntriples"
    jsonld = "jsonld"
    rdfxml = "rdfxml"


class ResultFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    xml = "xml"


class DefaultGraph(str, enum.Enum):
    union = "union"
    none = "none"


def _open(store: Path):
    from kg.store import KGStore

    return KGStore(store)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help=".txt or .jsonl files, or directories of them.")],
    store: StoreOption,
    model: Annotated[Optional[str], typer.Option(help="spaCy pipeline (env KG_SPACY_MODEL).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes, each with its own model.")] = 1,
    force: Annotated[bool, typer.Option(help="Re-extract documents whose text has not changed.")] = False,
) -> None:
    """Extract facts from articles into the store: one named graph per document."""
    from kg.ingest import ingest as run

    kg_store = _open(store)
    progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err, disable=not err.is_terminal, transient=True)
    task = progress.add_task("ingest", total=None)
    with progress:
        report = run(paths, kg_store, config.base_iri(), model=model, workers=workers, force=force,
                     progress=lambda done, total: progress.update(task, completed=done, total=total))
    kg_store.close()
    for error in report.errors:
        err.print(f"[red]skipped[/red] {error}", highlight=False)
    err.print(f"{report.documents} documents ingested ({report.unchanged} unchanged), {report.triples} triples, "
              f"{report.seconds:.1f} s, {report.docs_per_second:.1f} documents/s"
              + (f", {len(report.errors)} bad records" if report.errors else ""), highlight=False)
    if report.errors:
        raise typer.Exit(1 if report.documents == 0 and report.unchanged == 0 else 0)


@app.command()
def export(
    store: StoreOption,
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.nquads,
    output: Annotated[str, typer.Option("--output", "-o", help="File, or - for standard output.")] = "-",
    graph: Annotated[Optional[str], typer.Option(help="Export only this named graph (a document IRI).")] = None,
    default_graph: Annotated[DefaultGraph, typer.Option(
        help="What a triples-only format gets: the union of all graphs, or the default graph only.")] = DefaultGraph.union,
) -> None:
    """Stream the graph out in an RDF format."""
    from rdflib import URIRef

    kg_store = _open(store)
    target = URIRef(graph) if graph else None
    if output == "-":
        kg_store.export(sys.stdout.buffer, format.value, target, default_graph is DefaultGraph.union)
        sys.stdout.buffer.flush()
    else:
        with open(output, "wb") as out:
            kg_store.export(out, format.value, target, default_graph is DefaultGraph.union)


@app.command()
def query(
    query: Annotated[str, typer.Argument(help="A SPARQL query, a .rq file, or the name of a canned query.")],
    store: StoreOption,
    format: Annotated[ResultFormat, typer.Option("--format", "-f")] = ResultFormat.table,
) -> None:
    """Run a SPARQL query against the store."""
    import pyoxigraph as ox

    from kg import queries
    from kg.sparql import run_query

    text = query
    if query.endswith(".rq") and Path(query).is_file():
        text = Path(query).read_text(encoding="utf-8")
    elif query in queries.all_queries():
        text = queries.get(query).text
    kg_store = _open(store)
    try:
        result = run_query(kg_store.ox, text)
    except SyntaxError as exc:
        err.print(f"[red]Query syntax error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    out = sys.stdout.buffer
    if isinstance(result, ox.QuerySolutions) and format is ResultFormat.table:
        _print_table(result)
    elif isinstance(result, ox.QueryBoolean) and format is ResultFormat.table:
        print("true" if bool(result) else "false")
    elif isinstance(result, ox.QueryTriples):
        rdf_format = ox.RdfFormat.N_TRIPLES if format is ResultFormat.table else ox.RdfFormat.TURTLE
        result.serialize(out, rdf_format)
    else:
        result.serialize(out, getattr(ox.QueryResultsFormat, format.value.upper()))
    out.flush()


def _print_table(solutions) -> None:
    import pyoxigraph as ox

    variables = [v.value for v in solutions.variables]
    table = Table(*variables, show_lines=False)
    rows = 0
    for solution in solutions:
        cells = []
        for var in variables:
            term = solution[var]
            cells.append("" if term is None else term.value if not isinstance(term, ox.BlankNode) else f"_:{term.value}")
        table.add_row(*cells)
        rows += 1
    Console().print(table)
    err.print(f"{rows} rows", highlight=False)


@app.command()
def stats(store: StoreOption) -> None:
    """Documents, triples, entities by class and counts by type."""
    from kg.sparql import store_stats

    kg_store = _open(store)
    summary = store_stats(kg_store.ox)
    console = Console()
    console.print(f"documents: {summary['documents']}\ntriples: {summary['triples']}", highlight=False)
    for title, rows in (("entities by class", summary["entities"]), ("counts by type", summary["counts"])):
        table = Table("class" if "entities" in title else "type", "n", title=title)
        for name, n in rows:
            table.add_row(name, str(n))
        console.print(table)


@app.command()
def serve(
    store: StoreOption,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Serve the store over the SPARQL 1.1 Protocol, with a query page at /."""
    import uvicorn

    from kg.server.app import create_app

    settings = config.Settings(store=store)
    err.print(f"Serving {store} at http://{host}:{port}/ (SPARQL endpoint http://{host}:{port}/sparql)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def main() -> None:
    try:
        app()
    except KGError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
