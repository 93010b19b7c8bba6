"""`kg serve`: the store over the SPARQL 1.1 Protocol, in worker processes under a supervisor."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli.options import StoreOption, err, settings_with


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
    settings = settings_with(store=store)
    listener = supervisor.listen(host, port)
    err.print(f"Serving {store} at http://{host}:{port}/ (SPARQL endpoint http://{host}:{port}/sparql)")
    worker.serve(settings, listener, workers=workers)
