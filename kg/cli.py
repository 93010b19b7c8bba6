"""The `kg` command line."""

from __future__ import annotations

import enum
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import Annotated, cast

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from kg import config, formats
from kg.errors import KGError, QueryNotFound

app = typer.Typer(
    help="newskg: build a knowledge graph from news articles and serve it over SPARQL.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# messages go out unwrapped, one a line: a path or IRI in an error can be copied, whatever the terminal width
err = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[
    Path,
    typer.Option(
        "--store",
        help="Store directory (`ingest` and `load` create it when missing). Env: KG_STORE.",
        default_factory=lambda: config.settings().store,
        show_default="data/store",
    ),
]


def _rdf_format(value: str | None):
    """--format: a name (nquads, turtle...), a file extension or a media type of kg.formats."""
    from kg.formats import rdf_format

    if value is None:
        return None
    try:
        return rdf_format(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


RdfFormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help=f"{', '.join(row.name for row in formats.RDF)}, or an extension or media type "
        "(default: from the file's extension).",
        callback=_rdf_format,
    ),
]


def _n(count: int, noun: str) -> str:
    """`1 document`, `2 documents`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


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


class InputFormat(str, enum.Enum):  # the names of kg.readers.FORMATS
    txt = "txt"
    jsonl = "jsonl"
    html = "html"
    warc = "warc"
    feed = "feed"
    csv = "csv"
    parquet = "parquet"


class DefaultGraph(str, enum.Enum):
    union = "union"
    none = "none"


@contextmanager
def _progress(what: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on a terminal (nothing otherwise), fed as `progress(done, total)`."""
    bar = Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=True,
    )
    task = bar.add_task(what, total=None)
    with bar:
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _open(store: Path, *, create: bool = False):
    """The store at `store`. Only the commands that write a store create one: the others say there is none."""
    from kg.store import KGStore

    return KGStore(store, create=create)


def _settings(**flags: object) -> config.Settings:
    """This command's settings: the environment's (read once), with its flags."""
    return config.settings().model_copy(update=flags)


def _republish(store: Path) -> None:
    """Let a `kg serve` of `store` see what was just written (kg.server.snapshots.republish)."""
    from kg.server import snapshots

    if snapshots.republish(_settings(store=store)):
        err.print(f"published to kg serve: its next request sees the change ({store}.snapshots)", highlight=False)


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files or directories of them: .txt, .jsonl, .html/.htm, .warc/.warc.gz, .rss/.atom/.xml feeds, "
            ".csv, .parquet."
        ),
    ],
    store: StoreOption,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline (env KG_SPACY_MODEL).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes, each with its own model.")] = 1,
    force: Annotated[bool, typer.Option(help="Re-extract documents whose text has not changed.")] = False,
    input_format: Annotated[
        InputFormat | None,
        typer.Option(
            help="Read every file in this format, whatever its extension (default: from each file's extension)."
        ),
    ] = None,
    text_column: Annotated[
        str | None, typer.Option(help="CSV/Parquet: the text (default: text, body, content...).")
    ] = None,
    id_column: Annotated[str | None, typer.Option(help="CSV/Parquet: the id (default: id; else from the URL).")] = None,
    date_column: Annotated[
        str | None, typer.Option(help="CSV/Parquet: the ISO date (default: date, published...).")
    ] = None,
    title_column: Annotated[str | None, typer.Option(help="CSV/Parquet: the title (default: title, headline).")] = None,
    url_column: Annotated[str | None, typer.Option(help="CSV/Parquet: the URL (default: url, link).")] = None,
    cluster: Annotated[
        str | None,
        typer.Option(help="Extract on Dask: local:N starts N local workers, tcp://HOST:8786 uses a running scheduler."),
    ] = None,
    shards: Annotated[
        Path | None,
        typer.Option(
            help="With --cluster: where the workers write their N-Quads shards (default: STORE.shards). "
            "Workers and this process must both see it."
        ),
    ] = None,
    shards_only: Annotated[
        Path | None,
        typer.Option(
            "--shards-only",
            help="With --cluster: write the shards (and entities.nq, ontology.nq, events.nq) to this "
            "directory for another store's bulk loader, and no store.",
        ),
    ] = None,
) -> None:
    """Extract facts from articles into the store: one named graph per document."""
    from kg.ingestion import Report
    from kg.ingestion import ingest as run
    from kg.readers import ReadOptions

    read_options = ReadOptions(
        input_format.value if input_format else None, text_column, id_column, date_column, title_column, url_column
    )
    if (shards or shards_only) and not cluster:
        raise typer.BadParameter("--shards and --shards-only go with --cluster.")
    directory = shards_only or shards or store.with_name(store.name + ".shards")
    if cluster:
        from kg.distributed import ingest_on_cluster

        ingest_with: Callable[..., Report] = partial(ingest_on_cluster, cluster=cluster, shards=directory)
    else:
        ingest_with = partial(run, workers=workers)
    kg_store = None if shards_only else _open(store, create=True)
    with _progress("ingest") as progress:
        report = ingest_with(
            paths,
            kg_store,
            config.settings().base,
            model=model,
            force=force,
            progress=progress,
            read_options=read_options,
        )
    if shards_only:
        _ingest_summary(report)
        err.print(f"shards in {directory}: {directory / 'MANIFEST'} lists the files to load", highlight=False)
        return
    if kg_store is not None:
        kg_store.close()
    if report.documents:
        _republish(store)
    _ingest_summary(report)


