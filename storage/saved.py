"""Writing and listing saved models. Writes are set-based: `bulk_upsert` is one SELECT and one
multi-row INSERT .. ON CONFLICT (`storage.rows`) for up to ~1,500 models; what each write
stores of a model is `row_columns`, read off the figure declaration (`storage.figures`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from storage.figures import CAPABILITIES, FIGURE, FIGURES, SHOWN, SYNCED
from storage.models import Provider, SavedModel
from storage.records import ModelValues, StoredModel, stored_columns
from storage.rows import insert_rows

UPDATED_BY_SYNC = (*(figure.column for figure in SYNCED), "unlisted", "updated_at")
"""The columns a bulk or drift sync rewrites on a saved model: never its active flag, whether
an admin set its capabilities, nor what an admin gave it (`CURATED`). A model a list has is
listed (`unlisted` false)."""
CHANGED_BY_SYNC = tuple(column for column in UPDATED_BY_SYNC if column != "updated_at")
"""What a bulk sync compares: a saved model holding these values already is not rewritten."""

_CAPABILITIES_COLUMN = FIGURE[CAPABILITIES].column
_CAPABILITIES_FIELD = SavedModel._meta.fields_map[_CAPABILITIES_COLUMN]
_INSERTED = tuple(
    dict.fromkeys(
        ("provider_id", "is_active", "created_at", "model_id", "capabilities_overridden",
         *(figure.column for figure in FIGURES), *UPDATED_BY_SYNC)
    )
)  # fmt: skip
"""The columns `bulk_upsert` writes: a new row's, of which a saved one takes `UPDATED_BY_SYNC`
(a column no value is given for takes its field's default, as `bulk_create` gave it)."""


def _default(column: str) -> Any:
    """What a new row holds in a column no value was given for (its field's default)."""
    default = SavedModel._meta.fields_map[column].default
    return default() if callable(default) else default


def row_columns(values: ModelValues, overridden: bool) -> dict[str, Any]:
    """The columns a save, a bulk sync and a drift sync all write for a model."""
    columns = {
        figure.column: figure.column_value(values.figures[figure.name])
        for figure in FIGURES
        if figure.name in values.figures
    }
    return {
        "model_id": values.model_id,
        **columns,
        "capabilities_overridden": overridden,
        "updated_at": datetime.now(UTC),
    }


async def ensure_provider(slug: str, kind: str, display_name: str) -> int:
    """The id of the provider row, created on first use (race-safe on the unique slug)."""
    row, _ = await Provider.get_or_create(
        slug=slug, defaults={"kind": kind, "display_name": display_name}
    )
    return int(row.id)


async def save_model(
    provider_id: int,
    values: ModelValues,
    *,
    is_active: bool | None,
    overridden: bool,
    unlisted: bool = False,
) -> tuple[StoredModel, bool]:
    """Insert or update one model; `is_active=None` keeps an existing model's flag.

    The unique (provider, model_id) constraint arbitrates concurrent saves: the loser of an
    insert race updates the winner's row, so two simultaneous saves end with one row.
    `unlisted`: the provider's list does not have it; its figures are the admin's.
    """
    columns = {**row_columns(values, overridden), "unlisted": unlisted}
    created = False
    if not await SavedModel.exists(provider_id=provider_id, model_id=values.model_id):
        try:
            async with in_transaction():  # a savepoint: inside the audit's transaction, a
                # lost insert race must not abort it (PostgreSQL)
                await SavedModel.create(
                    provider_id=provider_id, **columns, is_active=bool(is_active)
                )
            created = True
        except IntegrityError:
            pass
    if not created:
        changes = dict(columns) if is_active is None else {**columns, "is_active": is_active}
        await SavedModel.filter(provider_id=provider_id, model_id=values.model_id).update(**changes)
    stored = await get_saved(provider_id, values.model_id)
    assert stored is not None  # written just above
    return stored, created


async def bulk_upsert(
    provider_id: int, models: Sequence[ModelValues], *, activate_first: bool
) -> tuple[int, int]:
    """Store many models in one transaction: (created, updated).

    Existing models keep their active flag and any capabilities an admin set by hand. One
    whose stored figures are already the given ones is not written at all (`CHANGED_BY_SYNC`:
    its `updated_at` stays when its figures last changed), yet counts as updated.
    """
    async with in_transaction() as db:
        existing = {
            row["model_id"]: row
            for row in await db.execute_query_dict(_locked_saved_sql(db), [provider_id])
            if row["model_id"] is not None
        }
        if models:
            await insert_rows(
                db, SavedModel, _INSERTED, _sync_rows(provider_id, models, existing),
                conflict=("provider_id", "model_id"), update=UPDATED_BY_SYNC,
                changed=CHANGED_BY_SYNC,
            )  # fmt: skip
        if activate_first and models:
            await SavedModel.filter(provider_id=provider_id, model_id=models[0].model_id).update(
                is_active=True
            )
    created = sum(1 for values in models if values.model_id not in existing)
    return created, len(models) - created


_UNSET = object()


def _sync_rows(
    provider_id: int, models: Sequence[ModelValues], existing: dict[str, dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """`bulk_upsert`'s rows (in the order of `_INSERTED`), built a column at a time: what
    `row_columns` gives each model, a new row's flag and dates, the capabilities an admin set
    kept, the field's default in a column no value is given for."""
    now, count = datetime.now(UTC), len(models)
    old = [existing.get(values.model_id) for values in models]
    overridden = [bool(row and row["capabilities_overridden"]) for row in old]
    columns: dict[str, list[Any]] = {
        "provider_id": [provider_id] * count,
        "is_active": [False] * count,
        "created_at": [now] * count,
        "updated_at": [now] * count,
        "model_id": [values.model_id for values in models],
        "capabilities_overridden": overridden,
    }
    for figure in FIGURES:
        cells = [values.figures.get(figure.name, _UNSET) for values in models]
        if all(cell is _UNSET for cell in cells):
            continue
        if any(cell is _UNSET for cell in cells):
            default = _default(figure.column)
            cells = [default if cell is _UNSET else figure.column_value(cell) for cell in cells]
        else:
            cells = figure.column_values(cells)
        columns[figure.column] = cells
    capabilities = columns.setdefault(
        _CAPABILITIES_COLUMN, [_default(_CAPABILITIES_COLUMN)] * count
    )
    for index, row in enumerate(old):
        if overridden[index] and row is not None:  # the raw column: decoded as the ORM would
            capabilities[index] = _CAPABILITIES_FIELD.to_python_value(row[_CAPABILITIES_COLUMN])
    filled = [columns[c] if c in columns else [_default(c)] * count for c in _INSERTED]
    return list(zip(*filled, strict=True))


_LOCKED_SAVED: dict[tuple[type[BaseDBAsyncClient], str], str] = {}


def _locked_saved_sql(db: BaseDBAsyncClient) -> str:
    """The provider's row locked and what it has saved, in one statement (built once per kind
    of client): `bulk_upsert`'s lock and read. PostgreSQL locks the provider's row only (`FOR
    UPDATE OF`, allowed beside the outer join); SQLite's write transaction holds the lock."""
    dialect = str(db.capabilities.dialect)
    key = (type(db), dialect)
    sql = _LOCKED_SAVED.get(key)
    if sql is None:
        columns = ("model_id", _CAPABILITIES_COLUMN, "capabilities_overridden")
        query = (
            Provider.filter(id=0)
            .using_db(db)
            .values(**{column: f"models__{column}" for column in columns})
        )
        parameter = "$1" if dialect == "postgres" else "?"
        sql = str(query.sql()).replace('"id"=0', f'"id"={parameter}')  # inlined or not
        if not sql.endswith(f'"id"={parameter}'):
            raise RuntimeError(f"bulk_upsert: unexpected SQL for the locked read: {sql}")
        if dialect == "postgres":
            sql += f' FOR UPDATE OF "{Provider._meta.db_table}"'
        _LOCKED_SAVED[key] = sql
    return sql


async def get_saved(provider_id: int, model_id: str) -> StoredModel | None:
    """One saved model with the figures GraphQL shows, or None."""
    rows = await SavedModel.filter(provider_id=provider_id, model_id=model_id).values(
        *stored_columns(SHOWN), "provider__slug"
    )
    return StoredModel.from_values(rows[0], SHOWN, rows[0]["provider__slug"]) if rows else None


async def clear_models(provider_id: int, *, keep_active: bool) -> list[str]:
    """Delete a provider's inactive models (or all of them); the ids deleted."""
    async with in_transaction():
        await _lock_provider(provider_id)
        query = SavedModel.filter(provider_id=provider_id)
        if keep_active:
            query = query.filter(is_active=False)
        doomed = [str(model_id) for model_id in await query.values_list("model_id", flat=True)]
        if doomed:
            await SavedModel.filter(provider_id=provider_id, model_id__in=doomed).delete()
        return doomed


async def _lock_provider(provider_id: int) -> None:
    """Serialise the set-based writes of one provider (`bulk_upsert`, `clear_models`) on its
    row: without it, under PostgreSQL's READ COMMITTED a clear running beside a sync deletes
    the rows that existed before and keeps the ones the sync added, a mix of both orders.
    SQLite serialises write transactions by itself (Tortoise omits FOR UPDATE there)."""
    await Provider.filter(id=provider_id).select_for_update().only("id").first()


async def set_active(provider_id: int, model_ids: Sequence[str], *, active: bool) -> list[str]:
    """Switch many saved models on or off in one UPDATE; the ids that were not saved."""
    async with in_transaction():
        rows = await SavedModel.filter(provider_id=provider_id, model_id__in=model_ids).values(
            "model_id"
        )
        known = {str(row["model_id"]) for row in rows}
        if known:
            await SavedModel.filter(provider_id=provider_id, model_id__in=known).update(
                is_active=active, updated_at=datetime.now(UTC)
            )
    return [model_id for model_id in model_ids if model_id not in known]


async def list_saved(
    *, provider: str | None = None, active: bool | None = None, provider_active: bool = False
) -> list[StoredModel]:
    """Saved models with the figures GraphQL shows, in one query, newest first.
    `provider_active`: only those of providers that are not deactivated."""
    query = SavedModel.all().order_by("-updated_at", "id")
    if provider is not None:
        query = query.filter(provider__slug=provider)
    if active is not None:
        query = query.filter(is_active=active)
    if provider_active:
        query = query.filter(provider__is_active=True)
    rows = await query.values(*stored_columns(SHOWN), "provider__slug")
    return [StoredModel.from_values(row, SHOWN, row["provider__slug"]) for row in rows]
