"""`POST /v1/audio/transcriptions` and `/v1/audio/translations`: OpenAI's speech-to-text API,
so existing clients work (a translation is Whisper's `translate` task: English text).

The request goes through the same queue and worker as everything else; this endpoint just
waits for short recordings (SYNC_TRANSCRIPTION_MAX_SECONDS) and answers in OpenAI's shapes.
Authentication is the usual bearer access token (clients send it as their "API key").
"""

from __future__ import annotations

import asyncio
import time
import uuid

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from mediahub.auth.deps import CurrentUser
from mediahub.config import Settings
from mediahub.core.db import SessionDep, commit_now
from mediahub.core.deps import RedisDep, SessionFactoryDep, SettingsDep, StoreDep
from mediahub.core.errors import GatewayTimeout, PayloadTooLarge, Unprocessable
from mediahub.core.jobs.models import JobRun, JobStatus
from mediahub.core.storage import ObjectStore
from mediahub.media.upload import multipart_openapi
from mediahub.transcription import export, service
from mediahub.transcription.audio import MediaTooLong
from mediahub.transcription.models import Transcription
from mediahub.transcription.schemas import SUBMIT_ERRORS, SubmitOptions
from mediahub.users.models import User

router = APIRouter(prefix="/v1/audio", tags=["openai-compatible"])

POLL_INTERVAL_S = 0.25
OPENAI_BODY = multipart_openapi(
    "the recording",
    model={"type": "string", "description": "whisper-1 maps to the default"},
    language={"type": "string"},
    response_format={"type": "string", "enum": list(export.OPENAI_RESPONSE_FORMATS)},
    prompt={"type": "string", "description": "accepted, not used"},
    temperature={"type": "number", "description": "accepted, not used"},
)


TRANSLATE_BODY = multipart_openapi(
    "the recording (any language; the text comes back in English)",
    model={"type": "string", "description": "whisper-1 maps to the default"},
    response_format={"type": "string", "enum": list(export.OPENAI_RESPONSE_FORMATS)},
    prompt={"type": "string", "description": "accepted, not used"},
    temperature={"type": "number", "description": "accepted, not used"},
)


def _openai_options(fields: dict[str, str], settings: Settings, task: str) -> SubmitOptions:
    """OpenAI's fields as our options: no diarization (OpenAI has none), words timed; an
    unknown model name (whisper-1) means the default for the language."""
    response_format = fields.get("response_format", "json")
    if response_format not in export.OPENAI_RESPONSE_FORMATS:
        raise Unprocessable(f"response_format must be one of "
                            f"{', '.join(export.OPENAI_RESPONSE_FORMATS)}",
                            code="transcription.bad_response_format",
                            params={"choices": list(export.OPENAI_RESPONSE_FORMATS)})
    model = fields.get("model", "").strip()
    mapped = {"language": fields.get("language", "") if task == "transcribe" else "",
              "diarize": "false", "word_timestamps": "true", "task": task}
    if model in settings.selectable_models:
        mapped["model"] = model  # anything else (whisper-1, gpt-4o-transcribe): the default
    return service.parse_options(mapped, settings)


async def _wait_until_final(factory: async_sessionmaker[AsyncSession],
                            transcription_id: uuid.UUID,
                            timeout_s: float) -> tuple[str, str | None, str | None]:
    """Poll the job row in fresh transactions until it is final; (status, error, code)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        async with factory() as session:
            row = await session.get(Transcription, transcription_id)
            run = await session.get(JobRun, row.job_run_id) if row else None
        status = service.status_of(run, row)
        if JobStatus(status).is_final:
            if run is None:
                return status, "the transcription was deleted", None
            return status, run.error, (run.result or {}).get("code")
        await asyncio.sleep(POLL_INTERVAL_S)
    raise GatewayTimeout(
        f"still transcribing after {timeout_s:.0f}s; follow it at "
        f"/api/transcriptions/{transcription_id}", code="timeout",
        params={"seconds": round(timeout_s)}, extra={"id": str(transcription_id)})


@router.post("/transcriptions", operation_id="openai_create_transcription",
             openapi_extra=OPENAI_BODY,
             responses={**SUBMIT_ERRORS, **GatewayTimeout.openapi()})
async def create_transcription(request: Request, user: CurrentUser, session: SessionDep,
                               store: StoreDep, settings: SettingsDep, redis: RedisDep,
                               factory: SessionFactoryDep) -> Response:
    """Transcribe a short recording and answer in OpenAI's format (waits for the result)."""
    return await _answer(request, user, session, store, settings, redis, factory, "transcribe")


@router.post("/translations", operation_id="openai_create_translation",
             openapi_extra=TRANSLATE_BODY,
             responses={**SUBMIT_ERRORS, **GatewayTimeout.openapi()})
async def create_translation(request: Request, user: CurrentUser, session: SessionDep,
                             store: StoreDep, settings: SettingsDep, redis: RedisDep,
                             factory: SessionFactoryDep) -> Response:
    """Translate a short recording's speech into English text, in OpenAI's format."""
    return await _answer(request, user, session, store, settings, redis, factory, "translate")


async def _answer(request: Request, user: User, session: AsyncSession, store: ObjectStore,
                  settings: Settings, redis: Redis,
                  factory: async_sessionmaker[AsyncSession], task: str) -> Response:
    """Submit, wait for the worker, answer in the asked response_format."""
    asked: dict[str, str] = {}

    def parse(fields: dict[str, str], settings: Settings) -> SubmitOptions:
        asked["response_format"] = fields.get("response_format", "json")
        return _openai_options(fields, settings, task)

    transcription = await service.submit(
        request, session, user, store=store, settings=settings, redis=redis, parse=parse,
        max_seconds=settings.sync_transcription_max_seconds)
    await commit_now(session, request)
    status, error, code = await _wait_until_final(factory, transcription.id,
                                                  settings.sync_transcription_timeout_seconds)
    if code == MediaTooLong.code:  # its header claimed a length within the limit
        raise PayloadTooLarge(str(error), code="media_too_long",
                              extra={"id": str(transcription.id)})
    if status != JobStatus.DONE:
        raise Unprocessable(f"transcription {status}: {error}", code="transcription.failed",
                            params={"status": str(status)}, extra={"id": str(transcription.id)})
    async with factory() as fresh:
        segments, speakers = await service.transcript_rows(fresh, transcription.id)
        row = await fresh.get(Transcription, transcription.id)
    transcript, _ = service.as_transcript(row, segments, speakers)
    body, media_type = export.openai_response(transcript, asked["response_format"], task=task)
    if isinstance(body, dict):
        return JSONResponse(body, media_type=media_type)
    return Response(body, media_type=media_type)
