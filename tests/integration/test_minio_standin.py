"""The MinIO stand-in of the container stack (deploy/standins/minio) keeps its contract.

The smoke suite (tests/stack) uses it through the whole stack; this runs its own self-test,
which drives it through our storage class: multipart, ranges, presigned links, restarts,
refused keys, deploy/minio/init.sh run twice, bucket scope.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SELFTEST = Path(__file__).resolve().parents[2] / "deploy" / "standins" / "minio" / "selftest.py"


@pytest.mark.slow
def test_minio_standin_selftest_passes() -> None:
    result = subprocess.run([sys.executable, str(SELFTEST)], capture_output=True, text=True,
                            timeout=110, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
