"""ObjectStore against real backends: a temp directory and moto's S3 server over HTTP."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import botocore.auth
import httpx
import pytest

from mediahub.core.storage import (
    InvalidObjectKey,
    LocalObjectStore,
    ObjectNotFound,
    ObjectTooLarge,
    RangeNotSatisfiable,
    S3ObjectStore,
    StorageError,
    StorageUnavailable,
    build_object_store,
    validate_key,
)
from mediahub.core.storage.signing import presign_s3_get
from tests.integration.storage_fixtures import (  # noqa: F401  (fixtures, requested by name)
    S3_ACCESS_KEY,
    S3_PREFIX,
    S3_REGION,
    S3_SECRET_KEY,
    Backend,
    backend_fixture,
    make_settings,
    moto_endpoint_fixture,
    s3_client_fixture,
)

MiB = 1024 * 1024
REPO_ROOT = Path(__file__).resolve().parents[2]


async def chunks_of(data: bytes, size: int = 256 * 1024) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


async def read_all(stream: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in stream])


def pattern(size: int) -> bytes:
    """Deterministic bytes where every offset is distinguishable (for range checks)."""
    block = b"".join(i.to_bytes(4, "big") for i in range(size // 4 + 1))
    return block[:size]


# --------------------------------------------------------------------------- round trips


async def test_round_trip_of_multi_chunk_stream(backend: Backend) -> None:
    expected = hashlib.sha256()
    total = 0

    async def generate() -> AsyncIterator[bytes]:
        nonlocal total
        for _ in range(20):  # 20 MiB in 1 MiB chunks: four 5 MiB multipart parts
            chunk = os.urandom(MiB)
            expected.update(chunk)
            total += len(chunk)
            yield chunk

    stored = await backend.store.put_stream("videos/clip.mp4", generate(), content_type="video/mp4")

    assert stored.size == total == 20 * MiB
    assert stored.sha256 == expected.hexdigest()
    info = await backend.store.head("videos/clip.mp4")
    assert info is not None and info.size == total
    assert info.etag and info.last_modified.tzinfo is not None
    if backend.kind == "s3":
        assert info.content_type == "video/mp4"

    stream = await backend.store.open_stream("videos/clip.mp4")
    assert (stream.start, stream.end, stream.info.size) == (0, total, total)
    read_back = hashlib.sha256()
    async for chunk in stream:
        read_back.update(chunk)
    assert read_back.hexdigest() == expected.hexdigest()


async def test_empty_object(backend: Backend) -> None:
    stored = await backend.store.put_stream("empty.txt", chunks_of(b""))
    assert stored.size == 0
    assert stored.sha256 == hashlib.sha256(b"").hexdigest()
    assert await read_all(await backend.store.open_stream("empty.txt")) == b""


async def test_overwrite_replaces_content(backend: Backend) -> None:
    await backend.store.put_stream("a/b.txt", chunks_of(b"first version"))
    await backend.store.put_stream("a/b.txt", chunks_of(b"second"))
    assert await read_all(await backend.store.open_stream("a/b.txt")) == b"second"


async def test_ranged_reads(backend: Backend) -> None:
    data = pattern(3 * MiB + 17)
    await backend.store.put_stream("r.bin", chunks_of(data))
    size = len(data)

    for start, end in [(0, 1), (100, 200), (MiB - 3, 2 * MiB + 5), (size - 10, size)]:
        stream = await backend.store.open_stream("r.bin", start=start, end=end)
        assert (stream.start, stream.end, stream.length) == (start, end, end - start)
        assert await read_all(stream) == data[start:end]

    tail = await backend.store.open_stream("r.bin", start=size - 5)
    assert await read_all(tail) == data[-5:]
    head = await backend.store.open_stream("r.bin", end=10)
    assert await read_all(head) == data[:10]
    # An end past the object is clamped, like HTTP ranges.
    clamped = await backend.store.open_stream("r.bin", start=size - 3, end=size + 100)
    assert clamped.end == size and await read_all(clamped) == data[-3:]

    for start, end in [(size, None), (size + 10, size + 20), (5, 5), (9, 3), (-1, None)]:
        with pytest.raises(RangeNotSatisfiable):
            await backend.store.open_stream("r.bin", start=start, end=end)


async def test_head_exists_delete(backend: Backend) -> None:
    store = backend.store
    assert await store.head("x/y.jpg") is None
    assert not await store.exists("x/y.jpg")
    with pytest.raises(ObjectNotFound):
        await store.open_stream("x/y.jpg")

    await store.put_stream("x/y.jpg", chunks_of(b"jpeg bytes"), content_type="image/jpeg")
    info = await store.head("x/y.jpg")
    assert info is not None
    assert (info.key, info.size) == ("x/y.jpg", 10)
    assert await store.exists("x/y.jpg")

    await store.delete("x/y.jpg")
    assert not await store.exists("x/y.jpg")
    await store.delete("x/y.jpg")  # idempotent
    await store.delete("never/existed")
    assert backend.leftovers() == []


# --------------------------------------------------------------------------- nothing left behind


async def test_max_bytes_exceeded_leaves_nothing(backend: Backend) -> None:
    data = os.urandom(12 * MiB)  # > 2 multipart parts reach the backend before the limit hits
    with pytest.raises(ObjectTooLarge) as excinfo:
        await backend.store.put_stream("big.bin", chunks_of(data, MiB), max_bytes=11 * MiB)
    assert excinfo.value.max_bytes == 11 * MiB
    assert not await backend.store.exists("big.bin")
    assert backend.leftovers() == []


async def test_max_bytes_exactly_reached_is_accepted(backend: Backend) -> None:
    stored = await backend.store.put_stream("fit.bin", chunks_of(b"x" * 1000), max_bytes=1000)
    assert stored.size == 1000


async def test_source_error_mid_stream_leaves_nothing(backend: Backend) -> None:
    class SourceBroke(Exception):
        pass

    async def failing() -> AsyncIterator[bytes]:
        for _ in range(8):
            yield os.urandom(MiB)
        raise SourceBroke("client went away")

    with pytest.raises(SourceBroke, match="client went away"):
        await backend.store.put_stream("broken.bin", failing())
    assert not await backend.store.exists("broken.bin")
    assert backend.leftovers() == []


async def test_failed_overwrite_keeps_previous_object(backend: Backend) -> None:
    await backend.store.put_stream("keep.txt", chunks_of(b"original"))
    with pytest.raises(ObjectTooLarge):
        await backend.store.put_stream("keep.txt", chunks_of(b"y" * 100, 10), max_bytes=50)
    assert await read_all(await backend.store.open_stream("keep.txt")) == b"original"
    expected = ["keep.txt"] if backend.kind == "local" else [f"{S3_PREFIX}/keep.txt"]
    assert backend.leftovers() == expected


async def test_cancelled_upload_leaves_nothing(backend: Backend) -> None:
    sent = 0
    stalled = asyncio.Event()

    async def slow_client() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(7):  # one full part plus some: the multipart upload is under way
            sent += 1
            yield os.urandom(MiB)
        stalled.set()
        await asyncio.sleep(3600)  # the client stops sending
        yield b"never"

    task = asyncio.create_task(backend.store.put_stream("cancelled.bin", slow_client()))
    await asyncio.wait_for(stalled.wait(), 30)
    await asyncio.sleep(0.5)  # let the first part reach the backend
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sent == 7
    assert not await backend.store.exists("cancelled.bin")
    assert backend.leftovers() == []


async def test_local_key_colliding_with_directory_leaves_nothing(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "objects")
    await store.put_stream("album/photo.jpg", chunks_of(b"jpeg"))
    with pytest.raises(StorageError, match="directory"):
        await store.put_stream("album", chunks_of(b"x" * 100))
    files = [p.relative_to(store.root).as_posix() for p in store.root.rglob("*") if p.is_file()]
    assert files == ["album/photo.jpg"]


_KILLED_WRITER = textwrap.dedent("""
    import asyncio, sys
    from mediahub.core.storage import LocalObjectStore

    async def slow():
        yield b"x" * 65536
        print("writing", flush=True)
        await asyncio.sleep(60)  # killed here, mid-upload
        yield b"never"

    asyncio.run(LocalObjectStore(sys.argv[1]).put_stream("photos/p/preview.webp", slow()))
