"""OpenRouter parser on the five real captures (2024-09 bare array .. 2026-08 all modalities).

Expected figures were read from the capture files; sets such as "every embedding model" are
recomputed here from the raw JSON, independently of the parser.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from providers import openrouter
from providers._spec import Capability, ModelRecord
from tests.providers._captures import capture

ERAS = (
    "models-data-array-2024-09.json",
    "models-2025-04.json",
    "models-2025-05.json",
    "models-2026-08.json",
    "models-all-output-modalities-2026-08.json",
)
ALL = "models-all-output-modalities-2026-08.json"


def raw_models(name: str) -> list[dict[str, Any]]:
    payload = capture("openrouter", name)
    models: list[dict[str, Any]] = payload if isinstance(payload, list) else payload["data"]
    return models


def parsed(name: str) -> dict[str, ModelRecord]:
    return {record.id: record for record in openrouter.parse_models(capture("openrouter", name))}


def with_capability(records: dict[str, ModelRecord], cap: Capability) -> set[str]:
    return {model_id for model_id, record in records.items() if cap in record.capabilities}


@pytest.mark.parametrize("name", ERAS)
def test_every_model_of_every_era_is_parsed(name: str) -> None:
    raw_ids = [model["id"] for model in raw_models(name)]
    records = openrouter.parse_models(capture("openrouter", name))
    assert len(records) == len(set(raw_ids))
    assert [record.id for record in records] == list(dict.fromkeys(raw_ids))


def test_era_sizes_match_the_fixture_readme() -> None:
    assert [len(parsed(name)) for name in ERAS] == [170, 293, 321, 414, 549]


@pytest.mark.parametrize(
    ("name", "model_id", "prices"),
    [
        ("models-data-array-2024-09.json", "openai/gpt-4o", ("5", "15")),
        ("models-data-array-2024-09.json", "anthropic/claude-3.5-sonnet", ("3", "15")),
        ("models-2025-04.json", "openai/gpt-4o", ("2.5", "10")),
        ("models-2025-05.json", "openai/gpt-4o-mini", ("0.15", "0.6")),
        ("models-2026-08.json", "openai/gpt-4o", ("2.5", "10")),
        (ALL, "openai/gpt-4o-mini", ("0.15", "0.6")),
        (ALL, "openai/text-embedding-3-small", ("0.02", "0")),
        # Tiered (`pricing.overrides`) models: the base tier is the price.
        (ALL, "x-ai/grok-4.6", ("2", "6")),
        (ALL, "deepseek/deepseek-v4-pro-0813", ("0.66", "1.98")),
    ],
)
def test_known_prices_per_million_are_exact(
    name: str, model_id: str, prices: tuple[str, str]
) -> None:
    record = parsed(name)[model_id]
    assert (record.input_price, record.output_price) == (Decimal(prices[0]), Decimal(prices[1]))
    assert str(record.input_price) == prices[0]  # no exponent notation such as 2.50E+0


@pytest.mark.parametrize("name", ERAS)
def test_free_variants_cost_zero(name: str) -> None:
    records = parsed(name)
    free = [m["id"] for m in raw_models(name) if m["id"].endswith(":free")]
    assert free
    for model_id in free:
        assert records[model_id].input_price == Decimal(0), model_id
        assert records[model_id].output_price == Decimal(0), model_id
    if name == "models-data-array-2024-09.json":
        assert records["mattshumer/reflection-70b:free"].input_price == Decimal(0)


@pytest.mark.parametrize("name", ERAS)
def test_variable_price_routers_have_no_price(name: str) -> None:
    routers = {m["id"] for m in raw_models(name) if m["pricing"]["prompt"] == "-1"}
    assert "openrouter/auto" in routers
    records = parsed(name)
    for model_id in routers:
        assert records[model_id].input_price is None
        assert records[model_id].output_price is None
        assert "input_price" not in records[model_id].sources


@pytest.mark.parametrize("name", ERAS)
def test_no_price_is_ever_negative_or_a_float(name: str) -> None:
    for record in parsed(name).values():
        for price in (record.input_price, record.output_price):
            assert price is None or (isinstance(price, Decimal) and price >= 0), record.id


def test_media_only_models_do_not_read_as_free() -> None:
    records = parsed(ALL)
    veo = records["google/veo-3.1"]  # prompt "0", completion "0": billed per video elsewhere
    assert (veo.input_price, veo.output_price) == (None, None)
    assert veo.sources["pricing"] == "not per token for video output: see raw pricing"
    assert veo.raw["pricing"] == {"prompt": "0", "completion": "0"}
    whisper = records["openai/whisper-1"]  # "0.006" is per minute of audio, not per token
    assert whisper.input_price is None
    flux_tts = records["deepgram/flux-tts:free"]
    assert (flux_tts.input_price, flux_tts.output_price) == (Decimal(0), Decimal(0))


def test_cache_prices_are_read_from_the_list() -> None:
    """OpenRouter lists prompt-cache prices per token beside the others (2025-05 era on)."""
    records = parsed(ALL)
    gpt4o = records["openai/gpt-4o"]  # input_cache_read "0.00000125"
    assert (gpt4o.cache_read_price, gpt4o.cache_write_price) == (Decimal("1.25"), None)
    writes = [r for r in records.values() if r.cache_write_price is not None]
    assert writes, "Anthropic's models on OpenRouter list input_cache_write"
    assert all(r.sources["cache_write_price"] == "pricing.input_cache_write" for r in writes)


def test_context_prefers_top_provider_then_falls_back() -> None:
    old = parsed("models-data-array-2024-09.json")
    reflection = old["mattshumer/reflection-70b:free"]  # context_length 131072, top 8192
    assert reflection.context_window == 8192
    assert reflection.sources["context_window"] == "top_provider.context_length"
    assert old["openrouter/auto"].context_window == 200000
    assert old["openrouter/auto"].sources["context_window"] == "context_length"
    new = parsed(ALL)
    assert new["openrouter/auto"].context_window == 2000000
    assert new["openai/gpt-4o"].context_window == 128000
    assert new["openai/gpt-4o"].max_output_tokens == 16384
    assert new["google/veo-3.1"].context_window is None  # "0" is not a window


def test_figures_carry_their_sources() -> None:
    gpt4o = parsed(ALL)["openai/gpt-4o"]
    assert dict(gpt4o.sources) == {
        "input_price": "pricing.prompt",
        "output_price": "pricing.completion",
        "cache_read_price": "pricing.input_cache_read",
        "context_window": "top_provider.context_length",
        "max_output_tokens": "top_provider.max_completion_tokens",
        "created_at": "created",
        "owned_by": "id",
        "input_modalities": "architecture.input_modalities",
        "output_modalities": "architecture.output_modalities",
        "capability.chat": "architecture.output_modalities",
        "capability.content": "architecture.output_modalities",
        "capability.vision": "architecture.input_modalities",
        "capability.tools": "supported_parameters",
    }
    assert gpt4o.created_at == datetime(2024, 5, 13, tzinfo=UTC)
    assert gpt4o.owned_by == "openai"
    assert gpt4o.input_modalities == ("text", "image", "file")


@pytest.mark.parametrize(
    ("output", "capability"),
    [
        ("image", Capability.IMAGE),
        ("embeddings", Capability.EMBEDDING),
        ("video", Capability.VIDEO),
        ("rerank", Capability.RERANK),
        ("transcription", Capability.TRANSCRIPTION),
        ("speech", Capability.SPEECH),
        ("audio", Capability.AUDIO),
    ],
)
def test_all_modalities_capture_detects_media_models(output: str, capability: Capability) -> None:
    raw = raw_models(ALL)
    expected = {m["id"] for m in raw if output in m["architecture"]["output_modalities"]}
    if capability is Capability.SPEECH:  # audio output is speech too (gpt-audio, lyria)
        expected |= {m["id"] for m in raw if "audio" in m["architecture"]["output_modalities"]}
    if capability is Capability.AUDIO:
        expected |= {
            m["id"]
            for m in raw
            if {"speech", "transcription"} & set(m["architecture"]["output_modalities"])
            or (
                "audio" in m["architecture"]["input_modalities"]
                and "text" in m["architecture"]["output_modalities"]
            )
        }
    assert expected
    records = parsed(ALL)
    assert with_capability(records, capability) == expected
    for model_id in expected:
        assert (
            records[model_id].sources[f"capability.{capability.value}"].startswith("architecture.")
        )


def test_all_modalities_counts_match_the_fixture_readme() -> None:
    records = parsed(ALL)
    counts = {cap: len(with_capability(records, cap)) for cap in Capability}
    assert counts[Capability.EMBEDDING] == 34
    assert counts[Capability.VIDEO] == 23
    assert counts[Capability.TRANSCRIPTION] == 19
    assert counts[Capability.RERANK] == 7
    # Non-chat models are not chat models: 549 listed, 414 with text output.
    assert counts[Capability.CHAT] == 414


def test_names_cannot_contradict_declared_modalities() -> None:
    records = parsed(ALL)
    assert records["deepgram/flux-tts:free"].capabilities == {Capability.AUDIO, Capability.SPEECH}
    assert Capability.IMAGE not in records["black-forest-labs/flux-3-video"].capabilities
    assert Capability.TRANSCRIPTION not in records["mistralai/voxtral-mini-tts-2603"].capabilities
    guard = records["meta-llama/llama-guard-4-12b"]  # no metadata says "moderation": keyword
    assert guard.sources["capability.moderation"] == "keyword:guard"


def test_old_era_falls_back_to_the_modality_string() -> None:
    raw = raw_models("models-data-array-2024-09.json")
    assert all("input_modalities" not in m["architecture"] for m in raw)
    expected_vision = {m["id"] for m in raw if m["architecture"]["modality"] == "text+image->text"}
    records = parsed("models-data-array-2024-09.json")
    assert len(expected_vision) == 22
    assert with_capability(records, Capability.VISION) == expected_vision
    gpt4o = records["openai/gpt-4o"]
    assert gpt4o.input_modalities == ("text", "image")
    assert gpt4o.output_modalities == ("text",)
    assert gpt4o.sources["capability.vision"] == "architecture.modality"
    assert gpt4o.sources["capability.chat"] == "architecture.modality"


def test_arrays_win_over_the_modality_string() -> None:
    entry = {
        "id": "acme/model",
        "architecture": {
            "modality": "text->text",
            "input_modalities": ["text", "image"],
            "output_modalities": ["text"],
        },
    }
    (record,) = openrouter.parse_models({"data": [entry]})
    assert Capability.VISION in record.capabilities
    assert record.sources["capability.vision"] == "architecture.input_modalities"


def test_tools_and_reasoning_come_from_supported_parameters() -> None:
    raw = raw_models("models-2025-05.json")
    tools = {m["id"] for m in raw if "tools" in m["supported_parameters"]}
    reasoning = {
        m["id"] for m in raw if {"reasoning", "include_reasoning"} & set(m["supported_parameters"])
    }
    records = parsed("models-2025-05.json")
    assert (len(tools), len(reasoning)) == (132, 56)
    assert with_capability(records, Capability.TOOLS) == tools
    assert with_capability(records, Capability.REASONING) == reasoning
    assert not with_capability(parsed("models-2025-04.json"), Capability.TOOLS)  # not listed yet


def test_expiration_date_is_read() -> None:
    records = parsed(ALL)
    assert records["z-ai/glm-4.5"].expires_at == datetime(2026, 12, 31, tzinfo=UTC)
    assert records["z-ai/glm-4.5"].sources["expires_at"] == "expiration_date"
    assert records["openai/gpt-4o"].expires_at is None


def test_variants_and_aliases_are_separate_models() -> None:
    records = parsed(ALL)
    raw = raw_models(ALL)
    same_slug = [m["id"] for m in raw if m["canonical_slug"] == "z-ai/glm-5.2-20260616"]
    assert same_slug == ["z-ai/glm-5.2", "z-ai/glm-5.2:batch", "z-ai/glm-5.2:free"]
    assert all(model_id in records for model_id in same_slug)
    aliases = [m["id"] for m in raw if "alias_target" in m]
    assert len(aliases) == 11
    assert all(model_id in records for model_id in aliases)
    assert records["~x-ai/grok-latest"].owned_by == "x-ai"


def test_duplicates_keep_the_first_and_say_so() -> None:
    first = {"id": "a/m", "name": "First", "pricing": {"prompt": "0.000001", "completion": "0"}}
    later = {"id": "a/m", "name": "Later", "pricing": {"prompt": "0.000009", "completion": "0"}}
    payload = {"data": [first, "junk", None, {"name": "no id"}, {"id": ""}, later, later]}
    (record,) = openrouter.parse_models(payload)
    assert (record.name, record.input_price) == ("First", Decimal(1))
    assert record.sources["duplicates"] == "later entries with this id ignored: 2"


def test_a_payload_that_is_not_a_list_is_rejected() -> None:
    with pytest.raises(ValueError, match="data"):
        openrouter.parse_models({"error": {"message": "rate limited"}})


def test_next_page_follows_links_next_on_openrouter_only() -> None:
    assert openrouter.next_page(capture("openrouter", ALL), {}) is None  # links.next is null
    assert openrouter.next_page(raw_models(ALL), {}) is None
    relative = {"links": {"next": "/api/v1/models?output_modalities=all&page=2"}}
    assert openrouter.next_page(relative, {}) == (
        "https://openrouter.ai/api/v1/models?output_modalities=all&page=2"
    )
    assert openrouter.next_page({"links": {"next": "https://evil.example/x"}}, {}) is None


def test_spec_asks_for_every_output_modality() -> None:
    spec = openrouter.SPEC
    assert (spec.kind, spec.base_url, spec.models_path) == (
        "openrouter",
        "https://openrouter.ai/api/v1",
        "/models",
    )
    assert spec.requests == ({"output_modalities": "all"},)
    assert spec.needs_key is False
