"""`/api/voices`: the voices you asked to be remembered (the Studio's People page)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from mediahub.auth.deps import CurrentUser
from mediahub.core.db import SessionDep
from mediahub.core.errors import Conflict, NotFound, Unauthorized, Unprocessable
from mediahub.transcription import voices
from mediahub.transcription.schemas import VoiceList, VoiceOut, VoiceUpdate

router = APIRouter(prefix="/voices", tags=["voices"])


@router.get("", response_model=VoiceList, operation_id="list_voices",
            responses=Unauthorized.openapi())
async def list_voices(session: SessionDep, user: CurrentUser) -> VoiceList:
    """Your voice profiles, oldest first."""
    return VoiceList(items=await voices.list_voices(session, user.id))


@router.patch("/{voice_id}", response_model=VoiceOut, operation_id="rename_voice",
              responses={**NotFound.openapi(), **Conflict.openapi(), **Unprocessable.openapi()})
async def rename_voice(voice_id: uuid.UUID, body: VoiceUpdate, session: SessionDep,
                       user: CurrentUser) -> VoiceOut:
    """Rename a voice (and the speakers it named)."""
    profile = await voices.owned(session, user.id, voice_id)
    await voices.rename(session, profile, body.name)
    return next(v for v in await voices.list_voices(session, user.id) if v.id == profile.id)


@router.delete("/{voice_id}", status_code=status.HTTP_204_NO_CONTENT,
               operation_id="forget_voice", responses=NotFound.openapi())
async def forget_voice(voice_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Response:
    """Forget a voice: its embeddings are deleted and it names no one from now on."""
    profile = await voices.owned(session, user.id, voice_id)
    await voices.forget(session, profile)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
