"""The `kg` command line: the commands, one module per group, put together in one Typer app.

ingest.py   `kg ingest`, `kg load`, `kg events`: writing the store
query.py    `kg query`, `kg search`: asking it
export.py   `kg export`, `kg push`: the graph out of it
check.py    `kg stats`, `kg validate`: what it holds
serve.py    `kg serve`
options.py  what they share: the options, the console, the progress bar, the store

The commands import what they run when they run: `kg --help` loads no model, store or server.
"""

from __future__ import annotations

import sys

import typer

from kg import config
from kg.cli import check, export, ingest, query, serve
from kg.cli.options import err
from kg.errors import KGError

app = typer.Typer(
    help="newskg: build a knowledge graph from news articles and serve it over SPARQL.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
for command in (
    ingest.ingest,
    export.export,
    query.query,
    query.search,
    check.stats,
    serve.serve,
    check.validate,
    export.push,
    ingest.load,
    ingest.events,
):
    app.command()(command)


def main() -> None:
    try:
        config.reload()  # read once a command, first: a bad KG_* value is one line, whatever the command
        app()
    except KGError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)


__all__ = ["app", "main"]
