"""The ObjectStore interface and what it returns, the upload meter and the ranged reader.

Both backends are obstore stores (Rust `object_store` underneath), so streaming, multipart
uploads, ranged reads and retries behave the same way on a laptop directory and on S3/MinIO.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from abc import ABC, abstractmethod
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import obstore

from mediahub.core.storage.errors import (
    ObjectNotFound,
    ObjectTooLarge,
    RangeNotSatisfiable,
    StorageError,
    UploadAborted,
    translate,
    translate_errors,
)
from mediahub.core.storage.keys import validate_key

if TYPE_CHECKING:
    from obstore import GetOptions, GetResult, ObjectMeta
    from obstore.store import LocalStore, S3Store

# Multipart part size: S3's minimum for every part but the last. obstore keeps up to
# PART_SIZE * PUT_CONCURRENCY bytes in flight per upload (measured: 12 parts ~ 60 MB of RSS),
# so concurrency is kept low to bound memory when several uploads run at once.
PART_SIZE = 5 * 1024 * 1024
PUT_CONCURRENCY = 4
# obstore's default read chunk is 10 MB; smaller chunks keep many concurrent downloads cheap.
READ_CHUNK_SIZE = 512 * 1024


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
        with translate_errors(self.info.key, "read"):
            return await self._body.__anext__()



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
        """Make the stream raise UploadAborted now, even if the source is blocked."""
        self._aborted = True
        if self._pull is not None:
            self._pull.cancel()

    async def stream(self) -> AsyncIterator[bytes]:
        """The byte stream handed to obstore."""
        source = aiter(self._chunks)
        while True:
            if self._aborted:
                raise UploadAborted
            # Each pull runs as its own future so abort() can interrupt a source that waits
            # (e.g. a slow client body) instead of waiting for its next chunk.
            self._pull = asyncio.ensure_future(anext(source))
            try:
                chunk = await self._pull
            except StopAsyncIteration:
                return
            except asyncio.CancelledError:
                if self._aborted:
                    raise UploadAborted from None
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
            translated = translate(exc, key, "upload")
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
            with translate_errors(key, "read"):
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
            with translate_errors(key, "head"):
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
            with translate_errors(key, "delete"):
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
        with translate_errors(self._key, "read"):
            data = obstore.get_range(self._store, self._key, start=self._pos, length=want)
        got = len(data)
        memoryview(buffer)[:got] = memoryview(data)
        self._pos += got
        return got
