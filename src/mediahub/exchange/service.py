"""Ownership exchange rules: every change of owner is atomic, recorded, never double-spent.

Concurrency: the rows that decide an outcome are locked (`SELECT … FOR UPDATE`) in a fixed
order — trade or transfer first, then art objects by id — so parallel claims serialise and
exactly one wins. Expiry is checked on every read; a periodic job only tidies statuses.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.config import Settings
from mediahub.core import clock
from mediahub.core.errors import BadRequest, Conflict, Forbidden, NotFound
from mediahub.core.offers import effective_status, lock_or_404, require_status
from mediahub.exchange.models import Trade, TradeItem, TradeStatus, Transfer, TransferStatus
from mediahub.gallery import access
from mediahub.gallery.models import ArtObject, HistoryKind, OwnershipHistory, Photo
from mediahub.gallery.service import revoke_links
from mediahub.users.models import User

# Crockford's base32 without I, L, O, U: easy to read aloud and type; 10 chars = 50 bits.
TOKEN_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # noqa: S105 - an alphabet
TOKEN_LENGTH = 10
MAX_TRADE_OBJECTS = 50
TITLE_MAX = 80  # characters of a photo's title shown in exchange lists and messages


def new_trade_token() -> str:
    """A random, unambiguous trade token (50 bits)."""
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


async def lock_owned_objects(
    session: AsyncSession, ids: list[uuid.UUID], owner: User
) -> list[ArtObject]:
    """Lock the caller's live objects in id order; 404/403 name the first one at fault."""
    unique = sorted(set(ids))
    rows = list(await session.scalars(
        select(ArtObject).where(ArtObject.id.in_(unique), ArtObject.deleted_at.is_(None))
        .order_by(ArtObject.id).with_for_update()))
    found = {art.id: art for art in rows}
    for art_id in unique:
        art = found.get(art_id)
        if art is None:
            raise NotFound(f"photo {art_id} not found", code="photo.not_found")
        if art.owner_id != owner.id:
            await access.refuse_foreign(session, owner, art_id,
                                        Forbidden(f"you do not own photo {art_id}",
                                                  code="photo.not_owner"))
    return [found[i] for i in unique]


def photo_title(description: str | None, filename: str | None) -> str | None:
    """A photo's name on screen: the first line of its description, else its file name."""
    first_line = (description or "").strip().split("\n", 1)[0].strip()
    if len(first_line) > TITLE_MAX:
        first_line = first_line[:TITLE_MAX - 1].rstrip() + "…"
    return first_line or filename or None


class PhotoInTrade(Conflict):
    """A photo is already offered in an open trade (params: photo, photo_id)."""

    code = "exchange.photo_in_trade"


class PhotoInTransfer(Conflict):
    """A photo waits for a transfer to be answered (params: photo, photo_id)."""

    code = "exchange.photo_in_transfer"


async def _engaged(session: AsyncSession, error: type[Conflict], art_id: uuid.UUID,
                   why: str) -> Conflict:
    """The 409 naming the photo by its title (the user knows it by that, not by its id)."""
    art = await session.get(ArtObject, art_id)
    photo = await session.get(Photo, art.photo_id) if art else None
    title = photo_title(art.description if art else None,
                        photo.original_filename if photo else None) or ""
    subject = f"“{title}”" if title else "this photo"
    return error(f"{subject} {why}", params={"photo": title, "titled": "yes" if title else "no",
                                             "photo_id": str(art_id)})


async def ensure_not_engaged(session: AsyncSession, ids: list[uuid.UUID]) -> None:
    """409 if any object is in a live trade or a live pending transfer, naming the photo."""
    current = clock.now()
    in_trade = await session.scalar(
        select(TradeItem.art_object_id).join(Trade, Trade.id == TradeItem.trade_id)
        .where(TradeItem.art_object_id.in_(ids), Trade.status == TradeStatus.OPEN,
               Trade.expires_at > current).limit(1))
    if in_trade is not None:
        raise await _engaged(session, PhotoInTrade, in_trade,
                             "is already offered in an open trade: cancel that trade first")
    in_transfer = await session.scalar(
        select(Transfer.art_object_id).where(
            Transfer.art_object_id.in_(ids), Transfer.status == TransferStatus.PENDING,
            Transfer.expires_at > current).limit(1))
    if in_transfer is not None:
        raise await _engaged(session, PhotoInTransfer, in_transfer,
                             "is offered to someone who has not answered yet: "
                             "cancel that transfer first")


