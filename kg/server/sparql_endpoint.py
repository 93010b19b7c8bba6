"""/sparql: the SPARQL 1.1 Protocol's query (GET, POST) and update (POST, with the token) operations.

A GET without a query is the service description (kg.server.self_description). `kg serve`'s
workers send GET /sparql to `sparql` straight, around the app (kg.server.worker.FastQuery).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from kg import search
from kg.server import executor, protocol, text_query
from kg.server.auth import require_writer
from kg.server.dependencies import SettingsDep, limits, snapshots
from kg.server.query_shape import shape_of
from kg.server.self_description import service_description

RESULT_HEADERS = ("X-Result-Truncated", "X-Result-Rows-Limit")

router = APIRouter()


@router.api_route("/sparql", methods=["GET", "HEAD", "POST"], name="sparql")
async def sparql(request: Request, settings: SettingsDep) -> Response:
    """A query, an update, or (no operation) the service description."""
    operation: protocol.QueryOperation | protocol.UpdateOperation | None
    if request.method == "POST":
        operation = await protocol.read_post(request, settings)
    else:
        operation = protocol.read_get(request, settings)
    if operation is None:
        return await service_description(request, settings)
    endpoint = protocol.request_iri(request)
    if isinstance(operation, protocol.UpdateOperation):
        require_writer(request, settings.update_token)
        await executor.apply(
            snapshots(request),
            protocol.with_using(operation),
            base_iri=endpoint,
            service_allow=settings.service_allow,
        )
        return Response(status_code=204)
    shape = shape_of(operation.text)
    text = text_query.rewrite(operation.text, shape, search.index_of(settings.store))  # text:query: VALUES of a search
    answer = await executor.execute(
        snapshots(request).ox,
        text,
        shape,
        accept=request.headers.get("accept"),
        limits=limits(request),
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


__all__ = ["RESULT_HEADERS", "router", "sparql"]
