"""The HTTP errors of the endpoint: each a status, its headers and a message that names the bad value.

They are plain exceptions, raised by the lower layers too (snapshots, limits); the app answers them
(kg.server.app.respond) with the message as a plain-text body. A malformed query is a 400 with the
parser's message, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

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
]
