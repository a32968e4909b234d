"""Mixed gallery load with 550 live WebSocket clients against `mediahub up`: the sustainable rate.

Starts `mediahub up` (API + worker + embedded PostgreSQL and Redis, default settings) in a
temporary data dir on a free port. Seeds 550 users (MAX sign-in) and a few hundred public
photos uploaded through the API (the worker renders them). A separate process then holds
500 idle + 50 active WebSocket clients on /api/ws, each subscribed to `public` and its own
`user:<id>` channel (the 500 idle ones authenticate by first message, the 50 active ones
by `Sec-WebSocket-Protocol: bearer, <token>`), and a raw Redis subscriber that timestamps
every event when the worker publishes it.

HTTP traffic comes from the 50 active users over a pool of 50 connections; every request is
one of: feed page (45 %; a quarter of them a later page via `next_cursor`), photo page
(35 %), favorite / unfavorite (8 % / 7 %), upload of a fresh ~10 KB public JPEG (5 %).

Phases (all in the same run):
  1. baseline: `GET /api/health`, 50 closed-loop clients (as bench/auth.py);
  2. the mix, 50 closed-loop clients: its capacity, and its cost vs health;
  3. open-loop steps (Poisson arrivals, latency counted from the scheduled send time, so a
     queue in the client counts) at 20, 30, ... 100 % of that capacity, until one breaks. A
     step *keeps up* when no request fails, the achieved rate is >= 95 % of the rate sent
     and the p99 over all routes is <= --break-p99-ms (500): the highest such step is the
     throughput limit. A step *meets the targets* when it keeps up and the feed p99 is
     < 100 ms. The sustainable rate is the highest step meeting the targets (every step
     below it meets them too);
  4. hold at the sustainable rate or at --hold-rate (--hold-seconds): every target checked
     again over a longer run — per-route p50/p99, errors, API RSS (psutil, sampled every 0.2 s), CPU
     seconds per process, and the live-event delays;
  5. `GET /api/health` open-loop at that same rate: the latency floor of this machine;
  6. fan-out alone: 40 public events published straight to Redis, no HTTP traffic: the
     API's CPU per event relayed to all 550 sockets, and Redis -> socket delays.

Live events: for every upload, the 201 response time (client clock), the moment Redis
delivers the worker's `photo.published` to a raw subscriber ("produced"), and its arrival at
each of the other 549 sockets; `photo.ready` at the uploader's own socket. All on one
machine, so the clocks are one clock (time.time()).

Targets: error rate 0, feed p99 < 100 ms at the sustainable rate, live event p99 < 200 ms
(upload response -> photo.published at the other clients). The report also gives the feed
p99 at the throughput limit, where queueing dominates.

    uv run python bench/load.py [--hold-seconds 60] [--step-seconds 15] [--photos 300]
                                [--hold-rate R]
                                [--api-workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import io
import itertools
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import httpx
import psutil
from PIL import Image

from mediahub.auth.initdata import make_test_init_data
from mediahub.core.events import REDIS_PREFIX
from mediahub.local.processes import free_port

IDLE_WS = 500
ACTIVE = 50
POOL = ACTIVE  # HTTP connections, and closed-loop clients
STEPS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)  # fractions of closed-loop capacity
MIX = (("feed", 45), ("photo", 35), ("favorite", 8), ("unfavorite", 7), ("upload", 5))
ROUTES = {
    "feed": "GET /api/photos/feed",
    "photo": "GET /api/photos/{id}",
    "favorite": "PUT /api/photos/{id}/favorite",
    "unfavorite": "DELETE /api/photos/{id}/favorite",
    "upload": "POST /api/photos",
    "health": "GET /api/health",
}
EXPECTED = {"feed": 200, "photo": 200, "favorite": 204, "unfavorite": 204, "upload": 201,
            "health": 200}
FEED_TARGET_MS = 100
EVENT_TARGET_MS = 200  # issue 20: live event p99 < 200 ms
REQUEST_TIMEOUT_S = 15
SAMPLE_S = 0.2
MB = 1024 * 1024
PROBES = 40
PROBE_GAP_S = 0.15


# ---------------------------------------------------------------- the stack


@dataclass
class Running:
    """A `mediahub up` process tree and what the benchmark needs from it."""

    proc: subprocess.Popen[bytes]
    base_url: str
    database_url: str
    redis_url: str
    bot_token: str
    api_pid: int
    worker_pid: int
    data_dir: Path


def start_up(data_dir: Path, api_workers: int = 1) -> Running:
    """`mediahub up --data-dir <tmp> --port <free>`, exactly as a user runs it."""
    port = free_port()
    bot_token = "load-bot-" + secrets.token_hex(8)
    # Every simulated client connects from 127.0.0.1: lift the per-address socket cap.
    env = {**os.environ, "MAX_BOT_TOKEN": bot_token, "WS_MAX_PER_ADDRESS": "100000"}
    log = (data_dir.parent / "up.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mediahub.cli", "up", "--data-dir", str(data_dir),
         "--port", str(port), "--no-build-web", "--api-workers", str(api_workers)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    run_file = data_dir / "run.json"
    deadline = time.monotonic() + 120
    while not run_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"mediahub up did not start; see {data_dir.parent / 'up.log'}")
        time.sleep(0.1)
    state = json.loads(run_file.read_text())
    api_pid = worker_pid = 0
    for child in psutil.Process(proc.pid).children():
        cmd = " ".join(child.cmdline())
        if "mediahub.cli api" in cmd:
            api_pid = child.pid
        elif "mediahub.cli worker" in cmd:
            worker_pid = child.pid
    if not (api_pid and worker_pid):
        raise RuntimeError("could not find the API and worker processes of mediahub up")
    return Running(proc, state["url"].rstrip("/"), state["database_url"], state["redis_url"],
                   bot_token, api_pid, worker_pid, data_dir)


def stop_up(running: Running) -> None:
    """Ctrl-C, as a user stops it."""
    running.proc.send_signal(signal.SIGINT)
    try:
        running.proc.wait(60)
    except subprocess.TimeoutExpired:
        running.proc.kill()
        running.proc.wait(10)


class Sampler(threading.Thread):
    """Peak RSS of the API (and worker) process, sampled every SAMPLE_S; CPU time marks."""

    def __init__(self, pids: dict[str, int]) -> None:
        super().__init__(daemon=True)
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.peak = dict.fromkeys(pids, 0)
        self.phase_peak: dict[str, int] = dict.fromkeys(pids, 0)
        self.running = True

    def reset_phase(self) -> None:
        self.phase_peak = dict.fromkeys(self.procs, 0)

    def rss(self) -> dict[str, int]:
        """RSS of each process with its children (`--api-workers N` forks N servers)."""
        out = {}
        for name, proc in self.procs.items():
            total = 0
            try:
                tree = [proc, *proc.children(recursive=True)]
            except psutil.NoSuchProcess:
                tree = []
            for member in tree:
                with contextlib.suppress(psutil.NoSuchProcess):
                    total += member.memory_info().rss
            out[name] = total
        return out

    def run(self) -> None:
        while self.running:
            for name, value in self.rss().items():
                self.peak[name] = max(self.peak[name], value)
                self.phase_peak[name] = max(self.phase_peak[name], value)
            time.sleep(SAMPLE_S)


def servers_of(running: Running) -> list[int]:
    """The embedded PostgreSQL and Redis server processes (their command lines name the dir)."""
    mine = (running.proc.pid, running.api_pid, running.worker_pid)
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        if str(running.data_dir) in cmd and proc.info["pid"] not in mine:
            found.append(proc.info["pid"])
    return found


def cpu_seconds(groups: dict[str, list[int]]) -> dict[str, dict[int, float]]:
    """CPU seconds (user + system) so far of each process of each group, by pid.

    A process's children count too, except the benchmark's own (`mediahub up` is one).
    """
    out: dict[str, dict[int, float]] = {}
    for name, pids in groups.items():
        out[name] = found = {}
        for pid in pids:
            try:
                root = psutil.Process(pid)
                procs = [root] if pid == os.getpid() else [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
            for proc in procs:
                with contextlib.suppress(psutil.NoSuchProcess):
                    times = proc.cpu_times()
                    found[proc.pid] = times.user + times.system
    return out


def cpu_spent(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]
              ) -> dict[str, float]:
    """CPU seconds each group used between two `cpu_seconds` readings, counted per process
    alive at the second: a PostgreSQL backend that ended meanwhile took its share with it
    (summing totals made the group's figure negative)."""
    return {name: sum(used - before[name].get(pid, 0.0) for pid, used in procs.items())
            for name, procs in after.items()}


# ---------------------------------------------------------------- WebSocket clients (child)


async def ws_child(config_path: Path) -> None:
    """Child mode: hold the WebSocket clients and a raw Redis subscriber; record arrivals."""
    import redis.asyncio as aioredis
    import websockets

    config = json.loads(config_path.read_text())
    url, clients = config["ws_url"], config["clients"]
    produced: dict[str, float] = {}
    arrivals: dict[str, list[tuple[int, float]]] = defaultdict(list)
    closed: list[tuple[int, str]] = []
    gate = asyncio.Semaphore(25)

    async def connect(i: int, spec: dict[str, Any]) -> Any:
        async with gate:
            proto = ["bearer", spec["token"]] if spec["active"] else None
            ws = await websockets.connect(url, subprotocols=proto, open_timeout=60,
                                          max_size=None)
            json.loads(await ws.recv())  # hello
            if not spec["active"]:
                await ws.send(json.dumps({"type": "auth", "token": spec["token"]}))
                reply = json.loads(await ws.recv())
                if reply.get("type") != "authenticated":
                    raise RuntimeError(f"client {i}: {reply}")
            await ws.send(json.dumps({"type": "subscribe",
                                      "channels": ["public", f"user:{spec['user_id']}"]}))
            reply = json.loads(await ws.recv())
            if reply.get("type") != "subscribed" or len(reply["channels"]) != 2:
                raise RuntimeError(f"client {i}: {reply}")
            return ws

    async def follow(i: int, ws: Any) -> None:
        try:
            async for raw in ws:
                now = time.time()
                message = json.loads(raw)
                if message.get("type") == "event":
                    event = message["event"]
                    arrivals[f"{event.get('type')}|{event.get('id')}"].append((i, now))
        except websockets.ConnectionClosed as exc:
            closed.append((i, str(exc)))

    async def redis_tap(subscribed: asyncio.Event) -> None:
        redis = aioredis.from_url(config["redis_url"])
        pubsub = redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.psubscribe(REDIS_PREFIX + "*")
        subscribed.set()
        async for message in pubsub.listen():
            now = time.time()
            if message["type"] == "pmessage":
                event = json.loads(message["data"])
                produced.setdefault(f"{event.get('type')}|{event.get('id')}", now)

    subscribed = asyncio.Event()
    tap = asyncio.create_task(redis_tap(subscribed))
    await subscribed.wait()
    sockets = await asyncio.gather(*(connect(i, spec) for i, spec in enumerate(clients)))
    tasks = [asyncio.create_task(follow(i, ws)) for i, ws in enumerate(sockets)]
    print(f"ready {len(sockets)}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)  # "stop"
    Path(config["out"]).write_text(json.dumps({
        "produced": produced, "arrivals": arrivals, "closed": closed}))
    print("done", flush=True)
    tap.cancel()
    for task in tasks:
        task.cancel()
    os._exit(0)  # 550 sockets: no need to close them one by one


class WsClients:
    """The child process holding the WebSocket clients."""

    def __init__(self, tmp: Path, ws_url: str, redis_url: str, users: list[User]) -> None:
        self.out = tmp / "ws-results.json"
        config = tmp / "ws-config.json"
        config.write_text(json.dumps({
            "ws_url": ws_url, "redis_url": redis_url, "out": str(self.out),
            "clients": [{"token": u.token, "user_id": u.id, "active": u.active}
                        for u in users]}))
        self._log = (tmp / "ws-child.log").open("ab")
        self.proc = subprocess.Popen([sys.executable, __file__, "--ws-child", str(config)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._log, text=True)

    def wait_ready(self) -> int:
        assert self.proc.stdout
        line = self.proc.stdout.readline()
        if not line.startswith("ready"):
            raise RuntimeError(f"WebSocket clients failed; see {self._log.name}")
        return int(line.split()[1])

    def results(self) -> dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write("stop\n")
        self.proc.stdin.flush()
        self.proc.stdout.readline()
        self.proc.wait(30)
        self._log.close()
        return json.loads(self.out.read_text())


# ---------------------------------------------------------------- users, photos, requests


@dataclass
class User:
    token: str
    id: str
    active: bool

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def token_subject(token: str) -> str:
    """The user id in an access token (read, not verified: the server issued it)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


def small_jpeg(rng: random.Random) -> bytes:
    """A fresh ~10 KB JPEG (unique bytes, so never a 409 repeat)."""
    image = Image.frombytes("RGB", (96, 72), rng.randbytes(96 * 72 * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


@dataclass
class Recorder:
    """Latencies and failures per route, and what uploads produced."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_kinds: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    uploads: dict[str, float] = field(default_factory=dict)  # art id -> 201 time (epoch)
    uploader: dict[str, str] = field(default_factory=dict)  # art id -> user id
    began: float = 0.0
    ended: float = 0.0
    window: float = 0.0  # open loop: the seconds over which requests were sent

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    def all_latencies(self) -> list[float]:
        return [x for v in self.latencies.values() for x in v]


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1), nearest rank; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered))) - 1))]


