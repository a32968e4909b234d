"""Filesystem locations known at import time (kept dependency-free for fast CLI startup)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
REPO_WEB_DIST = REPO_ROOT / "web" / "dist"
