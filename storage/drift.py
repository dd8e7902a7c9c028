"""The queries of the drift report: saved models' stored figures, and refreshing them in place.

`saved_figures` reads a provider and every figure of its saved models in one query (a LEFT
JOIN). `saved_for_update` opens one transaction, re-reads the rows (locked on PostgreSQL), and
lets the caller `write` new figures for any number of them with one INSERT .. ON CONFLICT, the
same set-based write as `queries.bulk_upsert`. A write never touches a model's active flag,
whether its capabilities were set by an admin, or (when they were) the capabilities themselves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from storage import queries
from storage.models import Provider, SavedModel
from storage.records import PROVIDER_FIELDS, ModelValues, ProviderRecord


@dataclass(frozen=True, slots=True)
class SavedFigures:
    """What is stored for a saved model, as a drift report compares it with the live list."""

    db_id: int
    model_id: str
    name: str
    description: str | None
    capabilities: tuple[str, ...]
    capabilities_overridden: bool
    input_price: Decimal | None
    output_price: Decimal | None
    context_window: int | None
    max_output_tokens: int | None
    is_active: bool

    @classmethod
    def from_values(cls, row: Mapping[str, Any], prefix: str = "") -> SavedFigures:
        """From a `.values()` row; `prefix` is `models__` when read through the provider."""
        return cls(
            db_id=int(row[f"{prefix}id"]),
            model_id=row[f"{prefix}model_id"],
            name=row[f"{prefix}name"],
            description=row[f"{prefix}description"],
            capabilities=tuple(row[f"{prefix}capabilities"] or ()),
            capabilities_overridden=bool(row[f"{prefix}capabilities_overridden"]),
            input_price=row[f"{prefix}input_price"],
            output_price=row[f"{prefix}output_price"],
            context_window=row[f"{prefix}context_window"],
            max_output_tokens=row[f"{prefix}max_output_tokens"],
            is_active=bool(row[f"{prefix}is_active"]),
        )

    @classmethod
    def from_row(cls, row: SavedModel) -> SavedFigures:
        return cls.from_values({name: getattr(row, name) for name in _FIGURES})


_FIGURES = (
    "id",
    "model_id",
    "name",
    "description",
    "capabilities",
    "capabilities_overridden",
    "input_price",
    "output_price",
    "context_window",
    "max_output_tokens",
    "is_active",
)


@dataclass(frozen=True, slots=True)
class SavedFiguresState:
    """A provider's stored instance (None when nothing was ever saved) and its saved models."""

    provider: ProviderRecord | None
    models: tuple[SavedFigures, ...] = ()


async def saved_figures(slug: str) -> SavedFiguresState:
    """The provider row and all its saved models' figures, in one query, by model id."""
    rows = await Provider.filter(slug=slug).values(
        *PROVIDER_FIELDS, *(f"models__{name}" for name in _FIGURES)
    )
    if not rows:
        return SavedFiguresState(provider=None)
    provider = ProviderRecord(**{name: rows[0][name] for name in PROVIDER_FIELDS})
    saved = (row for row in rows if row["models__id"] is not None)
    models = sorted(
        (SavedFigures.from_values(row, "models__") for row in saved),
        key=lambda model: model.model_id,
    )
    return SavedFiguresState(provider=provider, models=tuple(models))


@dataclass(slots=True)
class SavedBatch:
    """A provider's saved models, read inside an open transaction, ready to be rewritten."""

    provider_id: int
    models: tuple[SavedFigures, ...]
    written: int = 0

    async def write(self, values: Sequence[ModelValues]) -> int:
        """Store new figures for saved models (one statement for any N); the number written.

        Only models read into this batch are written. Each keeps its active flag and override
        marker; a model whose capabilities an admin set keeps those capabilities too.
        """
        saved = {model.model_id: model for model in self.models}
        rows = []
        for value in values:
            old = saved.get(value.model_id)
            if old is None:
                raise ValueError(f"{value.model_id!r} is not a saved model of this batch")
            fields = queries.row_fields(value, old.capabilities_overridden)
            if old.capabilities_overridden:
                fields["capabilities"] = list(old.capabilities)
            rows.append(SavedModel(provider_id=self.provider_id, is_active=old.is_active, **fields))
        if rows:
            await SavedModel.bulk_create(
                rows,
                on_conflict=["provider_id", "model_id"],
                update_fields=list(queries.UPDATABLE_FIELDS),
            )
        self.written += len(rows)
        return len(rows)


@asynccontextmanager
async def saved_for_update(provider_id: int) -> AsyncIterator[SavedBatch]:
    """One transaction: the provider's saved models, locked until it ends (PostgreSQL).

    An exception inside the block rolls back whatever `write` did.
    """
    async with in_transaction():
        # model instances, not `.values()`: Tortoise drops FOR UPDATE from a values query
        rows = await (
            SavedModel.filter(provider_id=provider_id).select_for_update().order_by("model_id")
        )
        yield SavedBatch(provider_id, tuple(SavedFigures.from_row(row) for row in rows))
