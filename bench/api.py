"""API read paths as a ratio of `GET /api/health` on the same process, in the same run.

Starts one `mediahub api` process (bench/_stack.py) and seeds, through SQL for the bulk rows
and through the API and the service layer for the rest: N public, ready art objects of 100
owners (default 3,000; the feed's keyset query costs the same at any depth, bench/feed.py),
one signed-in user with 60 favorites, 40 transcriptions of which one is done with 1,000
segments of 12 words. Then drives each route closed-loop with `wrk` (C, one thread, 32
connections) for --seconds, health first and last (their mean is the baseline):

  health · feed page of 50 (anonymous, and signed in) · photo page · favorites page of 50 ·
  transcriptions list of 30 · a transcript with 1,000 segments.

The generator must not be the bottleneck: the report gives the CPU used by wrk and by the API
process per second of each run (the API near 1.0 core and wrk far below it means the API is
what is measured), and PostgreSQL's CPU per request (a read path may move work from the API to
the database, which the same cores pay for). The machine is shared, so the rate drifts: each
route's ratio is taken against the health runs just before and after it, and the API's CPU
per request (CPU seconds over requests answered) is given too, which the other load on the
cores does not change.
Needs `wrk` (Debian: apt-get install wrk).

    uv run python bench/api.py [--objects 3000] [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import re
import resource
import shutil
import subprocess
import time
import uuid
import wave
from dataclasses import dataclass

import asyncpg
import httpx
import psutil
from _stack import Stack, api_stack  # benchmarks run as scripts: bench/ is on sys.path
from feed import FILL  # the same rows as bench/feed.py
from sqlalchemy.ext.asyncio import create_async_engine

from mediahub.config import normalize_database_url
from mediahub.core.db import create_session_factory
from mediahub.core.jobs.models import JobRun
from mediahub.transcription import service as transcripts
from mediahub.transcription.models import Transcription
from mediahub.transcription.transcript import Segment, Transcript, Word

SEGMENTS = 1000
FAVORITES = 60
TRANSCRIPTIONS = 40


@dataclass
class Run:
    """One closed-loop wrk run against one URL."""

    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    wrk_cpu: float  # cores
    api_cpu: float  # cores
    db_cpu: float = 0.0  # cores: PostgreSQL's backends

    @property
    def cpu_ms(self) -> float:
        """API CPU per request: what a route costs, whatever share of the cores it got."""
        return self.api_cpu * 1000 / self.rps

    @property
    def db_ms(self) -> float:
        """PostgreSQL CPU per request (a route may move work from the API to the database)."""
        return self.db_cpu * 1000 / self.rps


def _silence_wav(seconds: float = 1.0) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * int(16000 * seconds))
    return buffer.getvalue()


def _transcript() -> Transcript:
    segments = []
    for n in range(SEGMENTS):
        start = n * 3.0
        words = [Word(f"word{k}", start + k * 0.2, start + k * 0.2 + 0.18, 0.9,
                      "A" if n % 2 else "B") for k in range(12)]
        segments.append(Segment(start, start + 2.5, " ".join(w.word for w in words),
                                "A" if n % 2 else "B", words))
    return Transcript(language="en", duration=SEGMENTS * 3.0, segments=segments,
                      speakers=["A", "B"], metrics={"model": "bench"})


async def seed(stack: Stack, objects: int) -> dict[str, str]:
    """Fill the database; return the URLs to drive and the bearer header value."""
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=60) as http:
        tokens = (await http.post("/api/auth/register", json={
            "username": "bench", "password": "transcription passphrase"})).raise_for_status().json()
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}
        ids = []
        for n in range(TRANSCRIPTIONS):
            reply = await http.post("/api/transcriptions", headers=auth, files={
                "file": (f"t{n}.wav", _silence_wav(), "application/octet-stream")})
            ids.append(reply.raise_for_status().json()["id"])
    conn = await asyncpg.connect(stack.database_url)
    await conn.execute(FILL.replace("$1::int", str(objects)))
    user_id = await conn.fetchval("SELECT id FROM users WHERE username = 'bench'")
    await conn.execute("""
        INSERT INTO favorites (user_id, art_object_id, created_at)
        SELECT $1, id, now() - row_number() OVER () * interval '1 second'
        FROM (SELECT id FROM art_objects WHERE is_public ORDER BY created_at DESC LIMIT $2) a
    """, user_id, FAVORITES)
    photo = await conn.fetchval("SELECT id FROM art_objects WHERE is_public LIMIT 1")
    await conn.close()
    await _finish_transcription(stack, uuid.UUID(ids[-1]))
    base = stack.base_url
    return {"auth": auth["Authorization"], "photo": f"{base}/api/photos/{photo}",
            "transcript": f"{base}/api/transcriptions/{ids[-1]}"}


async def _finish_transcription(stack: Stack, tid: uuid.UUID) -> None:
    """Store a 1,000-segment transcript and mark its job done (as the worker would)."""
    engine = create_async_engine(normalize_database_url(stack.database_url))
    async with create_session_factory(engine)() as session:
        row = await session.get(Transcription, tid)
        await transcripts.save_transcript(session, row, _transcript())
        run = await session.get(JobRun, row.job_run_id)
        run.status, run.percent = "done", 100.0
        await session.commit()
    await engine.dispose()


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * _UNIT_MS[match.group(2)] if match else float("nan")


def _cpu(process: psutil.Process | None) -> dict[int, float]:
    """CPU seconds of `process` and each of its children (the postmaster's backends), by pid."""
    if process is None:
        return {}
    found = {}
    for each in [process, *process.children()]:
        with contextlib.suppress(psutil.NoSuchProcess):  # a backend that ended meanwhile
            found[each.pid] = sum(each.cpu_times()[:2])
    return found


def _cpu_since(process: psutil.Process | None, before: dict[int, float]) -> float:
    """CPU used since `before` by the processes alive now (one that ended took its share)."""
    return sum(used - before.get(pid, 0.0) for pid, used in _cpu(process).items())


def wrk(name: str, url: str, *, seconds: float, connections: int, api: psutil.Process,
        auth: str | None = None, db: psutil.Process | None = None) -> Run:
    """Closed loop on one URL; wrk's, the API's and the database's CPU over the run."""
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "30s", "--latency",
           url]
    if auth:
        cmd[1:1] = ["-H", f"Authorization: {auth}"]
    api_before, db_before = sum(api.cpu_times()[:2]), _cpu(db)
    child_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - started
    _settle(api)
    child_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = (child_after.ru_utime + child_after.ru_stime
               - child_before.ru_utime - child_before.ru_stime)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return Run(
        name=name, rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=_ms(re.search(r"50%\s+(\S+)", out).group(1)),
        p99_ms=_ms(re.search(r"99%\s+(\S+)", out).group(1)),
        errors=int(errors.group(1)) if errors else (1 if socket_errors else 0),
        wrk_cpu=wrk_cpu / elapsed, api_cpu=(sum(api.cpu_times()[:2]) - api_before) / elapsed,
        db_cpu=_cpu_since(db, db_before) / elapsed,
    )


