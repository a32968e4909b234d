#!/usr/bin/env python3
"""A stand-in `mc` (MinIO client) for the MinIO stand-in server. Standard library only.

Supports exactly what Mediahub's files use (deploy/minio/init.sh, the compose healthcheck):
    mc alias set NAME URL ACCESS_KEY SECRET_KEY
    mc mb [--ignore-existing|-p] NAME/BUCKET
    mc anonymous set none NAME/BUCKET
    mc admin policy create NAME POLICY FILE
    mc admin policy attach NAME POLICY --user KEY
    mc admin user add NAME KEY SECRET
    mc admin user info NAME KEY
    mc ready NAME
plus `mc ls NAME[/BUCKET]` for a look around. Aliases live in $MC_CONFIG_DIR (or -C DIR, or
~/.mc)/config.json; MC_HOST_<name>=http://KEY:SECRET@host:port works too. Admin calls go to
the stand-in's own admin endpoint (/minio/admin/standin/...), not MinIO's: this client
talks only to the stand-in server.
"""
# ruff: noqa: S314 - XML comes from the stand-in server this alias names

from __future__ import annotations

import http.client
import json
import os
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigv4  # noqa: E402

DEFAULT_ALIASES = {"local": {"url": "http://localhost:9000", "accessKey": "", "secretKey": ""}}


class McError(Exception):
    pass


def config_dir(args: list[str]) -> Path:
    for i, arg in enumerate(args):
        if arg in ("-C", "--config-dir") and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith("--config-dir="):
            return Path(arg.split("=", 1)[1])
    if os.environ.get("MC_CONFIG_DIR"):
        return Path(os.environ["MC_CONFIG_DIR"])
    return Path(os.path.expanduser("~")) / ".mc"


def load_config(cdir: Path) -> dict:
    try:
        return json.loads((cdir / "config.json").read_text("utf-8"))
    except FileNotFoundError:
        return {"version": "10", "aliases": {}}


def save_config(cdir: Path, config: dict) -> None:
    cdir.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = cdir / "config.json.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(config, out, indent=2)
    os.replace(tmp, cdir / "config.json")


def resolve_alias(cdir: Path, name: str) -> dict:
    env = os.environ.get(f"MC_HOST_{name}")
    if env:
        u = urlsplit(env)
        netloc = u.hostname + (f":{u.port}" if u.port else "")
        return {"url": f"{u.scheme}://{netloc}", "accessKey": unquote(u.username or ""),
                "secretKey": unquote(u.password or "")}
    aliases = load_config(cdir).get("aliases", {})
    if name in aliases:
        return aliases[name]
    if name in DEFAULT_ALIASES:
        return DEFAULT_ALIASES[name]
    raise McError(f"Unable to find alias `{name}` (run `mc alias set {name} URL KEY SECRET`).")


def split_target(target: str) -> tuple[str, str]:
    alias, _, rest = target.partition("/")
    return alias, rest.strip("/")


