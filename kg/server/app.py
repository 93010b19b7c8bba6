"""`create_app(settings)`: the routers of the endpoint put together, with its settings and what it opens.

/sparql              SPARQL 1.1 Protocol: query (GET, POST) and update (POST, with the token)
                     (kg.server.sparql_endpoint)
/store               Graph Store HTTP Protocol: reads open, writes with the token (kg.server.store_protocol)
/.well-known/void    VoID description of the dataset, and /ontology (kg.server.self_description)
/, /entity, /event   the pages people use (kg.server.pages)

Every route takes the app's settings by `Depends(get_settings)` (kg.server.dependencies), which
`create_app` answers with its own `settings`. Every refusal (kg.server.errors.HTTPError) is answered
by `respond`: its status, its headers, its message as a plain-text body.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from kg.config import Settings
from kg.server import explore, pages, self_description, snapshots, sparql_endpoint, store_protocol
from kg.server.dependencies import get_settings
from kg.server.errors import HTTPError
from kg.server.limits import Limits


def respond(exc: HTTPError) -> PlainTextResponse:
    """The answer to a refused request: its status, its headers, the message as the body."""
    return PlainTextResponse(f"{exc}\n", status_code=exc.status, headers=exc.headers)


async def _http_error(request: Request, exc: Exception) -> PlainTextResponse:
    assert isinstance(exc, HTTPError)
    return respond(exc)


async def _routing_error(request: Request, exc: Exception) -> PlainTextResponse:
    """Starlette's own 404 / 405 (with Allow), as plain text like ours instead of FastAPI's JSON."""
    assert isinstance(exc, StarletteHTTPException)
    return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code, headers=exc.headers)


def cors(settings: Settings) -> dict:
    """The options of Starlette's CORSMiddleware: the app's, and the fast path's (kg.server.worker.FastQuery)."""
    return {
        "allow_origins": list(settings.cors_origins),
        "allow_methods": ["GET", "HEAD", "POST", "PUT", "DELETE"],
        "allow_headers": ["Authorization", "Content-Type", "Accept"],
        "expose_headers": [*sparql_endpoint.RESULT_HEADERS, "Location"],
        "max_age": 600,
    }


def create_app(settings: Settings, *, retire: Callable[[], None] | None = None) -> FastAPI:
    """The app over `settings.store`. `retire` is called when a query overran the timeout in a thread
    that cannot be stopped (kg.server.limits); `kg serve`'s workers pass the hook that ends the worker."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.snapshots = snapshots.open_snapshots(settings)  # `.ox`: the newest snapshot, read-only
        threads = ThreadPoolExecutor(settings.query_threads, thread_name_prefix="query")
        app.state.limits = Limits(settings.query_timeout, threads, retire)
        app.state.descriptions = {}
        if settings.update_token is not None:  # writes are on: have their fork server ready for the first
            snapshots.prepare_writes()
        yield
        threads.shutdown(wait=False, cancel_futures=True)
        app.state.snapshots.close()

    app = FastAPI(title="newskg SPARQL endpoint", lifespan=lifespan)
    app.state.settings = settings
    app.dependency_overrides[get_settings] = lambda: settings
    app.add_exception_handler(HTTPError, _http_error)
    app.add_exception_handler(StarletteHTTPException, _routing_error)
    app.add_middleware(CORSMiddleware, **cors(settings))
    app.include_router(sparql_endpoint.router)
    app.include_router(store_protocol.router)
    app.include_router(self_description.router)
    app.include_router(pages.router)
    app.include_router(explore.router)
    return app


__all__ = ["cors", "create_app", "respond"]
