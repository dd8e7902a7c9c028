"""Reading the sync log (`syncRuns`), the change feed (`catalogChanges`), webhook endpoints and
the delivery log. Reading needs `ai.read`; endpoints and deliveries `ai.manage` (a URL may be
internal)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

import strawberry

from errors import InvalidInputError
from schema.context import Info
from schema.permissions import CanManage, CanRead
from schema.watching.types import (
    CatalogChange,
    CatalogChangePage,
    SyncRun,
    SyncRunPage,
    WebhookDelivery,
    WebhookDeliveryPage,
    WebhookEndpoint,
)

FirstArg = Annotated[int, strawberry.argument(description="Page size, 1 to 200.")]
AfterArg = Annotated[
    str | None, strawberry.argument(description="A page's `endCursor`: what comes after it.")
]
ProviderFilter = Annotated[
    str | None, strawberry.argument(description="Only this provider instance (its slug).")
]


def cursor(after: str | None) -> int | None:
    """A cursor is an entry's id; anything else is refused naming the argument."""
    if after is None:
        return None
    if not after.isdigit() or len(after) > 18:
        raise InvalidInputError("after: not a cursor this list handed out (pass its endCursor)")
    return int(after)


def _end(ids: Sequence[str], has_more: bool) -> str | None:
    """The page's last id (Relay's `endCursor`: null only for an empty page)."""
    return str(ids[-1]) if ids else None


@strawberry.type
class WatchingQuery:
    @strawberry.field(
        permission_classes=[CanRead],
        description=(
            "The sync log: every refresh of a provider's list (scheduled, manual, CLI, or a "
            "request finding it expired), newest first, with its counts and outcome."
        ),
    )
    async def sync_runs(
        self,
        info: Info,
        provider: ProviderFilter = None,
        first: FirstArg = 50,
        after: AfterArg = None,
    ) -> SyncRunPage:
        page = await info.context.catalog.watch.sync_runs(
            provider, first=first, after=cursor(after)
        )
        runs = [SyncRun.of(run) for run in page.items]
        return SyncRunPage(
            runs=runs, has_more=page.has_more, end_cursor=_end([r.id for r in runs], page.has_more)
        )

    @strawberry.field(
        permission_classes=[CanRead],
        description=(
            "The change feed: models that appeared, vanished or changed (a material figure) "
            "upstream, newest first, saved or not (saved ones flagged)."
        ),
    )
    async def catalog_changes(
        self,
        info: Info,
        provider: ProviderFilter = None,
        since: Annotated[
            datetime | None,
            strawberry.argument(description="Only changes found at or after this time."),
        ] = None,
        include_cosmetic: Annotated[
            bool,
            strawberry.argument(description="Also models whose name or description alone changed."),
        ] = False,
        saved_only: Annotated[
            bool, strawberry.argument(description="Only models saved now (active or not).")
        ] = False,
        first: FirstArg = 50,
        after: AfterArg = None,
    ) -> CatalogChangePage:
        page = await info.context.catalog.watch.changes(
            provider,
            since=since,
            first=first,
            after=cursor(after),
            cosmetic=include_cosmetic,
            saved_only=saved_only,
        )
        changes = [CatalogChange.of(entry) for entry in page.items]
        ids = [change.id for change in changes]
        return CatalogChangePage(
            changes=changes, has_more=page.has_more, end_cursor=_end(ids, page.has_more)
        )

    @strawberry.field(
        permission_classes=[CanManage], description="The registered webhook endpoints."
    )
    async def webhook_endpoints(self, info: Info) -> list[WebhookEndpoint]:
        return [WebhookEndpoint.of(e) for e in await info.context.catalog.watch.webhook_endpoints()]

    @strawberry.field(
        permission_classes=[CanManage],
        description="The delivery log, newest first: status, attempts, the last answer.",
    )
    async def webhook_deliveries(
        self,
        info: Info,
        endpoint_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only this endpoint's deliveries."),
        ] = None,
        first: FirstArg = 50,
        after: AfterArg = None,
    ) -> WebhookDeliveryPage:
        endpoint = cursor(endpoint_id) if endpoint_id is not None else None
        page = await info.context.catalog.watch.deliveries(
            endpoint, first=first, after=cursor(after)
        )
        deliveries = [WebhookDelivery.of(d) for d in page.items]
        ids = [d.id for d in deliveries]
        return WebhookDeliveryPage(
            deliveries=deliveries, has_more=page.has_more, end_cursor=_end(ids, page.has_more)
        )
