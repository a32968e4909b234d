"""A diarization corpus from synthesised speech: who says what, when, at every length.

Each recording is generated from a `Spec` (voices, length, turn style, seed) with espeak-ng
and sox, and comes with its reference: utterances (speaker, start, end, text) and word
timings spread over each utterance by letter count. Files are cached by the spec's hash in
the directory the caller gives (a test's temp dir, or the benchmark's cache dir), so the
60-minute file is made once (about a minute) and never committed.

Voices are espeak-ng voices with variants, espeak pitch and sox effects; CAM++ tells the
"distinct" set apart, the "similar" ones are one voice with a shifted pitch and a room
(measured: see docs/benchmarks.md, diarization).
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

RATE = 16_000


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice (with variant), its pitch (0-99) and sox effects after it."""

    espeak: str
    pitch: int = 50
    effects: tuple[str, ...] = ()
    lang: str = "en"


# Distinct to CAM++: pairwise cosine of their centroids 0.45-0.70 (measured on 25 s each;
# en-gb+f2, en+m3, ru and en-gb-x-rp were 0.81-0.95 from en-us, too close for "distinct").
VOICES = {
    "us": Voice("en-us"),
    "f3": Voice("en+f3"),
    "scot": Voice("en-gb-scotland+m7", pitch=45),
    "carib": Voice("en-029+f1", pitch=55),
    "klatt": Voice("en-us+klatt"),
    "grandma": Voice("en-us+grandma"),
    "michel": Voice("en-us+michel"),
    "alicia": Voice("en-us+Alicia"),
    "steph": Voice("en-us+steph"),
    "ru": Voice("ru", lang="ru"),
    "ruf": Voice("ru+f3", lang="ru"),
    "ruk": Voice("ru+klatt", lang="ru"),
}
# "Similar voices": pairs at centroid cosine 0.85 (en-us/croak, en+f3/linda), one with a room.
SIMILAR = {
    "us": Voice("en-us"),
    "croak": Voice("en-us+croak", pitch=45, effects=("reverb", "25")),
    "f3": Voice("en+f3"),
    "linda": Voice("en-us+linda"),
}

EN_TEXT = (
    "the team will review the budget for our new campaign next week and then we can decide "
    "which design works best on older phones before the migration on saturday night so please "
    "send comments to maria about shipping times returns customers engineers designers server "
    "support hotline quarter meeting planning website checkout warehouse products simpler way "
    "morning evening report numbers growth sales office project deadline schedule question"
)
RU_TEXT = (
    "сегодня мы обсудим бюджет новой кампании и решим какой дизайн лучше работает на старых "
    "телефонах перед переездом сервера в субботу ночью пожалуйста отправьте замечания марии о "
    "сроках доставки возвратах клиентах инженерах дизайнерах поддержке отчёт продажи офис проект"
)
EN_WORDS, RU_WORDS = EN_TEXT.split(), RU_TEXT.split()
BACKCHANNEL = {"en": ["yes", "right", "okay", "no", "sure", "exactly"],
               "ru": ["да", "нет", "хорошо", "точно", "ага"]}


@dataclass(frozen=True)
class Spec:
    """One corpus recording: which voices, how long, what turns look like."""

    name: str
    voices: tuple[str, ...]
    seconds: float
    seed: int = 0
    short_turns: float = 0.0  # share of turns that are one backchannel word
    overlap: float = 0.0  # share of turns that start 0.3-0.8 s before the last one ends
    similar: bool = False  # voices come from SIMILAR
    max_sentences: int = 2  # words per turn: 1..max_sentences sentences of 5-14 words
    weights: tuple[float, ...] = ()  # how often each voice speaks (default: equally)

    def key(self) -> str:
        """A short hash of everything that shapes the audio."""
        blob = json.dumps(asdict(self), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]


