"""The typed vocabulary every provider module speaks.

A provider module is pure: it declares where its list lives (`ProviderSpec`) and how to turn the
upstream JSON into `ModelRecord`s. The HTTP loop that fetches and pages is written once, in
`providers/_http.py`; nothing here does I/O, reads the environment or knows about GraphQL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

JSON = Any
"""A decoded JSON value as the upstream sent it: nothing about its shape is trusted."""

NextPage = Mapping[str, str] | str | None
"""Where the next page is: extra query parameters, a URL (a `Link` header; absolute, or relative
to the page it came with), or none."""


class Capability(StrEnum):
    """What a model can be used for. A model usually has several.

    >>> Capability("chat") is Capability.CHAT
    True
    """

    CHAT = "chat"  # conversational text generation (chat completions)
    CONTENT = "content"  # any prompt -> text generation; every chat model has it too
    VISION = "vision"  # accepts images as input
    IMAGE = "image"  # generates images
    AUDIO = "audio"  # takes or produces audio (umbrella of speech and transcription)
    SPEECH = "speech"  # text to speech
    TRANSCRIPTION = "transcription"  # speech to text
    EMBEDDING = "embedding"  # text (or media) to vectors
    VIDEO = "video"  # generates video
    RERANK = "rerank"  # scores documents against a query
    MODERATION = "moderation"  # classifies content for safety
    TOOLS = "tools"  # function / tool calling
    REASONING = "reasoning"  # exposes a reasoning / thinking mode


@dataclass(frozen=True, slots=True)
class PriceTier:
    """Prices that apply to a whole request once its input exceeds `above_input_tokens`
    (the "cliff" tiers Gemini and others bill by: every token pays the tier's price)."""

    above_input_tokens: int
    input_price: Decimal | None
    output_price: Decimal | None


@dataclass(frozen=True, slots=True)
class UnitPrice:
    """A price in a unit other than tokens: `price` USD per `per` `unit` (e.g. 0.36 per 1
    hour of input audio, 15 per 1,000,000 input characters)."""

    unit: str
    per: int
    price: Decimal


@dataclass(frozen=True, slots=True)
class PricePoint:
    """The token prices from `since` on (`None`: from the start of the catalog's record)."""

    since: date | None
    input_price: Decimal | None
    output_price: Decimal | None


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Sources that give one figure different values: `values` is ((source, value as text),
    ...), the one kept first. Reported so an admin sees it, never settled in silence."""

    field: str
    values: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ModelRecord:
    """One model as a provider lists it right now, normalised.

    Prices are exact USD per 1M tokens; `None` means the upstream did not say (never 0).
    `sources` says where each figure came from, e.g. ``{"input_price": "pricing.prompt",
    "capability.chat": "architecture.output_modalities"}``, so an admin can tell a provider's
    own metadata from a keyword guess, or a catalog's figure (``catalog:genai-prices@0.2.3``)
    from a listed one. `aliases` are other ids the provider says name the same model, the
    canonical one first (Mistral); the price tiers, other-unit prices, price history and
    disagreements come from the catalogs (`catalog.catalogs`). `raw` is the upstream object,
    untouched.

    >>> ModelRecord(id="m", name="M").capabilities
    frozenset()
    """

    id: str
    name: str
    description: str | None = None
    capabilities: frozenset[Capability] = frozenset()
    input_price: Decimal | None = None
    output_price: Decimal | None = None
    context_window: int | None = None
    max_output_tokens: int | None = None
    created_at: datetime | None = None
    expires_at: datetime | None = None
    owned_by: str | None = None
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    popularity: int | None = None
    cache_read_price: Decimal | None = None
    cache_write_price: Decimal | None = None
    replacement_model_id: str | None = None
    aliases: tuple[str, ...] = ()
    price_tiers: tuple[PriceTier, ...] = ()
    other_prices: tuple[UnitPrice, ...] = ()
    price_history: tuple[PricePoint, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    raw: Mapping[str, JSON] = field(default_factory=dict)
    created_at_text: str | None = field(default=None, init=False, compare=False, repr=False)
    """`created_at.isoformat()`, formatted once where the record is built (parsed or decoded),
    not by each request that shows it (`schema.compiled.runtime.formatted`); derived, never
    passed, compared or stored."""

    def __post_init__(self) -> None:
        if self.created_at is not None:
            object.__setattr__(self, "created_at_text", self.created_at.isoformat())


def bearer_auth(key: str) -> dict[str, str]:
    """The `Authorization: Bearer` header most OpenAI-style APIs want."""
    return {"Authorization": f"Bearer {key}"}


def no_next_page(payload: JSON, headers: Mapping[str, str]) -> NextPage:
    """For upstreams that return their whole list in one response."""
    return None


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """What a provider kind declares: where its list lives and how to read it.

    `requests` lists the query parameter sets fetched (and concatenated) for one list: most
    providers need one request, Hugging Face one per pipeline tag. `next_page` follows the
    upstream's paging; `max_pages` bounds it so an unbounded catalog cannot run away.
    `complete_list` is False when the list is a bounded selection (Hugging Face's most downloaded
    models per task): a model absent from it may still be offered.

    >>> ProviderSpec(kind="x", display_name="X", base_url="http://127.0.0.1:9",
    ...              models_path="/models", parse_models=lambda p: []).needs_key
    False
    """

    kind: str
    display_name: str
    base_url: str
    models_path: str
    parse_models: Callable[[JSON], list[ModelRecord]]
    needs_key: bool = False
    auth_headers: Callable[[str], dict[str, str]] = bearer_auth
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    requests: tuple[Mapping[str, str], ...] = ({},)
    next_page: Callable[[JSON, Mapping[str, str]], NextPage] = no_next_page
    max_pages: int = 20
    docs_url: str = ""
    complete_list: bool = True
    generation: str | None = None
    """The style of its generation API, for probes (`providers._generation`): `openai`
    (chat completions, embeddings), `anthropic` (messages), `gemini` (generateContent,
    embedContent), or None when none is known."""
