"""The records of what happened: audit entries, sync runs and the change feed, webhook
endpoints and their deliveries (`storage.audit`, `storage.synclog`, `storage.webhooks`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class AuditChange:
    """One field that changed: of `model` (a model id) or of the target itself (None).
    Values are shown as text; a secret only as "set", "changed" or "removed"."""

    field: str
    before: str | None
    after: str | None
    model: str | None = None


@dataclass(slots=True)
class AuditDraft:
    """An entry being written: the operation fills in the models and changes as it goes,
    and `storage.audit.recorded` inserts it just before its transaction commits."""

    actor: str
    via: str
    operation: str
    request_id: str | None = None
    provider: str | None = None
    model_ids: list[str] = field(default_factory=list)
    changes: list[AuditChange] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """An entry of the audit log as written."""

    id: int
    at: datetime
    actor: str
    via: str
    request_id: str | None
    operation: str
    provider: str | None
    model_ids: tuple[str, ...]
    changes: tuple[AuditChange, ...]
    details: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries to read; every field is optional (`since` inclusive, `until` not)."""

    actor: str | None = None
    provider: str | None = None
    model: str | None = None
    operation: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class SyncRunRecord:
    """One refresh of a provider's list, as the sync log shows it."""

    id: int
    provider: str
    trigger: str
    started_at: datetime
    duration_ms: int
    outcome: str
    models: int | None
    added: int
    removed: int
    changed: int
    cosmetic: int
    baseline: bool
    error: str | None


SYNC_RUN_FIELDS = tuple(SyncRunRecord.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """A change-feed entry: a model that appeared, vanished or changed in run `run_id`;
    `fields` holds `{field, old, new, material}` per figure that differs."""

    id: int
    run_id: int
    provider: str
    model_id: str
    kind: str
    name: str
    fields: Sequence[Mapping[str, Any]]
    at: datetime


@dataclass(frozen=True, slots=True)
class WebhookEndpointRecord:
    """A registered endpoint; its secret stays encrypted here (decrypted only to sign)."""

    id: int
    url: str
    description: str
    secret_encrypted: str
    events: tuple[str, ...]
    is_active: bool
    created_at: datetime

    def __repr__(self) -> str:
        return f"WebhookEndpointRecord(id={self.id}, url={self.url!r})"


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One event's delivery to one endpoint: the outbox row and its log."""

    id: int
    endpoint_id: int
    url: str
    message_id: str
    event_type: str
    payload: Mapping[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    response_status: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
