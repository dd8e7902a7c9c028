"""Price and metadata catalogs for providers whose lists carry none: loaded once, lazily.

`Catalogs` holds where the data is (the directory `catalogs update` writes to) and, once
`ready()` has loaded them in a worker thread, the two catalogs: genai-prices (prices,
`catalog.catalogs.prices`) and models.dev (metadata, `catalog.catalogs.metadata`). Nothing is
imported or read until the first list is enriched, so the CLI and the server start as fast as
before. `enrich` (the pure step, `catalog.catalogs.enrich`) runs once per fetched list.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from catalog.catalogs.enrich import KINDS, enrich
from catalog.catalogs.metadata import MetadataCatalog, load_metadata
from catalog.catalogs.prices import PriceCatalog, load_prices
from providers import ModelRecord

log = logging.getLogger(__name__)
_Loaded = TypeVar("_Loaded", PriceCatalog, MetadataCatalog)
PRICES_FILE = "genai-prices.json"
METADATA_FILE = "models-dev.json"


@dataclass(frozen=True, slots=True)
class CatalogInfo:
    """One catalog's freshness, as the `catalogs` query and CLI show it."""

    name: str
    version: str
    data_date: str | None
    origin: str
    source: str
    models: dict[str, int]


class Catalogs:
    """The loaded catalogs of a process; `directory` holds data newer than the installed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._loaded: tuple[PriceCatalog, MetadataCatalog] | None = None
        self._lock = asyncio.Lock()

    def load(self) -> tuple[PriceCatalog, MetadataCatalog]:
        """Load now (blocking: imports genai-prices); later calls return the same. An updated
        file that cannot be read is logged and passed over for the installed data."""
        if self._loaded is None:
            self._loaded = (
                _or_installed(load_prices, self.directory / PRICES_FILE),
                _or_installed(load_metadata, self.directory / METADATA_FILE),
            )
        return self._loaded

    async def ready(self) -> tuple[PriceCatalog, MetadataCatalog]:
        """Loaded, off the event loop (in a thread), once per process."""
        if self._loaded is None:
            async with self._lock:
                if self._loaded is None:
                    await asyncio.to_thread(self.load)
        return self.load()

    def reload(self) -> None:
        """Forget what was loaded: the next `ready()` reads the directory again."""
        self._loaded = None

    async def enrich(
        self, kind: str, records: Sequence[ModelRecord], at: datetime
    ) -> list[ModelRecord]:
        if kind not in KINDS:
            return list(records)  # no load for a kind the catalogs do not know
        prices, metadata = await self.ready()
        return enrich(kind, records, prices, metadata, at)

    async def info(self) -> list[CatalogInfo]:
        prices, metadata = await self.ready()
        return [
            CatalogInfo(
                "genai-prices",
                prices.version,
                prices.data_date,
                prices.origin,
                prices.source,
                {kind: prices.models_of(ids.prices) for kind, ids in KINDS.items() if ids.prices},
            ),
            CatalogInfo(
                "models.dev",
                metadata.version,
                metadata.data_date,
                metadata.origin,
                metadata.source,
                {
                    kind: metadata.models_of(ids.metadata)
                    for kind, ids in KINDS.items()
                    if ids.metadata
                },
            ),
        ]


def _or_installed(load: Callable[[Path | None], _Loaded], path: Path) -> _Loaded:
    try:
        return load(path)
    except Exception as exc:  # a damaged or foreign file must not stop the lists
        log.warning("catalog data %s unreadable (%s); using the installed data", path, exc)
        return load(None)


__all__ = ["KINDS", "CatalogInfo", "Catalogs", "enrich"]
