"""Object storage: one small async interface over local disk and S3, built on obstore.

Everything the rest of Mediahub knows about blobs goes through `ObjectStore`; this package
builds the configured store and re-exports the names callers use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urlsplit

from mediahub.core.storage.base import ObjectInfo, ObjectStore, ObjectStream, StoredObject
from mediahub.core.storage.errors import (
    InvalidObjectKey,
    ObjectNotFound,
    ObjectTooLarge,
    RangeNotSatisfiable,
    StorageError,
    StorageFull,
    StorageUnavailable,
)
from mediahub.core.storage.keys import validate_key
from mediahub.core.storage.local import LocalObjectStore
from mediahub.core.storage.s3 import S3ObjectStore

if TYPE_CHECKING:
    from pydantic import SecretStr

__all__ = [
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
    "StorageFull",
    "StorageUnavailable",
    "StoredObject",
    "build_object_store",
    "validate_key",
]


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