def _ingest_summary(report) -> None:
    for error in report.errors:
        err.print(f"[red]skipped[/red] {error}", highlight=False)
    err.print(
        f"{_n(report.documents, 'document')} ingested ({report.unchanged} unchanged), "
        f"{_n(report.triples, 'triple')} in their document graphs, "
        f"{report.seconds:.1f} s, {report.docs_per_second:.1f} documents/s"
        + (f", {_n(len(report.errors), 'bad record')} skipped" if report.errors else "")
        + (" (`kg stats` counts every graph: shared entities and the ontology too)" if report.documents else ""),
        highlight=False,
    )
    if report.errors:
        raise typer.Exit(1 if report.documents == 0 and report.unchanged == 0 else 0)


@app.command()
def export(
    store: StoreOption,
    format: RdfFormatOption = None,
    output: Annotated[str, typer.Option("--output", "-o", help="File, or - for standard output.")] = "-",
    graph: Annotated[str | None, typer.Option(help="Export only this named graph (a document IRI).")] = None,
    default_graph: Annotated[
        DefaultGraph,
        typer.Option(help="What a triples-only format gets: the union of all graphs, or the default graph only."),
    ] = DefaultGraph.union,
) -> None:
    """Stream the graph out in an RDF format (N-Quads unless --format or the file's extension says otherwise)."""
    from kg.errors import OutputError
    from kg.namespaces import node

    fmt = cast("ox.RdfFormat | None", format)  # the option's callback made it one
    if fmt is None and output != "-":
        try:
            fmt = formats.file_format(output)
        except ValueError:
            raise OutputError(f"Cannot tell the format of {output!r} from its extension: pass --format.") from None
    fmt = fmt or formats.EXPORT
    if output != "-" and not Path(output).parent.is_dir():
        raise OutputError(f"Cannot write {output!r}: there is no directory {str(Path(output).parent)!r}.")
    kg_store = _open(store)
    target = node(graph) if graph else None
    union = default_graph is DefaultGraph.union
    if output == "-":
        kg_store.export(sys.stdout.buffer, fmt, target, union, base=config.settings().base)
        sys.stdout.buffer.flush()
        return
    partial = Path(output).with_name(f".{Path(output).name}.partial")  # a failed export leaves no half file
    try:
        with open(partial, "wb") as out:
            kg_store.export(out, fmt, target, union, base=config.settings().base)
        partial.replace(output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OutputError(f"Cannot write {output!r}: {exc.strerror}.") from None


@app.command()
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
    kg_store = _open(store)
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


@app.command()
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
    out.print(f"{shown}{_n(results.total, 'document')} match {escape(repr(results.query))}")
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


@app.command()
def stats(store: StoreOption) -> None:
    """Documents, triples, entities by class and counts by type."""
    from kg.sparql import store_stats

    kg_store = _open(store)
    summary = store_stats(kg_store.ox)
    console = Console()
    console.print(
        f"documents: {summary['documents']}\ntriples: {summary['triples']} "
        "(every graph: documents, shared entities, ontology)",
        highlight=False,
    )
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
    workers: Annotated[int, typer.Option(min=1, help="Worker processes; one that exits is replaced.")] = 2,
) -> None:
    """Serve the store over the SPARQL 1.1 Protocol, with a query page at /."""
    from kg.server import supervisor, worker
    from kg.store import require_store

    require_store(store)
    settings = _settings(store=store)
    listener = supervisor.listen(host, port)
    err.print(f"Serving {store} at http://{host}:{port}/ (SPARQL endpoint http://{host}:{port}/sparql)")
    worker.serve(settings, listener, workers=workers)


@app.command()
def validate(
    store: StoreOption,
    batch: Annotated[int, typer.Option(min=1, help="Document graphs per pySHACL run.")] = 50,
    limit: Annotated[int, typer.Option(min=1, help="Violations to print.")] = 50,
) -> None:
    """Check the store against the SHACL shapes (ontology/shapes.ttl); exit 1 on violations."""
    from kg.validate import validate_store

    kg_store = _open(store)
    with _progress("validate") as progress:
        report = validate_store(kg_store, batch=batch, progress=progress)
    for violation in report.violations[:limit]:
        err.print(f"[red]violation[/red] {violation}", highlight=False)
    if len(report.violations) > limit:
        err.print(f"... and {len(report.violations) - limit} more", highlight=False)
    err.print(
        f"{_n(report.documents, 'document')}, {_n(report.triples, 'triple')} checked in {report.seconds:.1f} s: "
        + ("conforms" if report.conforms else _n(len(report.violations), "violation")),
        highlight=False,
    )
    if not report.conforms:
        raise typer.Exit(1)


