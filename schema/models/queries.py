"""Read operations: the live list and what is saved."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import strawberry

from errors import ServiceError
from schema.auth import MANAGE
from schema.context import Context, Info
from schema.models.loaders import LiveList
from schema.models.types import AvailableModel, AvailableModelList, Capability, SavedModel
from schema.permissions import CanManage, CanRead
from schema.result_cache import CACHEABLE, CacheableField
from storage import queries


async def _live(info: Info, provider: str, use_cache: bool) -> LiveList:
    return await info.context.loaders.live_list.load((provider, use_cache))


@strawberry.type
class ModelsQuery:
    @strawberry.field(
        permission_classes=[CanManage],
        description=(
            "What a provider offers right now, from its model-list API: cached per provider, "
            "never stored. Each model says whether it is saved and active here. When the "
            "upstream fails, the last good list is served with `stale: true`."
        ),
    )
    async def available_models(
        self,
        info: Info,
        provider: str,
        capability: Capability | None = None,
        use_cache: bool = True,
    ) -> AvailableModelList:
        live = await _live(info, provider, use_cache)
        snapshot, saved = live.snapshot, live.state.saved
        models = [
            AvailableModel.of(record, saved.get(record.id))
            for record in snapshot.models
            if capability is None or capability in record.capabilities
        ]
        return AvailableModelList(
            provider=provider,
            count=len(models),
            fetched_at=snapshot.fetched_at_datetime,
            stale=snapshot.stale,
            error=snapshot.error,
            models=models,
        )

    @strawberry.field(
        permission_classes=[CanRead],
        description="Models saved in the database, newest first; filters are optional.",
    )
    async def saved_models(
        self,
        provider: str | None = None,
        capability: Capability | None = None,
        active: bool | None = None,
    ) -> list[SavedModel]:
        rows = await queries.list_saved(provider=provider, active=active)
        return [
            SavedModel.from_row(row)
            for row in rows
            if capability is None or capability.value in row.capabilities
        ]


async def _available_fingerprint(context: Context, args: dict[str, Any]) -> Hashable | None:
    if not args.get("useCache", True):
        return None
    try:
        live = await context.loaders.live_list.load((args["provider"], True))
    except ServiceError:
        return None  # executed normally, from the same loader: the error is reported once
    return live.fingerprint()


CACHEABLE["availableModels"] = CacheableField(MANAGE, _available_fingerprint)
