"""Rewriting saved models' figures in place: what `syncSavedModels` does with a drift report.

`saved_for_update` opens one transaction, re-reads the rows (locked on PostgreSQL), and lets the
caller `write` new figures for any number of them with one INSERT .. ON CONFLICT, the same
set-based write as `storage.saved.bulk_upsert`. A write never touches a model's active flag,
whether its capabilities were set by an admin, or (when they were) the capabilities themselves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from storage.figures import CAPABILITIES, COMPARED, FIGURE
from storage.models import SavedModel
from storage.records import ModelValues, StoredModel, stored_columns
from storage.saved import UPDATED_BY_SYNC, row_columns


@dataclass(slots=True)
class SavedBatch:
    """A provider's saved models (with the figures a drift report compares), read inside an
    open transaction, ready to be rewritten."""

    provider_id: int
    models: tuple[StoredModel, ...]
    written: int = 0

    async def write(self, values: Sequence[ModelValues]) -> int:
        """Store new figures for saved models (one statement for any N); the number written.

        Only models read into this batch are written. Each keeps its active flag and override
        marker; a model whose capabilities an admin set keeps those capabilities too.
        """
        saved = {model.model_id: model for model in self.models}
        admin_set = FIGURE[CAPABILITIES]
        rows = []
        for value in values:
            old = saved.get(value.model_id)
            if old is None:
                raise ValueError(f"{value.model_id!r} is not a saved model of this batch")
            columns = row_columns(value, old.capabilities_overridden)
            if old.capabilities_overridden:
                columns[admin_set.column] = admin_set.column_value(old.figures[CAPABILITIES])
            row = SavedModel(provider_id=self.provider_id, is_active=old.is_active, **columns)
            rows.append(row)
        if rows:
            await SavedModel.bulk_create(
                rows, on_conflict=["provider_id", "model_id"], update_fields=list(UPDATED_BY_SYNC)
            )
        self.written += len(rows)
        return len(rows)


@asynccontextmanager
async def saved_for_update(provider_id: int, slug: str) -> AsyncIterator[SavedBatch]:
    """One transaction: the provider's saved models, locked until it ends (PostgreSQL).

    An exception inside the block rolls back whatever `write` did.
    """
    async with in_transaction():
        # model instances, not `.values()`: Tortoise drops FOR UPDATE from a values query
        rows = await (
            SavedModel.filter(provider_id=provider_id).select_for_update().order_by("model_id")
        )
        columns = stored_columns(COMPARED)
        models = tuple(
            StoredModel.from_values({name: getattr(row, name) for name in columns}, COMPARED, slug)
            for row in rows
        )
        yield SavedBatch(provider_id, models)
