"""`create_app(settings)`: the SPARQL 1.1 endpoint, the Graph Store, the self-descriptions and the pages.

/sparql              SPARQL 1.1 Protocol: query (GET, POST) and update (POST, with the token)
/store               Graph Store HTTP Protocol (reads open, writes with the token)
/.well-known/void    VoID description of the dataset
/ontology            the ontology, in any RDF format
/, /entity           the pages people use (kg.server.pages)
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial

import pyoxigraph as ox
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response

from kg.config import Settings
from kg.server import describe, errors, executor, pages, protocol, runtime, store_protocol
from kg.server.auth import require_writer

RESULT_HEADERS = ("X-Result-Truncated", "X-Result-Rows-Limit")
DESCRIPTIONS_KEPT = 16  # per worker; a key is the description, the endpoint IRI it names and the snapshot


def cors(settings: Settings) -> dict:
    """The options of Starlette's CORSMiddleware: the app's, and the fast path's (runtime.FastQuery)."""
    return {
        "allow_origins": list(settings.cors_origins),
        "allow_methods": ["GET", "HEAD", "POST", "PUT", "DELETE"],
        "allow_headers": ["Authorization", "Content-Type", "Accept"],
        "expose_headers": [*RESULT_HEADERS, "Location"],
        "max_age": 600,
    }


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.store = runtime.open_snapshots(settings)  # `.ox`: the newest snapshot, read-only
        app.state.threads = ThreadPoolExecutor(settings.query_threads, thread_name_prefix="query")
        if settings.update_token is not None:  # writes are on: have their fork server ready for the first
            runtime.prepare_writes()
        yield
        app.state.threads.shutdown(wait=False, cancel_futures=True)
        app.state.store.close()

    app = FastAPI(title="newskg SPARQL endpoint", lifespan=lifespan)
    app.state.settings = settings
    errors.install(app)
    app.add_middleware(CORSMiddleware, **cors(settings))

    described: dict[tuple[str, ...], list[ox.Triple]] = {}

    async def description(request: Request, key: tuple[str, ...], build: Callable[[ox.Store], list[ox.Triple]]):
        """`build(store)` once per snapshot: the descriptions count the whole store, which takes seconds
        on a large one. Built in a query thread, under the query timeout."""
        snapshots = request.app.state.store
        store = snapshots.ox
        key = (*key, snapshots.generation)
        if key not in described:
            triples = await runtime.bounded(partial(build, store), settings.query_timeout, request.app.state.threads)
            if len(described) >= DESCRIPTIONS_KEPT:  # Host headers name as many endpoints as a client likes
                described.clear()
            described[key] = triples
        return described[key]

    async def sparql(request: Request) -> Response:
        store = request.app.state.store.ox
        if request.method == "POST":
            operation = await protocol.read_post(request, settings)
        else:
            operation = protocol.read_get(request, settings)
        accept = request.headers.get("accept")
        endpoint = protocol.request_iri(request)
        if operation is None:
            triples = await description(
                request,
                ("service", endpoint),
                partial(
                    describe.service_description,
                    endpoint=endpoint,
                    union=settings.union_default_graph,
                    updates=settings.update_token is not None,
                ),
            )
            media, body = describe.render(triples, accept)
            return Response(body, media_type=media, headers={"Vary": "Accept"})
        if isinstance(operation, protocol.Update):
            require_writer(request, settings.update_token)
            await executor.apply(
                request.app.state.store,
                protocol.with_using(operation),
                base_iri=endpoint,
                service_allow=settings.service_allow,
            )
            return Response(status_code=204)
        answer = await executor.execute(
            store,
            operation.text,
            accept=accept,
            timeout=settings.query_timeout,
            threads=request.app.state.threads,
            dataset=operation.dataset,
            union=settings.union_default_graph,
            base_iri=endpoint,
            max_rows=settings.max_rows,
            service_allow=settings.service_allow,
        )
        headers = {"Vary": "Accept"}
        if answer.rows_cut:
            headers.update(zip(RESULT_HEADERS, ("true", str(settings.max_rows))))
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    async def graph_store(request: Request) -> Response:
        store = request.app.state.store
        if request.method in ("GET", "HEAD"):
            return await store_protocol.read(request, store.ox)
        if request.method == "DELETE":
            return await store_protocol.delete(request, store, settings)
        return await store_protocol.write(request, store, settings)

    async def void(request: Request) -> Response:
        endpoint = str(request.url_for("sparql"))
        dataset = protocol.request_iri(request) + "#dataset"
        triples = await description(
            request, ("void", dataset, endpoint), partial(describe.void, dataset_iri=dataset, endpoint=endpoint)
        )
        media, body = describe.render(triples, request.headers.get("accept"))
        return Response(body, media_type=media, headers={"Vary": "Accept"})

    async def ontology(request: Request) -> Response:
        media, body = describe.ontology(request.headers.get("accept"))
        return Response(body, media_type=media, headers={"Vary": "Accept"})

    # Starlette routes: the request goes to the handler as is, without FastAPI's parameter machinery.
    app.add_route("/sparql", sparql, methods=["GET", "POST"], name="sparql")
    app.add_route("/store", graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"], name="store")
    app.add_route("/store/{path:path}", graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
    app.add_route("/.well-known/void", void, methods=["GET"], name="void")
    app.add_route("/ontology", ontology, methods=["GET"], name="ontology")
    app.include_router(pages.router)
    return app
