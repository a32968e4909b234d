"""Probe and decode audio/video with PyAV (FFmpeg's libraries, no ffmpeg CLI needed).

`probe` runs in the API at upload time (duration limits, "is there an audio track we can
decode?"); `decode` runs in the worker and yields what Whisper wants: mono float32 at 16 kHz.
Both accept a path or a seekable binary file object (the object store's ranged reader).

A header's duration is a claim, not a measurement (a FLAC's STREAMINFO can say 1 s over
5 hours of audio), so `decode` measures while it decodes: frames go straight into one
float32 buffer that never grows past `max_seconds` (+ LIMIT_SLACK_S), and one more sample
ends the decode with `MediaTooLong`. Peak memory of a decode is therefore bounded by the
limit (64 kB per second of allowed audio, plus one frame), whatever the file holds.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

import av

if TYPE_CHECKING:  # numpy comes with the transcription extra: the API (probe) runs without it
    import numpy as np

SAMPLE_RATE = 16_000
# Decoding a few packets proves the audio track is real; a valid header on a garbage body
# fails here, at upload time, instead of minutes later in the worker.
PROBE_DECODE_FRAMES = 8
# Resampling and container rounding can add a few ms to an honest file that the upload
# check found within the limit; this much extra audio is still decoded, not refused.
LIMIT_SLACK_S = 1.0
# Without a limit (the local CLI) the buffer starts at the header's claim, at most this much.
INITIAL_BUFFER_S = 3600

Source = str | os.PathLike[str] | BinaryIO


class MediaError(ValueError):
    """The file is not media we can transcribe; the message is safe to show to the user."""


class MediaTooLong(MediaError):
    """More audio than the limit allows, found while decoding (the header understated it)."""

    code = "media_too_long"  # the failed job's result.code (see PermanentJobError)

    def __init__(self, decoded_s: float, limit_s: float, claimed_s: float) -> None:
        super().__init__(
            f"the recording is longer than the limit here: more than {_minutes(decoded_s)} of "
            f"audio decoded, {_minutes(limit_s)} allowed (its header claimed "
            f"{_minutes(claimed_s)})"
        )
        self.decoded_s, self.limit_s, self.claimed_s = decoded_s, limit_s, claimed_s


class Cancelled(Exception):
    """Raised inside the engine when the job was cancelled; unwinds at the next check."""


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min"


@dataclass(frozen=True)
class MediaInfo:
    """What a probe learned about a recording."""

    duration: float
    container: str
    audio_codec: str
    has_video: bool


def _open(source: Source) -> av.container.InputContainer:
    try:
        return av.open(source, mode="r", metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError) as exc:
        raise MediaError(f"not a readable audio or video file ({_reason(exc)})") from exc


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _audio_stream(container: av.container.InputContainer) -> av.audio.stream.AudioStream:
    if not container.streams.audio:
        raise MediaError("the file has no audio track")
    return container.streams.audio[0]


def _duration(container: av.container.InputContainer, stream: av.audio.stream.AudioStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def probe(source: Source) -> MediaInfo:
    """Duration and audio codec; decodes the first frames so broken audio is caught early."""
    with _open(source) as container:
        stream = _audio_stream(container)
        decoded = 0
        try:
            for _frame in container.decode(stream):
                decoded += 1
                if decoded >= PROBE_DECODE_FRAMES:
                    break
        except av.error.FFmpegError as exc:
            raise MediaError(f"the audio track cannot be decoded ({_reason(exc)})") from exc
        if decoded == 0:
            raise MediaError("the audio track contains no decodable sound")
        return MediaInfo(
            duration=round(_duration(container, stream), 3),
            container=container.format.name,
            audio_codec=stream.codec_context.name,
            has_video=bool(container.streams.video),
        )


def decode(
    source: Source, on_progress: Callable[[float], None] | None = None, *,
    max_seconds: float | None = None, should_stop: Callable[[], bool] | None = None,
) -> np.ndarray:
    """The first audio track as mono float32 PCM at 16 kHz; `on_progress` gets 0..1.

    Raises MediaTooLong as soon as more than `max_seconds` of audio decodes, and Cancelled
    (checked per frame) when `should_stop` says so.
    """
    with _open(source) as container:
        stream = _audio_stream(container)
        claimed = _duration(container, stream)
        cap = None if max_seconds is None else int((max_seconds + LIMIT_SLACK_S) * SAMPLE_RATE)
        pcm = _PcmBuffer(cap, expected=int(claimed * SAMPLE_RATE))
        # Progress against the smaller of claim and limit; a lying header just ends early.
        total = min(claimed, max_seconds) if claimed > 0 and max_seconds else claimed
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        try:
            for frame in container.decode(stream):
                if should_stop is not None and should_stop():
                    raise Cancelled
                for out in resampler.resample(frame):
                    _push(pcm, out, max_seconds, claimed)
                if on_progress is not None and total > 0:
                    on_progress(min(1.0, pcm.size / SAMPLE_RATE / total))
            for out in resampler.resample(None):  # flush the resampler's tail
                _push(pcm, out, max_seconds, claimed)
        except av.error.FFmpegError as exc:
            if not pcm.size:
                raise MediaError(f"the audio track cannot be decoded ({_reason(exc)})") from exc
            # A truncated tail: keep what decoded, as ffmpeg -i would.
        if not pcm.size:
            raise MediaError("the audio track contains no decodable sound")
        return pcm.result()


def _push(pcm: _PcmBuffer, frame: av.AudioFrame, max_seconds: float | None,
          claimed: float) -> None:
    if not pcm.append(frame.to_ndarray().reshape(-1)):
        assert max_seconds is not None  # only a capped buffer refuses
        raise MediaTooLong(pcm.size / SAMPLE_RATE, max_seconds, claimed)


class _PcmBuffer:
    """Samples in one float32 array grown in place (realloc) up to `cap` samples, so the
    decode never holds a list of frames plus their concatenation (2x the audio)."""

    def __init__(self, cap: int | None, expected: int) -> None:
        import numpy as np

        self.cap = cap
        first = min(expected + int(LIMIT_SLACK_S * SAMPLE_RATE), INITIAL_BUFFER_S * SAMPLE_RATE)
        self.data = np.empty(first if cap is None else min(first, cap), dtype=np.float32)
        self.size = 0

    def append(self, chunk: np.ndarray) -> bool:
        """Add samples; False (nothing added) when they would pass the cap."""
        end = self.size + chunk.size
        if end > self.data.size:
            if self.cap is not None and end > self.cap:
                return False
            grown = max(end, 2 * self.data.size)
            self.data.resize(grown if self.cap is None else min(grown, self.cap),
                             refcheck=False)
        self.data[self.size : end] = chunk
        self.size = end
        return True

    def result(self) -> np.ndarray:
        """The decoded samples; the unused tail is given back (realloc shrinks in place)."""
        self.data.resize(self.size, refcheck=False)
        return self.data
