"""`/api/transcriptions`: submit recordings, follow jobs, read, correct, search and export.

Live updates: the owner's user channel carries `{"type": "transcription.updated", "id",
"status", "progress": {"stage", "percent", "eta_seconds"}, "error"?}` on every change.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from mediahub.auth.deps import CurrentUser
from mediahub.config import Settings
from mediahub.core.db import ReadOnly, SessionDep, after_commit, on_rollback
from mediahub.core.errors import (
    BadRequest,
    Conflict,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    Unprocessable,
    UnsupportedMediaType,
)
from mediahub.core.queue import JobName, new_job_run, request_cancel
from mediahub.core.responses import json_response
from mediahub.core.storage import content_disposition
from mediahub.media.sniff import AUDIO_VIDEO_FORMATS
from mediahub.media.upload import multipart_openapi, receive_upload
from mediahub.media.urls import file_url
from mediahub.models.jobs import JobStatus
from mediahub.models.transcription import Transcription
from mediahub.models.users import User
from mediahub.transcription import export, reads, service
from mediahub.transcription.audio import MediaError, probe
from mediahub.transcription.schemas import (
    SearchResults,
    SegmentOut,
    SegmentUpdate,
    SpeakerMerge,
    SpeakerOut,
    SpeakerUpdate,
    SubmitOptions,
    Submitted,
    TranscriptionOut,
    TranscriptionPage,
)

router = APIRouter(prefix="/transcriptions", tags=["transcriptions"])

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
    model={"type": "string"},
    word_timestamps={"type": "boolean", "default": True},
)
SUBMIT_ERRORS = {**BadRequest.openapi(), **Unauthorized.openapi(), **PayloadTooLarge.openapi(),
                 **UnsupportedMediaType.openapi(), **Unprocessable.openapi()}


OptionsParser = Callable[[dict[str, str], Settings], SubmitOptions]


async def submit(request: Request, session: SessionDep, user: User, *,
                 parse: OptionsParser = service.parse_options,
                 max_seconds: float | None = None) -> Transcription:
    """Store the upload, check it is decodable media within limits, queue the job."""
    store, settings = request.app.state.object_store, request.app.state.settings
    transcription_id = uuid.uuid4()
    key = f"transcriptions/{transcription_id}/media"
    received = await receive_upload(request, store, key, accept=AUDIO_VIDEO_FORMATS,
                                    max_bytes=settings.max_upload_bytes)
    on_rollback(session, lambda: store.delete(key))  # no orphan file if anything below fails
    options = parse(received.fields, settings)
    stored = received.file.stored
    try:
        info = await asyncio.to_thread(probe, store.open_reader(key, stored.size))
    except MediaError as exc:
        raise Unprocessable(str(exc)) from None
    limit = min(settings.max_media_seconds, max_seconds or settings.max_media_seconds)
    if info.duration > limit:
        raise PayloadTooLarge(
            f"the recording lasts {info.duration / 60:.1f} min; the limit here is "
            f"{limit / 60:.0f} min"
        )
    transcription = Transcription(
        id=transcription_id, owner_id=user.id, filename=received.file.filename, media_key=key,
        mime=received.file.format.mime, size=stored.size, sha256=stored.sha256,
        has_video=info.has_video, media_duration=info.duration,
        options=options.model_dump(), model=options.model or settings.asr_model,
    )
    session.add(transcription)
    await _queue(request, session, transcription, max_seconds=limit)
    return transcription


async def _queue(request: Request, session: SessionDep, transcription: Transcription, *,
                 max_seconds: float | None = None) -> None:
    # The header's duration checked above can lie: the worker measures against the limit.
    run = new_job_run(session, JobName.TRANSCRIBE, owner_id=transcription.owner_id,
                      transcription_id=str(transcription.id), max_seconds=max_seconds)
    await session.flush()  # the job row first: the transcription points at it
    transcription.job_run_id = run.id
    await session.flush()
    _announce(request, session, transcription, JobStatus.QUEUED)


def _announce(request: Request, session: SessionDep, transcription: Transcription,
              new_status: str) -> None:
    """Tell the owner's clients once the change is committed."""
    redis, owner, tid = request.app.state.redis, transcription.owner_id, transcription.id
    after_commit(session, lambda: service.publish_update(redis, owner, tid, new_status))


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=Submitted,
             operation_id="submit_transcription", openapi_extra=SUBMIT_BODY,
             responses=SUBMIT_ERRORS)
