"""Together AI: `GET https://api.together.xyz/v1/models` with a bearer key.

No capture of this list exists, so the format is taken from Together's OpenAPI reference
(`ModelInfoList`, mirrored in tryAGI/Together `src/libs/Together/openapi.yaml`) and the
`ModelObject` of its Python SDK (togethercomputer/together-py): a *bare JSON array* of `{id,
object: "model", created, type, display_name, organization, link, license, context_length,
pricing: {hourly, input, output, base, finetune, cached_input?}}`, `type` being one of `chat`,
`language`, `code`, `image`, `embedding`, `moderation`, `rerank`, `audio`, `transcribe`, `video`.
The reference gives no unit for `pricing`; its example (`input: 0.3`) and Together's published
per-model prices show USD per 1M tokens, as does Puter's cross-check (HeyPuter/puter#3128: the
API's `input` for gpt-oss-120b equals the site's "$ per 1M tokens"), so the figures are taken
as per-1M without scaling. Token prices are read only for token-billed types; image, audio,
transcription and video models bill per image / second, so theirs are `None`. Both token prices
at 0 say nothing certain (free, or billed `hourly` on dedicated endpoints only) and become
`None`. `type` settles the model's kind; keywords may only add vision. The test fixture
`tests/fixtures/providers/together/models-constructed.json` is CONSTRUCTED from this reference.
Reference: https://docs.together.ai/reference/models-1
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from providers._capabilities import settle
from providers._convert import decimal_or_none, mapping, normalize, positive_int, text_or_none
from providers._records import Draft, Entry, openai_draft, parse_entries
from providers._spec import JSON, Capability, ModelRecord, ProviderSpec

_TYPES: Mapping[str, tuple[Capability, ...]] = {
    "chat": (Capability.CHAT, Capability.CONTENT),
    "language": (Capability.CONTENT,),  # base models: completions, not chat
    "code": (Capability.CONTENT,),
    "image": (Capability.IMAGE,),
    "embedding": (Capability.EMBEDDING,),
    "moderation": (Capability.MODERATION,),
    "rerank": (Capability.RERANK,),
    "audio": (Capability.AUDIO, Capability.SPEECH),  # text-to-speech models
    "transcribe": (Capability.AUDIO, Capability.TRANSCRIPTION),
    "video": (Capability.VIDEO,),
}
_TOKEN_BILLED = frozenset({"chat", "language", "code", "embedding", "moderation", "rerank"})
# What a known `type` settles; keywords may add only what is left (vision, tools, reasoning).
_DECLARED = frozenset(cap for caps in _TYPES.values() for cap in caps)


def _price(value: object) -> Decimal | None:
    number = decimal_or_none(value)
    return None if number is None else normalize(number)


def _put_prices(draft: Draft, kind: str | None, pricing: Mapping[str, object]) -> None:
    if kind not in _TOKEN_BILLED:
        return
    prices = _price(pricing.get("input")), _price(pricing.get("output"))
    if all(price is None or price == 0 for price in prices):
        return
    draft.put("input_price", prices[0], "pricing.input")
    draft.put("output_price", prices[1], "pricing.output")


def _build(entry: Entry) -> ModelRecord | None:
    draft = openai_draft(entry)
    if draft is None:
        return None
    draft.put("name", text_or_none(entry.get("display_name")), "display_name")
    draft.put("owned_by", text_or_none(entry.get("organization")), "organization")
    draft.put("context_window", positive_int(entry.get("context_length")), "context_length")
    raw_type = text_or_none(entry.get("type"))
    kind = raw_type.lower() if raw_type else None
    _put_prices(draft, kind, mapping(entry.get("pricing")))
    caps = _TYPES.get(kind, ()) if kind else ()
    closed = _DECLARED if caps else ()
    metadata = dict.fromkeys(caps, "type")
    return draft.build(
        settle(metadata, draft.id, draft.name, text_default=not caps, declared=closed)
    )


def parse_models(payload: JSON) -> list[ModelRecord]:
    """Records from the bare array (a `{"data": [...]}` wrapper is accepted too)."""
    return parse_entries(payload, "data", _build)


SPEC = ProviderSpec(
    kind="together",
    display_name="Together AI",
    base_url="https://api.together.xyz/v1",
    models_path="/models",
    parse_models=parse_models,
    needs_key=True,
    docs_url="https://docs.together.ai/reference/models-1",
    generation="openai",
)
