"""Password hashing (Argon2id) and the password policy."""

from __future__ import annotations

import asyncio
import os
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

MIN_LENGTH = 8
MAX_LENGTH = 128  # long enough for passphrases, short enough to bound hashing cost

# A small deny-list of the most common passwords; long, unusual passphrases are encouraged.
COMMON_PASSWORDS = frozenset(
    (
        "123456", "123456789", "12345678", "password", "qwerty123", "qwerty1", "111111",
        "1234567890", "1234567", "qwerty", "abc123", "000000", "password1", "iloveyou", "1q2w3e4r",
        "123123", "1q2w3e4r5t", "qwertyuiop", "123321", "654321", "666666", "987654321", "123qwe",
        "7777777", "555555", "11111111", "12341234", "123456a", "passw0rd", "admin123", "welcome1",
        "letmein1", "football1", "monkey123", "dragon123", "sunshine1", "princess1", "p@ssw0rd",
        "p@ssword", "1qaz2wsx", "zaq12wsx", "qazwsx123", "trustno1", "baseball1", "superman1",
        "master123", "changeme", "changeme1", "mediahub", "mediahub1", "йцукенгш", "пароль123",
    )
)


class PasswordPolicyError(ValueError):
    """A password that does not meet the policy; the message and `code` say what to change."""

    def __init__(self, message: str, code: str, params: dict[str, int] | None = None) -> None:
        super().__init__(message)
        self.code, self.params = code, params or {}


# OWASP's first Argon2id recommendation (19 MiB, 2 passes, 1 lane): ~30 ms per hash here.
# pwdlib's defaults (64 MiB, 3 passes, 4 lanes) cost ~7x more CPU and 64 MiB per sign-in.
ARGON2_PARAMS = {"memory_cost": 19 * 1024, "time_cost": 2, "parallelism": 1}
# Hashes run in threads (argon2 releases the GIL); bound them so a burst of sign-ins cannot
# take all memory or starve other requests.
_HASH_SLOTS = max(2, os.cpu_count() or 2)
_semaphore: asyncio.Semaphore | None = None


@lru_cache
def hasher() -> PasswordHash:
    """The process-wide Argon2id hasher."""
    return PasswordHash((Argon2Hasher(**ARGON2_PARAMS),))


def _slots() -> asyncio.Semaphore:
    global _semaphore
    if _semaphore is None:
        _semaphore = asyncio.Semaphore(_HASH_SLOTS)
    return _semaphore


@lru_cache
def _dummy_hash() -> str:
    return hasher().hash("timing-equaliser-not-a-real-password")


def check_policy(password: str, *, username: str) -> None:
    """Raise PasswordPolicyError unless the password is acceptable (NIST 800-63B style)."""
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(f"password must be at least {MIN_LENGTH} characters",
                                  "password.too_short", {"min": MIN_LENGTH})
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError(f"password must be at most {MAX_LENGTH} characters",
                                  "password.too_long", {"max": MAX_LENGTH})
    if password.strip() != password:
        raise PasswordPolicyError("password must not start or end with whitespace",
                                  "password.whitespace")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        raise PasswordPolicyError("password is too common or too simple; choose another",
                                  "password.too_common")
    if username and username.lower() in lowered:
        raise PasswordPolicyError("password must not contain the username",
                                  "password.contains_username")


def _verify_sync(password: str, stored_hash: str | None) -> bool:
    if stored_hash is None:
        hasher().verify(password, _dummy_hash())
        return False
    return hasher().verify(password, stored_hash)


async def hash_password(password: str) -> str:
    """Hash a password for storage (off the event loop)."""
    async with _slots():
        return await asyncio.to_thread(hasher().hash, password)


async def verify_password(password: str, stored_hash: str | None) -> bool:
    """Check a password off the event loop; same cost whether or not the account exists."""
    async with _slots():
        return await asyncio.to_thread(_verify_sync, password, stored_hash)
