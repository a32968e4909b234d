"""AWS Signature Version 4 helpers shared by the stand-in server and the stand-in `mc`.

Standard library only (the image has Debian's python3 and nothing else).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import quote, unquote

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED = "UNSIGNED-PAYLOAD"


def aws_quote(text: str, safe: str = "-_.~") -> str:
    """Percent-encode as SigV4 wants: everything but A-Z a-z 0-9 - _ . ~ (and `safe`)."""
    return quote(text, safe=safe)


def split_query(raw: str) -> list[tuple[str, str]]:
    """Decode a raw query string into (name, value) pairs; blank values are kept, '+' stays '+'."""
    pairs = []
    for item in raw.split("&"):
        if not item:
            continue
        name, _, value = item.partition("=")
        pairs.append((unquote(name), unquote(value)))
    return pairs


def canonical_query(pairs: list[tuple[str, str]]) -> str:
    encoded = sorted((aws_quote(k), aws_quote(v)) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def canonical_header_value(values: list[str]) -> str:
    return ",".join(" ".join(v.split()) for v in values)


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def string_to_sign(amz_date: str, scope: str, canonical_request: str) -> str:
    digest = hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{digest}"


def signature(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def sign_headers(
    method: str,
    host: str,
    path: str,
    query: list[tuple[str, str]],
    body: bytes,
    access_key: str,
    secret_key: str,
    region: str = "us-east-1",
    extra_headers: dict[str, str] | None = None,
    now: datetime | None = None,
) -> dict[str, str]:
    """Headers (Authorization etc.) for a header-signed request; `path` is unencoded."""
    now = now or datetime.now(UTC)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    date = amz_date[:8]
    payload_hash = hashlib.sha256(body).hexdigest()
    headers = {"host": host, "x-amz-date": amz_date, "x-amz-content-sha256": payload_hash}
    for name, value in (extra_headers or {}).items():
        headers[name.lower()] = value
    names = sorted(headers)
    canonical = "\n".join([
        method,
        aws_quote(path, safe="/-_.~"),
        canonical_query(query),
        "".join(f"{n}:{canonical_header_value([headers[n]])}\n" for n in names),
        ";".join(names),
        payload_hash,
    ])
    scope = f"{date}/{region}/s3/aws4_request"
    sig = signature(signing_key(secret_key, date, region, "s3"),
                    string_to_sign(amz_date, scope, canonical))
    headers["authorization"] = (
        f"{ALGORITHM} Credential={access_key}/{scope}, "
        f"SignedHeaders={';'.join(names)}, Signature={sig}"
    )
    return headers
