"""Groq parser on the two real captures (2025-01 without, 2026-03 with max_completion_tokens)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from providers import groq
from providers._spec import Capability, ModelRecord
from tests.providers._captures import capture

ERAS = ("models-2025-01.json", "models-2026-03.json")
NEW = "models-2026-03.json"


def parsed(name: str) -> dict[str, ModelRecord]:
    return {record.id: record for record in groq.parse_models(capture("groq", name))}


def with_capability(records: dict[str, ModelRecord], cap: Capability) -> set[str]:
    return {model_id for model_id, record in records.items() if cap in record.capabilities}


@pytest.mark.parametrize(("name", "size"), [(ERAS[0], 16), (ERAS[1], 20)])
def test_every_model_is_parsed(name: str, size: int) -> None:
    raw_ids = [model["id"] for model in capture("groq", name)["data"]]
    records = groq.parse_models(capture("groq", name))
    assert len(records) == len(set(raw_ids)) == size
    assert [record.id for record in records] == raw_ids


@pytest.mark.parametrize("name", ERAS)
def test_groq_lists_no_prices_so_none_are_invented(name: str) -> None:
    for record in parsed(name).values():
        assert record.input_price is None
        assert record.output_price is None


def test_context_window_and_max_output() -> None:
    new, old = parsed(NEW), parsed(ERAS[0])
    assert new["llama-3.3-70b-versatile"].context_window == 131072
    assert new["llama-3.3-70b-versatile"].max_output_tokens == 32768
    assert old["llama-3.3-70b-versatile"].context_window == 32768
    assert old["llama-3.3-70b-versatile"].max_output_tokens is None  # not listed in 2025-01
    assert new["moonshotai/kimi-k2-instruct-0905"].context_window == 262144
    orpheus = new["canopylabs/orpheus-v1-english"]  # reported as given, even max > window
    assert (orpheus.context_window, orpheus.max_output_tokens) == (4000, 50000)
    assert new["whisper-large-v3"].context_window == 448


@pytest.mark.parametrize("name", ERAS)
def test_non_chat_models_are_recognised_by_the_keyword_rules(name: str) -> None:
    ids = [model["id"] for model in capture("groq", name)["data"]]
    whisper = {i for i in ids if "whisper" in i}
    speech = {i for i in ids if i.endswith("-tts") or "orpheus" in i}
    guard = {i for i in ids if "guard" in i}
    records = parsed(name)
    assert with_capability(records, Capability.TRANSCRIPTION) == whisper
    assert with_capability(records, Capability.SPEECH) == speech
    assert with_capability(records, Capability.MODERATION) == guard
    assert with_capability(records, Capability.CHAT) == set(ids) - whisper - speech - guard
    for model_id in whisper:
        assert records[model_id].sources["capability.transcription"] == "keyword:whisper"


def test_known_non_chat_models_of_2026() -> None:
    records = parsed(NEW)
    assert records["meta-llama/llama-prompt-guard-2-22m"].capabilities == {Capability.MODERATION}
    assert records["openai/gpt-oss-safeguard-20b"].capabilities == {Capability.MODERATION}
    assert records["canopylabs/orpheus-arabic-saudi"].capabilities == {
        Capability.AUDIO,
        Capability.SPEECH,
    }
    assert records["whisper-large-v3-turbo"].capabilities == {
        Capability.AUDIO,
        Capability.TRANSCRIPTION,
    }
    assert Capability.VISION in parsed(ERAS[0])["llama-3.2-90b-vision-preview"].capabilities


def test_owner_created_and_sources() -> None:
    qwen = parsed(NEW)["qwen/qwen3-32b"]
    assert qwen.owned_by == "Alibaba Cloud"
    assert qwen.created_at == datetime.fromtimestamp(1748396646, tz=UTC)
    assert dict(qwen.sources) == {
        "context_window": "context_window",
        "max_output_tokens": "max_completion_tokens",
        "created_at": "created",
        "owned_by": "owned_by",
        "capability.chat": "default:text-output",
        "capability.content": "default:text-output",
    }


def test_inactive_models_are_kept_and_visible() -> None:
    payload = copy.deepcopy(capture("groq", NEW))
    payload["data"][0]["active"] = False
    records = {record.id: record for record in groq.parse_models(payload)}
    assert len(records) == 20
    assert records["whisper-large-v3"].raw["active"] is False
    assert records["llama-3.1-8b-instant"].raw["active"] is True


def test_newer_schema_modalities_win_over_keywords() -> None:
    entries: list[dict[str, Any]] = [
        {
            "id": "meta-llama/llama-4-scout-17b-16e-instruct",
            "name": "Llama 4 Scout",
            "input_modalities": ["text", "image"],
            "output_modalities": ["text"],
        },
        {"id": "playai-tts-vision", "input_modalities": ["text"], "output_modalities": ["audio"]},
    ]
    scout, tts = groq.parse_models({"object": "list", "data": entries})
    assert scout.name == "Llama 4 Scout"
    assert scout.capabilities == {Capability.CHAT, Capability.CONTENT, Capability.VISION}
    assert scout.sources["capability.vision"] == "input_modalities"
    assert tts.capabilities == {Capability.AUDIO, Capability.SPEECH}  # no "vision" from the id


def test_duplicates_and_junk() -> None:
    data = [{"id": "m", "owned_by": "A"}, 42, {"id": None}, {"id": "m", "owned_by": "B"}]
    (record,) = groq.parse_models({"data": data})
    assert record.owned_by == "A"
    assert record.sources["duplicates"] == "later entries with this id ignored: 1"
    with pytest.raises(ValueError):
        groq.parse_models({"object": "list"})


def test_spec_needs_a_bearer_key() -> None:
    spec = groq.SPEC
    assert (spec.kind, spec.base_url, spec.models_path) == (
        "groq",
        "https://api.groq.com/openai/v1",
        "/models",
    )
    assert spec.needs_key is True
    assert spec.auth_headers("k") == {"Authorization": "Bearer k"}
