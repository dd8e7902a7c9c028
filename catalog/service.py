"""The catalog's operations: live lists, and saving, syncing, clearing and comparing models.

It composes `providers` (upstream APIs, through `catalog.live`) and `storage` (the database)
and knows nothing of GraphQL or HTTP requests, so the GraphQL schema and the CLI share every
rule. Where lists come from and how they are cached is `catalog.live`'s job; turning a slug
into an endpoint is `catalog.resolve`'s.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp

from catalog.access import TokenAdmin
from catalog.audit import Actor, AuditLog, changes, shown
from catalog.cache import ListCache
from catalog.catalogs import CatalogInfo, Catalogs
from catalog.clock import Clock, utc
from catalog.curated import Curation
from catalog.curation import unlisted_values
from catalog.drift import DEFAULT_RETIRE_WITHIN, MAX_RETIRE_WITHIN_DAYS, DriftReport, compare
from catalog.instances import ProviderAdmin
from catalog.keys import KeyRing
from catalog.live import LiveLists, Retention
from catalog.metrics import Metrics
from catalog.probes import Probes
from catalog.ranking import best_first
from catalog.resolve import ResolvedProvider, Resolver
from catalog.snapshot import Snapshot
from catalog.transfer import Transfer
from catalog.watch import Watch
from catalog.watch.recorder import triggered_by
from errors import InvalidInputError, NotFoundError, ProviderError
from providers import Capability, FetchOptions, ModelRecord, Registry
from settings import Settings
from storage import rewrite, saved
from storage.figures import CAPABILITIES, COMPARED, DISPLAY_NAME, FIGURE, FIGURES
from storage.records import AuditChange, CatalogState, ModelValues, ProviderRecord, StoredModel
from storage.state import CatalogStates, saved_with_figures

MAX_SYNC = 1000


@dataclass(frozen=True, slots=True)
class SyncResult:
    created: int
    updated: int
    model_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SavedSyncResult:
    """What `sync_saved` did: the report it acted on and the models it rewrote."""

    report: DriftReport
    updated: tuple[str, ...]


class Catalog:
    """One per process: the provider kinds, the live lists and the operations on them."""

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

    async def save_model(
        self,
        actor: Actor,
        slug: str,
        model_id: str,
        *,
        capabilities: Sequence[Capability] | None,
        is_active: bool | None,
        unlisted: bool = False,
        figures: Mapping[str, Any] | None = None,
    ) -> tuple[StoredModel, bool]:
        """Store one model read fresh from the upstream (a stale copy is refused).

        A model the list does not have is refused, unless `unlisted`: then it is saved
        marked unlisted, with the admin's `figures` (by figure name, see
        `catalog.curation.GIVEN`) and `capabilities` (required). A listed model is saved
        from the list whatever `unlisted` says; `figures` are only for unlisted ones.
        """
        if capabilities is not None and not capabilities:
            raise InvalidInputError(
                "capabilities, when given, must name at least one", field="capabilities"
            )
        provider, snapshot = await self.live(slug, use_cache=False)
        _refuse_stale(snapshot)
        record = snapshot.by_id.get(model_id)
        if record is None and not unlisted:
            raise NotFoundError(
                f"model {model_id!r} is not offered by {slug!r} right now (a model it does "
                "not list, such as a fine-tune, is saved with unlisted: true)",
                field="modelId",
            )
        if record is not None and figures:
            raise InvalidInputError(
                f"{slug!r} lists {model_id!r}: its figures come from the list", field="figures"
            )
        if record is None:
            values = unlisted_values(model_id, capabilities, figures or {})
        else:
            values = to_values(record, capabilities)
        async with self.audit.recording(actor, "saveModel", provider=slug) as entry:
            provider_id = await self._ensure_row(provider)
            before = await saved.get_saved(provider_id, model_id)
            stored, created = await saved.save_model(
                provider_id,
                values,
                is_active=is_active,
                overridden=capabilities is not None or record is None,
                unlisted=record is None,
            )
            entry.model_ids.append(model_id)
            entry.changes += changes(_audited(before), _audited(stored), model=model_id)
            entry.details["created"] = created
            if record is None:
                entry.details["unlisted"] = True
        return stored, created

    async def bulk_sync(
        self,
        actor: Actor,
        slug: str,
        *,
        capability: Capability | None,
        limit: int,
        activate_first: bool,
    ) -> SyncResult:
        """Store the `limit` best models (see `catalog.ranking`) in one transaction."""
        if not 1 <= limit <= MAX_SYNC:
            raise InvalidInputError(f"limit must be between 1 and {MAX_SYNC}, not {limit}")
        provider, snapshot = await self.live(slug)
        _refuse_stale(snapshot)
        models = [m for m in snapshot.models if capability is None or capability in m.capabilities]
        chosen = best_first(models, utc(self.clock))[:limit]
        async with self.audit.recording(actor, "bulkSync", provider=slug) as entry:
            provider_id = await self._ensure_row(provider)
            created, updated = await saved.bulk_upsert(
                provider_id, [to_values(m, None) for m in chosen], activate_first=activate_first
            )
            entry.model_ids += [m.id for m in chosen]
            entry.details.update(created=created, updated=updated, limit=limit)
            entry.details.update(capability=capability, activateFirst=activate_first)
        return SyncResult(created, updated, tuple(m.id for m in chosen))

    async def clear(self, actor: Actor, slug: str, *, keep_active: bool) -> int:
        state = await self.state(slug)
        if state.provider is None:
            self.resolve(slug, None)  # an unknown slug is an error, a known one has nothing
        async with self.audit.recording(actor, "clearModels", provider=slug) as entry:
            if state.provider is not None:
                entry.model_ids += await saved.clear_models(
                    state.provider.id, keep_active=keep_active
                )
            entry.details.update(deleted=len(entry.model_ids), keepActive=keep_active)
        return len(entry.model_ids)

    async def set_active(
        self, actor: Actor, slug: str, model_ids: Sequence[str], *, active: bool
    ) -> int:
        """Enable or disable saved models at once; all or nothing if one is not saved."""
        if not model_ids:
            raise InvalidInputError("modelIds must name at least one model")
        state = await self.state(slug)
        if state.provider is None:
            self.resolve(slug, None)
            raise NotFoundError(f"no saved models for provider {slug!r}")
        unknown = [model_id for model_id in model_ids if model_id not in state.saved]
        if unknown:
            raise NotFoundError(f"not saved for {slug!r}: {', '.join(unknown[:10])}")
        async with self.audit.recording(actor, "setModelsActive", provider=slug) as entry:
            missing = await saved.set_active(state.provider.id, model_ids, active=active)
            entry.model_ids += model_ids
            for model_id in dict.fromkeys(model_ids):
                was = {"is_active": state.saved[model_id].is_active}
                entry.changes += changes(was, {"is_active": active}, model=model_id)
        if missing:  # deleted between the two statements: report, the update stands
            raise NotFoundError(f"not saved for {slug!r}: {', '.join(missing[:10])}")
        return len(set(model_ids))

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

    async def drift(
        self,
        slug: str,
        *,
        use_cache: bool = True,
        retire_within_days: int = DEFAULT_RETIRE_WITHIN.days,
    ) -> DriftReport:
        """How the saved models differ from the live list (see `catalog.drift`).

        One query reads the provider and every saved model; the list comes from the cache,
        served stale (and reported so) when the upstream fails.
        """
        retire_within = _retire_within(retire_within_days)
        state = await saved_with_figures(slug, (*COMPARED, FIGURE[DISPLAY_NAME]))
        provider = self.resolve(slug, state.provider)
        snapshot = await self.snapshot(provider, use_cache=use_cache)
        return compare(
            state.models,
            snapshot,
            now=utc(self.clock),
            retire_within=retire_within,
            complete_list=provider.endpoint.spec.complete_list,
        )

    async def sync_saved(
        self, actor: Actor, slug: str, *, use_cache: bool = True
    ) -> SavedSyncResult:
        """Apply the upstream's current figures to the changed saved models, in one transaction.

        Each model keeps its active flag and any capabilities an admin set; missing (and
        unlisted) models are left as they are, and reported. A stale list is refused: nothing
        is written.
        """
        state = await self.state(slug)
        provider = self.resolve(slug, state.provider)
        snapshot = await self.snapshot(provider, use_cache=use_cache)
        _refuse_stale(snapshot)
        now, complete = utc(self.clock), provider.endpoint.spec.complete_list
        async with self.audit.recording(actor, "syncSavedModels", provider=slug) as entry:
            if state.provider is None:  # nothing was ever saved for this provider
                empty = compare((), snapshot, now=now, complete_list=complete)
                return SavedSyncResult(empty, ())
            async with rewrite.saved_for_update(state.provider.id, slug) as batch:
                report = compare(batch.models, snapshot, now=now, complete_list=complete)
                changed = [snapshot.by_id[model.model_id] for model in report.changed]
                await batch.write([to_values(record, None) for record in changed])
            entry.model_ids += [record.id for record in changed]
            entry.changes += drift_changes(report)
            entry.details.update(missing=len(report.missing), unchanged=len(report.unchanged))
        return SavedSyncResult(report, tuple(record.id for record in changed))

    async def _ensure_row(self, provider: ResolvedProvider) -> int:
        if provider.stored_id is not None:
            return provider.stored_id
        spec = provider.endpoint.spec
        return await saved.ensure_provider(provider.slug, spec.kind, spec.display_name)


def _audited(model: StoredModel | None) -> dict[str, Any]:
    """What the audit log compares of a saved model: its shown figures and its flag."""
    if model is None:
        return {}
    return {**model.figures, "is_active": model.is_active}


def drift_changes(report: DriftReport) -> list[AuditChange]:
    """The figures a drift sync rewrote, model by model (an admin's override is kept)."""
    return [
        AuditChange(change.field, shown(change.old), shown(change.new), model.model_id)
        for model in report.changed
        for change in model.changes
        if not change.overridden
    ]


def _has(model: StoredModel, capability: Capability | None) -> bool:
    return capability is None or capability.value in model.figures[CAPABILITIES]


def _retire_within(days: int) -> timedelta:
    most = MAX_RETIRE_WITHIN_DAYS
    if not 0 <= days <= most:
        raise InvalidInputError(f"the retirement window must be 0 to {most} days, not {days}")
    return timedelta(days=days)


def _refuse_stale(snapshot: Snapshot) -> None:
    if snapshot.stale:
        raise ProviderError(snapshot.provider, f"cannot save from a stale list ({snapshot.error})")


def to_values(record: ModelRecord, capabilities: Sequence[Capability] | None) -> ModelValues:
    """What saving `record` stores: each figure read off the live record (`storage.figures`);
    `capabilities`, when an admin gives them, instead of the detected ones."""
    figures = {figure.name: figure.read(record) for figure in FIGURES if figure.record}
    if capabilities is not None:
        figures[CAPABILITIES] = list(capabilities)
    return ModelValues(record.id, figures)
