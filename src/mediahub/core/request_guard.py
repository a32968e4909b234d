"""Bounds on what a request may send before any route sees it (pure ASGI middleware).

- **Slow bodies**: every `receive()` of the body must deliver within
  `BODY_READ_IDLE_TIMEOUT_SECONDS`, and the whole body within `BODY_READ_TIMEOUT_SECONDS`;
  otherwise 408 and the connection is closed. Uvicorn bounds neither (a slow-loris upload
  would hold a connection and a worker task for ever). Within those, each
  `BODY_RATE_WINDOW_SECONDS` spent waiting for the client must bring at least
  `BODY_MIN_BYTES_PER_WINDOW` (a byte every 20 s passes the idle timeout for an hour).
  Only time spent waiting for the client counts: while the route does not read (the object
  store is slow), the client cannot send, and that is not its fault.
- **Body size**: only the multipart upload routes stream their body (they enforce their own
  limits); every other body is read here up to `MAX_JSON_BODY_BYTES` (413 beyond, also
  for a Content-Length that announces more), instead of being buffered whole by FastAPI.
- **Text PostgreSQL cannot store**: NUL characters in the path, the query string or any
  JSON string, and unpaired UTF-16 surrogates in JSON strings (`"\\ud800"`), are 400 here.
  They would otherwise reach asyncpg and fail as 500 (found by the API fuzzer).
- **Nesting**: JSON nested deeper than `MAX_JSON_DEPTH` is 400 `json_too_deep`. No body of
  ours nests more than a few levels; `[`×350 once ran the checks below out of stack (a 500
  and a 216 KB traceback per 700-byte request).
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mediahub.config import Settings
from mediahub.core.errors import AppError, BadRequest, PayloadTooLarge, error_body

BAD_TEXT = "text must not contain NUL characters or unpaired surrogates"
MAX_JSON_DEPTH = 32


class RequestTimeout(AppError):
    """The client sent the request body too slowly."""

    status_code = 408
    code = "request_timeout"


class JsonTooDeep(BadRequest):
    """The JSON body nests arrays/objects deeper than any request of ours needs."""

    code = "json_too_deep"


def _too_deep() -> JsonTooDeep:
    return JsonTooDeep(f"the JSON body is nested deeper than {MAX_JSON_DEPTH} levels",
                       params={"max": MAX_JSON_DEPTH})


class _Reject(Exception):
    def __init__(self, error: AppError) -> None:
        self.error = error


def _bad_string(value: str) -> bool:
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def has_bad_text(value: Any) -> bool:
    """True if any string (or key) in a decoded JSON value has NUL or a lone surrogate.

    Raises JsonTooDeep past MAX_JSON_DEPTH; walks with its own stack, never recursing.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _bad_string(item):
                return True
        elif isinstance(item, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise _too_deep()
            children = item.items() if isinstance(item, dict) else ((None, v) for v in item)
            for key, child in children:
                if key is not None and _bad_string(key):
                    return True
                stack.append((child, depth + 1))
    return False


def _upload_routes(app: Any) -> list[tuple[str, re.Pattern[str]]]:
    """(method, path pattern) of the operations that read a multipart body themselves."""
    routes = []
    for path, operations in app.openapi().get("paths", {}).items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "multipart/form-data" in content:
                pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path))
                routes.append((method.upper(), re.compile(pattern + "$")))
    if not routes:  # the upload routes exist; finding none means this lookup broke
        raise RuntimeError("no multipart upload route found in the OpenAPI schema")
    return routes


class RequestGuardMiddleware:
    """See the module docstring."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.idle_timeout = settings.body_read_idle_timeout_seconds
        self.total_timeout = settings.body_read_timeout_seconds
        self.max_body = settings.max_json_body_bytes
        self.rate_window = settings.body_rate_window_seconds
        self.min_window_bytes = settings.body_min_bytes_per_window
        self._uploads: list[tuple[str, re.Pattern[str]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._uploads is None:
            self._uploads = _upload_routes(scope["app"])
        try:
            receive = await self._check(scope, receive)
        except _Reject as reject:
            await _respond(reject.error, send)
            return
        await self.app(scope, receive, send)

    async def _check(self, scope: Scope, receive: Receive) -> Receive:
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):
            raise _Reject(BadRequest(BAD_TEXT, code="request.bad_text"))
        guarded = self._guarded(receive)
        headers = dict(scope["headers"])
        if any(method == scope["method"] and pattern.match(scope["path"])
               for method, pattern in self._uploads or ()):
            return guarded  # streamed by the route, which enforces its own size limit
        if scope["method"] in ("GET", "HEAD", "OPTIONS") and b"content-length" not in headers \
                and b"transfer-encoding" not in headers:
            return guarded
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            raise _Reject(_too_large(self.max_body))
        body = await self._read_body(guarded)
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if body and (not content_type or content_type.endswith(b"json")):
            try:
                decoded = json.loads(body)
            except RecursionError:  # the C decoder's own stack guard, near depth 1000
                raise _Reject(_too_deep()) from None
            except ValueError:
                decoded = None  # FastAPI answers malformed JSON itself (422 / 400)
            try:
                bad = has_bad_text(decoded)
            except JsonTooDeep as exc:
                raise _Reject(exc) from None
            if bad:
                raise _Reject(BadRequest(BAD_TEXT, code="request.bad_text"))
        return _replay(body, receive)

    async def _read_body(self, receive: Receive) -> bytes:
        chunks, size = [], 0
        while True:
            try:
                message = await receive()
            except RequestTimeout as exc:
                raise _Reject(exc) from None
            if message["type"] == "http.disconnect":
                raise _Reject(BadRequest("the client disconnected", code="request.disconnected"))
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise _Reject(_too_large(self.max_body))
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _guarded(self, receive: Receive) -> Receive:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.total_timeout
        done = False
        waited, window_bytes = 0.0, 0  # the current rate window: client time and bytes

        async def guarded_receive() -> Message:
            nonlocal done, waited, window_bytes
            if done:  # the body is complete: waiting for a disconnect is not bounded here
                return await receive()
            timeout = min(self.idle_timeout, deadline - loop.time())
            started = loop.time()
            try:
                message = await asyncio.wait_for(receive(), max(timeout, 0.001))
            except TimeoutError:
                raise _too_slow() from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                done = True
                return message
            waited += loop.time() - started
            window_bytes += len(message.get("body", b""))
            if waited >= self.rate_window:
                if window_bytes < self.min_window_bytes:
                    raise _too_slow()
                waited, window_bytes = 0.0, 0
            return message

        return guarded_receive


def _too_slow() -> RequestTimeout:
    return RequestTimeout("the request body arrived too slowly", headers={"Connection": "close"})


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"the request body is larger than the limit of {limit} bytes",
                           code="request.too_large", params={"max_bytes": limit},
                           headers={"Connection": "close"})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _respond(error: AppError, send: Send) -> None:
    body = json.dumps(error_body(error.detail, error.code, error.params)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in (error.headers or {}).items()]
    await send({"type": "http.response.start", "status": error.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body})
