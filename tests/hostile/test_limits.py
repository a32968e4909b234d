"""Oversized and slow requests against a real `mediahub api` (uvicorn + httptools) process.

Expected: 413 / 431 / 408 / 400 and a closed connection, never a 500, never a connection
held open indefinitely, and the server answers normally right afterwards.
"""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from tests.hostile.conftest import IDLE_TIMEOUT_S, MAX_PHOTO_BYTES, TOTAL_TIMEOUT_S
from tests.support.live_api import LiveApi, register
from tests.support.photos import jpeg

pytestmark = pytest.mark.slow

HEAD_TIMEOUT_S = 2.0  # HEADER_READ_TIMEOUT_SECONDS of the hostile live API


def _exchange(api: LiveApi, chunks: list[bytes], *, pause: float = 0.0,
              wait: float = 15.0) -> tuple[bytes, float]:
    """Send raw bytes (pausing between chunks); return what the server answered and when."""
    with socket.create_connection(("127.0.0.1", api.port)) as sock:
        sock.settimeout(wait)
        started = time.monotonic()
        try:
            for chunk in chunks:
                sock.sendall(chunk)
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server gave up on us first: read what it said
        received = b""
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break  # closed by the server
                received += data
        except TimeoutError:
            raise AssertionError(
                f"connection still open after {wait}s: {received[:200]!r}") from None
        except ConnectionResetError:
            pass
        return received, time.monotonic() - started


def _status(response: bytes) -> int:
    assert response.startswith(b"HTTP/1.1 "), response[:200]
    return int(response[9:12])


def _healthy(api: LiveApi) -> None:
    assert httpx.get(f"{api.base_url}/api/health", timeout=5).status_code == 200


def test_one_huge_header_is_431(live_api: LiveApi) -> None:
    head = b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n"
    response, _ = _exchange(live_api, [head])
    assert _status(response) == 431
    _healthy(live_api)


def test_many_headers_are_431(live_api: LiveApi) -> None:
    headers = b"".join(b"X-%d: v\r\n" % i for i in range(20_000))
    head = b"GET /api/health HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n"
    response, _ = _exchange(live_api, [head])
    assert _status(response) == 431
    _healthy(live_api)


def test_huge_request_line_is_431(live_api: LiveApi) -> None:
    response, _ = _exchange(live_api, [b"GET /api/health?" + b"q" * 100_000 + b" HTTP/1.1\r\n"])
    assert _status(response) == 431


def test_normal_sized_headers_still_pass(live_api: LiveApi) -> None:
    response = httpx.get(f"{live_api.base_url}/api/health", headers={"X-Pad": "p" * 8000})
    assert response.status_code == 200


def test_slow_request_head_is_408_and_closed(live_api: LiveApi) -> None:
    response, elapsed = _exchange(live_api, [b"GET /api/health HTTP/1.1\r\n", b"Host: x\r\n"],
                                  pause=0.2)
    assert _status(response) == 408
    assert HEAD_TIMEOUT_S - 0.5 <= elapsed <= HEAD_TIMEOUT_S + 3


def test_idle_connection_that_sends_nothing_is_closed(live_api: LiveApi) -> None:
    response, elapsed = _exchange(live_api, [])
    assert HEAD_TIMEOUT_S - 0.5 <= elapsed <= HEAD_TIMEOUT_S + 3
    assert response == b""  # closed silently: nothing was asked


def test_trickled_head_is_bounded_too(live_api: LiveApi) -> None:
    """One byte at a time resets nothing: the deadline counts from the start of the head."""
    head = b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"s" * 200
    response, elapsed = _exchange(live_api, [bytes([b]) for b in head], pause=0.05)
    assert _status(response) == 408
    assert elapsed <= HEAD_TIMEOUT_S + 3


