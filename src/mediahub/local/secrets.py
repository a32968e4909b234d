"""Secrets of local mode: generated once, kept in the data dir (mode 0600)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

_GENERATORS = {
    "JWT_SECRET": lambda: secrets.token_hex(32),
    "MAX_BOT_TOKEN": lambda: "local-" + secrets.token_hex(16),
    "POSTGRES_PASSWORD": lambda: secrets.token_urlsafe(24),
    "REDIS_PASSWORD": lambda: secrets.token_urlsafe(24),
}


def load_or_create_local_secrets(data_dir: Path) -> dict[str, str]:
    """Read `<data_dir>/secrets.json`, adding any missing secret (written atomically)."""
    path = data_dir / "secrets.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [key for key in _GENERATORS if not stored.get(key)]
    if missing:
        for key in missing:
            stored[key] = _GENERATORS[key]()
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(stored, indent=2))
        tmp.chmod(0o600)
        tmp.replace(path)
    return stored