async def submit_transcription(request: Request, user: CurrentUser,
                               session: SessionDep) -> Submitted:
    """Upload a recording (multipart `file` + options) and queue it for transcription."""
    transcription = await submit(request, session, user)
    return Submitted(id=transcription.id, status=JobStatus.QUEUED)


@router.get("", response_model=TranscriptionPage, operation_id="list_transcriptions",
            responses={**Unauthorized.openapi(), **BadRequest.openapi()},
            dependencies=[ReadOnly])
async def list_transcriptions(session: SessionDep, user: CurrentUser, cursor: Cursor = None,
                              limit: Limit = 30) -> TranscriptionPage:
    """Your transcriptions, newest first."""
    items, next_cursor = await service.page(session, user, cursor=cursor, limit=limit)
    return TranscriptionPage(items=items, next_cursor=next_cursor)


@router.get("/search", response_model=SearchResults, operation_id="search_transcripts",
            responses=Unauthorized.openapi())
async def search_transcripts(
    session: SessionDep, user: CurrentUser,
    q: Annotated[str, Query(min_length=1, max_length=200)], limit: Limit = 30,
) -> SearchResults:
    """Full-text search across all your transcripts (web-search syntax: "phrase", -word)."""
    return SearchResults(items=await service.search(session, user, q, limit=limit))


async def _media_url(request: Request, transcription: Transcription) -> str:
    return await file_url(request.app.state.object_store, request.app.state.settings,
                          transcription.media_key, content_type=transcription.mime,
                          filename=transcription.filename)


@router.get("/{transcription_id}", response_model=TranscriptionOut,
            operation_id="get_transcription", responses=NotFound.openapi(),
            dependencies=[ReadOnly])
async def get_transcription(transcription_id: uuid.UUID, request: Request, session: SessionDep,
                            user: CurrentUser) -> Response:
    """Status, progress, metrics and (when done) the transcript."""
    transcription, run = await service.get_owned(session, transcription_id, user)
    segments, speakers = await reads.transcript_parts(session, transcription.id)
    # TranscriptionOut's fields in order, written once (reads.py; the model documents it).
    return json_response({
        **service.summary(transcription, run).model_dump(),
        "mime": transcription.mime, "size": transcription.size,
        "has_video": transcription.has_video,
        "media_url": await _media_url(request, transcription),
        "metrics": transcription.metrics, "segments": segments, "speakers": speakers,
    })


@router.get("/{transcription_id}/media", status_code=status.HTTP_307_TEMPORARY_REDIRECT,
            operation_id="transcription_media", responses=NotFound.openapi())
async def transcription_media(transcription_id: uuid.UUID, request: Request,
                              session: SessionDep, user: CurrentUser) -> RedirectResponse:
    """Redirect to a short-lived link that streams the original (HTTP Range supported)."""
    transcription, _ = await service.get_owned(session, transcription_id, user)
    return RedirectResponse(await _media_url(request, transcription),
                            status_code=status.HTTP_307_TEMPORARY_REDIRECT)


@router.delete("/{transcription_id}", status_code=status.HTTP_204_NO_CONTENT,
               operation_id="delete_transcription", responses=NotFound.openapi())
async def delete_transcription(transcription_id: uuid.UUID, request: Request,
                               session: SessionDep, user: CurrentUser) -> Response:
    """Delete a transcription and its recording; a running job is stopped."""
    transcription, run = await service.get_owned(session, transcription_id, user, lock=True)
    if run is not None and not JobStatus(run.status).is_final:
        await request_cancel(session, request.app.state.job_queue, run)
    store = request.app.state.object_store
    key = transcription.media_key
    await session.delete(transcription)
    after_commit(session, lambda: store.delete(key))
    _announce(request, session, transcription, "deleted")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{transcription_id}/cancel", response_model=Submitted,
             operation_id="cancel_transcription",
             responses={**NotFound.openapi(), **Conflict.openapi()})
