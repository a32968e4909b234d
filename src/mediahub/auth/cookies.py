"""The browser's session cookie: the refresh token, out of reach of page scripts.

Access tokens stay in the page's memory (short-lived); the refresh token is also set as an
`HttpOnly` cookie so a reload or a new tab can start from it (`POST /api/auth/refresh` with
`{}`). `SameSite=Strict` keeps other sites from sending it, `Path=/api/auth` keeps it off
every other request, and `Secure` is set whenever the request came over HTTPS. See
docs/decisions/0013-web-client-and-tokens.md.
"""

from __future__ import annotations

from fastapi import Request, Response

REFRESH_COOKIE = "mediahub_refresh"
COOKIE_PATH = "/api/auth"
MAX_TOKEN_CHARS = 200


def _secure(request: Request) -> bool:
    # Behind nginx/TLS uvicorn sets the scheme from X-Forwarded-Proto (trusted proxies only).
    return request.url.scheme == "https"


def set_refresh_cookie(response: Response, request: Request, token: str, ttl_s: int) -> None:
    """Give the browser the session's refresh token for `ttl_s` seconds."""
    response.set_cookie(REFRESH_COOKIE, token, max_age=ttl_s, path=COOKIE_PATH, httponly=True,
                        samesite="strict", secure=_secure(request))


def clear_refresh_cookie_headers(request: Request) -> dict[str, str]:
    """Headers that make the browser drop the session cookie (for error answers too)."""
    response = Response()
    response.delete_cookie(REFRESH_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict",
                           secure=_secure(request))
    return {"set-cookie": response.headers["set-cookie"]}


def refresh_cookie(request: Request) -> str | None:
    """The refresh token from the session cookie, if one of plausible size is present."""
    token = request.cookies.get(REFRESH_COOKIE)
    return token if token and len(token) <= MAX_TOKEN_CHARS else None
