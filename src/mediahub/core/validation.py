"""FastAPI's 422 validation errors with a catalogued `code` and `params`.

The body keeps FastAPI's `detail` list (API users parse it) and adds `code` and `params` for
the first error: the field and the constraint's numbers, never a regular expression, so the
web app can say "username must be 3-32 characters" instead of showing a pattern.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from mediahub.core.error_codes import CODES
from mediahub.core.errors import Params

# pydantic's error `type` → our code, and which of its `ctx` entries become which params.
_BY_TYPE: dict[str, tuple[str, dict[str, str]]] = {
    "missing": ("validation.missing", {}),
    "string_too_short": ("validation.too_short", {"min_length": "min"}),
    "string_too_long": ("validation.too_long", {"max_length": "max"}),
    "too_short": ("validation.too_few", {"min_length": "min"}),
    "too_long": ("validation.too_many", {"max_length": "max"}),
    "greater_than": ("validation.too_small", {"gt": "min"}),
    "greater_than_equal": ("validation.too_small", {"ge": "min"}),
    "less_than": ("validation.too_large", {"lt": "max"}),
    "less_than_equal": ("validation.too_large", {"le": "max"}),
    "literal_error": ("validation.not_allowed", {"expected": "allowed"}),
    "enum": ("validation.not_allowed", {"expected": "allowed"}),
    "string_pattern_mismatch": ("validation.format", {}),  # the regex stays server-side
    "extra_forbidden": ("validation.unknown_field", {}),
    "json_invalid": ("validation.json_invalid", {}),
}
_WRONG_TYPE_SUFFIXES = ("_type", "_parsing")


def _union_member(loc: tuple[Any, ...] | list[Any]) -> str:
    """The model a union body was tried as (`PasswordLogin` in body.PasswordLogin.password)."""
    return next((str(p) for p in loc if isinstance(p, str) and p[:1].isupper()), "")


def field_of(loc: tuple[Any, ...] | list[Any]) -> str:
    """The field an error is about, without FastAPI's "body"/"query"/"path" prefix and
    without the model name of a union body."""
    parts = [str(p) for p in loc if not (isinstance(p, str) and p[:1].isupper())]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def first_error(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The error to name: the first, or for a union body the first of the model it came
    closest to (fewest errors), so `{"username": "a"}` at login is about the password."""
    by_member: dict[str, list[dict[str, Any]]] = {}
    for error in errors:
        by_member.setdefault(_union_member(error.get("loc", ())), []).append(error)
    return min(by_member.values(), key=len)[0]


def code_and_params(error: dict[str, Any]) -> tuple[str, Params]:
    """The catalogued code and params for one pydantic error (the first of a 422)."""
    kind, ctx = str(error.get("type", "")), error.get("ctx") or {}
    params: Params = {"field": field_of(error.get("loc", ()))}
    if kind in CODES:  # our own PydanticCustomError, typed with a catalogue code
        params.update({k: v for k, v in ctx.items() if isinstance(v, str | int | float)})
        return kind, params
    code, keep = _BY_TYPE.get(kind, ("", {}))
    if not code:
        code = ("validation.wrong_type" if kind.endswith(_WRONG_TYPE_SUFFIXES)
                else "validation.invalid")
    for source, name in keep.items():
        if source in ctx:
            value = ctx[source]
            params[name] = value if isinstance(value, int | float) else str(value)
    return code, params


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    code, params = code_and_params(first_error(errors)) if errors else ("validation.invalid", {})
    # FastAPI's list without each entry's `input`: it would echo a refused password back.
    detail = [{k: v for k, v in e.items() if k != "input"} for e in errors]
    body = {"detail": jsonable_encoder(detail), "code": code, "params": params}
    return JSONResponse(body, status_code=422)


def install_validation_errors(app: FastAPI) -> None:
    """Answer request validation failures with a code and params besides FastAPI's list."""
    app.add_exception_handler(RequestValidationError, _validation_error)