class Traffic:
    """Builds and sends the mixed requests; all state shared by the phases."""

    def __init__(self, base: str, users: list[User], photos: list[str], seed: int = 7) -> None:
        self.base = base
        self.active = [u for u in users if u.active]
        self.photos = photos
        self.rng = random.Random(seed)
        self.cursors: deque[str] = deque(maxlen=64)
        self.kinds = [k for k, _ in MIX]
        self.weights = [w for _, w in MIX]

    def client(self) -> aiohttp.ClientSession:
        """POOL keep-alive connections. aiohttp, not httpx: at ~150 req/s httpx alone took
        0.7 of a core and the client, not the system, became the bottleneck."""
        return aiohttp.ClientSession(
            base_url=self.base, connector=aiohttp.TCPConnector(limit=POOL),
            timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S))

    def pick(self) -> str:
        return self.rng.choices(self.kinds, self.weights)[0]

    async def send(self, http: aiohttp.ClientSession, kind: str, rec: Recorder,
                   scheduled: float | None = None) -> None:
        """One request of `kind`; latency from `scheduled` (perf_counter) when given."""
        user = self.rng.choice(self.active)
        photo = self.rng.choice(self.photos)
        started = scheduled if scheduled is not None else time.perf_counter()
        try:
            status, body = await self._request(http, kind, user, photo)
        except (aiohttp.ClientError, TimeoutError) as exc:
            rec.latencies[kind].append(time.perf_counter() - started)
            rec.errors[kind] += 1
            rec.error_kinds[f"{kind}: {type(exc).__name__}"] += 1
            return
        rec.latencies[kind].append(time.perf_counter() - started)
        if status != EXPECTED[kind]:
            rec.errors[kind] += 1
            rec.error_kinds[f"{kind}: HTTP {status}"] += 1
        elif kind == "upload":
            art_id = json.loads(body)["id"]
            rec.uploads[art_id] = time.time()
            rec.uploader[art_id] = user.id

    async def _request(self, http: aiohttp.ClientSession, kind: str, user: User,
                       photo: str) -> tuple[int, bytes]:
        """Send one request of `kind`; its status and body."""
        if kind == "health":
            request = http.get("/api/health")
        elif kind == "feed":
            params = {"limit": "30"}
            later = bool(self.cursors) and self.rng.random() < 0.25
            if later:
                params["cursor"] = self.rng.choice(self.cursors)
            async with http.get("/api/photos/feed", params=params, headers=user.auth) as resp:
                body = await resp.read()
                if resp.status == 200 and not later:
                    cursor = json.loads(body).get("next_cursor")
                    if cursor:
                        self.cursors.append(cursor)
                return resp.status, body
        elif kind == "photo":
            request = http.get(f"/api/photos/{photo}", headers=user.auth)
        elif kind == "favorite":
            request = http.put(f"/api/photos/{photo}/favorite", headers=user.auth)
        elif kind == "unfavorite":
            request = http.delete(f"/api/photos/{photo}/favorite", headers=user.auth)
        else:
            form = aiohttp.FormData()
            form.add_field("file", small_jpeg(self.rng), filename="load.jpg",
                           content_type="image/jpeg")
            form.add_field("is_public", "true")
            form.add_field("tags", "load bench")
            form.add_field("description", "load test upload")
            request = http.post("/api/photos", headers=user.auth, data=form)
        async with request as resp:
            return resp.status, await resp.read()

    async def closed_loop(self, seconds: float, kinds: list[str] | None = None) -> Recorder:
        """POOL clients, each sending its next request as soon as the last one answered."""
        rec = Recorder()
        async with self.client() as http:
            rec.began = time.perf_counter()
            deadline = rec.began + seconds

            async def loop() -> None:
                while time.perf_counter() < deadline:
                    await self.send(http, kinds[0] if kinds else self.pick(), rec)

            await asyncio.gather(*(loop() for _ in range(POOL)))
            rec.ended = time.perf_counter()
        return rec

    async def open_loop(self, rate: float, seconds: float,
                        kinds: list[str] | None = None) -> Recorder:
        """Poisson arrivals at `rate` for `seconds`; waits for the stragglers."""
        rec = Recorder(window=seconds)
        pending: set[asyncio.Task[None]] = set()
        async with self.client() as http:
            rec.began = time.perf_counter()
            at = rec.began
            while True:
                at += self.rng.expovariate(rate)
                if at - rec.began > seconds:
                    break
                delay = at - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                kind = kinds[0] if kinds else self.pick()
                task = asyncio.create_task(self.send(http, kind, rec, scheduled=at))
                pending.add(task)
                task.add_done_callback(pending.discard)
            if pending:
                await asyncio.wait(pending)
            rec.ended = time.perf_counter()
        return rec


