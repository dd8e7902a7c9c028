"""Drift of saved models: `modelChanges` reports it, `syncSavedModels` applies it (`ai.manage`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from catalog.drift import DEFAULT_RETIRE_WITHIN, MAX_RETIRE_WITHIN_DAYS
from schema.context import Info
from schema.models.drift_types import ModelChangesReport, SyncSavedModelsPayload
from schema.permissions import CanManage

ProviderArg = Annotated[
    str, strawberry.argument(description="The provider's slug, e.g. `openrouter`.")
]
UseCacheArg = Annotated[
    bool, strawberry.argument(description="False fetches the list from the provider first.")
]


@strawberry.type
class DriftQuery:
    @strawberry.field(
        permission_classes=[CanManage],
        description=(
            "Every saved model of a provider compared with what the provider lists now: "
            "changed prices, context window, max output tokens, capabilities, name and "
            "description (stored and live value), models no longer offered (`MISSING`; "
            "`activeMissing` when the app uses them) and announced retirements. Reads the "
            "cached list; when the upstream fails, the last good list is compared and the "
            "report says `stale: true`."
        ),
    )
    async def model_changes(
        self,
        info: Info,
        provider: ProviderArg,
        retire_within_days: Annotated[
            int,
            strawberry.argument(
                description="Warn about models the provider retires within this many days "
                f"(0 to {MAX_RETIRE_WITHIN_DAYS})."
            ),
        ] = DEFAULT_RETIRE_WITHIN.days,
        use_cache: UseCacheArg = True,
    ) -> ModelChangesReport:
        report = await info.context.catalog.drift(
            provider, use_cache=use_cache, retire_within_days=retire_within_days
        )
        return ModelChangesReport.of(report)


@strawberry.type
class DriftMutation:
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
        result = await info.context.catalog.sync_saved(provider, use_cache=use_cache)
        return SyncSavedModelsPayload.of(provider, result)
