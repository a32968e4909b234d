"""Accounts: registration, sign-in (password, MAX), token rotation, revocation, profile."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.auth import passwords, tokens
from mediahub.auth.initdata import InitData, MaxUser
from mediahub.auth.schemas import USERNAME_RE
from mediahub.config import Settings
from mediahub.core.errors import Conflict, Unauthorized
from mediahub.core.text import clean_optional
from mediahub.users.models import RefreshToken, User

REVOKED_FAMILY_KEY = "mediahub:revoked-family:"


@dataclass(frozen=True)
class IssuedSession:
    """Tokens handed to a client after sign-in or refresh."""

    access_token: str
    refresh_token: str
    expires_in: int


class Revocations:
    """Refresh-token families revoked recently, visible to every API process.

    Access tokens carry their family id; a revoked family's access tokens are refused until
    they would have expired anyway, so reuse detection also ends the attacker's session.
    """

    def __init__(self, redis: Redis, access_ttl_s: int) -> None:
        self._redis = redis
        self._ttl = access_ttl_s + 60

    async def revoke(self, family_id: uuid.UUID) -> None:
        """Refuse the family's access tokens from now on."""
        await self._redis.set(REVOKED_FAMILY_KEY + str(family_id), 1, ex=self._ttl)

    async def is_revoked(self, family_id: uuid.UUID) -> bool:
        """Whether the family was revoked within an access token's lifetime."""
        return bool(await self._redis.exists(REVOKED_FAMILY_KEY + str(family_id)))


async def find_by_username(session: AsyncSession, username: str) -> User | None:
    """The user with this username, compared case-insensitively."""
    return await session.scalar(select(User).where(func.lower(User.username) == username.lower()))


async def register(session: AsyncSession, *, username: str, password: str) -> User:
    """Create a password account; Conflict if the username is taken."""
    if is_reserved_username(username):
        raise UsernameReserved("usernames starting with 'max' and a digit are kept for MAX "
                               "accounts; choose another", code="username_reserved")
    passwords.check_policy(password, username=username)
    if await find_by_username(session, username) is not None:
        raise Conflict("this username is taken", code="username.taken")
    user = User(username=username, password_hash=await passwords.hash_password(password))
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:  # a concurrent registration won the race
        raise Conflict("this username is taken", code="username.taken") from None
    return user


async def authenticate_password(
    session: AsyncSession, *, username: str, password: str
) -> User | None:
    """The user if the password matches; same cost for unknown users and wrong passwords."""
    user = await find_by_username(session, username)
    ok = await passwords.verify_password(password, user.password_hash if user else None)
    return user if ok and user is not None else None


# "max" + a digit names MAX accounts (`max<MAX user id>`): password registration and MAX's
# own usernames may not take such a name, so nobody can squat another MAX user's fallback.
_RESERVED_USERNAME = re.compile(r"max[0-9]", re.IGNORECASE)
_VALID_USERNAME = re.compile(USERNAME_RE)
_SUFFIX_ATTEMPTS = 5


class UsernameReserved(Conflict):
    """The username belongs to the namespace of MAX accounts."""

    code = "username_reserved"


def is_reserved_username(username: str) -> bool:
    """Whether `username` is in the `max<digit>…` namespace kept for MAX accounts."""
    return bool(_RESERVED_USERNAME.match(username))


def _max_usernames(profile: MaxUser) -> Iterator[str]:
    """Names to try for a new MAX account, best first; the last ones cannot be guessed."""
    wanted = profile.username or ""
    if _VALID_USERNAME.fullmatch(wanted) and not is_reserved_username(wanted):
        yield wanted
    yield f"max{profile.id}"
    # Taken only by an account named before the namespace was reserved (password or MAX):
    # a random suffix nobody can take first ends the collision.
    for _ in range(_SUFFIX_ATTEMPTS):
        yield f"max{profile.id}-{secrets.token_hex(4)}"


async def _find_max_user(session: AsyncSession, max_user_id: int) -> User | None:
    return await session.scalar(select(User).where(User.max_user_id == max_user_id))


async def _create_max_user(session: AsyncSession, profile: MaxUser) -> User:
    for username in _max_usernames(profile):
        if await find_by_username(session, username) is not None:
            continue
        user = User(max_user_id=profile.id, username=username)
        try:
            async with session.begin_nested():  # a savepoint: a lost race keeps the transaction
                session.add(user)
        except IntegrityError:
            existing = await _find_max_user(session, profile.id)
            if existing is not None:  # a concurrent first sign-in of the same user won
                return existing
            continue  # the name was taken between the check and the insert
        return user
    raise Conflict("could not find a free username for this MAX account; retry",
                   code="auth.max_no_username")


async def upsert_max_user(session: AsyncSession, data: InitData) -> User:
    """Find or create the user MAX vouched for, refreshing the profile fields MAX sends."""
    profile = data.user
    user = await _find_max_user(session, profile.id) or await _create_max_user(session, profile)
    # MAX's profile is shown as sent, minus what the display-text rule strips: its owner
    # cannot change it here, and sign-in must not fail over a name (core/text.py).
    changes = {
        "first_name": clean_optional(profile.first_name, field="first_name", source="external"),
        "last_name": clean_optional(profile.last_name, field="last_name", source="external"),
        "language_code": clean_optional(profile.language_code, field="language_code",
                                        source="external"),
        "photo_url": profile.photo_url,
    }
    for field, value in changes.items():
        if getattr(user, field) != value:  # write only what changed: logins stay cheap
            setattr(user, field, value)
    await session.flush()
    return user