async def cancel_transcription(transcription_id: uuid.UUID, request: Request,
                               session: SessionDep, user: CurrentUser) -> Submitted:
    """Stop a queued or running transcription (the worker lets go within seconds)."""
    transcription, run = await service.get_owned(session, transcription_id, user, lock=True)
    if run is None or not await request_cancel(session, request.app.state.job_queue, run):
        raise Conflict(f"the transcription is already {service.status_of(run)}")
    _announce(request, session, transcription, JobStatus.CANCELLED)
    return Submitted(id=transcription.id, status=JobStatus.CANCELLED)


@router.post("/{transcription_id}/retry", status_code=status.HTTP_202_ACCEPTED,
             response_model=Submitted, operation_id="retry_transcription",
             responses={**NotFound.openapi(), **Conflict.openapi()})
async def retry_transcription(transcription_id: uuid.UUID, request: Request,
                              session: SessionDep, user: CurrentUser) -> Submitted:
    """Run a failed or cancelled transcription again."""
    transcription, run = await service.get_owned(session, transcription_id, user, lock=True)
    current = service.status_of(run)
    if current not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise Conflict(f"only failed or cancelled transcriptions can be retried (it is {current})")
    await _queue(request, session, transcription)
    return Submitted(id=transcription.id, status=JobStatus.QUEUED)


@router.patch("/{transcription_id}/segments/{segment_id}", response_model=SegmentOut,
              operation_id="update_segment",
              responses={**NotFound.openapi(), **Unprocessable.openapi()})
async def update_segment(transcription_id: uuid.UUID, segment_id: int, body: SegmentUpdate,
                         session: SessionDep, user: CurrentUser) -> SegmentOut:
    """Correct a segment's text (its timing is kept) or move it to another speaker."""
    transcription, _ = await service.get_owned(session, transcription_id, user)
    segment = await service.edit_segment(session, transcription, segment_id, text=body.text,
                                         speaker_id=body.speaker)
    return service.present_segment(segment)


@router.patch("/{transcription_id}/speakers/{speaker_id}", response_model=SpeakerOut,
              operation_id="rename_speaker",
              responses={**NotFound.openapi(), **Unprocessable.openapi()})
async def rename_speaker(transcription_id: uuid.UUID, speaker_id: int, body: SpeakerUpdate,
                         session: SessionDep, user: CurrentUser) -> SpeakerOut:
    """Name a speaker."""
    transcription, _ = await service.get_owned(session, transcription_id, user)
    speaker = await service.rename_speaker(session, transcription, speaker_id, body.name)
    return service.present_speaker(speaker)


@router.post("/{transcription_id}/speakers/merge", status_code=status.HTTP_204_NO_CONTENT,
             operation_id="merge_speakers",
             responses={**NotFound.openapi(), **Conflict.openapi()})
async def merge_speakers(transcription_id: uuid.UUID, body: SpeakerMerge, session: SessionDep,
                         user: CurrentUser) -> Response:
    """Merge speaker `from` into `into` (the diarizer split one voice in two)."""
    transcription, _ = await service.get_owned(session, transcription_id, user)
    await service.merge_speakers(session, transcription, body.source, body.target)
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
    if service.status_of(run) != JobStatus.DONE:
        raise Conflict("the transcript is not ready yet")
    segments, speakers = await service.transcript_rows(session, transcription.id)
    transcript, names = service.as_transcript(transcription, segments, speakers)
    rules = replace(export.DEFAULT_RULES, max_line_chars=max_line_chars, max_lines=max_lines)
    body = await asyncio.to_thread(export.export, transcript, format, speaker_names=names,
                                   title=transcription.filename, rules=rules)
    info = export.FORMAT_INFO[format]
    stem = (transcription.filename or "transcript").rsplit(".", 1)[0] or "transcript"
    return Response(body, media_type=info.media_type, headers={
        "Content-Disposition": content_disposition(f"{stem}.{info.extension}")})
