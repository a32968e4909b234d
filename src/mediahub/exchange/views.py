"""What a trade or transfer response shows: the photos by title and thumbnail, the people by name.

The parties to an exchange see its photos (title and thumbnail) while the offer is open, whoever
owns them: the recipient must see what is offered before accepting. Once it has ended, a photo
shows only to whoever may see it now (`gallery.access.visible_to`): making a photo private or
giving it away ends its links for everybody else, a past trade included (ADR 0020). A deleted
photo shows neither.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.config import Settings
from mediahub.core.storage import ObjectStore
from mediahub.exchange import service
from mediahub.exchange.models import Trade, TradeStatus, Transfer, TransferStatus
from mediahub.exchange.schemas import ExchangePhoto, TradeOut, TransferOut
from mediahub.gallery import reads
from mediahub.gallery.access import visible_to
from mediahub.gallery.models import ArtObject, Photo
from mediahub.users.models import User


async def photos(session: AsyncSession, ids: Iterable[uuid.UUID], *, viewer: User,
                 offered: set[uuid.UUID], store: ObjectStore, settings: Settings
                 ) -> dict[uuid.UUID, ExchangePhoto]:
    """Title and thumbnail of each photo among `ids` that is in an open offer (`offered`) or
    that the viewer may see now; deleted ones are left out."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    rows = (await session.execute(
        select(*reads.PHOTO_COLUMNS).join(Photo, Photo.id == ArtObject.photo_id)
        .where(ArtObject.id.in_(wanted), ArtObject.deleted_at.is_(None),
               or_(ArtObject.id.in_(list(offered)), visible_to(viewer))))).all()
    found = await reads.items(session, rows, None, store=store, settings=settings)
    return {item["id"]: ExchangePhoto(
        id=item["id"], title=service.photo_title(item["description"], item["original_filename"]),
        thumb=item["urls"]["thumb"], placeholder=item["placeholder"]) for item in found}


def _photo(shown: dict[uuid.UUID, ExchangePhoto], art_id: uuid.UUID) -> ExchangePhoto:
    return shown.get(art_id) or ExchangePhoto(id=art_id, title=None, thumb=None,
                                              placeholder=None)


async def names(session: AsyncSession, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Display names of the given users."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    users = await session.scalars(select(User).where(User.id.in_(wanted)))
    return {user.id: user.display_name for user in users}


async def trades_out(session: AsyncSession, trades: list[tuple[Trade, list[uuid.UUID]]], *,
                     viewer: User, store: ObjectStore, settings: Settings) -> list[TradeOut]:
    """Trade responses, with their photos and both parties' names looked up once."""
    offered = {i for t, ids in trades
               if service.effective_trade_status(t) == TradeStatus.OPEN for i in ids}
    shown = await photos(session, (i for _, ids in trades for i in ids), viewer=viewer,
                         offered=offered, store=store, settings=settings)
    named = await names(session, (u for t, _ in trades for u in (t.owner_id, t.claimed_by)))
    return [TradeOut(
        id=trade.id, token=trade.token, qr_payload=f"trade:{trade.token}",
        status=service.effective_trade_status(trade), owner_id=trade.owner_id,
        owner_name=named.get(trade.owner_id, ""), claimed_by=trade.claimed_by,
        claimed_by_name=named.get(trade.claimed_by) if trade.claimed_by else None,
        art_object_ids=ids, photos=[_photo(shown, i) for i in ids],
        created_at=trade.created_at, expires_at=trade.expires_at) for trade, ids in trades]


async def transfers_out(session: AsyncSession, transfers: list[Transfer], *,
                        viewer: User, store: ObjectStore, settings: Settings
                        ) -> list[TransferOut]:
    """Transfer responses, with the photo and both parties' names looked up once."""
    offered = {t.art_object_id for t in transfers
               if service.effective_transfer_status(t) == TransferStatus.PENDING}
    shown = await photos(session, (t.art_object_id for t in transfers), viewer=viewer,
                         offered=offered, store=store, settings=settings)
    named = await names(session, (u for t in transfers for u in (t.from_user_id, t.to_user_id)))
    return [TransferOut(
        id=t.id, art_object_id=t.art_object_id, photo=_photo(shown, t.art_object_id),
        from_user_id=t.from_user_id, from_name=named.get(t.from_user_id, ""),
        to_user_id=t.to_user_id, to_name=named.get(t.to_user_id, ""),
        status=service.effective_transfer_status(t), created_at=t.created_at,
        expires_at=t.expires_at, finished_at=t.finished_at) for t in transfers]
