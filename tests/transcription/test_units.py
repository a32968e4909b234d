"""Pure pieces of the transcription feature: no model, no database."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediahub.core.errors import InvalidText
from mediahub.transcription import editing, service
from mediahub.transcription.asr import CHUNK_SECONDS, EDGE_PAD_SECONDS, pad_chunks, uncovered_speech
from mediahub.transcription.audio import MediaError, decode, probe
from mediahub.transcription.segments import speakers_in_order, split_chunk
from mediahub.transcription.transcript import Segment, Word
from tests.support import media


def _words(spec: str, speaker: str | None = None, start: float = 0.0) -> list[Word]:
    out, at = [], start
    for token in spec.split():
        out.append(Word(token, at, at + 0.3, 0.9, speaker))
        at += 0.4
    return out


def test_split_chunk_at_sentence_ends_and_speaker_changes() -> None:
    words = _words("Hello there. How are", "A") + _words("you? Fine.", "B", start=1.6)
    chunk = Segment(0.0, 3.0, "Hello there. How are you? Fine.", words=words)
    pieces = split_chunk(chunk, [" " + w.word for w in words])
    assert [p.text for p in pieces] == ["Hello there.", "How are", "you?", "Fine."]
    assert [p.speaker for p in pieces] == ["A", "A", "B", "B"]
    assert pieces[0].start == 0.0 and pieces[0].end == pytest.approx(0.7)
    assert speakers_in_order(pieces) == ["A", "B"]


def test_split_chunk_keeps_spacing_of_scripts_without_spaces() -> None:
    words = [Word("你好", 0.0, 0.5), Word("世界。", 0.5, 1.0), Word("再见", 1.2, 1.6)]
    pieces = split_chunk(Segment(0, 2, "你好世界。再见", words=words), ["你好", "世界。", "再见"])
    assert [p.text for p in pieces] == ["你好世界。", "再见"]


def test_split_chunk_breaks_on_long_pauses_and_keeps_wordless_text() -> None:
    words = [Word("one", 0.0, 0.3), Word("two", 5.0, 5.3)]
    assert [
        p.text for p in split_chunk(Segment(0, 6, "one two", words=words), [" one", " two"])
    ] == ["one", "two"]
    bare = Segment(1.0, 4.0, "no words here")
    assert split_chunk(bare, []) == [bare]
    assert split_chunk(Segment(1.0, 4.0, "  "), []) == []


@given(st.lists(st.tuples(st.floats(0, 500), st.floats(0.1, 29)), min_size=1, max_size=30))
def test_padded_chunks_stay_ordered_within_30_s_and_keep_their_speech(spans) -> None:  # noqa: ANN001
    chunks, at = [], 0.0
    for gap, length in spans:
        start = at + gap % 5
        chunks.append(
            {"start": start, "end": start + length, "segments": [(start, start + length)]}
        )
        at = start + length
    duration = at + 1.0
    padded = pad_chunks(chunks, duration)
    for original, wide in zip(chunks, padded, strict=True):
        assert wide["end"] - wide["start"] <= CHUNK_SECONDS + 1e-9
        assert wide["start"] <= original["start"] + 1e-9 and wide["end"] >= original["end"] - 1e-9
        assert original["start"] - wide["start"] <= EDGE_PAD_SECONDS + 1e-9
    for before, after in zip(padded, padded[1:], strict=False):
        assert before["end"] <= after["start"] + 1e-9
    assert padded[-1]["end"] <= duration


def test_uncovered_speech_finds_what_the_decoder_skipped() -> None:
    chunk = {"start": 10.0, "end": 30.0, "speech": [(10.0, 18.0), (19.0, 29.5)]}
    covered_to_18 = Segment(10.0, 30.0, "x", words=[Word("a", 10.1, 10.5), Word("b", 17.5, 18.0)])
    # The stretch starts just before the skipped speech (19.0), not in the pause after the
    # last word, where the first word's timing would absorb the silence.
    assert uncovered_speech(chunk, covered_to_18) == [
        {"start": 18.8, "end": 30.0, "speech": chunk["speech"]}
    ]
    late_start = Segment(10.0, 30.0, "x", words=[Word("a", 19.0, 19.4), Word("b", 29.0, 29.5)])
    assert [g["end"] for g in uncovered_speech(chunk, late_start)] == [18.2]
    mid_speech = Segment(10.0, 30.0, "x", words=[Word("a", 10.1, 10.5), Word("b", 21.0, 21.4)])
    assert [g["start"] for g in uncovered_speech(chunk, mid_speech)] == [21.4]
    complete = Segment(10.0, 30.0, "x", words=[Word("a", 10.0, 10.4), Word("b", 29.0, 29.5)])
    assert uncovered_speech(chunk, complete) == []
    assert uncovered_speech(chunk, Segment(10.0, 30.0, "")) == []


def test_retime_words_keeps_or_spreads_timing() -> None:
    words = [
        {"word": "a", "start": 1.0, "end": 1.5, "score": 0.9, "speaker_id": 7},
        {"word": "b", "start": 1.5, "end": 2.0, "score": 0.8, "speaker_id": 7},
    ]
    same = editing.retime_words(words, "a c", 1.0, 2.0, 7)
    assert [(w["word"], w["start"], w["score"]) for w in same] == [
        ("a", 1.0, 0.9),
        ("c", 1.5, None),
    ]
    spread = editing.retime_words(words, "xx y zzz", 1.0, 2.0, 7)
    assert [w["start"] for w in spread] == [
        1.0,
        pytest.approx(1.3333, abs=1e-3),
        pytest.approx(1.5, abs=1e-3),
    ]
    assert spread[-1]["end"] == pytest.approx(2.0)


def test_clean_text_and_search_snippets_are_safe() -> None:
    assert editing.clean_text("  a b\n\tc  ", "text") == "a b c"
    with pytest.raises(InvalidText):
        editing.clean_text("a\u0000b", "text")
    snippet = service._snippet("<script>\x02x\x03</script> & y")
    assert snippet == "&lt;script&gt;<mark>x</mark>&lt;/script&gt; &amp; y"


@pytest.mark.parametrize("kind", sorted(media.FORMATS))
def test_decode_gives_16k_mono_float(kind: str) -> None:
    data = media.encode(media.tone(2.0, 523.0), kind)
    samples = decode(io.BytesIO(data))
    assert samples.dtype.name == "float32"
    assert len(samples) / 16_000 == pytest.approx(2.0, abs=0.06)
    assert 0.15 < float(abs(samples).max()) < 0.5  # the tone's amplitude survived


def test_probe_rejects_what_is_not_audio() -> None:
    with pytest.raises(MediaError, match="not a readable"):
        probe(io.BytesIO(b"plain text, not media" * 50))
    with pytest.raises(MediaError):
        probe(io.BytesIO(media.garbage_after_header("mp3", media.tone(3))))
    silent_video = io.BytesIO()
    import av

    with av.open(silent_video, "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
        import numpy as np

        for i in range(5):
            frame = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")
            frame.pts = i
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    silent_video.seek(0)
    with pytest.raises(MediaError, match="no audio track"):
        probe(silent_video)


def test_eta_keeps_the_pace_so_far_and_waits_for_evidence() -> None:
    assert service.eta_seconds(10.0, 50.0) == 10.0
    assert service.eta_seconds(30.0, 75.0) == 10.0
    assert service.eta_seconds(5.0, 100.0) == 0.0
    assert service.eta_seconds(5.0, service.ETA_MIN_PERCENT - 0.1) is None
