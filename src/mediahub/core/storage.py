"""Object storage: one small async interface over local disk and S3, built on obstore.

Everything the rest of Mediahub knows about blobs goes through `ObjectStore`. Both backends are
obstore stores (Rust `object_store` underneath), so streaming, multipart uploads, ranged reads and
retries behave the same way on a laptop directory and on S3/MinIO.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import errno
import functools
import hashlib
import hmac
import io
import json
import logging
import os
import re
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterable, AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, unquote, urlsplit

import obstore
from obstore.exceptions import BaseError as _ObstoreError
from obstore.store import LocalStore, S3Store

if TYPE_CHECKING:
    from obstore import GetOptions, GetResult, ObjectMeta
    from pydantic import SecretStr

logger = logging.getLogger(__name__)

# Multipart part size: S3's minimum for every part but the last. obstore keeps up to
# PART_SIZE * PUT_CONCURRENCY bytes in flight per upload (measured: 12 parts ~ 60 MB of RSS),
# so concurrency is kept low to bound memory when several uploads run at once.
PART_SIZE = 5 * 1024 * 1024
PUT_CONCURRENCY = 4
# obstore's default read chunk is 10 MB; smaller chunks keep many concurrent downloads cheap.
READ_CHUNK_SIZE = 512 * 1024
MAX_KEY_BYTES = 1024  # S3's limit on key length
MAX_SIGNED_URL_TTL = timedelta(days=7)  # SigV4 presigned URLs cannot live longer

__all__ = [
    "DownloadGrant",
    "InvalidDownloadToken",
    "InvalidObjectKey",
    "LocalObjectStore",
    "ObjectInfo",
    "ObjectNotFound",
    "ObjectStore",
    "ObjectStream",
    "ObjectTooLarge",
    "RangeNotSatisfiable",
    "S3ObjectStore",
    "StorageError",
    "StorageUnavailable",
    "StoredObject",
    "build_object_store",
    "content_disposition",
    "make_download_token",
    "validate_key",
    "verify_download_token",
]


# --------------------------------------------------------------------------- errors


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


class InvalidDownloadToken(StorageError):
    """The download token is malformed, tampered with, signed with another secret or expired."""


class _UploadAborted(Exception):
    """Raised into obstore's upload so it aborts the multipart upload (see put_stream)."""


# --------------------------------------------------------------------------- keys

_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_STAGING_NAME = re.compile(r"#\d+$")  # obstore LocalStore's `<name>#<n>` while writing


def validate_key(key: str) -> str:
    """Return `key` unchanged if it is a safe relative object name, else raise InvalidObjectKey."""
    if not isinstance(key, str) or not key:
        raise InvalidObjectKey("object key must be a non-empty string")
    if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
        raise InvalidObjectKey(f"object key is longer than {MAX_KEY_BYTES} bytes")
    if _CONTROL_CHARS.search(key):
        raise InvalidObjectKey("object key contains control characters")
    if "\\" in key:
        # On Windows and in some tools a backslash is a path separator: a traversal vector.
        raise InvalidObjectKey("object key contains a backslash")
    if "#" in key:
        # LocalStore names in-progress uploads `<name>#<n>`, and '#' starts a URL fragment.
        raise InvalidObjectKey("object key contains '#'")
    if key.startswith("/"):
        raise InvalidObjectKey("object key must be relative (no leading '/')")
    for segment in key.split("/"):
        if segment in ("", ".", ".."):
            raise InvalidObjectKey(f"object key has an empty, '.' or '..' segment: {key!r}")
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidObjectKey("object key is not valid UTF-8") from None
    return key


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """Metadata of a stored object."""

    key: str
    size: int
    etag: str | None
    last_modified: datetime
    # Only S3 stores attributes; LocalStore cannot, so this is None on local disk.
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class StoredObject:
    """What put_stream wrote: size and sha256 are computed from the bytes that went through."""

    key: str
    size: int
    sha256: str
    etag: str | None
    content_type: str | None


class ObjectStream(AsyncIterator[bytes]):
    """An open object body; iterate it for bytes. Covers bytes [start, end) of `info.size`."""

    def __init__(self, body: AsyncIterator[bytes], info: ObjectInfo, start: int, end: int) -> None:
        self._body = body
        self.info = info
        self.start = start
        self.end = end

    @property
    def length(self) -> int:
        """Number of bytes this stream yields."""
        return self.end - self.start

    def __aiter__(self) -> ObjectStream:
        return self

    async def __anext__(self) -> bytes:
        with _translate_errors(self.info.key, "read"):
            return await self._body.__anext__()