class Client:
    def __init__(self, alias: dict, timeout: float = 15.0) -> None:
        u = urlsplit(alias["url"])
        if u.scheme not in ("http", "https"):
            raise McError(f"unsupported URL {alias['url']}")
        self.scheme, self.host, self.port = u.scheme, u.hostname, u.port
        self.base = u.path.rstrip("/")
        self.netloc = u.netloc.rsplit("@", 1)[-1]
        self.access, self.secret = alias.get("accessKey", ""), alias.get("secretKey", "")
        self.timeout = timeout

    def request(self, method: str, path: str, query: list[tuple[str, str]] | None = None,
                body: bytes = b"", sign: bool = True) -> tuple[int, bytes]:
        query = query or []
        full_path = self.base + path
        headers = {}
        if sign:
            if not self.access:
                raise McError("this alias has no credentials")
            headers = sigv4.sign_headers(method, self.netloc, full_path, query, body,
                                         self.access, self.secret)
            headers.pop("host")
        qs = "&".join(f"{sigv4.aws_quote(k)}={sigv4.aws_quote(v)}" for k, v in query)
        url = sigv4.aws_quote(full_path, safe="/-_.~") + (f"?{qs}" if qs else "")
        cls = http.client.HTTPSConnection if self.scheme == "https" else \
            http.client.HTTPConnection
        conn = cls(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, url, body=body or None, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.read()
        except OSError as exc:
            raise McError(f"Unable to reach {self.scheme}://{self.netloc}: {exc}") from None
        finally:
            conn.close()

    def check(self, status: int, body: bytes, what: str) -> None:
        if status < 300:
            return
        raise McError(f"{what}: {error_text(status, body)}")

    def admin(self, method: str, op: str, query: list[tuple[str, str]],
              body: bytes = b"") -> object:
        status, data = self.request(method, f"/minio/admin/standin/{op}", query, body)
        self.check(status, data, f"admin {op}")
        return json.loads(data or b"{}")


def error_text(status: int, body: bytes) -> str:
    try:
        root = ET.fromstring(body)
        code = root.findtext("Code") or ""
        message = root.findtext("Message") or ""
        return f"{message} ({code}, HTTP {status})"
    except ET.ParseError:
        return f"HTTP {status} {body[:200].decode('utf-8', 'replace')}"


def client_for(cdir: Path, target: str) -> tuple[Client, str]:
    alias, rest = split_target(target)
    return Client(resolve_alias(cdir, alias)), rest


def strip_globals(args: list[str]) -> list[str]:
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in ("-C", "--config-dir"):
            skip = True
            continue
        if arg.startswith("--config-dir=") or arg in (
                "--quiet", "-q", "--no-color", "--disable-pager", "--dp", "--insecure",
                "--json"):
            continue
        out.append(arg)
    return out


def cmd_alias(cdir: Path, args: list[str]) -> None:
    if len(args) >= 1 and args[0] in ("set", "s", "add", "a"):
        rest = [a for a in args[1:] if not a.startswith("--api") and not a.startswith("--path")]
        if len(rest) != 4:
            raise McError("usage: mc alias set NAME URL ACCESS_KEY SECRET_KEY")
        name, url, access, secret = rest
        alias = {"url": url.rstrip("/"), "accessKey": access, "secretKey": secret,
                 "api": "s3v4", "path": "auto"}
        client = Client(alias)
        status, body = client.request("GET", "/minio/admin/standin/whoami")
        if status == 403 and b"admin API needs the root" in body:
            status, body = client.request("GET", "/")  # a non-root key: just check it works
        client.check(status, body, "Unable to initialize new alias from the provided "
                     "credentials")
        config = load_config(cdir)
        config.setdefault("aliases", {})[name] = alias
        save_config(cdir, config)
        print(f"Added `{name}` successfully.")
    elif args and args[0] in ("list", "ls"):
        for name, a in {**DEFAULT_ALIASES, **load_config(cdir).get("aliases", {})}.items():
            print(f"{name}\n  URL       : {a['url']}\n  AccessKey : {a.get('accessKey', '')}\n")
    elif args and args[0] in ("remove", "rm"):
        config = load_config(cdir)
        config.get("aliases", {}).pop(args[1], None)
        save_config(cdir, config)
        print(f"Removed `{args[1]}` successfully.")
    else:
        raise McError("usage: mc alias set|list|remove ...")


def cmd_mb(cdir: Path, args: list[str]) -> None:
    ignore = any(a in ("--ignore-existing", "-p") for a in args)
    targets = [a for a in args if not a.startswith("-")]
    if not targets:
        raise McError("usage: mc mb [--ignore-existing] ALIAS/BUCKET")
    for target in targets:
        client, bucket = client_for(cdir, target)
        if not bucket or "/" in bucket:
            raise McError(f"`{target}` is not ALIAS/BUCKET")
        status, body = client.request("PUT", f"/{bucket}")
        if status == 409 and ignore and (b"BucketAlreadyOwnedByYou" in body
                                         or b"BucketAlreadyExists" in body):
            pass
        else:
            client.check(status, body, f"Unable to make bucket `{target}`")
        print(f"Bucket created successfully `{target}`.")


def cmd_anonymous(cdir: Path, args: list[str]) -> None:
    if len(args) != 3 or args[0] != "set":
        raise McError("usage: mc anonymous set none ALIAS/BUCKET")
    access, target = args[1], args[2]
    client, bucket = client_for(cdir, target)
    if access not in ("none", "private"):
        raise McError(f"the MinIO stand-in keeps buckets private; `{access}` is not supported")
    client.admin("PUT", "anonymous", [("access", "none"), ("bucket", bucket)])
    print(f"Access permission for `{target}` is set to `private`")


def cmd_admin(cdir: Path, args: list[str]) -> None:
    if len(args) < 2:
        raise McError("usage: mc admin policy|user ...")
    group, action, rest = args[0], args[1], args[2:]
    if group == "policy" and action in ("create", "add") and len(rest) == 3:
        client, _ = client_for(cdir, rest[0])
        doc = Path(rest[2]).read_bytes()
        try:
            json.loads(doc)
        except ValueError as exc:
            raise McError(f"policy file {rest[2]} is not JSON: {exc}") from None
        client.admin("PUT", "policy", [("name", rest[1])], doc)
        print(f"Created policy `{rest[1]}` successfully.")
    elif group == "policy" and action == "info" and len(rest) == 2:
        client, _ = client_for(cdir, rest[0])
        print(json.dumps(client.admin("GET", "policy", [("name", rest[1])]), indent=1))
    elif group == "policy" and action in ("attach", "detach"):
        user = None
        positional = []
        it = iter(rest)
        for arg in it:
            if arg in ("--user", "-u"):
                user = next(it, None)
            elif arg.startswith("--user="):
                user = arg.split("=", 1)[1]
            else:
                positional.append(arg)
        if user is None or len(positional) < 2:
            raise McError(f"usage: mc admin policy {action} ALIAS POLICY --user KEY "
                          "(groups are not supported by the stand-in)")
        client, _ = client_for(cdir, positional[0])
        for policy in positional[1:]:
            client.admin("POST", action, [("policy", policy), ("user", user)])
        verb = "Attached" if action == "attach" else "Detached"
        where = "To" if action == "attach" else "From"
        print(f"{verb} Policies: [{' '.join(positional[1:])}]\n{where} User: {user}")
    elif group == "user" and action == "add" and len(rest) == 3:
        client, _ = client_for(cdir, rest[0])
        client.admin("PUT", "user", [("accessKey", rest[1])],
                     json.dumps({"secretKey": rest[2]}).encode())
        print(f"Added user `{rest[1]}` successfully.")
    elif group == "user" and action == "info" and len(rest) == 2:
        client, _ = client_for(cdir, rest[0])
        info = client.admin("GET", "user", [("accessKey", rest[1])])
        print(f"AccessKey: {info['accessKey']}\nStatus: {info['status']}\n"
              f"PolicyName: {','.join(info['policies'])}\nMemberOf: []")
    elif group == "user" and action in ("remove", "rm") and len(rest) == 2:
        client, _ = client_for(cdir, rest[0])
        client.admin("DELETE", "user", [("accessKey", rest[1])])
        print(f"Removed user `{rest[1]}` successfully.")
    else:
        raise McError(f"mc admin {' '.join(args[:2])}: not supported by the MinIO stand-in")


def cmd_ready(cdir: Path, args: list[str]) -> int:
    names = [a for a in args if not a.startswith("-")]
    if len(names) != 1:
        raise McError("usage: mc ready ALIAS")
    client = Client(resolve_alias(cdir, names[0]), timeout=3.0)
    try:
        status, _ = client.request("GET", "/minio/health/ready", sign=False)
    except McError as exc:
        print(f"The cluster is unreachable: {exc}", file=sys.stderr)
        return 1
    if status == 200:
        print(f"The cluster '{names[0]}' is ready")
        return 0
    print(f"The cluster '{names[0]}' is not ready (HTTP {status})", file=sys.stderr)
    return 1


def cmd_ls(cdir: Path, args: list[str]) -> None:
    targets = [a for a in args if not a.startswith("-")]
    client, rest = client_for(cdir, targets[0] if targets else "")
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        status, body = client.request("GET", "/")
        client.check(status, body, "list buckets")
        for b in ET.fromstring(body).iter("{http://s3.amazonaws.com/doc/2006-03-01/}Name"):
            print(f"{b.text}/")
        return
    token = None
    while True:
        query = [("list-type", "2"), ("delimiter", "/"), ("prefix", prefix + "/" if prefix else "")]
        if token:
            query.append(("continuation-token", token))
        status, body = client.request("GET", f"/{bucket}", query)
        client.check(status, body, f"list {bucket}")
        root = ET.fromstring(body)
        ns = "{http://s3.amazonaws.com/doc/2006-03-01/}"
        for p in root.iter(f"{ns}CommonPrefixes"):
            print(f"{'0B':>10} {p.findtext(f'{ns}Prefix')}")
        for c in root.iter(f"{ns}Contents"):
            print(f"{c.findtext(f'{ns}Size') + 'B':>10} {c.findtext(f'{ns}Key')}")
        token = root.findtext(f"{ns}NextContinuationToken")
        if not token:
            break


def main(argv: list[str]) -> int:
    cdir = config_dir(argv)
    args = strip_globals(argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    if args[0] in ("--version", "-v", "version"):
        print("mc version RELEASE.2025-08-13T08-35-41Z-mediahub-standin")
        return 0
    command, rest = args[0], args[1:]
    try:
        if command == "alias":
            cmd_alias(cdir, rest)
        elif command == "mb":
            cmd_mb(cdir, rest)
        elif command == "anonymous":
            cmd_anonymous(cdir, rest)
        elif command == "admin":
            cmd_admin(cdir, rest)
        elif command == "ready":
            return cmd_ready(cdir, rest)
        elif command == "ls":
            cmd_ls(cdir, rest)
        else:
            raise McError(f"`{command}` is not supported by the MinIO stand-in's mc")
    except McError as exc:
        print(f"mc: <ERROR> {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