@dataclass(frozen=True)
class Utterance:
    """One turn of the reference: speaker, span, text and word timings."""

    speaker: str
    start: float
    end: float
    text: str
    words: list[tuple[str, float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class Recording:
    """A generated WAV file and its reference."""

    spec: Spec
    path: Path
    utterances: list[Utterance]
    duration: float

    @property
    def speakers(self) -> list[str]:
        """The speakers that actually speak, in order of first turn."""
        return list(dict.fromkeys(u.speaker for u in self.utterances))

    def reference(self):  # noqa: ANN201 - pyannote.core.Annotation (imported lazily)
        """The reference as a pyannote Annotation (for DER)."""
        from pyannote.core import Annotation, Segment

        ref = Annotation(uri=self.spec.name)
        for index, u in enumerate(self.utterances):
            ref[Segment(u.start, u.end), index] = u.speaker
        return ref

    def words(self) -> list[tuple[str, float, float, str]]:
        """Every reference word: (word, start, end, speaker)."""
        return [(w, s, e, u.speaker) for u in self.utterances for w, s, e in u.words]


# ---------------------------------------------------------------- the script


def _sentence(rng: random.Random, lang: str) -> str:
    pool = RU_WORDS if lang == "ru" else EN_WORDS
    return " ".join(rng.choice(pool) for _ in range(rng.randint(5, 14))) + "."


def _script(spec: Spec) -> list[tuple[str, str, int, float]]:
    """(voice, text, speed, gap before) turns until the spec's length is surely reached."""
    rng = random.Random(spec.seed)
    weights = list(spec.weights) or [1.0] * len(spec.voices)
    turns, total, last = [], 0.0, None
    # Every voice speaks early, then they recur at random (never the same twice running).
    order = list(spec.voices)
    rng.shuffle(order)
    while total < spec.seconds * 1.15 + 5:
        if order:
            voice = order.pop()
        else:
            choices = [(v, w) for v, w in zip(spec.voices, weights, strict=True) if v != last]
            voice = rng.choices([v for v, _ in choices], [w for _, w in choices])[0] \
                if choices else spec.voices[0]
        lang = _voices(spec)[voice].lang
        if rng.random() < spec.short_turns and turns:
            text = rng.choice(BACKCHANNEL[lang])
        else:
            text = " ".join(_sentence(rng, lang) for _ in range(rng.randint(1, spec.max_sentences)))
        gap = -rng.uniform(0.3, 0.8) if turns and rng.random() < spec.overlap \
            else rng.uniform(0.2, 1.2)
        speed = rng.randint(145, 185)
        turns.append((voice, text, speed, gap))
        total += 0.35 * len(text.split()) + gap
        last = voice
    return turns


def _voices(spec: Spec) -> dict[str, Voice]:
    return SIMILAR if spec.similar else VOICES


# ---------------------------------------------------------------- synthesis


def _say(voice: Voice, text: str, speed: int, path: Path) -> np.ndarray:
    """One clip as float32 at 16 kHz (espeak-ng piped through sox)."""
    espeak = ["espeak-ng", "-v", voice.espeak, "-s", str(speed), "-p", str(voice.pitch),
              "--stdout", text]
    sox = ["sox", "-t", "wav", "-", "-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed",
           "-t", "raw", str(path), *voice.effects]
    with subprocess.Popen(espeak, stdout=subprocess.PIPE) as speaker:
        subprocess.run(sox, stdin=speaker.stdout, check=True, capture_output=True)
    samples = np.fromfile(path, dtype="<i2").astype(np.float32) / 32768
    path.unlink()
    return samples


def _trim(samples: np.ndarray) -> np.ndarray:
    """Cut the synthesiser's leading/trailing silence so the reference spans are tight."""
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    return samples[loud[0] : loud[-1] + 1] if len(loud) else samples[:0]


def make(spec: Spec, directory: Path) -> Recording:
    """The recording for `spec`, from the cache in `directory` or generated there."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{spec.name}-{spec.key()}"
    wav, meta = directory / f"{stem}.wav", directory / f"{stem}.json"
    if wav.exists() and meta.exists():
        return _load(spec, wav, meta)
    voices, turns = _voices(spec), _script(spec)
    with ThreadPoolExecutor(max_workers=2) as pool:
        clips = list(pool.map(
            lambda item: _trim(_say(voices[item[1][0]], item[1][1], item[1][2],
                                    directory / f".{spec.key()}-{item[0]}.raw")),
            enumerate(turns)))
    audio, utterances = _assemble(spec, turns, clips)
    _write_wav(wav, audio)
    meta.write_text(json.dumps([asdict(u) for u in utterances]))
    return _load(spec, wav, meta)


def _assemble(spec: Spec, turns: list, clips: list[np.ndarray]) -> tuple[np.ndarray, list]:
    """Place clips on a timeline (gaps, overlaps) and cut at the spec's length."""
    limit = int(spec.seconds * RATE)
    audio = np.zeros(limit + RATE, dtype=np.float32)
    at, end_prev, utterances = int(0.5 * RATE), 0, []
    for (voice, text, _, gap), clip in zip(turns, clips, strict=True):
        if not len(clip):
            continue
        start = max(int(0.5 * RATE), end_prev + int(gap * RATE)) if utterances else at
        end = start + len(clip)
        if end > limit:
            break
        audio[start:end] += clip
        utterances.append(Utterance(voice, start / RATE, end / RATE, text,
                                    _word_times(text, start / RATE, end / RATE)))
        end_prev = end
    audio = audio[: max(limit, end_prev)]
    return np.clip(audio, -1, 1), utterances


def _word_times(text: str, start: float, end: float) -> list[tuple[str, float, float]]:
    """Spread words over the utterance in proportion to their letters (plus a pause each)."""
    words = text.replace(".", "").split()
    weights = [len(w) + 2 for w in words]
    scale, at, out = (end - start) / sum(weights), start, []
    for word, weight in zip(words, weights, strict=True):
        out.append((word, round(at, 3), round(at + weight * scale - 0.05 * scale, 3)))
        at += weight * scale
    return out


def _write_wav(path: Path, audio: np.ndarray) -> None:
    import soundfile

    soundfile.write(str(path), audio, RATE, subtype="PCM_16")


def _load(spec: Spec, wav: Path, meta: Path) -> Recording:
    import soundfile

    utterances = [Utterance(u["speaker"], u["start"], u["end"], u["text"],
                            [tuple(w) for w in u["words"]]) for u in json.loads(meta.read_text())]
    return Recording(spec, wav, utterances, soundfile.info(str(wav)).duration)


def load_audio(recording: Recording) -> np.ndarray:
    """The recording as float32 samples at 16 kHz."""
    import soundfile

    audio, _ = soundfile.read(str(recording.path), dtype="float32")
    return audio


# ---------------------------------------------------------------- the corpus

SHORT = [
    Spec("1v-30s", ("us",), 30, seed=1),
    Spec("2v-20s", ("us", "f3"), 20, seed=2, max_sentences=1),
    Spec("2v-30s", ("us", "f3"), 30, seed=3),
    Spec("3v-35s", ("us", "f3", "scot"), 35, seed=4, max_sentences=1),
    Spec("2v-similar-60s", ("us", "croak"), 60, seed=5, similar=True),
    Spec("4v-similar-2min", ("us", "croak", "f3", "linda"), 120, seed=6, similar=True),
    Spec("4v-shortturns-90s", ("us", "f3", "klatt", "carib"), 90, seed=7, short_turns=0.3,
         overlap=0.15),
    Spec("3v-ru-60s", ("ru", "ruf", "ruk"), 60, seed=8),
    Spec("2v-4min", ("us", "f3"), 240, seed=9),
    Spec("5v-3min", ("us", "f3", "scot", "klatt", "grandma"), 180, seed=10, short_turns=0.15),
]
LONG = [
    Spec("3v-5min", ("us", "f3", "scot"), 300, seed=11, short_turns=0.2, overlap=0.1),
    Spec("6v-30min", ("us", "f3", "scot", "klatt", "grandma", "carib"), 1800, seed=12,
         short_turns=0.15, overlap=0.05, weights=(3, 3, 2, 1, 1, 0.5)),
    Spec("4v-60min", ("us", "f3", "scot", "klatt"), 3600, seed=13, short_turns=0.15,
         overlap=0.05),
    Spec("8v-30min", ("us", "f3", "scot", "klatt", "grandma", "carib", "michel", "alicia"),
         1800, seed=14, short_turns=0.1),
]


# ---------------------------------------------------------------- a real recording


def real(directory: Path, loops: int = 1) -> Recording:
    """pyannote.audio's shipped 30 s sample (two real voices, with its reference transcript),
    looped `loops` times: the issue's "same two real voices looped to 4 minutes"."""
    from importlib.resources import files

    import soundfile

    sample = files("pyannote.audio") / "sample"
    audio, _ = soundfile.read(str(sample / "sample.wav"), dtype="float32")
    period = len(audio) / RATE
    lines = [line.split(maxsplit=5) for line in (sample / "sample.stm").read_text().splitlines()]
    spec = Spec(f"real-{round(period * loops)}s", ("Diane", "Sheila"), period * loops)
    utterances = [
        Utterance(who, float(s) + k * period, float(e) + k * period, text,
                  _word_times(text, float(s) + k * period, float(e) + k * period))
        for k in range(loops) for _, _, who, s, e, text in lines
    ]
    directory.mkdir(parents=True, exist_ok=True)
    wav, meta = directory / f"{spec.name}.wav", directory / f"{spec.name}.json"
    if not wav.exists():
        _write_wav(wav, np.tile(audio, loops))
        meta.write_text(json.dumps([asdict(u) for u in utterances]))
    return Recording(spec, wav, utterances, period * loops)


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Score:
    """How one diarization of a recording compares with its reference."""

    speakers: int  # found
    true_speakers: int
    agreement: float  # share of reference words given the right speaker (one-to-one mapping)
    der: float  # diarization error rate, pyannote.metrics, 0.25 s collar

    @property
    def count_error(self) -> int:
        """Found minus true speakers."""
        return self.speakers - self.true_speakers


def score(recording: Recording, turns) -> Score:  # noqa: ANN001 - DataFrame start/end/speaker
    """Speaker count, word-speaker agreement (reference words through
    whisperx.assign_word_speakers, as the engine assigns them) and DER."""
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    hyp = Annotation(uri=recording.spec.name)
    for index, row in enumerate(turns.itertuples()):
        if row.end > row.start:
            hyp[Segment(row.start, row.end), index] = row.speaker
    der = DiarizationErrorRate(collar=0.25)(recording.reference(), hyp)
    return Score(len(set(turns["speaker"])), len(recording.speakers),
                 word_agreement(recording, turns), float(der))


def word_agreement(recording: Recording, turns) -> float:  # noqa: ANN001
    """Share of reference words on the right speaker, each found label mapped to at most one
    reference speaker (Hungarian): an over-split speaker's extra labels count as wrong."""
    import whisperx
    from scipy.optimize import linear_sum_assignment

    words = recording.words()
    if not words:
        return 1.0
    if turns.empty:
        return 0.0
    segments = [{"start": u.start, "end": u.end, "text": u.text,
                 "words": [{"word": w, "start": s, "end": e} for w, s, e in u.words]}
                for u in recording.utterances]
    result = whisperx.assign_word_speakers(turns, {"segments": segments}, fill_nearest=True)
    found = [w.get("speaker") for seg in result["segments"] for w in seg["words"]]
    truth = [speaker for *_, speaker in words]
    refs, hyps = sorted(set(truth)), sorted({f for f in found if f is not None})
    counts = np.zeros((len(refs), max(1, len(hyps))))
    for t, f in zip(truth, found, strict=True):
        if f is not None:
            counts[refs.index(t), hyps.index(f)] += 1
    rows, cols = linear_sum_assignment(-counts)
    return float(counts[rows, cols].sum() / len(truth))
