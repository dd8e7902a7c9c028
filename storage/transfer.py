"""Reading the whole saved configuration, and applying an import's plan in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from tortoise.transactions import in_transaction

from storage.figures import DISPLAY_NAME, FIGURE, SHOWN
from storage.models import Provider, SavedModel, Slot, SlotModel
from storage.records import ModelValues, StoredModel, stored_columns
from storage.saved import row_columns

SlotRow = tuple[str, str | None, Sequence[tuple[str, str]]]


@dataclass(frozen=True, slots=True)
class ImportProvider:
    slug: str
    kind: str
    display_name: str
    base_url: str | None
    ttl: int | None
    is_active: bool


@dataclass(frozen=True, slots=True)
class ImportModel:
    provider: str
    model_id: str
    figures: Mapping[str, Any]
    is_active: bool
    unlisted: bool
    overridden: bool


@dataclass(frozen=True, slots=True)
class ImportSlot:
    name: str
    capability: str | None
    models: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Document:
    """An import file, checked."""

    providers: tuple[ImportProvider, ...]
    models: tuple[ImportModel, ...]
    slots: tuple[ImportSlot, ...]


class PlannedChange(Protocol):
    @property
    def action(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def key(self) -> str: ...


async def read_all() -> tuple[list[StoredModel], list[SlotRow]]:
    """Every saved model (the figures GraphQL shows) and every slot's entries: three queries."""
    rows = await SavedModel.all().values(*stored_columns(SHOWN), "provider__slug")
    models = [StoredModel.from_values(row, SHOWN, row["provider__slug"]) for row in rows]
    slots = await Slot.all().order_by("name").values("id", "name", "capability")
    entries = (
        await SlotModel.all()
        .order_by("slot_id", "position")
        .values("slot_id", "saved_model__model_id", "saved_model__provider__slug")
    )
    by_slot: dict[int, list[tuple[str, str]]] = {slot["id"]: [] for slot in slots}
    for entry in entries:
        key = (str(entry["saved_model__provider__slug"]), str(entry["saved_model__model_id"]))
        by_slot[entry["slot_id"]].append(key)
    return models, [(s["name"], s["capability"], by_slot[s["id"]]) for s in slots]


async def apply(document: Document, changes: Sequence[PlannedChange]) -> None:
    """Make the database what `document` says (see `catalog.transfer`), all or nothing."""
    async with in_transaction():
        ids = await _providers(document.providers)
        removed = [c.key for c in changes if c.entity == "model" and c.action == "remove"]
        for key in removed:
            slug, model_id = key.split("/", 1)
            await SavedModel.filter(provider_id=ids[slug], model_id=model_id).delete()
        # names may move between models: clear them first, so the unique index sees no swap
        await SavedModel.filter(provider_id__in=list(ids.values())).update(
            **{FIGURE[DISPLAY_NAME].column: None}
        )
        db_ids = {}
        for model in document.models:
            db_ids[(model.provider, model.model_id)] = await _model(ids[model.provider], model)
        await Slot.all().delete()
        for slot in document.slots:
            row = await Slot.create(name=slot.name, capability=slot.capability)
            await SlotModel.bulk_create(
                [
                    SlotModel(slot_id=row.id, saved_model_id=db_ids[key], position=position)
                    for position, key in enumerate(slot.models)
                ]
            )


async def _providers(providers: Sequence[ImportProvider]) -> dict[str, int]:
    ids = {}
    for new in providers:
        values = {
            "kind": new.kind,
            "display_name": new.display_name,
            "base_url": new.base_url,
            "ttl": new.ttl,
            "is_active": new.is_active,
        }
        row, created = await Provider.get_or_create(slug=new.slug, defaults=values)
        if not created:
            await Provider.filter(id=row.id).update(**values, updated_at=datetime.now(UTC))
        ids[new.slug] = int(row.id)
    return ids


async def _model(provider_id: int, model: ImportModel) -> int:
    columns = row_columns(ModelValues(model.model_id, model.figures), model.overridden)
    columns.update(is_active=model.is_active, unlisted=model.unlisted)
    updated = await SavedModel.filter(provider_id=provider_id, model_id=model.model_id).update(
        **columns
    )
    if not updated:
        row = await SavedModel.create(provider_id=provider_id, **columns)
        return int(row.id)
    rows = await SavedModel.filter(provider_id=provider_id, model_id=model.model_id).values("id")
    return int(rows[0]["id"])