def _push_via(value: str) -> str:
    from kg.push import TARGETS

    if value not in TARGETS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(TARGETS)}.")
    return value


@app.command()
def push(
    store: StoreOption,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="Graph Store Protocol endpoint (or, with --via update, "
            "SPARQL Update endpoint), e.g. http://localhost:7878/store.",
        ),
    ],
    via: Annotated[
        str,
        typer.Option(
            help="gsp: PUT each graph (Graph Store Protocol); update: DROP SILENT GRAPH + INSERT DATA "
            "(kg.push.TARGETS).",
            callback=_push_via,
        ),
    ] = "gsp",
    token: Annotated[str | None, typer.Option(help="Bearer token (default: KG_PUSH_TOKEN).")] = None,
    user: Annotated[str | None, typer.Option(help="User for HTTP basic (or --digest) auth.")] = None,
    password: Annotated[str | None, typer.Option(help="Password for --user (default: KG_PUSH_PASSWORD).")] = None,
    digest: Annotated[bool, typer.Option(help="HTTP digest auth instead of basic.")] = False,
    batch: Annotated[int, typer.Option(min=1, help="Graphs per update request, and per record written.")] = 16,
    retries: Annotated[int, typer.Option(min=0, help="Retries on 5xx and connection errors, with backoff.")] = 4,
    timeout: Annotated[float, typer.Option(help="Seconds per request.")] = 60.0,
    send_all: Annotated[
        bool, typer.Option("--all", help="Send every graph, even those the target already has.")
    ] = False,
) -> None:
    """Send the graph to another triple store: documents ingested or changed since the last push to it,
    and delete there the graphs sent before that the store no longer has."""
    from kg import push as pushing

    kg_store = _open(store)
    settings = config.settings()
    target = pushing.TARGETS[via](
        to,
        token=token or settings.push_token,
        user=user,
        password=password or settings.push_password,
        digest=digest,
    )
    with _progress("push") as progress:
        report = pushing.push(
            kg_store,
            target,
            settings.base,
            batch_size=batch,
            retries=retries,
            timeout=timeout,
            force=send_all,
            progress=progress,
        )
    kg_store.close()
    for graph, reason in report.failed.items():
        err.print(f"[red]not sent[/red] {graph}: {reason}", highlight=False)
    err.print(
        f"{_n(len(report.sent), 'graph')} sent to {to} ({report.unchanged} unchanged), {report.triples} triples, "
        f"{report.seconds:.1f} s"
        + (f", {len(report.deleted)} deleted there" if report.deleted else "")
        + (f", {len(report.failed)} failed: run again to send them" if report.failed else ""),
        highlight=False,
    )
    if report.failed:
        raise typer.Exit(1)


@app.command()
def load(
    files: Annotated[
        list[Path],
        typer.Argument(
            help=", ".join(f"{row.format.name} (.{row.format.file_extension})" for row in formats.RDF) + "."
        ),
    ],
    store: StoreOption,
    graph: Annotated[
        str | None,
        typer.Option(help="Named graph for the triples of Turtle and N-Triples files (default: the default graph)."),
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="The files' format, whatever their extension (a name, extension or media type)."
        ),
    ] = None,
) -> None:
    """Bulk-import RDF files with Oxigraph's bulk loader; a broken file loads nothing."""
    from kg import search
    from kg.events import link
    from kg.load import load as run

    kg_store = _open(store, create=True)
    report = run(kg_store, files, graph=graph, fmt=format)
    linked = link(kg_store.ox, config.settings().base)  # the loaded graphs may hold incidents
    search.sync(kg_store.ox, search.index_of(store), recheck=True)  # a loaded graph may replace a document
    kg_store.close()
    err.print(
        f"{_n(report.added, 'quad')} added from {_n(report.files, 'file')} ({report.quads} in the store), "
        f"{report.seconds:.1f} s",
        highlight=False,
    )
    if report.added or linked.changed:
        _republish(store)


@app.command()
def events(store: StoreOption) -> None:
    """Recompute the shared events graph from every incident in the store (`kg ingest` and `kg load` do
    this themselves; run it after changing document graphs through the server)."""
    from kg.events import link

    kg_store = _open(store)
    report = link(kg_store.ox, config.settings().base)
    kg_store.close()
    if report.changed:
        _republish(store)
    err.print(
        f"{report.incidents} incidents with a date in {report.events} events, {report.shared} of them "
        f"reported by several documents; {'changed' if report.changed else 'unchanged'}, "
        f"{report.seconds:.1f} s",
        highlight=False,
    )


def main() -> None:
    try:
        config.reload()  # read once a command, first: a bad KG_* value is one line, whatever the command
        app()
    except KGError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
