"""Watching's tables: the sync log and its change feed, the last list seen per provider, the
scheduler's lease, and webhooks (endpoints, events stored once, the delivery outbox)."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from storage.figures import TEXT_LENGTH


class SyncRun(Model):
    """One fetch of a provider's list (scheduled, manual, CLI or on a request): when, how long,
    what it found and how it differs from the list before it. Kept `SYNC_LOG_RETENTION` days."""

    id = fields.IntField(primary_key=True)
    provider = fields.CharField(max_length=64, db_index=True)
    trigger = fields.CharField(max_length=16)
    started_at = fields.DatetimeField()
    duration_ms = fields.IntField()
    outcome = fields.CharField(max_length=16)  # ok, failed
    models = fields.IntField(null=True)
    added = fields.IntField(default=0)
    removed = fields.IntField(default=0)
    changed = fields.IntField(default=0)
    cosmetic = fields.IntField(default=0)
    baseline = fields.BooleanField(default=False)  # no earlier list to compare with
    error = fields.TextField(null=True)

    changes: fields.ReverseRelation[CatalogChange]

    class Meta:
        table = "ai_sync_run"


class CatalogChange(Model):
    """One model that appeared, vanished or changed in a run: the change feed's entries."""

    id = fields.IntField(primary_key=True)
    run: fields.ForeignKeyRelation[SyncRun] = fields.ForeignKeyField(
        "models.SyncRun", related_name="changes", on_delete=fields.CASCADE
    )
    run_id: int
    provider = fields.CharField(max_length=64)
    model_id = fields.CharField(max_length=TEXT_LENGTH)
    kind = fields.CharField(max_length=16)  # added, removed, changed, cosmetic
    name = fields.CharField(max_length=TEXT_LENGTH)
    fields_changed: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    at = fields.DatetimeField()

    class Meta:
        table = "ai_catalog_change"
        indexes = (("provider", "at"),)


class Lease(Model):
    """A job only one process may run at a time (the scheduler): whoever holds an unexpired
    row. Taken with one conditional UPDATE, so it works alike on SQLite and PostgreSQL."""

    name = fields.CharField(max_length=64, primary_key=True)
    holder = fields.CharField(max_length=64)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "ai_lease"


class WebhookEndpoint(Model):
    """Where events are POSTed, signed with its secret (Fernet-encrypted, like provider keys)."""

    id = fields.IntField(primary_key=True)
    url = fields.CharField(max_length=2048)
    description = fields.CharField(max_length=255, default="")
    secret_encrypted = fields.TextField()
    events: fields.JSONField[list[str]] = fields.JSONField(default=list)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "ai_webhook_endpoint"


class WebhookEvent(Model):
    """Something worth telling, once: `key` is unique, so an event two workers both notice is
    stored (and delivered) once."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=255, unique=True)
    type = fields.CharField(max_length=32)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField()

    class Meta:
        table = "ai_webhook_event"


class WebhookDelivery(Model):
    """An event to one endpoint: the outbox row a worker claims, and its delivery log."""

    id = fields.IntField(primary_key=True)
    endpoint: fields.ForeignKeyRelation[WebhookEndpoint] = fields.ForeignKeyField(
        "models.WebhookEndpoint", related_name="deliveries", on_delete=fields.CASCADE
    )
    endpoint_id: int
    event: fields.ForeignKeyRelation[WebhookEvent] = fields.ForeignKeyField(
        "models.WebhookEvent", related_name="deliveries", on_delete=fields.CASCADE
    )
    event_id: int
    message_id = fields.CharField(max_length=64, unique=True)
    status = fields.CharField(max_length=16, default="pending")  # pending, delivered, failed
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    claimed_until = fields.DatetimeField(null=True)
    response_status = fields.IntField(null=True)
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "ai_webhook_delivery"
        unique_together = (("endpoint", "event"),)
        indexes = (("status", "next_attempt_at"),)


class ListSeen(Model):
    """The last list fetched of each provider, reduced to what the sync log compares (the
    figures a diff reads; a description as its digest): the "before" of the next run's diff
    in every process, whatever its cache holds. Overwritten on every fetch."""

    provider = fields.CharField(max_length=64, primary_key=True)
    models: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    fetched_at = fields.DatetimeField()

    class Meta:
        table = "ai_list_seen"
