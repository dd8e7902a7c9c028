"""Anthropic: `GET https://api.anthropic.com/v1/models`, key in `x-api-key`, `anthropic-version`.

The capture `anthropic/models-2025-05.json` (11 models) holds only `type`, `id`, `display_name`
and an RFC 3339 `created_at` (the release date), wrapped in `{"data", "has_more", "first_id",
"last_id"}`. The list pages: while `has_more` is true the next page is `?after_id=<last_id>`;
`limit` goes up to 1000. Newer responses (per Anthropic's API reference and its Python SDK's
`ModelInfo`) add `max_input_tokens`, `max_tokens`, `retires_at`, `lifecycle` and a `capabilities`
object of `{"supported": bool}` flags; those are read when present (`image_input` -> vision,
`thinking` -> reasoning). Without them vision is *not* assumed: the 2025-05 list still includes
Claude 2.x, which reads no images. Every listed model serves the Messages API, so each is a
chat model (`default:text-output`). `created_at` at the Unix epoch means "unknown".
Reference: https://docs.anthropic.com/en/api/models-list
"""

from __future__ import annotations

from collections.abc import Mapping

from providers._capabilities import Detected, settle
from providers._convert import mapping, positive_int, text_or_none, timestamp
from providers._records import Draft, Entry, parse_entries, release_time
from providers._spec import JSON, Capability, ModelRecord, NextPage, ProviderSpec

API_VERSION = "2023-06-01"
_FLAGS = (("image_input", Capability.VISION), ("thinking", Capability.REASONING))


def api_key_header(key: str) -> dict[str, str]:
    """Anthropic takes the key in `x-api-key`, not as a bearer token."""
    return {"x-api-key": key}


def _build(entry: Entry) -> ModelRecord | None:
    draft = Draft.of(entry)
    if draft is None:
        return None
    draft.put("name", text_or_none(entry.get("display_name")), "display_name")
    draft.put("created_at", release_time(entry.get("created_at")), "created_at")
    draft.put("expires_at", timestamp(entry.get("retires_at")), "retires_at")
    draft.put("context_window", positive_int(entry.get("max_input_tokens")), "max_input_tokens")
    draft.put("max_output_tokens", positive_int(entry.get("max_tokens")), "max_tokens")
    flags = mapping(entry.get("capabilities"))
    metadata: Detected = {}
    declared: set[Capability] = set()
    for key, cap in _FLAGS:
        supported = mapping(flags.get(key)).get("supported")
        if isinstance(supported, bool):
            declared.add(cap)
            if supported:
                metadata[cap] = f"capabilities.{key}.supported"
    return draft.build(settle(metadata, draft.id, draft.name, declared=declared))


def parse_models(payload: JSON) -> list[ModelRecord]:
    """The models of one page, one record per id."""
    return parse_entries(payload, "data", _build)


def next_page(payload: JSON, headers: Mapping[str, str]) -> NextPage:
    """`{"after_id": last_id}` while `has_more` is true, else `None`."""
    page = mapping(payload)
    last_id = text_or_none(page.get("last_id"))
    return {"after_id": last_id} if page.get("has_more") is True and last_id else None


SPEC = ProviderSpec(
    kind="anthropic",
    display_name="Anthropic",
    base_url="https://api.anthropic.com/v1",
    models_path="/models",
    parse_models=parse_models,
    needs_key=True,
    auth_headers=api_key_header,
    extra_headers={"anthropic-version": API_VERSION},
    requests=({"limit": "1000"},),
    next_page=next_page,
    docs_url="https://docs.anthropic.com/en/api/models-list",
    generation="anthropic",
)
