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
from dataclasses import replace
from decimal import Decimal
from typing import Any
from urllib.parse import urljoin, urlsplit

from providers._capabilities import (
    MODALITY_CAPABILITIES,
    Detected,
    as_sources,
    from_modalities,
    settle,
)
from providers._convert import (
    entries,
    first_by_id,
    mapping,
    per_million,
    positive_int,
    string_list,
    text_or_none,
    timestamp,
)
from providers._spec import JSON, Capability, ModelRecord, NextPage, ProviderSpec

BASE_URL = "https://openrouter.ai/api/v1"
_Modalities = tuple[tuple[str, ...], tuple[str, ...], str, str]  # inputs, outputs, their sources
_TOKEN_OUTPUTS = frozenset({"text", "embeddings", "embedding"})  # billed per token
_SOURCES = {
    "input_price": "pricing.prompt",
    "output_price": "pricing.completion",
    "max_output_tokens": "top_provider.max_completion_tokens",
    "created_at": "created",
    "expires_at": "expiration_date",
    "owned_by": "id",
}


def parse_models(payload: JSON) -> list[ModelRecord]:
    """Every model of one page, first entry winning when an id repeats."""
    return [_record(model_id, raw, n) for model_id, raw, n in first_by_id(entries(payload))]


def next_page(payload: JSON, headers: Mapping[str, str]) -> NextPage:
    """`links.next` (null in every capture so far), followed only on OpenRouter's own host."""
    link = text_or_none(mapping(mapping(payload).get("links")).get("next"))
    url = urljoin(BASE_URL + "/", link) if link else ""
    return url if url and urlsplit(url).netloc == urlsplit(BASE_URL).netloc else None


def _record(model_id: str, raw: Mapping[str, Any], repeats: int) -> ModelRecord:
    name = text_or_none(raw.get("name")) or model_id
    modalities = _modalities(mapping(raw.get("architecture")))
    inputs, outputs, in_source, out_source = modalities
    params = string_list(raw.get("supported_parameters"))
    detected = _capabilities((model_id, name), modalities, params)
    input_price, output_price, price_note = _prices(model_id, mapping(raw.get("pricing")), outputs)
    top = mapping(raw.get("top_provider"))
    context, context_source = positive_int(top.get("context_length")), "top_provider.context_length"
    if context is None:
        context, context_source = positive_int(raw.get("context_length")), "context_length"
    record = ModelRecord(
        id=model_id,
        name=name,
        description=text_or_none(raw.get("description")),
        capabilities=frozenset(detected),
        input_price=input_price,
        output_price=output_price,
        context_window=context,
        max_output_tokens=positive_int(top.get("max_completion_tokens")),
        created_at=timestamp(raw.get("created")),
        expires_at=timestamp(raw.get("expiration_date")),
        owned_by=model_id.lstrip("~").partition("/")[0] if "/" in model_id else None,
        input_modalities=inputs,
        output_modalities=outputs,
        raw=raw,
    )
    found = _SOURCES | {"context_window": context_source, "input_modalities": in_source}
    found["output_modalities"] = out_source
    sources = {key: src for key, src in found.items() if getattr(record, key) not in (None, ())}
    sources |= price_note | as_sources(detected)
    if repeats:
        sources["duplicates"] = f"later entries with this id ignored: {repeats}"
    return replace(record, sources=sources)


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
    detected = from_modalities((), outputs, out_source)
    for cap, source in from_modalities(inputs, outputs, in_source).items():
        detected.setdefault(cap, source)  # vision/audio input is credited to the input array
    if "tools" in params:
        detected[Capability.TOOLS] = "supported_parameters"
    if {"reasoning", "include_reasoning"} & set(params):
        detected[Capability.REASONING] = "supported_parameters"
    return settle(detected, *names, declared=MODALITY_CAPABILITIES if outputs else ())


def _prices(
    model_id: str, pricing: Mapping[str, Any], outputs: tuple[str, ...]
) -> tuple[Decimal | None, Decimal | None, dict[str, str]]:
    """Base-tier token prices per 1M. `pricing.overrides` (tiers by prompt length or time of
    day) stays in `raw`: the base tier is the price most requests pay."""
    if outputs and not _TOKEN_OUTPUTS & set(outputs) and not model_id.endswith(":free"):
        note = f"not per token for {'/'.join(outputs)} output: see raw pricing"
        return None, None, {"pricing": note}
    return per_million(pricing.get("prompt")), per_million(pricing.get("completion")), {}


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
)
