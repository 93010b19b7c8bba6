"""The graph out of the store: `kg export` (a file or standard output), `kg push` (another triple store)."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, cast

import pyoxigraph as ox
import typer

from kg import config, formats
from kg.cli.options import RdfFormatOption, StoreOption, err, open_store, plural, progress


class DefaultGraphChoice(str, enum.Enum):
    union = "union"
    none = "none"


def export(
    store: StoreOption,
    format: RdfFormatOption = None,
    output: Annotated[str, typer.Option("--output", "-o", help="File, or - for standard output.")] = "-",
    graph: Annotated[str | None, typer.Option(help="Export only this named graph (a document IRI).")] = None,
    default_graph: Annotated[
        DefaultGraphChoice,
        typer.Option(help="What a triples-only format gets: the union of all graphs, or the default graph only."),
    ] = DefaultGraphChoice.union,
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
    kg_store = open_store(store)
    target = node(graph) if graph else None
    union = default_graph is DefaultGraphChoice.union
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


def _push_via(value: str) -> str:
    from kg.push import TARGETS

    if value not in TARGETS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(TARGETS)}.")
    return value


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

    kg_store = open_store(store)
    settings = config.settings()
    target = pushing.TARGETS[via](
        to,
        token=token or settings.push_token,
        user=user,
        password=password or settings.push_password,
        digest=digest,
    )
    with progress("push") as advance:
        report = pushing.push(
            kg_store,
            target,
            settings.base,
            batch_size=batch,
            retries=retries,
            timeout=timeout,
            force=send_all,
            progress=advance,
        )
    kg_store.close()
    for graph, reason in report.failed.items():
        err.print(f"[red]not sent[/red] {graph}: {reason}", highlight=False)
    err.print(
        f"{plural(len(report.sent), 'graph')} sent to {to} ({report.unchanged} unchanged), {report.triples} triples, "
        f"{report.seconds:.1f} s"
        + (f", {len(report.deleted)} deleted there" if report.deleted else "")
        + (f", {len(report.failed)} failed: run again to send them" if report.failed else ""),
        highlight=False,
    )
    if report.failed:
        raise typer.Exit(1)
