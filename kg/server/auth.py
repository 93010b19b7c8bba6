"""Who may write: the bearer of KG_UPDATE_TOKEN, compared in constant time. Writes are off without it."""

from __future__ import annotations

import hmac

from starlette.requests import Request

from kg.server.errors import Forbidden, Unauthorized


def require_writer(request: Request, token: str | None) -> None:
    """Return if the request may write; else raise Forbidden (writes disabled) or Unauthorized (bad token)."""
    if not token:
        raise Forbidden("Writes are disabled on this endpoint: start it with KG_UPDATE_TOKEN set to allow them.")
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise Unauthorized("Writes need an 'Authorization: Bearer <token>' header.")
    if not hmac.compare_digest(credentials.strip().encode(), token.encode()):
        raise Unauthorized("The bearer token is not valid for writes.")


__all__ = ["require_writer"]
