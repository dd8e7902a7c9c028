"""Curating saved models and setting slots. All need `ai.manage`."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from catalog.curated import SlotChoice
from providers import Capability as ServiceCapability
from schema.arguments import PROVIDER
from schema.context import Info
from schema.curation.queries import SLOT
from schema.curation.types import (
    DeleteSlotPayload,
    ProviderCheck,
    Slot,
    SlotModelInput,
    TestModelPayload,
)
from schema.enums import Capability, service_value
from schema.permissions import CanManage
from schema.saved.types import SavedModel


@strawberry.type
class CurationMutation:
    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Give a saved model what end users see and what admins note: a display name "
            "(unique per provider), notes, tags. Only the arguments given change; null "
            "clears one. A sync never changes them."
        ),
    )
    async def curate_model(
        self,
        info: Info,
        provider: Annotated[str, strawberry.argument(description=PROVIDER)],
        model_id: Annotated[
            str, strawberry.argument(description="The saved model's id at the provider.")
        ],
        display_name: Annotated[
            str | None,
            strawberry.argument(description="What end users see; null or '' clears it."),
        ] = strawberry.UNSET,
        notes: Annotated[
            str | None, strawberry.argument(description="An admin's notes; null clears them.")
        ] = strawberry.UNSET,
        tags: Annotated[
            list[str] | None,
            strawberry.argument(description="Tags, in order (at most 20); null clears them."),
        ] = strawberry.UNSET,
    ) -> SavedModel:
        given = {"display_name": display_name, "notes": notes, "tags": tags}
        changes: dict[str, Any] = {k: v for k, v in given.items() if v is not strawberry.UNSET}
        model = await info.context.catalog.curation.curate_model(
            info.context.actor, provider, model_id, changes
        )
        return SavedModel.from_stored(model)

    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Create or replace a slot's ordered models (first choice first). Each must be "
            "saved and have the slot's capability (`capability`, or the one the slot is "
            "named after: `chat`), unless `allowMismatch`. All or nothing."
        ),
    )
    async def set_slot(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description=SLOT)],
        models: Annotated[
            list[SlotModelInput],
            strawberry.argument(description="The slot's models, first choice first."),
        ],
        capability: Annotated[
            Capability | None,
            strawberry.argument(
                description="What its models must do; default: the capability it is named after."
            ),
        ] = None,
        allow_mismatch: Annotated[
            bool,
            strawberry.argument(description="Accept models without the slot's capability."),
        ] = False,
    ) -> Slot:
        slot = await info.context.catalog.curation.set_slot(
            info.context.actor,
            name,
            [SlotChoice(model.provider, model.model_id) for model in models],
            capability=service_value(capability, ServiceCapability) if capability else None,
            allow_mismatch=allow_mismatch,
        )
        return Slot.of(slot)

    @strawberry.mutation(
        permission_classes=[CanManage],
        description="Delete a slot; its models stay saved.",
    )
    async def delete_slot(
        self, info: Info, name: Annotated[str, strawberry.argument(description=SLOT)]
    ) -> DeleteSlotPayload:
        deleted = await info.context.catalog.curation.delete_slot(info.context.actor, name)
        return DeleteSlotPayload(name=name, deleted=deleted)

    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Probe a saved model: the smallest real request of its capability (chat: one "
            "token; embedding: one word) to the provider's generation endpoint with its key. "
            "One request at most, at most once per PROBE_INTERVAL per model (else "
            "RATE_LIMITED); the outcome is recorded (`lastProbe`, `probeHistory`)."
        ),
    )
    async def test_model(
        self,
        info: Info,
        provider: Annotated[str, strawberry.argument(description=PROVIDER)],
        model_id: Annotated[
            str, strawberry.argument(description="The saved model's id at the provider.")
        ],
    ) -> TestModelPayload:
        model, outcome = await info.context.catalog.probes.test_model(
            info.context.actor, provider, model_id
        )
        return TestModelPayload(
            ok=outcome.ok,
            status=outcome.status,
            latency_ms=round(outcome.latency_ms, 1),
            error=outcome.error,
            model=SavedModel.from_stored(model),
        )

    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Check a base URL and key before (or without) saving them: one list call, with "
            "latency, status and a clear error. Nothing is stored."
        ),
    )
    async def test_provider(
        self,
        info: Info,
        kind: Annotated[str, strawberry.argument(description="The provider kind (`openai`, ...).")],
        base_url: Annotated[
            str | None, strawberry.argument(description="Its base URL; the kind's default if null.")
        ] = None,
        api_key: Annotated[
            str | None, strawberry.argument(description="The key to try; never stored or echoed.")
        ] = None,
    ) -> ProviderCheck:
        check = await info.context.catalog.probes.test_provider(
            info.context.actor, kind, base_url, api_key
        )
        return ProviderCheck(
            ok=check.ok,
            status=check.status,
            latency_ms=check.latency_ms,
            models=check.models,
            error=check.error,
        )
