"""The worker's transcription job: object store → engine (in a thread) → PostgreSQL → events."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from mediahub.config import Settings
from mediahub.core.jobs.context import JobContext, WorkerResources
from mediahub.core.jobs.models import JobRun, JobStatus
from mediahub.core.jobs.registry import handles, on_final_failure, on_startup
from mediahub.core.queue import JobName, PermanentJobError
from mediahub.transcription import catalog, service, stages
from mediahub.transcription.models import Transcription
from mediahub.transcription.service import publish_update

log = logging.getLogger(__name__)

# Engine progress reaches the database and clients at most this often (per stage).
RELAY_INTERVAL_S = 0.5
SAVING_PERCENT = 95.0
RELAY_CLOSE_TIMEOUT_S = 5.0

_engine: Any = None
_engine_lock = threading.Lock()


def shared_engine(settings: Settings) -> Any:
    """The process's engine: models load on first use and stay warm between jobs."""
    global _engine
    with _engine_lock:
        if _engine is None:
            try:
                from mediahub.transcription.engine import Engine, EngineConfig
            except ImportError as exc:
                # Retryable: another worker of the pool may have the engine installed.
                raise RuntimeError(
                    "this worker has no transcription engine; install it with "
                    f"`uv sync --extra transcription` ({exc})"
                ) from exc
            _engine = Engine(EngineConfig.from_settings(settings))
        return _engine


@on_startup
async def preload_default_model(resources: WorkerResources) -> None:
    """Tell the API which models are installed here; with ASR_PRELOAD (the default), load the
    default model, VAD and diarizer in the background so the first job does not wait."""
    settings = resources.settings
    models = await asyncio.to_thread(catalog.inventory, settings.selectable_models,
                                     allow_download=settings.allow_model_download)
    await resources.redis.set(catalog.INVENTORY_KEY, catalog.to_json(models))
    if settings.asr_preload:
        engine = await asyncio.to_thread(shared_engine, settings)
        await asyncio.to_thread(engine.warm_up)
        log.info("transcription model %s is warm", settings.asr_model)


class ProgressRelay:
    """Carries the engine's progress from its thread to the job row and the owner's clients,
    in order, coalescing bursts (the engine may report thousands of times)."""

    def __init__(self, ctx: JobContext, transcription: Transcription) -> None:
        self._ctx = ctx
        self._transcription = transcription
        self._loop = asyncio.get_running_loop()
        self._latest: tuple[str, float] | None = None
        self._passed: list[tuple[str, float]] = []  # whole stages that went by unsent
        self._wake = asyncio.Event()
        self._last_sent: tuple[str | None, float] = (None, 0.0)
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._flush = False
        self._started = time.monotonic()

    def from_thread(self, stage: str, percent: float) -> None:
        """Engine callback (any thread): remember the newest value and wake the relay."""
        self._loop.call_soon_threadsafe(self._offer, stage, percent)

    def _offer(self, stage: str, percent: float) -> None:
        # A stage shorter than the interval (the VAD: ~0.2 s) is still shown, not coalesced.
        if self._latest and self._latest[0] not in (stage, self._last_sent[0]):
            self._passed.append(self._latest)
        self._latest = (stage, percent)
        self._wake.set()

    async def __aenter__(self) -> ProgressRelay:
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        assert self._task is not None
        # A run that ended well sends what it had not sent yet (the diarizing stage of an
        # overlapped run may last a millisecond); a failed or cancelled one has nothing to add.
        self._flush = exc_type is None
        # Stop between sends, not inside one. With the relay cancelled wherever it was,
        # a cancelled job's clean-up was seen to hang (its slot held for minutes, the
        # heartbeat still running); a send interrupted mid-transaction is the suspect.
        self._closing = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), RELAY_CLOSE_TIMEOUT_S)
        except TimeoutError:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        except asyncio.CancelledError:
            self._task.cancel()
            raise

    async def _run(self) -> None:
        while not self._closing:
            await self._wake.wait()
            self._wake.clear()
            if self._latest is None or self._closing:
                continue
            stage, percent = self._latest
            last_stage, last_at = self._last_sent
            wait = RELAY_INTERVAL_S - (time.monotonic() - last_at)
            if stage == last_stage and wait > 0:
                await asyncio.sleep(wait)
                stage, percent = self._latest
            await self._send_passed()
            self._last_sent = (stage, time.monotonic())
            await self.send(stage, percent)
        if self._flush:
            await self._send_passed()
            if self._latest is not None and self._latest[0] != self._last_sent[0]:
                await self.send(*self._latest)

    async def _send_passed(self) -> None:
        passed, self._passed = self._passed, []
        for earlier in passed:
            await self.send(*earlier)

    async def send(self, stage: str, percent: float) -> None:
        """Record and broadcast one progress value."""
        await self._ctx.progress(stage, percent)
        eta = service.eta_seconds(time.monotonic() - self._started, percent)
        await publish_update(
            self._ctx.resources.redis, self._transcription.owner_id, self._transcription.id,
            JobStatus.RUNNING, progress={"stage": stage, "percent": percent, "eta_seconds": eta},
        )


