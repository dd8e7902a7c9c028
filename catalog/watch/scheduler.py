"""The scheduled refresh: every active stored provider instance is fetched again when its TTL
has passed since its last fetch (plus a jitter), by one process at a time.

Every worker runs the loop (`run`), each `REFRESH_POLL` seconds calling `tick`. A tick takes
the `refresh` lease (a row in `ai_lease`, one conditional UPDATE: SQLite and PostgreSQL alike);
only the holder refreshes. Due times come from the sync log (any fetch counts, whoever made
it), so a lease that moves to another worker or replica carries on where the last one stopped.
After a failed fetch the next try waits the existing back-off (`FAILURE_RETRY`, at most the
TTL). Each refresh is bounded by `REFRESH_TIMEOUT`. Then every worker sends the webhook
deliveries that are due. Tests call `tick` with a `ManualClock`: nothing sleeps.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from catalog.clock import utc
from catalog.metrics import outcome_of
from catalog.resolve import ResolvedProvider
from catalog.watch.delivery import Deliverer
from errors import ServiceError
from storage import providers, synclog, webhooks

if TYPE_CHECKING:
    from catalog.service import Catalog

log = logging.getLogger(__name__)

LEASE = "refresh"


@dataclass(frozen=True, slots=True)
class Tick:
    """What one tick did: whether it held the lease, which providers it refreshed (and which
    of those failed), how many deliveries it attempted."""

    leader: bool
    refreshed: tuple[str, ...] = ()  # attempted, failed ones included
    failed: tuple[str, ...] = ()
    delivered: int = 0


def jitter(slug: str, last: datetime, ttl: float, share: float) -> float:
    """Seconds this refresh comes late: a share of the TTL, the same in every worker (from
    the slug and the last run), different per instance.

    >>> from datetime import UTC
    >>> 0 <= jitter("groq", datetime(2026, 1, 1, tzinfo=UTC), 600, 0.1) < 60
    True
    """
    digest = hashlib.sha256(f"{slug}:{last.isoformat()}".encode()).digest()
    return ttl * share * (int.from_bytes(digest[:4], "big") / 2**32)


@dataclass
class Scheduler:
    catalog: Catalog
    deliverer: Deliverer
    refresh: bool = True
    holder: str = field(default_factory=lambda: uuid.uuid4().hex)

    async def tick(self) -> Tick:
        """One look: refresh what is due (when leader), then send due deliveries."""
        leader, refreshed, failed = False, list[str](), list[str]()
        if self.refresh:
            leader = await self._lease()
            if leader:
                for slug in await self.due():
                    (refreshed if await self._refresh(slug) else failed).append(slug)
                await self._prune()
        delivered = await self.deliverer.run_due()
        self.catalog.metrics.scheduler_ticks.inc()
        return Tick(leader, tuple(refreshed + failed), tuple(failed), delivered)

    async def due(self) -> list[str]:
        """Active stored instances whose list is due, by the sync log's last runs."""
        now = utc(self.catalog.clock)
        last = await synclog.last_runs()
        due = []
        for stored in await providers.list_providers():
            if not stored.is_active:
                continue
            try:
                resolved = self.catalog.resolve(stored.slug, stored)
            except ServiceError:
                continue  # e.g. a kind this build does not know: nothing to fetch
            seen = last.get(stored.slug)
            if seen is None or now >= seen[0] + timedelta(seconds=self._wait(resolved, seen)):
                due.append(stored.slug)
        return due

    def _wait(self, resolved: ResolvedProvider, seen: tuple[datetime, str]) -> float:
        """Seconds after the last run until the next: the TTL and its jitter, or after a
        failure the back-off `catalog.live` uses (`FAILURE_RETRY`, at most the TTL)."""
        ttl = float(resolved.ttl)
        if seen[1] == "failed":
            return float(min(ttl, self.catalog.settings.failure_retry))
        share = self.catalog.settings.refresh_jitter
        return ttl + jitter(resolved.slug, seen[0], ttl, share)

    async def _refresh(self, slug: str) -> bool:
        await self._lease()  # renewed before each fetch: a long round keeps it
        try:
            timeout = self.catalog.settings.refresh_timeout
            refresh = self.catalog.refresh(None, slug, trigger="scheduled")
            _, snapshot = await asyncio.wait_for(refresh, timeout)
        except (ServiceError, TimeoutError) as exc:
            log.warning("scheduled refresh of %s failed: %s", slug, exc or "timed out")
            self._count(slug, outcome_of(exc))
            return False
        # stale: the upstream failed and its last good list was kept
        self._count(slug, "stale" if snapshot.stale else "ok")
        return not snapshot.stale

    def _count(self, slug: str, outcome: str) -> None:
        self.catalog.metrics.scheduled_refreshes.labels(slug, outcome).inc()

    async def _lease(self) -> bool:
        now = utc(self.catalog.clock)
        settings = self.catalog.settings
        hold = settings.refresh_timeout + 3 * settings.refresh_poll
        until = now + timedelta(seconds=hold)
        return await webhooks.take_lease(LEASE, self.holder, now=now, until=until)

    async def _prune(self) -> None:
        days = self.catalog.settings.sync_log_retention
        before = utc(self.catalog.clock) - timedelta(days=days)
        await synclog.prune(before)
        await webhooks.prune_events(before)

    async def run(self, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        """The loop the server's lifespan starts: a tick each `REFRESH_POLL` seconds; a
        failing tick is logged and the loop goes on."""
        while True:
            await sleep(self.catalog.settings.refresh_poll)
            try:
                await self.tick()
            except Exception:
                log.exception("scheduler tick failed")
