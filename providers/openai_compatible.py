"""Any OpenAI-compatible server: `GET <base>/models`, bearer key optional.

vLLM, LM Studio, the LiteLLM proxy, llama.cpp's server and others answer OpenAI's list shape
(`{"object": "list", "data": [{id, object, created, owned_by}]}`, read as in
`providers/openai.py`); the base URL here is only a placeholder, each instance configures its
own. Extras are read when a server sends them: vLLM's `max_model_len` (documented in its
OpenAI server's `ModelCard`), LM Studio's `max_context_length` and `type` (`llm`, `vlm`,
`embeddings`, from its REST API), and `context_length` / `context_window` as Together, OpenRouter
and Groq spell it. `created` of 0 (servers that do not know) is no date. Capabilities are
otherwise keyword guesses on the id, recorded as such. No prices.
Reference: https://platform.openai.com/docs/api-reference/models/list
"""

from __future__ import annotations

from collections.abc import Mapping

from providers._capabilities import Detected, settle
from providers._convert import positive_int, text_or_none
from providers._records import Draft, Entry, openai_draft, parse_entries
from providers._spec import JSON, Capability, ModelRecord, ProviderSpec

_CONTEXT_KEYS = ("max_model_len", "max_context_length", "context_length", "context_window")
_LM_STUDIO_TYPES: Mapping[str, tuple[Capability, ...]] = {
    "llm": (Capability.CHAT, Capability.CONTENT),
    "vlm": (Capability.CHAT, Capability.CONTENT, Capability.VISION),
    "embeddings": (Capability.EMBEDDING,),
}


def _put_context(draft: Draft, entry: Entry) -> None:
    for key in _CONTEXT_KEYS:
        window = positive_int(entry.get(key))
        if window is not None:
            draft.put("context_window", window, key)
            return


def _detect(entry: Entry, model_id: str) -> Detected:
    kind = text_or_none(entry.get("type"))
    caps = _LM_STUDIO_TYPES.get(kind.lower(), ()) if kind else ()
    return settle(dict.fromkeys(caps, "type"), model_id, text_default=not caps, declared=caps)


def _build(entry: Entry) -> ModelRecord | None:
    draft = openai_draft(entry)
    if draft is None:
        return None
    _put_context(draft, entry)
    return draft.build(_detect(entry, draft.id))


def parse_models(payload: JSON) -> list[ModelRecord]:
    """One record per id from `data` (or a bare array, which some servers send)."""
    return parse_entries(payload, "data", _build)


SPEC = ProviderSpec(
    kind="openai_compatible",
    display_name="OpenAI-compatible server",
    base_url="http://127.0.0.1:8000/v1",
    models_path="/models",
    parse_models=parse_models,
    docs_url="https://platform.openai.com/docs/api-reference/models/list",
    generation="openai",
)
