"""Gemini parser on the real captures `gemini/models-2026-03.json` (complete, 48 models) and
`gemini/models-page1-2025-11.json` (first page of 50, with a `nextPageToken`)."""

from __future__ import annotations

from typing import Any

import pytest

from providers import gemini
from providers._spec import Capability as C
from providers._spec import ModelRecord
from tests.providers._captures import capture, distinct_ids

FULL = "models-2026-03.json"
PAGE1 = "models-page1-2025-11.json"


def records(name: str) -> dict[str, ModelRecord]:
    return {record.id: record for record in gemini.parse_models(capture("gemini", name))}


@pytest.fixture(scope="module")
def full() -> dict[str, ModelRecord]:
    return records(FULL)


@pytest.fixture(scope="module")
def page1() -> dict[str, ModelRecord]:
    return records(PAGE1)


@pytest.mark.parametrize(("name", "count"), [(FULL, 48), (PAGE1, 50)])
def test_every_distinct_model_is_parsed(name: str, count: int) -> None:
    raw: Any = capture("gemini", name)
    names = distinct_ids(raw["models"], key="name")
    assert len(names) == count
    parsed = [record.id for record in gemini.parse_models(raw)]
    assert parsed == [each.removeprefix("models/") for each in names]
    assert not any(model_id.startswith("models/") for model_id in parsed)


def test_context_windows_and_names(full: dict[str, ModelRecord]) -> None:
    pro = full["gemini-2.5-pro"]
    assert pro.name == "Gemini 2.5 Pro"
    assert (pro.context_window, pro.max_output_tokens) == (1048576, 65536)
    assert pro.sources["context_window"] == "inputTokenLimit"
    assert pro.sources["max_output_tokens"] == "outputTokenLimit"
    assert full["gemma-3-27b-it"].context_window == 131072
    assert full["gemini-2.0-flash"].max_output_tokens == 8192
    assert full["gemini-2.5-flash-image"].name == "Nano Banana"
    # Gemma models come without a description: none is invented.
    assert full["gemma-3-1b-it"].description is None
    assert "description" not in full["gemma-3-1b-it"].sources


@pytest.mark.parametrize(
    ("model_id", "expected", "source"),
    [
        ("gemini-2.5-pro", {C.CHAT, C.CONTENT, C.REASONING}, "generateContent"),
        ("gemini-2.0-flash", {C.CHAT, C.CONTENT}, "generateContent"),
        ("gemini-embedding-001", {C.EMBEDDING}, "embedContent"),
        ("imagen-4.0-generate-001", {C.IMAGE}, "predict"),
        ("veo-3.0-generate-001", {C.VIDEO}, "predictLongRunning"),
        ("gemini-3.1-flash-live-preview", {C.AUDIO}, "bidiGenerateContent"),
        ("aqa", {C.CONTENT}, "generateAnswer"),
    ],
)
def test_capabilities_come_from_generation_methods(
    full: dict[str, ModelRecord], model_id: str, expected: set[C], source: str
) -> None:
    record = full[model_id]
    assert record.capabilities == expected
    first = sorted(expected - {C.REASONING})[0]
    assert record.sources[f"capability.{first.value}"] == f"supportedGenerationMethods:{source}"


def test_thinking_flag_marks_reasoning(full: dict[str, ModelRecord]) -> None:
    raw: Any = capture("gemini", FULL)
    thinking = {m["name"].removeprefix("models/") for m in raw["models"] if m.get("thinking")}
    assert len(thinking) == 21
    assert {r.id for r in full.values() if C.REASONING in r.capabilities} == thinking
    assert full["gemini-2.5-flash"].sources["capability.reasoning"] == "thinking"


def test_keywords_add_only_what_methods_cannot_say(full: dict[str, ModelRecord]) -> None:
    tts = full["gemini-2.5-flash-preview-tts"]
    assert {C.SPEECH, C.AUDIO} <= tts.capabilities
    assert tts.sources["capability.speech"] == "keyword:tts"
    image = full["gemini-2.5-flash-image"]
    assert C.IMAGE in image.capabilities
    assert image.sources["capability.image"] == "keyword:image"
    assert full["nano-banana-pro-preview"].sources["capability.image"] == "keyword:nano-banana"
    native_audio = full["gemini-2.5-flash-native-audio-latest"]
    assert native_audio.capabilities == {C.AUDIO, C.REASONING}


def test_legacy_methods_on_the_2025_page(page1: dict[str, ModelRecord]) -> None:
    gecko = page1["embedding-gecko-001"]
    assert gecko.capabilities == {C.EMBEDDING}
    assert gecko.sources["capability.embedding"] == "supportedGenerationMethods:embedText"
    assert gecko.context_window == 1024
    assert page1["gemini-2.0-flash-exp"].capabilities == {C.CHAT, C.CONTENT, C.AUDIO}


def test_no_prices(full: dict[str, ModelRecord], page1: dict[str, ModelRecord]) -> None:
    for record in [*full.values(), *page1.values()]:
        assert record.input_price is None and record.output_price is None


def test_next_page_follows_the_page_token() -> None:
    assert gemini.next_page(capture("gemini", PAGE1), {}) == {
        "pageToken": "CiRtb2RlbHMvaW1hZ2VuLTQuMC11bHRyYS1nZW5lcmF0ZS0wMDE="
    }
    assert gemini.next_page(capture("gemini", FULL), {}) is None
    assert gemini.next_page({"models": [], "nextPageToken": ""}, {}) is None


def test_model_without_methods_falls_back_to_keywords() -> None:
    payload = {"models": [{"name": "models/text-embedding-999"}, {"displayName": "no name"}]}
    (record,) = gemini.parse_models(payload)
    assert record.capabilities == {C.EMBEDDING}
    assert record.sources["capability.embedding"] == "keyword:embed"


def test_spec() -> None:
    spec = gemini.SPEC
    assert spec.base_url == "https://generativelanguage.googleapis.com/v1beta"
    assert spec.models_path == "/models"
    assert spec.needs_key
    assert spec.auth_headers("AIza") == {"x-goog-api-key": "AIza"}
    assert spec.requests == ({"pageSize": "1000"},)
    assert spec.next_page is gemini.next_page
