"""What an admin gives a saved model by hand (`storage.figures.CURATED`) and the slots that
route requests to saved models. Each write is one transaction; what it refuses it writes
nothing of."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from errors import ConflictError, NotFoundError
from storage.figures import CURATED, DISPLAY_NAME, FIGURE, SHOWN
from storage.models import SavedModel, Slot, SlotModel
from storage.records import SlotRecord, StoredModel, stored_columns

_DISPLAY_COLUMN = FIGURE[DISPLAY_NAME].column


async def saved_row(provider: str, model_id: str) -> StoredModel | None:
    """One saved model with the figures GraphQL shows, or None."""
    rows = await SavedModel.filter(provider__slug=provider, model_id=model_id).values(
        *stored_columns(SHOWN), "provider__slug"
    )
    return StoredModel.from_values(rows[0], SHOWN, provider) if rows else None


async def curate(db_id: int, provider: str, changes: Mapping[str, Any]) -> StoredModel:
    """Write curated figures (by figure name) of one saved model; a display name another
    model of the provider has is a `ConflictError` (the unique index decides a race)."""
    columns = {FIGURE[name].column: FIGURE[name].column_value(v) for name, v in changes.items()}
    if any(name not in {f.name for f in CURATED} for name in changes):
        raise ValueError(f"not curated figures: {sorted(changes)}")
    try:
        async with in_transaction():
            await SavedModel.filter(id=db_id).update(**columns)
    except IntegrityError as exc:
        name = changes.get(DISPLAY_NAME)
        raise ConflictError(
            f"another model of {provider!r} is already named {name!r}", field="displayName"
        ) from exc
    rows = await SavedModel.filter(id=db_id).values(*stored_columns(SHOWN), "provider__slug")
    if not rows:
        raise NotFoundError(f"the saved model was deleted meanwhile ({provider!r})")
    return StoredModel.from_values(rows[0], SHOWN, provider)


async def display_name_owner(provider_id: int, name: str) -> str | None:
    """The model id of the provider's saved model named `name`, if any."""
    rows = await SavedModel.filter(provider_id=provider_id, **{_DISPLAY_COLUMN: name}).values(
        "model_id"
    )
    return str(rows[0]["model_id"]) if rows else None


async def find_models(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], StoredModel]:
    """The saved models named by (provider, model id), in one query; absent ones left out."""
    if not keys:
        return {}
    ids = {model_id for _, model_id in keys}
    rows = await SavedModel.filter(model_id__in=ids).values(
        *stored_columns(SHOWN), "provider__slug", "provider__is_active"
    )
    wanted = set(keys)
    found = {}
    for row in rows:
        key = (str(row["provider__slug"]), str(row["model_id"]))
        if key in wanted:
            found[key] = StoredModel.from_values(row, SHOWN, key[0])
    return found


async def set_slot(name: str, capability: str | None, db_ids: Sequence[int]) -> None:
    """Create or replace a slot's ordered models, in one transaction."""
    async with in_transaction():
        slot, created = await Slot.get_or_create(name=name, defaults={"capability": capability})
        if not created:
            await Slot.filter(id=slot.id).update(capability=capability)
            await SlotModel.filter(slot_id=slot.id).delete()
        entries = [
            SlotModel(slot_id=slot.id, saved_model_id=db_id, position=position)
            for position, db_id in enumerate(db_ids)
        ]
        if entries:
            await SlotModel.bulk_create(entries)


async def delete_slot(name: str) -> bool:
    """Delete a slot (its models stay saved); False when there was none."""
    return bool(await Slot.filter(name=name).delete())


async def slots(names: Sequence[str] | None = None) -> list[SlotRecord]:
    """Every slot (or those named), by name, each with its models in order: two queries."""
    query = Slot.all().order_by("name")
    if names is not None:
        query = query.filter(name__in=list(names))
    found = await query.values("id", "name", "capability")
    if not found:
        return []
    prefix = "saved_model__"
    rows = (
        await SlotModel.filter(slot_id__in=[slot["id"] for slot in found])
        .order_by("slot_id", "position")
        .values("slot_id", *stored_columns(SHOWN, prefix), f"{prefix}provider__slug")
    )
    by_slot: dict[int, list[StoredModel]] = {slot["id"]: [] for slot in found}
    for row in rows:
        slug = str(row[f"{prefix}provider__slug"])
        by_slot[row["slot_id"]].append(StoredModel.from_values(row, SHOWN, slug, prefix))
    return [
        SlotRecord(slot["name"], slot["capability"], tuple(by_slot[slot["id"]])) for slot in found
    ]
