"""Reading a request the way the SPARQL 1.1 Protocol defines it (https://www.w3.org/TR/sparql11-protocol/).

Query by GET `?query=`, by POST form and by POST `application/sparql-query`; update by POST form
`update=` and by POST `application/sparql-update`; the dataset from `default-graph-uri` /
`named-graph-uri` (queries) and `using-graph-uri` / `using-named-graph-uri` (updates).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl

from starlette.requests import Request

from kg.config import Settings
from kg.namespaces import node
from kg.server.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType, URITooLong
from kg.server.lexer import nesting, tokens

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass(frozen=True, slots=True)
class RequestDataset:
    """Graph IRIs the request names; both empty means the service's own default dataset."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True, slots=True)
class QueryOperation:
    text: str
    dataset: RequestDataset


@dataclass(frozen=True, slots=True)
class UpdateOperation:
    text: str
    dataset: RequestDataset  # from using-graph-uri / using-named-graph-uri


Params = list[tuple[str, str]]


@lru_cache(maxsize=256)
def _is_authority(host: str) -> bool:
    try:
        node(f"http://{host}/")
    except ValueError:
        return False
    return True


def request_iri(request: Request) -> str:
    """The absolute URL of the request without its query string: the base IRI of what it sends.

    :raises BadRequest: the Host header cannot be the authority of an IRI (`%`, a space, `[::1`).
    """
    scope = request.scope
    host = request.headers.get("host") or "{}:{}".format(*scope["server"])
    if not _is_authority(host):
        raise BadRequest(f"The Host header {host!r} is no host name or address.")
    return f"{scope['scheme']}://{host}{scope.get('root_path', '')}{scope['path']}"


def media_type(header: str | None) -> tuple[str, str | None]:
    """(type/subtype in lower case, charset or None) of a Content-Type header."""
    if not header:
        return "", None
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsupportedMediaType(
            f"The {what} is not UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 4]!r}); "
            "SPARQL requests must be UTF-8."
        ) from None


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"Request body of {declared} bytes is over the limit of {limit} bytes (KG_MAX_BODY).")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"Request body is over the limit of {limit} bytes (KG_MAX_BODY).")
        chunks.append(chunk)
    return b"".join(chunks)


def _graphs(params: Params, name: str) -> tuple[str, ...]:
    graphs = tuple(value for key, value in params if key == name)
    for graph in graphs:
        try:
            node(graph)
        except ValueError as exc:
            raise BadRequest(f"{name} {graph!r} is not an absolute IRI: {exc}.") from None
    return graphs


def _one(params: Params, name: str) -> str | None:
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise BadRequest(f"The request has {len(values)} {name!r} parameters; the protocol allows exactly one.")
    return values[0] if values else None


def check_depth(text: str, limit: int, what: str = "query") -> None:
    """Refuse `text` when ( [ { nest deeper than `limit` in it, before a parser recurses into them.

    :raises BadRequest: naming the depth and the limit.
    """
    if text.count("{") + text.count("(") + text.count("[") <= limit:  # cheap: most texts stop here
        return
    depth = nesting(text)
    if depth > limit:
        raise BadRequest(
            f"The {what} nests brackets ( [ {{ {depth} deep, over the limit of {limit} (KG_MAX_QUERY_DEPTH)."
        )


def _operation(
    params: Params,
    query: str | None,
    update: str | None,
    settings: Settings,
    too_long: type[BadRequest] | type[URITooLong],
) -> QueryOperation | UpdateOperation:
    if query is not None and update is not None:
        raise BadRequest("The request has both 'query' and 'update'; send one operation per request.")
    if query is None and update is None:
        raise BadRequest("The request has no 'query' (or 'update') parameter.")
    text = query if query is not None else update
    assert text is not None
    if len(text) > settings.max_query_length:
        raise too_long(
            f"The {'query' if query is not None else 'update'} is {len(text)} characters long, over the "
            f"limit of {settings.max_query_length} (KG_MAX_QUERY_LENGTH)."
        )
    check_depth(text, settings.max_query_depth, "query" if query is not None else "update")
    if query is not None:
        if any(key in ("using-graph-uri", "using-named-graph-uri") for key, _ in params):
            raise BadRequest("using-graph-uri and using-named-graph-uri belong to updates, not queries.")
        return QueryOperation(
            query, RequestDataset(_graphs(params, "default-graph-uri"), _graphs(params, "named-graph-uri"))
        )
    if any(key in ("default-graph-uri", "named-graph-uri") for key, _ in params):
        raise BadRequest("default-graph-uri and named-graph-uri belong to queries; updates take using-graph-uri.")
    assert update is not None
    return UpdateOperation(
        update, RequestDataset(_graphs(params, "using-graph-uri"), _graphs(params, "using-named-graph-uri"))
    )


