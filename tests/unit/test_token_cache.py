"""Access tokens remembered per process (auth/tokens.py): never past expiry, never across keys."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from mediahub.auth import tokens

SECRET = "s" * 40


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the real verifications behind the cache (an empty cache to start with)."""
    calls: list[str] = []
    real = tokens.verify_access_token

    def counted(token: str, *, secret: str) -> tokens.AccessClaims:
        calls.append(token)
        return real(token, secret=secret)

    monkeypatch.setattr(tokens, "verify_access_token", counted)
    monkeypatch.setattr(tokens, "_verified", {})
    return calls


def test_a_token_is_verified_once_until_it_expires(verifications, monkeypatch) -> None:  # noqa: ANN001
    user, family = uuid.uuid4(), uuid.uuid4()
    token, expires = tokens.issue_access_token(user, family, secret=SECRET,
                                               ttl=timedelta(minutes=15))
    first = tokens.verify_access_token_cached(token, secret=SECRET)
    again = tokens.verify_access_token_cached(token, secret=SECRET)
    assert first == again and first.user_id == user and first.family_id == family
    assert len(verifications) == 1
    # Past its expiry the cache no longer answers: the token is verified (and refused) again.
    later = expires.timestamp() + 60
    monkeypatch.setattr(tokens.time, "time", lambda: later)
    import jwt
    monkeypatch.setattr(jwt.api_jwt, "datetime", _Frozen(later))
    with pytest.raises(tokens.InvalidAccessToken) as refused:
        tokens.verify_access_token_cached(token, secret=SECRET)
    assert refused.value.code == "auth.token_expired" and len(verifications) == 2


def test_a_cached_token_is_not_accepted_under_another_secret(verifications) -> None:  # noqa: ANN001
    token, _ = tokens.issue_access_token(uuid.uuid4(), uuid.uuid4(), secret=SECRET,
                                         ttl=timedelta(minutes=15))
    tokens.verify_access_token_cached(token, secret=SECRET)
    with pytest.raises(tokens.InvalidAccessToken) as refused:
        tokens.verify_access_token_cached(token, secret="another secret of enough length!!")
    assert refused.value.code == "auth.token_invalid" and len(verifications) == 2


def test_invalid_tokens_are_not_remembered(verifications) -> None:  # noqa: ANN001
    for _ in range(2):
        with pytest.raises(tokens.InvalidAccessToken):
            tokens.verify_access_token_cached("not.a.token", secret=SECRET)
    assert len(verifications) == 2 and tokens._verified == {}


class _Frozen:
    """Stands in for PyJWT's `datetime` module attribute: `now()` at a fixed instant."""

    def __init__(self, at: float) -> None:
        self._at = at

    def now(self, tz=None):  # noqa: ANN001, ANN201
        from datetime import datetime
        return datetime.fromtimestamp(self._at, tz)

    def __getattr__(self, name: str):  # noqa: ANN204
        from datetime import datetime
        return getattr(datetime, name)
