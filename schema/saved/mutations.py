"""Writing saved models: save one, sync the best N, clear the rest, switch several on or off.
All need `ai.manage`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from providers import Capability as ServiceCapability
from schema.arguments import PROVIDER
from schema.context import Info
from schema.enums import Capability, service_value
from schema.permissions import CanManage
from schema.saved.types import (
    BulkSyncPayload,
    ClearModelsPayload,
    SavedModel,
    SaveModelPayload,
    SetModelsActivePayload,
    UnlistedFiguresInput,
)


@strawberry.type
class SavedMutation:
    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Save one model, read fresh from the provider (no cache). Capabilities are "
            "detected unless given (given ones survive later syncs). `isActive` null keeps an "
            "existing model's flag and saves a new one inactive. A model the provider does "
            "not list is refused unless `unlisted` is true."
        ),
    )
    async def save_model(
        self,
        info: Info,
        provider: Annotated[str, strawberry.argument(description=PROVIDER)],
        model_id: Annotated[
            str, strawberry.argument(description="The provider's id for the model.")
        ],
        capabilities: Annotated[
            list[Capability] | None,
            strawberry.argument(
                description="The model's capabilities, set by hand; detected when omitted."
            ),
        ] = None,
        is_active: Annotated[
            bool | None,
            strawberry.argument(
                description="Whether the app may use it; null keeps an existing model's flag."
            ),
        ] = None,
        unlisted: Annotated[
            bool,
            strawberry.argument(
                description=(
                    "Allow a model id the provider does not list (a fine-tune, a private "
                    "deployment, a gated model): it is saved marked unlisted, with the given "
                    "`capabilities` (required) and `figures`. A listed model is saved from "
                    "the list as usual."
                )
            ),
        ] = False,
        figures: Annotated[
            UnlistedFiguresInput | None,
            strawberry.argument(description="An unlisted model's figures, given by the admin."),
        ] = None,
    ) -> SaveModelPayload:
        model, created = await info.context.catalog.save_model(
            info.context.actor,
            provider,
            model_id,
            capabilities=_service(capabilities),
            is_active=is_active,
            unlisted=unlisted,
            figures=figures.given() if figures is not None else None,
        )
        return SaveModelPayload(model=SavedModel.from_stored(model), created=created)

    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Save the `limit` best models of a provider (optionally of one capability) in one "
            "transaction: all or nothing. New models arrive inactive (the first one active "
            "with `activateFirst`); existing models keep their active flag."
        ),
    )
    async def bulk_sync(
        self,
        info: Info,
        provider: Annotated[str, strawberry.argument(description=PROVIDER)],
        capability: Annotated[
            Capability | None,
            strawberry.argument(description="Only models with this capability."),
        ] = None,
        limit: Annotated[
            int, strawberry.argument(description="How many models to save, 1 to 1000.")
        ] = 50,
        activate_first: Annotated[
            bool,
            strawberry.argument(description="Save the best model active when it is new."),
        ] = False,
    ) -> BulkSyncPayload:
        result = await info.context.catalog.bulk_sync(
            info.context.actor,
            provider,
            capability=service_value(capability, ServiceCapability) if capability else None,
            limit=limit,
            activate_first=activate_first,
        )
        return BulkSyncPayload(
            provider=provider,
            created=result.created,
            updated=result.updated,
            model_ids=list(result.model_ids),
        )

    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Delete a provider's saved models: only inactive ones unless `keepActive` is false."
        ),
    )
    async def clear_models(
        self,
        info: Info,
        provider: Annotated[str, strawberry.argument(description=PROVIDER)],
        keep_active: Annotated[
            bool,
            strawberry.argument(description="False deletes the active models too."),
        ] = True,
    ) -> ClearModelsPayload:
        deleted = await info.context.catalog.clear(
            info.context.actor, provider, keep_active=keep_active
        )
        return ClearModelsPayload(provider=provider, deleted=deleted)

    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Enable or disable several saved models at once (tick some, apply). Fails, "
            "changing nothing, when one of them is not saved."
        ),
    )
    async def set_models_active(
        self,
        info: Info,
        provider: Annotated[str, strawberry.argument(description=PROVIDER)],
        model_ids: Annotated[
            list[str], strawberry.argument(description="The saved models' ids at the provider.")
        ],
        active: Annotated[
            bool, strawberry.argument(description="True enables them; false disables them.")
        ],
    ) -> SetModelsActivePayload:
        changed = await info.context.catalog.set_active(
            info.context.actor, provider, model_ids, active=active
        )
        return SetModelsActivePayload(provider=provider, changed=changed, active=active)


def _service(capabilities: list[Capability] | None) -> list[ServiceCapability] | None:
    if capabilities is None:
        return None
    return [service_value(cap, ServiceCapability) for cap in capabilities]
