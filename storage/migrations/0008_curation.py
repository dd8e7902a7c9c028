"""Curation and routing: admin figures (display name unique per provider, notes, tags), the
unlisted flag, the last probe on each saved model, the probe history, and slots. Every new
column is nullable or has a default, so every existing row keeps working as before."""

from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint


class Migration(migrations.Migration):
    dependencies = [("models", "0007_audit")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ProbeResult",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "saved_model",
                    fields.ForeignKeyField(
                        "models.SavedModel",
                        source_field="saved_model_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="probes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("ok", fields.BooleanField()),
                ("status", fields.IntField(null=True)),
                ("latency_ms", fields.FloatField()),
                ("error", fields.TextField(null=True, unique=False)),
                ("at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "ai_probe",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One probe of a saved model (`testModel`): its outcome, kept as history per model.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Slot",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(unique=True, max_length=64)),
                ("capability", fields.CharField(null=True, max_length=32)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "ai_slot",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A named purpose (`chat`, `title`, `embedding`, any name the app uses) with an ordered",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SlotModel",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "slot",
                    fields.ForeignKeyField(
                        "models.Slot",
                        source_field="slot_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="entries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "saved_model",
                    fields.ForeignKeyField(
                        "models.SavedModel",
                        source_field="saved_model_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="slot_entries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("position", fields.IntField()),
            ],
            options={
                "table": "ai_slot_model",
                "app": "models",
                "unique_together": (("slot", "saved_model"),),
                "pk_attr": "id",
                "table_description": "One saved model's place in a slot. Deleting the saved model deletes its place",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="SavedModel",
            name="display_name",
            field=fields.CharField(null=True, max_length=128),
        ),
        ops.AddField(
            model_name="SavedModel",
            name="notes",
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name="SavedModel",
            name="probe_error",
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name="SavedModel",
            name="probe_latency_ms",
            field=fields.FloatField(null=True),
        ),
        ops.AddField(
            model_name="SavedModel",
            name="probe_ok",
            field=fields.BooleanField(null=True),
        ),
        ops.AddField(
            model_name="SavedModel",
            name="probe_p50_ms",
            field=fields.FloatField(null=True),
        ),
        ops.AddField(
            model_name="SavedModel",
            name="probe_p95_ms",
            field=fields.FloatField(null=True),
        ),
        ops.AddField(
            model_name="SavedModel",
            name="probe_status",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="SavedModel",
            name="probed_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="SavedModel",
            name="tags",
            field=fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddField(
            model_name="SavedModel",
            name="unlisted",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddConstraint(
            model_name="SavedModel",
            constraint=UniqueConstraint(fields=("provider", "display_name"), name=None),
        ),
    ]
