"""Audio and video files in many containers, encoded with PyAV from a PCM source."""

from __future__ import annotations

import io
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

RATE = 16_000

# container format, audio codec, video codec (None = audio only), file suffix, sniffed mime
FORMATS = {
    "wav": ("wav", "pcm_s16le", None, "wav", "audio/wav"),
    "mp3": ("mp3", "libmp3lame", None, "mp3", "audio/mpeg"),
    "m4a": ("ipod", "aac", None, "m4a", "audio/mp4"),
    "ogg": ("ogg", "libopus", None, "ogg", "audio/ogg"),
    "flac": ("flac", "flac", None, "flac", "audio/flac"),
    "webm": ("webm", "libopus", "libvpx", "webm", "video/webm"),
    "mp4": ("mp4", "aac", "libx264", "mp4", "video/mp4"),
    "mov": ("mov", "aac", "mpeg4", "mov", "video/quicktime"),
    "mkv": ("matroska", "flac", "mpeg4", "mkv", "video/x-matroska"),
}


def tone(seconds: float, freq: float = 440.0) -> np.ndarray:
    """A sine tone, float32 mono at 16 kHz."""
    t = np.arange(int(seconds * RATE)) / RATE
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def wav_bytes(samples: np.ndarray) -> bytes:
    """16-bit mono WAV."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return out.getvalue()


def read_wav(path: Path) -> np.ndarray:
    """A 16-bit mono WAV as float32."""
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768


def encode(samples: np.ndarray, kind: str) -> bytes:
    """`samples` (16 kHz mono float32) in the container/codecs FORMATS[kind] names."""
    container_format, audio_codec, video_codec, _, _ = FORMATS[kind]
    out = io.BytesIO()
    with av.open(out, "w", format=container_format) as container:
        video = None
        if video_codec:
            video = container.add_stream(video_codec, rate=10)
            video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        rate = 48_000 if audio_codec in ("libopus", "aac", "libmp3lame") else RATE
        audio = container.add_stream(audio_codec, rate=rate)
        audio.layout = "mono"
        resampler = av.AudioResampler(format=audio.format.name, layout="mono", rate=rate)
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
        for start in range(0, len(pcm), RATE // 10):
            frame = av.AudioFrame.from_ndarray(pcm[None, start : start + RATE // 10],
                                               format="s16", layout="mono")
            frame.sample_rate = RATE
            frame.pts, frame.time_base = start, Fraction(1, RATE)
            for converted in resampler.resample(frame):
                container.mux(audio.encode(converted))
        for converted in resampler.resample(None):
            container.mux(audio.encode(converted))
        container.mux(audio.encode(None))
        if video is not None:
            for index in range(int(len(samples) / RATE * 10)):
                image = np.full((48, 64, 3), index % 255, dtype=np.uint8)
                picture = av.VideoFrame.from_ndarray(image, format="rgb24")
                picture.pts = index
                container.mux(video.encode(picture))
            container.mux(video.encode(None))
    return out.getvalue()


def garbage_after_header(kind: str, samples: np.ndarray) -> bytes:
    """A file whose first bytes are valid media but whose body is noise."""
    real = encode(samples, kind)
    rng = np.random.default_rng(7)
    return real[:256] + rng.integers(0, 256, len(real) - 256, dtype=np.uint8).tobytes()
