"""The catalog's curation operations: naming saved models, filling slots, routing a request.

`Catalog.curation` is one `Curation`; its mutations (`curate_model`, `set_slot`,
`delete_slot`) are one method each, as the schema and the CLI call them. The rules are in
`catalog.curation` (what an admin may give) and `catalog.routing` (which model a slot answers).

Deleting a saved model (`clearModels`) takes it out of every slot it was in (the database
cascades), the models after it moving up: a slot never points at a deleted model, and never
refuses a clear.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from catalog.audit import Actor
from catalog.audit import changes as audited
from catalog.clock import utc
from catalog.curation import curated_changes
from catalog.routing import (
    MAX_SLOT_MODELS,
    Listed,
    Route,
    check_slot_name,
    choose,
    default_capability,
)
from errors import ConflictError, InvalidInputError, NotFoundError, ServiceError
from providers import Capability
from storage import curation as stored
from storage.figures import CAPABILITIES, DISPLAY_NAME
from storage.records import SlotRecord, StoredModel

if TYPE_CHECKING:
    from catalog.parts import Parts


@dataclass(frozen=True, slots=True)
class SlotChoice:
    """One model named for a slot: its provider's slug and its id there."""

    provider: str
    model_id: str


class Curation:
    """Display names, notes, tags; slots and routing (see the module docstring)."""

    def __init__(self, catalog: Parts) -> None:
        self.catalog = catalog

    async def curate_model(
        self, actor: Actor, provider: str, model_id: str, changes: Mapping[str, Any]
    ) -> StoredModel:
        """Set what an admin gives a saved model: `changes` holds, by figure name, only what
        is changed (`display_name`, `notes`, `tags`; None clears)."""
        checked = curated_changes(changes)
        model = await stored.saved_row(provider, model_id)
        if model is None:
            raise NotFoundError(f"{model_id!r} is not saved for {provider!r}", field="modelId")
        name = checked.get(DISPLAY_NAME)
        if name is not None:
            state = await self.catalog.state(provider)
            assert state.provider is not None  # a saved model has its provider's row
            owner = await stored.display_name_owner(state.provider.id, name)
            if owner is not None and owner != model_id:
                raise ConflictError(
                    f"{owner!r} of {provider!r} is already named {name!r}", field="displayName"
                )
        async with self.catalog.audit.recording(actor, "curateModel", provider=provider) as entry:
            curated = await stored.curate(model.db_id, provider, checked)
            before = {name: model.figures.get(name) for name in checked}
            after = {name: curated.figures.get(name) for name in checked}
            entry.model_ids.append(model_id)
            entry.changes += audited(before, after, model=model_id)
        return curated

    async def set_slot(
        self,
        actor: Actor,
        name: str,
        models: Sequence[SlotChoice],
        *,
        capability: Capability | None = None,
        allow_mismatch: bool = False,
    ) -> SlotRecord:
        """Create or replace a slot's ordered models, all checked first: each is saved, named
        once, and has the slot's capability (given, or the one the slot is named after)
        unless `allow_mismatch`. Nothing is written when one fails."""
        name = check_slot_name(name)
        if len(models) > MAX_SLOT_MODELS:
            raise InvalidInputError(
                f"a slot holds at most {MAX_SLOT_MODELS} models", field="models"
            )
        needed = capability or default_capability(name)
        keys = [(choice.provider, choice.model_id) for choice in models]
        found = await stored.find_models(keys)
        db_ids = []
        for index, key in enumerate(keys):
            where = f"models[{index}]"
            if key in keys[:index]:
                raise InvalidInputError(f"{where}: {key[1]!r} is named twice", field=where)
            model = found.get(key)
            if model is None:
                raise NotFoundError(f"{where}: {key[1]!r} is not saved for {key[0]!r}", field=where)
            if needed and needed.value not in model.figures[CAPABILITIES] and not allow_mismatch:
                raise InvalidInputError(
                    f"{where}: {key[1]!r} has no {needed.value!r} capability; set "
                    "allowMismatch to put it in this slot anyway",
                    field=where,
                )
            db_ids.append(model.db_id)
        async with self.catalog.audit.recording(actor, "setSlot") as entry:
            before = await stored.slots([name])
            await stored.set_slot(name, needed.value if needed else None, db_ids)
            entry.model_ids += [model_id for _, model_id in keys]
            after = {
                "capability": needed.value if needed else None,
                "models": [f"{provider}/{model_id}" for provider, model_id in keys],
            }
            entry.changes += audited(_audited(before[0] if before else None), after)
            entry.details["slot"] = name
        return await self.slot(name)

    async def delete_slot(self, actor: Actor, name: str) -> bool:
        """Delete a slot (its models stay saved); False when there was none."""
        name = check_slot_name(name)
        async with self.catalog.audit.recording(actor, "deleteSlot") as entry:
            before = await stored.slots([name])
            deleted = await stored.delete_slot(name)
            shown = _audited(before[0] if before else None)
            entry.changes += audited(shown, dict.fromkeys(shown))
            entry.details.update(slot=name, deleted=deleted)
        return deleted

    async def slots(self) -> list[SlotRecord]:
        return await stored.slots()

    async def slots_named(self, names: Sequence[str]) -> list[SlotRecord]:
        return await stored.slots(names)

    async def slot(self, name: str) -> SlotRecord:
        found = await stored.slots([check_slot_name(name)])
        if not found:
            raise NotFoundError(f"no slot {name!r}", field="slot")
        return found[0]

    async def route(self, name: str) -> Route:
        """Where a request for slot `name` goes (see `catalog.routing`)."""
        slot = await self.slot(name)
        return await self.choose(slot)

    async def choose(self, slot: SlotRecord) -> Route:
        providers = {model.provider for model in slot.models}
        active: dict[str, bool] = {}
        lists: dict[str, Listed | None] = {}
        for slug in sorted(providers):
            active[slug], lists[slug] = await self._listed(slug)
        now = utc(self.catalog.clock)
        return choose(slot.name, slot.models, provider_active=active, lists=lists, now=now)

    async def _listed(self, slug: str) -> tuple[bool, Listed | None]:
        """Whether the provider is active, and its list (cached; None when none can be had)."""
        state = await self.catalog.state(slug)
        if state.provider is not None and not state.provider.is_active:
            return False, None
        try:
            provider = self.catalog.resolve(slug, state.provider)
            snapshot = await self.catalog.snapshot(provider)
        except ServiceError:
            return True, None
        return True, Listed(snapshot, provider.endpoint.spec.complete_list)


def _audited(slot: SlotRecord | None) -> dict[str, Any]:
    """What the audit log compares of a slot: its capability and its models, in order."""
    if slot is None:
        return {}
    models = [f"{model.provider}/{model.model_id}" for model in slot.models]
    return {"capability": slot.capability, "models": models}
