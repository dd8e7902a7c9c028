"""A provider instance and the models an admin saved of it. A saved model's figure columns are
not written out below: `SavedModel` gets one per row of `storage.figures.FIGURES`."""

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
