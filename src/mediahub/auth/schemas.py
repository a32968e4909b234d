"""Request and response bodies of the accounts API."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from mediahub.core.text import user_field

USERNAME_MIN, USERNAME_MAX = 3, 32
USERNAME_ALLOWED = "A-Z a-z 0-9 _ . -"
USERNAME_RE = rf"^[A-Za-z0-9][A-Za-z0-9_.-]{{{USERNAME_MIN - 1},{USERNAME_MAX - 1}}}$"
_USERNAME = re.compile(USERNAME_RE)


def _check_username(value: str) -> str:
    """The username if it matches USERNAME_RE; else the `username.invalid` error with the
    rule as numbers and characters (a regular expression means nothing to a person)."""
    if not _USERNAME.fullmatch(value):
        raise PydanticCustomError(
            "username.invalid",
            "username must be {min}-{max} characters: letters, digits, '_', '.' or '-', "
            "starting with a letter or digit",
            {"min": USERNAME_MIN, "max": USERNAME_MAX, "allowed": USERNAME_ALLOWED})
    return value


Username = Annotated[str, AfterValidator(_check_username),
                     Field(json_schema_extra={"pattern": USERNAME_RE})]


class Strict(BaseModel):
    """Bodies reject unknown fields, so typos fail loudly instead of being ignored."""

    model_config = ConfigDict(extra="forbid")


class RegisterRequest(Strict):
    """Create a password account."""

    username: Username = Field(description="3–32 letters, digits, `_`, `.` or `-`")
    password: str = Field(min_length=1, max_length=1024)


class PasswordLogin(Strict):
    """Sign in with username and password."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class MaxLogin(Strict):
    """Sign in inside MAX with the raw `window.WebApp.initData` string."""

    init_data: str = Field(min_length=1, max_length=8192)


class RefreshRequest(Strict):
    """Exchange a refresh token for a new pair (the old one stops working).

    Browsers send `{}`: their refresh token travels in the HttpOnly session cookie.
    """

    refresh_token: str | None = Field(default=None, min_length=1, max_length=200)


class TokenResponse(BaseModel):
    """A session: short-lived access token and single-use refresh token."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a scheme name
    expires_in: int = Field(description="seconds until the access token expires")


class UserOut(BaseModel):
    """The signed-in user as they see themselves."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    max_user_id: int | None
    username: str
    first_name: str | None
    last_name: str | None
    language_code: str | None
    photo_url: str | None
    is_public: bool
    contact_link: str | None
    has_password: bool
    created_at: datetime


class ProfileUpdate(Strict):
    """Fields a user may change about themselves; omitted fields stay as they are."""

    first_name: str | None = Field(default=None, max_length=256)
    last_name: str | None = Field(default=None, max_length=256)
    is_public: bool | None = None
    contact_link: str | None = Field(
        default=None, max_length=200, description="http(s) URL, or empty to remove"
    )

    @field_validator("first_name", "last_name")
    @classmethod
    def _names(cls, value: str | None, info) -> str | None:  # noqa: ANN001 - pydantic info
        return user_field(value, info.field_name)

    @field_validator("contact_link")
    @classmethod
    def _link(cls, value: str | None) -> str | None:
        value = user_field(value, "contact_link")
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", value):
            raise ValueError("contact_link must be an http(s) URL")
        return value
