"""uvicorn's httptools protocol, with the writes of one turn of the event loop sent as one.

uvicorn writes a response's status line and headers when the app starts the response, and the
body when it sends it: two `send` calls on the socket, and two TCP segments for the client to
read, for every small answer. `Protocol` hands the connection a transport that gathers the writes
made during one turn of the loop and sends them together at its end. Nothing else changes: the
order of the bytes, flow control (the real transport still pauses and resumes the writer) and
closing, which sends what is gathered first.

On the bench's point query (bench/README.md, "Endpoint") a bare ASGI handler under uvicorn spent
102-111 µs of CPU a request with two writes and 93-96 µs with one, and answered 15,000-16,700
against 18,900-19,500 requests a second.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class Coalescing:
    """`transport`, except that what is written in one turn of `loop` goes out in one write."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._gathered: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._gathered:
            self._loop.call_soon(self._flush)
        self._gathered.append(data)

    def writelines(self, lines: list[bytes]) -> None:
        for data in lines:
            self.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def _flush(self) -> None:
        if self._gathered:
            data = b"".join(self._gathered)
            self._gathered.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def __getattr__(self, name: str) -> Any:  # everything else is the transport's own
        return getattr(self._transport, name)


class Protocol(HttpToolsProtocol):
    """uvicorn's httptools protocol on a `Coalescing` transport (uvicorn.Config(http=Protocol))."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(Coalescing(transport, self.loop))  # type: ignore[arg-type]


__all__ = ["Coalescing", "Protocol"]
