#!/bin/sh
# Repack PyPI's torchaudio 2.11.0 (its .so files link libc10_cuda.so) into a pure-Python wheel.
# torchaudio's loader treats a missing lib/*.so as "extension not available" (pex case), and
# whisperx/pyannote only use Python parts (functional.resample, pipelines.__all__, compliance.kaldi).
set -eu
OUT=$(realpath -m "${1:-vendor}"); mkdir -p "$OUT"
TMP=$(mktemp -d); cd "$TMP"
pip download -q --no-deps torchaudio==2.11.0 --python-version 3.11 --only-binary=:all: \
    --platform manylinux_2_28_x86_64 -d .
uvx --from wheel wheel unpack torchaudio-2.11.0-*.whl -d x
cd x
mv torchaudio-2.11.0 torchaudio-2.11.0+nolib
cd torchaudio-2.11.0+nolib
rm -f torchaudio/lib/*.so
mv torchaudio-2.11.0.dist-info torchaudio-2.11.0+nolib.dist-info
D=torchaudio-2.11.0+nolib.dist-info
sed -i -e 's/^Version: 2.11.0$/Version: 2.11.0+nolib/' \
       -e 's/^Requires-Dist: torch==2.11.0$/Requires-Dist: torch>=2.9/' $D/METADATA
printf 'Wheel-Version: 1.0\nGenerator: make_torchaudio_nolib.sh\nRoot-Is-Purelib: true\nTag: py3-none-any\n' > $D/WHEEL
cd ..
uvx --from wheel wheel pack torchaudio-2.11.0+nolib -d "$OUT"
ls -la "$OUT"
