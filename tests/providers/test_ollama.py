"""Ollama parser on the real capture `ollama/tags-2025-12.json` (5 local models).

The capture holds only text models; the embedding and vision entries in
`test_families_decide_embedding_and_vision` are CONSTRUCTED after Ollama's API docs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from providers import ollama
from providers._spec import Capability as C
from providers._spec import ModelRecord
from tests.providers._captures import capture, distinct_ids


@pytest.fixture(scope="module")
def raw() -> Any:
    return capture("ollama", "tags-2025-12.json")


@pytest.fixture(scope="module")
def by_id(raw: Any) -> dict[str, ModelRecord]:
    return {record.id: record for record in ollama.parse_models(raw)}


def test_every_distinct_model_is_parsed(raw: Any) -> None:
    ids = distinct_ids(raw["models"], key="model")
    assert len(ids) == 5
    assert [record.id for record in ollama.parse_models(raw)] == ids


def test_fields_from_the_capture(by_id: dict[str, ModelRecord]) -> None:
    coder = by_id["qwen2.5-coder:14b"]
    assert coder.name == "qwen2.5-coder:14b"
    assert coder.description == "qwen2 family, 14.8B parameters, Q4_K_M quantization"
    # "2025-12-16T13:38:20.168721033Z": nanoseconds trimmed to microseconds.
    assert coder.created_at == datetime(2025, 12, 16, 13, 38, 20, 168721, tzinfo=UTC)
    assert coder.sources["created_at"] == "modified_at"
    assert by_id["codellama:7b"].description == "llama family, 7B parameters, Q4_0 quantization"


def test_text_models_chat_and_nothing_is_invented(by_id: dict[str, ModelRecord]) -> None:
    for record in by_id.values():
        assert record.capabilities == {C.CHAT, C.CONTENT}
        assert record.sources["capability.chat"] == "default:text-output"
        assert record.context_window is None
        assert record.input_price is None and record.output_price is None


def test_families_decide_embedding_and_vision() -> None:
    # CONSTRUCTED entries in the `/api/tags` shape.
    payload = {
        "models": [
            {"name": "nomic-embed-text:latest", "details": {"family": "nomic-bert"}},
            {"name": "llava:7b", "details": {"family": "llama", "families": ["llama", "clip"]}},
            {"name": "qwen2.5vl:7b", "details": {"family": "qwen25vl", "families": None}},
            {"name": "llama3.2-vision:11b", "details": {"family": "mllama"}},
            {"name": "", "details": {}},
        ]
    }
    found = {record.id: record for record in ollama.parse_models(payload)}
    assert list(found) == [
        "nomic-embed-text:latest",
        "llava:7b",
        "qwen2.5vl:7b",
        "llama3.2-vision:11b",
    ]
    embed = found["nomic-embed-text:latest"]
    assert embed.capabilities == {C.EMBEDDING}
    assert embed.sources["capability.embedding"] == "details.family"
    llava = found["llava:7b"]
    assert llava.capabilities == {C.CHAT, C.CONTENT, C.VISION}
    assert llava.sources["capability.vision"] == "details.families"
    assert found["qwen2.5vl:7b"].sources["capability.vision"] == "details.family"
    assert C.VISION in found["llama3.2-vision:11b"].capabilities


def test_spec() -> None:
    spec = ollama.SPEC
    assert (spec.kind, spec.base_url, spec.models_path) == (
        "ollama",
        "http://localhost:11434/api",
        "/tags",
    )
    assert not spec.needs_key
