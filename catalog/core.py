"""What every catalog operation stands on: the parts one process wires together (live lists,
caches, audit log, key ring, watching, curation), and the reads.

`catalog.service.Catalog` adds the saved-model writes (`catalog.saving`) and drift
(`catalog.drift_sync`); `Curation`, `Probes` and `Transfer` are given this core as
`catalog.parts.Parts`, the reads and the parts being all they use (so none imports this
module back).
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import aiohttp

from catalog.access import TokenAdmin
from catalog.audit import Actor, AuditLog
from catalog.cache import ListCache
from catalog.catalogs import CatalogInfo, Catalogs
from catalog.clock import Clock
from catalog.curated import Curation
from catalog.instances import ProviderAdmin
from catalog.keys import KeyRing
from catalog.live import LiveLists, Retention
from catalog.metrics import Metrics
from catalog.probes import Probes
from catalog.resolve import ResolvedProvider, Resolver
from catalog.snapshot import Snapshot
from catalog.transfer import Transfer
from catalog.watch.recorder import triggered_by
from catalog.watch.service import Watch
from errors import ProviderError
from providers import Capability, FetchOptions, Registry
from settings import Settings
from storage import saved
from storage.figures import CAPABILITIES
from storage.records import CatalogState, ProviderRecord, StoredModel
from storage.state import CatalogStates


class CatalogCore:
    """One per process: the provider kinds, the live lists and the reads on them."""

    def __init__(
        self,
        settings: Settings,
        http: aiohttp.ClientSession,
        cache: ListCache,
        kinds: Registry,
        clock: Clock = time.time,
        hooks: aiohttp.ClientSession | None = None,
    ) -> None:
        """`hooks`: the session webhooks are sent with (default: `http`)."""
        self.settings = settings
        self.kinds = kinds
        self.clock = clock
        self.keys = KeyRing.from_settings(settings)
        self.metrics = Metrics()
        self.audit = AuditLog(settings.audit_retention_days, clock, self.metrics)
        self.providers = ProviderAdmin(kinds, self.keys, self.audit)
        self.tokens = TokenAdmin(self.audit, clock)
        self.resolver = Resolver(settings, kinds, self.keys)
        options = FetchOptions(
            connect_timeout=settings.http_connect_timeout,
            total_timeout=settings.http_total_timeout,
            retries=settings.http_retries,
            max_bytes=settings.http_max_bytes,
        )
        retention = Retention(settings.stale_ttl, settings.failure_retry)
        self.catalogs = Catalogs(Path(settings.catalog_dir))
        self.lists = LiveLists(
            http, cache, options, retention, clock, self.metrics, catalogs=self.catalogs
        )
        self.watch = Watch(settings, self.keys, hooks or http, clock, self.audit, self.metrics)
        self.lists.observer = self.watch.recorder  # every fetch enters the sync log
        self._states = CatalogStates()
        self.http = http
        self.curation = Curation(self)
        self.probes = Probes(self)
        self.transfer = Transfer(self)

    async def catalog_info(self) -> list[CatalogInfo]:
        """The price and metadata catalogs in use, with their versions and dates."""
        return await self.catalogs.info()

    async def state(self, slug: str) -> CatalogState:
        """The provider's stored instance and which of its models are saved (one query)."""
        return await self._states.get(slug)

    def resolve(self, slug: str, stored: ProviderRecord | None) -> ResolvedProvider:
        """See `catalog.resolve`."""
        return self.resolver.resolve(slug, stored)

    async def snapshot(self, provider: ResolvedProvider, *, use_cache: bool = True) -> Snapshot:
        """See `catalog.live`."""
        return await self.lists.snapshot(provider, use_cache=use_cache)

    async def refresh(
        self, actor: Actor | None, slug: str, *, trigger: str = "manual"
    ) -> tuple[ResolvedProvider, Snapshot]:
        """Fetch a provider's list now, whatever the cache holds (`refreshModels`; the
        scheduler and the CLI say so in `trigger`, which the sync log records). An admin's
        refresh (`actor`) is logged, as it replaces what every worker serves; the scheduler's
        is in the sync log only."""
        with triggered_by(trigger):
            provider, snapshot = await self.live(slug, use_cache=False)
        if actor is not None:
            async with self.audit.recording(actor, "refreshModels", provider=slug) as entry:
                entry.details.update(count=len(snapshot.models), stale=snapshot.stale)
        return provider, snapshot

    async def live(self, slug: str, *, use_cache: bool = True) -> tuple[ResolvedProvider, Snapshot]:
        state = await self.state(slug)
        provider = self.resolve(slug, state.provider)
        return provider, await self.snapshot(provider, use_cache=use_cache)

    async def saved_models(
        self,
        *,
        provider: str | None = None,
        capability: Capability | None = None,
        active: bool | None = None,
    ) -> list[StoredModel]:
        """Saved models, newest first; each filter is optional."""
        models = await saved.list_saved(provider=provider, active=active)
        return [model for model in models if _has(model, capability)]

    async def active_model(
        self, capability: Capability, *, provider: str | None = None
    ) -> StoredModel | None:
        """Where a generation request for `capability` goes. When a slot is named after the
        capability (`chat`), its route (`catalog.routing`), of `provider`'s models only
        when given. Otherwise the active saved model with that capability (of an active
        provider) most recently saved or switched on. None when there is none."""
        slots = await self.curation.slots_named([capability.value])
        if slots:
            slot = slots[0]
            if provider is not None:
                models = tuple(m for m in slot.models if m.provider == provider)
                slot = replace(slot, models=models)
            return (await self.curation.choose(slot)).model
        listed = await saved.list_saved(provider=provider, active=True, provider_active=True)
        return next((model for model in listed if _has(model, capability)), None)


def _has(model: StoredModel, capability: Capability | None) -> bool:
    return capability is None or capability.value in model.figures[CAPABILITIES]


def refuse_stale(snapshot: Snapshot) -> None:
    """A write from a list served stale (the upstream failed) would store old figures."""
    if snapshot.stale:
        raise ProviderError(snapshot.provider, f"cannot save from a stale list ({snapshot.error})")