def _post_head(path: str, length: int, content_type: str, auth: dict[str, str] | None = None,
               chunked: bool = False) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: x", f"Content-Type: {content_type}"]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}")
    lines += [f"{k}: {v}" for k, v in (auth or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_json_body_announced_too_large_is_413_without_reading_it(live_api: LiveApi) -> None:
    head = _post_head("/api/auth/login", 50 * 1024**2, "application/json")
    response, elapsed = _exchange(live_api, [head])
    assert _status(response) == 413 and b"request.too_large" in response
    assert elapsed < 5


def test_chunked_json_body_growing_too_large_is_413(live_api: LiveApi) -> None:
    chunk = b"a" * 65536
    frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    head = _post_head("/api/auth/login", 0, "application/json", chunked=True)
    response, _ = _exchange(live_api, [head] + [frame] * 40)  # 2.5 MiB > 1 MiB
    assert _status(response) == 413
    _healthy(live_api)


def _assert_nothing_stored(live_api: LiveApi, auth: dict[str, str]) -> None:
    """No photo row for the user and no file in the object store."""
    mine = httpx.get(f"{live_api.base_url}/api/photos/mine", headers=auth).json()
    assert mine["items"] == []
    assert not [p for p in live_api.storage.rglob("*") if p.is_file()]


def test_photo_over_the_limit_is_413_and_nothing_is_stored(live_api: LiveApi) -> None:
    auth = register(live_api.base_url, "bigphoto")
    big = jpeg() + b"\0" * (MAX_PHOTO_BYTES + 1024)
    response = httpx.post(f"{live_api.base_url}/api/photos", headers=auth,
                          files={"file": ("big.jpg", big, "image/jpeg")}, timeout=30)
    assert response.status_code == 413, response.text
    assert "upload is larger" in response.json()["detail"]  # the upload's limit, streamed
    _assert_nothing_stored(live_api, auth)


def test_stalled_upload_body_is_408_and_nothing_is_stored(live_api: LiveApi) -> None:
    auth = register(live_api.base_url, "slowloris")
    boundary = "slowlorisboundary"
    part = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\""
            f"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + jpeg()
    head = _post_head("/api/photos", len(part) + 100_000,
                      f"multipart/form-data; boundary={boundary}", auth)
    response, elapsed = _exchange(live_api, [head, part])  # then silence
    assert _status(response) == 408 and b"request_timeout" in response
    assert IDLE_TIMEOUT_S <= elapsed <= IDLE_TIMEOUT_S + 3
    _assert_nothing_stored(live_api, auth)


def test_trickled_upload_body_is_408_at_the_total_deadline(live_api: LiveApi) -> None:
    """A byte every half second never trips the idle timeout; the total deadline ends it."""
    auth = register(live_api.base_url, "trickler")
    boundary = "tricklerboundary"
    part = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\""
            f"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + jpeg()
    head = _post_head("/api/photos", len(part) + 10_000,
                      f"multipart/form-data; boundary={boundary}", auth)
    trickle = [part[i:i + 1] for i in range(len(part))][:40]
    response, elapsed = _exchange(live_api, [head, *trickle], pause=IDLE_TIMEOUT_S / 2,
                                  wait=TOTAL_TIMEOUT_S + 30)
    assert _status(response) == 408
    assert elapsed <= TOTAL_TIMEOUT_S + IDLE_TIMEOUT_S + 3


def test_stalled_json_body_is_408(live_api: LiveApi) -> None:
    head = _post_head("/api/auth/login", 200, "application/json")
    response, elapsed = _exchange(live_api, [head, b'{"username": "a'])
    assert _status(response) == 408
    assert elapsed <= IDLE_TIMEOUT_S + 3
    _healthy(live_api)


async def test_uploads_larger_than_the_json_limit_still_stream(client: httpx.AsyncClient) -> None:
    """Only non-upload bodies are capped at MAX_JSON_BODY_BYTES (regression: the upload
    routes were once not recognised and a 3 MB photo was refused as 413)."""
    from tests.support.accounts import user

    auth = await user(client, "bigbutfine")
    big = jpeg() + b"\0" * (3 * 1024 * 1024)
    response = await client.post("/api/photos", headers=auth,
                                 files={"file": ("big.jpg", big, "image/jpeg")})
    assert response.status_code == 201, response.text
    too_big_json = await client.post("/api/auth/login", headers=auth,
                                     content=b'{"username": "' + b"a" * (2 * 1024 * 1024) + b'"}',
                                     )
    assert too_big_json.status_code == 413
