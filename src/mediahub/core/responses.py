"""JSON responses written once from data already in a response model's shape (ADR 0018)."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic_core import to_json


def json_response(body: Any) -> Response:
    """What FastAPI sends for a response model (its `dump_json` path), from plain data.

    `body` must already be the model's shape (dicts in field order, values of the field
    types): `to_json` is the serializer the models use, so the bytes are the same, without
    building and validating the models of our own output.
    """
    return Response(content=to_json(body), media_type="application/json")
