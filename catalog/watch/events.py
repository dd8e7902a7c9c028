"""Which webhook events a refresh raises: pure, from the run's diff, the new list and what is
saved. Each event has a `key` that names it exactly once: two workers (or two refreshes) that
notice the same thing compute the same key, and storage keeps one event per key.

| type | when | key holds |
|---|---|---|
| `model.missing` | a saved model left the list (`active` flagged) | its last listed figures |
| `model.retiring` | a saved model's retirement is within 90, 60 or 30 days | date, threshold |
| `model.changed` | a saved model's price, context window or max output changed | new figures |
| `refresh.failing` | N refreshes in a row failed | the first failed run |
| `models.added` | new models appeared (opt-in) | the ids |
| `webhook.test` | `sendTestWebhook` | a fresh id |
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from catalog.listdiff import ChangeKind, ListDiff, ModelDiff
from catalog.snapshot import Snapshot
from providers import ModelRecord
from storage.records import SavedState

RETIREMENT_THRESHOLDS = (30, 60, 90)
"""Days before a saved model's announced retirement when `model.retiring` fires, once each."""
WATCHED = frozenset({"input_price", "output_price", "context_window", "max_output_tokens"})
"""The figures whose change on a saved model fires `model.changed`."""


class EventType(StrEnum):
    MODEL_MISSING = "model.missing"
    MODEL_RETIRING = "model.retiring"
    MODEL_CHANGED = "model.changed"
    REFRESH_FAILING = "refresh.failing"
    MODELS_ADDED = "models.added"
    TEST = "webhook.test"


DEFAULT_EVENTS = (
    EventType.MODEL_MISSING,
    EventType.MODEL_RETIRING,
    EventType.MODEL_CHANGED,
    EventType.REFRESH_FAILING,
)
"""What an endpoint gets when registered without a list (`models.added` is opt-in)."""


@dataclass(frozen=True, slots=True)
class Event:
    key: str
    type: EventType
    payload: Mapping[str, Any] = field(default_factory=dict)


def after_fetch(
    provider: str,
    previous: Mapping[str, ModelRecord] | None,
    current: Snapshot,
    changes: ListDiff,
    saved: Mapping[str, SavedState],
    now: datetime,
) -> list[Event]:
    """The events one successful fetch raises; `previous`: the last list by id (None when
    there is none, a baseline)."""
    events: list[Event] = []
    if previous is not None:
        events += _missing(provider, previous, changes, saved)
        events += _changed(provider, changes, saved)
        events += _added(provider, changes, saved)
    events += _retiring(provider, current, saved, now)
    return events


def failing(provider: str, streak: int, first_run: int, threshold: int, error: str) -> Event | None:
    """`refresh.failing` once per streak of at least `threshold` failed refreshes."""
    if streak < threshold:
        return None
    payload = {"provider": provider, "failures": streak, "error": error}
    return Event(f"refresh.failing:{provider}:{first_run}", EventType.REFRESH_FAILING, payload)


def _model(provider: str, model_id: str, name: str, state: SavedState) -> dict[str, Any]:
    return {"provider": provider, "modelId": model_id, "name": name, "active": state.is_active}


def _missing(
    provider: str,
    previous: Mapping[str, ModelRecord],
    changes: ListDiff,
    saved: Mapping[str, SavedState],
) -> Iterator[Event]:
    for entry in changes.of(ChangeKind.REMOVED):
        state = saved.get(entry.model_id)
        if state is not None:
            last = _digest(_figures(previous[entry.model_id]))
            key = f"model.missing:{provider}:{entry.model_id}:{last}"
            yield Event(
                key, EventType.MODEL_MISSING, _model(provider, entry.model_id, entry.name, state)
            )


def _changed(provider: str, changes: ListDiff, saved: Mapping[str, SavedState]) -> Iterator[Event]:
    for entry in changes.of(ChangeKind.CHANGED):
        state = saved.get(entry.model_id)
        watched = [f.as_json() for f in entry.fields if f.field in WATCHED]
        if state is not None and watched:
            key = f"model.changed:{provider}:{entry.model_id}:{_digest(watched)}"
            payload = {**_model(provider, entry.model_id, entry.name, state), "changes": watched}
            yield Event(key, EventType.MODEL_CHANGED, payload)


def _added(provider: str, changes: ListDiff, saved: Mapping[str, SavedState]) -> Iterator[Event]:
    added: tuple[ModelDiff, ...] = changes.of(ChangeKind.ADDED)
    if added:
        ids = [entry.model_id for entry in added]
        payload = {
            "provider": provider,
            "models": [{"modelId": e.model_id, "name": e.name} for e in added],
        }
        yield Event(f"models.added:{provider}:{_digest(ids)}", EventType.MODELS_ADDED, payload)


def _retiring(
    provider: str, current: Snapshot, saved: Mapping[str, SavedState], now: datetime
) -> Iterator[Event]:
    for model_id, state in sorted(saved.items()):
        record = current.by_id.get(model_id)
        if record is None or record.expires_at is None:
            continue
        days = (record.expires_at - now).total_seconds() / 86400
        crossed = [limit for limit in RETIREMENT_THRESHOLDS if days <= limit]
        if not crossed:
            continue
        threshold, date = crossed[0], record.expires_at.date().isoformat()
        payload = {
            **_model(provider, model_id, record.name, state),
            "retiresAt": record.expires_at.isoformat(),
            "withinDays": threshold,
        }
        key = f"model.retiring:{provider}:{model_id}:{date}:{threshold}"
        yield Event(key, EventType.MODEL_RETIRING, payload)


def _figures(record: ModelRecord) -> list[str]:
    return [
        str(value)
        for value in (
            record.input_price,
            record.output_price,
            record.context_window,
            record.max_output_tokens,
            record.expires_at,
        )
    ]


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]
