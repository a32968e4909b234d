"""Objects as files under a root directory."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from obstore.store import LocalStore

from mediahub.core.storage.base import ObjectStore
from mediahub.core.storage.errors import StorageError, StorageUnavailable
from mediahub.core.storage.keys import validate_key

_STAGING_NAME = re.compile(r"#\d+$")  # obstore LocalStore's `<name>#<n>` while writing


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
