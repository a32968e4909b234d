"""Streaming multipart uploads into local disk and S3: success, refusals, nothing left behind."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request
from PIL import Image

from mediahub.core.errors import install_error_handlers
from mediahub.media.sniff import IMAGE_FORMATS
from mediahub.media.upload import receive_upload, sanitize_filename
from tests.integration.storage_fixtures import Backend

KEY = "media/originals/test-object"
LIMIT = 2 * 1024 * 1024


def _jpeg(size: tuple[int, int] = (640, 480)) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


def _app(backend: Backend) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/upload")
    async def upload(request: Request) -> dict:
        received = await receive_upload(request, backend.store, KEY, accept=IMAGE_FORMATS,
                                        max_bytes=LIMIT)
        return {"sha256": received.file.stored.sha256, "size": received.file.stored.size,
                "mime": received.file.format.mime, "filename": received.file.filename,
                "fields": received.fields}

    return app


@pytest.fixture
async def http(backend: Backend) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app(backend))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


async def test_image_is_streamed_with_fields_around_it(
    backend: Backend, http: httpx.AsyncClient
) -> None:
    data = _jpeg()
    response = await http.post(
        "/upload",
        data={"description": "Закат над рекой", "tags": "sunset,river"},
        files={"file": ("../../etc/pass\u202ewd.png", data, "application/x-sh")},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest() and body["size"] == len(data)
    assert body["mime"] == "image/jpeg"  # from the bytes, not the name or content type
    assert body["filename"] == "passwd.png"
    assert body["fields"] == {"description": "Закат над рекой", "tags": "sunset,river"}
    stored = b"".join([c async for c in await backend.store.open_stream(KEY)])
    assert stored == data


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        (b"<script>alert(1)</script>", 415, "unsupported file type"),
        (b"", 400, "empty"),
        (b"GIF89", 415, "unsupported"),  # too short to be a GIF
    ],
)
async def test_refused_content_leaves_nothing(
    backend: Backend, http: httpx.AsyncClient, payload: bytes, status: int, message: str
) -> None:
    response = await http.post("/upload", files={"file": ("photo.jpg", payload, "image/jpeg")})
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert backend.leftovers() == []


async def test_declared_oversize_is_refused_before_reading(
    backend: Backend, http: httpx.AsyncClient
) -> None:
    big = os.urandom(LIMIT + 2 * 1024 * 1024)
    response = await http.post("/upload", files={"file": ("big.jpg", b"\xff\xd8\xff" + big)})
    assert response.status_code == 413
    assert backend.leftovers() == []


async def test_streamed_oversize_is_cut_off_and_cleaned_up(
    backend: Backend, http: httpx.AsyncClient
) -> None:
    boundary = "mediahubboundary"

    async def body() -> AsyncIterator[bytes]:  # chunked: no Content-Length to check first
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
               f"filename=\"x.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode()
        yield _jpeg((64, 64))[:200]
        for _ in range(LIMIT // 65536 + 8):
            yield os.urandom(65536)
        yield f"\r\n--{boundary}--\r\n".encode()

    content_type = f"multipart/form-data; boundary={boundary}"
    response = await http.post("/upload", content=body(), headers={"Content-Type": content_type})
    assert response.status_code == 413
    assert backend.leftovers() == []


@pytest.mark.parametrize(
    ("files", "data", "fragment"),
    [
        ([("file", ("a.jpg", b"x")), ("file", ("b.jpg", b"y"))], None, ""),
        ([("photo", ("a.jpg", _jpeg((16, 16))))], None, "unexpected file field"),
        ([("description", (None, "a form without a file part"))], None, "no file"),
    ],
)
async def test_malformed_forms_are_refused(
    backend: Backend, http: httpx.AsyncClient, files, data, fragment: str
) -> None:
    if files and files[0][1][1] == b"x":  # two valid images, to get past sniffing
        files = [("file", ("a.jpg", _jpeg((16, 16)))), ("file", ("b.jpg", _jpeg((16, 16))))]
        fragment = "one file"
    response = await http.post("/upload", files=files, data=data)
    assert response.status_code == 400, response.text
    assert fragment in response.json()["detail"]
    assert backend.leftovers() == []


async def test_not_multipart_is_415(http: httpx.AsyncClient) -> None:
    response = await http.post("/upload", content=_jpeg(), headers={"Content-Type": "image/jpeg"})
    assert response.status_code == 415


async def test_client_disconnect_mid_upload_leaves_nothing(backend: Backend) -> None:
    """Drive the ASGI app by hand: the client vanishes after part of the file."""
    app = _app(backend)
    boundary = b"cutboundary"
    head = (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"file\"; "
            b"filename=\"a.jpg\"\r\n\r\n")
    chunks = [head + _jpeg((800, 600)), os.urandom(256 * 1024)]
    messages = [{"type": "http.request", "body": c, "more_body": True} for c in chunks]
    messages.append({"type": "http.disconnect"})
    sent: list[dict] = []

    async def receive() -> dict:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/upload", "raw_path": b"/upload",
             "query_string": b"", "headers": [(b"content-type",
                                                b"multipart/form-data; boundary=" + boundary)],
             "http_version": "1.1", "scheme": "http", "server": ("t", 80), "client": ("c", 1),
             "root_path": "", "app": app}
    await app(scope, receive, send)
    assert sent[0]["status"] == 400
    assert backend.leftovers() == []


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("photo.jpg", "photo.jpg"),
        ("C:\\Users\\me\\IMG 001.HEIC", "IMG 001.HEIC"),
        ("../../../etc/passwd", "passwd"),
        ("a\u202egnp.exe", "agnp.exe"),
        ("   ", None),
        ("..", None),
        ("x" * 400 + ".jpg", "x" * 255),
        (None, None),
    ],
)
def test_sanitize_filename(raw: str | None, clean: str | None) -> None:
    assert sanitize_filename(raw) == clean
