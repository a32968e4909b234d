"""Download tokens: HMAC-signed, URL-safe, expiring grants for GET /api/files/{token}."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from mediahub.core.storage import InvalidObjectKey
from mediahub.downloads.tokens import (
    DownloadGrant,
    InvalidDownloadToken,
    make_download_token,
    verify_download_token,
)

SECRET = SecretStr("s" * 40)
URL_SAFE = set(string.ascii_letters + string.digits + "-_.")


def future(seconds: int = 300) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def test_round_trip() -> None:
    expires = future()
    token = make_download_token(
        "photos/2024/ü.jpg", expires, SECRET, filename="Фото 1.jpg", content_type="image/jpeg"
    )
    assert set(token) <= URL_SAFE

    grant = verify_download_token(token, SECRET)
    assert grant == DownloadGrant(
        key="photos/2024/ü.jpg",
        expires_at=expires.replace(microsecond=0),
        filename="Фото 1.jpg",
        content_type="image/jpeg",
    )


def test_optional_fields_default_to_none() -> None:
    grant = verify_download_token(make_download_token("a/b", future(), SECRET), SECRET)
    assert (grant.filename, grant.content_type) == (None, None)


def test_secret_may_be_str_bytes_or_secretstr() -> None:
    raw = SECRET.get_secret_value()
    token = make_download_token("k", future(), raw)
    assert verify_download_token(token, raw.encode()).key == "k"
    assert verify_download_token(token, SECRET).key == "k"


def test_tampering_with_any_byte_is_rejected() -> None:
    token = make_download_token("media/clip.mp4", future(), SECRET, filename="clip.mp4")
    alphabet = string.ascii_letters + string.digits + "-_"
    for index, original in enumerate(token):
        for replacement in (alphabet[(alphabet.find(original) + 1) % len(alphabet)], "."):
            if replacement == original:
                continue
            tampered = token[:index] + replacement + token[index + 1 :]
            with pytest.raises(InvalidDownloadToken):
                verify_download_token(tampered, SECRET)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1],
        lambda t: t + "A",
        lambda t: t.replace(".", ""),
        lambda t: t.split(".")[0],
        lambda t: "." + t.split(".")[1],
        lambda t: t + "." + t.split(".")[1],
        lambda t: "",
        lambda t: t[:5] + "é" + t[6:],
        lambda t: t * 200,
    ],
)
def test_malformed_tokens_are_rejected(mangle) -> None:
    token = make_download_token("k", future(), SECRET)
    with pytest.raises(InvalidDownloadToken):
        verify_download_token(mangle(token), SECRET)


def test_signature_from_another_token_is_rejected() -> None:
    mine = make_download_token("mine.jpg", future(), SECRET)
    theirs = make_download_token("theirs.jpg", future(), SECRET)
    forged = mine.split(".")[0] + "." + theirs.split(".")[1]
    with pytest.raises(InvalidDownloadToken):
        verify_download_token(forged, SECRET)


def test_expired_token_is_rejected() -> None:
    token = make_download_token("k", datetime.now(UTC) - timedelta(seconds=1), SECRET)
    with pytest.raises(InvalidDownloadToken, match="expired"):
        verify_download_token(token, SECRET)


def test_expiry_boundary() -> None:
    expires = datetime(2030, 1, 1, tzinfo=UTC)
    token = make_download_token("k", expires, SECRET)
    verify_download_token(token, SECRET, now=expires - timedelta(seconds=1))
    with pytest.raises(InvalidDownloadToken, match="expired"):
        verify_download_token(token, SECRET, now=expires)


def test_wrong_secret_is_rejected() -> None:
    token = make_download_token("k", future(), SECRET)
    with pytest.raises(InvalidDownloadToken, match="invalid"):
        verify_download_token(token, SecretStr("t" * 40))


def test_arguments_are_validated() -> None:
    with pytest.raises(ValueError, match="timezone"):
        make_download_token("k", datetime.now() + timedelta(minutes=5), SECRET)  # noqa: DTZ005
    with pytest.raises(ValueError, match="empty"):
        make_download_token("k", future(), "")
    with pytest.raises(InvalidObjectKey):
        make_download_token("../etc/passwd", future(), SECRET)
