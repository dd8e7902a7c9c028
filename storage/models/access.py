"""Who may change things, and what was changed: API tokens and the audit log."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from storage.figures import TEXT_LENGTH


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
