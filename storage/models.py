"""The database holds only what admins chose: provider instances, saved models, API tokens,
and the audit log of every change to them.

Live model lists are never written here; they live in the cache. A saved model's figure
columns are not written out below: `SavedModel` gets one per row of `storage.figures.FIGURES`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, assert_never

from tortoise import fields
from tortoise.models import Model, ModelMeta

from storage.figures import FIGURES, PRICE_DIGITS, PRICE_PLACES, TEXT_LENGTH, Figure, Kind


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
    is_active = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "ai_model"
        unique_together = (("provider", "model_id"),)

    if TYPE_CHECKING:  # the figure columns, added by the metaclass, are read by name

        def __getattr__(self, name: str) -> Any: ...


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