async def seed(running: Running, count: int, photos: int) -> tuple[list[User], list[str]]:
    """`count` users by MAX sign-in (the first ACTIVE are the active ones); public photos."""
    users: list[User] = [None] * count  # type: ignore[list-item]
    gate = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=running.base_url, timeout=60) as http:

        async def sign_in(n: int) -> None:
            init = make_test_init_data(running.bot_token, user_id=10_000 + n,
                                       first_name=f"Load{n}")
            async with gate:
                response = await http.post("/api/auth/login", json={"init_data": init})
                response.raise_for_status()
                token = response.json()["access_token"]
            users[n] = User(token, token_subject(token), n < ACTIVE)

        await asyncio.gather(*(sign_in(n) for n in range(count)))
        rng = random.Random(1)
        ids: list[str] = []

        async def upload(n: int) -> None:
            user = users[n % ACTIVE]
            async with gate:
                response = await http.post(
                    "/api/photos", headers=user.auth,
                    files={"file": (f"seed{n}.jpg", small_jpeg(rng), "image/jpeg")},
                    data={"is_public": "true", "tags": f"seed t{n % 20}",
                          "description": f"seed photo {n}"})
                response.raise_for_status()
            ids.append(response.json()["id"])

        await asyncio.gather(*(upload(n) for n in range(photos)))
    db = await asyncpg.connect(running.database_url)
    try:
        deadline = time.monotonic() + 180
        while True:
            ready = await db.fetchval("SELECT count(*) FROM photos WHERE status = 'ready'")
            if ready >= photos:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {ready}/{photos} photos ready after 180 s")
            await asyncio.sleep(0.5)
    finally:
        await db.close()
    return users, ids


