"""Which model serves which language: the rule (catalog.choose), the model list the studio
shows, and the refusals with their stable codes. Real PostgreSQL, Redis and object store; the
worker's inventory is what `preload_default_model` publishes."""

from __future__ import annotations

import uuid

import httpx
import pytest

from mediahub.transcription import catalog
from mediahub.transcription.models import Transcription
from tests.support import media
from tests.support.accounts import user

TINY, BASE = catalog.describe("tiny.en"), catalog.describe("base")


def _choose(language: str | None = None, task: str = "transcribe",
            requested: str | None = None, models: list | None = None,
            default: str = "tiny.en") -> str:
    return catalog.choose(models if models is not None else [TINY, BASE],
                          requested=requested, language=language, task=task,
                          default_model=default)


def test_the_default_follows_the_language() -> None:
    assert _choose("en") == "tiny.en"  # the configured English default stays
    assert _choose("ru") == "base"
    assert _choose(None) == "base"  # detection needs a multilingual model
    assert _choose("en", task="translate") == "base"
    assert _choose("ru", default="base") == "base"
    assert _choose("en", default="base") == "base"


@pytest.mark.parametrize(("kwargs", "error", "params"), [
    ({"language": "ru", "requested": "tiny.en"}, catalog.ModelLanguageUnsupported,
     {"model": "tiny.en", "language": "ru"}),
    ({"task": "translate", "requested": "tiny.en"}, catalog.ModelCannotTranslate,
     {"model": "tiny.en", "language": "auto"}),
    ({"requested": "large-v3"}, catalog.ModelNotOffered,
     {"model": "large-v3", "language": "auto", "choices": "tiny.en, base"}),
    ({"language": "ru", "models": [TINY]}, catalog.NoModelForLanguage,
     {"model": None, "language": "ru", "task": "transcribe"}),
])
def test_impossible_requests_name_a_stable_code(kwargs: dict, error: type,
                                                params: dict) -> None:
    with pytest.raises(error) as caught:
        _choose(**kwargs)
    assert caught.value.status_code == 422 and caught.value.params == params


def test_an_explicit_model_that_can_is_kept() -> None:
    assert _choose(None, requested="tiny.en") == "tiny.en"  # detection answers "en"
    assert _choose("ru", requested="base") == "base"


def test_default_for_marks_each_language_once() -> None:
    models = catalog.with_defaults([catalog.describe("tiny.en"), catalog.describe("base")],
                                   "tiny.en")
    assert models[0].default_for == ["en"]
    assert models[1].default_for[0] == "auto" and "ru" in models[1].default_for
    assert "en" not in models[1].default_for
    english_only = catalog.with_defaults([catalog.describe("distil-small.en")], "x")
    assert english_only[0].default_for == ["en"]


def test_the_installed_packages_are_the_inventory() -> None:
    found = catalog.inventory(["tiny.en", "base", "large-v3"], allow_download=False)
    assert [m.name for m in found] == ["tiny.en", "base"]
    tiny, base = found
    assert tiny.languages == ["en"] and "ru" in base.languages and len(base.languages) > 90
    assert 30e6 < tiny.size_bytes < 100e6 < base.size_bytes < 200e6
    assert tiny.relative_speed == 1.0 and base.relative_speed < 1.0
    assert catalog.from_json(catalog.to_json(found)) == found
    assert catalog.from_json("not json") == []


async def test_the_model_list_comes_from_the_workers(client, redis_url: str) -> None:  # noqa: ANN001
    from redis.asyncio import Redis

    auth = await user(client, "listener")
    assert (await client.get("/api/transcription-models")).status_code == 401
    # No worker has reported yet: the configured names, sizes unknown.
    items = (await client.get("/api/transcription-models", headers=auth)).json()["items"]
    assert [(m["name"], m["size_bytes"]) for m in items] == [("tiny.en", None), ("base", None)]
    redis = Redis.from_url(redis_url)
    only_base = catalog.inventory(["base"], allow_download=False)
    await redis.set(catalog.INVENTORY_KEY, catalog.to_json(only_base))
    await redis.aclose()
    items = (await client.get("/api/transcription-models", headers=auth)).json()["items"]
    assert [m["name"] for m in items] == ["base"]
    assert items[0]["size_bytes"] > 100e6 and items[0]["relative_speed"] == 0.5
    assert items[0]["default_for"][0] == "auto" and "en" in items[0]["default_for"]
    # tiny.en is not installed on any worker: English goes to base, tiny.en is refused.
    english = await _submit(client, auth, language="en")
    assert english.status_code == 202
    refused = await _submit(client, auth, model="tiny.en")
    assert refused.status_code == 422
    assert refused.json()["code"] == "transcription.model_not_offered"


async def _submit(client: httpx.AsyncClient, auth: dict, **fields: str) -> httpx.Response:
    return await client.post("/api/transcriptions", headers=auth, data=fields, files={
        "file": ("a.wav", media.encode(media.tone(1.0), "wav"), "audio/wav")})


async def test_russian_without_a_model_runs_on_base(client, settings) -> None:  # noqa: ANN001
    from mediahub.core.db import create_engine, create_session_factory

    auth = await user(client, "listener")
    russian = await _submit(client, auth, language="ru")
    translated = await _submit(client, auth, task="translate")
    english = await _submit(client, auth, language="en")
    assert {r.status_code for r in (russian, translated, english)} == {202}
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        rows = [await session.get(Transcription, uuid.UUID(r.json()["id"]))
                for r in (russian, translated, english)]
    await engine.dispose()
    assert [(r.model, r.options["model"]) for r in rows] == [
        ("base", "base"), ("base", "base"), ("tiny.en", "tiny.en")]
    assert rows[1].options["task"] == "translate"
    refused = await _submit(client, auth, language="ru", model="tiny.en")
    assert refused.status_code == 422
    assert refused.json()["code"] == "transcription.model_language_unsupported"
    assert refused.json()["params"] == {"model": "tiny.en", "language": "ru"}


async def test_openai_translations_refuse_an_english_only_model(client) -> None:  # noqa: ANN001
    auth = await user(client, "listener")
    response = await client.post("/v1/audio/translations", headers=auth, data={
        "model": "tiny.en"}, files={"file": ("a.wav", media.encode(media.tone(1.0), "wav"))})
    assert response.status_code == 422
    assert response.json()["code"] == "transcription.model_cannot_translate"
    listed = (await client.get("/api/transcriptions", headers=auth)).json()
    assert listed["items"] == []  # nothing kept of a refused upload


def test_the_cli_follows_the_same_rule(tmp_path, capsys) -> None:  # noqa: ANN001
    from mediahub.config import EngineSettings
    from mediahub.transcription.cli import CliRequest, choose_model, run_cli

    def request(language: str | None, model: str | None = None,
                task: str = "transcribe") -> CliRequest:
        return CliRequest(files=[tmp_path / "x.wav"], output_dir=None, fmt="srt",
                          language=language, diarize=False, model=model, min_speakers=None,
                          max_speakers=None, task=task)

    settings = EngineSettings(ASR_MODEL="tiny.en")
    assert choose_model(request("en"), settings) == ("en", "tiny.en")
    assert choose_model(request("auto"), settings) == (None, "base")
    assert choose_model(request("ru"), settings) == ("ru", "base")
    assert choose_model(request("en", task="translate"), settings) == ("en", "base")
    # Refused before any model loads: exit status 2 and the reason.
    assert run_cli(request("ru", "tiny.en"), settings) == 2
    assert "only transcribes English" in capsys.readouterr().err
