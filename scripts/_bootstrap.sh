# Sourced by scripts/up and scripts/test: make `uv` available on a fresh machine.
# uv comes from PyPI (the only registry we rely on besides npm and Debian's).
ensure_uv() {
    if command -v uv >/dev/null 2>&1; then return; fi
    for candidate in "$HOME/.local/bin/uv"; do
        if [ -x "$candidate" ]; then export PATH="$(dirname "$candidate"):$PATH"; return; fi
    done
    echo "installing uv from PyPI…" >&2
    python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
    export PATH="$HOME/.local/bin:$PATH"
    command -v uv >/dev/null 2>&1 || { echo "error: could not install uv" >&2; exit 1; }
}
