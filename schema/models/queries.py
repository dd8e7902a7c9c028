"""Read operations: the live list and what is saved."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Annotated, Any

import strawberry

from catalog import filters
from catalog.access import MANAGE
from errors import ServiceError
from schema.context import Context, Info
from schema.models.loaders import LiveList
from schema.models.types import (
    PROVIDER,
    AvailableModel,
    AvailableModelList,
    Capability,
    ModelFilter,
    ModelSort,
    PageInfo,
    SavedModel,
)
from schema.permissions import CanManage, CanRead
from schema.result_cache import CACHEABLE, CacheableField


async def _live(info: Info, provider: str, use_cache: bool) -> LiveList:
    return await info.context.loaders.live_list.load((provider, use_cache))


@strawberry.type
class ModelsQuery:
    @strawberry.field(
        permission_classes=[CanManage],
        description=(
            "What a provider offers right now, from its model-list API: cached per provider, "
            "never stored. Each model says whether it is saved and active here. Search, filter, "
            "order and page it with the arguments (all applied to the cached list). When the "
            "upstream fails, the last good list is served with `stale: true`."
        ),
    )
    async def available_models(
        self,
        info: Info,
        provider: Annotated[str, strawberry.argument(description=PROVIDER)],
        capability: Annotated[
            Capability | None,
            strawberry.argument(
                description="Only models with this capability.",
                deprecation_reason="Use `filter: {capabilities: [...]}`.",
            ),
        ] = None,
        use_cache: Annotated[
            bool,
            strawberry.argument(
                description="False fetches the list from the provider now (and caches it)."
            ),
        ] = True,
        search: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "Words that must each occur in the model's id or name (case-insensitive)."
                )
            ),
        ] = None,
        filter_: Annotated[
            ModelFilter | None,
            strawberry.argument(name="filter", description="Conditions every model must meet."),
        ] = None,
        sort: Annotated[
            ModelSort | None,
            strawberry.argument(description="The order; the provider's own when omitted."),
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(
                description=(
                    "Page size, at most the server's maximum page size (500 by default). "
                    "Omitted: the whole filtered list."
                )
            ),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description="The previous page's `pageInfo.endCursor`: the page after it."
            ),
        ] = None,
    ) -> AvailableModelList:
        live = await _live(info, provider, use_cache)
        snapshot, saved_states = live.snapshot, live.state.saved
        query = filters.ModelQuery(
            search=search,
            filter=(filter_ or ModelFilter()).to_catalog(capability),
            sort=sort.field if sort else filters.SortField.UPSTREAM,
            direction=sort.direction if sort else filters.SortDirection.ASC,
            first=first,
            after=after,
        )
        saved = {model_id: state.is_active for model_id, state in saved_states.items()}
        page = filters.apply(
            snapshot.models, query, saved, max_page_size=info.context.settings.max_page_size
        )
        return AvailableModelList(
            provider=provider,
            total_count=page.total,
            count=len(page.models),
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=page.start_cursor,
                end_cursor=page.end_cursor,
            ),
            fetched_at=snapshot.fetched_at_datetime,
            stale=snapshot.stale,
            error=snapshot.error,
            models=[
                AvailableModel.of(record, saved_states.get(record.id)) for record in page.models
            ],
        )

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
            provider=provider, capability=capability, active=active
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
        model = await info.context.catalog.active_model(capability, provider=provider)
        return SavedModel.from_stored(model) if model is not None else None


async def _available_fingerprint(context: Context, args: dict[str, Any]) -> Hashable | None:
    if not args.get("useCache", True):
        return None
    try:
        live = await context.loaders.live_list.load((args["provider"], True))
    except ServiceError:
        return None  # executed normally, from the same loader: the error is reported once
    return live.fingerprint()


CACHEABLE["availableModels"] = CacheableField(MANAGE, _available_fingerprint)
