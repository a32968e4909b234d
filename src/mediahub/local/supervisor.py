"""`mediahub up`: the whole system in one process tree, on embedded defaults.

Order: data dir and port checks → secrets → PostgreSQL and Redis (unless URLs are given)
→ migrations → web build if missing → API and one worker → wait for /api/ready → print URL.
Ctrl-C / SIGTERM stops the children in reverse order; a dead worker is restarted.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from mediahub.local.processes import free_port, port_in_use, spawn, stop
from mediahub.local.secrets import load_or_create_local_secrets
from mediahub.local.servers import EmbeddedPostgres, EmbeddedRedis, ServerStartError
from mediahub.paths import REPO_WEB_DIST

WORKER_RESTART_LIMIT = 5  # restarts per 5 minutes before giving up
READY_TIMEOUT_S = 90


class StartupError(RuntimeError):
    """`up` cannot start; the message is shown as a single line."""


@dataclass
class UpOptions:
    """What the user asked `up` for."""

    host: str
    port: int
    data_dir: Path
    build_web: bool = True
    api_workers: int = 1


@dataclass
class Supervisor:
    """Owns every child process of `mediahub up`."""

    options: UpOptions
    postgres: EmbeddedPostgres | None = None
    redis: EmbeddedRedis | None = None
    api: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)
    worker_restarts: list[float] = field(default_factory=list)
    owns_run_file: bool = False
    secrets: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------------ start

    def check_preconditions(self) -> None:
        """Fail fast, with one clear line, before starting anything."""
        opts = self.options
        try:
            opts.data_dir.mkdir(parents=True, exist_ok=True)
            probe = opts.data_dir / ".write-test"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            raise StartupError(
                f"data dir {opts.data_dir} is not writable: {exc.strerror}"
            ) from None
        self._check_not_already_running()
        if port_in_use(opts.host, opts.port):
            raise StartupError(
                f"port {opts.port} on {opts.host} is already in use; choose another with --port"
            )

    @property
    def run_file(self) -> Path:
        """Written while the system runs: pid and URLs, for tools and to guard the data dir."""
        return self.options.data_dir / "run.json"

    def _check_not_already_running(self) -> None:
        if not self.run_file.exists():
            return
        try:
            pid = int(json.loads(self.run_file.read_text())["pid"])
        except (ValueError, KeyError, OSError):
            pid = 0
        if pid and _pid_alive(pid) and pid != os.getpid():
            raise StartupError(
                f"another mediahub up (pid {pid}) is using {self.options.data_dir}; stop it first"
            )
        self.run_file.unlink(missing_ok=True)  # left by a killed supervisor: stale

    def write_run_file(self, url: str) -> None:
        """Record the running system (mode 0600: it holds connection passwords)."""
        state = {"pid": os.getpid(), "url": url, "database_url": self.env["DATABASE_URL"],
                 "redis_url": self.env["REDIS_URL"], "storage_url": self.env["STORAGE_URL"]}
        tmp = self.run_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=2))
        tmp.chmod(0o600)
        tmp.replace(self.run_file)
        self.owns_run_file = True

    def prepare_environment(self) -> None:
        """Environment for the children: embedded URLs unless the user set their own."""
        secrets = self.secrets = load_or_create_local_secrets(self.options.data_dir)
        env = dict(os.environ)
        env["MEDIAHUB_MODE"] = "local"
        env["MEDIAHUB_DATA_DIR"] = str(self.options.data_dir)
        env.setdefault("JWT_SECRET", secrets["JWT_SECRET"])
        env.setdefault("MAX_BOT_TOKEN", secrets["MAX_BOT_TOKEN"])
        env.setdefault("STORAGE_URL", (self.options.data_dir / "objects").resolve().as_uri())
        self.env = env

    def validate_settings(self) -> None:
        """Check the children's settings; runs while the API imports (it is not instant)."""
        from pydantic import ValidationError

        from mediahub.config import Settings

        probe = dict(self.env)
        probe.setdefault("DATABASE_URL", "postgresql://placeholder/db")
        probe.setdefault("REDIS_URL", "redis://placeholder")
        # Settings read os.environ; validate exactly what the children will see.
        saved = dict(os.environ)
        try:
            os.environ.clear()
            os.environ.update(probe)
            Settings()  # type: ignore[call-arg]
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "settings"
            raise StartupError(f"invalid setting {where.upper()}: {first['msg']}") from None
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def plan_dependencies(self) -> None:
        """Choose embedded servers (and their ports/URLs) unless external URLs are configured.

        URLs are known before the servers run, so the API and worker can start importing
        in parallel with the servers booting (they retry their connections).
        """
        secrets = self.secrets
        if "DATABASE_URL" not in self.env:
            self.postgres = EmbeddedPostgres(
                self.options.data_dir / "postgres", secrets["POSTGRES_PASSWORD"], port=free_port()
            )
            self.env["DATABASE_URL"] = self.postgres.url
        if "REDIS_URL" not in self.env:
            redis_dir = self.options.data_dir / "redis"
            self.redis = EmbeddedRedis(redis_dir, secrets["REDIS_PASSWORD"], port=free_port())
            self.env["REDIS_URL"] = self.redis.url

    def start_dependencies(self) -> None:
        """Boot the embedded servers side by side; one clear error if either fails."""
        servers = [s for s in (self.postgres, self.redis) if s is not None]
        try:
            for server in servers:
                server.launch()
            for server in servers:
                server.wait_until_ready()
        except ServerStartError as exc:
            raise StartupError(str(exc)) from None

    def migrate(self) -> None:
        """Apply migrations in this process (same code as `mediahub migrate`)."""
        import logging

        logging.getLogger("alembic").setLevel(logging.WARNING)  # keep `up`'s output short
        from mediahub.config import normalize_database_url
        from mediahub.db_migrations import upgrade_to_head

        try:
            upgrade_to_head(normalize_database_url(self.env["DATABASE_URL"]))
        except Exception as exc:  # noqa: BLE001 - any failure is reported as one line
            message = str(exc).strip().splitlines()
            detail = message[-1] if message else type(exc).__name__
            raise StartupError(f"migrations failed: {type(exc).__name__}: {detail}") from None

    def ensure_web_build(self) -> None:
        """Build the web app once if its build is missing and npm is available."""
        dist = Path(self.env.get("WEB_DIST_DIR") or REPO_WEB_DIST)
        if (dist / "index.html").exists() or not self.options.build_web:
            return
        web_dir = REPO_WEB_DIST.parent
        npm = shutil.which("npm")
        if npm is None or not (web_dir / "package.json").exists():
            print("note: web app not built and npm not found; the API still runs. Install "
                  "Node.js 20+ and run: npm --prefix web ci && npm --prefix web run build",
                  flush=True)
            return
        print("building the web app (first start only)…", flush=True)
        for args in (["ci", "--no-audit", "--no-fund"], ["run", "build"]):
            result = subprocess.run([npm, *args], cwd=web_dir, capture_output=True, text=True,
                                    check=False)
            if result.returncode != 0:
                tail = (result.stderr or result.stdout).strip().splitlines()[-1:]
                print(f"note: web build failed ({' '.join(tail)}); the API still runs",
                      flush=True)
                return

    def start_api(self) -> None:
        """Start the API process."""
        log = self.options.data_dir / "logs" / "api.log"
        log.parent.mkdir(exist_ok=True)
        self.api = spawn(
            [sys.executable, "-m", "mediahub.cli", "api", "--host", self.options.host,
             "--port", str(self.options.port), "--workers", str(self.options.api_workers)],
            env=self.env, log_file=log,
        )

    def start_worker(self) -> None:
        """Start (or restart) the worker process."""
        log = self.options.data_dir / "logs" / "worker.log"
        log.parent.mkdir(exist_ok=True)
        self.worker = spawn([sys.executable, "-m", "mediahub.cli", "worker"], env=self.env,
                            log_file=log)

    def wait_ready(self) -> None:
        """Poll /api/ready until every check passes."""
        url = f"http://{self._connect_host()}:{self.options.port}/api/ready"
        deadline = time.monotonic() + READY_TIMEOUT_S
        last = "no answer"
        while time.monotonic() < deadline and not self.stopping.is_set():
            assert self.api is not None
            if self.api.poll() is not None:
                log = self.options.data_dir / "logs" / "api.log"
                raise StartupError(f"the API process exited; see {log}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our URL
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                last = exc.read(200).decode(errors="replace")
            except OSError as exc:
                last = str(exc)
            time.sleep(0.05)
        if not self.stopping.is_set():  # asked to stop while starting: not an error
            raise StartupError(f"the system did not become ready: {last}")

    def _connect_host(self) -> str:
        wildcard = ("0.0.0.0", "", "::")  # noqa: S104 - we connect to, not bind, these
        return "127.0.0.1" if self.options.host in wildcard else self.options.host

    # ------------------------------------------------------------------ run / stop

    def watch(self) -> None:
        """Block until asked to stop; restart a crashed worker, stop if the API dies."""
        while not self.stopping.wait(0.5):
            if self.api is not None and self.api.poll() is not None:
                raise StartupError(f"the API process exited with code {self.api.returncode}")
            if self.worker is not None and self.worker.poll() is not None:
                self._restart_worker()

    def _restart_worker(self) -> None:
        now = time.monotonic()
        self.worker_restarts = [t for t in self.worker_restarts if now - t < 300] + [now]
        if len(self.worker_restarts) > WORKER_RESTART_LIMIT:
            raise StartupError("the worker keeps crashing; see logs/worker.log")
        print(f"worker exited (code {self.worker.returncode if self.worker else '?'}); "
              "restarting", flush=True)
        self.start_worker()

    def shutdown(self) -> None:
        """Stop children in reverse dependency order; idempotent."""
        for name in ("api", "worker"):
            proc = getattr(self, name)
            if proc is not None:
                stop(proc, sig=signal.SIGTERM, timeout=20)
                setattr(self, name, None)
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.stop()
        if self.owns_run_file:
            self.run_file.unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_up(options: UpOptions) -> int:
    """Entry point of `mediahub up`; returns the process exit code."""
    sup = Supervisor(options)

    def on_signal(signum: int, _frame: object) -> None:
        sup.stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    started = time.monotonic()
    try:
        sup.check_preconditions()
        sup.prepare_environment()
        sup.ensure_web_build()
        sup.plan_dependencies()
        # The API imports its code while the servers boot and migrations run; /api/ready
        # turns green only once the schema is at head. The worker is not needed for that,
        # so it starts afterwards instead of competing for the CPU (2 cores here).
        sup.start_api()
        sup.validate_settings()
        sup.start_dependencies()
        sup.migrate()
        sup.wait_ready()
        sup.start_worker()
        if not sup.stopping.is_set():
            url = f"http://{sup._connect_host()}:{options.port}/"
            sup.write_run_file(url)
            print(f"Mediahub is ready at {url} (started in {time.monotonic() - started:.1f}s; "
                  f"data in {options.data_dir}). Press Ctrl-C to stop.", flush=True)
            sup.watch()
        return 0
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        sup.shutdown()
        if sup.stopping.is_set():
            print("Mediahub stopped.", flush=True)
