"""Reading what is saved (`savedModels`) and where a generation request goes (`activeModel`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from providers import Capability as ServiceCapability
from schema.context import Info
from schema.enums import Capability, service_value
from schema.permissions import CanRead
from schema.saved.types import SavedModel


@strawberry.type
class SavedQuery:
    @strawberry.field(
        permission_classes=[CanRead],
        description="Models saved in the database, newest first; filters are optional.",
    )
    async def saved_models(
        self,
        info: Info,
        provider: Annotated[
            str | None, strawberry.argument(description="Only this provider's models.")
        ] = None,
        capability: Annotated[
            Capability | None, strawberry.argument(description="Only models with this capability.")
        ] = None,
        active: Annotated[
            bool | None,
            strawberry.argument(description="True: only active models; false: only inactive."),
        ] = None,
    ) -> list[SavedModel]:
        models = await info.context.catalog.saved_models(
            provider=provider,
            capability=service_value(capability, ServiceCapability) if capability else None,
            active=active,
        )
        return [SavedModel.from_stored(model) for model in models]

    @strawberry.field(
        permission_classes=[CanRead],
        description=(
            "The model a generation request for `capability` should use: the active saved "
            "model with that capability (of an active provider) most recently saved or "
            "switched on. Null when none is active: the app has nothing to route to."
        ),
    )
    async def active_model(
        self,
        info: Info,
        capability: Annotated[
            Capability, strawberry.argument(description="What the request needs to do.")
        ],
        provider: Annotated[
            str | None, strawberry.argument(description="Only this provider's models.")
        ] = None,
    ) -> SavedModel | None:
        needed = service_value(capability, ServiceCapability)
        model = await info.context.catalog.active_model(needed, provider=provider)
        return SavedModel.from_stored(model) if model is not None else None
