"""OpenRouter `GET /api/v1/models`: a keyless aggregator catalog, read across five schema eras.

The list hides image, audio, embedding and rerank models unless asked for `output_modalities=all`,
and its shape has drifted: a bare array in 2024, `{"data": [...]}` since, with
`architecture.input_modalities`/`output_modalities` arrays only from 2025 (older entries carry just
the `modality` string, `text+image->text`, read here only as a fallback), `supported_parameters`
from mid-2025 and `links.next` from 2026. Prices are strings in USD per token, `"-1"` for routers
whose price varies; `top_provider.context_length` (what the serving provider accepts) may be
smaller than `context_length` or null. Models that output only media (image, video, speech,
transcription, rerank) put `"0"` or a per-minute/per-image figure in `prompt`/`completion`, so
their token prices are left unknown (`None`) unless the id is a `:free` variant, and the real
per-unit pricing stays in `raw`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from providers._capabilities import MODALITY_CAPABILITIES, Detected, from_modalities, settle
from providers._convert import (
    mapping,
    per_million,
    positive_int,
    string_list,
    text_or_none,
    timestamp,
)
from providers._records import Draft, Entry, parse_entries
from providers._spec import JSON, Capability, ModelRecord, NextPage, ProviderSpec

BASE_URL = "https://openrouter.ai/api/v1"
_Modalities = tuple[tuple[str, ...], tuple[str, ...], str, str]  # inputs, outputs, their sources
_TOKEN_OUTPUTS = frozenset({"text", "embeddings", "embedding"})  # billed per token


def parse_models(payload: JSON) -> list[ModelRecord]:
    """Every model of one page, first entry winning when an id repeats."""
    return parse_entries(payload, "data", _build)


def next_page(payload: JSON, headers: Mapping[str, str]) -> NextPage:
    """`links.next` (null in every capture so far), followed only on OpenRouter's own host."""
    link = text_or_none(mapping(mapping(payload).get("links")).get("next"))
    url = urljoin(BASE_URL + "/", link) if link else ""
    return url if url and urlsplit(url).netloc == urlsplit(BASE_URL).netloc else None


def _build(entry: Entry) -> ModelRecord | None:
    draft = Draft.of(entry)
    if draft is None:
        return None
    draft.put("name", text_or_none(entry.get("name")), None)
    draft.put("description", text_or_none(entry.get("description")), None)
    modalities = _modalities(mapping(entry.get("architecture")))
    inputs, outputs, in_source, out_source = modalities
    # Base-tier prices; `pricing.overrides` (tiers by prompt length or time of day) stays in `raw`.
    per_token = _per_token(draft.id, outputs)
    pricing = mapping(entry.get("pricing")) if per_token else {}
    draft.put("input_price", per_million(pricing.get("prompt")), "pricing.prompt")
    draft.put("output_price", per_million(pricing.get("completion")), "pricing.completion")
    read, write = pricing.get("input_cache_read"), pricing.get("input_cache_write")
    draft.put("cache_read_price", per_million(read), "pricing.input_cache_read")
    draft.put("cache_write_price", per_million(write), "pricing.input_cache_write")
    top = mapping(entry.get("top_provider"))
    max_tokens = positive_int(top.get("max_completion_tokens"))
    draft.put("max_output_tokens", max_tokens, "top_provider.max_completion_tokens")
    draft.put("created_at", timestamp(entry.get("created")), "created")
    draft.put("expires_at", timestamp(entry.get("expiration_date")), "expiration_date")
    owner = draft.id.lstrip("~").partition("/")[0] if "/" in draft.id else None
    draft.put("owned_by", owner, "id")
    context = positive_int(top.get("context_length"))
    draft.put("context_window", context, "top_provider.context_length")
    if context is None:
        draft.put("context_window", positive_int(entry.get("context_length")), "context_length")
    draft.put("input_modalities", inputs, in_source)
    draft.put("output_modalities", outputs, out_source)
    if not per_token:
        draft.sources["pricing"] = f"not per token for {'/'.join(outputs)} output: see raw pricing"
    params = string_list(entry.get("supported_parameters"))
    return draft.build(_capabilities((draft.id, draft.name), modalities, params))


def _per_token(model_id: str, outputs: tuple[str, ...]) -> bool:
    """Whether `pricing.prompt`/`completion` are token prices: not for media-only outputs."""
    return not outputs or bool(_TOKEN_OUTPUTS & set(outputs)) or model_id.endswith(":free")


def _modalities(arch: Mapping[str, Any]) -> _Modalities:
    """The declared arrays; the pre-2025 `modality` string (`text+image->text`) without them."""
    inputs = string_list(arch.get("input_modalities"))
    outputs = string_list(arch.get("output_modalities"))
    if inputs or outputs:
        return inputs, outputs, "architecture.input_modalities", "architecture.output_modalities"
    left, arrow, right = (text_or_none(arch.get("modality")) or "").partition("->")
    if not arrow:
        return (), (), "", ""
    source = "architecture.modality"
    return string_list(left.split("+")), string_list(right.split("+")), source, source


def _capabilities(names: tuple[str, str], modal: _Modalities, params: tuple[str, ...]) -> Detected:
    inputs, outputs, in_source, out_source = modal
    detected = from_modalities(inputs, outputs, out_source, in_source)  # vision: the input array
    if "tools" in params:
        detected[Capability.TOOLS] = "supported_parameters"
    if {"reasoning", "include_reasoning"} & set(params):
        detected[Capability.REASONING] = "supported_parameters"
    return settle(detected, *names, declared=MODALITY_CAPABILITIES if outputs else ())


SPEC = ProviderSpec(
    kind="openrouter",
    display_name="OpenRouter",
    base_url=BASE_URL,
    models_path="/models",
    parse_models=parse_models,
    requests=({"output_modalities": "all"},),  # the default lists text-output models only
    next_page=next_page,
    max_pages=10,
    docs_url="https://openrouter.ai/docs/api-reference/models/get-models",
    generation="openai",
)
