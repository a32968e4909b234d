"""Shared fixtures for object-store tests: a real moto S3 server and both storage backends.

Import the fixture functions into a test module (`from ...storage_fixtures import
backend_fixture  # noqa: F401`) and request them by their names: `backend`, `moto_endpoint`.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from mediahub.config import Settings
from mediahub.core.storage import ObjectStore, build_object_store

S3_ACCESS_KEY = "mediahub-test"
S3_SECRET_KEY = "mediahub-test-secret"
S3_REGION = "us-east-1"
S3_PREFIX = "media"  # exercise s3://bucket/prefix everywhere


def make_settings(storage_url: str, *, s3_endpoint: str | None = None) -> Settings:
    """Real Settings (local mode, so no production secret checks) for a storage URL."""
    values = {
        "MEDIAHUB_MODE": "local",
        "DATABASE_URL": "postgresql://unused/unused",
        "REDIS_URL": "redis://unused",
        "STORAGE_URL": storage_url,
        "S3_REGION": S3_REGION,
        "JWT_SECRET": "x" * 32,
    }
    if s3_endpoint:
        values |= {
            "S3_ENDPOINT_URL": s3_endpoint,
            "S3_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": S3_SECRET_KEY,
        }
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session", name="moto_endpoint")
def moto_endpoint_fixture() -> Iterator[str]:
    """A moto S3 server in server mode on a free loopback port."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one log line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session", name="s3_client")
def s3_client_fixture(moto_endpoint: str):
    """A boto3 client for the moto server (test setup and inspection only)."""
    return boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
    )


@dataclass
class Backend:
    """A store under test plus a way to see everything it left behind."""

    kind: str
    store: ObjectStore
    root: Path | None = None  # local
    bucket: str | None = None  # s3
    s3_client: object | None = None

    def leftovers(self) -> list[str]:
        """Every file (local) or object and pending multipart upload (S3) that exists."""
        if self.root is not None:
            return sorted(
                os.path.relpath(os.path.join(d, f), self.root)
                for d, _, files in os.walk(self.root)
                for f in files
            )
        client = self.s3_client
        objects = client.list_objects_v2(Bucket=self.bucket).get("Contents", [])  # type: ignore[attr-defined]
        uploads = client.list_multipart_uploads(Bucket=self.bucket).get("Uploads", [])  # type: ignore[attr-defined]
        return sorted([o["Key"] for o in objects] + [f"upload:{u['Key']}" for u in uploads])


@pytest.fixture(params=["local", "s3"], name="backend")
def backend_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Each backend, built through build_object_store from real Settings."""
    if request.param == "local":
        root = tmp_path / "objects"  # does not exist yet: the factory must create it
        store = build_object_store(make_settings(root.as_uri()))
        assert root.is_dir()
        return Backend("local", store, root=root)
    endpoint = request.getfixturevalue("moto_endpoint")
    client = request.getfixturevalue("s3_client")
    bucket = f"test-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    store = build_object_store(make_settings(f"s3://{bucket}/{S3_PREFIX}", s3_endpoint=endpoint))
    return Backend("s3", store, bucket=bucket, s3_client=client)
