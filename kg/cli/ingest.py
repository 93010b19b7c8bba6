"""Writing the store: `kg ingest` (articles), `kg load` (RDF files), `kg events` (the events graph again)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from kg import config, formats
from kg.cli.options import StoreOption, err, open_store, plural, progress, republish


class InputFormat(str, enum.Enum):  # the names of kg.readers.FORMATS
    txt = "txt"
    jsonl = "jsonl"
    html = "html"
    warc = "warc"
    feed = "feed"
    csv = "csv"
    parquet = "parquet"


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
    kg_store = None if shards_only else open_store(store, create=True)
    with progress("ingest") as advance:
        report = ingest_with(
            paths,
            kg_store,
            config.settings().base,
            model=model,
            force=force,
            progress=advance,
            read_options=read_options,
        )
    if shards_only:
        _ingest_summary(report)
        err.print(f"shards in {directory}: {directory / 'MANIFEST'} lists the files to load", highlight=False)
        return
    if kg_store is not None:
        kg_store.close()
    if report.documents:
        republish(store)
    _ingest_summary(report)


def _ingest_summary(report) -> None:
    for error in report.errors:
        err.print(f"[red]skipped[/red] {error}", highlight=False)
    err.print(
        f"{plural(report.documents, 'document')} ingested ({report.unchanged} unchanged), "
        f"{plural(report.triples, 'triple')} in their document graphs, "
        f"{report.seconds:.1f} s, {report.docs_per_second:.1f} documents/s"
        + (f", {plural(len(report.errors), 'bad record')} skipped" if report.errors else "")
        + (" (`kg stats` counts every graph: shared entities and the ontology too)" if report.documents else ""),
        highlight=False,
    )
    if report.errors:
        raise typer.Exit(1 if report.documents == 0 and report.unchanged == 0 else 0)


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

    kg_store = open_store(store, create=True)
    report = run(kg_store, files, graph=graph, fmt=format)
    linked = link(kg_store.ox, config.settings().base)  # the loaded graphs may hold incidents
    search.sync(kg_store.ox, search.index_of(store), recheck=True)  # a loaded graph may replace a document
    kg_store.close()
    err.print(
        f"{plural(report.added, 'quad')} added from {plural(report.files, 'file')} ({report.quads} in the store), "
        f"{report.seconds:.1f} s",
        highlight=False,
    )
    if report.added or linked.changed:
        republish(store)


def events(store: StoreOption) -> None:
    """Recompute the shared events graph from every incident in the store (`kg ingest` and `kg load` do
    this themselves; run it after changing document graphs through the server)."""
    from kg.events import link

    kg_store = open_store(store)
    report = link(kg_store.ox, config.settings().base)
    kg_store.close()
    if report.changed:
        republish(store)
    err.print(
        f"{report.incidents} incidents with a date in {report.events} events, {report.shared} of them "
        f"reported by several documents; {'changed' if report.changed else 'unchanged'}, "
        f"{report.seconds:.1f} s",
        highlight=False,
    )
