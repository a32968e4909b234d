"""`mediahub up`: whole system from one command; clean stop; restart keeps data; clear errors."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import psutil
import pytest

from mediahub.local.processes import free_port
from tests.support.processes import ManagedProcess, child_env, wait_until

pytestmark = pytest.mark.slow

UP_ENV = {"LOG_LEVEL": "WARNING"}


def _start_up(data_dir: Path, port: int, log: Path, *extra: str) -> ManagedProcess:
    return ManagedProcess(["up", "--port", str(port), "--data-dir", str(data_dir),
                           "--no-build-web", *extra], UP_ENV, log)


def _descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def _wait_ready_line(proc: ManagedProcess, timeout: float = 120) -> None:
    def ready() -> bool:
        assert proc.proc.poll() is None, proc.output()
        return "is ready at" in proc.output()

    wait_until(ready, timeout, "the ready line", interval=0.2)


def _selftest(data_dir: Path) -> subprocess.CompletedProcess[str]:
    state = json.loads((data_dir / "run.json").read_text())
    secrets = json.loads((data_dir / "secrets.json").read_text())
    env = child_env({"MEDIAHUB_MODE": "local", "DATABASE_URL": state["database_url"],
                     "REDIS_URL": state["redis_url"], "STORAGE_URL": state["storage_url"],
                     "JWT_SECRET": secrets["JWT_SECRET"]})
    return subprocess.run([sys.executable, "-m", "mediahub.cli", "selftest", "--timeout", "60"],
                          env=env, capture_output=True, text=True, timeout=90, check=False)


def test_up_runs_everything_stops_cleanly_and_keeps_data(tmp_path: Path) -> None:
    data_dir, port = tmp_path / "data", free_port()
    proc = _start_up(data_dir, port, tmp_path / "up1.log")
    try:
        _wait_ready_line(proc)
        base = f"http://127.0.0.1:{port}"
        ready = httpx.get(f"{base}/api/ready", timeout=5)
        assert ready.status_code == 200 and ready.json()["status"] == "ok"
        assert httpx.get(f"{base}/", timeout=5).status_code == 200
        assert httpx.get(f"{base}/studio/deep/link", timeout=5).status_code == 200
        result = _selftest(data_dir)  # API-side enqueue → Redis → the up-managed worker → DB
        assert result.returncode == 0, result.stdout + result.stderr
        children = _descendants(proc.pid)
        assert len(children) >= 4  # postgres, redis, api, worker (postgres has its own children)
    finally:
        code = proc.stop(timeout=60)
    assert code == 0, proc.output()
    assert "Mediahub stopped." in proc.output()
    gone = [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert gone == [], f"orphans left: {gone}"
    assert not (data_dir / "run.json").exists()
    assert not (data_dir / "postgres" / "pgdata" / "postmaster.pid").exists()

    # A restart on the same data dir keeps everything (the selftest row is still there).
    proc = _start_up(data_dir, port, tmp_path / "up2.log")
    try:
        _wait_ready_line(proc)
        state = json.loads((data_dir / "run.json").read_text())
        count = subprocess.run(
            [sys.executable, "-c",
             "import asyncio,asyncpg,sys\n"
             "async def m():\n"
             "    c=await asyncpg.connect(sys.argv[1])\n"
             "    print(await c.fetchval(\"select count(*) from job_runs where status='done'\"))\n"
             "asyncio.run(m())", state["database_url"]],
            capture_output=True, text=True, check=True,
        )
        assert count.stdout.strip() == "1"
    finally:
        assert proc.stop(timeout=60) == 0


@pytest.mark.parametrize("api_workers", [1, 2])
def test_killed_supervisor_leaves_no_orphans_and_restarts(tmp_path: Path,
                                                          api_workers: int) -> None:
    data_dir, port = tmp_path / "data", free_port()
    proc = _start_up(data_dir, port, tmp_path / "up.log", "--api-workers", str(api_workers))
    _wait_ready_line(proc)
    children = _descendants(proc.pid)
    servers = [p for p in children if "spawn_main" in " ".join(p.cmdline())]
    assert len(servers) == (api_workers if api_workers > 1 else 0)  # uvicorn's own processes
    proc.kill9()
    wait_until(lambda: not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE
                               for p in children), 30, "children to exit after the supervisor")
    proc = _start_up(data_dir, port, tmp_path / "up-again.log")
    try:
        _wait_ready_line(proc)  # stale run.json and postmaster.pid do not block a restart
    finally:
        assert proc.stop(timeout=60) == 0


def _run_up_expecting_error(args: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "mediahub.cli", "up", "--no-build-web", *args],
        env=child_env({**UP_ENV, **(env or {})}), capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_port_in_use_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        line = _run_up_expecting_error(["--port", str(port), "--data-dir", str(tmp_path / "d")])
    assert f"port {port}" in line and "in use" in line


def test_unwritable_data_dir_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    line = _run_up_expecting_error(["--port", str(free_port()), "--data-dir", str(blocker / "d")])
    assert "not writable" in line


def test_invalid_setting_is_a_one_line_error(tmp_path: Path) -> None:
    line = _run_up_expecting_error(["--port", str(free_port()), "--data-dir", str(tmp_path / "d")],
                                   {"MAX_UPLOAD_BYTES": "lots"})
    assert "MAX_UPLOAD_BYTES" in line


def test_unreachable_database_is_a_one_line_error(tmp_path: Path) -> None:
    url = f"postgresql://u:p@127.0.0.1:{free_port()}/x"
    line = _run_up_expecting_error(["--port", str(free_port()), "--data-dir", str(tmp_path / "d")],
                                   {"DATABASE_URL": url})
    assert "migrations failed" in line


def test_second_up_on_the_same_data_dir_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    proc = _start_up(data_dir, free_port(), tmp_path / "up.log")
    try:
        _wait_ready_line(proc)
        line = _run_up_expecting_error(["--port", str(free_port()), "--data-dir", str(data_dir)])
        assert "another mediahub up" in line
    finally:
        assert proc.stop(timeout=60) == 0