def _translate(exc: Exception, key: str, action: str) -> Exception:
    """This module's exception for an obstore/OS error (or `exc` itself if it has none)."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, FileNotFoundError):
        return ObjectNotFound(f"object not found: {key}")
    if isinstance(exc, _ObstoreError | OSError):
        message = f"{action} of {key!r} failed: {_first_line(exc)}"
        if _is_out_of_space(exc):
            return StorageFull(message)
        if _is_unreachable(exc):
            return StorageUnavailable(message)
        return StorageError(message)
    if isinstance(exc, ValueError):
        # obstore raises ValueError for paths it cannot parse.
        return InvalidObjectKey(f"{key!r}: {_first_line(exc)}")
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
def _translate_errors(key: str, action: str) -> Iterator[None]:
    """Turn obstore/OS errors into this module's exceptions so callers never import obstore."""
    try:
        yield
    except StopAsyncIteration:
        raise
    except Exception as exc:
        translated = _translate(exc, key, action)
        if translated is exc:
            raise
        raise translated from exc


def _first_line(exc: BaseException) -> str:
    """obstore messages carry a multi-line Rust debug dump; the first line is the useful part."""
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


# --------------------------------------------------------------------------- upload metering


class _Meter:
    """Wraps the caller's chunks: counts and hashes them, enforces max_bytes, stops on abort."""

    def __init__(self, chunks: AsyncIterable[bytes], max_bytes: int | None) -> None:
        self._chunks = chunks
        self._max_bytes = max_bytes
        self._aborted = False
        self._pull: asyncio.Future[bytes] | None = None
        self.size = 0
        self.hash = hashlib.sha256()
        self.source_error: BaseException | None = None

    def abort(self) -> None:
        """Make the stream raise _UploadAborted now, even if the source is blocked."""
        self._aborted = True
        if self._pull is not None:
            self._pull.cancel()

    async def stream(self) -> AsyncIterator[bytes]:
        """The byte stream handed to obstore."""
        source = aiter(self._chunks)
        while True:
            if self._aborted:
                raise _UploadAborted
            # Each pull runs as its own future so abort() can interrupt a source that waits
            # (e.g. a slow client body) instead of waiting for its next chunk.
            self._pull = asyncio.ensure_future(anext(source))
            try:
                chunk = await self._pull
            except StopAsyncIteration:
                return
            except asyncio.CancelledError:
                if self._aborted:
                    raise _UploadAborted from None
                raise
            except Exception as exc:
                self.source_error = exc
                raise
            finally:
                self._pull = None
            if not chunk:
                continue
            self.size += len(chunk)
            if self._max_bytes is not None and self.size > self._max_bytes:
                raise ObjectTooLarge(self._max_bytes)
            self.hash.update(chunk)
            yield chunk


def _retrieve_exception(future: asyncio.Future[Any]) -> None:
    """Mark a background future's exception as seen so asyncio does not log it."""
    if not future.cancelled():
        future.exception()


# --------------------------------------------------------------------------- interface


