"""The OpenAI `GET /v1/models` shape, read once for every upstream that speaks it.

`{"object": "list", "data": [{"id", "object": "model", "created", "owned_by"}, ...]}` is what
OpenAI, Mistral, vLLM, LM Studio and the LiteLLM proxy return (Together returns the same objects
as a bare array). `openai_draft` reads the common fields; each provider adds its own extras.
Reference: https://platform.openai.com/docs/api-reference/models/list
"""

from __future__ import annotations

from providers._convert import text_or_none
from providers._records import Draft, Entry, release_time


def openai_draft(entry: Entry, *, created: bool = True) -> Draft | None:
    """`id`, `owned_by` and (unless the upstream's `created` is not a real date) `created_at`."""
    model_id = text_or_none(entry.get("id"))
    if model_id is None:
        return None
    draft = Draft(model_id, entry)
    draft.put("owned_by", text_or_none(entry.get("owned_by")), "owned_by")
    if created:
        draft.put("created_at", release_time(entry.get("created")), "created")
    return draft
