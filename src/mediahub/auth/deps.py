"""Request dependencies: the current user from a bearer token, client address, limits."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.requests import HTTPConnection

from mediahub.auth import tokens
from mediahub.auth.service import Revocations
from mediahub.core.db import SessionDep
from mediahub.core.errors import Unauthorized
from mediahub.core.ratelimit import RateLimiter
from mediahub.core.raw import RawStatement
from mediahub.users.models import User

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_bearer = HTTPBearer(auto_error=False, description="Access token from /api/auth/login")


def _unauthorized(detail: str, *, code: str) -> Unauthorized:
    return Unauthorized(detail, code=code, headers={"WWW-Authenticate": "Bearer"})


def client_address(request: Request) -> str:
    """The caller's IP (uvicorn resolves X-Forwarded-For from trusted proxies only)."""
    return request.client.host if request.client else "unknown"


async def get_rate_limiter(conn: HTTPConnection) -> RateLimiter:
    """The process's shared rate limiter."""
    return conn.app.state.rate_limiter


async def get_revocations(conn: HTTPConnection) -> Revocations:
    """The process's view of revoked sessions (HTTP routes and WebSockets)."""
    return conn.app.state.revocations


async def current_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The signed-in user; 401 for a missing, invalid, expired or revoked token.

    Writes also spend from the user's request budget, shared by all API processes.
    """
    if credentials is None:
        raise _unauthorized("sign in first: missing bearer token", code="auth.not_signed_in")
    settings = request.app.state.settings
    try:
        claims = tokens.verify_access_token_cached(
            credentials.credentials, secret=settings.jwt_secret.get_secret_value()
        )
    except tokens.InvalidAccessToken as exc:
        raise _unauthorized(str(exc), code=exc.code) from None
    if await (await get_revocations(request)).is_revoked(claims.family_id):
        raise _unauthorized("this session was signed out", code="auth.signed_out")
    if getattr(request.state, "read_only", False):
        user = await _user_row(session, claims.user_id)
    else:
        user = await session.get(User, claims.user_id)
    if user is None:
        raise _unauthorized("account no longer exists", code="auth.account_gone")
    if request.method in WRITE_METHODS:
        await (await get_rate_limiter(request)).consume(
            settings.rate_limit_writes, "writes", str(user.id), what="write requests"
        )
    request.state.user_id = user.id
    return user


# A read-only request (core.db.read_only) gets the user from one row on asyncpg, not an ORM
# load (~0.25 ms): no relationships, nothing of it is written, so a transient User is enough.
_USER_KEYS = tuple(User.__mapper__.get_property_by_column(c).key for c in User.__table__.columns)
_USER = RawStatement(select(*User.__table__.columns).where(User.id == bindparam("id")))


async def _user_row(session: AsyncSession | AsyncConnection, user_id: uuid.UUID) -> User | None:
    rows = await _USER.fetch(session, {"id": user_id})
    if not rows:
        return None
    values = dict(zip(_USER_KEYS, rows[0], strict=True))
    values["id"] = user_id  # a uuid.UUID, as the ORM gives (asyncpg has its own UUID class)
    return User(**values)


CurrentUser = Annotated[User, Depends(current_user)]
RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]
RevocationsDep = Annotated[Revocations, Depends(get_revocations)]


async def optional_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User | None:
    """The signed-in user, or None for anonymous callers (an invalid token is still 401)."""
    if credentials is None:
        return None
    return await current_user(request, session, credentials)


OptionalUser = Annotated[User | None, Depends(optional_user)]


async def lean_viewer(request: Request, connection: AsyncConnection, *,
                      required: bool = False) -> User | None:
    """OptionalUser (CurrentUser if `required`) for a lean read-only route (core/lean.py):
    the same header, checks and 401s, the user read on `connection` (no session)."""
    request.state.read_only = True
    check = current_user if required else optional_user
    return await check(request, connection, await _bearer(request))
