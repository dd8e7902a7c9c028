from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(max_length=128)),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("permissions", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "ai_api_token",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A bearer token, stored as its SHA-256: the clear token is shown once, at creation.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Provider",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("slug", fields.CharField(unique=True, max_length=64)),
                ("kind", fields.CharField(max_length=64)),
                ("display_name", fields.CharField(max_length=128)),
                ("base_url", fields.CharField(null=True, max_length=512)),
                ("api_key", fields.TextField(null=True, unique=False)),
                ("ttl", fields.IntField(null=True)),
                ("is_active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "ai_provider",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A provider instance: a registry kind plus its own base URL, key and cache TTL.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SavedModel",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "provider",
                    fields.ForeignKeyField(
                        "models.Provider",
                        source_field="provider_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="models",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("model_id", fields.CharField(max_length=255)),
                ("name", fields.CharField(max_length=255)),
                ("description", fields.TextField(null=True, unique=False)),
                ("capabilities", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("capabilities_overridden", fields.BooleanField(default=False)),
                ("input_price", fields.DecimalField(null=True, max_digits=18, decimal_places=6)),
                ("output_price", fields.DecimalField(null=True, max_digits=18, decimal_places=6)),
                ("context_window", fields.IntField(null=True)),
                ("max_output_tokens", fields.IntField(null=True)),
                ("sources", fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ("upstream", fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ("is_active", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "ai_model",
                "app": "models",
                "unique_together": (("provider", "model_id"),),
                "pk_attr": "id",
                "table_description": "A model an admin saved, with the figures the upstream gave when it was saved.",
            },
            bases=["Model"],
        ),
    ]
