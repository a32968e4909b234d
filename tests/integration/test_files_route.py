"""GET/HEAD /api/files/{token} on a minimal app, over both storage backends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from mediahub.core.errors import install_error_handlers
from mediahub.downloads.router import router
from mediahub.downloads.tokens import make_download_token
from tests.integration.storage_fixtures import (  # noqa: F401  (fixtures, requested by name)
    Backend,
    backend_fixture,
    moto_endpoint_fixture,
    s3_client_fixture,
)

SECRET = SecretStr("route-test-" + "x" * 32)
DATA = bytes(range(256)) * 4000  # 1 024 000 bytes, every offset recognisable


async def chunks(data: bytes) -> AsyncIterator[bytes]:
    for i in range(0, len(data), 100_000):
        yield data[i : i + 100_000]


def token_for(key: str, *, seconds: int = 300, **kwargs: str) -> str:
    expires_at = datetime.now(UTC) + timedelta(seconds=seconds)
    return make_download_token(key, expires_at, SECRET, **kwargs)


def url_for(key: str = "media/blob.bin", **kwargs) -> str:
    return f"/api/files/{token_for(key, **kwargs)}"


@pytest.fixture
async def http(backend: Backend) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_error_handlers(app)  # the routes raise AppErrors, rendered with their codes
    app.include_router(router, prefix="/api")
    app.state.object_store = backend.store
    app.state.settings = SimpleNamespace(jwt_secret=SECRET)
    await backend.store.put_stream("media/blob.bin", chunks(DATA), content_type="video/mp4")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_full_get(http: httpx.AsyncClient, backend: Backend) -> None:
    response = await http.get(url_for())
    assert response.status_code == 200
    assert response.content == DATA
    assert response.headers["content-length"] == str(len(DATA))
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["etag"].startswith('"')
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-disposition" not in response.headers
    # S3 keeps the stored content type; local disk cannot store it.
    expected_type = "video/mp4" if backend.kind == "s3" else "application/octet-stream"
    assert response.headers["content-type"] == expected_type


async def test_token_content_type_and_filename(http: httpx.AsyncClient) -> None:
    token = token_for("media/blob.bin", content_type="audio/ogg", filename="Запись.ogg")
    response = await http.get(f"/api/files/{token}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/ogg"
    assert response.headers["content-disposition"] == (
        'attachment; filename="______.ogg"; '
        "filename*=UTF-8''%D0%97%D0%B0%D0%BF%D0%B8%D1%81%D1%8C.ogg"
    )


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-9", 0, 10),
        ("bytes=1000-1999", 1000, 2000),
        ("bytes=1023990-", 1023990, 1024000),
        ("bytes=-7", 1024000 - 7, 1024000),
        ("bytes=1023999-5000000", 1023999, 1024000),  # end past the object is clamped
        ("bytes=-5000000", 0, 1024000),  # suffix longer than the object
    ],
)
async def test_range_206(http: httpx.AsyncClient, header: str, start: int, end: int) -> None:
    response = await http.get(url_for(), headers={"Range": header})
    assert response.status_code == 206
    assert response.content == DATA[start:end]
    assert response.headers["content-range"] == f"bytes {start}-{end - 1}/{len(DATA)}"
    assert response.headers["content-length"] == str(end - start)


@pytest.mark.parametrize("header", ["bytes=1024000-", "bytes=5000000-5000010", "bytes=-0"])
async def test_unsatisfiable_range_416(http: httpx.AsyncClient, header: str) -> None:
    response = await http.get(url_for(), headers={"Range": header})
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{len(DATA)}"
    assert response.json() == {"detail": "requested range not satisfiable",
                               "code": "requested_range_not_satisfiable", "params": {}}


@pytest.mark.parametrize(
    "header", [b"bytes=0-1,5-9", b"items=0-5", b"bytes=9-3", "bytes=²-5".encode("latin-1")]
)
async def test_unsupported_or_invalid_range_is_ignored(
    http: httpx.AsyncClient, header: bytes
) -> None:
    response = await http.get(url_for(), headers={"Range": header})
    assert response.status_code == 200
    assert response.content == DATA


async def test_if_range_mismatch_serves_whole_object(http: httpx.AsyncClient) -> None:
    url = url_for()
    etag = (await http.head(url)).headers["etag"]
    matching = await http.get(url, headers={"Range": "bytes=0-3", "If-Range": etag})
    assert matching.status_code == 206 and matching.content == DATA[:4]
    stale = await http.get(url, headers={"Range": "bytes=0-3", "If-Range": '"old"'})
    assert stale.status_code == 200 and stale.content == DATA


async def test_if_none_match_304(http: httpx.AsyncClient) -> None:
    url = url_for()
    etag = (await http.get(url)).headers["etag"]
    response = await http.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


async def test_head(http: httpx.AsyncClient) -> None:
    url = url_for()
    response = await http.head(url)
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len(DATA))
    ranged = await http.head(url, headers={"Range": "bytes=10-19"})
    assert ranged.status_code == 206
    assert ranged.headers["content-length"] == "10"


async def test_bad_token_403(http: httpx.AsyncClient) -> None:
    token = token_for("media/blob.bin")
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for bad in (tampered, "garbage", "a.b"):
        response = await http.get(f"/api/files/{bad}")
        assert response.status_code == 403
        assert response.json() == {"detail": "download link is invalid",
                                   "code": "download.link_invalid", "params": {}}


async def test_expired_token_403(http: httpx.AsyncClient) -> None:
    response = await http.get(url_for(seconds=-1))
    assert response.status_code == 403
    assert response.json() == {"detail": "download link has expired",
                               "code": "download.link_invalid", "params": {}}


async def test_token_signed_with_other_secret_403(http: httpx.AsyncClient) -> None:
    expires_at = datetime.now(UTC) + timedelta(minutes=5)
    token = make_download_token("media/blob.bin", expires_at, "other-secret" * 4)
    assert (await http.get(f"/api/files/{token}")).status_code == 403


async def test_missing_object_404(http: httpx.AsyncClient) -> None:
    response = await http.get(url_for("media/nothing-here.bin"))
    assert response.status_code == 404
    assert response.json() == {"detail": "file not found", "code": "download.file_missing",
                               "params": {}}


async def test_empty_object(http: httpx.AsyncClient, backend: Backend) -> None:
    await backend.store.put_stream("media/empty", chunks(b""))
    url = url_for("media/empty")
    response = await http.get(url)
    assert response.status_code == 200
    assert response.content == b"" and response.headers["content-length"] == "0"
    assert (await http.get(url, headers={"Range": "bytes=0-"})).status_code == 416
