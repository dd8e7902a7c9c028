"""The enrichment step: a fetched list's `null` figures filled from the catalogs, once per list.

Pure: records in, records out, given the loaded catalogs and the time prices are asked for.
Rules (each pinned by `tests/catalog/test_enrich.py`):

- **The provider's own figure always wins**: only a figure the list left `None` (or empty) is
  filled, and it gets a `sources` entry naming the catalog and its version
  (`catalog:genai-prices@0.2.3`), so a listed price and a catalog one can be told apart.
- Prices come from genai-prices, then models.dev; context window from genai-prices, then
  models.dev; max output, modalities and (for lists without capability metadata) tools,
  reasoning and vision from models.dev.
- **Matching never guesses**: a model is looked up by its id (lowercase; Gemini's `models/`
  prefix removed) and by the aliases its provider declares (Mistral's canonical id first, when
  the id is an alias of it); each catalog's own match rules apply and nothing else. A model no
  catalog knows keeps its `None`s.
- **Disagreements are reported**, not settled in silence: where two sources give one price
  different values (the provider and a catalog, two catalogs, or one catalog under two names of
  one model), `disagreements` lists each source's value, the kept one first. Limits are filled
  but not compared: the catalogs round them (128000 for Mistral's 131072), which is no news.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from catalog.catalogs.metadata import MetadataCatalog, MetadataEntry
from catalog.catalogs.prices import PriceCatalog, PriceEntry
from providers import Capability, Disagreement, ModelRecord


@dataclass(frozen=True, slots=True)
class CatalogIds:
    """Which provider of each catalog a kind is (`None`: that catalog does not list it)."""

    prices: str | None
    metadata: str | None


KINDS: Mapping[str, CatalogIds] = {
    "openai": CatalogIds("openai", "openai"),
    "anthropic": CatalogIds("anthropic", "anthropic"),
    "groq": CatalogIds("groq", "groq"),
    "gemini": CatalogIds("google", "google"),
    "mistral": CatalogIds("mistral", "mistral"),
    "together": CatalogIds("together", "togetherai"),
}
"""The provider kinds the catalogs enrich; any other kind's list is left as it is. OpenRouter
lists every figure itself, and the catalogs' copies of its 900 prices lag it: enriching it
would cost ~200 ms per list for disagreements with stale copies, so its list stays as sent."""

PRICES = ("input_price", "output_price", "cache_read_price", "cache_write_price")
_CATALOG_CAPABILITIES = (("tool_call", Capability.TOOLS), ("reasoning", Capability.REASONING))


def refs(record: ModelRecord) -> tuple[str, ...]:
    """The names a model is looked up by, in order: its canonical id when the provider says
    this id is an alias of it (Mistral's `name`), its own id, then its other aliases.

    >>> refs(ModelRecord(id="models/gemini-2.5-pro", name="Gemini 2.5 Pro"))
    ('gemini-2.5-pro',)
    >>> refs(ModelRecord(id="mistral-large-latest", name="mistral-large-2512",
    ...                  aliases=("mistral-large-2512",)))
    ('mistral-large-2512', 'mistral-large-latest')
    """
    own = record.id.lower().removeprefix("models/")
    aliases = [alias.lower() for alias in record.aliases]
    canonical = [record.name.lower()] if record.name in record.aliases else []
    return tuple(dict.fromkeys([*canonical, own, *aliases]))


def enrich(
    kind: str,
    records: Sequence[ModelRecord],
    prices: PriceCatalog,
    metadata: MetadataCatalog,
    at: datetime,
) -> list[ModelRecord]:
    """`records` with their missing figures filled; a kind no catalog knows is unchanged."""
    ids = KINDS.get(kind)
    if ids is None:
        return list(records)
    return [_enrich(record, ids, prices, metadata, at) for record in records]


def _enrich(
    record: ModelRecord,
    ids: CatalogIds,
    prices: PriceCatalog,
    metadata: MetadataCatalog,
    at: datetime,
) -> ModelRecord:
    names = refs(record)
    priced = prices.lookup(ids.prices, names, at) if ids.prices else None
    described = metadata.lookup(ids.metadata, names) if ids.metadata else None
    if priced is None and described is None:
        return record
    merge = _Merge(record)
    _merge_prices(merge, priced, prices.source, described, metadata.source)
    merge.fill(
        "context_window",
        [
            (prices.source, priced.context_window if priced else None),
            (metadata.source, described.context_window if described else None),
        ],
        compared=False,
    )
    if priced is not None:
        merge.fill_extra(priced, prices.source)
        if len(names) > 1:
            _compare_names(merge, prices, ids.prices, names, priced, at)
    if described is not None:
        _merge_metadata(merge, described, metadata.source)
    return merge.build()


def _merge_prices(
    merge: _Merge,
    priced: PriceEntry | None,
    price_source: str,
    described: MetadataEntry | None,
    metadata_source: str,
) -> None:
    for name in PRICES:
        merge.fill(
            name,
            [
                (price_source, getattr(priced, name) if priced else None),
                (metadata_source, getattr(described, name) if described else None),
            ],
        )


def _compare_names(
    merge: _Merge,
    prices: PriceCatalog,
    provider_id: str | None,
    names: Sequence[str],
    kept: PriceEntry,
    at: datetime,
) -> None:
    """The catalog under the model's other names: a stale alias shows as a disagreement."""
    for name in names:
        other = prices.lookup(str(provider_id), [name], at)
        if other is not None and other.model_id != kept.model_id:
            for field in ("input_price", "output_price"):
                merge.compare(field, f"{prices.source} as {name}", getattr(other, field))


def _merge_metadata(merge: _Merge, described: MetadataEntry, source: str) -> None:
    merge.fill("max_output_tokens", [(source, described.max_output_tokens)], compared=False)
    merge.fill("input_modalities", [(source, described.input_modalities)], compared=False)
    merge.fill("output_modalities", [(source, described.output_modalities)], compared=False)
    merge.add_capabilities(described, source)


class _Merge:
    """A record's figures being filled, with sources and disagreements collected."""

    def __init__(self, record: ModelRecord) -> None:
        self.record = record
        self.changes: dict[str, Any] = {}
        self.sources = dict(record.sources)
        self.values: dict[str, list[tuple[str, Any]]] = {}

    def current(self, field: str) -> Any:
        return self.changes.get(field, getattr(self.record, field))

    def fill(self, field: str, offers: Sequence[tuple[str, Any]], *, compared: bool = True) -> None:
        """The first offered value where the record has none; with `compared`, every
        value offered is kept for the disagreement check."""
        seen = self.values.setdefault(field, self._listed(field)) if compared else []
        for source, value in offers:
            if value is None or value == ():
                continue
            if self.current(field) in (None, ()):
                self.changes[field] = value
                self.sources[field] = source
            seen.append((source, value))

    def compare(self, field: str, source: str, value: Any) -> None:
        if value is not None:
            self.values.setdefault(field, self._listed(field)).append((source, value))

    def _listed(self, field: str) -> list[tuple[str, Any]]:
        value = getattr(self.record, field)
        if value in (None, ()):
            return []
        return [(f"provider:{self.record.sources.get(field, field)}", value)]

    def add_capabilities(self, described: MetadataEntry, source: str) -> None:
        """Only for a record whose capabilities are guesses (keyword rules, defaults)."""
        guessed = all(
            origin.startswith(("keyword:", "default:"))
            for name, origin in self.record.sources.items()
            if name.startswith("capability.")
        )
        if not guessed:
            return
        found = {cap for key, cap in _CATALOG_CAPABILITIES if getattr(described, key)}
        if "image" in described.input_modalities:
            found.add(Capability.VISION)
        new = found - self.record.capabilities
        if new:
            self.changes["capabilities"] = self.record.capabilities | new
            self.sources.update({f"capability.{cap.value}": source for cap in sorted(new)})

    def fill_extra(self, priced: PriceEntry, source: str) -> None:
        """Tiers, other-unit prices and history go with the catalog's prices: only for a model
        whose list prices it in no way (a listed price is never mixed with a catalog's tiers)."""
        if self.record.input_price is not None or self.record.output_price is not None:
            return
        for field, value in (
            ("price_tiers", priced.tiers),
            ("other_prices", priced.other),
            ("price_history", priced.history),
        ):
            if value and not getattr(self.record, field):
                self.changes[field] = value
                self.sources[field] = source

    def build(self) -> ModelRecord:
        found = tuple(
            Disagreement(field, tuple((source, _text(value)) for source, value in values))
            for field, values in self.values.items()
            if len({_comparable(value) for _, value in values}) > 1
        )
        disagreements = (*self.record.disagreements, *found)
        return replace(
            self.record, **self.changes, sources=self.sources, disagreements=disagreements
        )


def _comparable(value: Any) -> Any:
    """Prices are the figures compared: 2.50 and 2.5 agree."""
    return value.normalize() if isinstance(value, Decimal) else value


def _text(value: Any) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