""")


async def test_sweep_removes_partial_uploads_of_a_killed_writer(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "objects")
    await store.put_stream("photos/p/original", chunks_of(b"kept"))
    writer = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(store.root)],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
    writer.kill()  # SIGKILL: no cleanup
    writer.wait(10)
    staging = [p.name for p in (store.root / "photos/p").iterdir() if "#" in p.name]
    assert len(staging) == 1 and staging[0].startswith("preview.webp#")

    assert await store.sweep_abandoned_uploads(older_than=timedelta(hours=1)) == 0  # too fresh
    assert await store.sweep_abandoned_uploads(older_than=timedelta(0)) == 1
    files = [p.relative_to(store.root).as_posix() for p in store.root.rglob("*") if p.is_file()]
    assert files == ["photos/p/original"]
    assert await read_all(await store.open_stream("photos/p/original")) == b"kept"


# --------------------------------------------------------------------------- keys

BAD_KEYS = [
    "",
    "/etc/passwd",
    "../secret",
    "a/../../b",
    "a/./b",
    "a//b",
    "a/",
    "a\\b",
    "a\x00b",
    "a\nb",
    "a\x7fb",
    "tab\there",
    "upload#1",
    "x" * 1025,
]


@pytest.mark.parametrize("key", BAD_KEYS)
async def test_invalid_keys_rejected(backend: Backend, key: str) -> None:
    store = backend.store
    with pytest.raises(InvalidObjectKey):
        await store.put_stream(key, chunks_of(b"data"))
    with pytest.raises(InvalidObjectKey):
        await store.open_stream(key)
    with pytest.raises(InvalidObjectKey):
        await store.head(key)
    with pytest.raises(InvalidObjectKey):
        await store.delete(key)
    with pytest.raises(InvalidObjectKey):
        await store.signed_url(key, expires_in=timedelta(minutes=1))
    assert backend.leftovers() == []


@pytest.mark.parametrize(
    "key", ["a", "photos/2024/07/abc.jpg", "with space/ünïcode.png", "dots.in.name", "a..b/c"]
)
async def test_valid_keys_round_trip(backend: Backend, key: str) -> None:
    assert validate_key(key) == key
    await backend.store.put_stream(key, chunks_of(b"ok"))
    assert await read_all(await backend.store.open_stream(key)) == b"ok"


# --------------------------------------------------------------------------- readiness


async def test_check_passes(backend: Backend) -> None:
    await backend.store.check()


async def test_check_fails_for_missing_bucket(moto_endpoint: str) -> None:
    store = build_object_store(make_settings("s3://no-such-bucket", s3_endpoint=moto_endpoint))
    with pytest.raises(StorageUnavailable, match="no-such-bucket"):
        await store.check()


async def test_check_fails_for_unreachable_endpoint() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = build_object_store(make_settings("s3://bucket", s3_endpoint=f"http://127.0.0.1:{port}"))
    started = asyncio.get_running_loop().time()
    with pytest.raises(StorageUnavailable, match=f"127.0.0.1:{port}"):
        await store.check()
    assert asyncio.get_running_loop().time() - started < 5  # the probe does not retry


async def test_check_fails_for_missing_local_directory(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "gone")
    (tmp_path / "gone").rmdir()
    with pytest.raises(StorageUnavailable, match="does not exist"):
        await store.check()


# --------------------------------------------------------------------------- signed URLs


async def test_signed_url(backend: Backend) -> None:
    data = os.urandom(300_000)
    await backend.store.put_stream(
        "docs/report.pdf", chunks_of(data), content_type="application/pdf"
    )
    url = await backend.store.signed_url("docs/report.pdf", expires_in=timedelta(minutes=5))
    if backend.kind == "local":
        assert url is None  # callers use make_download_token + /api/files/{token}
        return
    assert url is not None
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
        assert response.status_code == 200
        assert response.content == data
        assert response.headers["content-type"] == "application/pdf"

        named = await backend.store.signed_url(
            "docs/report.pdf", expires_in=timedelta(minutes=5), filename="Отчёт 2024.pdf"
        )
        assert named is not None
        response = await client.get(named)
        assert response.status_code == 200
        assert response.content == data
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%202024.pdf" in disposition
    # moto does not verify presigned signatures or expiry (an expired URL still returns 200),
    # so the signature itself is checked against botocore below.


def test_filename_presign_matches_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our SigV4 query signing is byte-for-byte what botocore produces for the same request."""
    import boto3
    from botocore.config import Config

    now = datetime(2026, 3, 1, 12, 34, 56, tzinfo=UTC)
    naive_now = now.replace(tzinfo=None)  # botocore's clock is naive UTC
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda *a, **k: naive_now)
    endpoint = "http://127.0.0.1:9000"
    key = f"{S3_PREFIX}/with space/ünïcode (1).jpg"
    disposition = "attachment; filename=\"a b.jpg\"; filename*=UTF-8''a%20b.jpg"

    ours = presign_s3_get(
        endpoint=endpoint,
        bucket="photos",
        key=key,
        region=S3_REGION,
        access_key_id=S3_ACCESS_KEY,
        secret_access_key=S3_SECRET_KEY,
        expires_in=timedelta(seconds=900),
        extra_params={"response-content-disposition": disposition},
        now=now,
    )
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    theirs = client.generate_presigned_url(
        "get_object",
        Params={"Bucket": "photos", "Key": key, "ResponseContentDisposition": disposition},
        ExpiresIn=900,
    )
    ours_url, theirs_url = urlsplit(ours), urlsplit(theirs)
    assert (ours_url.netloc, ours_url.path) == (theirs_url.netloc, theirs_url.path)
    assert parse_qs(ours_url.query) == parse_qs(theirs_url.query)


