"""`syncSavedModels`: applying the provider's current figures to the changed saved models
(`ai.manage`)."""

from __future__ import annotations

import strawberry

from schema.arguments import ProviderArg, UseCacheArg
from schema.changes.types import SyncSavedModelsPayload
from schema.context import Info
from schema.permissions import CanManage


@strawberry.type
class ChangesMutation:
    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Apply the provider's current figures to its saved models that changed (as "
            "`modelChanges` reports them), in one transaction. Every model keeps its active "
            "flag and any capabilities an admin set; models the provider no longer lists are "
            "left untouched and counted. Refused with UPSTREAM_ERROR, writing nothing, when "
            "only a stale copy of the list is available."
        ),
    )
    async def sync_saved_models(
        self,
        info: Info,
        provider: ProviderArg,
        use_cache: UseCacheArg = True,
    ) -> SyncSavedModelsPayload:
        result = await info.context.catalog.sync_saved(
            info.context.actor, provider, use_cache=use_cache
        )
        return SyncSavedModelsPayload.of(provider, result)
