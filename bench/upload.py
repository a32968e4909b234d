"""Photo upload of a large file through a real API process: memory and throughput.

Starts embedded PostgreSQL and Redis and one `mediahub api` process on local-disk storage,
then streams a SIZE-MB file (a JPEG header followed by random bytes) to POST /api/photos as
a chunked multipart body while sampling the API process's RSS. Baseline, same run: copying
the same file into the same storage directory with shutil.copyfileobj.

Targets: API peak RSS growth < 64 MB; upload throughput >= 0.5x the direct copy.

    uv run python bench/upload.py [--size-mb 512]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
from _stack import api_stack  # benchmarks run as scripts: bench/ is on sys.path

CHUNK = 1024 * 1024
BOUNDARY = "benchboundary7d1f"


def make_source(path: Path, size_mb: int) -> None:
    """A file the server sniffs as JPEG: a JPEG signature, then random bytes."""
    with path.open("wb") as out:
        out.write(b"\xff\xd8\xff\xe0" + os.urandom(CHUNK - 4))
        for _ in range(size_mb - 1):
            out.write(os.urandom(CHUNK))


def multipart(path: Path) -> Iterator[bytes]:
    """The file as a streamed multipart body (chunked transfer: no Content-Length)."""
    yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
           f"filename=\"big.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            yield chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


class RssSampler(threading.Thread):
    """Samples a process's RSS every few milliseconds; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.peak = self.proc.memory_info().rss
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.005)


def run(tmp: Path, size_mb: int) -> None:
    """Measure baseline and upload; print the table."""
    source = tmp / "source.jpg"
    make_source(source, size_mb)
    with api_stack({"MAX_PHOTO_BYTES": str((size_mb + 16) * CHUNK)}) as stack:
        account = {"username": "uploader", "password": "a long enough passphrase 1"}
        tokens = httpx.post(stack.base_url + "/api/auth/register", json=account).json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}",
                   "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
        baseline_s = copy_baseline(source, stack.storage_dir / "baseline-copy")
        sampler = RssSampler(stack.api_pid)
        rss_before = sampler.peak
        sampler.start()
        started = time.perf_counter()
        response = httpx.post(stack.base_url + "/api/photos", content=multipart(source),
                              headers=headers, timeout=600)
        upload_s = time.perf_counter() - started
        sampler.running = False
        sampler.join()
        if response.status_code != 201:
            raise RuntimeError(f"upload failed: {response.status_code} {response.text[:200]}")
    growth_mb = (sampler.peak - rss_before) / CHUNK
    print(f"file: {size_mb} MB")
    for name, seconds in (("direct copy to storage (baseline)", baseline_s),
                          ("upload through the API", upload_s)):
        print(f"{name:35s} {seconds:6.2f} s  {size_mb / seconds:7.1f} MB/s")
    print(f"throughput ratio: {baseline_s / upload_s:.2f}x of the direct copy (target >= 0.5)")
    print(f"API RSS: {rss_before / CHUNK:.0f} MB before, peak growth {growth_mb:.1f} MB "
          "(target < 64)")


def copy_baseline(source: Path, target: Path) -> float:
    """Seconds to copy the file into the storage directory and flush it to disk."""
    started = time.perf_counter()
    with source.open("rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst, CHUNK)
        dst.flush()
        os.fsync(dst.fileno())
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def main() -> None:
    """Parse arguments and run in a temporary directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=512)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), args.size_mb)


if __name__ == "__main__":
    main()
