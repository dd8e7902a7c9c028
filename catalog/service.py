"""The catalog: resolving a provider slug, its cached live list, and the save/sync/clear flows."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiohttp

from catalog import drift as drift_report
from catalog.cache import Failure, ListCache, SingleFlight, cache_key
from catalog.instances import ProviderAdmin
from catalog.keys import KeyRing
from catalog.ranking import best_first
from catalog.snapshot import Snapshot
from errors import (
    ConfigError,
    InvalidInputError,
    NotFoundError,
    ProviderError,
    ProviderRecentlyFailed,
)
from providers import Capability, Endpoint, FetchOptions, ModelRecord, Registry, fetch_models
from settings import Settings
from storage import drift as drift_store
from storage import queries
from storage.models import SavedModel

log = logging.getLogger(__name__)

MAX_SYNC = 1000
_POLL = 0.05  # seconds between looks at another worker's fetch: a small share of a 0.2-2 s fetch


@dataclass(frozen=True, slots=True)
class ResolvedProvider:
    """A slug made concrete: endpoint to call, list TTL, and whether a row is stored."""

    endpoint: Endpoint
    ttl: int
    stored_id: int | None

    @property
    def slug(self) -> str:
        return self.endpoint.slug


@dataclass(frozen=True, slots=True)
class SyncResult:
    created: int
    updated: int
    model_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SavedSyncResult:
    """What `sync_saved` did: the report it acted on and the models it rewrote."""

    report: drift_report.DriftReport
    updated: tuple[str, ...]


class Catalog:
    """One per process: owns the fetch options, the list cache and the single-flight guard."""

    def __init__(
        self,
        settings: Settings,
        http: aiohttp.ClientSession,
        cache: ListCache,
        kinds: Registry,
    ) -> None:
        self.settings = settings
        self.http = http
        self.cache = cache
        self.kinds = kinds
        self.options = FetchOptions(
            connect_timeout=settings.http_connect_timeout,
            total_timeout=settings.http_total_timeout,
            retries=settings.http_retries,
            max_bytes=settings.http_max_bytes,
        )
        self._flight = SingleFlight()
        self.keys = KeyRing.from_settings(settings)
        self.providers = ProviderAdmin(kinds, self.keys)

    def resolve(self, slug: str, stored: queries.ProviderRecord | None) -> ResolvedProvider:
        """Stored instance settings win over environment overrides, which win over defaults."""
        kind = stored.kind if stored else slug
        spec = self.kinds.get(kind)
        if spec is None:
            known = ", ".join(spec.kind for spec in self.kinds)
            raise NotFoundError(f"unknown provider {slug!r}; known providers: {known}")
        if stored is not None and not stored.is_active:
            raise ConfigError(f"provider {slug!r} is deactivated; an admin can reactivate it")
        override = self.settings.provider(slug)
        api_key = str(override.api_key) if override.api_key else None
        if stored is not None and stored.api_key_encrypted:
            api_key = self.keys.decrypt(stored.api_key_encrypted, slug)
        endpoint = Endpoint(
            slug=slug,
            spec=spec,
            base_url=(stored and stored.base_url) or override.base_url or spec.base_url,
            api_key=api_key,
        )
        ttl = (stored and stored.ttl) or override.ttl or self.settings.list_ttl
        return ResolvedProvider(endpoint, ttl, stored.id if stored else None)

    async def snapshot(self, provider: ResolvedProvider, *, use_cache: bool = True) -> Snapshot:
        """The live list: cached while fresh; on upstream failure the last good copy, stale.

        After a failure the upstream is left alone for `retry_interval`: requests meanwhile get
        the stale copy (or, with none, the same error) at once. `use_cache=False` always asks.
        """
        endpoint = provider.endpoint
        key = cache_key(endpoint.slug, endpoint.spec.kind, endpoint.base_url, endpoint.api_key)
        cached = await self.cache.get(key)
        if use_cache and cached is not None and cached.is_fresh():
            return cached
        if use_cache:
            failure = await self.cache.failure(key)
            if failure is not None:
                error = ProviderRecentlyFailed(
                    endpoint.slug,
                    failure.detail,
                    status=failure.status,
                    retry_in=self.retry_interval(provider),
                )
                if cached is None:
                    raise error
                return cached.as_stale(str(error))
        seen = cached.version if cached is not None else None
        try:
            return await self._flight.run(key, lambda: self._fetch_shared(provider, key, seen))
        except ProviderError as exc:
            if cached is None:
                raise
            log.warning("serving a stale list for %s: %s", endpoint.slug, exc)
            return cached.as_stale(str(exc))

    def retry_interval(self, provider: ResolvedProvider) -> float:
        return float(min(provider.ttl, self.settings.failure_retry))

    async def _fetch_shared(
        self, provider: ResolvedProvider, key: str, seen: str | None
    ) -> Snapshot:
        """Fetch, unless another worker is fetching this list already: then wait for its
        result (bounded by the fetch timeout) instead of calling the upstream too."""
        wait = self.options.total_timeout + 1.0
        token = await self.cache.acquire(key, ttl=wait + 4.0)
        if token is None:
            shared = await self._await_other(provider, key, seen, wait)
            if shared is not None:
                return shared
        try:
            return await self._fetch(provider, key)
        finally:
            if token is not None:
                await self.cache.release(key, token)

    async def _fetch(self, provider: ResolvedProvider, key: str) -> Snapshot:
        endpoint = provider.endpoint
        try:
            models = await fetch_models(self.http, endpoint, self.options)
        except ProviderError as exc:
            failure = Failure(exc.detail, getattr(exc, "status", None))
            await self.cache.set_failure(key, failure, ttl=self.retry_interval(provider))
            raise
        snapshot = Snapshot.fetched_now(endpoint.slug, models, provider.ttl)
        await self.cache.set(key, snapshot, ttl=max(provider.ttl, self.settings.stale_ttl))
        return snapshot

    async def _await_other(
        self, provider: ResolvedProvider, key: str, seen: str | None, wait: float
    ) -> Snapshot | None:
        """Poll for the other worker's snapshot; its failure is ours. None when it vanished
        without either (crashed): the caller then fetches itself."""
        deadline = asyncio.get_running_loop().time() + wait
        while asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(_POLL)
            still_fetching = await self.cache.locked(key)
            snapshot = await self.cache.get(key)
            if snapshot is not None and snapshot.version != seen:
                return snapshot
            if not still_fetching:
                failure = await self.cache.failure(key)
                if failure is None:
                    return None
                raise ProviderRecentlyFailed(
                    provider.slug,
                    failure.detail,
                    status=failure.status,
                    retry_in=self.retry_interval(provider),
                )
        return None

    async def refresh(self, slug: str) -> tuple[ResolvedProvider, Snapshot]:
        """Fetch a provider's list now, whatever the cache holds (`refreshModels`)."""
        return await self.live(slug, use_cache=False)

    async def live(self, slug: str, *, use_cache: bool = True) -> tuple[ResolvedProvider, Snapshot]:
        state = await queries.catalog_state(slug)
        provider = self.resolve(slug, state.provider)
        return provider, await self.snapshot(provider, use_cache=use_cache)

    async def save_model(
        self,
        slug: str,
        model_id: str,
        *,
        capabilities: Sequence[Capability] | None,
        is_active: bool | None,
    ) -> tuple[SavedModel, bool]:
        """Store one model read fresh from the upstream (a stale copy is refused)."""
        if capabilities is not None and not capabilities:
            raise InvalidInputError("capabilities, when given, must name at least one")
        provider, snapshot = await self.live(slug, use_cache=False)
        _refuse_stale(snapshot)
        record = snapshot.by_id.get(model_id)
        if record is None:
            raise NotFoundError(f"model {model_id!r} is not offered by {slug!r} right now")
        provider_id = await self._ensure_row(provider)
        values = to_values(record, capabilities)
        return await queries.save_model(
            provider_id, values, is_active=is_active, overridden=capabilities is not None
        )

    async def bulk_sync(
        self, slug: str, *, capability: Capability | None, limit: int, activate_first: bool
    ) -> SyncResult:
        """Store the `limit` best models (see `catalog.ranking`) in one transaction."""
        if not 1 <= limit <= MAX_SYNC:
            raise InvalidInputError(f"limit must be between 1 and {MAX_SYNC}, not {limit}")
        provider, snapshot = await self.live(slug)
        _refuse_stale(snapshot)
        models = [m for m in snapshot.models if capability is None or capability in m.capabilities]
        chosen = best_first(models, datetime.now(UTC))[:limit]
        provider_id = await self._ensure_row(provider)
        created, updated = await queries.bulk_upsert(
            provider_id, [to_values(m, None) for m in chosen], activate_first=activate_first
        )
        return SyncResult(created, updated, tuple(m.id for m in chosen))

    async def clear(self, slug: str, *, keep_active: bool) -> int:
        state = await queries.catalog_state(slug)
        if state.provider is None:
            self.resolve(slug, None)  # an unknown slug is an error, a known one has nothing
            return 0
        return await queries.clear_models(state.provider.id, keep_active=keep_active)

    async def set_active(self, slug: str, model_ids: Sequence[str], *, active: bool) -> int:
        """Enable or disable saved models at once; all or nothing if one is not saved."""
        if not model_ids:
            raise InvalidInputError("modelIds must name at least one model")
        state = await queries.catalog_state(slug)
        if state.provider is None:
            self.resolve(slug, None)
            raise NotFoundError(f"no saved models for provider {slug!r}")
        unknown = [model_id for model_id in model_ids if model_id not in state.saved]
        if unknown:
            raise NotFoundError(f"not saved for {slug!r}: {', '.join(unknown[:10])}")
        missing = await queries.set_active(state.provider.id, model_ids, active=active)
        if missing:  # deleted between the two statements: report, the update stands
            raise NotFoundError(f"not saved for {slug!r}: {', '.join(missing[:10])}")
        return len(set(model_ids))

    async def drift(
        self,
        slug: str,
        *,
        use_cache: bool = True,
        retire_within_days: int = drift_report.DEFAULT_RETIRE_WITHIN.days,
    ) -> drift_report.DriftReport:
        """How the saved models differ from the live list (see `catalog.drift`).

        One query reads the provider and every saved model; the list comes from the cache,
        served stale (and reported so) when the upstream fails.
        """
        retire_within = _retire_within(retire_within_days)
        state = await drift_store.saved_figures(slug)
        provider = self.resolve(slug, state.provider)
        snapshot = await self.snapshot(provider, use_cache=use_cache)
        return drift_report.compare(
            state.models,
            snapshot,
            now=datetime.now(UTC),
            retire_within=retire_within,
            complete_list=provider.endpoint.spec.complete_list,
        )

    async def sync_saved(self, slug: str, *, use_cache: bool = True) -> SavedSyncResult:
        """Apply the upstream's current figures to the changed saved models, in one transaction.

        Each model keeps its active flag and any capabilities an admin set; missing (and
        unlisted) models are left as they are, and reported. A stale list is refused: nothing
        is written.
        """
        state = await queries.catalog_state(slug)
        provider = self.resolve(slug, state.provider)
        snapshot = await self.snapshot(provider, use_cache=use_cache)
        _refuse_stale(snapshot)
        now, complete = datetime.now(UTC), provider.endpoint.spec.complete_list
        if state.provider is None:  # nothing was ever saved for this provider
            empty = drift_report.compare((), snapshot, now=now, complete_list=complete)
            return SavedSyncResult(empty, ())
        async with drift_store.saved_for_update(state.provider.id) as batch:
            report = drift_report.compare(batch.models, snapshot, now=now, complete_list=complete)
            changed = [snapshot.by_id[model.model_id] for model in report.changed]
            await batch.write([to_values(record, None) for record in changed])
        return SavedSyncResult(report, tuple(record.id for record in changed))

    async def _ensure_row(self, provider: ResolvedProvider) -> int:
        if provider.stored_id is not None:
            return provider.stored_id
        spec = provider.endpoint.spec
        return await queries.ensure_provider(provider.slug, spec.kind, spec.display_name)


def _retire_within(days: int) -> timedelta:
    most = drift_report.MAX_RETIRE_WITHIN_DAYS
    if not 0 <= days <= most:
        raise InvalidInputError(f"the retirement window must be 0 to {most} days, not {days}")
    return timedelta(days=days)


def _refuse_stale(snapshot: Snapshot) -> None:
    if snapshot.stale:
        raise ProviderError(snapshot.provider, f"cannot save from a stale list ({snapshot.error})")


def to_values(
    record: ModelRecord, capabilities: Sequence[Capability] | None
) -> queries.ModelValues:
    caps = capabilities if capabilities is not None else sorted(record.capabilities)
    return queries.ModelValues(
        model_id=record.id,
        name=record.name,
        description=record.description,
        capabilities=[cap.value for cap in caps],
        input_price=record.input_price,
        output_price=record.output_price,
        context_window=record.context_window,
        max_output_tokens=record.max_output_tokens,
        sources=record.sources,
        raw=record.raw,
    )
