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

from providers._capabilities import MODALITY_CAPABILITIES, from_modalities, settle
from providers._convert import positive_int, string_list, text_or_none, timestamp
from providers._records import Draft, Entry, parse_entries
from providers._spec import JSON, ModelRecord, ProviderSpec


def parse_models(payload: JSON) -> list[ModelRecord]:
    """Every listed model, active or not, first entry winning when an id repeats.

    Prices stay `None`: Groq's list has none, and an unknown price must not read as free.
    """
    return parse_entries(payload, "data", _build)


def _build(entry: Entry) -> ModelRecord | None:
    draft = Draft.of(entry)
    if draft is None:
        return None
    draft.put("name", text_or_none(entry.get("name")), None)
    draft.put("description", text_or_none(entry.get("description")), None)
    draft.put("context_window", positive_int(entry.get("context_window")), "context_window")
    max_tokens = positive_int(entry.get("max_completion_tokens"))
    draft.put("max_output_tokens", max_tokens, "max_completion_tokens")
    draft.put("created_at", timestamp(entry.get("created")), "created")
    draft.put("owned_by", text_or_none(entry.get("owned_by")), "owned_by")
    inputs = string_list(entry.get("input_modalities"))
    outputs = string_list(entry.get("output_modalities"))
    draft.put("input_modalities", inputs, "input_modalities")
    draft.put("output_modalities", outputs, "output_modalities")
    # Declared modalities (newer schema) win; without them, keyword rules and the chat default.
    detected = from_modalities(inputs, outputs, "output_modalities", "input_modalities")
    closed = MODALITY_CAPABILITIES if outputs else ()
    return draft.build(settle(detected, draft.id, draft.name, declared=closed))


SPEC = ProviderSpec(
    kind="groq",
    display_name="Groq",
    base_url="https://api.groq.com/openai/v1",
    models_path="/models",
    parse_models=parse_models,
    needs_key=True,
    docs_url="https://console.groq.com/docs/api-reference#models-list",
    generation="openai",
)
