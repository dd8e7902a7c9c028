"""The sync log and the change feed: one row per refresh of a provider's list, one per model it
found added, removed or changed; paged newest first, pruned past the retention."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Max
from tortoise.transactions import in_transaction

from storage.models import CatalogChange, ListSeen, SavedModel, SyncRun
from storage.records.activity import SYNC_RUN_FIELDS, ChangeRecord, SyncRunRecord

_CHANGE_FIELDS = ("id", "run_id", "provider", "model_id", "kind", "name", "fields_changed", "at")


@dataclass(frozen=True, slots=True)
class NewRun:
    """What a refresh found; `changes` as (model id, kind, name, figure diffs)."""

    provider: str
    trigger: str
    started_at: datetime
    duration_ms: int
    outcome: str
    models: int | None
    counts: Mapping[str, int]
    baseline: bool
    error: str | None
    changes: Sequence[tuple[str, str, str, list[dict[str, Any]]]] = ()


async def record_run(run: NewRun) -> SyncRunRecord:
    """The run and its changes, in one transaction (a feed never shows half a run)."""
    async with in_transaction():
        row = await SyncRun.create(
            provider=run.provider,
            trigger=run.trigger,
            started_at=run.started_at,
            duration_ms=run.duration_ms,
            outcome=run.outcome,
            models=run.models,
            baseline=run.baseline,
            error=run.error,
            added=run.counts.get("added", 0),
            removed=run.counts.get("removed", 0),
            changed=run.counts.get("changed", 0),
            cosmetic=run.counts.get("cosmetic", 0),
        )
        await CatalogChange.bulk_create(
            [
                CatalogChange(
                    run_id=row.id,
                    provider=run.provider,
                    model_id=model_id,
                    kind=kind,
                    name=name[:255],
                    fields_changed=fields,
                    at=run.started_at,
                )
                for model_id, kind, name, fields in run.changes
            ],
            batch_size=500,
        )
    return _run(await SyncRun.filter(id=row.id).first().values(*SYNC_RUN_FIELDS))


async def list_runs(
    provider: str | None, *, first: int, before_id: int | None
) -> list[SyncRunRecord]:
    """Runs newest first (`first + 1` rows read, so the caller knows whether more follow)."""
    query = SyncRun.all()
    if provider is not None:
        query = query.filter(provider=provider)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    rows = await query.order_by("-id").limit(first + 1).values(*SYNC_RUN_FIELDS)
    return [_run(row) for row in rows]


async def list_changes(
    provider: str | None,
    *,
    since: datetime | None,
    kinds: Sequence[str],
    first: int,
    before_id: int | None,
    saved_only: bool = False,
) -> list[ChangeRecord]:
    """Change-feed entries newest first, of the given kinds (`first + 1` rows); with
    `saved_only`, of models saved now only (one more query)."""
    query = CatalogChange.filter(kind__in=list(kinds))
    if saved_only:
        query = query.filter(await _saved_now(provider))
    if provider is not None:
        query = query.filter(provider=provider)
    if since is not None:
        query = query.filter(at__gte=since)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    rows = await query.order_by("-id").limit(first + 1).values(*_CHANGE_FIELDS)
    return [_change(row) for row in rows]


async def last_runs() -> dict[str, tuple[datetime, str]]:
    """Each provider's latest run: when it started and its outcome (two queries)."""
    latest = await SyncRun.annotate(last=Max("id")).group_by("provider").values("provider", "last")
    ids = [int(row["last"]) for row in latest]
    rows = await SyncRun.filter(id__in=ids).values("provider", "started_at", "outcome")
    return {str(row["provider"]): (row["started_at"], str(row["outcome"])) for row in rows}


async def failure_streak(provider: str) -> tuple[int, int | None]:
    """How many runs in a row have failed for `provider`, and the first of them (its id)."""
    last_ok = await SyncRun.filter(provider=provider, outcome="ok").order_by("-id").first()
    query = SyncRun.filter(provider=provider, outcome="failed")
    if last_ok is not None:
        query = query.filter(id__gt=last_ok.id)
    ids = [int(str(row_id)) for row_id in await query.order_by("id").values_list("id", flat=True)]
    return len(ids), (ids[0] if ids else None)


async def prune(before: datetime) -> int:
    """Delete runs (and their changes) that started before `before`; how many runs."""
    async with in_transaction():
        await CatalogChange.filter(at__lt=before).delete()
        return await SyncRun.filter(started_at__lt=before).delete()


async def last_seen(provider: str) -> list[dict[str, Any]] | None:
    """The last list recorded for `provider` (`ListSeen`), or None before its first fetch."""
    row = await ListSeen.filter(provider=provider).first()
    return None if row is None else list(row.models)


async def record_seen(provider: str, models: list[dict[str, Any]], at: datetime) -> None:
    await ListSeen.update_or_create(
        defaults={"models": models, "fetched_at": at}, provider=provider
    )


def _run(row: Mapping[str, Any]) -> SyncRunRecord:
    values = {name: row[name] for name in SYNC_RUN_FIELDS}
    values["baseline"] = bool(values["baseline"])
    return SyncRunRecord(**values)


async def _saved_now(provider: str | None) -> Q:
    """A filter matching the feed entries of models saved now."""
    rows = SavedModel.all()
    if provider is not None:
        rows = rows.filter(provider__slug=provider)
    pairs = await rows.values_list("provider__slug", "model_id")
    by_provider: dict[str, list[str]] = {}
    for slug, model_id in pairs:
        by_provider.setdefault(str(slug), []).append(str(model_id))
    match = Q(id__lt=0)  # nothing, when nothing is saved
    for slug, model_ids in by_provider.items():
        match |= Q(provider=slug, model_id__in=model_ids)
    return match


def _change(row: Mapping[str, Any]) -> ChangeRecord:
    return ChangeRecord(
        id=int(row["id"]),
        run_id=int(row["run_id"]),
        provider=str(row["provider"]),
        model_id=str(row["model_id"]),
        kind=str(row["kind"]),
        name=str(row["name"]),
        fields=list(row["fields_changed"] or ()),
        at=row["at"],
    )
