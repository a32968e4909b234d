"""`/api/health` and `/api/ready` against real PostgreSQL, Redis and storage."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from mediahub.config import Settings
from mediahub.local.processes import free_port
from mediahub.main import create_app


async def test_health_is_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_reports_every_check(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/ready")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "storage"}
    for check in body["checks"].values():
        assert check["ok"] is True
        assert check["latency_ms"] >= 0


@pytest.mark.parametrize(
    ("failing", "override"),
    [
        ("redis", lambda port: {"redis_url": f"redis://127.0.0.1:{port}/0"}),
        ("database", lambda port: {"database_url": f"postgresql+asyncpg://u:p@127.0.0.1:{port}/x"}),
        ("storage", lambda port: {"storage_url": "s3://missing-bucket",
                                  "s3_endpoint_url": f"http://127.0.0.1:{port}",
                                  "s3_access_key_id": "k",
                                  "s3_secret_access_key": SecretStr("s")}),
    ],
)
async def test_ready_names_the_failing_dependency(
    settings: Settings, failing: str, override
) -> None:
    closed_port = free_port()  # nothing listens there
    broken = settings.model_copy(update=override(closed_port))
    app = create_app(broken)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            response = await http.get("/api/ready")
            assert (await http.get("/api/health")).status_code == 200
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][failing]["ok"] is False
    assert body["checks"][failing]["error"]
    assert all(c["ok"] for name, c in body["checks"].items() if name != failing)


async def test_unknown_api_route_is_json_404_not_the_spa(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")


async def test_deep_links_serve_the_web_app(client: httpx.AsyncClient) -> None:
    root = await client.get("/")
    deep = await client.get("/collection/some/deep/link")
    assert root.status_code == deep.status_code == 200
    assert "text/html" in root.headers["content-type"]
    assert root.text == deep.text


async def test_openapi_lists_routes_under_api(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/openapi.json")).json()
    assert schema["paths"]
    # One deliberate exception: OpenAI's paths, so OpenAI clients work with base_url=…/v1.
    outside = [path for path in schema["paths"] if not path.startswith("/api/")]
    assert sorted(outside) == ["/v1/audio/transcriptions", "/v1/audio/translations"]
