"""Ollama: `GET http://localhost:11434/api/tags` on the admin's own server, no key.

Format from the capture `ollama/tags-2025-12.json` (5 models): `{"models": [{name, model,
modified_at (RFC 3339 with nanoseconds), size (bytes), digest, details: {parent_model, format,
family, families (a list, or null), parameter_size: "14.8B", quantization_level: "Q4_K_M"}}]}`.
The list has no capability flags, context window or price (a local model costs nothing per
token, but `None` is kept: the list does not say). Capabilities come from the architecture
family: a `bert` family (`bert`, `nomic-bert`, ...) embeds, `clip` / `mllama` / a family ending
in `vl` sees images, else keywords on the name, else chat. `modified_at` is when the model was
pulled or created on this server (kept as `created_at`, source `modified_at`), not a release
date. The description is assembled from `details` (family, parameter size, quantization).
Reference: https://github.com/ollama/ollama/blob/main/docs/api.md#list-local-models
"""

from __future__ import annotations

from providers._capabilities import Detected, settle
from providers._convert import mapping, string_list, text_or_none, timestamp
from providers._records import Draft, Entry, parse_entries
from providers._spec import JSON, Capability, ModelRecord, ProviderSpec

_VISION_FAMILIES = frozenset({"clip", "mllama"})


def _family_capability(family: str) -> Capability | None:
    if "bert" in family:
        return Capability.EMBEDDING
    if family in _VISION_FAMILIES or family.endswith("vl"):
        return Capability.VISION
    return None


def _detect(details: Entry, name: str) -> Detected:
    metadata: Detected = {}
    family = text_or_none(details.get("family"))
    tagged = [(family.lower(), "details.family")] if family else []
    tagged += [(each, "details.families") for each in string_list(details.get("families"))]
    for value, source in tagged:
        cap = _family_capability(value)
        if cap is not None:
            metadata.setdefault(cap, source)
    return settle(metadata, name)


def _description(details: Entry) -> str | None:
    family = text_or_none(details.get("family"))
    size = text_or_none(details.get("parameter_size"))
    quantization = text_or_none(details.get("quantization_level"))
    parts = [
        f"{family} family" if family else None,
        f"{size} parameters" if size else None,
        f"{quantization} quantization" if quantization else None,
    ]
    text = ", ".join(part for part in parts if part)
    return text or None


def _build(entry: Entry) -> ModelRecord | None:
    model_id = text_or_none(entry.get("model")) or text_or_none(entry.get("name"))
    if model_id is None:
        return None
    details = mapping(entry.get("details"))
    draft = Draft(model_id, entry)
    draft.put("name", text_or_none(entry.get("name")), "name")
    draft.put("description", _description(details), "details")
    draft.put("created_at", timestamp(entry.get("modified_at")), "modified_at")
    return draft.build(_detect(details, model_id))


def parse_models(payload: JSON) -> list[ModelRecord]:
    """The models installed on the server, one record per model tag."""
    return parse_entries(payload, "models", _build)


SPEC = ProviderSpec(
    kind="ollama",
    display_name="Ollama",
    base_url="http://localhost:11434/api",
    models_path="/tags",
    parse_models=parse_models,
    docs_url="https://github.com/ollama/ollama/blob/main/docs/api.md#list-local-models",
)
