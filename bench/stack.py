"""The container stack measured: builds, image sizes, start-up, idle memory, and one photo and
one transcription through nginx against the same through `mediahub up`.

    uv run python bench/stack.py [--cold] [--runs 3]

Needs what `scripts/stack` needs (root, or a running Docker engine). Prints:
- build time of every image (`scripts/stack build`): warm (nothing changed: layer cache) and,
  with --cold, cold (build cache pruned and our images removed first; stand-in bases kept);
- image size of api, worker and frontend as a ratio to what they exist to ship: the virtual
  environment in /opt/venv (api, worker) and the web build (frontend);
- time from `compose up` (images built, volumes kept) to every service healthy;
- idle RSS of each container next to the budget of shared/DESIGN.md (frontend ~50 MB,
  backend ~150 MB, database ~200 MB);
- photo upload -> `ready` and a 20-s speech recording -> `done`, median of --runs, through the
  stack (nginx -> api -> worker containers) as a ratio to the same through `mediahub up`
  (baseline, same machine, same run, runs alternated so load drift hits both alike).
"""

from __future__ import annotations

import argparse
import io
import json
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from load import start_up, stop_up  # benchmarks run as scripts: bench/ is on sys.path
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support import speech  # noqa: E402

STACK = [str(ROOT / "scripts" / "stack")]
IMAGES = {"api": "/opt/venv", "worker": "/opt/venv", "frontend": "/usr/share/nginx/html"}
BUDGET_MB = {"frontend": 50, "api": 150, "worker": 150, "postgres": 200}


def run(*args: str, timeout: float = 3600) -> str:
    """Run a command; its stdout, or exit with its output."""
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def docker(*args: str) -> str:
    return run(*STACK, "docker", *args)


def builds(cold: bool) -> None:
    if cold:
        for name in IMAGES:
            subprocess.run([*STACK, "docker", "rmi", "-f", f"mediahub-{name}:local"],
                           capture_output=True, check=False)
        docker("builder", "prune", "-af")
        print(f"build, cold (no layer cache): {timed(lambda: run(*STACK, 'build')):7.1f} s")
    print(f"build, warm (nothing changed): {timed(lambda: run(*STACK, 'build')):7.1f} s")


def sizes() -> None:
    print("\nimage          size MB   ships MB   image/ships")
    for name, path in IMAGES.items():
        image = f"mediahub-{name}:local"
        size = int(docker("image", "inspect", "-f", "{{.Size}}", image))
        ships = int(docker("run", "--rm", "--entrypoint", "du", image, "-sb", path).split()[0])
        print(f"{name:<12} {size / 1e6:9.0f} {ships / 1e6:10.0f} {size / ships:13.2f}x")


def up_to_healthy() -> None:
    run(*STACK, "compose", "down")
    seconds = timed(lambda: run(*STACK, "compose", "up", "-d", "--no-build", "--wait",
                                "--wait-timeout", "600"))
    print(f"\ncompose up -> every service healthy: {seconds:.1f} s")


def idle_memory() -> None:
    time.sleep(20)  # let start-up work (model preload, migrations) settle
    out = docker("stats", "--no-stream", "--format", "{{json .}}")
    print("\ncontainer                 idle RSS MB   budget MB")
    for line in out.splitlines():
        row = json.loads(line)
        used = row["MemUsage"].split("/")[0].strip()
        mb = float(used[:-3]) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}[used[-3:]]
        service = row["Name"].removeprefix("mediahub-").rsplit("-", 1)[0]
        budget = BUDGET_MB.get(service)
        print(f"{row['Name']:<25} {mb:11.0f}   {budget if budget else '-':>9}")


def sign_up(base: str) -> dict[str, str]:
    body = {"username": f"bench_{secrets.token_hex(4)}", "password": "bench stack passphrase"}
    response = httpx.post(f"{base}/api/auth/register", json=body, timeout=30)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def photo_seconds(base: str, auth: dict[str, str]) -> float:
    out = io.BytesIO()
    Image.effect_noise((1600, 1200), 64).convert("RGB").save(out, "JPEG", quality=90)
    started = time.perf_counter()
    with httpx.Client(base_url=base, headers=auth, timeout=60) as client:
        photo = client.post("/api/photos", files={"file": ("b.jpg", out.getvalue(), "image/jpeg")})
        photo.raise_for_status()
        while client.get(f"/api/photos/{photo.json()['id']}").json()["status"] == "processing":
            time.sleep(0.05)
    return time.perf_counter() - started


def transcription_seconds(base: str, auth: dict[str, str], audio: bytes) -> float:
    started = time.perf_counter()
    with httpx.Client(base_url=base, headers=auth, timeout=60) as client:
        job = client.post("/api/transcriptions", data={"language": "en"},
                          files={"file": ("speech.wav", audio, "audio/wav")})
        job.raise_for_status()
        while True:
            status = client.get(f"/api/transcriptions/{job.json()['id']}").json()["status"]
            if status != "queued" and status != "running":
                break
            time.sleep(0.1)
    if status != "done":
        sys.exit(f"transcription ended {status}")
    return time.perf_counter() - started


def compare(stack_url: str, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        audio = speech.make_recording(Path(tmp) / "s.wav", speech.SENTENCES[:4]).path.read_bytes()
        local = start_up(Path(tmp) / "data")
        try:
            sides = {"stack": stack_url, "mediahub up": local.base_url}
            auths = {side: sign_up(base) for side, base in sides.items()}
            for side, base in sides.items():  # warm-up: models loaded, caches filled
                transcription_seconds(base, auths[side], audio)
            results: dict[str, dict[str, list[float]]] = {s: {"photo": [], "speech": []}
                                                         for s in sides}
            for _ in range(runs):
                for side, base in sides.items():
                    results[side]["photo"].append(photo_seconds(base, auths[side]))
                    results[side]["speech"].append(transcription_seconds(base, auths[side], audio))
        finally:
            stop_up(local)
    print(f"\nmedian of {runs}             stack s   mediahub up s   stack/up")
    for what, label in (("photo", "photo upload -> ready"), ("speech", "20-s speech -> done")):
        a = statistics.median(results["stack"][what])
        b = statistics.median(results["mediahub up"][what])
        print(f"{label:<24} {a:9.2f} {b:15.2f} {a / b:10.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cold", action="store_true", help="also time a build without cache")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    builds(args.cold)
    sizes()
    url = run(*STACK, "up", "--no-build").strip().splitlines()[-1].rstrip("/")
    up_to_healthy()
    idle_memory()
    compare(url, args.runs)


if __name__ == "__main__":
    main()
