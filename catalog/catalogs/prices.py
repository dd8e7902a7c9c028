"""genai-prices (Pydantic's price catalog) read into our records: the price source.

genai-prices is imported here only, and only when `load_prices` runs (its data is a 1.6 MB
module: ~0.3 s and ~40 MB), never at import of the service. Lookups use the library's own
matching (`find_provider_model`: its per-model match rules, compact dated refs); a ref it does
not know is `None`, never a near miss of ours.

Prices are Decimal USD per 1M tokens. A `TieredPrices` figure gives its base price and its
tiers (`PriceTier`: a whole request pays the tier's price once its input exceeds the start); a
model whose prices changed on known dates (a list of `ConditionalPrice` with start dates) gives
its `price_history`. Prices in other units (audio hours, characters, pages, searches) are
`UnitPrice`s.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from providers import PricePoint, PriceTier, UnitPrice

TOKEN_KEYS = ("input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok")
"""The price keys with a field of their own; every other priced key is a `UnitPrice`."""
_UNITS: Mapping[str, tuple[str, int]] = {
    "_mtok": ("tokens", 1_000_000),
    "_mchars": ("characters", 1_000_000),
    "_kpages": ("pages", 1000),
    "_kcount": ("", 1000),
    "_hours": ("hours", 1),
}


@dataclass(frozen=True, slots=True)
class PriceEntry:
    """What genai-prices knows of one model, as of the time it was asked for."""

    model_id: str
    input_price: Decimal | None
    output_price: Decimal | None
    cache_read_price: Decimal | None
    cache_write_price: Decimal | None
    context_window: int | None
    tiers: tuple[PriceTier, ...]
    other: tuple[UnitPrice, ...]
    history: tuple[PricePoint, ...]


class PriceCatalog:
    """A loaded genai-prices snapshot: `lookup` is pure and cached per (provider, ref)."""

    def __init__(self, snapshot: Any, version: str, data_date: str | None, origin: str) -> None:
        self._snapshot = snapshot
        self.version = version
        self.data_date = data_date
        self.origin = origin
        self.source = f"catalog:genai-prices@{version}"
        self._models: dict[tuple[str, str], Any] = {}
        self._entries: dict[tuple[str, tuple[str, ...], date], PriceEntry | None] = {}

    def lookup(self, provider_id: str, refs: Sequence[str], at: datetime) -> PriceEntry | None:
        """The first of `refs` the catalog knows for `provider_id`, or `None`. Remembered per
        UTC day: genai-prices dates its price changes by day, so a day's answer holds."""
        key = (provider_id, tuple(refs), at.astimezone(UTC).date())
        if self._entries and next(iter(self._entries))[2] != key[2]:
            self._entries.clear()  # a new day: yesterday's answers are not asked again
        if key not in self._entries:
            model = self.model(provider_id, refs)
            self._entries[key] = None if model is None else _entry(model, at)
        return self._entries[key]

    def model(self, provider_id: str, refs: Sequence[str]) -> Any:
        for ref in refs:
            model = self._find(provider_id, ref)
            if model is not None:
                return model
        return None

    def _find(self, provider_id: str, ref: str) -> Any:
        """genai-prices' match, remembered, misses too (the library scans for each miss)."""
        key = (provider_id, ref)
        if key not in self._models:
            try:
                self._models[key] = self._snapshot.find_provider_model(
                    ref, None, provider_id, None
                )[1]
            except LookupError:
                self._models[key] = None
        return self._models[key]

    def models_of(self, provider_id: str) -> int:
        return sum(len(p.models) for p in self._snapshot.providers if p.id == provider_id)


def load_prices(updated: Path | None) -> PriceCatalog:
    """The installed data, or the file `catalogs update` wrote (when there is one)."""
    import genai_prices
    from genai_prices import data_snapshot

    version = genai_prices.__version__
    if updated is not None and updated.is_file():
        from genai_prices.types import _providers_from_raw  # the parser UpdatePrices uses

        document = json.loads(updated.read_bytes())
        providers = _providers_from_raw(document["providers"])
        snapshot = data_snapshot.DataSnapshot(providers=providers, from_auto_update=True)
        fetched = str(document["fetched_at"])[:10]
        return PriceCatalog(snapshot, f"{version}+data.{fetched}", fetched, str(updated))
    return PriceCatalog(data_snapshot.get_snapshot(), version, None, "installed package")


def _entry(model: Any, at: datetime) -> PriceEntry:
    prices = model.get_prices(at)
    values = prices.__dict__
    return PriceEntry(
        model_id=model.id,
        input_price=_base(values.get("input_mtok")),
        output_price=_base(values.get("output_mtok")),
        cache_read_price=_base(values.get("cache_read_mtok")),
        cache_write_price=_base(values.get("cache_write_mtok")),
        context_window=model.context_window,
        tiers=_tiers(values.get("input_mtok"), values.get("output_mtok")),
        other=tuple(
            _unit_price(key, value)
            for key, value in values.items()
            if value is not None and key not in TOKEN_KEYS and not key.startswith("_")
        ),
        history=_history(model.prices),
    )


def _base(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(value.base)


def _tier_prices(value: Any) -> dict[int, Decimal]:
    tiers = getattr(value, "tiers", None) or ()
    return {int(tier.start): Decimal(tier.price) for tier in tiers}


def _tiers(input_price: Any, output_price: Any) -> tuple[PriceTier, ...]:
    """One tier per start either price has; at a start, each price is its highest tier
    at or below it (or its base), as genai-prices resolves them."""
    inputs, outputs = _tier_prices(input_price), _tier_prices(output_price)
    return tuple(
        PriceTier(
            above_input_tokens=start,
            input_price=_at(input_price, inputs, start),
            output_price=_at(output_price, outputs, start),
        )
        for start in sorted(inputs.keys() | outputs.keys())
    )


def _at(value: Any, tiers: Mapping[int, Decimal], start: int) -> Decimal | None:
    reached = [price for tier_start, price in sorted(tiers.items()) if tier_start <= start]
    return reached[-1] if reached else _base(value)


def _unit_price(key: str, value: Any) -> UnitPrice:
    for suffix, (unit, per) in _UNITS.items():
        if key.endswith(suffix):
            words = key.removesuffix(suffix).replace("_", " ")
            return UnitPrice(f"{words} {unit}".strip(), per, _base(value) or Decimal(0))
    return UnitPrice(unit=key.replace("_", " "), per=1, price=_base(value) or Decimal(0))


def _history(prices: Any) -> tuple[PricePoint, ...]:
    """The dated token prices, oldest first; empty when the catalog knows one price only."""
    if not isinstance(prices, list) or len(prices) < 2:
        return ()
    if all(c.prices.__dict__.get("input_mtok") is None for c in prices):
        return ()  # a history of prices in other units only (pages, hours)
    points = []
    for conditional in prices:
        start = getattr(conditional.constraint, "start_date", None)
        values = conditional.prices.__dict__
        points.append(
            PricePoint(
                since=start if isinstance(start, date) else None,
                input_price=_base(values.get("input_mtok")),
                output_price=_base(values.get("output_mtok")),
            )
        )
    return tuple(points)
