"""OpenAI-compatible parser: the real OpenAI capture, plus CONSTRUCTED server payloads.

No vLLM, LM Studio or LiteLLM capture exists; the payloads below are CONSTRUCTED after each
server's documented `/v1/models` objects (vLLM's `ModelCard`, LM Studio's REST model objects).
"""

from __future__ import annotations

from typing import Any

import pytest

from providers import openai_compatible
from providers._spec import Capability as C
from tests.providers._captures import capture, distinct_ids

VLLM = {  # CONSTRUCTED
    "object": "list",
    "data": [
        {
            "id": "Qwen/Qwen2.5-7B-Instruct",
            "object": "model",
            "created": 1735000000,
            "owned_by": "vllm",
            "root": "Qwen/Qwen2.5-7B-Instruct",
            "parent": None,
            "max_model_len": 32768,
            "permission": [{"id": "modelperm-1", "object": "model_permission"}],
        },
        {
            "id": "sql-lora",
            "object": "model",
            "created": 0,
            "owned_by": "vllm",
            "root": "/adapters/sql",
            "parent": "Qwen/Qwen2.5-7B-Instruct",
        },
    ],
}
LM_STUDIO = {  # CONSTRUCTED after LM Studio's REST model objects
    "object": "list",
    "data": [
        {
            "id": "qwen2-vl-7b-instruct",
            "object": "model",
            "type": "vlm",
            "publisher": "mlx-community",
            "arch": "qwen2_vl",
            "quantization": "4bit",
            "state": "not-loaded",
            "max_context_length": 32768,
        },
        {
            "id": "text-embedding-nomic-embed-text-v1.5",
            "object": "model",
            "type": "embeddings",
            "max_context_length": 2048,
        },
        {"id": "meta-llama-3.1-8b-instruct", "object": "model", "type": "llm"},
    ],
}


def test_openai_capture_reads_the_same_ids() -> None:
    raw: Any = capture("openai", "models-2025-05.json")
    records = openai_compatible.parse_models(raw)
    assert [record.id for record in records] == distinct_ids(raw["data"])
    found = {record.id: record for record in records}
    assert found["text-embedding-3-small"].capabilities == {C.EMBEDDING}
    assert found["whisper-1"].capabilities == {C.AUDIO, C.TRANSCRIPTION}
    assert found["gpt-4o"].capabilities == {C.CHAT, C.CONTENT}
    assert found["gpt-4o"].sources["capability.chat"] == "default:text-output"


def test_vllm_max_model_len_is_the_context_window() -> None:
    base, adapter = openai_compatible.parse_models(VLLM)
    assert base.context_window == 32768
    assert base.sources["context_window"] == "max_model_len"
    assert base.owned_by == "vllm"
    assert base.created_at is not None
    assert adapter.context_window is None
    assert adapter.created_at is None  # created 0: no date


def test_lm_studio_type_and_context() -> None:
    vlm, embed, llm = openai_compatible.parse_models(LM_STUDIO)
    assert vlm.capabilities == {C.CHAT, C.CONTENT, C.VISION}
    assert vlm.sources["capability.vision"] == "type"
    assert vlm.context_window == 32768
    assert vlm.sources["context_window"] == "max_context_length"
    assert embed.capabilities == {C.EMBEDDING}
    assert llm.capabilities == {C.CHAT, C.CONTENT}


def test_litellm_plain_list_and_bare_array() -> None:
    plain = [{"id": "claude-3-haiku", "object": "model", "created": 1677610602, "owned_by": "x"}]
    (record,) = openai_compatible.parse_models({"object": "list", "data": plain})
    assert record.owned_by == "x"
    assert record.context_window is None
    assert openai_compatible.parse_models(plain) == [record]
    with pytest.raises(ValueError):
        openai_compatible.parse_models({"data": "oops"})


def test_spec() -> None:
    spec = openai_compatible.SPEC
    assert spec.kind == "openai_compatible"
    assert spec.display_name == "OpenAI-compatible server"
    assert spec.base_url == "http://127.0.0.1:8000/v1"
    assert spec.models_path == "/models"
    assert not spec.needs_key
    assert spec.auth_headers("k") == {"Authorization": "Bearer k"}