def move_ownership(session: AsyncSession, objects: list[ArtObject], to_user_id: uuid.UUID,
                   kind: HistoryKind) -> None:
    """Give locked objects to a new owner and append the change to their history."""
    for art in objects:
        session.add(OwnershipHistory(art_object_id=art.id, from_user_id=art.owner_id,
                                     to_user_id=to_user_id, kind=kind))
        art.owner_id = to_user_id
        revoke_links(art)  # the previous owner's links (and those they shared) end


# ---------------------------------------------------------------- trades


async def create_trade(session: AsyncSession, owner: User, ids: list[uuid.UUID],
                       settings: Settings) -> tuple[Trade, list[uuid.UUID]]:
    """Offer objects for hand-over by token (QR); they stay locked until it ends."""
    if not ids or len(set(ids)) > MAX_TRADE_OBJECTS:
        raise BadRequest(f"offer between 1 and {MAX_TRADE_OBJECTS} photos", code="trade.size",
                         params={"min": 1, "max": MAX_TRADE_OBJECTS})
    objects = await lock_owned_objects(session, ids, owner)
    object_ids = [art.id for art in objects]
    await ensure_not_engaged(session, object_ids)
    trade = Trade(id=uuid.uuid4(), token=new_trade_token(), owner_id=owner.id,
                  status=TradeStatus.OPEN,
                  expires_at=clock.now() + timedelta(seconds=settings.trade_ttl_seconds))
    session.add(trade)
    await session.flush()
    session.add_all([TradeItem(trade_id=trade.id, art_object_id=i) for i in object_ids])
    await session.flush()
    return trade, object_ids


async def trade_items(session: AsyncSession, trade_id: uuid.UUID) -> list[uuid.UUID]:
    """The objects of a trade."""
    return list(await session.scalars(
        select(TradeItem.art_object_id).where(TradeItem.trade_id == trade_id)
        .order_by(TradeItem.art_object_id)))


def effective_trade_status(trade: Trade) -> TradeStatus:
    """The status as of now: an open trade past its expiry is expired."""
    return effective_status(TradeStatus(trade.status), trade.expires_at,
                            open_states=(TradeStatus.OPEN,), expired=TradeStatus.EXPIRED)


def _require_open(trade: Trade, gone_message: str) -> None:
    """A claimed trade is 409 (someone was faster); a cancelled or expired one is 410."""
    require_status(effective_trade_status(trade), TradeStatus.OPEN,
                   gone=(TradeStatus.CANCELLED, TradeStatus.EXPIRED),
                   gone_message=gone_message, gone_code="trade.gone",
                   conflict_message="this trade has already been claimed",
                   conflict_code="trade.claimed")


async def claim_trade(session: AsyncSession, token: str, claimant: User
                      ) -> tuple[Trade, list[uuid.UUID]]:
    """Take every object of the trade, atomically; exactly one claimant can win."""
    trade = await lock_or_404(session, select(Trade).where(Trade.token == token.strip().upper()),
                              NotFound("no trade with this code", code="trade.code_unknown"))
    if trade.owner_id == claimant.id:
        raise BadRequest("this is your own trade", code="trade.own")
    _require_open(trade, "this trade is {status}")
    ids = await trade_items(session, trade.id)
    objects = list(await session.scalars(
        select(ArtObject).where(ArtObject.id.in_(ids)).order_by(ArtObject.id)
        .with_for_update()))
    if len(objects) != len(ids) or any(
            a.owner_id != trade.owner_id or a.deleted_at is not None for a in objects):
        raise Conflict("the offered photos changed since the trade was made",
                       code="trade.photos_changed")
    move_ownership(session, objects, claimant.id, HistoryKind.TRADE)
    trade.status, trade.claimed_by = TradeStatus.CLAIMED, claimant.id
    trade.finished_at = clock.now()
    return trade, ids


async def cancel_trade(session: AsyncSession, trade_id: uuid.UUID, owner: User) -> Trade:
    """Withdraw an open trade; its objects are free again."""
    trade = await lock_or_404(session, select(Trade).where(
        Trade.id == trade_id, Trade.owner_id == owner.id),
        NotFound("trade not found", code="trade.not_found"))
    _require_open(trade, "this trade is already {status}")
    trade.status, trade.finished_at = TradeStatus.CANCELLED, clock.now()
    return trade


