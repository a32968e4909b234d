"""Receive a multipart upload straight into the object store, in constant memory.

The request body is parsed as it arrives (python-multipart's push parser); the file part's
bytes go to `ObjectStore.put_stream` through a small bounded queue, so memory stays flat
whatever the size. The format is decided from the first bytes before anything is stored.
Either the whole upload succeeds, or nothing is left behind: no object, no record.
"""

from __future__ import annotations

import asyncio
import contextlib
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from mediahub.core.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from mediahub.core.storage import ObjectStore, ObjectTooLarge, StoredObject
from mediahub.core.text import clean_text
from mediahub.media.sniff import HEAD_BYTES, Sniffed, sniff

MAX_FIELD_BYTES = 64 * 1024
MAX_FIELDS = 32
MAX_PARTS = 64  # every part counts, named or not, repeated or not (10,000 once passed)
FORM_OVERHEAD_BYTES = 1024 * 1024  # room for text fields and multipart framing
QUEUE_CHUNKS = 8  # file chunks buffered between the parser and the store (backpressure)


@dataclass
class ReceivedFile:
    """The stored file part."""

    stored: StoredObject
    format: Sniffed
    filename: str | None


@dataclass
class ReceivedUpload:
    """Everything a multipart upload carried."""

    file: ReceivedFile
    fields: dict[str, str] = field(default_factory=dict)


