"""Together parser on a CONSTRUCTED fixture.

No capture of Together's `GET /v1/models` exists. `together/models-constructed.json` is built by
hand from Together's OpenAPI reference (see the README next to it); its numbers are illustrative.
These tests check the parser's rules, not Together's catalogue.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from providers import together
from providers._spec import Capability as C
from providers._spec import ModelRecord
from tests.providers._captures import FIXTURES, capture, distinct_ids

FIXTURE = "models-constructed.json"


@pytest.fixture(scope="module")
def raw() -> Any:
    return capture("together", FIXTURE)


@pytest.fixture(scope="module")
def by_id(raw: Any) -> dict[str, ModelRecord]:
    return {record.id: record for record in together.parse_models(raw)}


def test_fixture_is_labelled_constructed() -> None:
    readme = (FIXTURES / "together" / "README.md").read_text(encoding="utf-8")
    assert "CONSTRUCTED" in readme
    assert "CONSTRUCTED" in (together.__doc__ or "")
    assert (FIXTURES / "together" / FIXTURE).exists()


def test_bare_array_one_record_per_distinct_id(raw: Any) -> None:
    assert isinstance(raw, list)
    ids = distinct_ids(raw)
    assert len(raw) == 15 and len(ids) == 13  # one repeated id, one entry without an id
    assert [record.id for record in together.parse_models(raw)] == ids
    assert [r.id for r in together.parse_models({"data": raw})] == ids


def test_first_occurrence_wins(by_id: dict[str, ModelRecord]) -> None:
    llama = by_id["meta-llama/Llama-3.3-70B-Instruct-Turbo"]
    assert llama.context_window == 131072
    assert llama.input_price == Decimal("0.88")


def test_fields(by_id: dict[str, ModelRecord]) -> None:
    llama = by_id["meta-llama/Llama-3.3-70B-Instruct-Turbo"]
    assert llama.name == "Meta Llama 3.3 70B Instruct Turbo"
    assert llama.owned_by == "Meta"
    assert llama.sources["name"] == "display_name"
    assert llama.sources["owned_by"] == "organization"
    assert llama.sources["context_window"] == "context_length"
    assert llama.created_at is not None and llama.created_at.year == 2024


def test_prices_are_usd_per_million_tokens_as_sent(by_id: dict[str, ModelRecord]) -> None:
    qwen = by_id["Qwen/Qwen2.5-VL-72B-Instruct"]
    assert (qwen.input_price, qwen.output_price) == (Decimal("1.95"), Decimal("8"))
    assert qwen.sources["input_price"] == "pricing.input"
    assert qwen.sources["output_price"] == "pricing.output"
    embedding = by_id["BAAI/bge-large-en-v1.5"]
    assert (embedding.input_price, embedding.output_price) == (Decimal("0.02"), Decimal("0"))


@pytest.mark.parametrize(
    "model_id",
    [
        "black-forest-labs/FLUX.1-schnell",  # billed per image
        "cartesia/sonic-2",  # billed per character / second
        "openai/whisper-large-v3",  # billed per audio minute
        "google/veo-3.0",  # billed per video
        "mistralai/Mixtral-8x22B-Instruct-v0.1",  # token prices 0, billed hourly
        "example-org/Unknown-Type-Model",  # unknown type: unknown billing
    ],
)
def test_prices_that_are_not_per_token_are_unknown(
    by_id: dict[str, ModelRecord], model_id: str
) -> None:
    record = by_id[model_id]
    assert record.input_price is None and record.output_price is None
    assert "input_price" not in record.sources


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("meta-llama/Llama-3.3-70B-Instruct-Turbo", {C.CHAT, C.CONTENT}),
        ("Qwen/Qwen2.5-VL-72B-Instruct", {C.CHAT, C.CONTENT, C.VISION}),
        ("meta-llama/Meta-Llama-3-8B", {C.CONTENT}),
        ("Qwen/Qwen2.5-Coder-32B-Instruct", {C.CONTENT}),
        ("BAAI/bge-large-en-v1.5", {C.EMBEDDING}),
        ("black-forest-labs/FLUX.1-schnell", {C.IMAGE}),
        ("meta-llama/Llama-Guard-4-12B", {C.MODERATION}),
        ("Salesforce/Llama-Rank-V1", {C.RERANK}),
        ("cartesia/sonic-2", {C.AUDIO, C.SPEECH}),
        ("openai/whisper-large-v3", {C.AUDIO, C.TRANSCRIPTION}),
        ("google/veo-3.0", {C.VIDEO}),
        ("example-org/Unknown-Type-Model", {C.CHAT, C.CONTENT}),
    ],
)
def test_capabilities_from_type(
    by_id: dict[str, ModelRecord], model_id: str, expected: set[C]
) -> None:
    assert by_id[model_id].capabilities == expected


def test_capability_sources(by_id: dict[str, ModelRecord]) -> None:
    assert by_id["BAAI/bge-large-en-v1.5"].sources["capability.embedding"] == "type"
    assert by_id["Qwen/Qwen2.5-VL-72B-Instruct"].sources["capability.vision"] == "keyword:vl"
    unknown = by_id["example-org/Unknown-Type-Model"]
    assert unknown.sources["capability.chat"] == "default:text-output"


def test_spec() -> None:
    spec = together.SPEC
    assert (spec.kind, spec.base_url, spec.models_path) == (
        "together",
        "https://api.together.xyz/v1",
        "/models",
    )
    assert spec.needs_key
    assert spec.auth_headers("t") == {"Authorization": "Bearer t"}
