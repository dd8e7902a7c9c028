"""The sync log's writer: told of every fetch by `catalog.live` (scheduled, manual, CLI or a
request finding its list expired), it records the run and its diff against the list before,
then stores the webhook events the run raises (`catalog.watch.events`).

The list before is the last one recorded in the database (`catalog.listdiff.seen_form`), so
every worker, replica and CLI run compares with the same list, whatever its cache holds. Before
a provider's first fetch there is none: that run is a *baseline*, counted, compared with
nothing, raising no diff events.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from catalog.clock import Clock, utc
from catalog.listdiff import ChangeKind, ListDiff, diff_seen, from_seen
from catalog.resolve import ResolvedProvider
from catalog.snapshot import Snapshot
from catalog.watch import events
from errors import ProviderError
from providers import ModelRecord
from storage import synclog, webhooks
from storage.state import CatalogStates

log = logging.getLogger(__name__)

TRIGGERS = ("scheduled", "manual", "cli", "request")
_TRIGGER: ContextVar[str] = ContextVar("refresh_trigger", default="request")


@contextmanager
def triggered_by(trigger: str) -> Iterator[None]:
    """Fetches in this block are logged as `trigger` (`scheduled`, `manual`, `cli`)."""
    token = _TRIGGER.set(trigger)
    try:
        yield
    finally:
        _TRIGGER.reset(token)


class Recorder:
    """A `catalog.live.FetchObserver` writing the sync log, the feed and the events."""

    def __init__(self, clock: Clock, failure_threshold: int) -> None:
        self.clock = clock
        self.failure_threshold = failure_threshold
        self._states = CatalogStates()

    async def fetched(
        self, provider: ResolvedProvider, previous: Snapshot | None, current: Snapshot, took: float
    ) -> None:
        seen = await synclog.last_seen(provider.slug)
        changes, now_seen = diff_seen(seen or (), current.models)
        if seen is None:
            changes = ListDiff(())  # a baseline: nothing to compare with
        if now_seen != seen:  # the same list again (most refreshes): nothing to rewrite
            await synclog.record_seen(provider.slug, now_seen, utc(self.clock))
        await synclog.record_run(
            synclog.NewRun(
                provider=provider.slug,
                trigger=_TRIGGER.get(),
                started_at=utc(self.clock),
                duration_ms=round(took * 1000),
                outcome="ok",
                models=len(current.models),
                counts={kind.value: changes.count(kind) for kind in ChangeKind},
                baseline=seen is None,
                error=None,
                changes=[
                    (e.model_id, e.kind.value, e.name, [f.as_json() for f in e.fields])
                    for e in changes.entries
                ],
            )
        )
        state = await self._states.get(provider.slug)
        now = utc(self.clock)
        last = _removed(seen, changes)
        raised = events.after_fetch(provider.slug, last, current, changes, state.saved, now)
        for event in raised:
            await webhooks.enqueue(event.key, event.type.value, event.payload, now)

    async def failed(self, provider: ResolvedProvider, error: ProviderError, took: float) -> None:
        now = utc(self.clock)
        await synclog.record_run(
            synclog.NewRun(
                provider=provider.slug,
                trigger=_TRIGGER.get(),
                started_at=now,
                duration_ms=round(took * 1000),
                outcome="failed",
                models=None,
                counts={},
                baseline=False,
                error=str(error),
            )
        )
        streak, first = await synclog.failure_streak(provider.slug)
        if first is None:
            return
        event = events.failing(provider.slug, streak, first, self.failure_threshold, error.detail)
        if event is not None:
            await webhooks.enqueue(event.key, event.type.value, event.payload, now)


def _removed(seen: list[dict[str, Any]] | None, changes: ListDiff) -> dict[str, ModelRecord] | None:
    """The last list's records of the models that left it (what `model.missing` names)."""
    if seen is None:
        return None
    gone = {entry.model_id for entry in changes.of(ChangeKind.REMOVED)}
    return {model.id: model for model in from_seen(r for r in seen if r["id"] in gone)}
