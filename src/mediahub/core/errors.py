"""Typed application errors, rendered in one place as `{"detail", "code", "params"}` JSON.

`code` comes from the catalogue in core/error_codes.py; the class gives the HTTP status.
"""

from __future__ import annotations

import logging
import re
import time
import traceback
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mediahub.core.error_codes import CODES, ErrorCode
from mediahub.core.storage import StorageError, StorageFull

log = logging.getLogger(__name__)
TRACEBACK_WINDOW_S = 60.0  # one full traceback per exception type and location per window
TRACEBACK_MAX_CHARS = 16 * 1024  # a traceback longer than this keeps its head and tail

# A Python file object's repr ("<_io.BufferedReader name='/tmp/x'>"), then any absolute
# path of two or more parts not glued to a word, a colon or a slash (so "audio/wav",
# "1/2" and URLs stay).
_FILE_REPR = re.compile(r"\s*<_io\.\w+ name=(['\"]).*?\1>")
_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.~-])/(?:[\w.@+=~-]+/)+[\w.@+=~-]*")


def without_paths(message: str) -> str:
    """A failure message fit for users: server file paths (and file reprs) taken out.

    Applied where job and photo errors become visible; the caller logs the original.
    """
    return _ABSOLUTE_PATH.sub("[file]", _FILE_REPR.sub("", message))


Params = dict[str, str | int | float | list[str]]


class ErrorBody(BaseModel):
    """The JSON body of every error response."""

    detail: str = Field(description="What went wrong, in English, for API users and logs.")
    code: ErrorCode = Field(description="Stable; clients show their own text for it.")
    params: Params = Field(default_factory=dict,
                           description="Values the code's message names (see ErrorCode).")


def error_body(detail: str, code: str, params: Params | None = None) -> dict[str, Any]:
    """The JSON of an error response (not validated: a stray code must not become a 500)."""
    if code not in CODES:
        log.error("error code %r is not in core/error_codes.py", code)
    return {"detail": detail, "code": code, "params": params or {}}


class AppError(Exception):
    """Base of all errors a client may see; carries its HTTP status and a stable code."""

    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        params: Params | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:  # the specific code from the catalogue; the class's is generic
            self.code = code  # type: ignore[misc]
        self.params = params or {}
        self.headers = headers
        self.extra = extra or {}

    @classmethod
    def openapi(cls) -> dict[int | str, dict[str, Any]]:
        """A `responses=` entry declaring this error in the OpenAPI schema."""
        return {cls.status_code: {"model": ErrorBody, "description": cls.__doc__ or cls.code}}


class BadRequest(AppError):
    """The request is malformed or violates a rule."""


class Unauthorized(AppError):
    """Missing or invalid credentials."""

    status_code = 401
    code = "unauthorized"


class Forbidden(AppError):
    """Authenticated but not allowed."""

    status_code = 403
    code = "forbidden"


class NotFound(AppError):
    """The resource does not exist (or the caller may not know it exists)."""

    status_code = 404
    code = "not_found"


class Conflict(AppError):
    """The request conflicts with the current state."""

    status_code = 409
    code = "conflict"


class Gone(AppError):
    """The resource existed but is no longer usable (expired, cancelled)."""

    status_code = 410
    code = "gone"


class PayloadTooLarge(AppError):
    """The request body exceeds a configured limit."""

    status_code = 413
    code = "payload_too_large"


class UnsupportedMediaType(AppError):
    """The uploaded content is of a type we do not accept."""

    status_code = 415
    code = "unsupported_media_type"


class Unprocessable(AppError):
    """Well-formed, but the content cannot be used (e.g. a recording with no decodable audio)."""

    status_code = 422
    code = "unprocessable"


class InvalidText(Unprocessable):
    """Typed text contains control or invisible formatting characters (core/text.py)."""

    code = "invalid_text"


class InvalidFormText(BadRequest):
    """A multipart form field contains control or invisible formatting characters."""

    code = "invalid_text"


class TooManyRequests(AppError):
    """A rate limit was hit; retry after the given number of seconds."""

    status_code = 429
    code = "rate_limited"


class InsufficientStorage(AppError):
    """The object store has no room for the upload."""

    status_code = 507
    code = "insufficient_storage"


class GatewayTimeout(AppError):
    """The work was accepted but did not finish within the time this request may wait."""

    status_code = 504
    code = "timeout"


class ServiceUnavailable(AppError):
    """A dependency (database, redis, storage) is down; the client may retry."""

    status_code = 503
    code = "service_unavailable"


def _render(exc: AppError) -> JSONResponse:
    body = {**exc.extra, **error_body(exc.detail, exc.code, exc.params)}
    return JSONResponse(jsonable_encoder(body), status_code=exc.status_code, headers=exc.headers)


def _outage_types() -> tuple[type[BaseException], ...]:
    """Exception types that may mean "PostgreSQL or Redis is unreachable"."""
    import asyncpg
    import redis.exceptions
    from sqlalchemy.exc import DBAPIError, InterfaceError

    return (
        DBAPIError,  # SQLAlchemy wraps driver errors; decided by what it wraps
        ConnectionError,
        TimeoutError,
        InterfaceError,
        asyncpg.exceptions.CannotConnectNowError,
        asyncpg.exceptions.ConnectionDoesNotExistError,
        redis.exceptions.ConnectionError,
        redis.exceptions.TimeoutError,
    )


