"""Groq `GET /openai/v1/models`: an OpenAI-style list (bearer key) with a few extra figures.

Groq adds `context_window`, `active` and, since 2025, `max_completion_tokens` to the OpenAI
shape, but says nothing about prices or what a model does: whisper (speech to text), Orpheus
text-to-speech and the guard / prompt-guard classifiers sit in the same list as the chat models,
so capabilities come from the documented keyword rules on the id (unless an entry carries the
`input_modalities`/`output_modalities` arrays of Groq's newer schema, which then win). The
figures are reported as given even when odd: whisper's window is 448, and Orpheus allows
50 000 completion "tokens" in a 4 000-token window. `owned_by` is a display name ("Meta",
"Alibaba Cloud"); `created` is 2023-09-03 (1693721698) for every model Groq listed before it
tracked dates. Models with `active: false` are kept; the flag stays visible in `raw`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

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
    positive_int,
    string_list,
    text_or_none,
    timestamp,
)
from providers._spec import JSON, ModelRecord, ProviderSpec

_SOURCES = {
    "context_window": "context_window",
    "max_output_tokens": "max_completion_tokens",
    "created_at": "created",
    "owned_by": "owned_by",
    "input_modalities": "input_modalities",
    "output_modalities": "output_modalities",
}


def parse_models(payload: JSON) -> list[ModelRecord]:
    """Every listed model, active or not, first entry winning when an id repeats.

    Prices stay `None`: Groq's list has none, and an unknown price must not read as free.
    """
    return [_record(model_id, raw, n) for model_id, raw, n in first_by_id(entries(payload))]


def _record(model_id: str, raw: Mapping[str, Any], repeats: int) -> ModelRecord:
    name = text_or_none(raw.get("name")) or model_id
    inputs = string_list(raw.get("input_modalities"))
    outputs = string_list(raw.get("output_modalities"))
    detected = _capabilities(model_id, name, inputs, outputs)
    record = ModelRecord(
        id=model_id,
        name=name,
        description=text_or_none(raw.get("description")),
        capabilities=frozenset(detected),
        context_window=positive_int(raw.get("context_window")),
        max_output_tokens=positive_int(raw.get("max_completion_tokens")),
        created_at=timestamp(raw.get("created")),
        owned_by=text_or_none(raw.get("owned_by")),
        input_modalities=inputs,
        output_modalities=outputs,
        raw=raw,
    )
    sources = {key: src for key, src in _SOURCES.items() if getattr(record, key) not in (None, ())}
    sources |= as_sources(detected)
    if repeats:
        sources["duplicates"] = f"later entries with this id ignored: {repeats}"
    return replace(record, sources=sources)


def _capabilities(
    model_id: str, name: str, inputs: tuple[str, ...], outputs: tuple[str, ...]
) -> Detected:
    """Declared modalities first (newer schema); otherwise keyword rules and the chat default."""
    if not outputs:
        return settle({}, model_id, name)
    detected = from_modalities((), outputs, "output_modalities")
    for cap, source in from_modalities(inputs, outputs, "input_modalities").items():
        detected.setdefault(cap, source)
    return settle(detected, model_id, name, declared=MODALITY_CAPABILITIES)


SPEC = ProviderSpec(
    kind="groq",
    display_name="Groq",
    base_url="https://api.groq.com/openai/v1",
    models_path="/models",
    parse_models=parse_models,
    needs_key=True,
    docs_url="https://console.groq.com/docs/api-reference#models-list",
)
