"""Curation's tables: slots and the saved models routed through them, and the probe history."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from storage.models.providers import SavedModel


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
