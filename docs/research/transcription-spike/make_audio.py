"""Make espeak-ng test recordings (16 kHz mono WAV) with a known script.

single.wav : ~60 s, one voice (en-us), sentences separated by 0.8 s of silence,
             0.5 s lead-in/tail so first/last words are near the edges.
dialog.wav : alternating voices en-us / en-gb+m3 (and en+f3), for diarization.
Writes <name>.json with the sentences, voices and start/end times (from the sox-measured durations).
"""
import json, subprocess, sys, tempfile, os

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
PAUSE, EDGE = 0.8, 0.5

def say(text, voice, path, speed=160):
    raw = path + ".raw.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", raw, text], check=True)
    subprocess.run(["sox", raw, "-r", "16000", "-c", "1", "-b", "16", path], check=True)
    os.remove(raw)
    return float(subprocess.run(["soxi", "-D", path], capture_output=True, text=True, check=True).stdout)

def build(name, voices, sentences=SENTENCES, EDGE=EDGE):
    tmp = tempfile.mkdtemp()
    parts, meta, t = [], [], EDGE
    sil = os.path.join(tmp, "sil.wav")
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", sil, "trim", "0", str(PAUSE)], check=True)
    edge = os.path.join(tmp, "edge.wav")
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", edge, "trim", "0", str(max(EDGE, 0.01))], check=True)
    parts.append(edge)
    for i, s in enumerate(sentences):
        v = voices[i % len(voices)]
        p = os.path.join(tmp, f"s{i}.wav")
        d = say(s, v, p, 160 + 8 * (i // len(SENTENCES)) * (-1) ** (i // len(SENTENCES)))  # repeats differ in speed, so no two clips are identical
        meta.append({"text": s, "voice": v, "speaker": f"S{i % len(voices)}", "start": round(t, 3), "end": round(t + d, 3)})
        parts += [p, sil] if i < len(sentences) - 1 else [p, edge]
        t += d + PAUSE
    out = f"audio/{name}.wav"
    subprocess.run(["sox", *parts, out], check=True)
    json.dump({"sentences": meta}, open(f"audio/{name}.json", "w"), indent=1)
    print(out, subprocess.run(["soxi", "-D", out], capture_output=True, text=True).stdout.strip(), "s")

build("single", ["en-us"])
# ~5 min: the 12 sentences six times (5-minute case where batched decoding was seen to drop the opening)
build("long", ["en-us"], SENTENCES * 6)
# speech right at the file edges (no lead-in/tail), 5 min
build("long_edge0", ["en-us"], SENTENCES * 6, EDGE=0.0)
build("dialog", ["en-us", "en-gb+m3"])
build("dialog_f", ["en-us", "en+f3"])
build("dialog_f_long", ["en-us", "en+f3"], SENTENCES * 6)
