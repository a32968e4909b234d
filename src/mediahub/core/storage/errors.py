"""Storage exceptions, and the translation of obstore/OS errors into them.

Callers never import obstore: every backend error leaves the storage package as one of these.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator

from obstore.exceptions import BaseError as _ObstoreError


class StorageError(Exception):
    """Base class of every error raised by the object-store layer."""


class InvalidObjectKey(StorageError, ValueError):
    """The key is not an acceptable object name."""


class ObjectNotFound(StorageError):
    """No object exists under the key."""


class ObjectTooLarge(StorageError):
    """The upload exceeded its byte limit; nothing was stored."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"object exceeds the limit of {max_bytes} bytes")
        self.max_bytes = max_bytes


class RangeNotSatisfiable(StorageError):
    """The requested byte range does not overlap the object."""


class StorageUnavailable(StorageError):
    """The backend cannot be reached or is misconfigured (missing bucket, unwritable dir)."""


class StorageFull(StorageError):
    """The backend has no room for the object (disk full, quota reached)."""


class UploadAborted(Exception):
    """Raised into obstore's upload so it aborts the multipart upload (see put_stream)."""


def translate(exc: Exception, key: str, action: str) -> Exception:
    """The storage exception for an obstore/OS error (or `exc` itself if it has none)."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, FileNotFoundError):
        return ObjectNotFound(f"object not found: {key}")
    if isinstance(exc, _ObstoreError | OSError):
        message = f"{action} of {key!r} failed: {first_line(exc)}"
        if _is_out_of_space(exc):
            return StorageFull(message)
        if _is_unreachable(exc):
            return StorageUnavailable(message)
        return StorageError(message)
    if isinstance(exc, ValueError):
        # obstore raises ValueError for paths it cannot parse.
        return InvalidObjectKey(f"{key!r}: {first_line(exc)}")
    return exc


_NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
# obstore reports I/O errors as text; these are the OS's and S3's words for "no room".
_NO_SPACE_WORDS = ("no space left", "disk quota exceeded", "file too large",
                   "entitytoolarge", "quotaexceeded")
_UNREACHABLE_WORDS = ("connection refused", "error sending request", "connection reset",
                      "timed out", "dns error", "failed to lookup address")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def _is_out_of_space(exc: BaseException) -> bool:
    return any(isinstance(e, OSError) and e.errno in _NO_SPACE
               or any(w in str(e).lower() for w in _NO_SPACE_WORDS) for e in _chain(exc))


def _is_unreachable(exc: BaseException) -> bool:
    return any(isinstance(e, ConnectionError)
               or any(w in str(e).lower() for w in _UNREACHABLE_WORDS) for e in _chain(exc))


@contextlib.contextmanager
def translate_errors(key: str, action: str) -> Iterator[None]:
    """Turn obstore/OS errors into storage exceptions so callers never import obstore."""
    try:
        yield
    except StopAsyncIteration:
        raise
    except Exception as exc:
        translated = translate(exc, key, action)
        if translated is exc:
            raise
        raise translated from exc


def first_line(exc: BaseException) -> str:
    """obstore messages carry a multi-line Rust debug dump; the first line is the useful part."""
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
