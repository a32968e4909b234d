"""Shared helpers: PyAV audio loading (no ffmpeg CLI), WER, peak RSS, script loading."""
import json, re, resource
import numpy as np

def load_audio(path, sr=16000):
    """Decode any PyAV-readable file to float32 mono at `sr` (what whisperx.load_audio does via ffmpeg)."""
    import av
    with av.open(path) as c:
        rs = av.AudioResampler(format="s16", layout="mono", rate=sr)
        chunks = []
        for frame in c.decode(audio=0):
            for f in rs.resample(frame):
                chunks.append(f.to_ndarray().reshape(-1))
        for f in rs.resample(None):
            chunks.append(f.to_ndarray().reshape(-1))
    return np.concatenate(chunks).astype(np.float32) / 32768.0

_NUM = {"9": "nine", "1": "one", "2": "two"}

def norm_words(text):
    text = text.lower().replace("-", " ")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return [_NUM.get(w, w) for w in text.split()]

def wer(ref, hyp):
    """Word error rate by edit distance on normalised words."""
    r, h = norm_words(ref), norm_words(hyp)
    d = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(h) + 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (r[i - 1] != h[j - 1]))
            prev, d[j] = d[j], cur
    return d[len(h)] / max(1, len(r))

def script(name):
    return json.load(open(f"audio/{name}.json"))["sentences"]

def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def align_pairs(ref, hyp):
    """Levenshtein alignment of two word lists; returns (i, j) index pairs of equal words."""
    n, m = len(ref), len(hyp)
    D = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1): D[i][0] = i
    for j in range(m + 1): D[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            D[i][j] = min(D[i-1][j] + 1, D[i][j-1] + 1, D[i-1][j-1] + (ref[i-1] != hyp[j-1]))
    i, j, pairs = n, m, []
    while i and j:
        if D[i][j] == D[i-1][j-1] + (ref[i-1] != hyp[j-1]):
            if ref[i-1] == hyp[j-1]: pairs.append((i-1, j-1))
            i, j = i-1, j-1
        elif D[i][j] == D[i-1][j] + 1: i -= 1
        else: j -= 1
    return pairs[::-1]