async def list_trades(session: AsyncSession, user: User, limit: int = 50) -> list[Trade]:
    """The caller's trades (made or claimed), newest first."""
    return list(await session.scalars(
        select(Trade).where(or_(Trade.owner_id == user.id, Trade.claimed_by == user.id))
        .order_by(Trade.created_at.desc()).limit(limit)))


# ---------------------------------------------------------------- transfers


def effective_transfer_status(transfer: Transfer) -> TransferStatus:
    """The status as of now: a pending transfer past its expiry is expired."""
    return effective_status(TransferStatus(transfer.status), transfer.expires_at,
                            open_states=(TransferStatus.PENDING,),
                            expired=TransferStatus.EXPIRED)


async def create_transfer(session: AsyncSession, sender: User, art_id: uuid.UUID,
                          to_user_id: uuid.UUID, settings: Settings) -> Transfer:
    """Offer one object to a named user; it is theirs once they accept."""
    if to_user_id == sender.id:
        raise BadRequest("you cannot transfer a photo to yourself", code="transfer.to_self")
    if await session.get(User, to_user_id) is None:
        raise NotFound("recipient not found", code="transfer.recipient_not_found")
    await lock_owned_objects(session, [art_id], sender)
    await ensure_not_engaged(session, [art_id])
    # A pending row past its expiry still holds the one-pending-per-object index: close it.
    await session.execute(update(Transfer).where(
        Transfer.art_object_id == art_id, Transfer.status == TransferStatus.PENDING,
        Transfer.expires_at <= clock.now()).values(status=TransferStatus.EXPIRED,
                                                     finished_at=clock.now()))
    transfer = Transfer(id=uuid.uuid4(), art_object_id=art_id, from_user_id=sender.id,
                        to_user_id=to_user_id, status=TransferStatus.PENDING,
                        expires_at=clock.now()
                        + timedelta(seconds=settings.transfer_ttl_seconds))
    session.add(transfer)
    await session.flush()
    return transfer


async def _locked_transfer(session: AsyncSession, transfer_id: uuid.UUID, user: User,
                           *, as_recipient: bool) -> Transfer:
    party = Transfer.to_user_id if as_recipient else Transfer.from_user_id
    """The pending transfer, locked, if `user` is the given party to it (404 otherwise)."""
    transfer = await lock_or_404(session, select(Transfer).where(
        Transfer.id == transfer_id, party == user.id),
        NotFound("transfer not found", code="transfer.not_found"))
    require_status(effective_transfer_status(transfer), TransferStatus.PENDING,
                   gone=(TransferStatus.EXPIRED,), gone_message="this transfer has expired",
                   gone_code="transfer.gone",
                   conflict_message="this transfer was already {status}",
                   conflict_code="transfer.decided")
    return transfer


async def answer_transfer(session: AsyncSession, transfer_id: uuid.UUID, recipient: User,
                          *, accept: bool) -> Transfer:
    """Accept (ownership moves, with history) or decline a transfer offered to you."""
    transfer = await _locked_transfer(session, transfer_id, recipient, as_recipient=True)
    if accept:
        art = await session.scalar(select(ArtObject).where(
            ArtObject.id == transfer.art_object_id).with_for_update())
        if art is None or art.deleted_at is not None or art.owner_id != transfer.from_user_id:
            raise Conflict("the photo is no longer the sender's to give",
                           code="transfer.photo_gone")
        move_ownership(session, [art], recipient.id, HistoryKind.TRANSFER)
    transfer.status = TransferStatus.ACCEPTED if accept else TransferStatus.DECLINED
    transfer.finished_at = clock.now()
    return transfer


async def cancel_transfer(session: AsyncSession, transfer_id: uuid.UUID,
                          sender: User) -> Transfer:
    """Withdraw a transfer you offered, while it is pending."""
    transfer = await _locked_transfer(session, transfer_id, sender, as_recipient=False)
    transfer.status, transfer.finished_at = TransferStatus.CANCELLED, clock.now()
    return transfer


async def list_transfers(session: AsyncSession, user: User, role: str,
                         limit: int = 50) -> list[Transfer]:
    """Transfers offered to you (`incoming`) or by you (`outgoing`), newest first."""
    party = Transfer.to_user_id if role == "incoming" else Transfer.from_user_id
    return list(await session.scalars(
        select(Transfer).where(party == user.id)
        .order_by(Transfer.created_at.desc()).limit(limit)))

