"""Probe and decode audio/video with PyAV (FFmpeg's libraries, no ffmpeg CLI needed).

`probe` runs in the API at upload time (duration limits, "is there an audio track we can
decode?"); `decode` runs in the worker and yields what Whisper wants: mono float32 at 16 kHz.
Both accept a path or a seekable binary file object (the object store's ranged reader).
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

Source = str | os.PathLike[str] | BinaryIO


class MediaError(ValueError):
    """The file is not media we can transcribe; the message is safe to show to the user."""


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


def decode(source: Source, on_progress: Callable[[float], None] | None = None) -> np.ndarray:
    """The first audio track as mono float32 PCM at 16 kHz; `on_progress` gets 0..1."""
    import numpy as np

    with _open(source) as container:
        stream = _audio_stream(container)
        total = _duration(container, stream)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        decoded_samples = 0
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    decoded_samples += chunk.size
                if on_progress is not None and total > 0:
                    on_progress(min(1.0, decoded_samples / SAMPLE_RATE / total))
            for out in resampler.resample(None):  # flush the resampler's tail
                chunks.append(out.to_ndarray().reshape(-1))
        except av.error.FFmpegError as exc:
            if not chunks:
                raise MediaError(f"the audio track cannot be decoded ({_reason(exc)})") from exc
            # A truncated tail: keep what decoded, as ffmpeg -i would.
        if not chunks:
            raise MediaError("the audio track contains no decodable sound")
        return np.concatenate(chunks).astype(np.float32, copy=False)
