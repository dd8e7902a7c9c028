"""OpenAI parser on the real capture `openai/models-2025-05.json` (82 models, ids only)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from providers import openai
from providers._spec import Capability as C
from providers._spec import ModelRecord
from tests.providers._captures import capture, distinct_ids

CAPTURE = "models-2025-05.json"


@pytest.fixture(scope="module")
def raw() -> Any:
    return capture("openai", CAPTURE)


@pytest.fixture(scope="module")
def by_id(raw: Any) -> dict[str, ModelRecord]:
    return {record.id: record for record in openai.parse_models(raw)}


def test_every_distinct_id_is_parsed_once(raw: Any) -> None:
    ids = distinct_ids(raw["data"])
    records = openai.parse_models(raw)
    assert len(ids) == 82
    assert [record.id for record in records] == ids


def test_fine_tunes_are_kept_with_their_owner(by_id: dict[str, ModelRecord]) -> None:
    tunes = [record for model_id, record in by_id.items() if model_id.startswith("ft:")]
    assert len(tunes) == 6
    assert {record.owned_by for record in tunes} == {"user-ngim8eihoypymo1292ncndft"}
    tune = by_id["ft:gpt-3.5-turbo-0125:personal:date-translator:9UhSsUFR"]
    assert tune.capabilities == {C.CHAT, C.CONTENT}
    assert tune.sources["capability.chat"] == "keyword:gpt"


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("dall-e-3", {C.IMAGE}),
        ("gpt-image-1", {C.IMAGE}),
        ("whisper-1", {C.AUDIO, C.TRANSCRIPTION}),
        ("gpt-4o-transcribe", {C.AUDIO, C.TRANSCRIPTION}),
        ("tts-1-hd", {C.AUDIO, C.SPEECH}),
        ("gpt-4o-mini-tts", {C.AUDIO, C.SPEECH}),
        ("text-embedding-3-large", {C.EMBEDDING}),
        ("text-embedding-ada-002", {C.EMBEDDING}),
        ("omni-moderation-latest", {C.MODERATION}),
        ("gpt-4o-realtime-preview", {C.AUDIO, C.CHAT, C.CONTENT}),
        ("gpt-4o-audio-preview", {C.AUDIO, C.CHAT, C.CONTENT}),
        ("gpt-4o", {C.CHAT, C.CONTENT}),
        ("chatgpt-4o-latest", {C.CHAT, C.CONTENT}),
        ("o3", {C.CHAT, C.CONTENT, C.REASONING}),
        ("o4-mini-2025-04-16", {C.CHAT, C.CONTENT, C.REASONING}),
        ("babbage-002", {C.CONTENT}),
        ("gpt-3.5-turbo-instruct", {C.CONTENT}),
    ],
)
def test_capabilities_of_known_models(
    by_id: dict[str, ModelRecord], model_id: str, expected: set[C]
) -> None:
    assert by_id[model_id].capabilities == expected


def test_every_capability_is_a_recorded_keyword_guess(by_id: dict[str, ModelRecord]) -> None:
    assert by_id["whisper-1"].sources["capability.transcription"] == "keyword:whisper"
    assert by_id["dall-e-3"].sources["capability.image"] == "keyword:dall-e"
    assert by_id["gpt-4o-realtime-preview"].sources["capability.audio"] == "keyword:realtime"
    for record in by_id.values():
        assert record.capabilities, record.id
        for cap in record.capabilities:
            source = record.sources[f"capability.{cap.value}"]
            assert source.startswith(("keyword:", "default:")), (record.id, source)


def test_only_the_figures_the_list_carries(by_id: dict[str, ModelRecord]) -> None:
    gpt4o = by_id["gpt-4o"]
    assert gpt4o.created_at == datetime(2024, 5, 10, 18, 50, 49, tzinfo=UTC)  # created 1715367049
    assert gpt4o.owned_by == "system"
    assert gpt4o.sources["created_at"] == "created"
    for record in by_id.values():
        assert record.context_window is None
        assert record.input_price is None and record.output_price is None
        assert "context_window" not in record.sources
        assert record.name == record.id


def test_garbage_entries_are_skipped_and_a_listless_payload_is_refused() -> None:
    assert openai.parse_models({"data": [1, "x", {"id": ""}, {"object": "model"}]}) == []
    for payload in ({}, None, {"error": {"message": "rate limited"}}):
        with pytest.raises(ValueError, match="'data'"):
            openai.parse_models(payload)


def test_spec() -> None:
    spec = openai.SPEC
    assert (spec.kind, spec.base_url, spec.models_path) == (
        "openai",
        "https://api.openai.com/v1",
        "/models",
    )
    assert spec.needs_key
    assert spec.auth_headers("sk-1") == {"Authorization": "Bearer sk-1"}
    assert spec.next_page({"data": []}, {}) is None
