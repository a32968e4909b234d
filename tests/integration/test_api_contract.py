"""The error contract the fuzzer relies on: one error body, every returned status documented.

Regression tests for what schemathesis found (tests/fuzz): framework errors answered
`{"detail"}` without `code`, and 400/401/429 were returned by routes that did not list them.
"""

from __future__ import annotations

import httpx

from mediahub.config import Settings
from mediahub.main import create_app

WRITES = {"post", "put", "patch", "delete"}


def _schema() -> dict:
    app = create_app(Settings.model_construct(database_url="", redis_url="", storage_url=""))
    return app.openapi()


def test_every_operation_lists_the_errors_shared_machinery_returns() -> None:
    schema = _schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            where = f"{method.upper()} {path}"
            if operation.get("security"):
                assert "401" in codes, where
                if method in WRITES:
                    assert "429" in codes, where
            if "requestBody" in operation:
                assert "400" in codes, where


def test_route_422_also_allows_fastapi_validation_errors() -> None:
    operation = _schema()["paths"][
        "/api/transcriptions/{transcription_id}/speakers/{speaker_id}"]["patch"]
    schema = operation["responses"]["422"]["content"]["application/json"]["schema"]
    assert {"$ref": "#/components/schemas/HTTPValidationError"} in schema["anyOf"]


def test_cursor_lists_document_400() -> None:
    paths = _schema()["paths"]
    for path in ("/api/photos/feed", "/api/photos/mine", "/api/photos/favorites",
                 "/api/photos/imported", "/api/users/{user_id}/photos", "/api/transcriptions"):
        assert "400" in paths[path]["get"]["responses"], path


async def test_unreadable_json_body_is_400_with_the_error_body(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/login", content=b"\x8e\xff",
                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body",
                               "code": "bad_request", "params": {}}


async def test_unknown_api_route_and_wrong_method_carry_a_code(client: httpx.AsyncClient) -> None:
    missing = await client.get("/api/no-such-thing")
    assert missing.status_code == 404 and missing.json()["code"] == "api.no_route"
    wrong = await client.put("/api/health")
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"
