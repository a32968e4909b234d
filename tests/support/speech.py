"""Synthetic speech with a known script (espeak-ng + sox), and scoring against that script."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SENTENCES = [
    "Good morning everyone and welcome to the weekly planning meeting.",
    "Today we will review the budget for the new marketing campaign.",
    "The design team finished the first draft of the website last Friday.",
    "We still need to test the checkout page on older phones.",
    "Please send your comments to Maria before the end of the week.",
    "The warehouse reported that shipping times have improved a lot.",
    "Our customers are asking for a simpler way to return products.",
    "Next month we plan to hire two engineers and one designer.",
    "The server migration will happen on Saturday night.",
    "If anything breaks, call the support hotline immediately.",
    "Thank you all for your hard work this quarter.",
    "See you next Monday at nine o'clock, goodbye.",
]
# The same meeting in Russian (numbers in words: the scoring compares words, not digits).
SENTENCES_RU = [
    "Доброе утро всем, и добро пожаловать на еженедельное совещание.",
    "Сегодня мы обсудим бюджет новой рекламной кампании.",
    "Команда дизайнеров закончила первый вариант сайта в прошлую пятницу.",
    "Нам ещё нужно проверить страницу оплаты на старых телефонах.",
    "Пожалуйста, отправьте свои замечания Марии до конца недели.",
    "Склад сообщил, что сроки доставки заметно сократились.",
    "Клиенты просят более простой способ вернуть товар.",
    "В следующем месяце мы планируем нанять двух инженеров и одного дизайнера.",
    "Перенос сервера состоится в субботу ночью.",
    "Если что-нибудь сломается, сразу звоните в службу поддержки.",
    "Спасибо всем за отличную работу в этом квартале.",
    "Увидимся в следующий понедельник в девять часов, до свидания.",
]
VOICES_RU = ("ru", "ru+f3")
# Two voices CAM++ tells apart (en-us vs en-gb+m3 sound alike to it; see the spike report).
VOICES = ("en-us", "en+f3")
PAUSE_S = 0.8
EDGE_S = 0.5
RATE = 16_000


@dataclass(frozen=True)
class Line:
    """One spoken sentence of the script."""

    text: str
    speaker: str
    start: float
    end: float


@dataclass(frozen=True)
class Recording:
    """A generated WAV file and what is said in it, by whom, when."""

    path: Path
    lines: list[Line]

    @property
    def text(self) -> str:
        """The whole script."""
        return " ".join(line.text for line in self.lines)


def tools_available() -> bool:
    """espeak-ng and sox are installed (scripts/test installs them on Debian)."""
    return bool(shutil.which("espeak-ng") and shutil.which("sox") and shutil.which("soxi"))


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _say(text: str, voice: str, speed: int, path: Path) -> float:
    raw = path.with_suffix(".raw.wav")
    _run("espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text)
    _run("sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(path))
    raw.unlink()
    return float(_run("soxi", "-D", str(path)))


def _silence(path: Path, seconds: float) -> Path:
    _run(
        "sox",
        "-n",
        "-r",
        str(RATE),
        "-c",
        "1",
        "-b",
        "16",
        str(path),
        "trim",
        "0",
        f"{seconds:.3f}",
    )
    return path


def make_recording(
    target: Path, sentences: list[str], voices: tuple[str, ...] = VOICES, *, edge_s: float = EDGE_S
) -> Recording:
    """Alternate `voices` sentence by sentence; repeated sentences are spoken at other speeds
    so no two clips are byte-identical (identical clips confuse speaker clustering)."""
    work = target.parent / f".{target.stem}.parts"
    work.mkdir(parents=True, exist_ok=True)
    pause = _silence(work / "pause.wav", PAUSE_S)
    edge = _silence(work / "edge.wav", max(edge_s, 0.01))
    parts, lines, at = [edge], [], edge_s
    for index, sentence in enumerate(sentences):
        round_ = index // len(SENTENCES)
        speed = 160 + 8 * round_ * (-1) ** round_
        voice = voices[index % len(voices)]
        clip = work / f"s{index}.wav"
        seconds = _say(sentence, voice, speed, clip)
        lines.append(
            Line(sentence, f"S{index % len(voices)}", round(at, 3), round(at + seconds, 3))
        )
        parts += [clip, pause] if index < len(sentences) - 1 else [clip, edge]
        at += seconds + PAUSE_S
    _run("sox", *map(str, parts), str(target))
    shutil.rmtree(work)
    return Recording(target, lines)


# ---------------------------------------------------------------- scoring


def words_of(text: str) -> list[str]:
    """Lowercase words without punctuation (Latin or Cyrillic, ё as е); digits spelled as the
    script spells them; hyphenated words split."""
    text = text.lower().replace("9", " nine ").replace("good bye", "goodbye").replace("ё", "е")
    return re.findall(r"[a-z'а-я]+", text)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """WER over normalised words (jiwer)."""
    import jiwer

    return jiwer.wer(" ".join(words_of(reference)), " ".join(words_of(hypothesis)))


def word_recall(reference: str, hypothesis: str) -> float:
    """Share of the script's words found, in order, in the hypothesis (insensitive to the
    repeated phrases a looping decoder adds, which WER counts against everything else)."""
    ref, hyp = words_of(reference), words_of(hypothesis)
    matcher = difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(1, len(ref))


def script_share(text: str, script: str) -> float:
    """Share of the letters of `text` that are Cyrillic ("cyrillic") or Latin ("latin")."""
    letters = [c for c in text.lower() if c.isalpha()]
    pattern = "[а-яё]" if script == "cyrillic" else "[a-z]"
    return sum(1 for c in letters if re.fullmatch(pattern, c)) / max(1, len(letters))


def speaker_accuracy(recording: Recording, words: list[tuple[str, str | None]]) -> float:
    """Share of matched words attributed to the right voice, after mapping each predicted
    label to the script speaker it most often coincides with."""
    ref_words, ref_speakers = [], []
    for line in recording.lines:
        for word in words_of(line.text):
            ref_words.append(word)
            ref_speakers.append(line.speaker)
    hyp_words, hyp_speakers = [], []
    for text, speaker in words:
        for word in words_of(text):
            hyp_words.append(word)
            hyp_speakers.append(speaker)
    matcher = difflib.SequenceMatcher(a=ref_words, b=hyp_words, autojunk=False)
    pairs = [
        (ref_speakers[block.a + i], hyp_speakers[block.b + i])
        for block in matcher.get_matching_blocks()
        for i in range(block.size)
    ]
    if not pairs:
        return 0.0
    mapping = {
        label: Counter(ref for ref, hyp in pairs if hyp == label).most_common(1)[0][0]
        for label in {hyp for _, hyp in pairs}
    }
    return sum(1 for ref, hyp in pairs if mapping[hyp] == ref) / len(pairs)