def read_get(request: Request, settings: Settings) -> QueryOperation | None:
    """The query of a GET request, or None when it has no protocol parameters (a service description request)."""
    params: Params = request.query_params.multi_items()
    if not params:
        return None
    if any(key == "update" for key, _ in params):
        raise BadRequest("SPARQL Update must be sent by POST, not GET.")
    operation = _operation(params, _one(params, "query"), None, settings, URITooLong)
    assert isinstance(operation, QueryOperation)
    return operation


async def read_post(request: Request, settings: Settings) -> QueryOperation | UpdateOperation:
    """The operation of a POST request, per its Content-Type."""
    media, charset = media_type(request.headers.get("content-type"))
    if charset not in (None, "utf-8", "utf8"):
        raise UnsupportedMediaType(f"Charset {charset!r} is not supported; SPARQL requests must be UTF-8.")
    if media not in (FORM, SPARQL_QUERY, SPARQL_UPDATE):
        if not media:
            raise UnsupportedMediaType(f"A POST needs a Content-Type: {FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}.")
        raise UnsupportedMediaType(
            f"Content-Type {media!r} is not supported; use {FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}."
        )
    body = await read_body(request, settings.max_body_bytes)
    params: Params = request.query_params.multi_items()
    if media == FORM:
        if any(key in ("query", "update") for key, _ in params):
            raise BadRequest(
                "A form POST carries its 'query' or 'update' in the body, not in the URL "
                "(SPARQL 1.1 Protocol 2.1.2 and 2.2.1); nothing was run."
            )
        try:
            params = params + parse_qsl(_utf8(body, "form body"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError as exc:
            raise UnsupportedMediaType(f"A form parameter is not UTF-8 once decoded: {exc.reason}.") from None
        return _operation(params, _one(params, "query"), _one(params, "update"), settings, BadRequest)
    if any(key in ("query", "update") for key, _ in params):
        raise BadRequest(
            f"With Content-Type {media}, the operation is the body; the URL must not carry 'query' or 'update' too."
        )
    text = _utf8(body, f"{media} body")
    if media == SPARQL_QUERY:
        return _operation(params, text, None, settings, BadRequest)
    return _operation(params, None, text, settings, BadRequest)


def with_using(update: UpdateOperation) -> str:
    """The update text with the protocol's using-graph-uri / using-named-graph-uri as USING clauses.

    pyoxigraph's `Store.update` takes no dataset, so each `DELETE/INSERT ... WHERE` gets the clauses
    written in before its `WHERE`, and a `DELETE WHERE {P}` becomes `DELETE {P} USING ... WHERE {P}`.
    An update that has USING, USING NAMED or WITH of its own conflicts with the parameters (400).
    """
    if not update.dataset:
        return update.text
    text = update.text
    clauses = (
        "".join(f" USING <{g}>" for g in update.dataset.default_graphs)
        + "".join(f" USING NAMED <{g}>" for g in update.dataset.named_graphs)
        + " "
    )
    top = [t for t in tokens(text) if t.depth == 0]
    edits: list[tuple[int, int, str]] = []
    for index, token in enumerate(top):
        word = token.text.upper() if token.kind == "word" else ""
        if word in ("USING", "WITH"):
            raise BadRequest(
                f"The update has its own {word} clause; it cannot also take using-graph-uri or using-named-graph-uri."
            )
        if word != "WHERE":
            continue
        previous = top[index - 1] if index else None
        if previous is not None and previous.kind == "word" and previous.text.upper() == "DELETE":
            block = next((t for t in top[index + 1 :] if t.kind == "open"), None)
            end = next((t for t in top[index + 1 :] if t.kind == "close"), None)
            if block is None or end is None:
                raise BadRequest("DELETE WHERE without a { ... } block.")
            pattern = text[block.start : end.end]
            edits.append((token.start, token.end, f"{pattern}{clauses}WHERE"))
        else:
            edits.append((token.start, token.start, clauses.lstrip()))
    for begin, stop, replacement in reversed(edits):
        text = text[:begin] + replacement + text[stop:]
    return text


__all__ = [
    "QueryOperation",
    "RequestDataset",
    "UpdateOperation",
    "check_depth",
    "media_type",
    "read_body",
    "read_get",
    "read_post",
    "request_iri",
    "with_using",
]
