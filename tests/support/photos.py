"""Photos for tests: generated images, uploads through the API, waiting on a real worker."""

from __future__ import annotations

import asyncio
import io
import time
import uuid

import httpx
from PIL import Image


def jpeg(seed: int = 0, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small JPEG whose colour depends on `seed` (distinct seeds, distinct bytes)."""
    out = io.BytesIO()
    Image.new("RGB", size, (seed * 37 % 256, seed * 91 % 256, 120)).save(out, "JPEG")
    return out.getvalue()


async def upload(client: httpx.AsyncClient, auth: dict[str, str], seed: int = 0,
                 **fields: str) -> dict:
    """Upload a generated photo (form `fields` as given; asserting 201); return its body."""
    response = await client.post("/api/photos", headers=auth, data=fields,
                                 files={"file": (f"{seed}.jpg", jpeg(seed), "image/jpeg")})
    assert response.status_code == 201, response.text
    return response.json()


async def photo_id(client: httpx.AsyncClient, auth: dict[str, str], seed: int = 0, *,
                   public: bool = False) -> str:
    """Upload a generated photo, private unless `public`; return its id."""
    return (await upload(client, auth, seed, is_public="true" if public else "false"))["id"]


async def wait_until_processed(client: httpx.AsyncClient, auth: dict, photo_id: str,
                               timeout: float = 60) -> dict:
    """The photo's body once it is no longer `processing` (ready or failed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = (await client.get(f"/api/photos/{photo_id}", headers=auth)).json()
        if body["status"] != "processing":
            return body
        await asyncio.sleep(0.2)
    raise AssertionError(f"photo {photo_id} still processing after {timeout}s")


async def mark_ready(app, art_ids: list[str], size: tuple[int, int] = (320, 240)) -> None:  # noqa: ANN001
    """Stand in for the renditions job (tested on its own) so list tests stay fast."""
    from sqlalchemy import select, update

    from mediahub.gallery.models import ArtObject, Photo, PhotoStatus

    async with app.state.session_factory() as session:
        arts = (await session.scalars(select(ArtObject).where(
            ArtObject.id.in_([uuid.UUID(i) for i in art_ids])))).all()
        for art in arts:
            await session.execute(update(Photo).where(Photo.id == art.photo_id).values(
                status=PhotoStatus.READY, width=size[0], height=size[1],
                thumb_key=f"photos/{art.photo_id}/thumb.webp",
                preview_key=f"photos/{art.photo_id}/preview.webp"))
        await session.commit()
