#!/usr/bin/env python3
"""A MinIO stand-in: the small part of MinIO's S3 API that Mediahub uses, on local disk.

    minio server /data [--address :9000] [--console-address :9001]

Standard library only. What it honours and what it does not: README.md beside this file.

On-disk layout under the data directory (its own format, not MinIO's):
    <bucket>/                               one directory per bucket
    <bucket>/<h2>/<h>.json                  object metadata, h = sha256(key); the commit point
    <bucket>/<h2>/<h>.<token>.data          object bytes (named in the metadata)
    .minio.sys-standin/iam.json             users and policies (mode 0600)
    .minio.sys-standin/multipart/<bucket>/<upload id>/   pending multipart uploads
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import email.utils
import errno
import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import socket
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote
from xml.etree import ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigv4  # noqa: E402

VERSION = "RELEASE.2025-09-07T16-13-09Z-mediahub-standin"
SYS_DIR = ".minio.sys-standin"
S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
MIN_PART_SIZE = 5 * 1024 * 1024
MAX_PART_SIZE = 5 * 1024**3
MAX_PUT_SIZE = 5 * 1024**3
MAX_PARTS = 10000
MAX_KEY_BYTES = 1024
MAX_SKEW_SECONDS = 15 * 60
MAX_PRESIGN_SECONDS = 7 * 24 * 3600
IO_CHUNK = 1024 * 1024
DRAIN_LIMIT = 8 * 1024 * 1024  # unread request bodies up to this size are drained, not cut
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")

BUILTIN_POLICIES = {
    "readwrite": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:*"], "Resource": ["arn:aws:s3:::*"]}]},
    "readonly": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:GetObject"],
         "Resource": ["arn:aws:s3:::*"]}]},
    "writeonly": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ["arn:aws:s3:::*"]}]},
}


def log(message: str) -> None:
    sys.stderr.write(f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ} {message}\n")
    sys.stderr.flush()


class S3Error(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def not_found_key() -> S3Error:
    return S3Error(404, "NoSuchKey", "The specified key does not exist.")


def no_bucket() -> S3Error:
    return S3Error(404, "NoSuchBucket", "The specified bucket does not exist")


def denied(message: str = "Access Denied.") -> S3Error:
    return S3Error(403, "AccessDenied", message)


def iso8601(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{int(ts * 1000) % 1000:03d}Z"


def http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomic(path: Path, data: object, mode: int = 0o644) -> None:
    tmp = path.with_name(f"{path.name}.tmp-{secrets.token_hex(6)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def parse_duration(text: str | None, default: float) -> float:
    if not text:
        return default
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not m:
        return default
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


# --------------------------------------------------------------------------- policies

def _listify(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _glob(pattern: str, text: str, fold: bool = False) -> bool:
    if fold:
        pattern, text = pattern.lower(), text.lower()
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.S) is not None


def validate_policy(doc: object) -> None:
    if not isinstance(doc, dict):
        raise ValueError("policy must be a JSON object")
    statements = _listify(doc.get("Statement"))
    if not statements:
        raise ValueError("policy has no Statement")
    for st in statements:
        if not isinstance(st, dict) or st.get("Effect") not in ("Allow", "Deny"):
            raise ValueError("each statement needs Effect Allow or Deny")
        if not (st.get("Action") or st.get("NotAction")):
            raise ValueError("each statement needs Action")
        if not (st.get("Resource") or st.get("NotResource")):
            raise ValueError("each statement needs Resource")


def policy_allows(docs: list[dict], action: str, resource: str) -> bool:
    """IAM evaluation of Action/Resource; an explicit Deny wins. Anything this stand-in does
    not evaluate (Condition, NotAction, NotResource) makes an Allow not apply and a Deny
    apply: it fails closed."""
    allowed = False
    for doc in docs:
        for st in _listify(doc.get("Statement")):
            deny = st.get("Effect") == "Deny"
            unsupported = any(k in st for k in ("Condition", "NotAction", "NotResource"))
            if unsupported:
                if deny:
                    return False
                continue
            if not any(_glob(a, action, fold=True) for a in _listify(st.get("Action"))):
                continue
            if not any(_glob(r, resource) for r in _listify(st.get("Resource"))):
                continue
            if deny:
                return False
            allowed = True
    return allowed


# --------------------------------------------------------------------------- storage

class Store:
    """Buckets and objects on disk plus an in-memory sorted key index per bucket."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sys = root / SYS_DIR
        self.tmp = self.sys / "tmp"
        self.uploads = self.sys / "multipart"
        self.lock = threading.RLock()
        self.keys: dict[str, list[str]] = {}
        self.meta: dict[str, dict[str, tuple[int, str, float]]] = {}
        for d in (self.sys, self.tmp, self.uploads):
            d.mkdir(parents=True, exist_ok=True)
        for leftover in self.tmp.iterdir():
            with contextlib.suppress(OSError):
                leftover.unlink()
        self._load()

    def _load(self) -> None:
        started = time.monotonic()
        count = 0
        for bucket_dir in sorted(self.root.iterdir()):
            if not bucket_dir.is_dir() or not BUCKET_NAME.match(bucket_dir.name):
                continue
            keys, meta = [], {}
            for sub in bucket_dir.iterdir():
                if not sub.is_dir():
                    continue
                referenced = set()
                for path in sub.glob("*.json"):
                    try:
                        m = json.loads(path.read_text("utf-8"))
                    except (OSError, ValueError):
                        log(f"warning: unreadable metadata {path}, skipped")
                        continue
                    keys.append(m["key"])
                    meta[m["key"]] = (m["size"], m["etag"], m["mtime"])
                    referenced.add(m["data"])
                for path in sub.iterdir():
                    name = path.name
                    if (name.endswith(".data") and name not in referenced) or ".tmp-" in name:
                        with contextlib.suppress(OSError):
                            path.unlink()  # an upload or overwrite cut short by a crash
            keys.sort()
            self.keys[bucket_dir.name], self.meta[bucket_dir.name] = keys, meta
            count += len(keys)
        log(f"loaded {len(self.keys)} buckets, {count} objects "
            f"in {time.monotonic() - started:.2f}s")

    # -- buckets
    def bucket_exists(self, bucket: str) -> bool:
        return bucket in self.keys

    def require_bucket(self, bucket: str) -> None:
        if bucket not in self.keys:
            raise no_bucket()

    def create_bucket(self, bucket: str) -> None:
        if not BUCKET_NAME.match(bucket) or ".." in bucket or bucket == "minio":
            raise S3Error(400, "InvalidBucketName", "The specified bucket is not valid.")
        with self.lock:
            if bucket in self.keys:
                raise S3Error(409, "BucketAlreadyOwnedByYou",
                              "Your previous request to create the named bucket succeeded "
                              "and you already own it.")
            (self.root / bucket).mkdir(exist_ok=True)
            fsync_dir(self.root)
            self.keys[bucket], self.meta[bucket] = [], {}

    def delete_bucket(self, bucket: str) -> None:
        with self.lock:
            self.require_bucket(bucket)
            if self.keys[bucket]:
                raise S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty")
            bucket_dir = self.root / bucket
            for sub in bucket_dir.iterdir():
                for path in sub.iterdir():
                    path.unlink()
                sub.rmdir()
            bucket_dir.rmdir()
            upload_dir = self.uploads / bucket
            if upload_dir.is_dir():
                for up in upload_dir.iterdir():
                    self._remove_upload_dir(up)
                upload_dir.rmdir()
            del self.keys[bucket], self.meta[bucket]

    def bucket_created(self, bucket: str) -> float:
        return (self.root / bucket).stat().st_mtime

    # -- objects
    def _paths(self, bucket: str, key: str) -> tuple[Path, str]:
        h = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.root / bucket / h[:2], h

    def read_meta(self, bucket: str, key: str) -> dict:
        self.require_bucket(bucket)
        sub, h = self._paths(bucket, key)
        try:
            return json.loads((sub / f"{h}.json").read_text("utf-8"))
        except FileNotFoundError:
            raise not_found_key() from None

    def open_object(self, bucket: str, key: str) -> tuple[dict, object]:
        for _ in range(3):  # an overwrite may remove the old bytes between the two reads
            meta = self.read_meta(bucket, key)
            sub, _h = self._paths(bucket, key)
            try:
                return meta, open(sub / meta["data"], "rb")
            except FileNotFoundError:
                continue
        raise not_found_key()

    def new_data_file(self, bucket: str, key: str) -> tuple[Path, str]:
        sub, h = self._paths(bucket, key)
        sub.mkdir(exist_ok=True)
        name = f"{h}.{secrets.token_hex(8)}.data"
        return sub / name, name

    def commit(self, bucket: str, key: str, data_name: str, meta: dict) -> None:
        """Make `data_name` (already written and fsynced) the object's bytes."""
        sub, h = self._paths(bucket, key)
        meta = {**meta, "key": key, "data": data_name}
        with self.lock:
            if bucket not in self.keys:  # deleted meanwhile
                with contextlib.suppress(FileNotFoundError):
                    (sub / data_name).unlink()
                raise no_bucket()
            old = None
            with contextlib.suppress(FileNotFoundError, ValueError):
                old = json.loads((sub / f"{h}.json").read_text("utf-8"))["data"]
            write_json_atomic(sub / f"{h}.json", meta)
            if old and old != data_name:
                with contextlib.suppress(FileNotFoundError):
                    (sub / old).unlink()
            keys = self.keys[bucket]
            if key not in self.meta[bucket]:
                bisect.insort(keys, key)
            self.meta[bucket][key] = (meta["size"], meta["etag"], meta["mtime"])

    def delete_object(self, bucket: str, key: str) -> None:
        sub, h = self._paths(bucket, key)
        with self.lock:
            self.require_bucket(bucket)
            try:
                data = json.loads((sub / f"{h}.json").read_text("utf-8"))["data"]
            except FileNotFoundError:
                return
            (sub / f"{h}.json").unlink()
            with contextlib.suppress(FileNotFoundError):
                (sub / data).unlink()
            fsync_dir(sub)
            if self.meta[bucket].pop(key, None) is not None:
                keys = self.keys[bucket]
                i = bisect.bisect_left(keys, key)
                if i < len(keys) and keys[i] == key:
                    del keys[i]

    def list(self, bucket: str, prefix: str, delimiter: str, after: str | None,
             skip_prefix: str | None, limit: int) -> tuple[list, list, bool, str | None, bool]:
        """Keys and common prefixes after `after`; returns (objects, prefixes, truncated,
        last entry, last entry is a prefix)."""
        with self.lock:
            self.require_bucket(bucket)
            keys, meta = self.keys[bucket], self.meta[bucket]
            start = prefix if after is None or after < prefix else after
            i = bisect.bisect_left(keys, start)
            if after is not None and i < len(keys) and keys[i] == after:
                i += 1
            objects, prefixes, entries = [], [], 0
            last, last_is_prefix, truncated = None, False, False
            while i < len(keys):
                key = keys[i]
                if not key.startswith(prefix):
                    break
                if skip_prefix and key.startswith(skip_prefix):
                    i += 1
                    continue
                rest = key[len(prefix):]
                cp = None
                if delimiter and delimiter in rest:
                    cp = prefix + rest[: rest.index(delimiter) + len(delimiter)]
                if entries >= limit:
                    truncated = True
                    break
                entries += 1
                if cp is not None:
                    prefixes.append(cp)
                    last, last_is_prefix = cp, True
                    i = bisect.bisect_left(keys, cp + "\U0010ffff", i)
                    while i < len(keys) and keys[i].startswith(cp):
                        i += 1
                else:
                    size, etag, mtime = meta[key]
                    objects.append((key, size, etag, mtime))
                    last, last_is_prefix = key, False
                    i += 1
            return objects, prefixes, truncated, last, last_is_prefix

    # -- multipart
    def upload_dir(self, bucket: str, upload_id: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{32}", upload_id or ""):
            raise S3Error(404, "NoSuchUpload", "The specified multipart upload does not exist.")
        return self.uploads / bucket / upload_id

    def load_upload(self, bucket: str, key: str, upload_id: str) -> tuple[Path, dict]:
        self.require_bucket(bucket)
        d = self.upload_dir(bucket, upload_id)
        try:
            info = json.loads((d / "upload.json").read_text("utf-8"))
        except FileNotFoundError:
            raise S3Error(404, "NoSuchUpload",
                          "The specified multipart upload does not exist.") from None
        if info["key"] != key:
            raise S3Error(404, "NoSuchUpload", "The specified multipart upload does not exist.")
        return d, info

    def _remove_upload_dir(self, d: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            (d / "upload.json").unlink()  # first: the upload is gone from now on
        with contextlib.suppress(OSError):
            for path in d.iterdir():
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            d.rmdir()  # a part still being written empties it later (upload_part)

    def list_uploads(self, bucket: str, prefix: str) -> list[dict]:
        self.require_bucket(bucket)
        out = []
        d = self.uploads / bucket
        if d.is_dir():
            for up in d.iterdir():
                with contextlib.suppress(OSError, ValueError):
                    info = json.loads((up / "upload.json").read_text("utf-8"))
                    if info["key"].startswith(prefix):
                        out.append({**info, "id": up.name})
        return sorted(out, key=lambda u: (u["key"], u["initiated"]))

    def expire_uploads(self, older_than: float) -> int:
        removed = 0
        cutoff = time.time() - older_than
        for bucket_dir in list(self.uploads.iterdir()):
            for up in list(bucket_dir.iterdir()):
                try:
                    info = json.loads((up / "upload.json").read_text("utf-8"))
                    stale = info["initiated"] < cutoff
                except (OSError, ValueError, KeyError):
                    stale = up.stat().st_mtime < cutoff
                if stale:
                    self._remove_upload_dir(up)
                    removed += 1
        return removed


# --------------------------------------------------------------------------- IAM

class IAM:
    def __init__(self, store: Store, root_user: str, root_password: str) -> None:
        self.path = store.sys / "iam.json"
        self.root_user, self.root_password = root_user, root_password
        self.lock = threading.Lock()
        try:
            self.data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            self.data = {"users": {}, "policies": {}}

    def _save(self) -> None:
        write_json_atomic(self.path, self.data, mode=0o600)

    def secret_for(self, access_key: str) -> str | None:
        if access_key == self.root_user:
            return self.root_password
        user = self.data["users"].get(access_key)
        if user and user.get("status", "enabled") == "enabled":
            return user["secretKey"]
        return None

    def policy_docs(self, access_key: str) -> list[dict]:
        user = self.data["users"].get(access_key) or {}
        docs = []
        for name in user.get("policies", []):
            doc = self.data["policies"].get(name) or BUILTIN_POLICIES.get(name)
            if doc:
                docs.append(doc)
        return docs

    def allowed(self, access_key: str, action: str, resource: str) -> bool:
        if access_key == self.root_user:
            return True
        return policy_allows(self.policy_docs(access_key), action, resource)

    def set_policy(self, name: str, doc: object) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.+=,@-]{1,128}", name or ""):
            raise S3Error(400, "XMinioAdminInvalidArgument", "invalid policy name")
        try:
            validate_policy(doc)
        except ValueError as exc:
            raise S3Error(400, "XMinioMalformedIAMPolicy", str(exc)) from None
        with self.lock:
            self.data["policies"][name] = doc
            self._save()

    def add_user(self, access_key: str, secret_key: str) -> None:
        if len(access_key) < 3 or not re.fullmatch(r"[^\s=,/:]+", access_key):
            raise S3Error(400, "XMinioAdminInvalidAccessKey", "access key must be 3+ characters "
                          "without spaces, '=', ',', '/' or ':'")
        if len(secret_key) < 8:
            raise S3Error(400, "XMinioAdminInvalidSecretKey",
                          "secret key must be at least 8 characters")
        if access_key == self.root_user:
            raise S3Error(400, "XMinioAdminInvalidArgument", "cannot add the root user")
        with self.lock:
            user = self.data["users"].setdefault(access_key, {"policies": []})
            user["secretKey"], user["status"] = secret_key, "enabled"
            self._save()

    def user_info(self, access_key: str) -> dict:
        user = self.data["users"].get(access_key)
        if user is None:
            raise S3Error(404, "XMinioAdminNoSuchUser", f"The specified user does not exist: "
                          f"{access_key}")
        return {"accessKey": access_key, "status": user.get("status", "enabled"),
                "policies": list(user.get("policies", [])), "memberOf": []}

    def attach(self, policy: str, access_key: str) -> None:
        if policy not in self.data["policies"] and policy not in BUILTIN_POLICIES:
            raise S3Error(404, "XMinioAdminNoSuchPolicy",
                          f"The canned policy does not exist: {policy}")
        with self.lock:
            user = self.data["users"].get(access_key)
            if user is None:
                raise S3Error(404, "XMinioAdminNoSuchUser",
                              f"The specified user does not exist: {access_key}")
            if policy not in user["policies"]:
                user["policies"].append(policy)
                self._save()

    def detach(self, policy: str, access_key: str) -> None:
        with self.lock:
            user = self.data["users"].get(access_key)
            if user is None:
                raise S3Error(404, "XMinioAdminNoSuchUser",
                              f"The specified user does not exist: {access_key}")
            if policy in user["policies"]:
                user["policies"].remove(policy)
                self._save()

    def remove_user(self, access_key: str) -> None:
        with self.lock:
            if self.data["users"].pop(access_key, None) is not None:
                self._save()


# --------------------------------------------------------------------------- HTTP

def xml_response(root_tag: str, children: list) -> bytes:
    root = ET.Element(root_tag, xmlns=S3_NS)

    def add(parent, items):
        for name, value in items:
            el = ET.SubElement(parent, name)
            if isinstance(value, list):
                add(el, value)
            elif value is not None:
                el.text = str(value)

    add(root, children)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MinIO-standin"
    sys_version = ""
    timeout = 300  # idle seconds before a kept-alive or stalled connection is dropped
    store: Store
    iam: IAM
    log_requests = False

    # ---- plumbing
    def log_message(self, fmt: str, *args) -> None:
        if self.log_requests:
            log(f"{self.client_address[0]} {fmt % args}")

    def do_GET(self):
        self.dispatch()

    do_PUT = do_POST = do_DELETE = do_HEAD = do_GET

    def dispatch(self) -> None:
        self.request_id = uuid.uuid4().hex[:16].upper()
        self.body_left = 0
        self.sent = False
        try:
            raw_path, _, raw_query = self.path.partition("?")
            if raw_path.startswith(("http://", "https://")):
                raw_path = "/" + raw_path.split("/", 3)[3] if raw_path.count("/") >= 3 else "/"
            self.raw_path, self.raw_query = raw_path, raw_query
            self.query_pairs = sigv4.split_query(raw_query)
            self.query = {k: v for k, v in self.query_pairs}
            self.body_left = self._declared_length()
            path = unquote(raw_path)
            if path.startswith("/minio/health/"):
                return self.health(path)
            if path.startswith("/minio/admin/standin/"):
                return self.admin(path[len("/minio/admin/standin/"):])
            self.s3(path)
        except S3Error as exc:
            if exc.status >= 500:
                log(f"error {self.command} {self.path}: {exc.code} {exc.message}")
            self.send_error_xml(exc)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
        except OSError as exc:
            code = exc.errno
            if code in (errno.ENOSPC, errno.EDQUOT):
                self.send_error_xml(S3Error(507, "XMinioStorageFull",
                                            "Storage backend has reached its minimum free "
                                            "drive threshold. Please delete a few objects to "
                                            "proceed."))
            else:
                log(f"error {self.command} {self.path}: {exc!r}")
                self.send_error_xml(S3Error(500, "InternalError", "We encountered an internal "
                                            "error, please try again."))
        except Exception as exc:  # noqa: BLE001 - one request must not kill the server
            log(f"error {self.command} {self.path}: {exc!r}")
            self.send_error_xml(S3Error(500, "InternalError",
                                        "We encountered an internal error, please try again."))
        finally:
            self.finish_body()

    def _declared_length(self) -> int:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return -1
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise S3Error(400, "MissingContentLength", "bad Content-Length") from None
        if n < 0:
            raise S3Error(400, "MissingContentLength", "bad Content-Length")
        return n

    def finish_body(self) -> None:
        """Keep the connection usable: drain a small unread body, else close the connection."""
        if self.body_left == 0:
            return
        if 0 < self.body_left <= DRAIN_LIMIT and not self.close_connection:
            try:
                while self.body_left > 0:
                    data = self.rfile.read(min(IO_CHUNK, self.body_left))
                    if not data:
                        break
                    self.body_left -= len(data)
            except OSError:
                pass
        if self.body_left != 0:
            self.close_connection = True

    def raw_chunks(self):
        """The request body as it came (Content-Length or HTTP chunked)."""
        if self.body_left >= 0:
            while self.body_left > 0:
                data = self.rfile.read(min(IO_CHUNK, self.body_left))
                if not data:
                    self.close_connection = True
                    raise S3Error(400, "IncompleteBody", "You did not provide the number of "
                                  "bytes specified by the Content-Length HTTP header.")
                self.body_left -= len(data)
                yield data
            return
        while True:  # HTTP/1.1 chunked transfer coding
            line = self.rfile.readline(1024)
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                    pass
                self.body_left = 0
                return
            left = size
            while left:
                data = self.rfile.read(min(IO_CHUNK, left))
                if not data:
                    self.close_connection = True
                    raise S3Error(400, "IncompleteBody", "truncated chunked body")
                left -= len(data)
                yield data
            self.rfile.readline(16)

    def body_chunks(self):
        """The decoded payload: aws-chunked is unwrapped (chunk signatures checked) and a
        declared x-amz-content-sha256 / Content-MD5 is verified at the end."""
        mode = self.auth.get("payload", sigv4.UNSIGNED)
        md5 = hashlib.md5(usedforsecurity=False)
        want_md5 = self.headers.get("Content-MD5")
        if mode.startswith("STREAMING-"):
            source = self._aws_chunked(mode)
            hasher = None
        else:
            source = self.raw_chunks()
            hasher = hashlib.sha256() if re.fullmatch(r"[0-9a-f]{64}", mode) else None
        for chunk in source:
            if hasher:
                hasher.update(chunk)
            if want_md5:
                md5.update(chunk)
            yield chunk
        if hasher and hasher.hexdigest() != mode:
            raise S3Error(400, "XAmzContentSHA256Mismatch", "The provided "
                          "'x-amz-content-sha256' header does not match what was computed.")
        if want_md5 and base64.b64encode(md5.digest()).decode() != want_md5.strip():
            raise S3Error(400, "BadDigest", "The Content-Md5 you specified did not match "
                          "what we received.")

    def _aws_chunked(self, mode: str):
        signed = mode.startswith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
        buf = bytearray()
        raw = self.raw_chunks()

        def need(n: int) -> None:
            while len(buf) < n:
                try:
                    buf.extend(next(raw))
                except StopIteration:
                    raise S3Error(400, "IncompleteBody", "truncated aws-chunked body") from None

        def readline() -> bytes:
            while b"\r\n" not in buf:
                if len(buf) > 8192:
                    raise S3Error(400, "InvalidRequest", "bad aws-chunked framing")
                need(len(buf) + 1)
            i = buf.index(b"\r\n")
            line = bytes(buf[:i])
            del buf[: i + 2]
            return line

        prev = self.auth.get("signature", "")
        while True:
            header = readline().decode("ascii", "replace")
            size_text, _, ext = header.partition(";")
            size = int(size_text.strip(), 16)
            if size > 64 * 1024 * 1024:
                raise S3Error(400, "InvalidRequest", "aws-chunked chunk too large")
            need(size)
            data = bytes(buf[:size])
            del buf[:size]
            if signed:
                sent = ext.partition("chunk-signature=")[2].strip()
                text = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", self.auth["amz_date"],
                                  self.auth["scope"], prev, sigv4.EMPTY_SHA256,
                                  hashlib.sha256(data).hexdigest()])
                good = sigv4.signature(self.auth["key"], text)
                if not hmac.compare_digest(good, sent):
                    raise S3Error(403, "SignatureDoesNotMatch", "chunk signature mismatch")
                prev = good
            if size == 0:
                while readline():  # trailers (checksums); the chunk signatures covered the data
                    pass
                for _ in raw:
                    pass
                return
            readline()  # CRLF after the chunk data
            yield data

    def read_small_body(self, limit: int = 4 * 1024 * 1024) -> bytes:
        out = bytearray()
        for chunk in self.body_chunks():
            out.extend(chunk)
            if len(out) > limit:
                raise S3Error(400, "MaxMessageLengthExceeded", "request body is too large")
        return bytes(out)

    def send(self, status: int, body: bytes = b"", headers: dict | None = None,
             content_type: str | None = "application/xml") -> None:
        self.send_response(status)
        self.send_header("x-amz-request-id", getattr(self, "request_id", "0"))
        self.send_header("Accept-Ranges", "bytes")
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        if self.body_left != 0 and not (0 < self.body_left <= DRAIN_LIMIT):
            self.close_connection = True
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.sent = True
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def send_error_xml(self, exc: S3Error) -> None:
        if getattr(self, "sent", False):
            self.close_connection = True
            return
        resource = getattr(self, "raw_path", "/")
        body = b""
        if self.command != "HEAD":
            body = xml_response("Error", [
                ("Code", exc.code), ("Message", exc.message), ("Resource", unquote(resource)),
                ("RequestId", getattr(self, "request_id", "0"))])
            # The xmlns on <Error> is not what S3 sends; strip it.
            body = body.replace(f' xmlns="{S3_NS}"'.encode(), b"", 1)
        try:
            self.send(exc.status, body, exc.headers)
        except OSError:
            self.close_connection = True

    # ---- authentication
    def authenticate(self) -> str:
        """Check SigV4 (header or presigned query); return the access key. Fills self.auth."""
        self.auth = {}
        header = self.headers.get("Authorization")
        q = self.query
        if header is None and "X-Amz-Signature" not in q:
            if "Signature" in q or "AWSAccessKeyId" in q:
                raise S3Error(400, "InvalidRequest", "Signature Version 2 is not supported; "
                              "use AWS4-HMAC-SHA256.")
            raise denied("Access Denied. (anonymous requests are not allowed)")
        if header is not None:
            if not header.startswith(sigv4.ALGORITHM + " "):
                raise S3Error(400, "InvalidRequest", "Only AWS4-HMAC-SHA256 signatures are "
                              "supported.")
            fields = {}
            for part in header[len(sigv4.ALGORITHM) + 1:].split(","):
                name, _, value = part.strip().partition("=")
                fields[name] = value
            credential = fields.get("Credential", "")
            signed_headers = fields.get("SignedHeaders", "")
            sent_sig = fields.get("Signature", "")
            amz_date = self.headers.get("x-amz-date") or ""
            if not amz_date and self.headers.get("Date"):
                with contextlib.suppress(TypeError, ValueError):
                    amz_date = email.utils.parsedate_to_datetime(
                        self.headers["Date"]).strftime("%Y%m%dT%H%M%SZ")
            payload = self.headers.get("x-amz-content-sha256")
            if payload is None:
                if self.body_left:
                    raise S3Error(400, "MissingSecurityHeader",
                                  "Your request was missing a required header: "
                                  "x-amz-content-sha256")
                payload = sigv4.EMPTY_SHA256
            query_for_sig = self.query_pairs
            expires = None
        else:
            credential = q.get("X-Amz-Credential", "")
            signed_headers = q.get("X-Amz-SignedHeaders", "")
            sent_sig = q.get("X-Amz-Signature", "")
            amz_date = q.get("X-Amz-Date", "")
            if q.get("X-Amz-Algorithm") != sigv4.ALGORITHM:
                raise S3Error(400, "AuthorizationQueryParametersError",
                              "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
            try:
                expires = int(q.get("X-Amz-Expires", ""))
            except ValueError:
                raise S3Error(400, "AuthorizationQueryParametersError",
                              "X-Amz-Expires should be a number") from None
            if not 0 < expires <= MAX_PRESIGN_SECONDS:
                raise S3Error(400, "AuthorizationQueryParametersError",
                              "X-Amz-Expires must be between 1 second and 7 days")
            payload = q.get("X-Amz-Content-Sha256", sigv4.UNSIGNED)
            query_for_sig = [(k, v) for k, v in self.query_pairs if k != "X-Amz-Signature"]
        cred = credential.split("/")
        if len(cred) < 5 or cred[-1] != "aws4_request":
            raise S3Error(400, "AuthorizationHeaderMalformed", "malformed Credential")
        access_key = "/".join(cred[:-4])
        date, region, service = cred[-4], cred[-3], cred[-2]
        secret = self.iam.secret_for(access_key)
        if secret is None:
            raise S3Error(403, "InvalidAccessKeyId", "The Access Key Id you provided does not "
                          "exist in our records.")
        try:
            when = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp()
        except ValueError:
            raise denied("AWS authentication requires a valid Date or x-amz-date header") \
                from None
        now = time.time()
        if expires is None:
            if abs(now - when) > MAX_SKEW_SECONDS:
                raise S3Error(403, "RequestTimeTooSkewed", "The difference between the request "
                              "time and the server's time is too large.")
        else:
            if when - now > MAX_SKEW_SECONDS:
                raise S3Error(403, "AccessDenied", "Request is not valid yet")
            if now > when + expires:
                raise S3Error(403, "AccessDenied", "Request has expired")
        if date != amz_date[:8]:
            raise S3Error(403, "SignatureDoesNotMatch", "credential date does not match")
        names = [n for n in signed_headers.lower().split(";") if n]
        if "host" not in names:
            raise S3Error(403, "SignatureDoesNotMatch", "host must be a signed header")
        canon_headers = ""
        for name in names:
            values = self.headers.get_all(name) or []
            if name == "content-length" and not values:
                values = ["0"]
            canon_headers += f"{name}:{sigv4.canonical_header_value(values)}\n"
        scope = f"{date}/{region}/{service}/aws4_request"
        key = sigv4.signing_key(secret, date, region, service)
        paths = [self.raw_path]
        normal = sigv4.aws_quote(unquote(self.raw_path), safe="/-_.~")
        if normal != self.raw_path:
            paths.append(normal)
        for path in paths:
            canonical = "\n".join([self.command, path, sigv4.canonical_query(query_for_sig),
                                   canon_headers, ";".join(names), payload])
            good = sigv4.signature(key, sigv4.string_to_sign(amz_date, scope, canonical))
            if hmac.compare_digest(good, sent_sig):
                break
        else:
            raise S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated "
                          "does not match the signature you provided. Check your key and "
                          "signing method.")
        self.auth = {"access_key": access_key, "payload": payload, "signature": sent_sig,
                     "amz_date": amz_date, "scope": scope, "key": key}
        return access_key

    def authorize(self, access_key: str, action: str, bucket: str, key: str | None = None):
        resource = f"arn:aws:s3:::{bucket}" + (f"/{key}" if key is not None else "")
        if not self.iam.allowed(access_key, action, resource):
            raise denied()

    # ---- health and admin
    def health(self, path: str) -> None:
        if path in ("/minio/health/live", "/minio/health/ready", "/minio/health/cluster",
                    "/minio/health/cluster/read"):
            ok = path == "/minio/health/live" or os.access(self.store.root, os.W_OK)
            return self.send(200 if ok else 503, content_type=None)
        raise S3Error(404, "NotFound", "no such health endpoint")

    def admin(self, op: str) -> None:
        access_key = self.authenticate()
        if access_key != self.iam.root_user:
            raise denied("admin API needs the root credentials")
        body = self.read_small_body(1024 * 1024)
        q = self.query
        result: object = {"ok": True}
        if op == "whoami" and self.command == "GET":
            result = {"accessKey": access_key, "root": True}
        elif op == "policy" and self.command == "PUT":
            try:
                doc = json.loads(body or b"null")
            except ValueError:
                raise S3Error(400, "XMinioMalformedIAMPolicy", "policy is not JSON") from None
            self.iam.set_policy(q.get("name", ""), doc)
        elif op == "policy" and self.command == "GET":
            name = q.get("name", "")
            doc = self.iam.data["policies"].get(name) or BUILTIN_POLICIES.get(name)
            if doc is None:
                raise S3Error(404, "XMinioAdminNoSuchPolicy",
                              f"The canned policy does not exist: {name}")
            result = doc
        elif op == "user" and self.command == "PUT":
            try:
                secret = json.loads(body)["secretKey"]
            except (ValueError, KeyError, TypeError):
                raise S3Error(400, "XMinioAdminInvalidArgument", "body needs secretKey") \
                    from None
            self.iam.add_user(q.get("accessKey", ""), str(secret))
        elif op == "user" and self.command == "GET":
            result = self.iam.user_info(q.get("accessKey", ""))
        elif op == "user" and self.command == "DELETE":
            self.iam.remove_user(q.get("accessKey", ""))
        elif op in ("attach", "detach") and self.command == "POST":
            fn = self.iam.attach if op == "attach" else self.iam.detach
            fn(q.get("policy", ""), q.get("user", ""))
        elif op == "anonymous" and self.command == "PUT":
            self.store.require_bucket(q.get("bucket", ""))
            if q.get("access") not in ("none", "private"):
                raise S3Error(501, "NotImplemented", "the stand-in supports only private "
                              "buckets (anonymous access 'none')")
        else:
            raise S3Error(400, "XMinioAdminInvalidArgument", f"unknown admin call {op}")
        self.send(200, json.dumps(result).encode(), content_type="application/json")

    # ---- S3
    def s3(self, path: str) -> None:
        access_key = self.authenticate()
        parts = path.lstrip("/").split("/", 1) if path != "/" else [""]
        bucket = parts[0]
        key = parts[1] if len(parts) > 1 else ""
        m, q = self.command, self.query
        if not bucket:
            if m == "GET":
                return self.list_buckets(access_key)
            raise S3Error(405, "MethodNotAllowed", "The specified method is not allowed.")
        if not key:
            return self.bucket_op(access_key, bucket, m, q)
        if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
            raise S3Error(400, "KeyTooLongError", "Your key is too long")
        if "uploadId" in q:
            upload_id = q["uploadId"]
            if m == "PUT" and "partNumber" in q:
                self.authorize(access_key, "s3:PutObject", bucket, key)
                return self.upload_part(bucket, key, upload_id, q["partNumber"])
            if m == "POST":
                self.authorize(access_key, "s3:PutObject", bucket, key)
                return self.complete_upload(bucket, key, upload_id)
            if m == "DELETE":
                self.authorize(access_key, "s3:AbortMultipartUpload", bucket, key)
                return self.abort_upload(bucket, key, upload_id)
            if m == "GET":
                self.authorize(access_key, "s3:ListMultipartUploadParts", bucket, key)
                return self.list_parts(bucket, key, upload_id)
        if m == "POST" and "uploads" in q:
            self.authorize(access_key, "s3:PutObject", bucket, key)
            return self.create_upload(bucket, key)
        if m in ("GET", "HEAD") and not (set(q) & {"acl", "tagging", "attributes", "torrent",
                                                   "retention", "legal-hold"}):
            self.authorize(access_key, "s3:GetObject", bucket, key)
            return self.get_object(bucket, key)
        if m == "PUT" and not (set(q) & {"acl", "tagging", "retention", "legal-hold"}):
            self.authorize(access_key, "s3:PutObject", bucket, key)
            if "x-amz-copy-source" in self.headers:
                raise S3Error(501, "NotImplemented", "CopyObject is not implemented by the "
                              "MinIO stand-in")
            return self.put_object(bucket, key)
        if m == "DELETE" and not q.keys() - {"versionId"}:
            self.authorize(access_key, "s3:DeleteObject", bucket, key)
            self.store.delete_object(bucket, key)
            return self.send(204, content_type=None)
        raise S3Error(501, "NotImplemented", "A header or query you provided requested a "
                      "function that the MinIO stand-in does not implement.")

    def list_buckets(self, access_key: str) -> None:
        items = []
        for b in sorted(self.store.keys):
            if self.iam.allowed(access_key, "s3:ListAllMyBuckets", "arn:aws:s3:::*") or \
                    self.iam.allowed(access_key, "s3:ListBucket", f"arn:aws:s3:::{b}"):
                items.append(("Bucket", [("Name", b),
                                         ("CreationDate", iso8601(self.store.bucket_created(b)))]))
        self.send(200, xml_response("ListAllMyBucketsResult", [
            ("Owner", [("ID", "minio"), ("DisplayName", "minio")]), ("Buckets", items)]))

    def bucket_op(self, access_key: str, bucket: str, m: str, q: dict) -> None:
        sub = set(q) - {"list-type", "prefix", "delimiter", "max-keys", "continuation-token",
                        "start-after", "encoding-type", "fetch-owner", "marker"}
        if m == "PUT" and not sub:
            self.authorize(access_key, "s3:CreateBucket", bucket)
            self.read_small_body()  # optional CreateBucketConfiguration
            self.store.create_bucket(bucket)
            return self.send(200, content_type=None, headers={"Location": f"/{bucket}"})
        if m == "HEAD" and not sub:
            self.authorize(access_key, "s3:ListBucket", bucket)
            self.store.require_bucket(bucket)
            return self.send(200, content_type=None, headers={"x-amz-bucket-region": "us-east-1"})
        if m == "DELETE" and not sub:
            self.authorize(access_key, "s3:DeleteBucket", bucket)
            self.store.delete_bucket(bucket)
            return self.send(204, content_type=None)
        if m == "GET" and sub == {"location"}:
            self.authorize(access_key, "s3:GetBucketLocation", bucket)
            self.store.require_bucket(bucket)
            body = b'<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="' + \
                S3_NS.encode() + b'"></LocationConstraint>'
            return self.send(200, body)
        if m == "GET" and sub == {"uploads"}:
            self.authorize(access_key, "s3:ListBucketMultipartUploads", bucket)
            return self.list_uploads(bucket)
        if m == "GET" and not sub:
            self.authorize(access_key, "s3:ListBucket", bucket)
            return self.list_objects(bucket, v2=q.get("list-type") == "2")
        raise S3Error(501, "NotImplemented", "A header or query you provided requested a "
                      "function that the MinIO stand-in does not implement.")

    def list_objects(self, bucket: str, v2: bool) -> None:
        q = self.query
        prefix, delimiter = q.get("prefix", ""), q.get("delimiter", "")
        try:
            max_keys = max(0, min(1000, int(q.get("max-keys", "1000"))))
        except ValueError:
            raise S3Error(400, "InvalidArgument", "max-keys must be an integer") from None
        url = q.get("encoding-type") == "url"
        enc = (lambda s: quote(s, safe="/")) if url else (lambda s: s)
        after, skip = None, None
        if v2:
            token = q.get("continuation-token")
            if token:
                try:
                    state = json.loads(base64.urlsafe_b64decode(token.encode()))
                    after = state["k"]
                    skip = after if state.get("p") else None
                except (ValueError, KeyError, TypeError):
                    raise S3Error(400, "InvalidArgument",
                                  "The continuation token provided is incorrect") from None
            elif q.get("start-after"):
                after = q["start-after"]
        elif q.get("marker"):
            after = q["marker"]
            if delimiter and after.endswith(delimiter) and after.startswith(prefix):
                skip = after
        objects, prefixes, truncated, last, last_is_prefix = self.store.list(
            bucket, prefix, delimiter, after, skip, max_keys)
        children: list = [("Name", bucket), ("Prefix", enc(prefix))]
        if v2:
            if q.get("continuation-token"):
                children.append(("ContinuationToken", q["continuation-token"]))
            if q.get("start-after"):
                children.append(("StartAfter", enc(q["start-after"])))
            children.append(("KeyCount", len(objects) + len(prefixes)))
        else:
            children.append(("Marker", enc(q.get("marker", ""))))
        children.append(("MaxKeys", max_keys))
        if delimiter:
            children.append(("Delimiter", enc(delimiter)))
        if url:
            children.append(("EncodingType", "url"))
        children.append(("IsTruncated", "true" if truncated else "false"))
        if truncated and last is not None:
            if v2:
                token = base64.urlsafe_b64encode(json.dumps(
                    {"k": last, "p": last_is_prefix}).encode()).decode()
                children.append(("NextContinuationToken", token))
            elif delimiter:
                children.append(("NextMarker", enc(last)))
        for key, size, etag, mtime in objects:
            item = [("Key", enc(key)), ("LastModified", iso8601(mtime)),
                    ("ETag", f'"{etag}"'), ("Size", size), ("StorageClass", "STANDARD")]
            if not v2 or q.get("fetch-owner") == "true":
                item.append(("Owner", [("ID", "minio"), ("DisplayName", "minio")]))
            children.append(("Contents", item))
        for cp in prefixes:
            children.append(("CommonPrefixes", [("Prefix", enc(cp))]))
        self.send(200, xml_response("ListBucketResult", children))

    # objects
    def object_headers(self, meta: dict) -> dict:
        headers = {
            "ETag": f'"{meta["etag"]}"',
            "Last-Modified": http_date(meta["mtime"]),
            "Content-Type": meta.get("content_type") or "application/octet-stream",
        }
        for name, value in meta.get("headers", {}).items():
            headers[name] = value
        for name, value in meta.get("user", {}).items():
            headers[f"x-amz-meta-{name}"] = value
        if meta.get("parts"):
            headers["x-amz-mp-parts-count"] = str(meta["parts"])
        return headers

    def get_object(self, bucket: str, key: str) -> None:
        meta, f = self.store.open_object(bucket, key)
        with f:
            size, etag = meta["size"], meta["etag"]
            headers = self.object_headers(meta)
            # Conditional requests (RFC 7232 order).
            if_match = self.headers.get("If-Match")
            if if_match and not self._etag_match(if_match, etag):
                raise S3Error(412, "PreconditionFailed", "At least one of the pre-conditions "
                              "you specified did not hold")
            if_unmod = self._parse_http_date(self.headers.get("If-Unmodified-Since"))
            if not if_match and if_unmod is not None and int(meta["mtime"]) > if_unmod:
                raise S3Error(412, "PreconditionFailed", "At least one of the pre-conditions "
                              "you specified did not hold")
            if_none = self.headers.get("If-None-Match")
            if if_none and self._etag_match(if_none, etag):
                return self.send(304, content_type=None, headers={
                    "ETag": headers["ETag"], "Last-Modified": headers["Last-Modified"]})
            if_mod = self._parse_http_date(self.headers.get("If-Modified-Since"))
            if not if_none and if_mod is not None and int(meta["mtime"]) <= if_mod:
                return self.send(304, content_type=None, headers={
                    "ETag": headers["ETag"], "Last-Modified": headers["Last-Modified"]})
            for param, header in (("response-content-type", "Content-Type"),
                                  ("response-content-disposition", "Content-Disposition"),
                                  ("response-content-language", "Content-Language"),
                                  ("response-content-encoding", "Content-Encoding"),
                                  ("response-cache-control", "Cache-Control"),
                                  ("response-expires", "Expires")):
                if param in self.query:
                    headers[header] = self.query[param]
            start, end, status = 0, size, 200
            rng = self.headers.get("Range")
            if rng and "partNumber" not in self.query:
                parsed = self._parse_range(rng, size)
                if parsed is not None:
                    start, end = parsed
                    status = 206
                    headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
            headers["Content-Length"] = str(end - start)
            content_type = headers.pop("Content-Type")
            self.send(status, content_type=content_type, headers=headers)
            if self.command == "HEAD" or end == start:
                return
            self.wfile.flush()
            self.connection.sendfile(f, start, end - start)

    @staticmethod
    def _etag_match(header: str, etag: str) -> bool:
        tags = [t.strip().removeprefix("W/").strip('"') for t in header.split(",")]
        return "*" in tags or etag in tags

    @staticmethod
    def _parse_http_date(value: str | None) -> int | None:
        if not value:
            return None
        try:
            return int(email.utils.parsedate_to_datetime(value).timestamp())
        except (TypeError, ValueError):
            return None

    @staticmethod
    def _parse_range(header: str, size: int) -> tuple[int, int] | None:
        m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
        if not m or (not m.group(1) and not m.group(2)):
            return None  # malformed or several ranges: the whole object, like S3
        if not m.group(1):
            n = int(m.group(2))
            if n == 0:
                raise S3Error(416, "InvalidRange", "The requested range is not satisfiable",
                              {"Content-Range": f"bytes */{size}"})
            return max(0, size - n), size
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else size - 1
        if last < first:
            return None
        if first >= size:
            raise S3Error(416, "InvalidRange", "The requested range is not satisfiable",
                          {"Content-Range": f"bytes */{size}"})
        return first, min(last, size - 1) + 1

    def _object_attrs(self) -> tuple[str | None, dict, dict]:
        content_type = self.headers.get("Content-Type")
        keep = {}
        for name in ("Content-Disposition", "Content-Encoding", "Content-Language",
                     "Cache-Control", "Expires"):
            value = self.headers.get(name)
            if value is not None:
                if name == "Content-Encoding":
                    value = ",".join(v.strip() for v in value.split(",")
                                     if v.strip() and v.strip() != "aws-chunked")
                    if not value:
                        continue
                keep[name] = value
        user = {}
        for name, value in self.headers.items():
            if name.lower().startswith("x-amz-meta-"):
                user[name.lower()[len("x-amz-meta-"):]] = value
        return content_type, keep, user

    def _write_body(self, path: Path, limit: int) -> tuple[int, hashlib._Hash]:
        md5 = hashlib.md5(usedforsecurity=False)
        size = 0
        try:
            with open(path, "wb") as out:
                for chunk in self.body_chunks():
                    size += len(chunk)
                    if size > limit:
                        raise S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the "
                                      "maximum allowed object size.")
                    md5.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            raise
        return size, md5

    def put_object(self, bucket: str, key: str) -> None:
        self.store.require_bucket(bucket)
        if self.body_left < 0 and "x-amz-decoded-content-length" not in self.headers:
            raise S3Error(411, "MissingContentLength", "You must provide the Content-Length "
                          "HTTP header.")
        content_type, keep, user = self._object_attrs()
        data_path, data_name = self.store.new_data_file(bucket, key)
        size, md5 = self._write_body(data_path, MAX_PUT_SIZE)
        etag = md5.hexdigest()
        self.store.commit(bucket, key, data_name, {
            "size": size, "etag": etag, "mtime": time.time(), "content_type": content_type,
            "headers": keep, "user": user})
        self.send(200, content_type=None, headers={"ETag": f'"{etag}"'})

    def create_upload(self, bucket: str, key: str) -> None:
        self.store.require_bucket(bucket)
        self.read_small_body()
        content_type, keep, user = self._object_attrs()
        upload_id = uuid.uuid4().hex
        d = self.store.upload_dir(bucket, upload_id)
        d.mkdir(parents=True)
        write_json_atomic(d / "upload.json", {
            "key": key, "initiated": time.time(), "content_type": content_type,
            "headers": keep, "user": user})
        self.send(200, xml_response("InitiateMultipartUploadResult", [
            ("Bucket", bucket), ("Key", key), ("UploadId", upload_id)]))

    def upload_part(self, bucket: str, key: str, upload_id: str, number_text: str) -> None:
        d, _info = self.store.load_upload(bucket, key, upload_id)
        try:
            number = int(number_text)
        except ValueError:
            number = 0
        if not 1 <= number <= MAX_PARTS:
            raise S3Error(400, "InvalidArgument", "Part number must be an integer between 1 "
                          "and 10000, inclusive")
        tmp = d / f"part.{number}.tmp-{secrets.token_hex(6)}"
        size, md5 = self._write_body(tmp, MAX_PART_SIZE)
        etag = md5.hexdigest()
        try:
            os.replace(tmp, d / f"part.{number}")
            write_json_atomic(d / f"part.{number}.json", {
                "size": size, "etag": etag, "md5": md5.hexdigest(), "mtime": time.time()})
        except FileNotFoundError:  # aborted meanwhile
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise S3Error(404, "NoSuchUpload", "The specified multipart upload does not "
                          "exist.") from None
        if not (d / "upload.json").exists():  # aborted or completed while this part ran
            self.store._remove_upload_dir(d)
            raise S3Error(404, "NoSuchUpload", "The specified multipart upload does not exist.")
        self.send(200, content_type=None, headers={"ETag": f'"{etag}"'})

    def complete_upload(self, bucket: str, key: str, upload_id: str) -> None:
        d, info = self.store.load_upload(bucket, key, upload_id)
        body = self.read_small_body()
        try:
            root = ET.fromstring(body)  # noqa: S314 - authenticated; expat has no XXE
        except ET.ParseError:
            raise S3Error(400, "MalformedXML", "The XML you provided was not well-formed.") \
                from None
        wanted = []
        for part in root.iter():
            if part.tag.rsplit("}", 1)[-1] != "Part":
                continue
            fields = {c.tag.rsplit("}", 1)[-1]: (c.text or "") for c in part}
            try:
                wanted.append((int(fields["PartNumber"]), fields.get("ETag", "").strip()
                               .strip('"')))
            except (KeyError, ValueError):
                raise S3Error(400, "MalformedXML", "bad Part element") from None
        if not wanted:
            raise S3Error(400, "MalformedXML", "no parts")
        if [n for n, _ in wanted] != sorted({n for n, _ in wanted}):
            raise S3Error(400, "InvalidPartOrder", "The list of parts was not in ascending "
                          "order. The parts list must be specified in order by part number.")
        parts = []
        for i, (number, etag) in enumerate(wanted):
            try:
                pm = json.loads((d / f"part.{number}.json").read_text("utf-8"))
            except FileNotFoundError:
                raise S3Error(400, "InvalidPart", "One or more of the specified parts could "
                              "not be found.") from None
            if etag and pm["etag"] != etag:
                raise S3Error(400, "InvalidPart", "One or more of the specified parts could "
                              "not be found. The part may not have been uploaded, or the "
                              "specified entity tag may not match the part's entity tag.")
            if i < len(wanted) - 1 and pm["size"] < MIN_PART_SIZE:
                raise S3Error(400, "EntityTooSmall", "Your proposed upload is smaller than "
                              "the minimum allowed object size.")
            parts.append((number, pm))
        data_path, data_name = self.store.new_data_file(bucket, key)
        digest = hashlib.md5(usedforsecurity=False)
        size = 0
        try:
            with open(data_path, "wb") as out:
                for number, pm in parts:
                    with open(d / f"part.{number}", "rb") as src:
                        copied = 0
                        while copied < pm["size"]:
                            n = os.sendfile(out.fileno(), src.fileno(), copied,
                                            min(64 * IO_CHUNK, pm["size"] - copied))
                            if n == 0:
                                raise S3Error(500, "InternalError", "part file is short")
                            copied += n
                        out.seek(0, os.SEEK_END)
                    digest.update(bytes.fromhex(pm["md5"]))
                    size += pm["size"]
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                data_path.unlink()
            raise
        etag = f"{digest.hexdigest()}-{len(parts)}"
        self.store.commit(bucket, key, data_name, {
            "size": size, "etag": etag, "mtime": time.time(),
            "content_type": info.get("content_type"), "headers": info.get("headers", {}),
            "user": info.get("user", {}), "parts": len(parts)})
        self.store._remove_upload_dir(d)
        self.send(200, xml_response("CompleteMultipartUploadResult", [
            ("Location", f"/{bucket}/{quote(key)}"), ("Bucket", bucket), ("Key", key),
            ("ETag", f'"{etag}"')]))

    def abort_upload(self, bucket: str, key: str, upload_id: str) -> None:
        d, _info = self.store.load_upload(bucket, key, upload_id)
        self.store._remove_upload_dir(d)
        self.send(204, content_type=None)

    def list_parts(self, bucket: str, key: str, upload_id: str) -> None:
        d, _info = self.store.load_upload(bucket, key, upload_id)
        items = []
        for path in sorted(d.glob("part.*.json"), key=lambda p: int(p.name.split(".")[1])):
            pm = json.loads(path.read_text("utf-8"))
            items.append(("Part", [("PartNumber", path.name.split(".")[1]),
                                   ("LastModified", iso8601(pm["mtime"])),
                                   ("ETag", f'"{pm["etag"]}"'), ("Size", pm["size"])]))
        self.send(200, xml_response("ListPartsResult", [
            ("Bucket", bucket), ("Key", key), ("UploadId", upload_id),
            ("MaxParts", 10000), ("IsTruncated", "false"), *items]))

    def list_uploads(self, bucket: str) -> None:
        items = [("Upload", [("Key", u["key"]), ("UploadId", u["id"]),
                             ("Initiated", iso8601(u["initiated"])),
                             ("StorageClass", "STANDARD")])
                 for u in self.store.list_uploads(bucket, self.query.get("prefix", ""))]
        self.send(200, xml_response("ListMultipartUploadsResult", [
            ("Bucket", bucket), ("KeyMarker", ""), ("UploadIdMarker", ""),
            ("Prefix", self.query.get("prefix", "")), ("MaxUploads", 1000),
            ("IsTruncated", "false"), *items]))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address, handler, family):
        self.address_family = family
        super().__init__(address, handler)

    def server_bind(self):
        if self.address_family == socket.AF_INET6:
            with contextlib.suppress(OSError):
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()


