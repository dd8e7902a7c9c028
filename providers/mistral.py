"""Mistral: `GET https://api.mistral.ai/v1/models` with a bearer key.

OpenAI's list shape plus Mistral's own fields, from the captures `mistral/models-2025-05.json`
(53 models) and `mistral/models-2026-03.json` (56 entries): `name` (the canonical model an alias
resolves to), `description`, `max_context_length`, `aliases`, `deprecation` (a retirement date
or null), `deprecation_replacement_model`, `type` and a `capabilities` object of booleans
(`completion_chat`, `completion_fim`, `function_calling`, `vision`, `fine_tuning`,
`classification`, and since 2026 `ocr`, `moderation`, `audio`, `audio_transcription`). Those
flags are the capabilities; a keyword may only fill one the flags do not cover (there is no
embedding flag, so `mistral-embed` embeds by keyword). Two quirks: the 2026-03 list repeats
`voxtral-mini-2507` and `voxtral-mini-latest` with different contents (the first occurrence is
kept), and `created` is the time of the request, identical for every model, so it is not read
as a date. The 2025-05 OCR models set no flag at all, so they carry no capability. `name` is
the canonical id an alias resolves to (`mistral-large-latest` -> `mistral-large-2512`): it and
`aliases` become the record's `aliases` (the catalogs look a model up by them when its own id is
unknown); `deprecation_replacement_model` is `replacement_model_id`. No prices.
Reference: https://docs.mistral.ai/api/#tag/models/operation/list_models_v1_models_get
"""

from __future__ import annotations

from collections.abc import Mapping

from providers._capabilities import Detected, settle
from providers._convert import mapping, positive_int, text_or_none, timestamp
from providers._records import Entry, openai_draft, parse_entries
from providers._spec import JSON, Capability, ModelRecord, ProviderSpec

_FLAGS: Mapping[str, tuple[Capability, ...]] = {
    "completion_chat": (Capability.CHAT, Capability.CONTENT),
    "completion_fim": (Capability.CONTENT,),  # fill-in-the-middle code completion
    "function_calling": (Capability.TOOLS,),
    "vision": (Capability.VISION,),
    "ocr": (Capability.VISION,),  # reads images and scanned documents
    "audio": (Capability.AUDIO,),  # chat over audio input
    "audio_transcription": (Capability.AUDIO, Capability.TRANSCRIPTION),
    "moderation": (Capability.MODERATION,),
}


def _detect(flags: Mapping[str, object], model_id: str, name: str) -> Detected:
    metadata: Detected = {}
    declared: set[Capability] = set()
    for key, caps in _FLAGS.items():
        value = flags.get(key)
        if isinstance(value, bool):
            declared.update(caps)
            for cap in caps if value else ():
                metadata.setdefault(cap, f"capabilities.{key}")
    # A stated `completion_chat` (true or false) decides chat; only without it may we default.
    text_default = "completion_chat" not in flags
    return settle(metadata, model_id, name, text_default=text_default, declared=declared)


def _build(entry: Entry) -> ModelRecord | None:
    draft = openai_draft(entry, created=False)  # `created` is the request time
    if draft is None:
        return None
    draft.put("name", text_or_none(entry.get("name")), "name")
    draft.put("description", text_or_none(entry.get("description")), "description")
    draft.put("context_window", positive_int(entry.get("max_context_length")), "max_context_length")
    draft.put("expires_at", timestamp(entry.get("deprecation")), "deprecation")
    replacement = text_or_none(entry.get("deprecation_replacement_model"))
    draft.put("replacement_model_id", replacement, "deprecation_replacement_model")
    draft.put("aliases", _aliases(entry, draft.id, draft.name), "aliases")
    flags = mapping(entry.get("capabilities"))
    return draft.build(_detect(flags, draft.id, draft.name))


def _aliases(entry: Entry, model_id: str, name: str) -> tuple[str, ...]:
    """The canonical id (`name`, when it is not the id) first, then the listed aliases."""
    listed = entry.get("aliases")
    names = (
        [name, *(a for a in listed if isinstance(a, str))] if isinstance(listed, list) else [name]
    )
    return tuple(dict.fromkeys(a for a in names if a and a != model_id))


def parse_models(payload: JSON) -> list[ModelRecord]:
    """One record per id; a repeated id keeps its first occurrence."""
    return parse_entries(payload, "data", _build)


SPEC = ProviderSpec(
    kind="mistral",
    display_name="Mistral AI",
    base_url="https://api.mistral.ai/v1",
    models_path="/models",
    parse_models=parse_models,
    needs_key=True,
    docs_url="https://docs.mistral.ai/api/#tag/models/operation/list_models_v1_models_get",
    generation="openai",
)
