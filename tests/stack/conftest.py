"""The running container stack (`scripts/stack up`), reached through nginx only.

These tests are collected only when MEDIAHUB_STACK_URL names a running stack: `scripts/stack
smoke` sets it (and scripts/test runs that). They talk to 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "stack smoke passphrase"


@dataclass
class Stack:
    """The stack under test: its URL and a way to run Compose on it."""

    url: str

    def compose(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        """Run `scripts/stack compose ARGS`; fail the test with its output if it fails."""
        return self._stack("compose", *args, timeout=timeout)

    def docker(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run the docker CLI of `scripts/stack docker ARGS`; fail the test if it fails."""
        return self._stack("docker", *args, timeout=timeout)

    def _stack(self, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([str(REPO / "scripts" / "stack"), *args],
                                capture_output=True, text=True, timeout=timeout, check=False)
        assert result.returncode == 0, (
            f"scripts/stack {' '.join(args)}:\n{result.stdout}\n{result.stderr}")
        return result

    def settings(self) -> dict[str, str]:
        """The values the stack was started with (.stack/stack.env)."""
        lines = (REPO / ".stack" / "stack.env").read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)

    def containers(self, service: str) -> list[dict]:
        """`compose ps` rows of one service (running ones)."""
        out = self.compose("ps", "--format", "json", service).stdout
        rows = [json.loads(line) for line in out.splitlines() if line.strip()]
        return [row for row in rows if row.get("State") == "running"]

    def wait_healthy(self) -> None:
        """Block until every service is healthy (compose up --wait on what is defined)."""
        self.compose("up", "-d", "--no-build", "--wait", "--wait-timeout", "600")


@pytest.fixture(scope="session")
def stack() -> Stack:
    url = os.environ["MEDIAHUB_STACK_URL"].rstrip("/")
    assert url.startswith("http://127.0.0.1:"), "test traffic goes to 127.0.0.1 only"
    httpx.get(f"{url}/api/ready", timeout=10).raise_for_status()
    return Stack(url)


@pytest.fixture
def client(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url, timeout=60) as c:
        yield c


def sign_up(client: httpx.Client, username: str) -> dict[str, str]:
    """Register (or sign in, on a rerun against the same volumes); return a bearer header."""
    body = {"username": username, "password": PASSWORD}
    response = client.post("/api/auth/register", json=body)
    if response.status_code == 409:
        response = client.post("/api/auth/login", json=body)
    assert response.status_code in (200, 201), response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
