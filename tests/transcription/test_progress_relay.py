"""The worker's progress relay (transcription/tasks.py): every stage the engine reports
reaches the clients in order, even one that lasts a millisecond at the end of a run."""

from __future__ import annotations

import asyncio

import pytest

from mediahub.transcription.tasks import ProgressRelay


class RecordedRelay(ProgressRelay):
    """The relay with its one I/O step (the job row and the Redis event) recorded, and
    slow like a loaded database."""

    def __init__(self) -> None:
        super().__init__(ctx=None, transcription=None)  # type: ignore[arg-type]
        self.sent: list[tuple[str, float]] = []

    async def send(self, stage: str, percent: float) -> None:
        await asyncio.sleep(0.02)
        self.sent.append((stage, percent))


def stages(relay: RecordedRelay) -> list[str]:
    """The stages sent, each once, in order."""
    return list(dict.fromkeys(stage for stage, _ in relay.sent))


async def test_a_stage_reported_just_before_a_run_ends_is_still_sent() -> None:
    """An overlapped run's diarizing stage is over at once (the speakers were found while
    the decoder ran): reported, then the run ends before the relay got to it."""
    relay = RecordedRelay()
    async with relay:
        relay.from_thread("transcribing", 10.0)
        await asyncio.sleep(0.1)
        relay.from_thread("transcribing", 80.0)
        relay.from_thread("diarizing", 85.0)
        relay.from_thread("diarizing", 99.0)
    assert stages(relay) == ["transcribing", "diarizing"]
    assert relay.sent[-1] == ("diarizing", 99.0)


async def test_stages_passed_while_a_send_is_slow_are_sent_in_order() -> None:
    relay = RecordedRelay()
    async with relay:
        for stage in ("decoding", "vad", "transcribing", "diarizing"):
            relay.from_thread(stage, 1.0)
        await asyncio.sleep(0.2)
    assert stages(relay) == ["decoding", "vad", "transcribing", "diarizing"]


async def test_a_failed_run_adds_nothing_after_its_end() -> None:
    relay = RecordedRelay()
    with pytest.raises(RuntimeError):
        async with relay:
            relay.from_thread("transcribing", 10.0)
            await asyncio.sleep(0.1)
            relay.from_thread("diarizing", 85.0)
            raise RuntimeError("the engine failed")
    assert stages(relay) == ["transcribing"]
