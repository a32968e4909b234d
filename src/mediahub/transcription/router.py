"""`/api/transcriptions`: submit recordings, follow jobs, read, correct, search and export.

Live updates: the owner's user channel carries `{"type": "transcription.updated", "id",
"status", "progress": {"stage", "percent", "eta_seconds"}, "error"?}` on every change.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse
from pydantic_core import to_json

from mediahub.auth.deps import CurrentUser
from mediahub.config import Settings
from mediahub.core.db import ReadOnly, SessionDep, after_commit
from mediahub.core.deps import QueueDep, RedisDep, SettingsDep, StoreDep
from mediahub.core.errors import BadRequest, Conflict, NotFound, Unauthorized, Unprocessable
from mediahub.core.http_headers import content_disposition
from mediahub.core.jobs.models import JobStatus
from mediahub.core.queue import request_cancel
from mediahub.core.storage import ObjectStore
from mediahub.downloads.links import file_url
from mediahub.media.upload import multipart_openapi
from mediahub.transcription import editing, export, reads, service, voices
from mediahub.transcription.models import Transcription
from mediahub.transcription.schemas import (
    SUBMIT_ERRORS,
    SearchResults,
    SegmentOut,
    SegmentUpdate,
    SpeakerMerge,
    SpeakerOut,
    SpeakerUpdate,
    Submitted,
    TranscriptionModel,
    TranscriptionModels,
    TranscriptionOut,
    TranscriptionPage,
    TranscriptionSummary,
    TranscriptionUpdate,
)

router = APIRouter(prefix="/transcriptions", tags=["transcriptions"])
models_router = APIRouter(tags=["transcriptions"])

Limit = Annotated[int, Query(ge=1, le=100, description="items per page")]
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the last page")]
ExportFormat = Annotated[str, Query(pattern="^(srt|vtt|txt|json|docx)$")]
MaxLineChars = Annotated[int, Query(ge=20, le=80, description="Subtitle line width (SRT, VTT)")]
MaxLines = Annotated[int, Query(ge=1, le=3, description="Lines per subtitle cue (SRT, VTT)")]

SUBMIT_BODY = multipart_openapi(
    "audio (wav, mp3, m4a/aac, ogg/opus, flac, webm) or video (mp4, mov, mkv, webm)",
    language={"type": "string", "description": "ISO 639-1 code or 'auto'"},
    diarize={"type": "boolean", "default": True},
    min_speakers={"type": "integer", "minimum": 1, "maximum": 20},
    max_speakers={"type": "integer", "minimum": 1, "maximum": 20},
    model={"type": "string", "description": "empty: the default for the language "
           "(GET /api/transcription-models)"},
    word_timestamps={"type": "boolean", "default": True},
    task={"type": "string", "enum": ["transcribe", "translate"], "default": "transcribe",
          "description": "translate: English text whatever the spoken language"},
)


@models_router.get("/transcription-models", response_model=TranscriptionModels,
                   operation_id="list_transcription_models", responses=Unauthorized.openapi())
async def list_transcription_models(user: CurrentUser, settings: SettingsDep,
                                    redis: RedisDep) -> TranscriptionModels:
    """The models you may choose, with their languages and the default per language."""
    models = await service.offered_models(settings, redis)
    return TranscriptionModels(items=[TranscriptionModel(**vars(m)) for m in models])


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=Submitted,
             operation_id="submit_transcription", openapi_extra=SUBMIT_BODY,
             responses=SUBMIT_ERRORS)
async def submit_transcription(request: Request, user: CurrentUser, session: SessionDep,
                               store: StoreDep, settings: SettingsDep,
                               redis: RedisDep) -> Submitted:
    """Upload a recording (multipart `file` + options) and queue it for transcription."""
    transcription = await service.submit(request, session, user, store=store,
                                         settings=settings, redis=redis)
    return Submitted(id=transcription.id, status=JobStatus.QUEUED)


@router.get("", response_model=TranscriptionPage, operation_id="list_transcriptions",
            responses={**Unauthorized.openapi(), **BadRequest.openapi()},
            dependencies=[ReadOnly])
async def list_transcriptions(session: SessionDep, user: CurrentUser, cursor: Cursor = None,
                              limit: Limit = 30) -> Response:
    """Your transcriptions, newest first."""
    # Exactly the shown columns on asyncpg, written once (reads.py): no entities, no models.
    return Response(content=await reads.page_json(session, user.id, cursor=cursor, limit=limit),
                    media_type="application/json")


@router.get("/search", response_model=SearchResults, operation_id="search_transcripts",
            responses=Unauthorized.openapi())
async def search_transcripts(
    session: SessionDep, user: CurrentUser,
    q: Annotated[str, Query(min_length=1, max_length=200)], limit: Limit = 30,
) -> SearchResults:
    """Full-text search across all your transcripts (web-search syntax: "phrase", -word)."""
    return SearchResults(items=await service.search(session, user, q, limit=limit))


async def _media_url(store: ObjectStore, settings: Settings,
                     transcription: Transcription) -> str:
    return await file_url(store, settings, transcription.media_key,
                          content_type=transcription.mime, filename=transcription.filename)


@router.get("/{transcription_id}", response_model=TranscriptionOut,
            operation_id="get_transcription", responses=NotFound.openapi(),
            dependencies=[ReadOnly])
async def get_transcription(transcription_id: uuid.UUID, session: SessionDep,
                            user: CurrentUser, store: StoreDep,
                            settings: SettingsDep) -> Response:
    """Status, progress, metrics and (when done) the transcript."""
    transcription, run = await service.get_owned(session, transcription_id, user)
    # TranscriptionOut's fields in order, written once; the segments come as JSON (reads.py).
    head = to_json({
        **service.summary(transcription, run).model_dump(),
        "mime": transcription.mime, "size": transcription.size,
        "has_video": transcription.has_video,
        "media_url": await _media_url(store, settings, transcription),
        "metrics": transcription.metrics,
    })
    segments = await reads.segments_json(session, transcription.id)
    speakers = to_json(await reads.speakers(session, transcription.id))
    return Response(content=b"".join((head[:-1], b',"segments":', segments, b',"speakers":',
                                      speakers, b"}")), media_type="application/json")


@router.patch("/{transcription_id}", response_model=TranscriptionSummary,
              operation_id="rename_transcription",
              responses={**NotFound.openapi(), **Unprocessable.openapi()})
async def rename_transcription(transcription_id: uuid.UUID, body: TranscriptionUpdate,
                               session: SessionDep, user: CurrentUser) -> TranscriptionSummary:
    """Rename a transcription (`title`; null shows the file name again)."""
    transcription, run = await service.get_owned(session, transcription_id, user, lock=True)
    editing.rename_transcription(transcription, body.title)
    return service.summary(transcription, run)


@router.get("/{transcription_id}/media", status_code=status.HTTP_307_TEMPORARY_REDIRECT,
            operation_id="transcription_media", responses=NotFound.openapi())
async def transcription_media(transcription_id: uuid.UUID, session: SessionDep,
                              user: CurrentUser, store: StoreDep,
                              settings: SettingsDep) -> RedirectResponse:
    """Redirect to a short-lived link that streams the original (HTTP Range supported)."""
    transcription, _ = await service.get_owned(session, transcription_id, user)
    return RedirectResponse(await _media_url(store, settings, transcription),
                            status_code=status.HTTP_307_TEMPORARY_REDIRECT)


@router.delete("/{transcription_id}", status_code=status.HTTP_204_NO_CONTENT,
               operation_id="delete_transcription", responses=NotFound.openapi())
async def delete_transcription(transcription_id: uuid.UUID, session: SessionDep,
                               user: CurrentUser, store: StoreDep, queue: QueueDep,
                               redis: RedisDep) -> Response:
    """Delete a transcription and its recording; a running job is stopped."""
    transcription, run = await service.get_owned(session, transcription_id, user, lock=True)
    if run is not None and not JobStatus(run.status).is_final:
        await request_cancel(session, run)
    key = transcription.media_key
    await session.delete(transcription)
    after_commit(session, lambda: store.delete(key))
    service.announce(session, redis, transcription, "deleted")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{transcription_id}/cancel", response_model=Submitted,
             operation_id="cancel_transcription",
             responses={**NotFound.openapi(), **Conflict.openapi()})
async def cancel_transcription(transcription_id: uuid.UUID, session: SessionDep,
                               user: CurrentUser, queue: QueueDep,
                               redis: RedisDep) -> Submitted:
    """Stop a queued or running transcription (the worker lets go within seconds)."""
    transcription, run = await service.get_owned(session, transcription_id, user, lock=True)
    if run is None or not await request_cancel(session, run):
        raise Conflict(f"the transcription is already {service.status_of(run, transcription)}",
                       code="transcription.finished",
                       params={"status": str(service.status_of(run, transcription))})
    service.announce(session, redis, transcription, JobStatus.CANCELLED)
    return Submitted(id=transcription.id, status=JobStatus.CANCELLED)


@router.post("/{transcription_id}/retry", status_code=status.HTTP_202_ACCEPTED,
             response_model=Submitted, operation_id="retry_transcription",
             responses={**NotFound.openapi(), **Conflict.openapi()})
async def retry_transcription(transcription_id: uuid.UUID, session: SessionDep,
                              user: CurrentUser, redis: RedisDep) -> Submitted:
    """Run a failed or cancelled transcription again."""
    transcription, run = await service.get_owned(session, transcription_id, user, lock=True)
    current = service.status_of(run, transcription)
    if current not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise Conflict(f"only failed or cancelled transcriptions can be retried (it is {current})",
                       code="transcription.not_retryable", params={"status": str(current)})
    await service.queue(session, redis, transcription)
    return Submitted(id=transcription.id, status=JobStatus.QUEUED)


@router.patch("/{transcription_id}/segments/{segment_id}", response_model=SegmentOut,
              operation_id="update_segment",
              responses={**NotFound.openapi(), **Unprocessable.openapi()})
async def update_segment(transcription_id: uuid.UUID, segment_id: int, body: SegmentUpdate,
                         session: SessionDep, user: CurrentUser) -> SegmentOut:
    """Correct a segment's text (its timing is kept) or move it to another speaker, or to a
    new one (`new_speaker`: its name)."""
    transcription, _ = await service.get_owned(session, transcription_id, user)
    segment = await editing.edit_segment(session, transcription, segment_id, text=body.text,
                                         speaker_id=body.speaker,
                                         new_speaker_name=body.new_speaker)
    return service.present_segment(segment)


@router.patch("/{transcription_id}/speakers/{speaker_id}", response_model=SpeakerOut,
              operation_id="rename_speaker",
              responses={**NotFound.openapi(), **Unprocessable.openapi()})
async def rename_speaker(transcription_id: uuid.UUID, speaker_id: int, body: SpeakerUpdate,
                         session: SessionDep, user: CurrentUser) -> SpeakerOut:
    """Name a speaker; with `remember`, also keep the voice as one of your voice profiles
    (later transcripts name it), or teach the profile of that name this recording of it."""
    transcription, _ = await service.get_owned(session, transcription_id, user)
    speaker = await editing.rename_speaker(session, transcription, speaker_id, body.name)
    if body.remember:
        await voices.remember(session, user.id, speaker, speaker.name)
    return service.present_speaker(speaker)


@router.delete("/{transcription_id}/speakers/{speaker_id}/voice", response_model=SpeakerOut,
               operation_id="unmatch_speaker", responses=NotFound.openapi())
async def unmatch_speaker(transcription_id: uuid.UUID, speaker_id: int, session: SessionDep,
                          user: CurrentUser) -> SpeakerOut:
    """Undo a wrong voice match: the speaker gets its plain name back and that voice
    profile learns never to name this voice again."""
    transcription, _ = await service.get_owned(session, transcription_id, user)
    speaker = await editing.speaker_of(session, transcription, speaker_id)
    await voices.forget_match(session, speaker)
    return service.present_speaker(speaker)


@router.post("/{transcription_id}/diarize", response_model=Submitted,
             operation_id="diarize_again",
             responses={**NotFound.openapi(), **Conflict.openapi()})
async def diarize_again(transcription_id: uuid.UUID, session: SessionDep, user: CurrentUser,
                        redis: RedisDep) -> Submitted:
    """Find speakers again: re-run only diarization on the kept transcript (its words and
    your corrections stay; speakers are assigned anew)."""
    transcription, run = await service.get_owned(session, transcription_id, user, lock=True)
    current = service.status_of(run, transcription)
    if current != JobStatus.DONE:
        raise Conflict(f"speakers can be found again only in a done transcript (it is {current})",
                       code="transcription.not_ready", params={"status": str(current)})
    await service.queue(session, redis, transcription, diarize_only=True)
    return Submitted(id=transcription.id, status=JobStatus.QUEUED)


@router.post("/{transcription_id}/speakers/merge", status_code=status.HTTP_204_NO_CONTENT,
             operation_id="merge_speakers",
             responses={**NotFound.openapi(), **Conflict.openapi()})
async def merge_speakers(transcription_id: uuid.UUID, body: SpeakerMerge, session: SessionDep,
                         user: CurrentUser) -> Response:
    """Merge speaker `from` into `into` (the diarizer split one voice in two)."""
    transcription, _ = await service.get_owned(session, transcription_id, user)
    await editing.merge_speakers(session, transcription, body.source, body.target)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{transcription_id}/export", operation_id="export_transcription",
            responses={200: {"content": {"text/plain": {}, "application/json": {},
                                         "application/octet-stream": {}}},
                       **NotFound.openapi(), **Conflict.openapi()})
async def export_transcription(transcription_id: uuid.UUID, session: SessionDep,
                               user: CurrentUser, format: ExportFormat = "srt",  # noqa: A002
                               max_line_chars: MaxLineChars = export.DEFAULT_RULES.max_line_chars,
                               max_lines: MaxLines = export.DEFAULT_RULES.max_lines) -> Response:
    """Download the transcript as SRT, WebVTT, plain text, JSON or Word (speakers included);
    subtitle cues follow the style guide, with the line width and count asked for."""
    transcription, run = await service.get_owned(session, transcription_id, user)
    if service.status_of(run, transcription) != JobStatus.DONE:
        raise Conflict("the transcript is not ready yet", code="transcription.not_ready")
    segments, speakers = await service.transcript_rows(session, transcription.id)
    transcript, names = service.as_transcript(transcription, segments, speakers)
    rules = replace(export.DEFAULT_RULES, max_line_chars=max_line_chars, max_lines=max_lines)
    body = await asyncio.to_thread(export.export, transcript, format, speaker_names=names,
                                   title=transcription.title or transcription.filename, rules=rules)
    info = export.FORMAT_INFO[format]
    name = service.shown_title(transcription)
    # A file name loses its extension; a title is kept whole ("Meeting 5.12" stays so).
    stem = (name.rsplit(".", 1)[0] if transcription.title is None else name) or "transcript"
    return Response(body, media_type=info.media_type, headers={
        "Content-Disposition": content_disposition(f"{stem}.{info.extension}")})
