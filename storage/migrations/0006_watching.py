"""Watching (issue 13): the sync log and change feed, the last list seen per provider, the
scheduler's lease, webhook endpoints, events and deliveries. New tables only: nothing existing
changes."""

from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0004_catalog_data")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Lease",
            fields=[
                (
                    "name",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("holder", fields.CharField(max_length=64)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "ai_lease",
                "app": "models",
                "pk_attr": "name",
                "table_description": "A job only one process may run at a time (the scheduler): whoever holds an unexpired",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ListSeen",
            fields=[
                (
                    "provider",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("models", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("fetched_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "ai_list_seen",
                "app": "models",
                "pk_attr": "provider",
                "table_description": "The last list fetched of each provider, reduced to what the sync log compares (the",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SyncRun",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("provider", fields.CharField(db_index=True, max_length=64)),
                ("trigger", fields.CharField(max_length=16)),
                ("started_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("duration_ms", fields.IntField()),
                ("outcome", fields.CharField(max_length=16)),
                ("models", fields.IntField(null=True)),
                ("added", fields.IntField(default=0)),
                ("removed", fields.IntField(default=0)),
                ("changed", fields.IntField(default=0)),
                ("cosmetic", fields.IntField(default=0)),
                ("baseline", fields.BooleanField(default=False)),
                ("error", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "ai_sync_run",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One fetch of a provider's list (scheduled, manual, CLI or on a request): when, how long,",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CatalogChange",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "run",
                    fields.ForeignKeyField(
                        "models.SyncRun",
                        source_field="run_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="changes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("provider", fields.CharField(max_length=64)),
                ("model_id", fields.CharField(max_length=255)),
                ("kind", fields.CharField(max_length=16)),
                ("name", fields.CharField(max_length=255)),
                (
                    "fields_changed",
                    fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
                ),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "ai_catalog_change",
                "app": "models",
                "indexes": [Index(fields=["provider", "at"])],
                "pk_attr": "id",
                "table_description": "One model that appeared, vanished or changed in a run: the change feed's entries.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebhookEndpoint",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("url", fields.CharField(max_length=2048)),
                ("description", fields.CharField(default="", max_length=255)),
                ("secret_encrypted", fields.TextField(unique=False)),
                ("events", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("is_active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "ai_webhook_endpoint",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Where events are POSTed, signed with its secret (Fernet-encrypted, like provider keys).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebhookEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("key", fields.CharField(unique=True, max_length=255)),
                ("type", fields.CharField(max_length=32)),
                ("payload", fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "ai_webhook_event",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Something worth telling, once: `key` is unique, so an event two workers both notice is",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebhookDelivery",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "endpoint",
                    fields.ForeignKeyField(
                        "models.WebhookEndpoint",
                        source_field="endpoint_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="deliveries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "event",
                    fields.ForeignKeyField(
                        "models.WebhookEvent",
                        source_field="event_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="deliveries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("message_id", fields.CharField(unique=True, max_length=64)),
                ("status", fields.CharField(default="pending", max_length=16)),
                ("attempts", fields.IntField(default=0)),
                ("next_attempt_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "claimed_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("response_status", fields.IntField(null=True)),
                ("last_error", fields.TextField(null=True, unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "delivered_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "ai_webhook_delivery",
                "app": "models",
                "unique_together": (("endpoint", "event"),),
                "indexes": [Index(fields=["status", "next_attempt_at"])],
                "pk_attr": "id",
                "table_description": "An event to one endpoint: the outbox row a worker claims, and its delivery log.",
            },
            bases=["Model"],
        ),
    ]
