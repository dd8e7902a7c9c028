"""Anthropic parser on the real capture `anthropic/models-2025-05.json` (11 models).

The second-page and newer-schema payloads below are CONSTRUCTED (the capture has one page and
the 2025 schema); their shape follows Anthropic's API reference / Python SDK `ModelInfo`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from providers import anthropic
from providers._spec import Capability as C
from providers._spec import ModelRecord
from tests.providers._captures import capture, distinct_ids


@pytest.fixture(scope="module")
def raw() -> Any:
    return capture("anthropic", "models-2025-05.json")


@pytest.fixture(scope="module")
def by_id(raw: Any) -> dict[str, ModelRecord]:
    return {record.id: record for record in anthropic.parse_models(raw)}


def test_every_distinct_id_is_parsed(raw: Any) -> None:
    ids = distinct_ids(raw["data"])
    assert len(ids) == 11
    assert [record.id for record in anthropic.parse_models(raw)] == ids


def test_names_and_release_dates(by_id: dict[str, ModelRecord]) -> None:
    sonnet = by_id["claude-3-7-sonnet-20250219"]
    assert sonnet.name == "Claude Sonnet 3.7"
    assert sonnet.created_at == datetime(2025, 2, 24, tzinfo=UTC)
    assert by_id["claude-3-5-sonnet-20241022"].name == "Claude Sonnet 3.5 (New)"
    assert by_id["claude-2.0"].created_at == datetime(2023, 7, 11, tzinfo=UTC)
    assert sonnet.sources["name"] == "display_name"
    assert sonnet.sources["created_at"] == "created_at"


def test_chat_models_without_invented_figures(by_id: dict[str, ModelRecord]) -> None:
    for record in by_id.values():
        assert record.capabilities == {C.CHAT, C.CONTENT}
        assert record.sources["capability.chat"] == "default:text-output"
        # The 2025 schema says nothing about images, and the list includes Claude 2.x.
        assert C.VISION not in record.capabilities
        assert record.context_window is None and record.max_output_tokens is None
        assert record.input_price is None and record.output_price is None


def test_single_page_capture_has_no_next_page(raw: Any) -> None:
    assert raw["has_more"] is False
    assert anthropic.next_page(raw, {}) is None


def test_next_page_follows_last_id_while_has_more() -> None:
    # CONSTRUCTED: a first page of two that announces more.
    page = {
        "data": [
            {"type": "model", "id": "claude-opus-4-20250514", "display_name": "Claude Opus 4"},
            {"type": "model", "id": "claude-sonnet-4-20250514", "display_name": "Claude Sonnet 4"},
        ],
        "has_more": True,
        "first_id": "claude-opus-4-20250514",
        "last_id": "claude-sonnet-4-20250514",
    }
    assert anthropic.next_page(page, {}) == {"after_id": "claude-sonnet-4-20250514"}
    assert anthropic.next_page({**page, "has_more": "true"}, {}) is None
    assert anthropic.next_page({**page, "last_id": None}, {}) is None
    assert anthropic.next_page([], {}) is None


def test_newer_schema_figures_and_flags_are_read_first() -> None:
    # CONSTRUCTED after the SDK's ModelInfo / ModelCapabilities (fields trimmed).
    payload = {
        "data": [
            {
                "type": "model",
                "id": "claude-sonnet-4-5-20250929",
                "display_name": "Claude Sonnet 4.5",
                "created_at": "2025-09-29T00:00:00Z",
                "max_input_tokens": 200000,
                "max_tokens": 64000,
                "retires_at": "2026-09-29T00:00:00Z",
                "lifecycle": "active",
                "capabilities": {
                    "image_input": {"supported": True},
                    "pdf_input": {"supported": True},
                    "thinking": {"supported": True, "types": {}},
                },
            },
            {
                "type": "model",
                "id": "claude-text-only",
                "display_name": "Text only",
                "created_at": "1970-01-01T00:00:00Z",
                "capabilities": {
                    "image_input": {"supported": False},
                    "thinking": {"supported": False},
                },
            },
        ],
        "has_more": False,
    }
    sonnet, text_only = anthropic.parse_models(payload)
    assert sonnet.context_window == 200000
    assert sonnet.max_output_tokens == 64000
    assert sonnet.expires_at == datetime(2026, 9, 29, tzinfo=UTC)
    assert sonnet.capabilities == {C.CHAT, C.CONTENT, C.VISION, C.REASONING}
    assert sonnet.sources["capability.vision"] == "capabilities.image_input.supported"
    assert sonnet.sources["context_window"] == "max_input_tokens"
    assert sonnet.sources["max_output_tokens"] == "max_tokens"
    assert text_only.capabilities == {C.CHAT, C.CONTENT}
    assert text_only.created_at is None  # the epoch means "unknown"


def test_spec() -> None:
    spec = anthropic.SPEC
    assert (spec.kind, spec.base_url, spec.models_path) == (
        "anthropic",
        "https://api.anthropic.com/v1",
        "/models",
    )
    assert spec.needs_key
    assert spec.auth_headers("sk-ant") == {"x-api-key": "sk-ant"}
    assert dict(spec.extra_headers) == {"anthropic-version": "2023-06-01"}
    assert spec.requests == ({"limit": "1000"},)
    assert spec.next_page is anthropic.next_page
