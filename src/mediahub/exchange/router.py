"""`/api/trades` and `/api/transfers`: hand objects over by QR code or to a named user."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status
from redis.asyncio import Redis

from mediahub.auth.deps import CurrentUser
from mediahub.config import Settings
from mediahub.core.db import SessionDep
from mediahub.core.deps import RedisDep, SettingsDep, StoreDep
from mediahub.core.errors import BadRequest, Conflict, Forbidden, Gone, NotFound
from mediahub.core.notify import notify_users
from mediahub.core.storage import ObjectStore
from mediahub.exchange import service, views
from mediahub.exchange.models import Trade, Transfer
from mediahub.exchange.schemas import (
    TradeCreate,
    TradeList,
    TradeOut,
    TransferCreate,
    TransferList,
    TransferOut,
)
from mediahub.users.models import User

router = APIRouter(tags=["exchange"])
ERRORS = {**BadRequest.openapi(), **NotFound.openapi(), **Forbidden.openapi(),
          **Conflict.openapi(), **Gone.openapi()}
Token = Annotated[str, Path(min_length=4, max_length=16, pattern=r"^[0-9A-Za-z]+$")]


async def _trade_out(session, trade: Trade, ids: list[uuid.UUID], viewer: User,  # noqa: ANN001
                     store: ObjectStore, settings: Settings) -> TradeOut:
    return (await views.trades_out(session, [(trade, ids)], viewer=viewer, store=store,
                                   settings=settings))[0]


async def _transfer_out(session, transfer: Transfer, viewer: User,  # noqa: ANN001
                        store: ObjectStore, settings: Settings) -> TransferOut:
    return (await views.transfers_out(session, [transfer], viewer=viewer, store=store,
                                      settings=settings))[0]


@router.post("/trades", status_code=status.HTTP_201_CREATED, response_model=TradeOut,
             operation_id="create_trade", responses=ERRORS)
async def create_trade(body: TradeCreate, session: SessionDep, user: CurrentUser,
                       settings: SettingsDep, store: StoreDep) -> TradeOut:
    """Offer your photos to whoever scans the QR code (`trade:<token>`) before it expires."""
    trade, ids = await service.create_trade(session, user, body.art_object_ids, settings)
    await session.refresh(trade)
    return await _trade_out(session, trade, ids, user, store, settings)


@router.get("/trades", response_model=TradeList, operation_id="list_trades")
async def list_trades(session: SessionDep, user: CurrentUser, store: StoreDep,
                      settings: SettingsDep) -> TradeList:
    """Your open and recent trades (made or claimed), with their photos and people named."""
    trades = await service.list_trades(session, user)
    pairs = [(t, await service.trade_items(session, t.id)) for t in trades]
    return TradeList(items=await views.trades_out(session, pairs, viewer=user, store=store,
                                                  settings=settings))


@router.post("/trades/{token}/claim", response_model=TradeOut, operation_id="claim_trade",
             responses=ERRORS)
async def claim_trade(token: Token, session: SessionDep, user: CurrentUser,
                      redis: RedisDep, store: StoreDep, settings: SettingsDep) -> TradeOut:
    """Take the photos of a trade: 409 if someone was faster, 410 if it expired."""
    trade, ids = await service.claim_trade(session, token, user)
    out = await _trade_out(session, trade, ids, user, store, settings)
    event = {"type": "trade.claimed", "trade_id": str(trade.id),
             "art_object_ids": [str(i) for i in ids], "by": str(user.id),
             "by_name": user.display_name, "owner_name": out.owner_name}
    notify_users(session, redis, [trade.owner_id, user.id], event)
    notify_users(session, redis, [trade.owner_id, user.id], {"type": "collection.changed"})
    return out


@router.delete("/trades/{trade_id}", status_code=status.HTTP_204_NO_CONTENT,
               operation_id="cancel_trade", responses=ERRORS)
async def cancel_trade(trade_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Response:
    """Withdraw your open trade."""
    await service.cancel_trade(session, trade_id, user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/transfers", status_code=status.HTTP_201_CREATED, response_model=TransferOut,
             operation_id="create_transfer", responses=ERRORS)
async def create_transfer(body: TransferCreate, session: SessionDep, user: CurrentUser,
                          settings: SettingsDep, redis: RedisDep,
                          store: StoreDep) -> TransferOut:
    """Offer one of your photos to a named user; they accept or decline."""
    transfer = await service.create_transfer(session, user, body.art_object_id,
                                             body.to_user_id, settings)
    await session.refresh(transfer)
    out = await _transfer_out(session, transfer, user, store, settings)
    notify_users(session, redis, [transfer.to_user_id],
                 {"type": "transfer.requested", "transfer_id": str(transfer.id),
                  "from": str(user.id), "from_name": out.from_name,
                  "photo_title": out.photo.title})
    return out


@router.get("/transfers", response_model=TransferList, operation_id="list_transfers")
async def list_transfers(session: SessionDep, user: CurrentUser, store: StoreDep,
                         settings: SettingsDep,
                         role: Literal["incoming", "outgoing"] = Query("incoming")
                         ) -> TransferList:
    """Transfers offered to you or by you, with the photo and people named."""
    rows = await service.list_transfers(session, user, role)
    return TransferList(items=await views.transfers_out(session, rows, viewer=user, store=store,
                                                        settings=settings))


async def _answer(transfer_id: uuid.UUID, redis: Redis, session, user,  # noqa: ANN001
                  store: ObjectStore, settings: Settings, *, accept: bool) -> TransferOut:
    transfer = await service.answer_transfer(session, transfer_id, user, accept=accept)
    kind = "transfer.accepted" if accept else "transfer.declined"
    parties = [transfer.from_user_id, transfer.to_user_id]
    out = await _transfer_out(session, transfer, user, store, settings)
    notify_users(session, redis, parties, {"type": kind, "transfer_id": str(transfer.id),
                                           "by": str(user.id), "by_name": user.display_name,
                                           "photo_title": out.photo.title})
    if accept:
        notify_users(session, redis, parties, {"type": "collection.changed"})
    return out


@router.post("/transfers/{transfer_id}/accept", response_model=TransferOut,
             operation_id="accept_transfer", responses=ERRORS)
async def accept_transfer(transfer_id: uuid.UUID, session: SessionDep, user: CurrentUser,
                          redis: RedisDep, store: StoreDep,
                          settings: SettingsDep) -> TransferOut:
    """Accept a transfer offered to you: the photo becomes yours."""
    return await _answer(transfer_id, redis, session, user, store, settings, accept=True)


@router.post("/transfers/{transfer_id}/decline", response_model=TransferOut,
             operation_id="decline_transfer", responses=ERRORS)
async def decline_transfer(transfer_id: uuid.UUID, session: SessionDep, user: CurrentUser,
                           redis: RedisDep, store: StoreDep,
                           settings: SettingsDep) -> TransferOut:
    """Decline a transfer offered to you."""
    return await _answer(transfer_id, redis, session, user, store, settings, accept=False)


@router.post("/transfers/{transfer_id}/cancel", response_model=TransferOut,
             operation_id="cancel_transfer", responses=ERRORS)
async def cancel_transfer(transfer_id: uuid.UUID, session: SessionDep, user: CurrentUser,
                          redis: RedisDep, store: StoreDep,
                          settings: SettingsDep) -> TransferOut:
    """Withdraw a transfer you offered, while it is pending."""
    transfer = await service.cancel_transfer(session, transfer_id, user)
    notify_users(session, redis, [transfer.to_user_id],
                 {"type": "transfer.cancelled", "transfer_id": str(transfer.id),
                  "by": str(user.id), "by_name": user.display_name})
    return await _transfer_out(session, transfer, user, store, settings)