# --------------------------------------------------------------------------- command line

USAGE = """usage: minio server [--address HOST:PORT] [--console-address HOST:PORT] DIR
(a MinIO stand-in: one directory, S3 API only, no console)"""


def read_credential(name: str, legacy: str, default: str) -> str:
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name) or os.environ.get(legacy) or default


def bind(address: str):
    host, _, port_text = address.rpartition(":")
    host = host.strip("[]")
    port = int(port_text)
    if host:
        candidates = [(socket.AF_INET6 if ":" in host else socket.AF_INET, host)]
    else:  # every address, dual-stack where the kernel has IPv6, as MinIO does
        candidates = [(socket.AF_INET6, "::"), (socket.AF_INET, "0.0.0.0")]  # noqa: S104
    last = None
    for family, h in candidates:
        try:
            return Server((h, port), Handler, family)
        except OSError as exc:
            last = exc
    raise SystemExit(f"minio: cannot listen on {address}: {last}")


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("--version", "-v", "version"):
        print(f"minio version {VERSION}")
        return 0
    if not argv or argv[0] != "server":
        print(USAGE, file=sys.stderr)
        return 2
    address, console, dirs = ":9000", None, []
    args = iter(argv[1:])
    for arg in args:
        if arg.startswith("--address") or arg.startswith("--console-address"):
            name, eq, value = arg.partition("=")
            if not eq:
                value = next(args, "")
            if name == "--address":
                address = value
            else:
                console = value
        elif arg in ("--quiet", "--json", "--anonymous"):
            continue
        elif arg.startswith("-"):
            print(f"minio: flag {arg} is not supported by the stand-in\n{USAGE}", file=sys.stderr)
            return 2
        else:
            dirs.append(arg)
    if not dirs and os.environ.get("MINIO_VOLUMES"):
        dirs = os.environ["MINIO_VOLUMES"].split()
    if len(dirs) != 1 or "{" in dirs[0] or "://" in dirs[0]:
        print(f"minio: the stand-in serves exactly one local directory\n{USAGE}", file=sys.stderr)
        return 2
    root_user = read_credential("MINIO_ROOT_USER", "MINIO_ACCESS_KEY", "minioadmin")
    root_password = read_credential("MINIO_ROOT_PASSWORD", "MINIO_SECRET_KEY", "minioadmin")
    if len(root_user) < 3 or len(root_password) < 8:
        print("minio: Invalid credentials: MINIO_ROOT_USER needs 3+ characters and "
              "MINIO_ROOT_PASSWORD 8+", file=sys.stderr)
        return 1
    if root_user == "minioadmin" and root_password == "minioadmin":  # noqa: S105
        log("WARNING: default credentials 'minioadmin:minioadmin' in use; set "
            "MINIO_ROOT_USER and MINIO_ROOT_PASSWORD")
    root = Path(dirs[0]).absolute()
    try:
        root.mkdir(parents=True, exist_ok=True)
        store = Store(root)
    except OSError as exc:
        print(f"minio: cannot use {root}: {exc} (this image runs as uid {os.getuid()}; the "
              f"volume must be writable by it)", file=sys.stderr)
        return 1
    Handler.store = store
    Handler.iam = IAM(store, root_user, root_password)
    Handler.log_requests = os.environ.get("MINIO_STANDIN_LOG_REQUESTS", "") not in ("", "0")
    server = bind(address)
    port = server.server_address[1]
    log(f"MinIO stand-in {VERSION}: S3 API on :{port}, data in {root}")
    if console:
        log(f"console ({console}) is not available in the stand-in; S3 API only")

    expiry = parse_duration(os.environ.get("MINIO_API_STALE_UPLOADS_EXPIRY"), 24 * 3600)
    interval = parse_duration(os.environ.get("MINIO_API_STALE_UPLOADS_CLEANUP_INTERVAL"), 6 * 3600)
    stop = threading.Event()

    def sweeper():
        while not stop.wait(min(interval, 3600)):
            with contextlib.suppress(Exception):
                n = store.expire_uploads(expiry)
                if n:
                    log(f"removed {n} stale multipart uploads")

    with contextlib.suppress(Exception):
        store.expire_uploads(expiry)
    threading.Thread(target=sweeper, daemon=True).start()

    def shutdown(signum, _frame):
        log(f"signal {signum}: shutting down")
        stop.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
