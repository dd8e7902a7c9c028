"""GraphQL types of slots and routes."""

from __future__ import annotations

from datetime import datetime

import strawberry

from catalog.routing import Route as ServiceRoute
from catalog.routing import Skipped
from catalog.routing import SkipReason as ServiceSkipReason
from schema import enums
from schema.saved.types import SavedModel
from storage.records import SlotRecord


@strawberry.input(description="One model of a slot: its provider and its id there.")
class SlotModelInput:
    provider: str = strawberry.field(description="The provider's slug.")
    model_id: str = strawberry.field(description="The saved model's id at the provider.")


@strawberry.type(description="A named purpose with an ordered list of saved models.")
class Slot:
    name: str = strawberry.field(description="The slot's name (`chat`, `title`, ...).")
    capability: str | None = strawberry.field(
        description="The capability its models were checked for when it was set, if any."
    )
    models: list[SavedModel] = strawberry.field(
        description="Its models, first choice first; a deleted model leaves its slots."
    )

    @classmethod
    def of(cls, slot: SlotRecord) -> Slot:
        return cls(
            name=slot.name,
            capability=slot.capability,
            models=[SavedModel.from_stored(model) for model in slot.models],
        )


@strawberry.type(description="A model of the slot that `route` passed over, and why.")
class SkippedModel:
    model: SavedModel = strawberry.field(description="The model passed over.")
    reason: ServiceSkipReason = strawberry.field(
        graphql_type=enums.SkipReason, description="Why it was passed over."
    )
    detail: str = strawberry.field(description="More on the reason (a probe's error), or ''.")

    @classmethod
    def of(cls, skipped: Skipped) -> SkippedModel:
        return cls(
            model=SavedModel.from_stored(skipped.model),
            reason=skipped.reason,
            detail=skipped.detail,
        )


@strawberry.type(description="Where a request for a slot goes.")
class Route:
    slot: str = strawberry.field(description="The slot's name.")
    model: SavedModel | None = strawberry.field(
        description="The first usable model of the slot; null when none is usable."
    )
    skipped: list[SkippedModel] = strawberry.field(
        description="The models before it that were passed over, in slot order, with why."
    )
    notes: list[str] = strawberry.field(
        description="What the answer could not check (a provider's list that could not be had)."
    )

    @classmethod
    def of(cls, route: ServiceRoute) -> Route:
        return cls(
            slot=route.slot,
            model=SavedModel.from_stored(route.model) if route.model else None,
            skipped=[SkippedModel.of(skipped) for skipped in route.skipped],
            notes=list(route.notes),
        )


@strawberry.type(description="The result of `deleteSlot`.")
class DeleteSlotPayload:
    name: str = strawberry.field(description="The slot's name.")
    deleted: bool = strawberry.field(description="False when there was no such slot.")


@strawberry.type(description="The result of `testModel`: the probe's outcome and the model.")
class TestModelPayload:
    ok: bool = strawberry.field(description="Whether the provider answered the request.")
    status: int | None = strawberry.field(description="Its HTTP status; null when none came.")
    latency_ms: float = strawberry.field(description="How long it took, in ms.")
    error: str | None = strawberry.field(description="What went wrong (never a key).")
    model: SavedModel = strawberry.field(description="The saved model, its `lastProbe` this one.")


@strawberry.type(description="The result of `testProvider`: one list call, nothing saved.")
class ProviderCheck:
    ok: bool = strawberry.field(description="Whether the list call worked.")
    status: int | None = strawberry.field(description="The HTTP status of a failed call, if any.")
    latency_ms: float = strawberry.field(description="How long it took, in ms.")
    models: int = strawberry.field(description="How many models it listed.")
    error: str | None = strawberry.field(description="What went wrong, for a person to read.")


@strawberry.type(description="One past probe of a saved model.")
class ProbeRecord:
    ok: bool = strawberry.field(description="Whether the provider answered.")
    at: datetime = strawberry.field(description="When it was sent.")
    status: int | None = strawberry.field(description="The HTTP status, if any.")
    latency_ms: float | None = strawberry.field(description="How long it took, in ms.")
    error: str | None = strawberry.field(description="What went wrong (never a key).")
