"""OpenAI: `GET https://api.openai.com/v1/models` with a bearer key.

The list carries nothing but `id`, `object`, `created` and `owned_by` (checked against the capture
`openai/models-2025-05.json`, 82 models): no context window, no price, no modality. Every
capability is therefore a keyword guess on the id, recorded as `keyword:<word>`: `dall-e` /
`gpt-image` generate images, `whisper` / `transcribe` transcribe, `tts` speaks, `embedding`
embeds, `moderation` moderates, `realtime` / `audio` handle audio, `gpt` / `o1`..`o4` /
`chatgpt` / `codex` chat, `o`-series ids reason. `*-instruct`, `babbage-002` and `davinci-002`
serve only the legacy Completions endpoint: text generation (`content`) but not chat. An
account's fine-tunes (`ft:<base>:<org>:...`, `owned_by` = `user-...`) are listed and kept.
Reference: https://platform.openai.com/docs/api-reference/models/list
"""

from __future__ import annotations

import re

from providers._capabilities import Detected, from_keywords
from providers._records import Entry, openai_draft, parse_entries
from providers._spec import JSON, Capability, ModelRecord, ProviderSpec

# Capabilities whose models do not chat even when their id says `gpt` (`gpt-image-1`, `-tts`).
_NOT_CHAT = frozenset(
    {
        Capability.IMAGE,
        Capability.SPEECH,
        Capability.TRANSCRIPTION,
        Capability.EMBEDDING,
        Capability.MODERATION,
    }
)
_AUDIO = re.compile(r"realtime|audio")
_REASONING = re.compile(r"(?:^|:)o\d")  # o1, o3-mini, o4-mini; also `ft:o4-mini-...`
_CHAT = re.compile(r"chatgpt|gpt|(?:^|:)o\d|codex")
_COMPLETIONS_ONLY = re.compile(r"instruct|^(?:babbage|davinci)-")


def _detect(model_id: str) -> Detected:
    text = model_id.lower()
    detected = from_keywords(text)
    for pattern, cap in ((_AUDIO, Capability.AUDIO), (_REASONING, Capability.REASONING)):
        match = pattern.search(text)
        if match:
            detected.setdefault(cap, f"keyword:{match.group(0).strip(':')}")
    if detected.keys() & _NOT_CHAT:
        return detected
    legacy = _COMPLETIONS_ONLY.search(text)
    chat = _CHAT.search(text)
    if legacy:
        detected[Capability.CONTENT] = f"keyword:{legacy.group(0).rstrip('-')}"
    elif chat:
        word = chat.group(0).strip(":")
        detected[Capability.CHAT] = detected[Capability.CONTENT] = f"keyword:{word}"
    else:
        detected[Capability.CONTENT] = "default:text-output"
    return detected


def _build(entry: Entry) -> ModelRecord | None:
    draft = openai_draft(entry)
    return None if draft is None else draft.build(_detect(draft.id))


def parse_models(payload: JSON) -> list[ModelRecord]:
    """Every model the key can use, fine-tunes included, one record per id."""
    return parse_entries(payload, "data", _build)


SPEC = ProviderSpec(
    kind="openai",
    display_name="OpenAI",
    base_url="https://api.openai.com/v1",
    models_path="/models",
    parse_models=parse_models,
    needs_key=True,
    docs_url="https://platform.openai.com/docs/api-reference/models/list",
    generation="openai",
)