# ---------------------------------------------------------------- measurement and report


def summarize(rec: Recorder, offered: float | None = None) -> dict[str, Any]:
    """Throughput, latency and errors of one phase."""
    elapsed = rec.ended - rec.began
    every = rec.all_latencies()
    routes = {}
    for kind, values in rec.latencies.items():
        routes[kind] = {"n": len(values), "rps": len(values) / elapsed,
                        "p50": pct(values, 0.5) * 1000, "p99": pct(values, 0.99) * 1000,
                        "errors": rec.errors.get(kind, 0)}
    ok = rec.count - rec.failed
    sent = rec.count / rec.window if rec.window else None
    return {"offered": offered, "sent": sent, "rps": ok / elapsed, "n": rec.count,
            "errors": rec.failed,
            "error_rate": rec.failed / max(1, rec.count), "p50": pct(every, 0.5) * 1000,
            "p99": pct(every, 0.99) * 1000, "routes": routes, "seconds": elapsed,
            "error_kinds": dict(rec.error_kinds)}


def holds(result: dict[str, Any], break_p99_ms: float) -> bool:
    """Whether the system kept up with a step: no failure, kept up with the offer, bounded p99.

    "Kept up" compares with what was actually sent (Poisson arrivals: the count varies).
    The highest such step is the throughput limit: beyond it the queue grows.
    """
    return (result["errors"] == 0 and result["rps"] >= 0.95 * result["sent"]
            and result["p99"] <= break_p99_ms)


