"""The HTTP errors of the endpoint, and the handlers that turn them (and a few built-ins) into responses.

Every error body is plain text that names the bad value; a malformed query is a 400 with the
parser's message, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import KGError


class HTTPError(KGError):
    """A request the endpoint refuses, answered with `status` and the message as the body."""

    status = 400
    headers: ClassVar[Mapping[str, str]] = MappingProxyType({})


class BadRequest(HTTPError):
    status = 400


class Unauthorized(HTTPError):
    status = 401
    headers = MappingProxyType({"WWW-Authenticate": 'Bearer realm="newskg"'})


class Forbidden(HTTPError):
    status = 403


class NotFound(HTTPError):
    status = 404


class NotAcceptable(HTTPError):
    status = 406


class PayloadTooLarge(HTTPError):
    status = 413


class URITooLong(HTTPError):
    status = 414


class UnsupportedMediaType(HTTPError):
    status = 415


class QueryFailed(HTTPError):
    """The query is valid but its evaluation failed (an error inside Oxigraph)."""

    status = 500


class StoreBusy(HTTPError):
    """A write while another process (`kg ingest`, `kg load`) holds the store."""

    status = 503
    headers = MappingProxyType({"Retry-After": "10"})


class QueryTimedOut(HTTPError):
    """The evaluation ran longer than KG_QUERY_TIMEOUT and was stopped."""

    status = 503
    headers = MappingProxyType({"Connection": "close"})  # the worker that ran it is on its way out


class UpdateTimedOut(HTTPError):
    """A write ran longer than KG_QUERY_TIMEOUT and was stopped, changing nothing."""

    status = 503


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


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""
    app.add_exception_handler(HTTPError, _http_error)
    app.add_exception_handler(StarletteHTTPException, _routing_error)


__all__ = [
    "BadRequest",
    "Forbidden",
    "HTTPError",
    "NotAcceptable",
    "NotFound",
    "PayloadTooLarge",
    "QueryFailed",
    "QueryTimedOut",
    "StoreBusy",
    "URITooLong",
    "Unauthorized",
    "UnsupportedMediaType",
    "UpdateTimedOut",
    "install",
    "respond",
]