def _is_dependency_outage(exc: BaseException) -> bool:
    """True for connection-level failures of PostgreSQL or Redis (not programming errors)."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    outage_types = tuple(t for t in _outage_types() if t is not DBAPIError)
    seen: BaseException | None = exc
    while seen is not None:  # SQLAlchemy wraps driver errors; look through the chain
        if isinstance(seen, outage_types):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class _TracebackBudget:
    """Decides whether an unexpected exception's full traceback is logged this time.

    The same exception type raised at the same place is logged in full at most once per
    TRACEBACK_WINDOW_S; otherwise one line. Repeating a failing request cannot fill the log.
    """

    def __init__(self, window_s: float = TRACEBACK_WINDOW_S, max_keys: int = 1024) -> None:
        self.window_s = window_s
        self.max_keys = max_keys
        self._last: dict[tuple[str, str, int], float] = {}

    def allows(self, exc: BaseException) -> bool:
        """True (and the window starts) if this kind of failure was not logged recently."""
        key = (type(exc).__qualname__, *_origin(exc))
        now = time.monotonic()
        last = self._last.get(key)
        if last is not None and now - last < self.window_s:
            return False
        if len(self._last) >= self.max_keys:  # bounded memory whatever the variety
            self._last.clear()
        self._last[key] = now
        return True


_tracebacks = _TracebackBudget()


def _origin(exc: BaseException) -> tuple[str, int]:
    """File and line where the exception was raised (its innermost frame)."""
    tb = exc.__traceback__
    if tb is None:
        return ("?", 0)
    while tb.tb_next is not None:
        tb = tb.tb_next
    return (tb.tb_frame.f_code.co_filename, tb.tb_lineno)


def _bounded_traceback(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(exc))
    if len(text) <= TRACEBACK_MAX_CHARS:
        return text
    head, tail = TRACEBACK_MAX_CHARS // 4, TRACEBACK_MAX_CHARS * 3 // 4
    return f"{text[:head]}\n[... {len(text) - head - tail} characters left out ...]\n{text[-tail:]}"


def log_unexpected(method: str, path: str, exc: BaseException) -> None:
    """Log a failure no handler expected: one line, plus a bounded, rate-limited traceback."""
    file, line = _origin(exc)
    summary = f"{type(exc).__name__}: {str(exc)[:200]!r} at {file}:{line}"
    if _tracebacks.allows(exc):
        log.error("unhandled error on %s %r: %s\n%s", method, path[:200], summary,
                  _bounded_traceback(exc))
    else:
        log.error("unhandled error on %s %r: %s (traceback logged in the last %.0f s)",
                  method, path[:200], summary, _tracebacks.window_s)


def _outage_response(method: str, path: str, exc: BaseException) -> JSONResponse:
    log.warning("dependency outage on %s %s: %s", method, path, exc)
    return _render(ServiceUnavailable(
        "a backing service is temporarily unavailable; retry shortly",
        code="service_unavailable", headers={"Retry-After": "2"}))


def _unexpected_response(method: str, path: str, exc: BaseException) -> JSONResponse:
    if _is_dependency_outage(exc):
        return _outage_response(method, path, exc)
    log_unexpected(method, path, exc)
    return JSONResponse(error_body("internal error", "internal_error"), status_code=500)


class UnexpectedErrorMiddleware:
    """Answers 500 (or 503 for an outage) for any exception escaping the layers inside it.

    Starlette's own catch-all answers too, but then re-raises to the server, which logs the
    whole traceback again for every request; here the exception ends, logged once, bounded.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked_send)
        except Exception as exc:  # noqa: BLE001 - this is the catch-all
            response = _unexpected_response(scope["method"], scope["path"], exc)
            if not started:  # otherwise the server closes the half-sent response
                await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Render AppError subclasses and dependency outages as JSON; never leak tracebacks."""

    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return _render(exc)

    @app.exception_handler(StorageError)
    async def _storage_error(request: Request, exc: StorageError) -> JSONResponse:
        # Validation-type storage errors are mapped where they happen; what reaches here is
        # the backend failing: out of space, unreachable, or refusing the operation.
        if isinstance(exc, StorageFull):
            log.warning("object store full on %s %s: %s", request.method, request.url.path, exc)
            return _render(InsufficientStorage("the object store is full; nothing was saved",
                                               code="insufficient_storage"))
        log.warning("object store failure on %s %s: %s", request.method, request.url.path, exc)
        return _render(ServiceUnavailable(
            "the object store is temporarily unavailable; nothing was saved, retry shortly",
            code="storage.unavailable", headers={"Retry-After": "5"}))

    async def _outage(request: Request, exc: Exception) -> JSONResponse:
        # Handled here (not by the catch-all below, which Starlette re-raises to the server
        # after responding), so an outage is a logged warning and a 503, not a traceback.
        if not _is_dependency_outage(exc):
            raise exc  # a programming error after all: UnexpectedErrorMiddleware answers 500
        return _outage_response(request.method, request.url.path, exc)

    for exc_type in _outage_types():
        app.add_exception_handler(exc_type, _outage)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Reached only by failures outside UnexpectedErrorMiddleware (the outer middleware).
        return _unexpected_response(request.method, request.url.path, exc)
