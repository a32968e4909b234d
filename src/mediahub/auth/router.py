"""`/api/auth`: register, sign in (password or MAX), refresh, sign out, profile."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Body, Request, Response, status

from mediahub.auth import service
from mediahub.auth.deps import CurrentUser, RateLimiterDep, RevocationsDep, client_address
from mediahub.auth.initdata import InitDataError, validate_init_data
from mediahub.auth.passwords import PasswordPolicyError
from mediahub.auth.schemas import (
    MaxLogin,
    PasswordLogin,
    ProfileUpdate,
    RefreshRequest,
    RegisterRequest,
    TokenResponse,
    UserOut,
)
from mediahub.core.db import SessionDep
from mediahub.core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    TooManyRequests,
    Unauthorized,
)

router = APIRouter(prefix="/auth", tags=["auth"])
log = logging.getLogger(__name__)

# InitData problems that mean "not signed by MAX for us, or no longer valid" → 401;
# everything else is a malformed request → 400.
_INITDATA_UNAUTHORIZED = {"bad_signature", "expired", "from_future"}


def _tokens(issued: service.IssuedSession) -> TokenResponse:
    return TokenResponse(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
    )


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=TokenResponse,
    operation_id="register",
    responses={**BadRequest.openapi(), **Conflict.openapi(), **TooManyRequests.openapi()},
)
async def register(
    body: RegisterRequest, request: Request, session: SessionDep, limiter: RateLimiterDep
) -> TokenResponse:
    """Create a password account and sign in."""
    settings = request.app.state.settings
    await limiter.consume(settings.rate_limit_register, "register", client_address(request),
                          what="registrations from this address")
    try:
        user = await service.register(session, username=body.username, password=body.password)
    except PasswordPolicyError as exc:
        raise BadRequest(str(exc)) from None
    return _tokens(await service.start_session(session, user, settings))


async def _password_login(
    body: PasswordLogin, request: Request, session: SessionDep, limiter: RateLimiterDep
) -> TokenResponse:
    settings = request.app.state.settings
    rule = settings.rate_limit_login_failures
    account, address = ("account", body.username.lower()), ("address", client_address(request))
    await limiter.ensure_allowed(rule, "login", *account, what="failed sign-ins for this account")
    await limiter.ensure_allowed(rule, "login", *address, what="failed sign-ins from this address")
    user = await service.authenticate_password(
        session, username=body.username, password=body.password
    )
    if user is None:
        await limiter.record(rule, "login", *account)
        await limiter.record(rule, "login", *address)
        raise Unauthorized("wrong username or password")
    return _tokens(await service.start_session(session, user, settings))


async def _max_login(
    body: MaxLogin, request: Request, session: SessionDep, limiter: RateLimiterDep
) -> TokenResponse:
    settings = request.app.state.settings
    rule = settings.rate_limit_login_failures
    address = ("address", client_address(request))
    await limiter.ensure_allowed(rule, "login", *address, what="failed sign-ins from this address")
    if not settings.max_bot_token.get_secret_value():
        raise Forbidden("MAX sign-in is not enabled on this server")
    try:
        data = validate_init_data(
            body.init_data,
            settings.max_bot_token.get_secret_value(),
            max_age=timedelta(seconds=settings.initdata_max_age_seconds),
        )
    except InitDataError as exc:
        await limiter.record(rule, "login", *address)
        log.info("MAX sign-in refused: %s", exc.reason)  # never the init data itself
        if exc.reason in _INITDATA_UNAUTHORIZED:
            raise Unauthorized(f"MAX launch data rejected: {exc.message}") from None
        raise BadRequest(f"MAX launch data rejected: {exc.message}") from None
    user = await service.upsert_max_user(session, data)
    return _tokens(await service.start_session(session, user, settings))


@router.post(
    "/login",
    response_model=TokenResponse,
    operation_id="login",
    responses={
        **BadRequest.openapi(), **Unauthorized.openapi(), **Forbidden.openapi(),
        **TooManyRequests.openapi(),
    },
)
async def login(
    body: Annotated[MaxLogin | PasswordLogin, Body()],
    request: Request,
    session: SessionDep,
    limiter: RateLimiterDep,
) -> TokenResponse:
    """Sign in with `{"init_data"}` inside MAX, or `{"username", "password"}` elsewhere."""
    if isinstance(body, MaxLogin):
        return await _max_login(body, request, session, limiter)
    return await _password_login(body, request, session, limiter)


@router.post(
    "/refresh",
    response_model=TokenResponse,
    operation_id="refresh",
    responses={**Unauthorized.openapi(), **TooManyRequests.openapi()},
)
async def refresh(
    body: RefreshRequest,
    request: Request,
    session: SessionDep,
    limiter: RateLimiterDep,
    revocations: RevocationsDep,
) -> TokenResponse:
    """Exchange a refresh token for a new pair; each refresh token works once."""
    settings = request.app.state.settings
    address = ("address", client_address(request))
    rule = settings.rate_limit_login_failures
    await limiter.ensure_allowed(rule, "refresh", *address, what="failed refreshes")
    try:
        issued = await service.rotate(session, body.refresh_token, settings, revocations)
    except Unauthorized:
        await limiter.record(rule, "refresh", *address)
        raise
    return _tokens(issued)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, operation_id="logout")
async def logout(
    body: RefreshRequest, session: SessionDep, revocations: RevocationsDep
) -> Response:
    """Sign out the session of this refresh token (its access tokens stop working too)."""
    await service.logout(session, body.refresh_token, revocations)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=UserOut, operation_id="me",
            responses=Unauthorized.openapi())
async def me(user: CurrentUser) -> UserOut:
    """The signed-in user."""
    return UserOut.model_validate(user)


@router.patch("/me", response_model=UserOut, operation_id="update_me",
              responses={**Unauthorized.openapi(), **TooManyRequests.openapi()})
async def update_me(body: ProfileUpdate, user: CurrentUser, session: SessionDep) -> UserOut:
    """Change names, the public-profile flag or the contact link."""
    service.apply_profile_update(user, body.model_dump(exclude_unset=True))
    await session.flush()
    return UserOut.model_validate(user)
