"""A `kg serve` worker: the app over the store, the fast path for GET /sparql, retirement after a
runaway query; and `serve`, which hands the process over to the supervisor of the workers.

Workers. `serve` publishes the store and becomes `kg.server.supervisor`, which holds the socket
and keeps N uvicorn worker processes on it, starting a new one whenever one exits. Each worker
builds its app with `worker_app`, from the settings `serve` passed it (kg.config.child_environment).

Timeout. A query that overran KG_QUERY_TIMEOUT in a thread cannot be stopped (kg.server.limits):
the client gets 503 and the worker retires (`_retire`): it stops accepting, finishes the responses
in flight and exits with the runaway thread, and the supervisor starts a fresh worker. The other
worker answers meanwhile.
"""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import NoReturn

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from kg import config
from kg.config import Settings
from kg.server import supervisor
from kg.server.app import cors, create_app, respond
from kg.server.errors import HTTPError
from kg.server.snapshots import snapshots_of
from kg.server.sparql_endpoint import sparql

_retiring = False  # this worker timed out a query and is on its way out


class FastQuery:
    """`GET /sparql` straight to its handler; every other request to the whole app.

    Routing, dependency injection and the middleware stack cost several times what a point query
    does. A query needs none of them but CORS, which it gets from the same Starlette middleware and
    options as the app (`app.cors`); the refusals the app's exception handler would render are
    rendered here the same way (`app.respond`). A preflight (OPTIONS) goes to the app.
    """

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.settings: Settings = app.state.settings
        self.cross_origin = CORSMiddleware(self._query, **cors(self.settings))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] != "GET":
            await self.app(scope, receive, send)
        elif any(name == b"origin" for name, _ in scope["headers"]):
            await self.cross_origin(scope, receive, send)
        else:
            await self._query(scope, receive, send)

    async def _query(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self.app
        request = Request(scope, receive)
        try:
            response = await sparql(request, self.settings)
        except HTTPError as exc:
            response = respond(exc)
        await response(scope, receive, send)


def _retire() -> None:
    """Stop this worker gracefully (uvicorn answers what is in flight); `worker_app` then ends the process."""
    global _retiring
    if not _retiring:
        _retiring = True
        os.kill(os.getpid(), signal.SIGTERM)


def worker_app() -> FastQuery:
    """The app of one `serve` worker (a uvicorn factory), with the settings `serve` passed it."""
    app = create_app(config.settings(), retire=_retire)
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_) -> AsyncIterator[None]:
        async with inner(app_):
            yield
        if _retiring:  # the runaway thread would keep a normal exit waiting: leave without joining it
            os._exit(0)

    app.router.lifespan_context = lifespan
    return FastQuery(app)


def serve(settings: Settings, listener: socket.socket, *, workers: int) -> NoReturn:
    """Publish the store as it is now, then become the supervisor of `workers` worker processes on
    `listener` (from `kg.server.supervisor.listen`), each with `settings`."""
    snapshots_of(settings).publish()
    supervisor.become(listener, workers, config.child_environment(settings))


__all__ = ["FastQuery", "serve", "worker_app"]
