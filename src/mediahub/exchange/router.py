"""`/api/trades` and `/api/transfers`: hand objects over by QR code or to a named user."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status
from redis.asyncio import Redis

from mediahub.auth.deps import CurrentUser
from mediahub.core.db import SessionDep
from mediahub.core.deps import RedisDep, SettingsDep
from mediahub.core.errors import BadRequest, Conflict, Forbidden, Gone, NotFound
from mediahub.core.notify import notify_users
from mediahub.exchange import service
from mediahub.exchange.models import Trade, Transfer
from mediahub.exchange.schemas import (
    TradeCreate,
    TradeList,
    TradeOut,
    TransferCreate,
    TransferList,
    TransferOut,
)

router = APIRouter(tags=["exchange"])
ERRORS = {**BadRequest.openapi(), **NotFound.openapi(), **Forbidden.openapi(),
          **Conflict.openapi(), **Gone.openapi()}
Token = Annotated[str, Path(min_length=4, max_length=16, pattern=r"^[0-9A-Za-z]+$")]


def _trade_out(trade: Trade, ids: list[uuid.UUID]) -> TradeOut:
    return TradeOut(id=trade.id, token=trade.token, qr_payload=f"trade:{trade.token}",
                    status=service.effective_trade_status(trade), owner_id=trade.owner_id,
                    claimed_by=trade.claimed_by, art_object_ids=ids,
                    created_at=trade.created_at, expires_at=trade.expires_at)


def _transfer_out(transfer: Transfer) -> TransferOut:
    return TransferOut(id=transfer.id, art_object_id=transfer.art_object_id,
                       from_user_id=transfer.from_user_id, to_user_id=transfer.to_user_id,
                       status=service.effective_transfer_status(transfer),
                       created_at=transfer.created_at, expires_at=transfer.expires_at,
                       finished_at=transfer.finished_at)


@router.post("/trades", status_code=status.HTTP_201_CREATED, response_model=TradeOut,
             operation_id="create_trade", responses=ERRORS)
async def create_trade(body: TradeCreate, session: SessionDep, user: CurrentUser,
                       settings: SettingsDep) -> TradeOut:
    """Offer your photos to whoever scans the QR code (`trade:<token>`) before it expires."""
    trade, ids = await service.create_trade(session, user, body.art_object_ids, settings)
    await session.refresh(trade)
    return _trade_out(trade, ids)


@router.get("/trades", response_model=TradeList, operation_id="list_trades")
async def list_trades(session: SessionDep, user: CurrentUser) -> TradeList:
    """Your open and recent trades (made or claimed)."""
    trades = await service.list_trades(session, user)
    return TradeList(items=[_trade_out(t, await service.trade_items(session, t.id))
                            for t in trades])


@router.post("/trades/{token}/claim", response_model=TradeOut, operation_id="claim_trade",
             responses=ERRORS)
async def claim_trade(token: Token, session: SessionDep, user: CurrentUser,
                      redis: RedisDep) -> TradeOut:
    """Take the photos of a trade: 409 if someone was faster, 410 if it expired."""
    trade, ids = await service.claim_trade(session, token, user)
    event = {"type": "trade.claimed", "trade_id": str(trade.id),
             "art_object_ids": [str(i) for i in ids], "by": str(user.id)}
    notify_users(session, redis, [trade.owner_id, user.id], event)
    notify_users(session, redis, [trade.owner_id, user.id], {"type": "collection.changed"})
    return _trade_out(trade, ids)


@router.delete("/trades/{trade_id}", status_code=status.HTTP_204_NO_CONTENT,
               operation_id="cancel_trade", responses=ERRORS)
async def cancel_trade(trade_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Response:
    """Withdraw your open trade."""
    await service.cancel_trade(session, trade_id, user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/transfers", status_code=status.HTTP_201_CREATED, response_model=TransferOut,
             operation_id="create_transfer", responses=ERRORS)
async def create_transfer(body: TransferCreate, session: SessionDep, user: CurrentUser,
                          settings: SettingsDep, redis: RedisDep) -> TransferOut:
    """Offer one of your photos to a named user; they accept or decline."""
    transfer = await service.create_transfer(session, user, body.art_object_id,
                                             body.to_user_id, settings)
    await session.refresh(transfer)
    notify_users(session, redis, [transfer.to_user_id],
                 {"type": "transfer.requested", "transfer_id": str(transfer.id)})
    return _transfer_out(transfer)


@router.get("/transfers", response_model=TransferList, operation_id="list_transfers")
async def list_transfers(session: SessionDep, user: CurrentUser,
                         role: Literal["incoming", "outgoing"] = Query("incoming")
                         ) -> TransferList:
    """Transfers offered to you or by you."""
    rows = await service.list_transfers(session, user, role)
    return TransferList(items=[_transfer_out(t) for t in rows])


async def _answer(transfer_id: uuid.UUID, redis: Redis, session, user,  # noqa: ANN001
                  *, accept: bool) -> TransferOut:
    transfer = await service.answer_transfer(session, transfer_id, user, accept=accept)
    kind = "transfer.accepted" if accept else "transfer.declined"
    parties = [transfer.from_user_id, transfer.to_user_id]
    notify_users(session, redis, parties, {"type": kind, "transfer_id": str(transfer.id)})
    if accept:
        notify_users(session, redis, parties, {"type": "collection.changed"})
    return _transfer_out(transfer)


@router.post("/transfers/{transfer_id}/accept", response_model=TransferOut,
             operation_id="accept_transfer", responses=ERRORS)
async def accept_transfer(transfer_id: uuid.UUID, session: SessionDep, user: CurrentUser,
                          redis: RedisDep) -> TransferOut:
    """Accept a transfer offered to you: the photo becomes yours."""
    return await _answer(transfer_id, redis, session, user, accept=True)


@router.post("/transfers/{transfer_id}/decline", response_model=TransferOut,
             operation_id="decline_transfer", responses=ERRORS)
async def decline_transfer(transfer_id: uuid.UUID, session: SessionDep, user: CurrentUser,
                           redis: RedisDep) -> TransferOut:
    """Decline a transfer offered to you."""
    return await _answer(transfer_id, redis, session, user, accept=False)


@router.post("/transfers/{transfer_id}/cancel", response_model=TransferOut,
             operation_id="cancel_transfer", responses=ERRORS)
async def cancel_transfer(transfer_id: uuid.UUID, session: SessionDep, user: CurrentUser,
                          redis: RedisDep) -> TransferOut:
    """Withdraw a transfer you offered, while it is pending."""
    transfer = await service.cancel_transfer(session, transfer_id, user)
    notify_users(session, redis, [transfer.to_user_id],
                 {"type": "transfer.cancelled", "transfer_id": str(transfer.id)})
    return _transfer_out(transfer)
