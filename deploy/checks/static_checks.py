"""Static checks of the container delivery, run by scripts/check-deploy without a Docker engine.

Subcommands:
  compose       deploy/compose.yaml: interpolation like Compose, the rules of
                docs/decisions/0007-containers.md (healthchecks, restart, network, ports,
                limits, no default secrets, pinned images), and Compose-schema validation of
                the interpolated file (the raw file is validated by check-jsonschema).
  dockerfiles   deploy/*Dockerfile: pinned bases, non-root targets, compose targets exist.
  context DEST  copy the build context (the repository through .dockerignore) to DEST.
  stage DOCKERFILE STAGE CONTEXT DEST
                copy what STAGE's COPY lines take from CONTEXT into DEST (as WORKDIR);
                fails if a source is missing from the context.
  run-lines DOCKERFILE STAGE [CONTEXT]
                print STAGE as a shell script (ARG/ENV defaults, then its RUN commands) to
                run it outside a container; files COPYed to absolute paths map to CONTEXT.

Runs with the check tools' Python (ruamel.yaml and jsonschema come with check-jsonschema).
Every failure is printed; the exit code is 1 if there was any.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / ".env.example"
DOCKERFILES = {"deploy/Dockerfile": DEPLOY / "Dockerfile",
               "deploy/frontend.Dockerfile": DEPLOY / "frontend.Dockerfile"}

# Names that hold secrets: never a default in compose.yaml, always empty in .env.example.
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|TOKEN|ACCESS_KEY|ACCESS_KEY_ID|ROOT_USER)$")
# Services whose image comes from a registry other than Docker Hub, and why (ADR 0007).
REGISTRY_EXCEPTIONS = {
    "quay.io/minio/": "MinIO's community images left Docker Hub in 2025; quay.io is MinIO's own",
}
EXPECTED_SERVICES = {"postgres", "redis", "minio", "minio-init", "migrate", "api", "worker",
                     "worker-gpu", "frontend"}
PUBLISHED = {"frontend"}
NETWORK = "network"


@dataclass
class Report:
    """Collects failures; prints each check as it goes."""

    failures: list[str] = field(default_factory=list)

    def check(self, ok: bool, what: str) -> bool:
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failures.append(what)
        return ok


def load_yaml(text: str) -> object:
    """Parse YAML the way Compose does (YAML 1.2, merge keys resolved)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    return yaml.load(text)


# --- Compose-style interpolation ---------------------------------------------------------

_VAR = re.compile(r"\$(?:(\$)|\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_EXPR = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?$", re.S)


class MissingVariable(Exception):
    """A `${VAR:?msg}` / `${VAR?msg}` whose variable is missing (or empty with `:`)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


def interpolate_str(text: str, env: dict[str, str], errors: list[MissingVariable]) -> str:
    """Compose's rules: $$ escapes, ${V}, ${V:-d}, ${V-d}, ${V:?e}, ${V?e}, ${V:+r}, ${V+r}."""

    def repl(match: re.Match[str]) -> str:
        if match.group(1):
            return "$"
        expr = match.group(2) if match.group(2) is not None else match.group(3)
        parsed = _EXPR.match(expr)
        if not parsed:
            raise ValueError(f"invalid interpolation: ${{{expr}}}")
        name, op, arg = parsed.group(1), parsed.group(2), parsed.group(3) or ""
        value = env.get(name)
        present = value is not None
        nonempty = bool(value)
        if op is None:
            return value or ""
        strict = op.startswith(":")
        ok = nonempty if strict else present
        kind = op[-1]
        if kind == "-":
            return value if ok else interpolate_str(arg, env, errors)  # type: ignore[return-value]
        if kind == "+":
            return interpolate_str(arg, env, errors) if ok else ""
        if not ok:  # "?"
            errors.append(MissingVariable(name, arg or "required"))
            return ""
        return value  # type: ignore[return-value]

    return _VAR.sub(repl, text)


