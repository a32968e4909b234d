"""Settings: validation, secret policy, local secrets file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from mediahub.config import Mode, Settings
from mediahub.local.secrets import load_or_create_local_secrets

BASE = {
    "DATABASE_URL": "postgresql://u:p@db:5432/app",
    "REDIS_URL": "redis://redis:6379/0",
    "STORAGE_URL": "s3://media",
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch):
    """Set environment variables for one Settings() read, starting from a clean slate."""
    for key in (*BASE, "JWT_SECRET", "MAX_BOT_TOKEN", "MEDIAHUB_MODE", "CORS_ORIGINS"):
        monkeypatch.delenv(key, raising=False)

    def apply(**values: str) -> Settings:
        for key, value in {**BASE, **values}.items():
            monkeypatch.setenv(key, value)
        return Settings()

    return apply


def test_production_refuses_missing_jwt_secret(env) -> None:
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        env()


@pytest.mark.parametrize("secret", ["changeme", "secret", "short-but-real"])
def test_production_refuses_placeholder_or_short_secret(env, secret: str) -> None:
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        env(JWT_SECRET=secret)


def test_production_accepts_strong_secret(env) -> None:
    settings = env(JWT_SECRET="a" * 16 + "b" * 16 + "c" * 8)
    assert settings.mode is Mode.PRODUCTION


def test_production_refuses_placeholder_bot_token(env) -> None:
    with pytest.raises(ValidationError, match="MAX_BOT_TOKEN"):
        env(JWT_SECRET="k" * 40, MAX_BOT_TOKEN="changeme")


def test_local_mode_allows_generated_defaults(env) -> None:
    assert env(MEDIAHUB_MODE="local").mode is Mode.LOCAL


def test_database_url_is_normalised_to_asyncpg(env) -> None:
    settings = env(MEDIAHUB_MODE="local", DATABASE_URL="postgres://u:p@h/db")
    assert settings.database_url == "postgresql+asyncpg://u:p@h/db"


@pytest.mark.parametrize(
    ("key", "value"),
    [("DATABASE_URL", "mysql://x/y"), ("REDIS_URL", "http://x"), ("STORAGE_URL", "ftp://x"),
     ("MAX_UPLOAD_BYTES", "lots"), ("WORKER_CONCURRENCY", "0")],
)
def test_invalid_settings_are_rejected(env, key: str, value: str) -> None:
    with pytest.raises(ValidationError):
        env(MEDIAHUB_MODE="local", **{key: value})


def test_cors_origins_accept_csv_and_json(env) -> None:
    csv = env(MEDIAHUB_MODE="local", CORS_ORIGINS="https://a.example, https://b.example")
    assert csv.cors_origins == ["https://a.example", "https://b.example"]
    js = env(MEDIAHUB_MODE="local", CORS_ORIGINS='["https://c.example"]')
    assert js.cors_origins == ["https://c.example"]


def test_local_secrets_are_generated_once_and_private(tmp_path: Path) -> None:
    first = load_or_create_local_secrets(tmp_path)
    second = load_or_create_local_secrets(tmp_path)
    assert first == second
    assert len(first["JWT_SECRET"]) >= 32
    mode = stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode)
    assert mode == 0o600
