"""`/api/auth`: register, sign in (password or MAX), refresh, sign out, profile."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Body, Request, Response, status
from sqlalchemy import and_

from mediahub.auth import cookies, service
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
from mediahub.auth.throttle import LoginThrottle
from mediahub.config import Settings
from mediahub.core.db import SessionDep
from mediahub.core.deps import SettingsDep
from mediahub.core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    TooManyRequests,
    Unauthorized,
)
from mediahub.gallery.models import ArtObject
from mediahub.gallery.service import revoke_links_where

router = APIRouter(prefix="/auth", tags=["auth"])
log = logging.getLogger(__name__)

# InitData problems that mean "not signed by MAX for us, or no longer valid" → 401;
# everything else is a malformed request → 400.
_INITDATA_UNAUTHORIZED = {"bad_signature", "expired", "from_future"}


def _tokens(issued: service.IssuedSession, request: Request, response: Response,
            settings: Settings) -> TokenResponse:
    """The new pair as JSON (API clients), the refresh token also as the browser's cookie."""
    cookies.set_refresh_cookie(response, request, issued.refresh_token,
                               settings.refresh_token_ttl_seconds)
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
    body: RegisterRequest, request: Request, response: Response, session: SessionDep,
    limiter: RateLimiterDep, settings: SettingsDep,
) -> TokenResponse:
    """Create a password account and sign in."""
    await limiter.consume(settings.rate_limit_register, "register", client_address(request),
                          what="registrations from this address")
    try:
        user = await service.register(session, username=body.username, password=body.password)
    except PasswordPolicyError as exc:
        raise BadRequest(str(exc), code=exc.code, params=exc.params) from None
    issued = await service.start_session(session, user, settings)
    return _tokens(issued, request, response, settings)


async def _password_login(
    body: PasswordLogin, request: Request, response: Response, session: SessionDep,
    limiter: RateLimiterDep, settings: Settings,
) -> TokenResponse:
    throttle = LoginThrottle(limiter, settings, address=client_address(request),
                             account=body.username)
    await throttle.ensure_allowed()
    user = await service.authenticate_password(
        session, username=body.username, password=body.password
    )
    if user is None:
        await throttle.failed()
        raise Unauthorized("wrong username or password", code="auth.bad_credentials")
    issued = await service.start_session(session, user, settings)
    return _tokens(issued, request, response, settings)


async def _max_login(
    body: MaxLogin, request: Request, response: Response, session: SessionDep,
    limiter: RateLimiterDep, settings: Settings,
) -> TokenResponse:
    rule = settings.rate_limit_login_failures
    address = ("address", client_address(request))
    await limiter.ensure_allowed(rule, "login", *address, what="failed sign-ins from this address")
    if not settings.max_bot_token.get_secret_value():
        raise Forbidden("MAX sign-in is not enabled on this server", code="auth.max_disabled")
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
            raise Unauthorized(f"MAX launch data rejected: {exc.message}",
                               code="auth.max_rejected") from None
        raise BadRequest(f"MAX launch data rejected: {exc.message}",
                         code="auth.max_rejected") from None
    user = await service.upsert_max_user(session, data)
    issued = await service.start_session(session, user, settings)
    return _tokens(issued, request, response, settings)


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
    response: Response,
    session: SessionDep,
    limiter: RateLimiterDep,
    settings: SettingsDep,
) -> TokenResponse:
    """Sign in with `{"init_data"}` inside MAX, or `{"username", "password"}` elsewhere.

    Also sets the HttpOnly session cookie that keeps a browser signed in across reloads.
    """
    if isinstance(body, MaxLogin):
        return await _max_login(body, request, response, session, limiter, settings)
    return await _password_login(body, request, response, session, limiter, settings)


@router.post(
    "/refresh",
    response_model=TokenResponse,
    operation_id="refresh",
    responses={**Unauthorized.openapi(), **TooManyRequests.openapi()},
)
async def refresh(
    body: RefreshRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    limiter: RateLimiterDep,
    revocations: RevocationsDep,
    settings: SettingsDep,
) -> TokenResponse:
    """Exchange a refresh token for a new pair; each refresh token works once.

    The token comes from the body, or else from the session cookie (browsers send `{}`).
    """
    token = body.refresh_token or cookies.refresh_cookie(request)
    if token is None:  # a browser with no session: normal, not a failed attempt
        raise Unauthorized("not signed in: no refresh token", code="auth.not_signed_in",
                           headers=cookies.clear_refresh_cookie_headers(request))
    address = ("address", client_address(request))
    rule = settings.rate_limit_login_failures
    await limiter.ensure_allowed(rule, "refresh", *address, what="failed refreshes")
    try:
        issued = await service.rotate(session, token, settings, revocations)
    except Unauthorized as exc:
        await limiter.record(rule, "refresh", *address)
        raise Unauthorized(exc.detail, code=exc.code, params=exc.params,
                           headers=cookies.clear_refresh_cookie_headers(request)) from None
    return _tokens(issued, request, response, settings)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, operation_id="logout")
async def logout(
    body: RefreshRequest, request: Request, session: SessionDep, revocations: RevocationsDep
) -> Response:
    """Sign out the session of this refresh token (body or cookie); its access tokens stop
    working too, and the session cookie is cleared."""
    token = body.refresh_token or cookies.refresh_cookie(request)
    if token is not None:
        await service.logout(session, token, revocations)
    return Response(status_code=status.HTTP_204_NO_CONTENT,
                    headers=cookies.clear_refresh_cookie_headers(request))


@router.get("/me", response_model=UserOut, operation_id="me",
            responses=Unauthorized.openapi())
async def me(user: CurrentUser) -> UserOut:
    """The signed-in user."""
    return UserOut.model_validate(user)


@router.patch("/me", response_model=UserOut, operation_id="update_me",
              responses={**Unauthorized.openapi(), **TooManyRequests.openapi()})
async def update_me(body: ProfileUpdate, user: CurrentUser, session: SessionDep) -> UserOut:
    """Change names, the public-profile flag or the contact link."""
    was_public = user.is_public
    service.apply_profile_update(user, body.model_dump(exclude_unset=True))
    if was_public and not user.is_public:  # visitors saw the private objects: end their links
        await revoke_links_where(session, and_(ArtObject.owner_id == user.id,
                                               ArtObject.is_public.is_(False)))
    await session.flush()
    return UserOut.model_validate(user)