def meets_targets(result: dict[str, Any], break_p99_ms: float) -> bool:
    """Whether a step kept up AND met the feed latency target (the live-event target is
    checked over the hold, where every event's arrival is known)."""
    feed = result["routes"].get("feed", {}).get("p99", float("inf"))
    return holds(result, break_p99_ms) and feed < FEED_TARGET_MS


def step_verdict(result: dict[str, Any]) -> str:
    """How a step went, in words."""
    if result["meets"]:
        return "meets the targets"
    return "kept up, feed p99 over target" if result["holds"] else "breaks (queueing)"


def event_delays(live: dict[str, Any], rec: Recorder, users: list[User]) -> dict[str, Any]:
    """Delays (ms) of the hold phase's uploads: published at the others, ready at the owner."""
    index_of = {u.id: i for i, u in enumerate(users)}
    from_upload, from_publish, ready_own, worker = [], [], [], []
    missing = 0
    for art_id, t_response in rec.uploads.items():
        owner = index_of[rec.uploader[art_id]]
        key = f"photo.published|{art_id}"
        produced = live["produced"].get(key)
        got = {i: t for i, t in live["arrivals"].get(key, [])}
        missing += sum(1 for i in range(len(users)) if i != owner and i not in got)
        for i, t in got.items():
            if i == owner:
                continue
            from_upload.append(t - t_response)
            if produced is not None:
                from_publish.append(t - produced)
        if produced is not None:
            worker.append(produced - t_response)
        own = [t for i, t in live["arrivals"].get(f"photo.ready|{art_id}", []) if i == owner]
        if own:
            ready_own.append(own[0] - t_response)

    def stats(values: list[float]) -> dict[str, float]:
        return {"n": len(values), "p50": pct(values, 0.5) * 1000,
                "p99": pct(values, 0.99) * 1000, "max": max(values, default=float("nan")) * 1000}

    return {"from_upload": stats(from_upload), "from_publish": stats(from_publish),
            "ready_own": stats(ready_own), "worker": stats(worker), "missing": missing,
            "uploads": len(rec.uploads)}