async def test_signed_url_rejects_bad_lifetimes(moto_endpoint: str) -> None:
    store = S3ObjectStore("b", endpoint=moto_endpoint, access_key_id="k", secret_access_key="s")
    for bad in (timedelta(0), timedelta(days=8)):
        with pytest.raises(ValueError, match="expires_in"):
            await store.signed_url("k", expires_in=bad)


# --------------------------------------------------------------------------- factory


def test_factory_parses_urls(tmp_path: Path) -> None:
    local = build_object_store(make_settings((tmp_path / "a b" / "c").as_uri()))
    assert isinstance(local, LocalObjectStore) and local.root == tmp_path / "a b" / "c"
    assert local.root.is_dir()

    s3 = build_object_store(make_settings("s3://bkt/some/prefix/", s3_endpoint="http://minio:9000"))
    assert isinstance(s3, S3ObjectStore)
    assert (s3.bucket, s3.prefix, s3.endpoint) == ("bkt", "some/prefix", "http://minio:9000")

    aws = build_object_store(make_settings("s3://bkt"))
    assert isinstance(aws, S3ObjectStore)
    assert (aws.prefix, aws.endpoint) == (None, "https://s3.us-east-1.amazonaws.com")


# --------------------------------------------------------------------------- memory

MEMORY_PROBE = textwrap.dedent(
    """
    import asyncio, hashlib, json, os, sys, threading, time
    import psutil
    from mediahub.core.storage import build_object_store
    from tests.integration.storage_fixtures import make_settings

    args = json.loads(sys.argv[1])
    store = build_object_store(make_settings(args["url"], s3_endpoint=args["endpoint"]))
    process = psutil.Process()
    CHUNKS, CHUNK = args["chunks"], 1024 * 1024
    block = os.urandom(CHUNK)
    expected = hashlib.sha256()
    peak = 0
    running = True

    def sample():
        global peak
        while running:
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.002)

    async def generate():
        for i in range(CHUNKS):
            chunk = i.to_bytes(8, "big") + block[8:]  # fresh bytes every time
            expected.update(chunk)
            yield chunk

    async def one_chunk():
        yield b"warm-up"

    async def main():
        global running, peak
        await store.put_stream("warmup", one_chunk())  # runtime, pools, imports
        baseline = process.memory_info().rss
        peak = baseline
        sampler = threading.Thread(target=sample)
        sampler.start()
        stored = await store.put_stream("big.bin", generate(), max_bytes=CHUNKS * CHUNK)
        running = False
        sampler.join()
        assert stored.size == CHUNKS * CHUNK and stored.sha256 == expected.hexdigest()
        print(json.dumps({"baseline": baseline, "peak": peak, "size": stored.size}))
        # obstore's tokio thread may still be returning from waking this loop; exiting at once
        # lets it hit CPython's finalizing GIL (pthread_exit in a Rust thread -> SIGABRT).
        await asyncio.sleep(0.1)

    asyncio.run(main())
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["local", "s3"])
def test_streaming_upload_memory_is_bounded(kind: str, tmp_path: Path, request) -> None:
    """A 200 MiB upload must not grow RSS by more than 64 MiB (measured in a fresh process)."""
    if kind == "local":
        args = {"url": (tmp_path / "objects").as_uri(), "endpoint": None}
    else:
        endpoint = request.getfixturevalue("moto_endpoint")
        bucket = "memory-probe"
        request.getfixturevalue("s3_client").create_bucket(Bucket=bucket)
        args = {"url": f"s3://{bucket}", "endpoint": endpoint}
    args["chunks"] = 200
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    growth_mib = (figures["peak"] - figures["baseline"]) / MiB
    print(f"\n{kind}: 200 MiB upload, RSS growth {growth_mib:.1f} MiB")
    assert figures["size"] == 200 * MiB
    assert growth_mib < 64, f"RSS grew by {growth_mib:.1f} MiB"
