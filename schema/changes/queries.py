"""`modelChanges`: how every saved model of a provider differs from its live list (`ai.manage`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from catalog.drift import DEFAULT_RETIRE_WITHIN, MAX_RETIRE_WITHIN_DAYS
from schema.arguments import ProviderArg, UseCacheArg
from schema.changes.types import ModelChangesReport
from schema.context import Info
from schema.permissions import CanManage


@strawberry.type
class ChangesQuery:
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
