"""Self-test of the MinIO stand-in, without Docker, through Mediahub's own storage layer.

    .venv/bin/python deploy/standins/minio/selftest.py

Starts server.py from a temporary directory on a free loopback port, then: put_stream of a
12 MB object (multipart), ranged reads, head, list, presigned links, an aborted upload,
delete; a restart on the same directory (the object survives); wrong secret / unknown key
-> 403; deploy/minio/init.sh run twice with the stand-in mc (idempotent), then the app key
works on its bucket and gets 403 on another; a signed aws-chunked upload; `mc ready`.
Exits non-zero on the first failure; prints the time of each step.
"""
# ruff: noqa: S310, ASYNC210 - a test: loopback URLs only, blocking calls are fine

from __future__ import annotations

import asyncio
import hashlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import obstore
from botocore.config import Config
from botocore.exceptions import ClientError

from mediahub.config import Settings
from mediahub.core.http_headers import content_disposition
from mediahub.core.storage import (
    RangeNotSatisfiable,
    StorageUnavailable,
    build_object_store,
)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
INIT_SH = REPO / "deploy" / "minio" / "init.sh"
sys.path.insert(0, str(HERE))
import sigv4  # noqa: E402

ROOT_USER, ROOT_PASSWORD = "standin-root", "standin-root-password"
# Not "mediahub-app": init.sh greps `mc admin user info` for the policy name, and that
# output also holds the key, so such a key would never get its policy attached.
APP_KEY, APP_SECRET = "mediahub", "app-secret-0123456789"
REGION = "us-east-1"
TIMINGS: list[tuple[str, float]] = []


@contextmanager
def step(name: str):
    started = time.monotonic()
    yield
    took = time.monotonic() - started
    TIMINGS.append((name, took))
    print(f"ok   {took:6.2f}s  {name}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    def __init__(self, data: Path, port: int, log: Path) -> None:
        self.data, self.port, self.log = data, port, log
        self.proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        started = time.monotonic()
        env = {**os.environ, "MINIO_ROOT_USER": ROOT_USER, "MINIO_ROOT_PASSWORD": ROOT_PASSWORD}
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, str(HERE / "server.py"), "server", str(self.data),
                 "--address", f"127.0.0.1:{self.port}", "--console-address", ":9001"],
                env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited early:\n{self.log.read_text()}")
            try:
                for probe in ("live", "ready"):
                    with urllib.request.urlopen(f"{self.endpoint}/minio/health/{probe}",
                                                timeout=1) as r:
                        assert r.status == 200
                return time.monotonic() - started
            except OSError:
                time.sleep(0.05)
        raise SystemExit("server did not become ready in 20 s")

    def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=15)
        self.proc = None
        return code


def settings(bucket: str, endpoint: str, key: str, secret: str, prefix: str = "") -> Settings:
    url = f"s3://{bucket}/{prefix}" if prefix else f"s3://{bucket}"
    return Settings(**{  # type: ignore[arg-type]
        "MEDIAHUB_MODE": "local",
        "DATABASE_URL": "postgresql://unused/unused",
        "REDIS_URL": "redis://unused",
        "STORAGE_URL": url,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": key,
        "S3_SECRET_ACCESS_KEY": secret,
        "JWT_SECRET": "x" * 32,
    })


def boto(endpoint: str, key: str, secret: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id=key, aws_secret_access_key=secret,
                        config=Config(signature_version="s3v4", retries={"max_attempts": 1}))


def expect_status(fn, status: int, code: str | None = None) -> None:
    try:
        fn()
    except ClientError as exc:
        got = exc.response["ResponseMetadata"]["HTTPStatusCode"]
        got_code = exc.response.get("Error", {}).get("Code")
        assert got == status, f"expected HTTP {status}, got {got} {got_code}"
        assert code is None or got_code == code, f"expected {code}, got {got_code}"
        return
    raise AssertionError(f"expected HTTP {status}, the call succeeded")