async def fan_out_probe(running: Running) -> float:
    """API CPU seconds per public event relayed to every socket, without other traffic.

    Publishes PROBES events straight to Redis (as the worker does), PROBE_GAP_S apart, and
    subtracts the API's idle CPU (pings, the relay's poll) measured just before.
    """
    import redis.asyncio as aioredis

    api = {"api": [running.api_pid]}
    redis = aioredis.from_url(running.redis_url)
    try:
        idle_from, began = cpu_seconds(api), time.perf_counter()
        await asyncio.sleep(3)
        idle_rate = cpu_spent(idle_from, cpu_seconds(api))["api"] / (time.perf_counter() - began)
        before, began = cpu_seconds(api), time.perf_counter()
        for n in range(PROBES):
            await redis.publish(REDIS_PREFIX + "public",
                                json.dumps({"type": "load.probe", "id": f"p{n}"}))
            await asyncio.sleep(PROBE_GAP_S)
        await asyncio.sleep(1)
        spent = (cpu_spent(before, cpu_seconds(api))["api"]
                 - idle_rate * (time.perf_counter() - began))
    finally:
        await redis.aclose()
    return spent / PROBES


def probe_delays(live: dict[str, Any]) -> dict[str, float]:
    """Redis -> socket delays (ms) of the probe events; deliveries missing."""
    values, missing = [], 0
    for n in range(PROBES):
        key = f"load.probe|p{n}"
        produced = live["produced"].get(key)
        got = live["arrivals"].get(key, [])
        missing += IDLE_WS + ACTIVE - len(got)
        if produced is not None:
            values += [t - produced for _, t in got]
    return {"p50": pct(values, 0.5) * 1000, "p99": pct(values, 0.99) * 1000,
            "missing": missing}


def print_routes(title: str, result: dict[str, Any], health: dict[str, Any] | None) -> None:
    print(f"\n{title}")
    print(f"  {'route':34s} {'n':>6s} {'req/s':>7s} {'p50 ms':>8s} {'p99 ms':>8s} {'errors':>6s}")
    rows = [(ROUTES[k], result["routes"][k]) for k, _ in MIX if k in result["routes"]]
    rows.append(("all (the mix)", {"n": result["n"], "rps": result["rps"], "p50": result["p50"],
                                   "p99": result["p99"], "errors": result["errors"]}))
    if health:
        rows.append((ROUTES["health"] + " (same rate)", health["routes"]["health"]))
    for name, r in rows:
        print(f"  {name:34s} {r['n']:6d} {r['rps']:7.1f} {r['p50']:8.1f} {r['p99']:8.1f} "
              f"{r['errors']:6d}")


