"""`auditLog`: reading who changed what. It needs `ai.manage`: the log names the people who
administer the catalog and what they did, which an app's read-only token has no need to see."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from schema.audit.types import AuditEntry, AuditLogPage
from schema.context import Info
from schema.permissions import CanManage
from storage.records.activity import AuditFilter


@strawberry.type
class AuditQuery:
    @strawberry.field(
        permission_classes=[CanManage],
        description=(
            "The audit log, newest first: every change made through the API or the CLI, "
            "written in the change's own transaction. Every filter is optional."
        ),
    )
    async def audit_log(
        self,
        info: Info,
        actor: Annotated[
            str | None, strawberry.argument(description="Only this token name (or `cli:user`).")
        ] = None,
        provider: Annotated[
            str | None, strawberry.argument(description="Only changes to this provider instance.")
        ] = None,
        model_id: Annotated[
            str | None, strawberry.argument(description="Only changes that touched this model.")
        ] = None,
        operation: Annotated[
            str | None, strawberry.argument(description="Only this operation (`saveModel`).")
        ] = None,
        since: Annotated[
            datetime | None, strawberry.argument(description="Only entries at or after this.")
        ] = None,
        until: Annotated[
            datetime | None, strawberry.argument(description="Only entries before this.")
        ] = None,
        first: Annotated[int, strawberry.argument(description="Page size, 1 to 500.")] = 50,
        after: Annotated[
            str | None, strawberry.argument(description="A previous page's `endCursor`.")
        ] = None,
    ) -> AuditLogPage:
        where = AuditFilter(actor, provider, model_id, operation, since, until)
        page = await info.context.catalog.audit.page(where, first=first, after=after)
        return AuditLogPage(
            entries=[AuditEntry.of(record) for record in page.entries], end_cursor=page.end_cursor
        )
