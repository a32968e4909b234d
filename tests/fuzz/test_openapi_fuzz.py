"""Schemathesis against the live OpenAPI schema, authenticated as a real user.

Every operation of the running server's `/api/openapi.json` gets a bounded number of
generated requests, valid and invalid (schemathesis' positive and negative modes; for the
multipart uploads that includes random bytes and broken forms). A response must never be a
5xx, its status code must be documented for the operation, and its body must match the
documented schema and content type.

One test per operation, so each runs with a fresh user on a clean database. The operation
list is taken from `create_app()` at collection time and checked against the live schema,
so a new route is fuzzed without touching this file.
"""

from __future__ import annotations

import os

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mediahub.config import Settings
from mediahub.main import create_app
from tests.support.live_api import LiveApi

pytestmark = pytest.mark.slow

# Generated requests per operation (half valid, half invalid on average); FUZZ_EXAMPLES
# raises it for a longer local run.
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def _operations() -> list[tuple[str, str]]:
    app = create_app(Settings.model_construct(database_url="", redis_url="", storage_url=""))
    return [(method.upper(), path) for path, ops in app.openapi()["paths"].items()
            for method in ops]


OPERATIONS = _operations()


@pytest.fixture(scope="module")
def api_schema(live_api: LiveApi):
    """The schema as the running server publishes it."""
    return schemathesis.openapi.from_url(f"{live_api.base_url}/api/openapi.json")


def test_live_schema_is_the_one_fuzzed(live_api: LiveApi) -> None:
    paths = httpx.get(f"{live_api.base_url}/api/openapi.json").json()["paths"]
    live = sorted((m.upper(), p) for p, ops in paths.items() for m in ops)
    assert live == sorted(OPERATIONS)
    assert {"/api/photos", "/api/transcriptions", "/v1/audio/transcriptions"} <= set(paths)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation(method: str, path: str, api_schema, live_api: LiveApi,
                   auth: dict[str, str]) -> None:
    operation = api_schema[path][method]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                      operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=cases)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case) -> None:
        case.call_and_validate(base_url=live_api.base_url, headers=auth, checks=CHECKS,
                               timeout=30)

    fuzz()
