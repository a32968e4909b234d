"""Uvicorn's httptools protocol with bounds on the request head (`mediahub api` uses it).

Uvicorn bounds neither the size of the request line and headers nor the time a client may
take to send them (a 200 kB header and 20,000 headers were answered 200; a connection that
sent half a request line stayed open indefinitely). Behind nginx those bounds come from
nginx; `mediahub up` and `mediahub api --host 0.0.0.0` face clients directly.

- more than MAX_HEADER_BYTES in the request line and headers: 431, connection closed;
- the head not complete HEADER_READ_TIMEOUT_SECONDS after the request began: 408 and the
  connection closed; a new connection that sends nothing in that time is closed silently
  (browsers pre-open connections; a 408 there could be read as the next request's answer).
Bodies are bounded by core/request_guard.py.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

DEFAULT_MAX_HEADER_BYTES = 64 * 1024
DEFAULT_HEADER_TIMEOUT_S = 30.0


class _HeadTooLarge(Exception):
    pass


def _limits() -> tuple[int, float]:
    return (int(os.environ.get("MAX_HEADER_BYTES", DEFAULT_MAX_HEADER_BYTES)),
            float(os.environ.get("HEADER_READ_TIMEOUT_SECONDS", DEFAULT_HEADER_TIMEOUT_S)))


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """HttpToolsProtocol + a size limit and a deadline for each request head."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_head_bytes, self.head_timeout = _limits()
        self._head_bytes = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._refusal: bytes | None = None
        self._head_started = False

    # --- deadline for the head ---

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        if not self._head_started:  # never sent a byte (a browser's preconnect): just close
            self.transport.close()
            return
        self._refuse(408, b"Request Timeout", b"request head not received in time")

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_bytes = 0
        self._head_started = True
        self._arm()

    # --- size of the head ---

    def _count(self, n: int) -> None:
        self._head_bytes += n
        if self._head_bytes > self.max_head_bytes:
            self._refusal = b"431"
            raise _HeadTooLarge  # httptools turns it into HttpParserError: send_400_response

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._disarm()
        self._head_started = False
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        if self._refusal == b"431":
            self._refuse(431, b"Request Header Fields Too Large",
                         b"request line and headers are too large")
            return
        super().send_400_response(msg)

    def _refuse(self, status: int, reason: bytes, message: bytes) -> None:
        self.transport.write(b"".join([
            b"HTTP/1.1 %d %s\r\n" % (status, reason),
            b"content-type: text/plain; charset=utf-8\r\n",
            b"content-length: %d\r\n" % len(message),
            b"connection: close\r\n\r\n",
            message,
        ]))
        self.transport.close()