def http_get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def payload(size: int) -> bytes:
    block = hashlib.sha256(b"mediahub").digest() * 1024  # 32 KiB, not all one byte
    return (block * (size // len(block) + 1))[:size]


async def chunks_of(data: bytes, size: int = 256 * 1024, fail_after: int | None = None):
    for i in range(0, len(data), size):
        if fail_after is not None and i >= fail_after:
            raise RuntimeError("client went away")
        yield data[i:i + size]
        await asyncio.sleep(0)


async def storage_checks(server: ServerProcess, bucket: str, big: bytes) -> None:
    store = build_object_store(settings(bucket, server.endpoint, ROOT_USER, ROOT_PASSWORD,
                                        prefix="media"))
    s3 = boto(server.endpoint, ROOT_USER, ROOT_PASSWORD)
    with step("check() (list probe) on the empty bucket"):
        await store.check()

    with step(f"put_stream {len(big) // 2**20} MiB (multipart, 5 MiB parts)"):
        stored = await store.put_stream("videos/clip.mp4", chunks_of(big),
                                        content_type="video/mp4")
        assert stored.size == len(big) and stored.sha256 == hashlib.sha256(big).hexdigest()
        assert stored.etag and stored.etag.strip('"').endswith("-3"), stored.etag

    with step("head: size, etag, content type"):
        info = await store.head("videos/clip.mp4")
        assert info is not None and info.size == len(big)
        assert info.content_type == "video/mp4", info.content_type
        assert info.etag == stored.etag
        assert await store.head("videos/missing.mp4") is None
        h = s3.head_object(Bucket=bucket, Key="media/videos/clip.mp4")
        assert h["ContentType"] == "video/mp4" and h["ContentLength"] == len(big)

    with step("ranged reads (open_stream, open_reader, out of range)"):
        for start, end in ((0, 1), (100, 2000), (5 * 1024 * 1024 - 7, 5 * 1024 * 1024 + 9),
                           (len(big) - 10, None)):
            stream = await store.open_stream("videos/clip.mp4", start=start, end=end)
            got = b"".join([c async for c in stream])
            assert got == big[start:end], (start, end, len(got))
        stream = await store.open_stream("videos/clip.mp4")
        assert hashlib.sha256(b"".join([c async for c in stream])).digest() == \
            hashlib.sha256(big).digest()
        reader = store.open_reader("videos/clip.mp4", len(big))
        reader.seek(7_000_000)
        assert await asyncio.to_thread(reader.read, 4096) == big[7_000_000:7_004_096]
        reader.seek(-5, os.SEEK_END)
        assert await asyncio.to_thread(reader.read) == big[-5:]
        try:
            await store.open_stream("videos/clip.mp4", start=len(big) + 5)
        except RangeNotSatisfiable:
            pass
        else:
            raise AssertionError("a range past the end must raise RangeNotSatisfiable")

    with step("small objects, list with prefix / max-keys / delimiter"):
        for i in range(5):
            await store.put_stream(f"thumbs/{i:02d}.jpg", chunks_of(b"jpg%d" % i),
                                   content_type="image/jpeg")
        listed = [m["path"] async for batch in obstore.list(store._store, prefix="thumbs",
                                                             chunk_size=2) for m in batch]
        assert listed == [f"thumbs/{i:02d}.jpg" for i in range(5)], listed
        page = s3.list_objects_v2(Bucket=bucket, Prefix="media/thumbs/", MaxKeys=2)
        assert page["KeyCount"] == 2 and page["IsTruncated"]
        page2 = s3.list_objects_v2(Bucket=bucket, Prefix="media/thumbs/", MaxKeys=10,
                                   ContinuationToken=page["NextContinuationToken"])
        assert [o["Key"] for o in page2["Contents"]] == \
            [f"media/thumbs/{i:02d}.jpg" for i in range(2, 5)]
        top = s3.list_objects_v2(Bucket=bucket, Prefix="media/", Delimiter="/")
        assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["media/thumbs/", "media/videos/"]
        await store.check()

    with step("presigned links (filename -> Content-Disposition; plain; tampered -> 403)"):
        name = "Clip ü 1.mp4"
        url = await store.signed_url("videos/clip.mp4", expires_in=timedelta(minutes=5),
                                     filename=name)
        status, headers, body = http_get(url)
        assert status == 200 and body == big, status
        assert headers["Content-Disposition"] == content_disposition(name)
        assert headers["Content-Type"] == "video/mp4"
        plain = await store.signed_url("thumbs/03.jpg", expires_in=timedelta(seconds=60))
        assert http_get(plain)[:3:2] == (200, b"jpg3")
        ranged = urllib.request.Request(plain, headers={"Range": "bytes=1-2"})
        with urllib.request.urlopen(ranged) as r:
            assert r.status == 206 and r.read() == b"pg"
        assert http_get(plain.replace("X-Amz-Signature=", "X-Amz-Signature=0"))[0] == 403
        assert http_get(plain.replace("thumbs/03", "thumbs/04"))[0] == 403

    with step("failed upload is aborted (no multipart upload left behind)"):
        try:
            await store.put_stream("videos/broken.mp4",
                                   chunks_of(big, fail_after=6 * 1024 * 1024))
        except RuntimeError:
            pass
        else:
            raise AssertionError("the source's error must come back")
        assert await store.head("videos/broken.mp4") is None
        uploads = s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
        assert uploads == [], uploads

    with step("concurrency: 3 uploads of 6 MB and 40 ranged reads at once"):
        blobs = [payload(6 * 1024 * 1024 + i) for i in range(3)]
        results = await asyncio.gather(*(
            store.put_stream(f"par/{i}.bin", chunks_of(b), content_type="application/x-test")
            for i, b in enumerate(blobs)))
        assert [r.size for r in results] == [len(b) for b in blobs]

        async def read(n: int) -> bytes:
            stream = await store.open_stream("videos/clip.mp4", start=n * 1000, end=n * 1000 + 777)
            return b"".join([c async for c in stream])

        got = await asyncio.gather(*(read(n) for n in range(40)))
        assert all(g == big[n * 1000:n * 1000 + 777] for n, g in enumerate(got))
        for i in range(3):
            await store.delete(f"par/{i}.bin")

    with step("delete (and deleting a missing object is fine)"):
        await store.delete("thumbs/04.jpg")
        assert await store.head("thumbs/04.jpg") is None
        await store.delete("thumbs/04.jpg")


async def after_restart(server: ServerProcess, bucket: str, big: bytes) -> None:
    store = build_object_store(settings(bucket, server.endpoint, ROOT_USER, ROOT_PASSWORD,
                                        prefix="media"))
    info = await store.head("videos/clip.mp4")
    assert info is not None and info.size == len(big) and info.content_type == "video/mp4"
    stream = await store.open_stream("videos/clip.mp4")
    assert hashlib.sha256(b"".join([c async for c in stream])).digest() == \
        hashlib.sha256(big).digest()
    assert await store.head("thumbs/04.jpg") is None
    listed = [m["path"] async for batch in obstore.list(store._store, prefix="thumbs")
              for m in batch]
    assert listed == [f"thumbs/{i:02d}.jpg" for i in range(4)], listed


def run_init(env: dict) -> str:
    result = subprocess.run(["sh", str(INIT_SH)], env=env, capture_output=True, text=True,
                            timeout=60)
    if result.returncode != 0:
        raise AssertionError(f"init.sh failed ({result.returncode}):\n{result.stdout}\n"
                             f"{result.stderr}")
    return result.stdout + result.stderr


async def app_key_checks(server: ServerProcess, app_secret: str, other_bucket: str) -> None:
    store = build_object_store(settings("mediahub", server.endpoint, APP_KEY, app_secret))
    await store.check()
    data = payload(6 * 1024 * 1024 + 123)
    stored = await store.put_stream("photos/a.jpg", chunks_of(data), content_type="image/jpeg")
    assert stored.size == len(data)
    stream = await store.open_stream("photos/a.jpg", start=10, end=20)
    assert b"".join([c async for c in stream]) == data[10:20]
    url = await store.signed_url("photos/a.jpg", expires_in=timedelta(minutes=1), filename="a.jpg")
    assert http_get(url)[0] == 200
    await store.delete("photos/a.jpg")
    # Bucket scope: the policy names only "mediahub".
    other = build_object_store(settings(other_bucket, server.endpoint, APP_KEY, app_secret))
    try:
        await other.check()
    except StorageUnavailable:
        pass
    else:
        raise AssertionError("the app key must not reach another bucket")
    s3 = boto(server.endpoint, APP_KEY, app_secret)
    expect_status(lambda: s3.list_objects_v2(Bucket=other_bucket), 403, "AccessDenied")
    expect_status(lambda: s3.get_object(Bucket=other_bucket, Key="media/videos/clip.mp4"),
                  403, "AccessDenied")
    expect_status(lambda: s3.put_object(Bucket=other_bucket, Key="x", Body=b"x"), 403)
    expect_status(lambda: s3.create_bucket(Bucket="app-made-bucket"), 403)
    s3.put_object(Bucket="mediahub", Key="boto.txt", Body=b"ok")
    s3.delete_object(Bucket="mediahub", Key="boto.txt")


def aws_chunked_put(endpoint: str, bucket: str, key: str, data: bytes, chunk: int,
                    forge: bool = False) -> int:
    """A PUT with STREAMING-AWS4-HMAC-SHA256-PAYLOAD (what MinIO's own clients send)."""
    host = endpoint.split("://", 1)[1]
    now = datetime.now(UTC)
    amz_date, date = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    scope = f"{date}/{REGION}/s3/aws4_request"
    skey = sigv4.signing_key(ROOT_PASSWORD, date, REGION, "s3")
    pieces = [data[i:i + chunk] for i in range(0, len(data), chunk)] + [b""]
    body_len = sum(len(f"{len(p):x};chunk-signature={'0' * 64}\r\n") + len(p) + 2
                   for p in pieces)
    headers = {"host": host, "x-amz-date": amz_date,
               "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
               "x-amz-decoded-content-length": str(len(data)), "content-encoding": "aws-chunked",
               "content-length": str(body_len)}
    names = sorted(headers)
    canonical = "\n".join(["PUT", f"/{bucket}/{key}", "",
                           "".join(f"{n}:{headers[n]}\n" for n in names), ";".join(names),
                           "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"])
    prev = sigv4.signature(skey, sigv4.string_to_sign(amz_date, scope, canonical))
    headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={ROOT_USER}/{scope}, "
                                f"SignedHeaders={';'.join(names)}, Signature={prev}")
    body = bytearray()
    for p in pieces:
        sig = sigv4.signature(skey, "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, prev,
                                               sigv4.EMPTY_SHA256,
                                               hashlib.sha256(p).hexdigest()]))
        if forge and p:
            p = bytes([p[0] ^ 1]) + p[1:]  # bytes changed after signing
        body += f"{len(p):x};chunk-signature={sig}\r\n".encode() + p + b"\r\n"
        prev = sig
    assert len(body) == body_len
    conn = http.client.HTTPConnection(host, timeout=10)
    conn.request("PUT", f"/{bucket}/{key}", body=bytes(body),
                 headers={k: v for k, v in headers.items() if k != "host"})
    status = conn.getresponse().status
    conn.close()
    return status