def _options(stored: dict[str, Any]) -> Any:
    from mediahub.transcription.engine import TranscribeOptions

    known = TranscribeOptions.__dataclass_fields__
    return TranscribeOptions(**{k: v for k, v in stored.items() if k in known})


@handles(JobName.TRANSCRIBE)
async def transcribe(ctx: JobContext, *, transcription_id: str,
                     max_seconds: float | None = None) -> dict[str, Any]:
    """Transcribe one recording; results and the `done` status commit together.

    `max_seconds` is the length limit the upload was accepted under (the synchronous
    endpoint's is shorter); the decode enforces it, and this worker's MAX_MEDIA_SECONDS,
    on the audio it actually finds, whatever the file's header claimed.
    """
    from mediahub.transcription.audio import MediaError, MediaTooLong
    from mediahub.transcription.modelstore import ModelUnavailable

    tid = uuid.UUID(transcription_id)
    resources = ctx.resources
    async with resources.sessions() as session:
        transcription = await session.get(Transcription, tid)
    if transcription is None:
        return {"status": "deleted"}
    engine = shared_engine(resources.settings)
    limit = resources.settings.max_media_seconds
    # The ASR stage of this run is already kept (a killed worker's, or "find speakers again").
    kept = await _kept_segments(ctx, transcription)
    await publish_update(resources.redis, transcription.owner_id, tid, JobStatus.RUNNING,
                         progress={"stage": "downloading", "percent": 0.0, "eta_seconds": None})
    with tempfile.TemporaryDirectory(prefix="transcribe-") as tmp:
        media = Path(tmp) / "media"
        await resources.store.download_to(transcription.media_key, media)
        async with ProgressRelay(ctx, transcription) as relay:
            common = {"progress": relay.from_thread, "should_stop": ctx.cancelled.is_set,
                      "max_seconds": min(max_seconds or limit, limit)}
            try:
                if kept is not None:
                    transcript = await asyncio.to_thread(
                        engine.diarize_again, media, kept, _options(transcription.options),
                        **common)
                else:
                    options = _options(transcription.options)
                    # Kept only when a diarization follows: nothing else is worth resuming.
                    diarizes = options.diarize and engine.config.diarization != "none"
                    transcript = await asyncio.to_thread(
                        engine.run, media, options,
                        on_asr=_checkpoint(ctx, tid) if diarizes else None, **common)
            except MediaTooLong as exc:
                raise PermanentJobError(str(exc), code=MediaTooLong.code) from exc
            except MediaError as exc:
                raise PermanentJobError(f"the recording cannot be decoded: {exc}",
                                        code="transcription.undecodable") from exc
            except ModelUnavailable as exc:
                raise PermanentJobError(str(exc), code="transcription.model_unavailable") from exc
        await relay.send("saving", SAVING_PERCENT)
    return await _save(ctx, tid, transcript)


async def _kept_segments(ctx: JobContext, transcription: Transcription) -> list[Any] | None:
    """The segments of this run's finished ASR stage, if it got that far before."""
    if transcription.asr_run_id != ctx.run.id:
        return None
    async with ctx.resources.sessions() as session:
        return await stages.kept_segments(session, transcription.id)


def _checkpoint(ctx: JobContext, tid: uuid.UUID) -> Any:
    """The engine's `on_asr`: keep the finished ASR stage before diarization (engine thread
    waits until it is committed)."""
    loop = asyncio.get_running_loop()

    async def keep(segments: list[Any], language: str) -> None:
        async with ctx.resources.sessions() as session:
            if await stages.keep_asr_stage(session, tid, ctx.run.id, segments, language):
                await session.commit()

    def on_asr(segments: list[Any], language: str) -> None:
        asyncio.run_coroutine_threadsafe(keep(segments, language), loop).result()

    return on_asr


async def _save(ctx: JobContext, tid: uuid.UUID, transcript: Any) -> dict[str, Any]:
    resources = ctx.resources
    result = {"segments": len(transcript.segments), "speakers": len(transcript.speakers),
              "language": transcript.language,
              "realtime_factor": transcript.metrics.get("realtime_factor")}
    async with resources.sessions() as session:
        transcription = await session.get(Transcription, tid, with_for_update=True)
        if transcription is None:
            return {"status": "deleted"}
        await service.save_transcript(session, transcription, transcript)
        if not await ctx.complete_in(session, result):
            await session.rollback()  # cancelled while we worked: keep no results
            return {"status": "cancelled"}
        owner_id = transcription.owner_id
        await session.commit()
    await publish_update(resources.redis, owner_id, tid, JobStatus.DONE,
                         progress={"stage": "done", "percent": 100.0, "eta_seconds": 0.0})
    return result


@on_final_failure(JobName.TRANSCRIBE)
async def _announce_failure(resources: WorkerResources, run: JobRun, status: JobStatus,
                            error: str | None) -> None:
    tid = uuid.UUID(run.kwargs["transcription_id"])
    if run.owner_id is not None:
        await publish_update(resources.redis, run.owner_id, tid, status, error=error,
                             progress={"stage": run.stage, "percent": run.percent,
                                       "eta_seconds": None})
