"""The audit log: an entry per change, and the models it touched (indexed, to filter by model)."""

from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0006_watching")]

    initial = False

    operations = [
        ops.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ("actor", fields.CharField(db_index=True, max_length=128)),
                ("via", fields.CharField(max_length=16)),
                ("request_id", fields.CharField(null=True, max_length=64)),
                ("operation", fields.CharField(db_index=True, max_length=64)),
                ("provider", fields.CharField(null=True, db_index=True, max_length=64)),
                ("changes", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("details", fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={
                "table": "ai_audit_entry",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One change, written in the transaction of the change itself (`storage.audit`): who",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AuditModel",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "entry",
                    fields.ForeignKeyField(
                        "models.AuditEntry",
                        source_field="entry_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="models",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("model_id", fields.CharField(db_index=True, max_length=255)),
            ],
            options={
                "table": "ai_audit_model",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A model an entry touched: one row each, so the log filters by model with an index",
            },
            bases=["Model"],
        ),
    ]
