"""`Watch`: the service the schema and the CLI call for watching: the reads (sync log, feed,
delivery log) and the mutations, one method each (see the package's docstring)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

import aiohttp

from catalog.audit import Actor, AuditLog, changes
from catalog.clock import Clock, utc
from catalog.keys import KeyRing
from catalog.listdiff import ChangeKind
from catalog.metrics import Metrics
from catalog.watch.delivery import Deliverer, Policy
from catalog.watch.endpoints import Endpoints, NewEndpoint, Registered
from catalog.watch.events import EventType
from catalog.watch.recorder import Recorder
from errors import InvalidInputError, NotFoundError
from settings import Settings
from storage import synclog, webhooks
from storage.records.activity import (
    ChangeRecord,
    DeliveryRecord,
    SyncRunRecord,
    WebhookEndpointRecord,
)
from storage.state import CatalogStates

MAX_PAGE = 200
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """A change-feed entry and whether the model is saved now (and active)."""

    change: ChangeRecord
    saved: bool
    active: bool


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    has_more: bool

    @property
    def end_cursor(self) -> int | None:
        return None if not self.items else getattr(self.items[-1], "id", None)


class Watch:
    """One per process (built by the `Catalog`)."""

    def __init__(
        self,
        settings: Settings,
        keys: KeyRing,
        hooks: aiohttp.ClientSession,
        clock: Clock,
        audit: AuditLog | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.clock = clock
        self.audit = audit or AuditLog(settings.audit_retention_days, clock)
        self.recorder = Recorder(clock, settings.webhook_failure_threshold)
        self.endpoints = Endpoints(keys, allow_private=settings.webhook_allow_private)
        policy = Policy(
            settings.webhook_timeout, settings.webhook_max_attempts, settings.webhook_retry_base
        )
        self.deliverer = Deliverer(
            hooks,
            keys,
            policy,
            clock,
            allow_private=settings.webhook_allow_private,
            metrics=metrics or Metrics(),
        )
        self._states = CatalogStates()

    async def sync_runs(
        self, provider: str | None, *, first: int, after: int | None
    ) -> Page[SyncRunRecord]:
        rows = await synclog.list_runs(provider, first=_first(first), before_id=after)
        return Page(rows[:first], len(rows) > first)

    async def changes(
        self,
        provider: str | None,
        *,
        since: datetime | None,
        first: int,
        after: int | None,
        cosmetic: bool = False,
        saved_only: bool = False,
    ) -> Page[FeedEntry]:
        """What appeared, vanished or changed upstream, newest first, saved models flagged
        (or only them, `saved_only`); cosmetic-only changes only when asked for."""
        kinds = [ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.CHANGED]
        kinds += [ChangeKind.COSMETIC] if cosmetic else []
        rows = await synclog.list_changes(
            provider,
            since=since,
            kinds=[k.value for k in kinds],
            first=_first(first),
            before_id=after,
            saved_only=saved_only,
        )
        states = {slug: await self._states.get(slug) for slug in {row.provider for row in rows}}
        entries = []
        for row in rows[:first]:
            state = states[row.provider].saved.get(row.model_id)
            entries.append(FeedEntry(row, state is not None, bool(state and state.is_active)))
        return Page(entries, len(rows) > first)

    async def deliveries(
        self, endpoint_id: int | None, *, first: int, after: int | None
    ) -> Page[DeliveryRecord]:
        rows = await webhooks.list_deliveries(endpoint_id, first=_first(first), before_id=after)
        return Page(rows[:first], len(rows) > first)

    async def webhook_endpoints(self) -> list[WebhookEndpointRecord]:
        return await self.endpoints.list()

    async def register_webhook(self, actor: Actor, new: NewEndpoint) -> Registered:
        async with self.audit.recording(actor, "registerWebhook") as entry:
            registered = await self.endpoints.register(new)
            entry.changes += changes({}, _audited(registered.endpoint), secrets={"secret"})
            entry.details["webhook"] = registered.endpoint.id
        return registered

    async def update_webhook(
        self,
        actor: Actor,
        endpoint_id: int,
        *,
        url: str | None = None,
        events: Sequence[str] | None = None,
        is_active: bool | None = None,
        description: str | None = None,
    ) -> WebhookEndpointRecord:
        async with self.audit.recording(actor, "updateWebhook") as entry:
            before = await webhooks.get_endpoint(endpoint_id)
            after = await self.endpoints.update(
                endpoint_id, url=url, events=events, is_active=is_active, description=description
            )
            entry.changes += changes(_audited(before), _audited(after))
            entry.details["webhook"] = endpoint_id
        return after

    async def remove_webhook(self, actor: Actor, endpoint_id: int) -> None:
        async with self.audit.recording(actor, "removeWebhook") as entry:
            before = await webhooks.get_endpoint(endpoint_id)
            await self.endpoints.remove(endpoint_id)
            entry.changes += changes(_audited(before), dict.fromkeys(_audited(before)))
            entry.details["webhook"] = endpoint_id

    async def send_test_webhook(self, actor: Actor, endpoint_id: int) -> DeliveryRecord:
        """Queue a `webhook.test` event for one endpoint and send it now; its delivery."""
        async with self.audit.recording(actor, "sendTestWebhook") as entry:
            endpoint = await webhooks.get_endpoint(endpoint_id)
            now = utc(self.clock)
            payload = {"endpointId": endpoint.id, "message": "a test event from ai-model-sync"}
            key = f"webhook.test:{uuid.uuid4().hex}"
            await webhooks.enqueue(key, EventType.TEST.value, payload, now, endpoint_id=endpoint.id)
            entry.details.update(webhook=endpoint.id, url=endpoint.url)
        await self.deliverer.run_due()
        latest = await webhooks.list_deliveries(endpoint.id, first=1, before_id=None)
        if not latest:  # pragma: no cover - the enqueue above wrote it
            raise NotFoundError("the test delivery vanished")
        return latest[0]


def _audited(endpoint: WebhookEndpointRecord) -> dict[str, object]:
    """What the audit log compares of an endpoint; its secret only as present."""
    return {
        "url": endpoint.url,
        "events": list(endpoint.events),
        "is_active": endpoint.is_active,
        "description": endpoint.description,
        "secret": "(set)",
    }


def _first(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInputError(f"first must be between 1 and {MAX_PAGE}, not {first}")
    return first
