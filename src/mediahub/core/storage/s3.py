"""Objects in an S3 bucket (AWS, MinIO, anything S3-compatible)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import obstore
from obstore.store import S3Store

from mediahub.core.http_headers import content_disposition
from mediahub.core.storage.base import ObjectStore
from mediahub.core.storage.errors import StorageUnavailable, first_line, translate_errors
from mediahub.core.storage.keys import validate_key
from mediahub.core.storage.signing import presign_s3_get

logger = logging.getLogger(__name__)

MAX_SIGNED_URL_TTL = timedelta(days=7)  # SigV4 presigned URLs cannot live longer


class S3ObjectStore(ObjectStore):
    """Objects in an S3 bucket (AWS, MinIO, anything S3-compatible), path-style requests."""

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str | None = None,
        endpoint: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        if not bucket:
            raise ValueError("S3 bucket name is empty")
        if prefix:
            validate_key(prefix)
        self.bucket = bucket
        self.prefix = prefix or None
        self.region = region
        self.endpoint = (endpoint or f"https://s3.{region}.amazonaws.com").rstrip("/")
        self._credentials = (
            (access_key_id, secret_access_key) if access_key_id and secret_access_key else None
        )
        config: dict[str, Any] = {
            "region": region,
            # Path-style works with MinIO/moto without wildcard DNS; set explicitly so an
            # AWS_VIRTUAL_HOSTED_STYLE_REQUEST variable in the environment cannot flip it.
            "virtual_hosted_style_request": False,
            # We delete one key at a time; plain DELETE works on every S3 clone, the bulk
            # DeleteObjects API does not.
            "disable_bulk_delete": True,
        }
        if endpoint:
            config["endpoint"] = self.endpoint
        if self._credentials:
            config["access_key_id"], config["secret_access_key"] = self._credentials
        # Without credentials obstore reads AWS_* variables / instance metadata itself.
        client: dict[str, Any] = {
            "allow_http": self.endpoint.startswith("http://"),
            "connect_timeout": "5s",
            # The default 30 s total timeout would cut long streamed reads of large media.
            "timeout": "1h",
        }
        super().__init__(
            S3Store(bucket, prefix=self.prefix, config=config, client_options=client)  # type: ignore[arg-type]
        )
        # The readiness probe must answer fast: no retries (the default is 10 with backoff).
        self._probe = S3Store(
            bucket,
            prefix=self.prefix,
            config=config,  # type: ignore[arg-type]
            client_options={**client, "timeout": "10s"},  # type: ignore[arg-type]
            retry_config={"max_retries": 0},
        )

    async def check(self) -> None:
        """List at most one page of the bucket; any failure means the store is unusable."""
        try:
            stream = obstore.list(self._probe, chunk_size=1)
            async for _ in stream:
                break
        except Exception as exc:
            raise StorageUnavailable(
                f"S3 bucket {self.bucket!r} at {self.endpoint} is unavailable: {first_line(exc)}"
            ) from exc

    async def signed_url(
        self, key: str, *, expires_in: timedelta, filename: str | None = None
    ) -> str:
        """A presigned GET URL; with `filename` the response is served as an attachment."""
        validate_key(key)
        if not timedelta(seconds=1) <= expires_in <= MAX_SIGNED_URL_TTL:
            raise ValueError("expires_in must be between 1 second and 7 days")
        if filename and self._credentials:
            # obstore cannot sign extra query parameters, and response-content-disposition
            # must be inside the signature, so this one case is signed here.
            full_key = f"{self.prefix}/{key}" if self.prefix else key
            return presign_s3_get(
                endpoint=self.endpoint,
                bucket=self.bucket,
                key=full_key,
                region=self.region,
                access_key_id=self._credentials[0],
                secret_access_key=self._credentials[1],
                expires_in=expires_in,
                extra_params={"response-content-disposition": content_disposition(filename)},
            )
        if filename:
            logger.warning("signed_url: filename ignored, no static S3 credentials configured")
        with translate_errors(key, "sign"):
            return await obstore.sign_async(self._store, "GET", key, expires_in)
