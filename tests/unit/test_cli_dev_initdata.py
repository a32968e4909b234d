"""`mediahub dev-initdata` prints launch data our own validator accepts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mediahub.auth.initdata import validate_init_data


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mediahub.cli", "dev-initdata", *args],
                          env=env, capture_output=True, text=True, timeout=60, check=False)


def test_signs_with_the_bot_token_from_the_environment() -> None:
    env = {"PATH": "/usr/bin:/bin", "MAX_BOT_TOKEN": "dev-bot-token"}
    result = _run(["--user-id", "42", "--first-name", "Alice", "--username", "alice"], env)
    assert result.returncode == 0, result.stderr
    data = validate_init_data(result.stdout.strip(), "dev-bot-token")
    assert (data.user.id, data.user.first_name, data.user.username) == (42, "Alice", "alice")


def test_signs_with_the_local_data_dirs_token(tmp_path: Path) -> None:
    (tmp_path / "secrets.json").write_text(json.dumps({"MAX_BOT_TOKEN": "from-data-dir"}))
    result = _run(["--data-dir", str(tmp_path)], {"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert validate_init_data(result.stdout.strip(), "from-data-dir").user.id == 1001


def test_without_a_token_it_says_what_to_do(tmp_path: Path) -> None:
    result = _run(["--data-dir", str(tmp_path / "none")], {"PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert "MAX_BOT_TOKEN" in result.stderr
