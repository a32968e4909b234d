"""Lean routes: a hot read page answered without FastAPI's request handler (ADR 0028).

A `LeanRoute` sits in front of the FastAPI route of the same path and takes a GET only when
its query is plainly valid (`cursor` and `limit` at most once each, in the forms FastAPI
would accept). Anything else matches nothing here, so the FastAPI route answers it exactly as
before: validation errors, unknown parameters, other methods. The FastAPI route stays the
documented one (OpenAPI, generated client); the lean endpoint calls the same service and
presenter functions, so visibility, cursors and bodies are written once.

Why: FastAPI's dependency solving (five dependencies and two query parameters for the feed),
its request handler and the request's session cost ~0.3 ms of a ~1.35 ms feed page (py-spy,
issue 20); the page's own work is the statement and the body.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, NoMatchFound, get_route_path, request_response
from starlette.types import Receive, Scope, Send

# What FastAPI's `limit: Query(ge=1, le=100)` and `cursor: Query(max_length=200)` accept in
# their plainest form; other spellings ("050", "+5", percent-escapes) go to FastAPI.
_LIMIT = re.compile(rb"[1-9][0-9]?|100")
_CURSOR = re.compile(rb"[A-Za-z0-9_-]{1,200}")  # encode_cursor's alphabet: URL-safe base64
_QUERY = "mediahub.lean_query"


@dataclass(frozen=True, slots=True)
class PageQuery:
    """A page's parameters, as the FastAPI route would have them."""

    cursor: str | None
    limit: int


def page_query(query_string: bytes, default_limit: int) -> PageQuery | None:
    """`cursor` and `limit` from a plainly valid query; None for anything else."""
    cursor: str | None = None
    limit: int | None = None
    if query_string:
        for part in query_string.split(b"&"):
            name, _, value = part.partition(b"=")
            if name == b"limit" and limit is None and _LIMIT.fullmatch(value):
                limit = int(value)
            elif name == b"cursor" and cursor is None and _CURSOR.fullmatch(value):
                cursor = value.decode()
            else:
                return None
    return PageQuery(cursor, default_limit if limit is None else limit)


Endpoint = Callable[[Request, PageQuery], Awaitable[Response]]


class LeanRoute(BaseRoute):
    """GET `path` with a plainly valid page query, answered by `endpoint(request, query)`.

    Errors it raises are rendered by the app's exception handlers, as for any route.
    """

    def __init__(self, path: str, endpoint: Endpoint, *, default_limit: int) -> None:
        self.path, self.endpoint, self.default_limit = path, endpoint, default_limit
        self.app = request_response(self._answer)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """FULL only for this path, GET and a query `page_query` accepts."""
        if (scope["type"] != "http" or scope["method"] != "GET"
                or get_route_path(scope) != self.path):
            return Match.NONE, {}
        query = page_query(scope["query_string"], self.default_limit)
        if query is None:
            return Match.NONE, {}
        return Match.FULL, {"endpoint": self.endpoint, "path_params": {}, _QUERY: query}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request (exception handlers as for any Starlette route)."""
        await self.app(scope, receive, send)

    async def _answer(self, request: Request) -> Response:
        return await self.endpoint(request, request.scope[_QUERY])

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        """Not addressable by name: the FastAPI route of the same path is."""
        raise NoMatchFound(name, path_params)