def multipart_openapi(file_description: str, **fields: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` for a route that reads a multipart form itself (`file` + `fields`)."""
    file_schema = {"type": "string", "format": "binary", "description": file_description}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": {"file": file_schema, **fields},
    }}}}}


def sanitize_filename(raw: str | None) -> str | None:
    """The client's file name as display metadata only: base name, no control chars, ≤ 255."""
    if not raw:
        return None
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    # A file's name comes with the file: stripped, not refused (core/text.py).
    name = clean_text(name, field="file name", source="external")
    if name in ("", ".", ".."):
        return None
    return name.encode()[:255].decode(errors="ignore") or None


def _boundary(request: Request) -> bytes:
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or not params.get(b"boundary"):
        raise UnsupportedMediaType("send the upload as multipart/form-data",
                                   code="upload.not_multipart")
    return params[b"boundary"]


def _check_declared_length(request: Request, max_bytes: int) -> None:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + FORM_OVERHEAD_BYTES:
        raise PayloadTooLarge(f"upload is larger than the limit of {max_bytes} bytes",
                              code="upload.too_large", params={"max_bytes": max_bytes})


class _PartState:
    """What the parser has told us about the part it is reading."""

    def __init__(self) -> None:
        self.headers: dict[bytes, bytes] = {}
        self.header_field = b""
        self.header_value = b""
        self.name: str | None = None
        self.filename: str | None = None
        self.is_file = False

    def finish_headers(self) -> None:
        _, params = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = params.get(b"name", b"").decode(errors="replace") or None
        raw_filename = params.get(b"filename")
        self.is_file = raw_filename is not None
        self.filename = raw_filename.decode(errors="replace") if raw_filename else None


class _Receiver:
    """Drives the parser and the store upload together; one file part at most."""

    def __init__(self, store: ObjectStore, key: str, *, file_field: str, max_bytes: int,
                 accept: frozenset[Sniffed]) -> None:
        self.store, self.key = store, key
        self.file_field, self.max_bytes, self.accept = file_field, max_bytes, accept
        self.fields: dict[str, str] = {}
        self.part = _PartState()
        self.field_buffer = bytearray()
        self.head = bytearray()  # the file's first bytes, held back until sniffed
        self.format: Sniffed | None = None
        self.file_filename: str | None = None
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue(QUEUE_CHUNKS)
        self.upload: asyncio.Task[StoredObject] | None = None
        self.pending: list[bytes | None] = []  # file chunks from the current parser.write()
        self.file_seen = False
        self.file_done = False
        self.parts = 0

    # --- parser callbacks (synchronous: they only record what happened) ---

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._header_bytes("field", d[s:e]),
            "on_header_value": lambda d, s, e: self._header_bytes("value", d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise BadRequest(f"too many form parts (at most {MAX_PARTS})",
                             code="upload.too_many_parts", params={"max": MAX_PARTS})
        self.part = _PartState()
        self.field_buffer.clear()

    def _header_bytes(self, which: str, data: bytes) -> None:
        if which == "field":
            self.part.header_field += data
        else:
            self.part.header_value += data

    def _header_end(self) -> None:
        self.part.headers[self.part.header_field.lower()] = self.part.header_value
        self.part.header_field = self.part.header_value = b""

    def _headers_finished(self) -> None:
        self.part.finish_headers()
        if self.part.is_file:
            if self.part.name != self.file_field:
                raise BadRequest(
                    f"unexpected file field {self.part.name!r}; use {self.file_field!r}",
                    code="upload.wrong_file_field",
                    params={"field": self.part.name or "", "expected": self.file_field})
            if self.file_seen:
                raise BadRequest("send one file per upload", code="upload.one_file")
            self.file_seen = True
            self.file_filename = self.part.filename
        elif len(self.fields) >= MAX_FIELDS:
            raise BadRequest("too many form fields", code="upload.too_many_fields")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self.part.is_file:
            self.pending.append(bytes(data[start:end]))
            return
        self.field_buffer += data[start:end]
        if len(self.field_buffer) > MAX_FIELD_BYTES:
            raise BadRequest(f"form field {self.part.name!r} is too long",
                             code="upload.field_too_long", params={"field": self.part.name or ""})

    def _part_end(self) -> None:
        if self.part.is_file:
            self.pending.append(None)  # end of file marker
        elif self.part.name:
            try:
                value = self.field_buffer.decode()
            except UnicodeDecodeError:
                raise BadRequest(f"form field {self.part.name!r} is not UTF-8",
                                 code="upload.field_not_utf8",
                                 params={"field": self.part.name or ""}) from None
            if "\x00" in value:  # PostgreSQL text cannot hold NUL
                raise BadRequest(f"form field {self.part.name!r} contains a NUL character",
                                 code="upload.field_nul", params={"field": self.part.name or ""})
            self.fields[self.part.name] = value

    # --- the async side ---

    async def _chunks(self) -> AsyncIterator[bytes]:
        yield bytes(self.head)
        while (chunk := await self.queue.get()) is not None:
            yield chunk

    async def _feed_file(self, chunk: bytes | None) -> None:
        if self.upload is None:
            if chunk is not None:
                self.head += chunk
                if len(self.head) < HEAD_BYTES:
                    return
            self._start_upload()
            if chunk is not None:
                return  # it is already in the head
        assert self.upload is not None
        await self._put(chunk)
        if chunk is None:
            await self.upload  # surface store errors (too large, outage) right here
            self.file_done = True

    async def _put(self, chunk: bytes | None) -> None:
        """Queue a chunk for the store, unless the store upload has already failed."""
        assert self.upload is not None
        put = asyncio.ensure_future(self.queue.put(chunk))
        await asyncio.wait({put, self.upload}, return_when=asyncio.FIRST_COMPLETED)
        if not put.done():
            put.cancel()
            self.upload.result()  # the upload ended early: raise its error (e.g. too large)
            raise RuntimeError("object store upload ended before the file did")

    def _start_upload(self) -> None:
        found = sniff(bytes(self.head[:HEAD_BYTES]))
        if not self.head:
            raise BadRequest("the file is empty", code="upload.empty_file")
        if found is None or found not in self.accept:
            kinds = ", ".join(sorted(f.extension for f in self.accept))
            raise UnsupportedMediaType(f"unsupported file type; accepted: {kinds}",
                                       code="upload.unsupported_type",
                                       params={"accepted": kinds})
        self.format = found
        self.upload = asyncio.create_task(self.store.put_stream(
            self.key, self._chunks(), content_type=found.mime, max_bytes=self.max_bytes))

    async def run(self, request: Request) -> ReceivedUpload:
        parser = MultipartParser(_boundary(request), self.callbacks())
        async for chunk in request.stream():
            parser.write(chunk)
            pending, self.pending = self.pending, []
            for piece in pending:
                await self._feed_file(piece)
        parser.finalize()
        if not self.file_seen or not self.file_done:
            raise BadRequest(f"no file in form field {self.file_field!r}", code="upload.no_file",
                             params={"field": self.file_field})
        assert self.upload is not None and self.format is not None
        received = ReceivedFile(self.upload.result(), self.format,
                                sanitize_filename(self.file_filename))
        return ReceivedUpload(file=received, fields=self.fields)

    async def abandon(self) -> None:
        """Stop the store upload (it cleans up after itself) and remove a finished object."""
        if self.upload is None:
            return
        if not self.upload.done():
            self.upload.cancel()
            with contextlib.suppress(BaseException):
                await self.upload
        elif not self.upload.cancelled() and self.upload.exception() is None:
            await self.store.delete(self.key)


async def receive_upload(
    request: Request,
    store: ObjectStore,
    key: str,
    *,
    accept: frozenset[Sniffed],
    max_bytes: int,
    file_field: str = "file",
) -> ReceivedUpload:
    """Stream the multipart body's file into `store` under `key`; 4xx on bad input.

    On any failure — bad form, wrong type, too large, client gone, storage error — nothing is
    left in the store. The caller owns the object once this returns (and must delete it if
    its own transaction fails).
    """
    _check_declared_length(request, max_bytes)
    receiver = _Receiver(store, key, file_field=file_field, max_bytes=max_bytes, accept=accept)
    try:
        return await receiver.run(request)
    except ObjectTooLarge:
        await receiver.abandon()
        raise PayloadTooLarge(f"upload is larger than the limit of {max_bytes} bytes",
                              code="upload.too_large", params={"max_bytes": max_bytes}) from None
    except ClientDisconnect:
        await receiver.abandon()
        raise BadRequest("the upload was interrupted", code="upload.interrupted") from None
    except Exception as exc:
        await receiver.abandon()
        if type(exc).__module__.startswith("python_multipart"):
            raise BadRequest(f"malformed multipart body: {exc}", code="upload.malformed") from None
        raise
    except BaseException:
        await receiver.abandon()
        raise
