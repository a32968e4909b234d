"""Child-process helpers: children die with their parent and stop gracefully, then forcibly."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def _death_signal_preexec(sig: int) -> Callable[[], None] | None:
    """A preexec hook asking Linux to signal the child when its parent dies (no orphans)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)
        os.setsid()  # own process group: Ctrl-C in the terminal reaches only the supervisor

    return preexec


def spawn(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    log_file: Path | None = None,
    death_signal: int = signal.SIGTERM,
    user: str | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start a child that receives `death_signal` if this process dies, even by SIGKILL."""
    out = open(log_file, "ab") if log_file else None  # noqa: SIM115 - owned by the child
    try:
        return subprocess.Popen(
            list(argv),
            env=env,
            stdout=out or None,
            stderr=subprocess.STDOUT if out else None,
            stdin=subprocess.DEVNULL,
            preexec_fn=_death_signal_preexec(death_signal),  # noqa: PLW1509 - no threads yet
            user=user,
            cwd=cwd,
        )
    finally:
        if out:
            out.close()


def stop(proc: subprocess.Popen[bytes], *, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
    """Ask a child to stop with `sig`, wait, then kill it; returns its exit code."""
    if proc.poll() is None:
        try:
            proc.send_signal(sig)
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
        except ProcessLookupError:
            pass
    return proc.wait()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now on `host`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_in_use(host: str, port: int) -> bool:
    """True when something already listens on host:port (or we may not bind it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False
