"""Short-lived links to stored files: presigned S3 URLs, or our own signed download route."""

from __future__ import annotations

import functools
import math
import time
from datetime import UTC, datetime

from pydantic import SecretStr

from mediahub.config import Settings
from mediahub.core.storage import ObjectStore
from mediahub.downloads.tokens import make_download_token


def _expiry(ttl_s: int) -> datetime:
    """Expiry rounded up to a window boundary, so links stay identical (and cacheable by
    browsers) for a while instead of changing on every request; always ≥ ttl_s away."""
    now = time.time()
    return datetime.fromtimestamp(math.ceil(now / ttl_s) * ttl_s + ttl_s, UTC)


def link_expiry(ttl_s: int) -> datetime:
    """The expiry of every link made now (window-aligned: the same for a while)."""
    return _expiry(ttl_s)


def signed_download_path(key: str, expires_at: datetime, secret: SecretStr,
                         filename: str | None, content_type: str,
                         access: tuple[str, int] | None) -> str:
    """Our own signed download link for `key` until `expires_at` (not the S3 presigned one)."""
    return _download_path(key, expires_at, secret, filename, content_type, access)


async def file_url(
    store: ObjectStore, settings: Settings, key: str, *, content_type: str,
    filename: str | None = None, access: tuple[str, int] | None = None,
) -> str:
    """A URL that serves `key` to whoever holds it, until it expires.

    With `access` (object id, access version) our own link also ends when the object's
    access version moves on. S3 presigned links cannot be ended early: they live to expiry.
    """
    expires_at = _expiry(settings.signed_url_ttl_seconds)
    if settings.s3_presigned_downloads:
        signed = await store.signed_url(
            key, expires_in=expires_at - datetime.now(UTC), filename=filename
        )
        if signed is not None:
            return signed
    return _download_path(key, expires_at, settings.jwt_secret, filename, content_type, access)


@functools.lru_cache(maxsize=8192)
def _download_path(key: str, expires_at: datetime, secret: SecretStr, filename: str | None,
                   content_type: str, access: tuple[str, int] | None) -> str:
    # Expiries are window-aligned, so every feed page in a window asks for the same links:
    # sign each once (signing was ~10 % of a feed request's CPU in bench/load.py).
    token = make_download_token(key, expires_at, secret, filename=filename,
                                content_type=content_type, access=access)
    return f"/api/files/{token}"

