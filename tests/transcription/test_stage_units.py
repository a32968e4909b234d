"""The diarization stage's own rules, without models: a diarizer that fails or outlives its
budget leaves no speakers and a warning (the words are kept by the caller); the job's cancel
is still a cancel; the matcher pairs voices one to one."""

from __future__ import annotations

import threading
import time
import uuid

import numpy as np
import pytest

from mediahub.transcription.audio import Cancelled
from mediahub.transcription.diarize import SpeakerHint
from mediahub.transcription.speakers_stage import Diarization, wait_for_turns
from mediahub.transcription.vad import SpeechMap
from mediahub.transcription.voices import best_matches, mean_unit


class Hanging:
    """A diarizer that never finishes until told to stop (a hung native library)."""

    def __init__(self) -> None:
        self.stopped = threading.Event()

    def turns(self, audio, hint, should_stop, regions=(), on_progress=lambda f: None):  # noqa: ANN001, ANN201
        while not should_stop():
            time.sleep(0.01)
        self.stopped.set()
        raise Cancelled


class Broken:
    def turns(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        raise RuntimeError("CAM++ exploded")


def _run(diarizer, budget: float, stop=lambda: False):  # noqa: ANN001, ANN201
    background = Diarization(diarizer, np.zeros(16_000, dtype=np.float32), SpeechMap(chunks=[]),
                             SpeakerHint(), stop)
    warnings: list = []
    seen: list = []
    try:
        turns = wait_for_turns(background, lambda stage, f: seen.append(stage), budget, warnings)
    finally:
        background.stop()
    return turns, warnings


def test_a_diarizer_past_its_budget_is_given_up_with_a_warning() -> None:
    hanging = Hanging()
    began = time.monotonic()
    turns, warnings = _run(hanging, budget=0.3)
    assert turns is None and time.monotonic() - began < 5
    assert warnings == [{"code": "diarization_timeout", "params": {"seconds": 0}}]
    assert hanging.stopped.is_set()  # its thread was told to stop, not left running


def test_a_failing_diarizer_leaves_a_warning_not_a_failure() -> None:
    turns, warnings = _run(Broken(), budget=60)
    assert turns is None and warnings == [{"code": "diarization_failed", "params": {}}]


def test_the_jobs_cancel_is_still_a_cancel() -> None:
    with pytest.raises(Cancelled):
        _run(Hanging(), budget=60, stop=lambda: True)


def test_matches_are_one_to_one_best_first() -> None:
    anna, boris = uuid.uuid4(), uuid.uuid4()
    a, b = [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]
    near_a = mean_unit([[1.0, 0.2, 0.0]])
    nearer_a = mean_unit([[1.0, 0.1, 0.0]])
    matches = best_matches([(1, near_a), (2, nearer_a), (3, [0.0, 0.0, 1.0])],
                           [(anna, a, []), (boris, b, [])], threshold=0.6)
    assert set(matches) == {2} and matches[2][0] == anna  # one Anna per transcript
    undone = best_matches([(1, near_a)], [(anna, a, [near_a])], threshold=0.6)
    assert undone == {}
