"""The database holds only what admins chose: provider instances, saved models, API tokens.

Live model lists are never written here; they live in the cache.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

PRICE_DIGITS = {"max_digits": 18, "decimal_places": 6}


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


class SavedModel(Model):
    """A model an admin saved, with the figures the upstream gave when it was saved."""

    id = fields.IntField(primary_key=True)
    provider: fields.ForeignKeyRelation[Provider] = fields.ForeignKeyField(
        "models.Provider", related_name="models", on_delete=fields.CASCADE
    )
    provider_id: int
    model_id = fields.CharField(max_length=255)
    name = fields.CharField(max_length=255)
    description = fields.TextField(null=True)
    capabilities: fields.JSONField[list[str]] = fields.JSONField(default=list)
    capabilities_overridden = fields.BooleanField(default=False)
    input_price = fields.DecimalField(**PRICE_DIGITS, null=True)
    output_price = fields.DecimalField(**PRICE_DIGITS, null=True)
    context_window = fields.IntField(null=True)
    max_output_tokens = fields.IntField(null=True)
    sources: fields.JSONField[dict[str, str]] = fields.JSONField(default=dict)
    upstream: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    is_active = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "ai_model"
        unique_together = (("provider", "model_id"),)


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
