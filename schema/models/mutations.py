"""Write operations: save one model, sync the best N, clear the rest, refresh a list.
All need `ai.manage`."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.models.types import (
    BulkSyncPayload,
    Capability,
    ClearModelsPayload,
    RefreshModelsPayload,
    SavedModel,
    SaveModelPayload,
)
from schema.permissions import CanManage


@strawberry.type
class ModelsMutation:
    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Save one model, read fresh from the provider (no cache). Capabilities are "
            "detected unless given (given ones survive later syncs). `isActive` null keeps an "
            "existing model's flag and saves a new one inactive."
        ),
    )
    async def save_model(
        self,
        info: Info,
        provider: str,
        model_id: str,
        capabilities: list[Capability] | None = None,
        is_active: bool | None = None,
    ) -> SaveModelPayload:
        row, created = await info.context.catalog.save_model(
            provider, model_id, capabilities=capabilities, is_active=is_active
        )
        await row.fetch_related("provider")
        return SaveModelPayload(model=SavedModel.from_row(row), created=created)

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
        provider: str,
        capability: Capability | None = None,
        limit: int = 50,
        activate_first: bool = False,
    ) -> BulkSyncPayload:
        result = await info.context.catalog.bulk_sync(
            provider, capability=capability, limit=limit, activate_first=activate_first
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
        self, info: Info, provider: str, keep_active: bool = True
    ) -> ClearModelsPayload:
        deleted = await info.context.catalog.clear(provider, keep_active=keep_active)
        return ClearModelsPayload(provider=provider, deleted=deleted)

    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "Fetch a provider's list now, whatever the cache holds, and share it with every "
            "worker. When the upstream fails, the last good list stays, `stale: true`."
        ),
    )
    async def refresh_models(self, info: Info, provider: str) -> RefreshModelsPayload:
        _, snapshot = await info.context.catalog.refresh(provider)
        return RefreshModelsPayload(
            provider=provider,
            count=len(snapshot.models),
            fetched_at=snapshot.fetched_at_datetime,
            stale=snapshot.stale,
            error=snapshot.error,
        )
