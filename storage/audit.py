"""The audit log in the database: an entry is inserted in the transaction of the change it
records, so a change that rolls back leaves no entry and one that commits always has one.

`recorded` is the whole mechanism: a write operation runs inside it and fills in the draft;
the entry (and its models, one statement) is inserted last, just before the commit. Reading
is newest first, by id, with an optional id to continue after (the cursor).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from storage.models import AuditEntry, AuditModel
from storage.records.activity import AuditChange, AuditDraft, AuditFilter, AuditRecord
from storage.rows import insert_rows

_FIELDS = (
    "id", "at", "actor", "via", "request_id", "operation", "provider", "changes", "details"
)  # fmt: skip


@asynccontextmanager
async def recorded(draft: AuditDraft, at: datetime) -> AsyncIterator[AuditDraft]:
    """One transaction: the block's writes, then the entry describing them."""
    async with in_transaction():
        yield draft
        await _insert(draft, at)


async def _insert(draft: AuditDraft, at: datetime) -> int:
    entry = await AuditEntry.create(
        at=at,
        actor=draft.actor,
        via=draft.via,
        request_id=draft.request_id,
        operation=draft.operation,
        provider=draft.provider,
        changes=[_change_json(change) for change in draft.changes],
        details=draft.details,
    )
    models = list(dict.fromkeys(draft.model_ids))  # each once, in the operation's order
    if models:
        rows = [(entry.id, model_id) for model_id in models]
        await insert_rows(AuditModel._meta.db, AuditModel, ("entry_id", "model_id"), rows)
    return int(entry.id)


def _change_json(change: AuditChange) -> dict[str, Any]:
    return {
        "model": change.model,
        "field": change.field,
        "before": change.before,
        "after": change.after,
    }


async def entries(where: AuditFilter, *, before_id: int | None, limit: int) -> list[AuditRecord]:
    """Up to `limit` entries matching `where`, newest first, older than `before_id` if given
    (two queries: the entries, then their models)."""
    query = AuditEntry.all().order_by("-id")
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    if where.actor is not None:
        query = query.filter(actor=where.actor)
    if where.provider is not None:
        query = query.filter(provider=where.provider)
    if where.operation is not None:
        query = query.filter(operation=where.operation)
    if where.since is not None:
        query = query.filter(at__gte=where.since)
    if where.until is not None:
        query = query.filter(at__lt=where.until)
    if where.model is not None:
        touched = AuditModel.filter(model_id=where.model).values("entry_id")
        query = query.filter(id__in=Subquery(touched))
    rows = await query.limit(limit).values(*_FIELDS)
    ids = [int(row["id"]) for row in rows]
    models: dict[int, list[str]] = {entry_id: [] for entry_id in ids}
    if ids:
        pairs = (
            await AuditModel.filter(entry_id__in=ids)
            .order_by("id")
            .values_list("entry_id", "model_id")
        )
        for entry_id, model_id in pairs:
            models[int(entry_id)].append(str(model_id))
    return [_record(row, models[int(row["id"])]) for row in rows]


def _record(row: dict[str, Any], models: list[str]) -> AuditRecord:
    return AuditRecord(
        id=int(row["id"]),
        at=row["at"],
        actor=row["actor"],
        via=row["via"],
        request_id=row["request_id"],
        operation=row["operation"],
        provider=row["provider"],
        model_ids=tuple(models),
        changes=tuple(
            AuditChange(item["field"], item["before"], item["after"], item["model"])
            for item in row["changes"] or ()
        ),
        details=dict(row["details"] or {}),
    )


async def prune(older_than: datetime) -> int:
    """Delete the entries written before `older_than` (their models go with them)."""
    return int(await AuditEntry.filter(at__lt=older_than).delete())
