"""The database holds only what admins chose: provider instances, saved models, API tokens,
and the audit log of every change to them.

Live model lists are never written here; they live in the cache. A saved model's figure
columns are not written out below: `SavedModel` gets one per row of `storage.figures.FIGURES`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, assert_never

from tortoise import fields
from tortoise.models import Model, ModelMeta

from storage.figures import (
    FIGURES,
    LABEL_LENGTH,
    PRICE_DIGITS,
    PRICE_PLACES,
    TEXT_LENGTH,
    Figure,
    Kind,
)


class Provider(Model):
    """A provider instance: a registry kind plus its own base URL, key and cache TTL.

    A row appears the first time a model of a registry provider is saved, or when an admin
    adds an instance (two OpenAI-compatible gateways are two rows of one kind).
    """

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=64, unique=True)
    kind = fields.CharField(max_length=64)
    display_name = fields.CharField(max_length=128)
    base_url = fields.CharField(max_length=512, null=True)
    # Fernet token of the API key (see catalog/keys.py), never the key itself, and its last
    # four characters so an admin can tell which key is set.
    api_key_encrypted = fields.TextField(null=True)
    api_key_last4 = fields.CharField(max_length=4, null=True)
    ttl = fields.IntField(null=True)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    models: fields.ReverseRelation[SavedModel]

    class Meta:
        table = "ai_provider"


def figure_column(figure: Figure) -> fields.Field[Any]:
    """The column that holds `figure`."""
    match figure.kind:
        case Kind.TEXT:
            return fields.CharField(max_length=TEXT_LENGTH)
        case Kind.LONG_TEXT:
            return fields.TextField(null=True)
        case Kind.CAPABILITIES:
            return fields.JSONField(default=list)
        case Kind.TAGS:  # nullable: a NOT NULL column cannot be added to SQLite's rows
            return fields.JSONField(null=True)
        case Kind.LABEL:
            return fields.CharField(max_length=LABEL_LENGTH, null=True)
        case Kind.PRICE:
            return fields.DecimalField(
                max_digits=PRICE_DIGITS, decimal_places=PRICE_PLACES, null=True
            )
        case Kind.TOKENS:
            return fields.IntField(null=True)
        case Kind.MAPPING:
            return fields.JSONField(default=dict)
    assert_never(figure.kind)


class WithFigureColumns(ModelMeta):
    """Adds a column per stored figure to the class body, as if written there by hand."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> ModelMeta:
        columns = {figure.column: figure_column(figure) for figure in FIGURES}
        return super().__new__(mcs, name, bases, {**attrs, **columns})


class SavedModel(Model, metaclass=WithFigureColumns):
    """A model an admin saved, with the figures the upstream gave when it was saved."""

    id = fields.IntField(primary_key=True)
    provider: fields.ForeignKeyRelation[Provider] = fields.ForeignKeyField(
        "models.Provider", related_name="models", on_delete=fields.CASCADE
    )
    provider_id: int
    model_id = fields.CharField(max_length=TEXT_LENGTH)
    capabilities_overridden = fields.BooleanField(default=False)
    # saved although the provider's list does not have it (a fine-tune, a private deployment):
    # its figures are the admin's, and drift reports it UNLISTED, never MISSING
    unlisted = fields.BooleanField(default=False, db_default=False)
    is_active = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    # the last probe (`testModel`), claimed first (`probed_at`), then its outcome; p50/p95 of
    # the recent successful probes, recomputed at each probe (history: `ProbeResult`)
    probed_at = fields.DatetimeField(null=True)
    probe_ok = fields.BooleanField(null=True)
    probe_status = fields.IntField(null=True)
    probe_latency_ms = fields.FloatField(null=True)
    probe_error = fields.TextField(null=True)
    probe_p50_ms = fields.FloatField(null=True)
    probe_p95_ms = fields.FloatField(null=True)

    class Meta:
        table = "ai_model"
        unique_together = (("provider", "model_id"), ("provider", "display_name"))

    if TYPE_CHECKING:  # the figure columns, added by the metaclass, are read by name

        def __getattr__(self, name: str) -> Any: ...


class Slot(Model):
    """A named purpose (`chat`, `title`, `embedding`, any name the app uses) with an ordered
    list of saved models: `route(slot)` answers the first usable one (`catalog.routing`)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    # the capability its models must have (checked when it is set, unless overridden)
    capability = fields.CharField(max_length=32, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    entries: fields.ReverseRelation[SlotModel]

    class Meta:
        table = "ai_slot"


class SlotModel(Model):
    """One saved model's place in a slot. Deleting the saved model deletes its place
    (`clearModels` takes it out of every slot; the others move up)."""

    id = fields.IntField(primary_key=True)
    slot: fields.ForeignKeyRelation[Slot] = fields.ForeignKeyField(
        "models.Slot", related_name="entries", on_delete=fields.CASCADE
    )
    slot_id: int
    saved_model: fields.ForeignKeyRelation[SavedModel] = fields.ForeignKeyField(
        "models.SavedModel", related_name="slot_entries", on_delete=fields.CASCADE
    )
    saved_model_id: int
    position = fields.IntField()

    class Meta:
        table = "ai_slot_model"
        unique_together = (("slot", "saved_model"),)


class ProbeResult(Model):
    """One probe of a saved model (`testModel`): its outcome, kept as history per model."""

    id = fields.IntField(primary_key=True)
    saved_model: fields.ForeignKeyRelation[SavedModel] = fields.ForeignKeyField(
        "models.SavedModel", related_name="probes", on_delete=fields.CASCADE
    )
    saved_model_id: int
    ok = fields.BooleanField()
    status = fields.IntField(null=True)
    latency_ms = fields.FloatField()
    error = fields.TextField(null=True)
    at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "ai_probe"


class ApiToken(Model):
    """A bearer token, stored as its SHA-256: the clear token is shown once, at creation."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128)
    token_hash = fields.CharField(max_length=64, unique=True)
    permissions: fields.JSONField[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(null=True)  # null: never
    # when a request last used it, to within a minute (see storage/tokens.py)
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "ai_api_token"


class AuditEntry(Model):
    """One change, written in the transaction of the change itself (`storage.audit`): who
    (a token's name, never the token), when, which operation, its target and what changed."""

    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField(db_index=True)
    actor = fields.CharField(max_length=128, db_index=True)
    via = fields.CharField(max_length=16)  # graphql, cli
    request_id = fields.CharField(max_length=64, null=True)
    operation = fields.CharField(max_length=64, db_index=True)
    provider = fields.CharField(max_length=64, null=True, db_index=True)
    # [{"model": id or null, "field": name, "before": text or null, "after": text or null}]
    changes: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    # the operation's other figures: counts, arguments, a slot or webhook it targets
    details: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)

    models: fields.ReverseRelation[AuditModel]

    class Meta:
        table = "ai_audit_entry"


class AuditModel(Model):
    """A model an entry touched: one row each, so the log filters by model with an index
    (a bulk sync of 500 models is one entry and 500 of these, written in one statement)."""

    id = fields.IntField(primary_key=True)
    entry: fields.ForeignKeyRelation[AuditEntry] = fields.ForeignKeyField(
        "models.AuditEntry", related_name="models", on_delete=fields.CASCADE
    )
    entry_id: int
    model_id = fields.CharField(max_length=TEXT_LENGTH, db_index=True)

    class Meta:
        table = "ai_audit_model"


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
