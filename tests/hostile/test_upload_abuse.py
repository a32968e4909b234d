"""Multipart bodies built to cost us: many parts, and a body trickled below a minimum rate.

Found by an attack: 10,000 parts sharing one name were accepted (the field limit counted
distinct names; 1M parts cost 7.6 s of API CPU), and an upload sending one byte every 20 s
stayed open (each read beat the 30 s idle timeout; only the 1-hour total deadline ended it).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.hostile.test_limits import _exchange, _post_head, _status
from tests.support.accounts import user
from tests.support.live_api import LiveApi, live_api_in, register
from tests.support.photos import jpeg

RATE_WINDOW_S = 2.0
MIN_BYTES_PER_WINDOW = 4096
IDLE_TIMEOUT_S = 1.0
BOUNDARY = "partsboundary"
MULTIPART = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def _form(parts: int, name: str = "tags") -> bytes:
    field = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\nx\r\n"
             ).encode()
    file = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\""
            f"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + jpeg() + b"\r\n"
    return field * parts + file + f"--{BOUNDARY}--\r\n".encode()


@pytest.mark.parametrize("parts", [100, 10_000])
async def test_many_parts_with_one_name_are_refused(client: httpx.AsyncClient,
                                                    parts: int) -> None:
    auth = await user(client, f"parts{parts}")
    response = await client.post(
        "/api/photos", headers={**auth, **MULTIPART},
        content=_form(parts))
    assert response.status_code == 400, response.text
    assert "too many form parts" in response.json()["detail"]
    assert (await client.get("/api/photos/mine", headers=auth)).json()["items"] == []


async def test_a_few_parts_still_upload(client: httpx.AsyncClient) -> None:
    auth = await user(client, "fewparts")
    response = await client.post(
        "/api/photos", headers={**auth, **MULTIPART},
        content=_form(5, name="description"))
    assert response.status_code == 201, response.text


@pytest.fixture(scope="module")
def rate_api(database_url: str, redis_url: str,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """A live API whose total body deadline is far away: only the rate can end a trickle."""
    extra = {"BODY_READ_IDLE_TIMEOUT_SECONDS": str(IDLE_TIMEOUT_S),
             "BODY_READ_TIMEOUT_SECONDS": "120",
             "BODY_RATE_WINDOW_SECONDS": str(RATE_WINDOW_S),
             "BODY_MIN_BYTES_PER_WINDOW": str(MIN_BYTES_PER_WINDOW)}
    with live_api_in(tmp_path_factory.mktemp("rate-api"), database_url, redis_url,
                     extra) as api:
        yield api


def _upload_head(api: LiveApi, auth: dict[str, str], extra: int) -> tuple[bytes, bytes]:
    part = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\""
            f"\r\nContent-Type: image/jpeg\r\n\r\n").encode() + jpeg()
    head = _post_head("/api/photos", len(part) + extra,
                      f"multipart/form-data; boundary={BOUNDARY}", auth)
    return head, part


@pytest.mark.slow
def test_a_trickle_below_the_minimum_rate_is_408(rate_api: LiveApi) -> None:
    auth = register(rate_api.base_url, "trickle")
    head, part = _upload_head(rate_api, auth, 10_000)
    trickle = [b"\0"] * 60  # a byte every half idle timeout: never idle, 2 B/s
    response, elapsed = _exchange(rate_api, [head, part, *trickle], pause=IDLE_TIMEOUT_S / 2,
                                  wait=60)
    assert _status(response) == 408 and b"request_timeout" in response
    assert elapsed <= RATE_WINDOW_S + IDLE_TIMEOUT_S + 3
    assert not [p for p in rate_api.storage.rglob("*") if p.is_file()]


@pytest.mark.slow
def test_a_slow_but_steady_upload_passes(rate_api: LiveApi) -> None:
    """Above the minimum rate for several windows: the upload completes (201)."""
    auth = {**register(rate_api.base_url, "steady"), "Connection": "close"}
    padding = 3 * int(RATE_WINDOW_S / 0.25) * 1024  # 1 KiB every 0.25 s = 8 KiB per window
    head, part = _upload_head(rate_api, auth, padding + len(f"\r\n--{BOUNDARY}--\r\n"))
    chunks = [b"\0" * 1024] * (padding // 1024) + [f"\r\n--{BOUNDARY}--\r\n".encode()]
    started = time.monotonic()
    response, _ = _exchange(rate_api, [head, part, *chunks], pause=0.25, wait=60)
    assert time.monotonic() - started >= 2 * RATE_WINDOW_S
    assert _status(response) == 201, response[:300]
