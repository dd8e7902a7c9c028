"""`availableModels`: the live list, searched, filtered, ordered and paged; and the table of
root fields whose results may be served from the result cache (`CACHEABLE`)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Annotated, Any

import strawberry

from catalog import filters, ordering
from catalog.access import MANAGE
from errors import ServiceError
from schema.arguments import PROVIDER
from schema.context import Context, Info
from schema.enums import Capability
from schema.live.inputs import ModelFilter, ModelSort, TokenUsage
from schema.live.loaders import LiveList
from schema.live.types import AvailableModelList, PageInfo
from schema.permissions import CanManage
from schema.result_cache.extension import CacheableField


async def _live(info: Info, provider: str, use_cache: bool) -> LiveList:
    return await info.context.loaders.live_list.load((provider, use_cache))


_UPSTREAM_ORDER = (ordering.SortField.UPSTREAM, ordering.SortDirection.ASC)


@strawberry.type
class LiveQuery:
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
                description=(
                    "Only models with this capability: the one-capability shorthand (as the "
                    "service was specified, `availableModels(provider, capability)`); "
                    "`filter: {capabilities: [...]}` is the general form. Both together: a "
                    "model needs all of them."
                ),
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
        cost_for: Annotated[
            TokenUsage | None,
            strawberry.argument(
                description=(
                    "A request's size: what `sort: {field: ESTIMATED_COST}` and "
                    "`filter: {maxEstimatedCost}` price (tiers honoured)."
                )
            ),
        ] = None,
    ) -> AvailableModelList:
        live = await _live(info, provider, use_cache)
        snapshot, saved_states = live.snapshot, live.state.saved
        sort_by, direction = sort.to_catalog() if sort else _UPSTREAM_ORDER
        query = filters.ModelQuery(
            search=search,
            filter=(filter_ or ModelFilter()).to_catalog(capability),
            sort=sort_by,
            direction=direction,
            first=first,
            after=after,
            usage=cost_for.to_catalog() if cost_for else None,
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
            models=info.context.views.of(snapshot, page.models, saved_states),
        )


async def _available_fingerprint(context: Context, args: dict[str, Any]) -> Hashable | None:
    if not args.get("useCache", True):
        return None
    try:
        live = await context.loaders.live_list.load((args["provider"], True))
    except ServiceError:
        return None  # executed normally, from the same loader: the error is reported once
    return live.fingerprint()


CACHEABLE = {"availableModels": CacheableField(MANAGE, _available_fingerprint)}
"""The root fields of this domain whose results the result cache may serve, by GraphQL name."""