def main() -> int:
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="minio-standin-selftest-"))
    data_dir, log = tmp / "data", tmp / "server.log"
    server = ServerProcess(data_dir, free_port(), log)
    bucket = "selftest"
    big = payload(12 * 1024 * 1024)
    ok = False
    try:
        with step("start server (live + ready)"):
            server.start()
        root = boto(server.endpoint, ROOT_USER, ROOT_PASSWORD)
        with step("CreateBucket, HeadBucket, repeated CreateBucket -> 409"):
            root.create_bucket(Bucket=bucket)
            root.head_bucket(Bucket=bucket)
            expect_status(lambda: root.create_bucket(Bucket=bucket), 409)
            expect_status(lambda: root.head_bucket(Bucket="no-such-bucket"), 404)
        asyncio.run(storage_checks(server, bucket, big))

        with step("restart on the same directory: objects, types and deletes persist"):
            assert server.stop() == 0
            server.start()
            asyncio.run(after_restart(server, bucket, big))

        with step("wrong secret / unknown key / anonymous -> 403"):
            expect_status(lambda: boto(server.endpoint, ROOT_USER, "wrong-password")
                          .list_objects_v2(Bucket=bucket), 403, "SignatureDoesNotMatch")
            expect_status(lambda: boto(server.endpoint, "nobody", "nobody-password")
                          .get_object(Bucket=bucket, Key="media/thumbs/00.jpg"),
                          403, "InvalidAccessKeyId")
            assert http_get(f"{server.endpoint}/{bucket}/media/thumbs/00.jpg")[0] == 403
            bad = build_object_store(settings(bucket, server.endpoint, ROOT_USER, "wrongwrong"))
            try:
                asyncio.run(bad.check())
            except StorageUnavailable as exc:
                assert "403" in str(exc) or "Forbidden" in str(exc) or "Signature" in str(exc), exc
            else:
                raise AssertionError("a wrong secret must fail")

        with step("signed aws-chunked upload (streaming SigV4) and a forged chunk -> 403"):
            data = payload(200_000)
            assert aws_chunked_put(server.endpoint, bucket, "chunked.bin", data, 65536) == 200
            assert root.get_object(Bucket=bucket, Key="chunked.bin")["Body"].read() == data
            assert aws_chunked_put(server.endpoint, bucket, "forged.bin", data, 65536,
                                   forge=True) == 403
            expect_status(lambda: root.head_object(Bucket=bucket, Key="forged.bin"), 404)

        bindir, home = tmp / "bin", tmp / "home"
        bindir.mkdir()
        home.mkdir()
        mc = bindir / "mc"
        mc.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{HERE / "mc.py"}" "$@"\n')
        mc.chmod(0o755)
        env = {"PATH": f"{bindir}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(home),
               "MINIO_ENDPOINT": server.endpoint, "MINIO_ROOT_USER": ROOT_USER,
               "MINIO_ROOT_PASSWORD": ROOT_PASSWORD, "S3_BUCKET": "mediahub",
               "S3_ACCESS_KEY_ID": APP_KEY, "S3_SECRET_ACCESS_KEY": APP_SECRET}
        with step("init.sh with the stand-in mc, first run"):
            first = run_init(env)
            assert "Attached Policies" in first, first
        with step("init.sh again (idempotent: nothing re-attached)"):
            second = run_init(env)
            assert "Attached Policies" not in second, second
            info = subprocess.run([str(mc), "admin", "user", "info", "store", APP_KEY], env=env,
                                  capture_output=True, text=True, check=True).stdout
            assert "PolicyName: mediahub-app" in info, info
        with step("app key: works on its bucket, 403 elsewhere"):
            asyncio.run(app_key_checks(server, APP_SECRET, bucket))
        with step("init.sh with a changed secret: new secret works, old one 403"):
            run_init({**env, "S3_SECRET_ACCESS_KEY": APP_SECRET + "-v2"})
            asyncio.run(build_object_store(settings("mediahub", server.endpoint, APP_KEY,
                                                    APP_SECRET + "-v2")).check())
            expect_status(lambda: boto(server.endpoint, APP_KEY, APP_SECRET)
                          .list_objects_v2(Bucket="mediahub"), 403)
        with step("mc ready (up -> 0); users survive a restart; mc ready (down -> 1)"):
            ready_env = {**env, "MC_HOST_local": server.endpoint}
            assert subprocess.run([str(mc), "ready", "local"], env=ready_env,
                                  capture_output=True).returncode == 0
            assert server.stop() == 0
            assert subprocess.run([str(mc), "ready", "local"], env=ready_env,
                                  capture_output=True).returncode == 1
            server.start()
            asyncio.run(build_object_store(settings("mediahub", server.endpoint, APP_KEY,
                                                    APP_SECRET + "-v2")).check())
            iam = data_dir / ".minio.sys-standin" / "iam.json"
            assert iam.stat().st_mode & 0o077 == 0, oct(iam.stat().st_mode)
        ok = True
    finally:
        if server.proc is not None:
            server.stop()
        if not ok:
            print(f"--- server log ({log}) ---\n{log.read_text() if log.exists() else ''}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    total = time.monotonic() - started
    print(f"{len(TIMINGS)} passed, 0 failed in {total:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