async def measure(running: Running, tmp: Path, args: argparse.Namespace) -> int:
    """Seed, connect the sockets, run the phases, print the report; the exit status."""
    loadavg_start = os.getloadavg()
    sampler = Sampler({"api": running.api_pid, "worker": running.worker_pid})
    sampler.start()
    rss_fresh = sampler.rss()["api"]
    started = time.perf_counter()
    users, photos = await seed(running, IDLE_WS + ACTIVE, args.photos)
    print(f"seeded {len(users)} users and {len(photos)} public photos (rendered) in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    rss_seeded = sampler.rss()["api"]
    ws_url = running.base_url.replace("http://", "ws://") + "/api/ws"
    started = time.perf_counter()
    ws = WsClients(tmp, ws_url, running.redis_url, users)
    connected = ws.wait_ready()
    print(f"{connected} WebSocket clients connected and subscribed in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    await asyncio.sleep(1)
    rss_sockets = sampler.rss()["api"]
    traffic = Traffic(running.base_url, users, photos)
    await traffic.closed_loop(3)  # warm-up
    health = summarize(await traffic.closed_loop(args.baseline_seconds, ["health"]))
    mix = summarize(await traffic.closed_loop(args.baseline_seconds))
    print(f"closed loop, {POOL} clients: health {health['rps']:.0f} req/s, the mix "
          f"{mix['rps']:.0f} req/s (p99 {mix['p99']:.0f} ms, {mix['errors']} errors)", flush=True)
    steps = []
    for fraction in STEPS:
        rate = max(1.0, fraction * mix["rps"])
        result = summarize(await traffic.open_loop(rate, args.step_seconds), offered=rate)
        result["holds"] = holds(result, args.break_p99_ms)
        result["meets"] = meets_targets(result, args.break_p99_ms)
        steps.append(result)
        feed = result["routes"].get("feed", {"p99": float("nan")})
        print(f"step {rate:6.1f} req/s offered: {result['rps']:6.1f} achieved, p99 "
              f"{result['p99']:6.0f} ms (feed {feed['p99']:.0f} ms), {result['errors']} errors "
              f"-> {step_verdict(result)}", flush=True)
        if not result["holds"]:
            break
    kept_up = [s for s in steps if s["holds"]]
    limit = kept_up[-1] if kept_up else None
    # The sustainable rate: the highest step below the first that missed a target.
    good = list(itertools.takewhile(lambda s: s["meets"], steps))
    rate = args.hold_rate or (good[-1] if good else steps[0])["offered"]
    cpu_groups = {"api": [running.api_pid], "worker": [running.worker_pid],
                  "postgres+redis": servers_of(running),
                  "load generator": [os.getpid()], "ws clients": [ws.proc.pid]}
    await asyncio.sleep(2)  # let the last step's uploads reach the sockets
    sampler.reset_phase()
    cpu_before = cpu_seconds(cpu_groups)
    hold_rec = await traffic.open_loop(rate, args.hold_seconds)
    cpu_after = cpu_seconds(cpu_groups)
    hold = summarize(hold_rec, offered=rate)
    hold_peak = dict(sampler.phase_peak)
    await asyncio.sleep(3)  # let the hold's last uploads be rendered and delivered
    health_same = summarize(await traffic.open_loop(rate, args.baseline_seconds, ["health"]),
                            offered=rate)
    fan_cpu = await fan_out_probe(running)
    live = ws.results()
    sampler.running = False
    delays = event_delays(live, hold_rec, users)
    fan_delays = probe_delays(live)
    loadavg_end = os.getloadavg()

    # ------------------------------------------------------------ report
    print(f"\nmediahub up ({args.api_workers} API process(es), 1 worker, embedded PostgreSQL + "
          "Redis), "
          f"{os.cpu_count()} cores shared with the load generator and the socket clients; "
          f"{IDLE_WS} idle + {ACTIVE} active WebSocket clients; {len(photos)} seeded photos")
    print(f"load average (1/5/15 min): start {' '.join(f'{x:.2f}' for x in loadavg_start)}, "
          f"end {' '.join(f'{x:.2f}' for x in loadavg_end)}")
    print(f"\nbaseline, {POOL} closed-loop clients:")
    print(f"  GET /api/health       {health['rps']:7.0f} req/s  p50 {health['p50']:6.1f} ms  "
          f"p99 {health['p99']:6.1f} ms")
    print(f"  the mix (capacity)    {mix['rps']:7.0f} req/s  p50 {mix['p50']:6.1f} ms  "
          f"p99 {mix['p99']:6.1f} ms  errors {mix['errors']}")
    print(f"  cost of a mixed request vs health: {health['rps'] / mix['rps']:.2f}x")
    print(f"\nopen-loop steps ({args.step_seconds:.0f} s each). Kept up = 0 errors, >= 95 % "
          f"of what was sent achieved, p99 over all routes <= {args.break_p99_ms:.0f} ms; meets "
          f"the targets = kept up and feed p99 < {FEED_TARGET_MS} ms:")
    print(f"  {'offered':>8s} {'sent':>6s} {'achieved':>9s} {'p50 ms':>7s} {'p99 ms':>7s} "
          f"{'feed p99':>9s} {'errors':>6s}")
    for s in steps:
        feed = s["routes"].get("feed", {"p99": float("nan")})
        print(f"  {s['offered']:8.1f} {s['sent']:6.1f} {s['rps']:9.1f} {s['p50']:7.1f} "
              f"{s['p99']:7.1f} {feed['p99']:9.1f} {s['errors']:6d}  {step_verdict(s)}")
    if limit is not None:
        limit_feed = limit["routes"].get("feed", {"p99": float("nan")})["p99"]
        print(f"  throughput limit (highest step kept up): {limit['offered']:.1f} req/s offered, "
              f"{limit['rps']:.1f} achieved, feed p99 {limit_feed:.0f} ms there")
    else:
        print("  throughput limit: NO step kept up")
    where = ("the rate asked for (--hold-rate)" if args.hold_rate
             else "the sustainable rate (highest step meeting the targets)" if good
             else "the lowest step (NO step met the targets)")
    share = f"{rate / limit['offered']:.2f}x the throughput limit" if limit else "no limit found"
    print_routes(f"hold at {where}, {rate:.1f} req/s offered for "
                 f"{args.hold_seconds:.0f} s (sustained {hold['rps']:.1f} req/s = {share})",
                 hold, health_same)
    if hold["error_kinds"]:
        print("  failures: " + ", ".join(f"{n}x {k}" for k, n in hold["error_kinds"].items()))
    print(f"\nAPI RSS: fresh {rss_fresh / MB:.0f} MB, after seeding {rss_seeded / MB:.0f} MB, "
          f"with {connected} sockets {rss_sockets / MB:.0f} MB, peak during the hold "
          f"{hold_peak['api'] / MB:.0f} MB, peak over the run {sampler.peak['api'] / MB:.0f} MB "
          f"(worker peak {sampler.peak['worker'] / MB:.0f} MB)")
    spent = cpu_spent(cpu_before, cpu_after)
    print("CPU during the hold (cores busy): " + ", ".join(
        f"{k} {v / hold['seconds']:.2f}" for k, v in spent.items()))
    print(f"\nlive events of the hold's {delays['uploads']} uploads ("
          f"{len(users) - 1} other clients each):")
    for label, key in (("upload 201 -> photo.published at the other clients", "from_upload"),
                       ("worker publish (Redis) -> the other clients", "from_publish"),
                       ("upload 201 -> worker publish (queue + render)", "worker"),
                       ("upload 201 -> photo.ready at the uploader's socket", "ready_own")):
        d = delays[key]
        print(f"  {label:54s} n {d['n']:6d}  p50 {d['p50']:7.1f} ms  p99 {d['p99']:7.1f} ms  "
              f"max {d['max']:7.1f} ms")
    print(f"  deliveries missing: {delays['missing']}; sockets closed by the server: "
          f"{len(live['closed'])}")
    print(f"fan-out alone ({PROBES} public events published to Redis, no HTTP traffic): API "
          f"CPU {fan_cpu * 1000:.1f} ms per event = {fan_cpu / connected * 1e6:.0f} us per "
          f"socket; Redis -> sockets p50 {fan_delays['p50']:.1f} ms, p99 "
          f"{fan_delays['p99']:.1f} ms; missing {fan_delays['missing']}")
    feed_p99 = hold["routes"].get("feed", {"p99": float("nan")})["p99"]
    event_p99 = delays["from_upload"]["p99"]
    checks = [("error rate 0", hold["errors"] == 0 and delays["missing"] == 0,
               f"{hold['error_rate'] * 100:.2f} %"),
              (f"feed p99 < {FEED_TARGET_MS} ms at {rate:.0f} req/s", feed_p99 < FEED_TARGET_MS,
               f"{feed_p99:.0f} ms"),
              (f"live event p99 < {EVENT_TARGET_MS} ms", event_p99 < EVENT_TARGET_MS,
               f"{event_p99:.0f} ms")]
    print("\ntargets:")
    for name, met, value in checks:
        print(f"  {name:38s} {value:>10s}  {'met' if met else 'NOT met'}")
    return 0


def main() -> None:
    """Start `mediahub up` in a temporary dir, measure, stop it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold-seconds", type=float, default=60)
    parser.add_argument("--step-seconds", type=float, default=15)
    parser.add_argument("--baseline-seconds", type=float, default=8)
    parser.add_argument("--photos", type=int, default=300)
    parser.add_argument("--break-p99-ms", type=float, default=500)
    parser.add_argument("--hold-rate", type=float, default=0,
                        help="hold at this rate (req/s) instead of the highest step meeting "
                             "the targets: to check a stated rate, e.g. twice a baseline's")
    parser.add_argument("--api-workers", type=int, default=1,
                        help="`mediahub up --api-workers N` (default: up's default, 1)")
    parser.add_argument("--ws-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    import uvloop

    if args.ws_child:
        uvloop.run(ws_child(args.ws_child))
        return
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mediahub-load-") as tmp_name:
        tmp = Path(tmp_name)
        running = start_up(tmp / "data", args.api_workers)
        try:
            status = uvloop.run(measure(running, tmp, args))
        except BaseException:
            for name in ("up.log", "data/logs/api.log", "data/logs/worker.log", "ws-child.log"):
                path = tmp / name
                if path.exists():
                    tail = path.read_text(errors="replace")[-2000:]
                    print(f"--- {name} (tail)\n{tail}", file=sys.stderr)
            raise
        finally:
            stop_up(running)
    print(f"\ntotal bench time: {time.perf_counter() - began:.0f} s")
    raise SystemExit(status)


if __name__ == "__main__":
    main()