def _settle(api: psutil.Process, timeout_s: float = 60) -> None:
    """Wait until the API has answered what wrk left in flight (it stops without waiting)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and api.cpu_percent(interval=0.3) > 15:
        pass


def measure(stack: Stack, objects: int, seconds: float, connections: int) -> None:
    """Seed, warm up, drive every route, print the table."""
    urls = asyncio.run(seed(stack, objects))
    base, auth = stack.base_url, urls["auth"]
    api = psutil.Process(stack.api_pid)
    db = psutil.Process(stack.db_pid) if stack.db_pid else None
    routes = [
        ("feed page of 50 (anonymous)", f"{base}/api/photos/feed?limit=50", None),
        ("feed page of 50 (signed in)", f"{base}/api/photos/feed?limit=50", auth),
        ("photo page", urls["photo"], auth),
        ("favorites page of 50", f"{base}/api/photos/favorites?limit=50", auth),
        ("transcriptions list of 30", f"{base}/api/transcriptions?limit=30", auth),
        (f"transcript, {SEGMENTS} segments", urls["transcript"], auth),
    ]
    # A transcript of 1,000 segments is ~1 MB: 32 of them in flight would be a long queue.
    fewer = {routes[-1][0]: 4}
    options = {"seconds": seconds, "connections": connections, "api": api, "db": db}
    for name, url, header in routes:  # warm-up: imports, caches, pooled connections
        wrk("warm-up", url, **{**options, "seconds": 2,
                               "connections": fewer.get(name, connections)}, auth=header)
    # Health between every two routes: on a shared machine the rate drifts, so each route is
    # compared with the mean of the health runs just before and after it.
    health = [wrk("GET /api/health", f"{base}/api/health", **options)]
    runs = []
    for name, url, header in routes:
        runs.append(wrk(name, url, **{**options, "connections": fewer.get(name, connections)},
                        auth=header))
        health.append(wrk("GET /api/health", f"{base}/api/health", **options))
    print(f"{objects} public objects, wrk -t1 -c{connections}, {seconds:g}s per run, one API "
          "process; health runs between routes (x health: against the two around it)")
    print("| route | req/s | x health | API ms CPU/req | x health CPU | p50 ms | p99 ms "
          "| errors | API cores | wrk cores | DB ms CPU/req |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    _row(health[0], health[0].rps, health[0].cpu_ms)
    for n, r in enumerate(runs):
        around = health[n], health[n + 1]
        _row(r, sum(h.rps for h in around) / 2, sum(h.cpu_ms for h in around) / 2)
    _row(health[-1], health[-1].rps, health[-1].cpu_ms)


def _row(r: Run, health_rps: float, health_cpu_ms: float) -> None:
    print(f"| {r.name} | {r.rps:,.0f} | {r.rps / health_rps:.3f} | {r.cpu_ms:.2f} | "
          f"{health_cpu_ms / r.cpu_ms:.3f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} | "
          f"{r.api_cpu:.2f} | {r.wrk_cpu:.2f} | {r.db_ms:.2f} |")


def main() -> None:
    """Start one API process with its database; measure; clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench/api.py needs wrk (Debian: apt-get install wrk)")
    with api_stack({"DATABASE_POOL_SIZE": "20"}) as stack:
        measure(stack, args.objects, args.seconds, args.connections)


if __name__ == "__main__":
    main()
