"""Lean routes: a hot read answered without FastAPI's request handler (ADR 0028).

A `LeanRoute` sits in front of the FastAPI route of the same path and takes a GET only when
its path and query are plainly valid: a page's `cursor` and `limit` at most once each, in the
forms FastAPI would accept; a `{name:uuid}` path segment in the canonical lower-case form;
no query at all for a route without a page. Anything else matches nothing here, so the
FastAPI route answers it exactly as before: validation errors, unknown parameters, other
methods. The FastAPI route stays the documented one (OpenAPI, generated client); the lean
endpoint calls the same route function with the same service and presenter, so visibility,
cursors and bodies are written once.

Why: FastAPI's dependency solving (five dependencies and two query parameters for the feed),
its request handler and the request's session cost ~0.3 ms of a ~1.35 ms feed page (py-spy,
issue 20); the page's own work is the statement and the body.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, NoMatchFound, get_route_path, request_response
from starlette.types import Receive, Scope, Send

# What FastAPI's `limit: Query(ge=1, le=100)` and `cursor: Query(max_length=200)` accept in
# their plainest form; other spellings ("050", "+5", percent-escapes) go to FastAPI.
_LIMIT = re.compile(rb"[1-9][0-9]?|100")
_CURSOR = re.compile(rb"[A-Za-z0-9_-]{1,200}")  # encode_cursor's alphabet: URL-safe base64
# A path parameter FastAPI reads as `uuid.UUID`, in the one form our API writes ids in
# (pydantic also takes upper case, no hyphens, braces or a urn: those go to FastAPI).
_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_PARAM = re.compile(r"\\\{([a-z_]+):uuid\\\}")  # in re.escape(path)
_PARAMS = "mediahub.lean_params"


def page_query(query_string: bytes, default_limit: int) -> dict[str, Any] | None:
    """`cursor` and `limit` (keyword arguments of the route function) from a plainly valid
    query; None for anything else."""
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
    return {"cursor": cursor, "limit": default_limit if limit is None else limit}


# endpoint(request, params): params are the route function's keyword arguments, from the
# path (`uuid.UUID`) and the page query.
Endpoint = Callable[[Request, dict[str, Any]], Awaitable[Response]]


class LeanRoute(BaseRoute):
    """GET `path` with a plainly valid path and query, answered by `endpoint(request, params)`.

    `path` may hold `{name:uuid}` segments. With `default_limit` the route is a page (a
    `page_query`); without, it takes no query at all. Errors the endpoint raises are rendered
    by the app's exception handlers, as for any route.
    """

    def __init__(self, path: str, endpoint: Endpoint, *,
                 default_limit: int | None = None) -> None:
        self.path, self.endpoint, self.default_limit = path, endpoint, default_limit
        self.path_regex = re.compile(_PARAM.sub(rf"(?P<\1>{_UUID})", re.escape(path)))
        self.app = request_response(self._answer)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """FULL only for this path, GET and a query the route accepts."""
        if scope["type"] != "http" or scope["method"] != "GET":
            return Match.NONE, {}
        path = self.path_regex.fullmatch(get_route_path(scope))
        if path is None:
            return Match.NONE, {}
        query = scope["query_string"]
        if self.default_limit is not None:
            params = page_query(query, self.default_limit)
        else:
            params = None if query else {}
        if params is None:
            return Match.NONE, {}
        path_params = {name: uuid.UUID(value) for name, value in path.groupdict().items()}
        params.update(path_params)
        return Match.FULL, {"endpoint": self.endpoint, "path_params": path_params,
                            _PARAMS: params}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request (exception handlers as for any Starlette route)."""
        await self.app(scope, receive, send)

    async def _answer(self, request: Request) -> Response:
        return await self.endpoint(request, request.scope[_PARAMS])

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        """Not addressable by name: the FastAPI route of the same path is."""
        raise NoMatchFound(name, path_params)
