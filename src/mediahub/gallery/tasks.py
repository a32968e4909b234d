"""Worker jobs of the gallery: renditions (thumbnail, preview, metadata, placeholder), and the
periodic purge of deleted photos' files."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core import events
from mediahub.core.errors import without_paths
from mediahub.core.jobs.context import JobContext, WorkerResources
from mediahub.core.jobs.periodic import periodic
from mediahub.core.jobs.registry import handles
from mediahub.core.queue import JobName
from mediahub.gallery.models import ArtObject, Photo, PhotoStatus
from mediahub.gallery.service import purge_deleted_files

if TYPE_CHECKING:
    from mediahub.media.renditions import Renditions

CHUNK = 1024 * 1024
log = logging.getLogger(__name__)


async def _file_chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as source:
        while chunk := await asyncio.to_thread(source.read, CHUNK):
            yield chunk


async def _publish(ctx: JobContext, art: ArtObject | None, event: dict[str, Any]) -> None:
    if art is None:
        return
    deliveries = [(events.user_channel(art.owner_id), event)]
    if event["type"] == "photo.ready" and art.is_public and art.deleted_at is None:
        deliveries.append((events.PUBLIC, {"type": "photo.published", "id": str(art.id)}))
    await events.publish_many(ctx.resources.redis, deliveries)


async def _locked(session: AsyncSession, photo_id: uuid.UUID) -> tuple[Photo | None,
                                                                       ArtObject | None]:
    """The photo, locked for update, and its art object, in one query."""
    row = (await session.execute(
        select(Photo, ArtObject).outerjoin(ArtObject, ArtObject.photo_id == Photo.id)
        .where(Photo.id == photo_id).with_for_update(of=Photo))).first()
    return (row[0], row[1]) if row else (None, None)


async def _mark_failed(ctx: JobContext, photo_id: uuid.UUID, reason: str) -> dict[str, Any]:
    public = without_paths(reason)  # decoders name the worker's temp file
    if public != reason:
        log.info("photo %s rejected: %s", photo_id, reason)
    reason = public
    result = {"status": "failed", "error": reason}
    async with ctx.resources.sessions() as session:
        photo, art = await _locked(session, photo_id)
        if photo is not None:
            photo.status, photo.error = PhotoStatus.FAILED, reason
        if not await ctx.complete_in(session, result):
            await session.rollback()  # cancelled meanwhile
            return {"status": "cancelled"}
        await session.commit()
    await _publish(ctx, art, {"type": "photo.failed", "id": str(art.id) if art else None,
                              "error": reason})
    return result


@handles(JobName.PHOTO_RENDITIONS)
async def photo_renditions(ctx: JobContext, *, photo_id: str) -> dict[str, Any]:
    """Decode the original, store a thumbnail and a preview, record what the image says.

    A file that is not a decodable image ends as `failed` with a readable reason (and the job
    itself succeeds); storage or database outages raise, so the job is retried.
    """
    from mediahub.media.renditions import ImageRejected, render  # Pillow: worker only

    pid = uuid.UUID(photo_id)
    async with ctx.resources.single_statements() as session:
        photo = await session.get(Photo, pid)
    if photo is None or photo.status == PhotoStatus.READY:
        return {"status": "skipped"}
    # The temp files are removed after the photo is published: its viewers don't wait for it.
    with tempfile.TemporaryDirectory(prefix="renditions-") as tmp:
        workdir = Path(tmp)
        original = workdir / "original"
        await ctx.resources.store.download_to(photo.original_key, original)
        # One stage: most photos take tens of milliseconds, and each reported stage costs a
        # database write and a Redis round trip (ADR 0029).
        await ctx.progress("rendering", 30)
        try:
            result = await asyncio.to_thread(render, original, workdir)
        except ImageRejected as exc:
            return await _mark_failed(ctx, pid, str(exc))
        keys = await _store_renditions(ctx, pid, result)
        return await _mark_ready(ctx, pid, result, keys)


async def _store_renditions(ctx: JobContext, pid: uuid.UUID, result: Renditions) -> dict[str, str]:
    keys = {}
    for name, rendition in (("thumb", result.thumb), ("preview", result.preview)):
        key = f"photos/{pid}/{name}.{rendition.path.suffix.lstrip('.')}"
        await ctx.resources.store.put_stream(key, _file_chunks(rendition.path),
                                             content_type=rendition.mime)
        keys[name] = key
    return keys


async def _mark_ready(ctx: JobContext, pid: uuid.UUID, result: Renditions,
                      keys: dict[str, str]) -> dict[str, Any]:
    async with ctx.resources.sessions() as session:
        row, art = await _locked(session, pid)
        if row is None:
            return {"status": "skipped"}
        row.status, row.error = PhotoStatus.READY, None
        row.width, row.height = result.width, result.height
        row.taken_at, row.placeholder = result.taken_at, result.placeholder
        row.camera = result.camera
        row.thumb_key, row.preview_key = keys["thumb"], keys["preview"]
        # The photo turns ready and the job done in one commit: a worker killed in between
        # cannot leave a ready photo whose job is retried (and reported done twice).
        outcome = {"status": "ready", "width": result.width, "height": result.height}
        if not await ctx.complete_in(session, outcome):
            await session.rollback()
            return {"status": "cancelled"}
        await session.commit()
    await _publish(ctx, art, {"type": "photo.ready", "id": str(art.id) if art else None})
    return outcome


@periodic(every_s=lambda settings: settings.housekeeping_seconds,
          name="purge of deleted photos' files")
async def purge_deleted_photo_files(resources: WorkerResources) -> None:
    """Remove the stored files of photos deleted longer ago than their retention."""
    async with resources.sessions() as session:
        purged = await purge_deleted_files(
            session, resources.store,
            older_than_s=resources.settings.deleted_files_retention_seconds)
    if purged:
        log.info("removed the files of %d deleted photo(s)", purged)
