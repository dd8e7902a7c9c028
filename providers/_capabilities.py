"""Capability detection: the provider's own metadata first, keyword rules last.

The rules, in order of trust:

1. **Modalities** a provider declares (`input_modalities` / `output_modalities`, Ollama and
   Mistral capability flags, Gemini generation methods, Hugging Face `pipeline_tag`) map through
   `from_modalities` / the parser's own table. Their source is recorded as the metadata field.
2. **Keyword rules** (`KEYWORD_RULES`) apply only to capabilities the metadata did not settle and
   only when the provider gives no structured metadata for them: a model id containing `whisper`
   transcribes, `tts` speaks, `embed` embeds, `guard`/`moderation` moderates, image generators
   are named `dall-e`/`flux`/`stable-diffusion`/`imagen`, ... Their source is `keyword:<word>`.
3. A text-output model that is not an embedding, moderation, rerank or audio model is a `chat`
   and `content` model; that default is recorded as `default:text-output`.

Every detected capability carries its source in `ModelRecord.sources["capability.<name>"]`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from providers._spec import Capability

Detected = dict[Capability, str]
"""Capability -> where it came from (a metadata field name, `keyword:<word>`, `default:...`)."""

# Modality names as upstreams spell them -> the capability an *output* of that kind implies.
_OUTPUT_MODALITIES: Mapping[str, tuple[Capability, ...]] = {
    "text": (Capability.CHAT, Capability.CONTENT),
    "image": (Capability.IMAGE,),
    "audio": (Capability.AUDIO, Capability.SPEECH),
    "speech": (Capability.AUDIO, Capability.SPEECH),
    "transcription": (Capability.AUDIO, Capability.TRANSCRIPTION),
    "embeddings": (Capability.EMBEDDING,),
    "embedding": (Capability.EMBEDDING,),
    "video": (Capability.VIDEO,),
    "rerank": (Capability.RERANK,),
}
# An *input* of these kinds, on a model that outputs text, adds the capability.
_INPUT_MODALITIES: Mapping[str, tuple[Capability, ...]] = {
    "image": (Capability.VISION,),
    "audio": (Capability.AUDIO,),
}
MODALITY_CAPABILITIES: frozenset[Capability] = frozenset(
    cap
    for table in (_OUTPUT_MODALITIES, _INPUT_MODALITIES)
    for caps in table.values()
    for cap in caps
)
"""What declared modalities settle, present or absent: pass it as `settle(declared=...)` when a
provider lists a model's modalities, so a name such as `flux-tts` cannot add `image`."""

# Text-output models of these kinds are not conversational.
_NOT_CHAT = frozenset(
    {Capability.EMBEDDING, Capability.RERANK, Capability.TRANSCRIPTION, Capability.MODERATION}
)

KEYWORD_RULES: tuple[tuple[re.Pattern[str], tuple[Capability, ...]], ...] = tuple(
    (re.compile(pattern), caps)
    for pattern, caps in (
        (
            r"whisper|transcri|speech-to-text|\bstt\b|voxtral",
            (Capability.AUDIO, Capability.TRANSCRIPTION),
        ),
        (r"\btts\b|-tts|text-to-speech|orpheus|playai", (Capability.AUDIO, Capability.SPEECH)),
        (r"embed|bge-|e5-|minilm|sentence-", (Capability.EMBEDDING,)),
        (r"guard|moderation|safety|shield", (Capability.MODERATION,)),
        (r"rerank", (Capability.RERANK,)),
        (r"dall-e|gpt-image|flux|stable-diffusion|sdxl|imagen|midjourney", (Capability.IMAGE,)),
        (r"\bveo\b|veo-|sora|video", (Capability.VIDEO,)),
        (r"vision|-vl\b|-vl-|llava|pixtral", (Capability.VISION,)),
    )
)


_ANY_KEYWORD = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in KEYWORD_RULES))
"""Whether any rule matches at all, in one search: most names match none (8 searches saved)."""


def from_modalities(
    inputs: Iterable[str], outputs: Iterable[str], source: str, input_source: str | None = None
) -> Detected:
    """Capabilities implied by declared input/output modalities, attributed to `source` (those
    only an input implies, such as vision, to `input_source` when the inputs have their own)."""
    detected: Detected = {}
    outputs = tuple(outputs)
    for modality in outputs:
        for cap in _OUTPUT_MODALITIES.get(modality, ()):
            detected.setdefault(cap, source)
    if "text" in outputs:
        for modality in inputs:
            for cap in _INPUT_MODALITIES.get(modality, ()):
                detected.setdefault(cap, input_source or source)
    return detected


def from_keywords(*names: str | None) -> Detected:
    """The keyword rules applied to a model's id and name (the fallback of last resort)."""
    return dict(_keywords(" ".join(name.lower() for name in names if name)))


@functools.lru_cache(maxsize=8192)
def _keywords(haystack: str) -> tuple[tuple[Capability, str], ...]:
    """Remembered by text: a list fetched again names the same models (a pure function)."""
    detected: Detected = {}
    if _ANY_KEYWORD.search(haystack) is None:
        return ()
    for pattern, caps in KEYWORD_RULES:
        match = pattern.search(haystack)
        if match:
            for cap in caps:
                detected.setdefault(cap, f"keyword:{match.group(0).strip('-')}")
    return tuple(detected.items())


def settle(
    metadata: Detected,
    *names: str | None,
    text_default: bool = True,
    declared: Iterable[Capability] = (),
) -> Detected:
    """Combine metadata with keyword rules and the chat default; metadata always wins.

    Keywords only add capabilities the metadata did not state, and never one in `declared`: the
    capabilities the provider's metadata is authoritative about even when it leaves them out
    (e.g. `MODALITY_CAPABILITIES` when it lists modalities). A keyword that marks the model as
    embedding/rerank/transcription/moderation removes a chat default that no metadata stated.
    With `text_default`, a model with no specialised capability is taken to be a text model.

    >>> speech = {Capability.SPEECH: "architecture.output_modalities"}
    >>> Capability.IMAGE in settle(speech, "deepgram/flux-tts")
    True
    >>> Capability.IMAGE in settle(speech, "deepgram/flux-tts", declared=MODALITY_CAPABILITIES)
    False
    """
    closed = frozenset(declared)
    detected = dict(metadata)
    for cap, source in from_keywords(*names).items():
        if cap not in closed:
            detected.setdefault(cap, source)
    specialised = _NOT_CHAT & detected.keys()
    if specialised:
        for cap in (Capability.CHAT, Capability.CONTENT):
            if cap not in metadata:
                detected.pop(cap, None)
    elif text_default and not (
        detected.keys() - {Capability.VISION, Capability.TOOLS, Capability.REASONING}
    ):
        detected.setdefault(Capability.CHAT, "default:text-output")
        detected.setdefault(Capability.CONTENT, "default:text-output")
    return detected


def as_sources(detected: Detected) -> dict[str, str]:
    """`{"capability.chat": "<source>", ...}` for `ModelRecord.sources`."""
    return {f"capability.{cap.value}": source for cap, source in sorted(detected.items())}
