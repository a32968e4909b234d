# shellcheck shell=bash
# Sourced by scripts/up and scripts/test: make `uv` available on a fresh machine.
# uv comes from PyPI (the only registry we rely on besides npm and Debian's).
ensure_uv() {
    if command -v uv >/dev/null 2>&1; then return; fi
    if [ -x "$HOME/.local/bin/uv" ]; then export PATH="$HOME/.local/bin:$PATH"; return; fi
    echo "installing uv from PyPI…" >&2
    python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
    export PATH="$HOME/.local/bin:$PATH"
    command -v uv >/dev/null 2>&1 || { echo "error: could not install uv" >&2; exit 1; }
}

# The transcription extra installs the CPU build of torch from a local flat index, because
# PyPI's torch is the CUDA build (ADR 0012). Machines of this kind ship the wheel in
# /opt/wheels; elsewhere fetch it once from the PyTorch CPU index (a package registry).
TORCH_WHEEL=/opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl
ensure_torch_wheel() {
    if [ -f "$TORCH_WHEEL" ]; then return; fi
    echo "fetching the CPU build of torch into /opt/wheels…" >&2
    if ! mkdir -p /opt/wheels 2>/dev/null || [ ! -w /opt/wheels ]; then
        echo "error: $TORCH_WHEEL is missing and /opt/wheels is not writable; run once as" \
             "root: pip download --no-deps --index-url https://download.pytorch.org/whl/cpu" \
             "torch==2.13.0+cpu -d /opt/wheels" >&2
        exit 1
    fi
    python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
        --platform manylinux_2_28_x86_64 --index-url https://download.pytorch.org/whl/cpu \
        "torch==2.13.0+cpu" -d /opt/wheels
}
