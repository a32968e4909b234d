"""Forged credentials not covered by tests/integration/test_auth.py and tests/unit/test_initdata.py.

Already covered there: JWT alg none, wrong key, HS512, expired, refresh-as-access, garbage;
InitData tampered, other bot, stale, future, duplicated keys, bad hash, oversized.
Added here: `alg` spelled in other cases, a signature appended to an alg-none token, key
confusion through an embedded `jwk`/`jku`/`kid` header (RS256 and HS256 with the attacker's
key), an empty HMAC key, a missing required claim, a valid token for a user who no longer
exists; InitData signed with the bot token directly (no WebAppData derivation), with the
JWT secret, or replayed for another user id.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import uuid

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mediahub.auth.initdata import make_test_init_data
from mediahub.config import Settings
from tests.hostile.helpers import me
from tests.support.accounts import user


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(user_id: str) -> dict:
    now = int(time.time())
    return {"sub": user_id, "fam": user_id, "iat": now, "exp": now + 600, "iss": "mediahub",
            "aud": "mediahub-api", "typ": "access"}


def _unsigned(header: dict, claims: dict, signature: str = "") -> str:
    return (f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}."
            f"{signature}")


def _hs256(claims: dict, key: bytes) -> str:
    """HS256 signed by hand (PyJWT refuses PEM keys and empty keys as HMAC secrets)."""
    head_body = _unsigned({"alg": "HS256", "typ": "JWT"}, claims).rstrip(".")
    return head_body + "." + _b64(hmac.new(key, head_body.encode(), hashlib.sha256).digest())


def _forgeries(settings: Settings, user_id: str) -> dict[str, str]:
    claims = _claims(user_id)
    secret = settings.jwt_secret.get_secret_value()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    valid = jwt.encode(claims, secret, algorithm="HS256")
    forged = {
        **{f"alg-{alg}": _unsigned({"alg": alg, "typ": "JWT"}, claims)
           for alg in ("None", "NONE", "nOnE")},
        "none-with-valid-signature": _unsigned({"alg": "none"}, claims, valid.split(".")[2]),
        "rs256-embedded-jwk": jwt.encode(claims, key, algorithm="RS256", headers={"jwk": jwk}),
        "rs256-jku": jwt.encode(claims, key, algorithm="RS256",
                                headers={"jku": "https://attacker.example/jwks.json"}),
        # classic confusion: HS256 keyed with the attacker's public key text
        "hs256-public-key-as-secret": _hs256(claims, public_pem),
        "hs256-kid-traversal-empty-key": _unsigned(
            {"alg": "HS256", "kid": "../../../../dev/null"}, claims,
            _b64(hmac.new(b"", b"x", hashlib.sha256).digest())),
        "hs256-empty-key": _hs256(claims, b""),
        "missing-fam": jwt.encode({k: v for k, v in claims.items() if k != "fam"}, secret,
                                  algorithm="HS256"),
        "wrong-audience": jwt.encode({**claims, "aud": "someone-else"}, secret,
                                     algorithm="HS256"),
        "wrong-issuer": jwt.encode({**claims, "iss": "evil"}, secret, algorithm="HS256"),
        "sub-not-uuid": jwt.encode({**claims, "sub": "1 OR 1=1"}, secret, algorithm="HS256"),
    }
    return forged


async def test_forged_access_tokens_are_401(settings: Settings, client: httpx.AsyncClient) -> None:
    auth = await user(client, "victim")
    victim = (await me(client, auth))["id"]
    forged = _forgeries(settings, victim)
    for name, token in forged.items():
        for method, url in (("GET", "/api/auth/me"), ("GET", "/api/photos/mine"),
                            ("PATCH", "/api/auth/me")):
            response = await client.request(method, url, json={} if method == "PATCH" else None,
                                             headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, (name, url, response.text)
    # The control: the same claims signed with the real secret do work (the forgeries were
    # refused for their forgery, not for some other mistake in the claims).
    real = jwt.encode(_claims(victim), settings.jwt_secret.get_secret_value(), algorithm="HS256")
    assert (await client.get("/api/auth/me",
                             headers={"Authorization": f"Bearer {real}"})).status_code == 200


async def test_token_of_a_user_that_does_not_exist_is_401(settings: Settings,
                                                         client: httpx.AsyncClient) -> None:
    token = jwt.encode(_claims(str(uuid.uuid4())), settings.jwt_secret.get_secret_value(),
                       algorithm="HS256")
    response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def _resign(raw: str, key: bytes) -> str:
    """Re-sign init data with `key` used directly as the HMAC key."""
    pairs = [p.split("=", 1) for p in raw.split("&") if not p.startswith("hash=")]
    fields = {k: urllib.parse.unquote(v) for k, v in pairs}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    digest = hmac.new(key, check.encode(), hashlib.sha256).hexdigest()
    return "&".join(f"{k}={v}" for k, v in pairs) + f"&hash={digest}"


@pytest.mark.parametrize("variant", ["bot-token-as-key", "jwt-secret-as-key",
                                     "sha256-of-token-as-key"])
async def test_initdata_signed_with_the_wrong_derivation_is_401(
        settings: Settings, client: httpx.AsyncClient, variant: str) -> None:
    bot = settings.max_bot_token.get_secret_value()
    raw = make_test_init_data(bot, user_id=4242)
    assert (await client.post("/api/auth/login", json={"init_data": raw})).status_code == 200
    key = {"bot-token-as-key": bot.encode(),
           "jwt-secret-as-key": settings.jwt_secret.get_secret_value().encode(),
           "sha256-of-token-as-key": hashlib.sha256(bot.encode()).digest()}[variant]
    forged = _resign(make_test_init_data(bot, user_id=4243), key)
    response = await client.post("/api/auth/login", json={"init_data": forged})
    assert response.status_code == 401, response.text


async def test_initdata_user_cannot_be_swapped(settings: Settings,
                                               client: httpx.AsyncClient) -> None:
    """Valid launch data for user 1, with its `user` field replaced by user 2's: refused."""
    bot = settings.max_bot_token.get_secret_value()
    one = dict(p.split("=", 1) for p in make_test_init_data(bot, user_id=1).split("&"))
    two = dict(p.split("=", 1) for p in make_test_init_data(bot, user_id=2).split("&"))
    swapped = "&".join(f"{k}={two['user'] if k == 'user' else v}" for k, v in one.items())
    response = await client.post("/api/auth/login", json={"init_data": swapped})
    assert response.status_code == 401, response.text
