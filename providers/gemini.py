"""Google Gemini: `GET https://generativelanguage.googleapis.com/v1beta/models`, `x-goog-api-key`.

Format from the captures `gemini/models-2026-03.json` (48 models, complete) and
`gemini/models-page1-2025-11.json` (first page of 50 with a `nextPageToken`): `{"models": [{name:
"models/<id>", version, displayName, description?, inputTokenLimit, outputTokenLimit,
supportedGenerationMethods, thinking?}], "nextPageToken"?}`. Pages default to 50 models and
hold at most 1000 (`pageSize`); the next page is `?pageToken=<nextPageToken>`. Capabilities
come from the generation methods: `generateContent` chats, `embedContent` / `embedText` embed,
`predict` is how Imagen generates images, `predictLongRunning` how Veo generates video,
`bidiGenerateContent` is the Live (audio) API, `generateAnswer` is AQA's grounded answering;
`thinking: true` marks reasoning. Keywords only add what methods cannot say: `tts` models speak,
`-image` / `nano-banana` models output images. Embedding models report an
`outputTokenLimit` of 1, kept as sent. No prices.
Reference: https://ai.google.dev/api/models#method:-models.list
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from providers._capabilities import Detected, settle
from providers._convert import mapping, positive_int, text_or_none
from providers._records import Draft, Entry, parse_entries
from providers._spec import JSON, Capability, ModelRecord, NextPage, ProviderSpec

_METHODS: Mapping[str, tuple[Capability, ...]] = {
    "generateContent": (Capability.CHAT, Capability.CONTENT),
    "generateMessage": (Capability.CHAT, Capability.CONTENT),  # legacy PaLM chat
    "generateText": (Capability.CONTENT,),  # legacy PaLM text
    "generateAnswer": (Capability.CONTENT,),
    "embedContent": (Capability.EMBEDDING,),
    "batchEmbedContents": (Capability.EMBEDDING,),
    "asyncBatchEmbedContent": (Capability.EMBEDDING,),
    "embedText": (Capability.EMBEDDING,),
    "batchEmbedText": (Capability.EMBEDDING,),
    "predict": (Capability.IMAGE,),
    "predictLongRunning": (Capability.VIDEO,),
    "bidiGenerateContent": (Capability.AUDIO,),
}
# Methods settle these; a keyword may not add or remove them.
_DECLARED = (Capability.CHAT, Capability.CONTENT, Capability.EMBEDDING)
_IMAGE_OUTPUT = re.compile(r"-image(?:\b|-)|nano-banana")


def api_key_header(key: str) -> dict[str, str]:
    """Gemini takes the key in `x-goog-api-key` (so it never lands in a logged URL)."""
    return {"x-goog-api-key": key}


def _detect(entry: Entry, model_id: str, name: str) -> Detected:
    methods = entry.get("supportedGenerationMethods")
    declared = [m for m in methods if isinstance(m, str)] if isinstance(methods, list) else []
    metadata: Detected = {}
    for method in declared:
        for cap in _METHODS.get(method, ()):
            metadata.setdefault(cap, f"supportedGenerationMethods:{method}")
    if entry.get("thinking") is True:
        metadata[Capability.REASONING] = "thinking"
    image = _IMAGE_OUTPUT.search(model_id)
    if image:
        metadata.setdefault(Capability.IMAGE, f"keyword:{image.group(0).strip('-')}")
    closed = _DECLARED if declared else ()
    return settle(metadata, model_id, name, text_default=not declared, declared=closed)


def _build(entry: Entry) -> ModelRecord | None:
    name = text_or_none(entry.get("name"))
    model_id = name.removeprefix("models/") if name else None
    if not model_id:
        return None
    draft = Draft(model_id, entry)
    draft.put("name", text_or_none(entry.get("displayName")), "displayName")
    draft.put("description", text_or_none(entry.get("description")), "description")
    draft.put("context_window", positive_int(entry.get("inputTokenLimit")), "inputTokenLimit")
    draft.put("max_output_tokens", positive_int(entry.get("outputTokenLimit")), "outputTokenLimit")
    return draft.build(_detect(entry, model_id, draft.name))


def parse_models(payload: JSON) -> list[ModelRecord]:
    """The models of one page, ids without the `models/` prefix."""
    return parse_entries(payload, "models", _build)


def next_page(payload: JSON, headers: Mapping[str, str]) -> NextPage:
    """`{"pageToken": nextPageToken}` while the upstream returns one, else `None`."""
    token = text_or_none(mapping(payload).get("nextPageToken"))
    return {"pageToken": token} if token else None


SPEC = ProviderSpec(
    kind="gemini",
    display_name="Google Gemini",
    base_url="https://generativelanguage.googleapis.com/v1beta",
    models_path="/models",
    parse_models=parse_models,
    needs_key=True,
    auth_headers=api_key_header,
    requests=({"pageSize": "1000"},),
    next_page=next_page,
    docs_url="https://ai.google.dev/api/models#method:-models.list",
    generation="gemini",
)
