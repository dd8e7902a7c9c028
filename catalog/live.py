"""A provider's live list: cached while fresh, fetched at most once at a time (in a process and
across the workers sharing a cache), and on upstream failure the last good copy, marked stale.

After a failure the upstream is left alone for the retry interval (the provider's TTL, at most
`FAILURE_RETRY`): requests meanwhile get the stale copy, or without one the same error, at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import aiohttp

from catalog.cache import Failure, ListCache
from catalog.catalogs import Catalogs
from catalog.clock import Clock
from catalog.metrics import Metrics, outcome_of
from catalog.resolve import ResolvedProvider
from catalog.snapshot import Snapshot
from catalog.suspicion import refuse_implausible
from errors import ProviderError, ProviderRecentlyFailed
from providers import FetchOptions, fetch_models

log = logging.getLogger(__name__)

_RECHECK = 1.0
"""Seconds between looks at another worker's fetch when no change notice arrives (one lost):
the notice (`ListCache.watch`) wakes a waiter as soon as that fetch is stored or fails."""


@dataclass(frozen=True, slots=True)
class Retention:
    """How long lists are kept: `stale_ttl` to be served stale, `failure_retry` at most
    between two tries of a failing upstream (both seconds, from the settings)."""

    stale_ttl: int
    failure_retry: int


class FetchObserver(Protocol):
    """Told of every fetch of a list, whoever asked for it (the sync log, `catalog.watch`)."""

    async def fetched(
        self, provider: ResolvedProvider, previous: Snapshot | None, current: Snapshot, took: float
    ) -> None: ...

    async def failed(
        self, provider: ResolvedProvider, error: ProviderError, took: float
    ) -> None: ...


class LiveLists:
    """One per process: the fetch options, the list cache and the single-flight guard."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        cache: ListCache,
        options: FetchOptions,
        retention: Retention,
        clock: Clock,
        metrics: Metrics | None = None,
        catalogs: Catalogs | None = None,
    ) -> None:
        self.http = http
        self.catalogs = catalogs
        self.cache = cache
        self.options = options
        self.retention = retention
        self.clock = clock
        self.metrics = metrics or Metrics()
        self.observer: FetchObserver | None = None
        self._flight = SingleFlight(self.metrics)

    async def snapshot(self, provider: ResolvedProvider, *, use_cache: bool = True) -> Snapshot:
        """The live list; `use_cache=False` always asks the upstream."""
        endpoint = provider.endpoint
        key = cache_key(endpoint.slug, endpoint.spec.kind, endpoint.base_url, endpoint.api_key)
        cached = await self.cache.get(key)
        lookups = self.metrics.list_cache
        if use_cache and cached is not None and cached.is_fresh(self.clock()):
            lookups.labels("hit").inc()
            return cached
        if use_cache:
            failure = await self.cache.failure(key)
            if failure is not None:
                error = self._recently_failed(provider, failure)
                if cached is None:
                    raise error
                lookups.labels("stale").inc()
                return cached.as_stale(str(error))
        lookups.labels("miss" if use_cache else "bypass").inc()
        seen = cached.version if cached is not None else None
        try:
            return await self._flight.run(key, lambda: self._fetch_shared(provider, key, seen))
        except ProviderError as exc:
            if cached is None:
                raise
            log.warning("serving a stale list for %s: %s", endpoint.slug, exc)
            lookups.labels("stale").inc()
            return cached.as_stale(str(exc))

    def retry_interval(self, provider: ResolvedProvider) -> float:
        return float(min(provider.ttl, self.retention.failure_retry))

    def _recently_failed(
        self, provider: ResolvedProvider, failure: Failure
    ) -> ProviderRecentlyFailed:
        return ProviderRecentlyFailed(
            provider.slug,
            failure.detail,
            status=failure.status,
            retry_in=self.retry_interval(provider),
        )

    async def _fetch_shared(
        self, provider: ResolvedProvider, key: str, seen: str | None
    ) -> Snapshot:
        """Fetch, unless another worker is fetching this list already: then wait for its
        result (bounded by the fetch timeout) instead of calling the upstream too."""
        wait = self.options.total_timeout + 1.0
        token = await self.cache.acquire(key, ttl=wait + 4.0)
        if token is None:
            self.metrics.single_flight_waits.labels("worker").inc()
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
        started = time.perf_counter()  # a measure for the sync log, never a decision
        previous = await self.cache.get(key)
        fetches = self.metrics.upstream_fetches
        try:
            try:
                models = await fetch_models(self.http, endpoint, self.options)
            finally:
                took = time.perf_counter() - started
                self.metrics.upstream_seconds.labels(endpoint.slug).observe(took)
            refuse_implausible(previous, models, endpoint.slug)
        except ProviderError as exc:
            fetches.labels(endpoint.slug, outcome_of(exc)).inc()
            failure = Failure(exc.detail, getattr(exc, "status", None))
            await self.cache.set_failure(key, failure, ttl=self.retry_interval(provider))
            error, took = exc, time.perf_counter() - started
            await self._tell(lambda o: o.failed(provider, error, took))
            raise
        if self.catalogs is not None:  # once per fetched list, before it is cached
            now = datetime.fromtimestamp(self.clock(), tz=UTC)
            models = await self.catalogs.enrich(endpoint.spec.kind, models, now)
        fetches.labels(endpoint.slug, "ok").inc()
        snapshot = Snapshot.fetched_now(endpoint.slug, models, provider.ttl, self.clock)
        await self.cache.set(key, snapshot, ttl=max(provider.ttl, self.retention.stale_ttl))
        self.metrics.list_fetched_at.labels(endpoint.slug).set(snapshot.fetched_at)
        took = time.perf_counter() - started
        await self._tell(lambda o: o.fetched(provider, previous, snapshot, took))
        return snapshot

    async def _tell(self, call: Callable[[FetchObserver], Awaitable[None]]) -> None:
        """The observer's failure is logged, never the fetch's: a list is served regardless."""
        if self.observer is None:
            return
        try:
            await call(self.observer)
        except Exception:
            log.exception("recording a fetch failed")

    async def _await_other(
        self, provider: ResolvedProvider, key: str, seen: str | None, wait: float
    ) -> Snapshot | None:
        """Wait for the other worker's snapshot, woken by the cache's change notice; its
        failure is ours. None when it vanished without either (crashed): the caller then
        fetches itself. The wait is real time (the other worker's fetch), not the catalog's
        clock."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        async with self.cache.watch(key) as changed:
            while loop.time() < deadline:
                still_fetching = await self.cache.locked(key)
                snapshot = await self.cache.get(key)
                if snapshot is not None and snapshot.version != seen:
                    return snapshot
                if not still_fetching:
                    failure = await self.cache.failure(key)
                    if failure is None:
                        return None
                    raise self._recently_failed(provider, failure)
                await changed(min(_RECHECK, max(0.0, deadline - loop.time())))
        return None


def cache_key(slug: str, kind: str, base_url: str, api_key: str | None) -> str:
    """One entry per instance *and credential*: a list fetched with one tenant's key is never
    served to another's. The key enters only as a hash.

    >>> cache_key("groq", "groq", "https://api.groq.com/openai/v1", None)
    'groq:groq:be4e9aa82ad2:-'
    """
    key_hash = hashlib.sha256(api_key.encode()).hexdigest()[:16] if api_key else "-"
    return f"{slug}:{kind}:{hashlib.sha256(base_url.encode()).hexdigest()[:12]}:{key_hash}"


class SingleFlight:
    """At most one fetch per key at a time within this process; latecomers share its result."""

    def __init__(self, metrics: Metrics) -> None:
        self._running: dict[str, asyncio.Future[Snapshot]] = {}
        self.metrics = metrics

    async def run(self, key: str, fetch: Callable[[], Awaitable[Snapshot]]) -> Snapshot:
        running = self._running.get(key)
        if running is not None:
            self.metrics.single_flight_waits.labels("process").inc()
        else:
            running = asyncio.ensure_future(fetch())
            self._running[key] = running
            running.add_done_callback(lambda done: self._settle(key, done))
        # shield: one caller giving up (client disconnect) must not cancel the others' fetch
        return await asyncio.shield(running)

    def _settle(self, key: str, done: asyncio.Future[Snapshot]) -> None:
        self._running.pop(key, None)
        if not done.cancelled():
            done.exception()  # retrieved: a fetch whose callers all left must not warn
