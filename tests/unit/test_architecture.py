"""The layout's rules, checked on every run: import direction (import-linter) and module size."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "mediahub"
MAX_MODULE_LINES = 400  # past this a module holds more than one concern (CONTRIBUTING.md)


def test_import_contracts_hold() -> None:
    """Entry points -> domains -> core; a domain reaches another only through its public modules."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a dev dependency: uv sync --group dev"
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout, result.stdout


def test_no_python_module_holds_more_than_one_concern() -> None:
    """No application module over MAX_MODULE_LINES lines (generated migrations aside)."""
    too_long = {
        str(path.relative_to(PACKAGE)): count
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, f"split these modules by concern: {too_long}"
