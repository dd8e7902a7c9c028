"""GraphQL types of the audit log: an entry, a changed field, a page."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from storage.records.activity import AuditChange, AuditRecord


@strawberry.type(description="One field an operation changed, before and after, as text.")
class AuditFieldChange:
    model_id: str | None = strawberry.field(
        description="The model it belongs to; null for a field of the target itself."
    )
    field: str = strawberry.field(description="The field's name, as stored (`is_active`, `ttl`).")
    before: str | None = strawberry.field(
        description="Its value before; null when it had none. A secret: `set` or null."
    )
    after: str | None = strawberry.field(
        description="Its value after; a secret only as `set`, `changed` or `removed`."
    )

    @classmethod
    def of(cls, change: AuditChange) -> AuditFieldChange:
        return cls(
            model_id=change.model, field=change.field, before=change.before, after=change.after
        )


@strawberry.type(description="One change made through the API or the CLI, and who made it.")
class AuditEntry:
    id: strawberry.ID = strawberry.field(description="The entry's id (newer entries, higher ids).")
    at: datetime = strawberry.field(description="When the change was committed (UTC).")
    actor: str = strawberry.field(
        description="Who: the token's name, or `cli:<user>` for the command line. Never a token."
    )
    via: str = strawberry.field(description="`graphql` or `cli`.")
    request_id: str | None = strawberry.field(
        description="The request's id (its `X-Request-ID` header), to find its log lines."
    )
    operation: str = strawberry.field(
        description="The operation: a mutation's name (`bulkSync`) or a CLI write (`rotateKeys`)."
    )
    provider: str | None = strawberry.field(description="The provider instance it targeted.")
    model_ids: list[str] = strawberry.field(
        description="The models it touched (a bulk sync: all of them, in one entry)."
    )
    changes: list[AuditFieldChange] = strawberry.field(
        description="The fields that changed, before and after (only those that differ)."
    )
    details: JSON = strawberry.field(
        description="The operation's own figures: counts (`created`, `deleted`) and arguments."
    )

    @classmethod
    def of(cls, record: AuditRecord) -> AuditEntry:
        return cls(
            id=strawberry.ID(str(record.id)),
            at=record.at,
            actor=record.actor,
            via=record.via,
            request_id=record.request_id,
            operation=record.operation,
            provider=record.provider,
            model_ids=list(record.model_ids),
            changes=[AuditFieldChange.of(change) for change in record.changes],
            details=cast(JSON, dict(record.details)),
        )


@strawberry.type(description="A page of the audit log, newest first.")
class AuditLogPage:
    entries: list[AuditEntry] = strawberry.field(description="The entries of this page.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next (older) page; null on the last page."
    )