async def start_session(
    session: AsyncSession, user: User, settings: Settings, *, family_id: uuid.UUID | None = None,
    refresh_token: str | None = None,
) -> IssuedSession:
    """Issue an access token and a new refresh token (a new family and token unless given)."""
    now = datetime.now(UTC)
    family = family_id or uuid.uuid4()
    raw = refresh_token or tokens.new_refresh_token()
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family,
            token_hash=tokens.hash_refresh_token(raw),
            expires_at=now + timedelta(seconds=settings.refresh_token_ttl_seconds),
        )
    )
    return _with_access_token(user, family, raw, settings)


def _with_access_token(user: User, family: uuid.UUID, refresh_token: str, settings: Settings
                       ) -> IssuedSession:
    user.last_seen_at = datetime.now(UTC)
    ttl = timedelta(seconds=settings.access_token_ttl_seconds)
    access, _ = tokens.issue_access_token(
        user.id, family, secret=settings.jwt_secret.get_secret_value(), ttl=ttl
    )
    return IssuedSession(access, refresh_token, settings.access_token_ttl_seconds)


async def _revoke_family_rows(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


def _successor(raw_token: str, settings: Settings) -> str:
    return tokens.successor_refresh_token(raw_token, secret=settings.jwt_secret.get_secret_value())


async def _grace_retry(
    session: AsyncSession, row: RefreshToken, raw_token: str, settings: Settings,
    now: datetime,
) -> IssuedSession | None:
    """The same new refresh token again, if `row` was rotated moments ago and it is unspent.

    A client that sent one refresh several times (tabs, retries after a lost answer) gets the
    pair of the one that won, not a revoked session. A thief replaying the token in this window
    gets the same token as the client: the first of them to spend it makes the other's attempt
    a reuse, which revokes the family as always.
    """
    grace = timedelta(seconds=settings.refresh_reuse_grace_seconds)
    if row.used_at is None or now - row.used_at > grace:
        return None
    successor_raw = _successor(raw_token, settings)
    successor = await session.scalar(
        select(RefreshToken)
        .where(RefreshToken.token_hash == tokens.hash_refresh_token(successor_raw),
               RefreshToken.family_id == row.family_id)
        .with_for_update()  # consistent with a concurrent rotation of the successor itself
    )
    if successor is None or successor.used_at is not None or successor.revoked_at is not None:
        return None
    user = await session.get(User, row.user_id)
    if user is None:
        return None
    return _with_access_token(user, row.family_id, successor_raw, settings)


async def rotate(
    session: AsyncSession, raw_token: str, settings: Settings, revocations: Revocations
) -> IssuedSession:
    """Trade a refresh token for a new pair; reusing a spent token revokes its whole family.

    Within REFRESH_REUSE_GRACE_SECONDS of a rotation, the same token gets the same new refresh
    token again (with a fresh access token), as long as that one is unspent.
    """
    row = await session.scalar(
        select(RefreshToken)
        .where(RefreshToken.token_hash == tokens.hash_refresh_token(raw_token))
        .with_for_update()
    )
    now = datetime.now(UTC)
    if row is None or row.revoked_at is not None:
        raise Unauthorized("refresh token is not valid; sign in again", code="auth.refresh_invalid")
    if row.used_at is not None:
        retried = await _grace_retry(session, row, raw_token, settings, now)
        if retried is not None:
            return retried
        # Someone presented a token that was already exchanged: either the client or an
        # attacker holds a stolen copy. End every session of the family. This must stick
        # even though the request fails, so it is committed here, not at the boundary.
        await _revoke_family_rows(session, row.family_id)
        await session.commit()
        await revocations.revoke(row.family_id)
        raise Unauthorized("refresh token was already used; all sessions from it are signed out",
                           code="auth.refresh_reused")
    if row.expires_at <= now:
        raise Unauthorized("refresh token expired; sign in again", code="auth.refresh_expired")
    row.used_at = now
    user = await session.get(User, row.user_id)
    if user is None:
        raise Unauthorized("account no longer exists", code="auth.account_gone")
    return await start_session(session, user, settings, family_id=row.family_id,
                               refresh_token=_successor(raw_token, settings))


async def logout(session: AsyncSession, raw_token: str, revocations: Revocations) -> None:
    """End the session the refresh token belongs to (unknown tokens are ignored)."""
    row = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == tokens.hash_refresh_token(raw_token))
    )
    if row is None:
        return
    await _revoke_family_rows(session, row.family_id)
    await revocations.revoke(row.family_id)


def apply_profile_update(user: User, changes: dict[str, object]) -> None:
    """Copy the provided profile fields onto the user (absent fields are untouched)."""
    for field in ("first_name", "last_name", "is_public", "contact_link"):
        if field in changes:
            if field == "is_public" and changes[field] is None:
                continue  # the flag cannot be "unset"
            setattr(user, field, changes[field])