def interpolate(node: object, env: dict[str, str], errors: list[MissingVariable]) -> object:
    """Interpolate every string value (not keys) of a parsed compose file."""
    if isinstance(node, dict):
        return {k: interpolate(v, env, errors) for k, v in node.items()}
    if isinstance(node, list):
        return [interpolate(v, env, errors) for v in node]
    if isinstance(node, str):
        return interpolate_str(node, env, errors)
    return node


def references(text: str) -> list[tuple[str, str | None, str]]:
    """Every ${…} reference in raw text: (name, operator or None, argument)."""
    found = []
    for match in _VAR.finditer(text):
        if match.group(1):
            continue
        expr = match.group(2) if match.group(2) is not None else match.group(3)
        parsed = _EXPR.match(expr)
        if parsed:
            found.append((parsed.group(1), parsed.group(2), parsed.group(3) or ""))
    return found


def parse_env_file(path: Path) -> tuple[dict[str, str], set[str]]:
    """KEY=VALUE lines as Compose reads them; also the names shown commented out (# KEY=…)."""
    values: dict[str, str] = {}
    documented: set[str] = set()
    for raw in path.read_text().splitlines():
        line = raw.strip()
        commented = re.match(r"^#\s*([A-Z_][A-Z0-9_]*)=", line)
        if commented:
            documented.add(commented.group(1))
            continue
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ValueError(f"{path}: not KEY=VALUE: {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            value = re.sub(r"\s+#.*$", "", value)
        values[key.strip()] = value
        documented.add(key.strip())
    return values, documented


# --- compose ------------------------------------------------------------------------------

def _image_ok(image: str) -> tuple[bool, str]:
    """An explicit, non-floating tag; Docker Hub unless an exception says why."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" not in last:
        return False, "no tag"
    tag = last.split(":", 1)[1]
    if tag in {"latest", "stable", "mainline"} or not re.search(r"\d", tag):
        return False, f"floating tag {tag!r}"
    first = name.split("/", 1)[0]
    on_hub = "/" not in name or not ("." in first or ":" in first or first == "localhost")
    if not on_hub and not any(name.startswith(p) for p in REGISTRY_EXCEPTIONS):
        return False, "not on Docker Hub and no recorded exception"
    return True, "pinned" + (" by digest" if digest else " by tag")


def check_compose(report: Report) -> None:
    """All compose rules; see the module docstring."""
    raw_text = COMPOSE.read_text()
    raw = load_yaml(raw_text)
    report.check(isinstance(raw, dict) and "services" in raw, "compose.yaml parses (YAML)")
    assert isinstance(raw, dict)
    env_example, documented = parse_env_file(ENV_EXAMPLE)

    print("- variables")
    refs = references(raw_text)
    names = {name for name, _, _ in refs}
    undocumented = sorted(names - documented)
    report.check(not undocumented,
                 f"every ${{VAR}} of compose.yaml is in deploy/.env.example {undocumented or ''}")
    secret_names = sorted(n for n in names if SECRET_NAME.search(n))
    for name in secret_names:
        ops = {op for n, op, _ in refs if n == name}
        report.check(ops <= {":?", "?"} and bool(ops),
                     f"secret {name} is required, never defaulted (uses {sorted(map(str, ops))})")
        report.check(env_example.get(name, None) == "",
                     f"secret {name} is present and empty in deploy/.env.example")
    required = sorted({n for n, op, _ in refs if op in (":?", "?")})
    strict_required = sorted({n for n, op, _ in refs if op == ":?"})

    errors: list[MissingVariable] = []
    interpolate(raw, env_example, errors)
    refused = sorted({e.name for e in errors})
    expected_refused = sorted(n for n in strict_required if not env_example.get(n))
    report.check(refused == expected_refused and bool(refused),
                 f"with deploy/.env.example as shipped, compose refuses to start: {refused}")

    filled = dict(env_example)
    for name in required:
        if not filled.get(name):
            filled[name] = "x" * 40 if name != "PUBLIC_BASE_URL" else "https://media.example.com"
    errors = []
    doc = interpolate(raw, filled, errors)
    report.check(not errors, f"with every secret set, interpolation succeeds {errors or ''}")
    assert isinstance(doc, dict)
    _validate_schema(report, doc)

    print("- services")
    services: dict[str, dict] = doc["services"]
    report.check(set(services) == EXPECTED_SERVICES, f"services are {sorted(EXPECTED_SERVICES)}")
    one_shots = {dep for svc in services.values()
                 for dep, cond in _depends(svc).items()
                 if cond.get("condition") == "service_completed_successfully"}
    report.check(one_shots == {"migrate", "minio-init"},
                 f"one-shot services (completed_successfully): {sorted(one_shots)}")
    raw_services = raw["services"]
    for name, svc in services.items():
        long_running = name not in one_shots
        if long_running:
            test = (svc.get("healthcheck") or {}).get("test")
            report.check(bool(test) and test != ["NONE"] and not svc["healthcheck"].get("disable"),
                         f"{name}: has a healthcheck")
            report.check(svc.get("restart") == "unless-stopped", f"{name}: restart unless-stopped")
        else:
            report.check(svc.get("restart") == "no", f"{name}: one-shot, restart \"no\"")
        report.check(svc.get("networks") == [NETWORK], f"{name}: on the stack network only")
        report.check("container_name" not in svc, f"{name}: no container_name (scalable)")
        limit = (((svc.get("deploy") or {}).get("resources") or {}).get("limits") or {})
        report.check(bool(limit.get("memory")), f"{name}: memory limit {limit.get('memory')}")
        if name in PUBLISHED:
            ports = svc.get("ports") or []
            report.check(len(ports) == 1 and str(ports[0]).endswith(":8080"),
                         f"{name}: publishes one port, to nginx's 8080 ({ports})")
        else:
            report.check(not svc.get("ports"), f"{name}: publishes no port")
        image = svc.get("image", "")
        if "build" in svc:
            report.check(bool(image), f"{name}: built here, tagged {image}")
        else:
            ok, why = _image_ok(image)
            report.check(ok, f"{name}: image {image} ({why})")
        for dep, cond in _depends(svc).items():
            want = ("service_completed_successfully" if dep in one_shots else "service_healthy")
            report.check(cond.get("condition") == want,
                         f"{name}: waits for {dep} with {want}")
        env = svc.get("environment") or {}
        if "DATABASE_URL" in env:
            report.check(env.get("MEDIAHUB_MODE") == "production",
                         f"{name}: MEDIAHUB_MODE=production")
            for dep in ("migrate",) if name != "migrate" else ():
                report.check(dep in _depends(svc), f"{name}: starts after {dep}")
        _check_literal_secrets(report, name, raw_services[name])

    print("- storage, network, GPU")
    for name, mount in (("postgres", "/var/lib/postgresql/data"), ("redis", "/data"),
                        ("minio", "/data")):
        vols = services[name].get("volumes") or []
        named = [v for v in vols if isinstance(v, str) and v.endswith(":" + mount)
                 and v.split(":")[0] in (doc.get("volumes") or {})]
        report.check(bool(named), f"{name}: named volume at {mount}")
    for name in ("worker", "worker-gpu"):
        env = services[name].get("environment") or {}
        cache = env.get("MODEL_CACHE_DIR", "")
        vols = services[name].get("volumes") or []
        named = [v for v in vols if isinstance(v, str) and cache and v.endswith(":" + cache)
                 and v.split(":")[0] in (doc.get("volumes") or {})]
        report.check(bool(named), f"{name}: model cache MODEL_CACHE_DIR={cache} on a named volume")
        report.check(env.get("HF_HUB_OFFLINE") == "1" and env.get("TRANSFORMERS_OFFLINE") == "1",
                     f"{name}: offline by default (HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE = 1)")
    nets = doc.get("networks") or {}
    report.check(set(nets) == {NETWORK} and (nets[NETWORK] or {}).get("driver") == "bridge",
                 f"one bridge network ({doc.get('name')}_{NETWORK})")
    gpu = services["worker-gpu"]
    devices = gpu["deploy"]["resources"].get("reservations", {}).get("devices", [])
    report.check(gpu.get("profiles") == ["gpu"] and any(
        d.get("driver") == "nvidia" and "gpu" in d.get("capabilities", []) for d in devices),
        "worker-gpu: profile gpu, NVIDIA device reservation")
    redis_cmd = " ".join(services["redis"].get("command") or [])
    report.check("--appendonly yes" in redis_cmd and "--requirepass" in redis_cmd,
                 "redis: AOF persistence and a password")
    fe_deps = _depends(services["frontend"])
    report.check(fe_deps.get("api", {}).get("restart") is True,
                 "frontend: restarted when the api is recreated (nginx resolves it at start)")


def _depends(svc: dict) -> dict[str, dict]:
    deps = svc.get("depends_on") or {}
    if isinstance(deps, list):
        return {d: {"condition": "service_started"} for d in deps}
    return deps


def _check_literal_secrets(report: Report, name: str, raw_svc: dict) -> None:
    """In the raw file, secret-named values and URL passwords must be `${VAR?…}` references."""
    env = raw_svc.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    bad = []
    for key, value in env.items():
        text = "" if value is None else str(value)
        if SECRET_NAME.search(key) and not re.fullmatch(r"\$\{[A-Z0-9_]+:?\?[^}]*\}", text):
            bad.append(key)
        url_password = re.search(r"://[^:/@\s]*:([^@]*)@", text)
        if url_password and not re.fullmatch(r"\$\{[A-Z0-9_]+:?\?[^}]*\}", url_password.group(1)):
            bad.append(f"{key} (password in URL)")
    required_ref = r"\$\{[A-Z0-9_]+:?\?[^}]*\}"
    command = raw_svc.get("command") or []
    for i, arg in enumerate(command[:-1]):
        if arg == "--requirepass" and not re.fullmatch(required_ref, command[i + 1]):
            bad.append("--requirepass")
    report.check(not bad, f"{name}: no literal or defaulted secret {bad or ''}")


def _validate_schema(report: Report, doc: dict) -> None:
    """The interpolated file against the Compose Specification schema vendored by
    check-jsonschema (the raw file is validated by the check-jsonschema CLI itself)."""
    import importlib.resources

    import jsonschema

    schema_path = importlib.resources.files("check_jsonschema") / "builtin_schemas" / \
        "vendor" / "compose-spec.json"
    schema = json.loads(schema_path.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    problems = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for problem in problems[:10]:
        print(f"       {'/'.join(map(str, problem.absolute_path))}: {problem.message[:200]}")
    report.check(not problems, "interpolated compose file is valid against the Compose schema")


# --- Dockerfiles ---------------------------------------------------------------------------

@dataclass
class Stage:
    """One FROM … AS name section of a Dockerfile."""

    name: str
    base: str
    user: str | None = None
    lines: list[str] = field(default_factory=list)


def parse_dockerfile(path: Path) -> list[Stage]:
    """Stages with their base, last USER and instructions (continuation lines joined)."""
    text = re.sub(r"\\\n", " ", path.read_text())
    stages: list[Stage] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word = line.split(None, 1)[0].upper()
        if word == "FROM":
            parts = line.split()
            parts = [p for p in parts[1:] if not p.startswith("--")]
            base = parts[0]
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else str(len(stages))
            stages.append(Stage(name=name, base=base))
        elif stages:
            stages[-1].lines.append(line)
            if word == "USER":
                stages[-1].user = line.split(None, 1)[1]
    return stages


def effective_user(stages: list[Stage], name: str) -> str:
    """The USER a stage runs as, following FROM <earlier stage> chains (default root)."""
    by_name = {s.name: s for s in stages}
    stage = by_name[name]
    while stage.user is None and stage.base in by_name:
        stage = by_name[stage.base]
    return stage.user or "root"


def check_dockerfiles(report: Report) -> None:
    """Pinned bases, non-root final targets, and compose's build targets exist."""
    doc = load_yaml(COMPOSE.read_text())
    assert isinstance(doc, dict)
    targets: dict[str, set[str]] = {}
    for svc in doc["services"].values():
        build = svc.get("build")
        if isinstance(build, dict):
            targets.setdefault(build["dockerfile"], set()).add(build.get("target", ""))
    for rel, path in DOCKERFILES.items():
        print(f"- {rel}")
        stages = parse_dockerfile(path)
        names = {s.name for s in stages}
        for stage in stages:
            if stage.base in names:
                continue
            ok, why = _image_ok(stage.base)
            report.check(ok, f"stage {stage.name}: base {stage.base} ({why})")
        by_name = {s.name: s for s in stages}
        if "worker-base" in by_name:
            env = " ".join(line for line in by_name["worker-base"].lines
                           if line.upper().startswith("ENV "))
            for setting in ("HF_HUB_OFFLINE=1", "TRANSFORMERS_OFFLINE=1",
                            "PYANNOTE_METRICS_ENABLED=0",
                            "MODEL_CACHE_DIR=/var/cache/mediahub/models"):
                report.check(setting in env, f"worker images set {setting}")
        finals = targets.get(rel, set()) | ({stages[-1].name} if stages else set())
        for target in sorted(t for t in finals if t):
            report.check(target in names, f"compose target {target!r} exists")
            if target in names:
                user = effective_user(stages, target)
                report.check(user.split(":")[0] not in {"root", "0"},
                             f"target {target} runs as {user} (not root)")


# --- build context -------------------------------------------------------------------------

def _dockerignore_rules() -> list[tuple[bool, re.Pattern[str]]]:
    """.dockerignore as (exclude?, regex) in file order; the last matching rule wins."""
    rules = []
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line[1:] if negate else line
        pattern = pattern.strip("/")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex += "(?:.*/)?"
                i += 3
            elif pattern.startswith("**", i):
                regex += ".*"
                i += 2
            elif pattern[i] == "*":
                regex += "[^/]*"
                i += 1
            elif pattern[i] == "?":
                regex += "[^/]"
                i += 1
            elif pattern[i] == "[":
                end = pattern.index("]", i)
                regex += pattern[i:end + 1]
                i = end + 1
            else:
                regex += re.escape(pattern[i])
                i += 1
        # A pattern that matches a directory excludes everything below it, too.
        rules.append((not negate, re.compile(f"^{regex}(?:/.*)?$")))
    return rules


def ignored(rel: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Whether .dockerignore keeps `rel` (a /-separated path) out of the build context."""
    result = False
    for exclude, regex in rules:
        if regex.match(rel):
            result = exclude
    return result


def copy_context(dest: Path) -> None:
    """The build context Docker would send: the repository through .dockerignore."""
    import os

    rules = _dockerignore_rules()
    count = 0
    for top, dirs, files in os.walk(ROOT):
        rel_top = Path(top).relative_to(ROOT).as_posix()
        prefix = "" if rel_top == "." else rel_top + "/"
        # Prune ignored directories (.venv, node_modules, …) instead of walking them.
        dirs[:] = sorted(d for d in dirs if not ignored(prefix + d, rules))
        for name in sorted(files):
            rel = prefix + name
            if ignored(rel, rules):
                continue
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(top) / name, target)
            count += 1
    print(f"build context: {count} files (after .dockerignore) in {dest}")
    for must_not in (".env", "deploy/.env", ".venv", "web/node_modules", "web/dist", ".git"):
        if (dest / must_not).exists():
            raise SystemExit(f"FAIL: {must_not} would be sent to the Docker daemon")


def copy_stage(dockerfile: Path, stage_name: str, context: Path, dest: Path) -> None:
    """Replay STAGE's COPY lines (no --from) from CONTEXT into DEST (DEST = its WORKDIR)."""
    stage = {s.name: s for s in parse_dockerfile(dockerfile)}[stage_name]
    dest.mkdir(parents=True, exist_ok=True)
    for line in stage.lines:
        parts = line.split()
        if parts[0].upper() != "COPY" or any(p.startswith("--from") for p in parts):
            continue
        args = [p for p in parts[1:] if not p.startswith("--")]
        sources, target = args[:-1], args[-1]
        for src in sources:
            path = context / src
            if not path.exists():
                raise SystemExit(f"FAIL: {dockerfile.name} {stage_name}: COPY {src}: "
                                 "not in the build context (.dockerignore?)")
            if target.startswith("/"):
                continue  # outside WORKDIR: only its presence in the context matters
            out = dest / target
            if path.is_dir():
                # Docker copies a directory's contents into the target.
                shutil.copytree(path, out, dirs_exist_ok=True)
            else:
                into_dir = len(sources) > 1 or target.endswith("/")
                final = out / path.name if into_dir else out
                final.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, final)
    print(f"{dockerfile.name} stage {stage_name}: COPY sources replayed into {dest}")


def run_lines(dockerfile: Path, stage_name: str, context: Path | None = None) -> None:
    """Print the stage as a shell script: its ARG defaults and ENV values (each only if not
    already set, so the caller can redirect paths such as /opt/venv), then its RUN commands.
    With CONTEXT, a file the stage COPYs to an absolute path is replaced by its source."""
    import shlex

    stage = {s.name: s for s in parse_dockerfile(dockerfile)}[stage_name]
    copied: dict[str, str] = {}
    for line in stage.lines:
        parts = line.split()
        if parts[0].upper() == "COPY" and not any(p.startswith("--from") for p in parts):
            args = [p for p in parts[1:] if not p.startswith("--")]
            if len(args) == 2 and args[1].startswith("/") and context is not None:
                copied[args[1]] = str(context / args[0])
    print("set -e")
    for line in stage.lines:
        word, _, rest = line.partition(" ")
        word, rest = word.upper(), rest.strip()
        if word in ("ARG", "ENV"):
            for item in shlex.split(rest):
                key, sep, value = item.partition("=")
                if sep:
                    print(f'[ -n "${{{key}+set}}" ] || {key}={shlex.quote(value)}; export {key}')
        elif word == "RUN":
            while rest.startswith("--"):  # --mount=… and other RUN flags
                rest = rest.split(None, 1)[1]
            for target, source in copied.items():
                rest = rest.replace(target, source)
            print(f"echo {shlex.quote('+ RUN ' + ' '.join(rest.split())[:100])} >&2")
            print(f"( {rest} )")


def main(argv: list[str]) -> int:
    """Entry point; see the module docstring."""
    report = Report()
    command = argv[0] if argv else ""
    if command == "compose":
        check_compose(report)
    elif command == "dockerfiles":
        check_dockerfiles(report)
    elif command == "context":
        copy_context(Path(argv[1]))
    elif command == "stage":
        copy_stage(Path(argv[1]), argv[2], Path(argv[3]), Path(argv[4]))
    elif command == "run-lines":
        run_lines(Path(argv[1]), argv[2], Path(argv[3]) if len(argv) > 3 else None)
    else:
        print(__doc__)
        return 2
    if report.failures:
        print(f"{len(report.failures)} check(s) failed:")
        for failure in report.failures:
            print(f"  - {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