class ObjectStore(ABC):
    """Async object storage. Keys are '/'-separated relative names (see validate_key)."""

    def __init__(self, store: LocalStore | S3Store) -> None:
        self._store = store

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterable[bytes],
        *,
        content_type: str | None = None,
        max_bytes: int | None = None,
    ) -> StoredObject:
        """Stream `chunks` into `key` atomically; on any failure nothing is left behind."""
        validate_key(key)
        meter = _Meter(chunks, max_bytes)
        upload = asyncio.ensure_future(self._put(key, meter.stream(), content_type))
        upload.add_done_callback(_retrieve_exception)
        try:
            result = await asyncio.shield(upload)
        except asyncio.CancelledError:
            # Dropping obstore's future would abandon an S3 multipart upload (its parts stay
            # billed and invisible). Make the source fail instead so obstore aborts it, then
            # re-raise the cancellation.
            meter.abort()
            await asyncio.wait({upload})
            raise
        except Exception as exc:
            # The caller's own exception (and ObjectTooLarge) come back unchanged.
            if exc is meter.source_error:
                raise
            translated = _translate(exc, key, "upload")
            if translated is exc:
                raise
            raise translated from exc
        return StoredObject(
            key=key,
            size=meter.size,
            sha256=meter.hash.hexdigest(),
            etag=result.get("e_tag"),
            content_type=content_type,
        )

    async def _put(
        self, key: str, stream: AsyncIterator[bytes], content_type: str | None
    ) -> dict[str, Any]:
        attributes = self._attributes(content_type)
        # use_multipart=True: obstore would otherwise buffer the whole input in memory.
        return dict(
            await obstore.put_async(
                self._store,
                key,
                stream,
                attributes=attributes,
                use_multipart=True,
                chunk_size=PART_SIZE,
                max_concurrency=PUT_CONCURRENCY,
            )
        )

    def _attributes(self, content_type: str | None) -> dict[str, str] | None:
        return {"Content-Type": content_type} if content_type else None

    async def open_stream(
        self, key: str, *, start: int | None = None, end: int | None = None
    ) -> ObjectStream:
        """Open `key` for streaming, optionally only bytes [start, end) (end is exclusive)."""
        validate_key(key)
        options: GetOptions = {}
        if start is not None or end is not None:
            first = start or 0
            if first < 0 or (end is not None and end <= first):
                raise RangeNotSatisfiable(f"invalid byte range [{start}, {end})")
            options["range"] = (first, end) if end is not None else {"offset": first}
        try:
            with _translate_errors(key, "read"):
                result = await obstore.get_async(self._store, key, options=options)
        except ObjectNotFound:
            raise
        except StorageError as exc:
            # Backends word an out-of-bounds range differently (416, "StartTooLarge"); decide
            # from the object's size instead of parsing messages.
            if "range" in options:
                info = await self.head(key)
                if info is not None and (start or 0) >= info.size:
                    raise RangeNotSatisfiable(
                        f"range starts at {start}, object has {info.size} bytes"
                    ) from exc
            raise
        info = self._info(key, result.meta, result)
        first, stop = result.range
        if start is not None and first >= info.size and info.size > 0:
            raise RangeNotSatisfiable(f"range starts at {start}, object has {info.size} bytes")
        return ObjectStream(result.stream(min_chunk_size=READ_CHUNK_SIZE), info, first, stop)

    async def download_to(self, key: str, target: Path) -> None:
        """Copy an object to a local file (workers process media from local disk)."""
        stream = await self.open_stream(key)
        with target.open("wb") as out:
            async for chunk in stream:
                await asyncio.to_thread(out.write, chunk)

    def open_reader(self, key: str, size: int) -> io.BufferedReader:
        """A blocking, seekable file object over `key` (ranged reads); use it in a thread.

        Decoders such as PyAV seek around container headers, so a forward-only stream is not
        enough; reading through ranges also avoids copying the whole object to local disk.
        """
        validate_key(key)
        return io.BufferedReader(_RangeReader(self._store, key, size), READ_CHUNK_SIZE)

    async def head(self, key: str) -> ObjectInfo | None:
        """Metadata of `key`, or None if it does not exist."""
        validate_key(key)
        try:
            with _translate_errors(key, "head"):
                # A head-only GET (not obstore.head) because it also returns attributes.
                result = await obstore.get_async(self._store, key, options={"head": True})
        except ObjectNotFound:
            return None
        return self._info(key, result.meta, result)

    async def exists(self, key: str) -> bool:
        """Whether an object exists under `key`."""
        return await self.head(key) is not None

    async def delete(self, key: str) -> None:
        """Delete `key`; deleting a missing object is not an error."""
        validate_key(key)
        try:
            with _translate_errors(key, "delete"):
                await obstore.delete_async(self._store, key)
        except ObjectNotFound:
            pass  # local disk reports a missing file; S3 does not. Both mean "gone".

    @abstractmethod
    async def check(self) -> None:
        """Readiness probe: raise StorageUnavailable if the backend cannot serve requests."""

    @abstractmethod
    async def signed_url(
        self, key: str, *, expires_in: timedelta, filename: str | None = None
    ) -> str | None:
        """A time-limited URL a browser can GET directly, or None if the backend has none."""

    async def sweep_abandoned_uploads(self, older_than: timedelta) -> int:
        """Delete partial uploads left by a killed writer; how many. S3 needs nothing here:
        abandoned multipart uploads are expired by the server (MinIO: 24 h by default)."""
        return 0

    @staticmethod
    def _info(key: str, meta: ObjectMeta, result: GetResult) -> ObjectInfo:
        return ObjectInfo(
            key=key,
            size=meta["size"],
            etag=meta.get("e_tag"),
            last_modified=meta["last_modified"],
            content_type=result.attributes.get("Content-Type"),
        )


