"""The API's error contract: one error body everywhere, and a schema that lists every status.

Framework errors (an unreadable body, an unknown route, a wrong method) and the few bare
HTTPExceptions are rendered as `{"detail", "code"}` like every AppError.

The generated OpenAPI schema is completed with the errors every operation of a kind may
return.
FastAPI documents what a route declares; some errors come from shared machinery instead and
would otherwise be missing from every route (the API fuzzer checks each status code it sees
against the schema):

- 401 on every operation with bearer security: a missing, invalid, expired or revoked token
  (optional-auth routes too: a token that is sent must be valid);
- 429 on every write (POST/PUT/PATCH/DELETE) with bearer security: the per-user write budget;
- 400 on every operation with a request body or parameters: a body that cannot be read or
  decoded, or text PostgreSQL cannot store (NUL, unpaired surrogates; core/request_guard.py);
- 408 and 413 on every operation with a request body (slow or oversized body);
- 422 as either shape when a route declares its own 422 (`ErrorBody`) but also has
  parameters that FastAPI validates (its `HTTPValidationError`).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from mediahub.core.error_codes import CODES
from mediahub.core.errors import error_body
from mediahub.core.validation import install_validation_errors

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
_ERROR_BODY = "#/components/schemas/ErrorBody"
_VALIDATION = "#/components/schemas/HTTPValidationError"


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": _ERROR_BODY}}}}


def complete_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared error responses to every operation of `schema` (in place)."""
    components = schema.get("components", {}).get("schemas", {})
    has_validation = "HTTPValidationError" in components
    if has_validation:  # core/validation.py adds the first error's code and params
        properties = components["HTTPValidationError"].setdefault("properties", {})
        properties["code"] = {"$ref": "#/components/schemas/ErrorCode"}
        properties["params"] = components["ErrorBody"]["properties"]["params"]
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if operation.get("security"):
                responses.setdefault("401", _error("Missing or invalid credentials."))
                if method in WRITE_METHODS:
                    responses.setdefault("429", _error(
                        "Too many write requests; retry after the given number of seconds."))
            if "requestBody" in operation or operation.get("parameters"):
                responses.setdefault("400", _error(
                    "The request cannot be read (malformed body), or its text holds NUL "
                    "characters or unpaired surrogates."))
            if "requestBody" in operation:
                responses.setdefault("408", _error("The request body arrived too slowly."))
                responses.setdefault("413", _error("The request body is too large."))
            declared = responses.get("422", {}).get("content", {}).get("application/json", {})
            if (has_validation and operation.get("parameters")
                    and declared.get("schema") == {"$ref": _ERROR_BODY}):
                declared["schema"] = {"anyOf": [{"$ref": _ERROR_BODY}, {"$ref": _VALIDATION}]}
    return schema


def code_for_status(status: int) -> str:
    """A catalogued `code` for a bare HTTP status ("not_found", ...; else "error")."""
    try:
        code = HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"
    return code if code in CODES else "error"


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = code_for_status(exc.status_code)
    body = error_body(str(exc.detail), code, {"status": exc.status_code} if code == "error" else {})
    return JSONResponse(body, status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


def install_api_contract(app: FastAPI) -> None:
    """Render HTTPExceptions as ErrorBody; serve the completed schema (built once, cached)."""
    app.add_exception_handler(HTTPException, _http_error)
    install_validation_errors(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete_schema(get_openapi(
                title=app.title, version=app.version, routes=app.routes,
                description=app.description))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
