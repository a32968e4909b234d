"""Make the ML stack run offline: no hub calls, no telemetry, no runtime data downloads.

Called before whisperx/transformers/pyannote are imported (they read these variables at
import time). ALLOW_MODEL_DOWNLOAD=true lifts the hub switches (whatever the environment
said); telemetry stays off either way.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

# Punkt sentence-splitter data for whisperx.align (NLTK would otherwise download it).
NLTK_DATA_DIR = Path(__file__).parent / "nltk_data"


def prepare_offline_runtime(cache_dir: Path, *, allow_download: bool) -> None:
    """Set the environment the ML libraries read; explicit user settings win."""
    os.environ["PYANNOTE_METRICS_ENABLED"] = "0"  # pyannote.audio 4 reports usage by default
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # ALLOW_MODEL_DOWNLOAD is the one switch: it overrides what an image or shell set.
    offline = "0" if allow_download else "1"
    os.environ["HF_HUB_OFFLINE"] = offline
    os.environ["TRANSFORMERS_OFFLINE"] = offline
    existing = os.environ.get("NLTK_DATA", "")
    if str(NLTK_DATA_DIR) not in existing.split(os.pathsep):
        os.environ["NLTK_DATA"] = os.pathsep.join(p for p in (existing, str(NLTK_DATA_DIR)) if p)
    # pyannote/lightning write under TORCH_HOME; HOME may be read-only in containers.
    os.environ.setdefault("TORCH_HOME", str(cache_dir / "torch"))
    cache_dir.mkdir(parents=True, exist_ok=True)
    # We always hand pyannote decoded arrays, so its file decoder (torchcodec) is never needed.
    warnings.filterwarnings("ignore", message=r"(?s).*torchcodec is not installed")
    try:
        import nltk  # already imported? then its search path was fixed at import time
    except ImportError:
        return
    if str(NLTK_DATA_DIR) not in nltk.data.path:
        nltk.data.path.append(str(NLTK_DATA_DIR))