class _RangeReader(io.RawIOBase):
    """Seekable raw reads of one object through obstore's blocking ranged GET."""

    def __init__(self, store: LocalStore | S3Store, key: str, size: int) -> None:
        self._store, self._key, self._size, self._pos = store, key, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        want = min(len(buffer), self._size - self._pos)
        if want <= 0:
            return 0
        with _translate_errors(self._key, "read"):
            data = obstore.get_range(self._store, self._key, start=self._pos, length=want)
        got = len(data)
        memoryview(buffer)[:got] = memoryview(data)
        self._pos += got
        return got


# --------------------------------------------------------------------------- local disk


class LocalObjectStore(ObjectStore):
    """Objects as files under a root directory (obstore LocalStore).

    obstore writes uploads to `<name>#<n>` in the target directory and renames on completion
    (verified with strace), so readers never see partial files and a failed or cancelled
    upload removes its staging file. It does not fsync; _put does, so an object is on
    disk before its database row can be committed. LocalStore cannot store attributes, so
    the content type must come from the database (it travels in the download token).
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        root_path = Path(root)
        if not root_path.is_absolute():
            raise ValueError(f"local storage root must be an absolute path, got {root_path}")
        root_path.mkdir(parents=True, exist_ok=True)
        self.root = root_path.resolve()
        super().__init__(LocalStore(self.root))

    def _attributes(self, content_type: str | None) -> None:
        return None  # LocalStore raises NotImplementedError for any attribute

    async def _put(
        self, key: str, stream: AsyncIterator[bytes], content_type: str | None
    ) -> dict[str, Any]:
        if (self.root / key).is_dir():
            # obstore's final rename would fail and leave its `<key>#<n>` staging file behind.
            raise StorageError(f"upload of {key!r} failed: a directory of that name exists")
        result = await super()._put(key, stream, content_type)
        await asyncio.to_thread(_fsync_file_and_dir, self.root / key)
        return result

    async def sweep_abandoned_uploads(self, older_than: timedelta) -> int:
        """Delete `<key>#<n>` staging files not touched for `older_than` (keys never contain
        '#', so only obstore's staging files match); a process killed mid-upload leaves them."""
        return await asyncio.to_thread(_remove_stale_staging, self.root,
                                       time.time() - older_than.total_seconds())

    async def check(self) -> None:
        """Raise StorageUnavailable unless the root directory exists and is writable."""
        if not self.root.is_dir():
            raise StorageUnavailable(f"storage directory {self.root} does not exist")
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StorageUnavailable(f"storage directory {self.root} is not writable")

    async def signed_url(
        self, key: str, *, expires_in: timedelta, filename: str | None = None
    ) -> None:
        """Local disk has no presigned URLs: use make_download_token and GET /api/files/{token}."""
        validate_key(key)
        return None


def _remove_stale_staging(root: Path, before: float) -> int:
    removed = 0
    for path in root.rglob("*#*"):
        with contextlib.suppress(FileNotFoundError):  # finished or removed meanwhile
            if _STAGING_NAME.search(path.name) and path.is_file() \
                    and path.stat().st_mtime < before:
                path.unlink()
                removed += 1
    return removed


def _fsync_file_and_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    # The rename lives in the directory entry; fsync the directory so it survives a crash.
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# --------------------------------------------------------------------------- S3


class S3ObjectStore(ObjectStore):
    """Objects in an S3 bucket (AWS, MinIO, anything S3-compatible), path-style requests."""

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str | None = None,
        endpoint: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        if not bucket:
            raise ValueError("S3 bucket name is empty")
        if prefix:
            validate_key(prefix)
        self.bucket = bucket
        self.prefix = prefix or None
        self.region = region
        self.endpoint = (endpoint or f"https://s3.{region}.amazonaws.com").rstrip("/")
        self._credentials = (
            (access_key_id, secret_access_key) if access_key_id and secret_access_key else None
        )
        config: dict[str, Any] = {
            "region": region,
            # Path-style works with MinIO/moto without wildcard DNS; set explicitly so an
            # AWS_VIRTUAL_HOSTED_STYLE_REQUEST variable in the environment cannot flip it.
            "virtual_hosted_style_request": False,
            # We delete one key at a time; plain DELETE works on every S3 clone, the bulk
            # DeleteObjects API does not.
            "disable_bulk_delete": True,
        }
        if endpoint:
            config["endpoint"] = self.endpoint
        if self._credentials:
            config["access_key_id"], config["secret_access_key"] = self._credentials
        # Without credentials obstore reads AWS_* variables / instance metadata itself.
        client: dict[str, Any] = {
            "allow_http": self.endpoint.startswith("http://"),
            "connect_timeout": "5s",
            # The default 30 s total timeout would cut long streamed reads of large media.
            "timeout": "1h",
        }
        super().__init__(
            S3Store(bucket, prefix=self.prefix, config=config, client_options=client)  # type: ignore[arg-type]
        )
        # The readiness probe must answer fast: no retries (the default is 10 with backoff).
        self._probe = S3Store(
            bucket,
            prefix=self.prefix,
            config=config,  # type: ignore[arg-type]
            client_options={**client, "timeout": "10s"},  # type: ignore[arg-type]
            retry_config={"max_retries": 0},
        )

    async def check(self) -> None:
        """List at most one page of the bucket; any failure means the store is unusable."""
        try:
            stream = obstore.list(self._probe, chunk_size=1)
            async for _ in stream:
                break
        except Exception as exc:
            raise StorageUnavailable(
                f"S3 bucket {self.bucket!r} at {self.endpoint} is unavailable: {_first_line(exc)}"
            ) from exc

    async def signed_url(
        self, key: str, *, expires_in: timedelta, filename: str | None = None
    ) -> str:
        """A presigned GET URL; with `filename` the response is served as an attachment."""
        validate_key(key)
        if not timedelta(seconds=1) <= expires_in <= MAX_SIGNED_URL_TTL:
            raise ValueError("expires_in must be between 1 second and 7 days")
        if filename and self._credentials:
            # obstore cannot sign extra query parameters, and response-content-disposition
            # must be inside the signature, so this one case is signed here.
            full_key = f"{self.prefix}/{key}" if self.prefix else key
            return _presign_s3_get(
                endpoint=self.endpoint,
                bucket=self.bucket,
                key=full_key,
                region=self.region,
                access_key_id=self._credentials[0],
                secret_access_key=self._credentials[1],
                expires_in=expires_in,
                extra_params={"response-content-disposition": content_disposition(filename)},
            )
        if filename:
            logger.warning("signed_url: filename ignored, no static S3 credentials configured")
        with _translate_errors(key, "sign"):
            return await obstore.sign_async(self._store, "GET", key, expires_in)


def _presign_s3_get(
    *,
    endpoint: str,
    bucket: str,
    key: str,
    region: str,
    access_key_id: str,
    secret_access_key: str,
    expires_in: timedelta,
    extra_params: dict[str, str],
    now: datetime | None = None,
) -> str:
    """AWS SigV4 query-string presigning of a path-style GET (same result as botocore)."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    scope = f"{now:%Y%m%d}/{region}/s3/aws4_request"
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if parts.port and (parts.scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    path = quote(f"{parts.path.rstrip('/')}/{bucket}/{key}", safe="/-_.~")
    params = {
        "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
        "X-Amz-Credential": f"{access_key_id}/{scope}",
        "X-Amz-Date": amz_date,
        "X-Amz-Expires": str(int(expires_in.total_seconds())),
        "X-Amz-SignedHeaders": "host",
        **extra_params,
    }
    query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(params.items())
    )
    canonical = "\n".join(["GET", path, query, f"host:{host}", "", "host", "UNSIGNED-PAYLOAD"])
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    signing_key = f"AWS4{secret_access_key}".encode()
    for part in (f"{now:%Y%m%d}", region, "s3", "aws4_request"):
        signing_key = hmac.new(signing_key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{parts.scheme}://{host}{path}?{query}&X-Amz-Signature={signature}"


# --------------------------------------------------------------------------- factory


class _StorageSettings(Protocol):
    storage_url: str
    s3_endpoint_url: str | None
    s3_region: str
    s3_access_key_id: str | None
    s3_secret_access_key: SecretStr | None


def build_object_store(settings: _StorageSettings) -> ObjectStore:
    """The store named by settings.storage_url (file:///abs/dir, s3://bucket[/prefix])."""
    url = urlsplit(settings.storage_url)
    if url.scheme == "file":
        if url.netloc not in ("", "localhost"):
            raise ValueError(f"file:// storage URL must not name a host: {settings.storage_url}")
        return LocalObjectStore(Path(unquote(url.path)))
    if url.scheme == "s3":
        secret = settings.s3_secret_access_key
        return S3ObjectStore(
            url.netloc,
            prefix=url.path.strip("/") or None,
            endpoint=settings.s3_endpoint_url or None,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id or None,
            secret_access_key=secret.get_secret_value() if secret else None,
        )
    raise ValueError(f"unsupported storage URL scheme: {settings.storage_url}")


# --------------------------------------------------------------------------- download tokens

# Derive a dedicated key so a download token can never double as a JWT signed with the same
# secret (and vice versa); bump the label to invalidate every outstanding token.
_TOKEN_KEY_LABEL = b"mediahub/download-token/v1"


@dataclass(frozen=True, slots=True)
class DownloadGrant:
    """What a valid download token authorizes."""

    key: str
    expires_at: datetime
    filename: str | None = None
    content_type: str | None = None
    # The object the file belongs to and its access version when the link was made: the
    # download route refuses the link once the version moved on (access was taken away).
    object_id: str | None = None
    access_version: int | None = None


def _token_key(secret: str | bytes | SecretStr) -> bytes:
    raw = secret.get_secret_value() if hasattr(secret, "get_secret_value") else secret
    raw_bytes = raw.encode() if isinstance(raw, str) else bytes(raw)
    if not raw_bytes:
        raise ValueError("download token secret is empty")
    return _derive_token_key(raw_bytes)


@functools.lru_cache(maxsize=8)
def _derive_token_key(raw_secret: bytes) -> bytes:
    # A feed page signs ~150 links; derive the key once per secret, not once per link.
    return hmac.new(raw_secret, _TOKEN_KEY_LABEL, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _sign(payload_b64: str, key: bytes) -> str:
    return _b64(hmac.new(key, payload_b64.encode("ascii"), hashlib.sha256).digest())


def make_download_token(
    key: str,
    expires_at: datetime,
    secret: str | bytes | SecretStr,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    access: tuple[str, int] | None = None,
) -> str:
    """A URL-safe HMAC-SHA256 token granting GET of `key` until `expires_at` (tz-aware).

    `access` (object id, access version) binds the link to the object's current access.
    """
    validate_key(key)
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    claims: dict[str, Any] = {"k": key, "e": int(expires_at.timestamp())}
    if filename:
        claims["f"] = filename
    if content_type:
        claims["t"] = content_type
    if access is not None:
        claims["o"], claims["v"] = access
    payload = _b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{payload}.{_sign(payload, _token_key(secret))}"


def verify_download_token(
    token: str, secret: str | bytes | SecretStr, *, now: datetime | None = None
) -> DownloadGrant:
    """Check signature and expiry of a download token; raise InvalidDownloadToken otherwise."""
    invalid = InvalidDownloadToken("download link is invalid")
    if not isinstance(token, str) or len(token) > 4096 or not token.isascii():
        raise invalid
    payload, sep, signature = token.partition(".")
    if not sep or not payload or not signature:
        raise invalid
    # The MAC covers the base64 text itself and is compared as text: base64 has several
    # spellings of the same bytes, and every byte of the token must matter.
    expected = _sign(payload, _token_key(secret))
    if not hmac.compare_digest(signature.encode("ascii"), expected.encode("ascii")):
        raise invalid
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        grant = DownloadGrant(
            key=validate_key(claims["k"]),
            expires_at=datetime.fromtimestamp(int(claims["e"]), UTC),
            filename=claims.get("f"),
            content_type=claims.get("t"),
            object_id=claims.get("o"),
            access_version=claims.get("v"),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise invalid from exc
    if (now or datetime.now(UTC)) >= grant.expires_at:
        raise InvalidDownloadToken("download link has expired")
    return grant


# --------------------------------------------------------------------------- helpers


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """A Content-Disposition value with an ASCII fallback and an RFC 6266 UTF-8 filename."""
    cleaned = _CONTROL_CHARS.sub("", filename)
    fallback = "".join(c if c.isascii() and c not in '"\\' else "_" for c in cleaned)
    return (
        f'{disposition}; filename="{fallback or "download"}"; '
        f"filename*=UTF-8''{quote(cleaned, safe='')}"
    )
