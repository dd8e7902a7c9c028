"""`refreshModels`: fetching a provider's list now (`ai.manage`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.arguments import PROVIDER
from schema.context import Info
from schema.live.types import RefreshModelsPayload
from schema.permissions import CanManage


@strawberry.type
class LiveMutation:
    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Fetch a provider's list now, whatever the cache holds, and share it with every "
            "worker. When the upstream fails, the last good list stays, `stale: true`."
        ),
    )
    async def refresh_models(
        self, info: Info, provider: Annotated[str, strawberry.argument(description=PROVIDER)]
    ) -> RefreshModelsPayload:
        _, snapshot = await info.context.catalog.refresh(info.context.actor, provider)
        return RefreshModelsPayload(
            provider=provider,
            count=len(snapshot.models),
            fetched_at=snapshot.fetched_at_datetime,
            stale=snapshot.stale,
            error=snapshot.error,
        )
