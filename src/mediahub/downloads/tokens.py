"""Download tokens: HMAC-signed, URL-safe, expiring grants for GET /api/files/{token}.

Local-disk storage has no presigned URLs, so the API hands out these tokens and the download
route (downloads/router.py) streams the object they name.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mediahub.core.storage import StorageError, validate_key

if TYPE_CHECKING:
    from pydantic import SecretStr


class InvalidDownloadToken(StorageError):
    """The download token is malformed, tampered with, signed with another secret or expired."""


# Derive a dedicated key so a download token can never double as a JWT signed with the same
# secret (and vice versa); bump the label to invalidate every outstanding token.
_TOKEN_KEY_LABEL = b"mediahub/download-token/v1"


@dataclass(frozen=True, slots=True)
class DownloadGrant:
    """What a valid download token authorizes."""

    key: str
    expires_at: datetime
    filename: str | None = None
    content_type: str | None = None
    # The object the file belongs to and its access version when the link was made: the
    # download route refuses the link once the version moved on (access was taken away).
    object_id: str | None = None
    access_version: int | None = None


def _token_key(secret: str | bytes | SecretStr) -> bytes:
    raw = secret.get_secret_value() if hasattr(secret, "get_secret_value") else secret
    raw_bytes = raw.encode() if isinstance(raw, str) else bytes(raw)
    if not raw_bytes:
        raise ValueError("download token secret is empty")
    return _derive_token_key(raw_bytes)


@functools.lru_cache(maxsize=8)
def _derive_token_key(raw_secret: bytes) -> bytes:
    # A feed page signs ~150 links; derive the key once per secret, not once per link.
    return hmac.new(raw_secret, _TOKEN_KEY_LABEL, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _sign(payload_b64: str, key: bytes) -> str:
    return _b64(hmac.new(key, payload_b64.encode("ascii"), hashlib.sha256).digest())


def make_download_token(
    key: str,
    expires_at: datetime,
    secret: str | bytes | SecretStr,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    access: tuple[str, int] | None = None,
) -> str:
    """A URL-safe HMAC-SHA256 token granting GET of `key` until `expires_at` (tz-aware).

    `access` (object id, access version) binds the link to the object's current access.
    """
    validate_key(key)
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    claims: dict[str, Any] = {"k": key, "e": int(expires_at.timestamp())}
    if filename:
        claims["f"] = filename
    if content_type:
        claims["t"] = content_type
    if access is not None:
        claims["o"], claims["v"] = access
    payload = _b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{payload}.{_sign(payload, _token_key(secret))}"


def verify_download_token(
    token: str, secret: str | bytes | SecretStr, *, now: datetime | None = None
) -> DownloadGrant:
    """Check signature and expiry of a download token; raise InvalidDownloadToken otherwise."""
    invalid = InvalidDownloadToken("download link is invalid")
    if not isinstance(token, str) or len(token) > 4096 or not token.isascii():
        raise invalid
    payload, sep, signature = token.partition(".")
    if not sep or not payload or not signature:
        raise invalid
    # The MAC covers the base64 text itself and is compared as text: base64 has several
    # spellings of the same bytes, and every byte of the token must matter.
    expected = _sign(payload, _token_key(secret))
    if not hmac.compare_digest(signature.encode("ascii"), expected.encode("ascii")):
        raise invalid
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        grant = DownloadGrant(
            key=validate_key(claims["k"]),
            expires_at=datetime.fromtimestamp(int(claims["e"]), UTC),
            filename=claims.get("f"),
            content_type=claims.get("t"),
            object_id=claims.get("o"),
            access_version=claims.get("v"),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise invalid from exc
    if (now or datetime.now(UTC)) >= grant.expires_at:
        raise InvalidDownloadToken("download link has expired")
    return grant
