"""A provider's stored instance with its saved models, each read in one query (a LEFT JOIN).

`CatalogStates.get` runs on every `availableModels` request: which models are saved, and
active. `saved_with_figures` is what a drift report compares: every saved model's figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from storage import sqlite
from storage.figures import DISPLAY_NAME, FIGURE, Figure
from storage.models import Provider
from storage.records import (
    PROVIDER_FIELDS,
    CatalogState,
    ProviderRecord,
    SavedState,
    StoredModel,
    stored_columns,
)

_DISPLAY = f"models__{FIGURE[DISPLAY_NAME].column}"
_STATE_COLUMNS = (
    *PROVIDER_FIELDS,
    "models__model_id",
    "models__id",
    "models__is_active",
    _DISPLAY,
)


class CatalogStates:
    """Reads `CatalogState`s. Its SQL, written by Tortoise, is built once per kind of database
    client and then reused: building it (0.3 ms) cost more than running it on SQLite (0.2 ms).
    On SQLite, outside a transaction, it is read at once on the reader connection
    (`sqlite.Client.read_rows`: no thread hop; a transaction reads through its own
    connection). On either database, rows equal to the last ones read for the slug give the
    same `CatalogState` back (nothing rebuilt, its fingerprint hashed once). One instance
    per process (the catalog's)."""

    def __init__(self) -> None:
        self._sql: dict[type[BaseDBAsyncClient], str] = {}
        self._last: dict[str, tuple[Sequence[Any], CatalogState]] = {}

    async def get(self, slug: str) -> CatalogState:
        """The provider row and its saved models' states."""
        db = Provider._meta.db
        sql = self._sql.get(type(db))
        if sql is None:
            sql = self._sql[type(db)] = _state_query(db)
        read = db.read_rows(sql, [slug]) if type(db) is sqlite.Client else None
        rows: Sequence[Any] = await db.execute_query_dict(sql, [slug]) if read is None else read[1]
        last = self._last.pop(slug, None)
        if last is not None and last[0] == rows:
            state = last[1]
        elif read is None:
            state = _state_of(rows)
        else:
            state = _state_of([dict(zip(read[0], row, strict=True)) for row in rows])
        if rows:  # a provider that exists: as many as the database holds
            self._last[slug] = (rows, state)
        return state


def _state_of(rows: Sequence[Mapping[str, Any]]) -> CatalogState:
    if not rows:
        return CatalogState(provider=None)
    saved = {
        row["models__model_id"]: SavedState(
            row["models__id"], bool(row["models__is_active"]), row[_DISPLAY]
        )
        for row in rows
        if row["models__id"] is not None
    }
    return CatalogState(provider=ProviderRecord.from_values(rows[0]), saved=saved)


def _state_query(db: BaseDBAsyncClient) -> str:
    """`CatalogStates.get`'s SQL for `db`, with the slug as its one parameter."""
    marker = "catalog-state-slug-parameter"
    query = Provider.filter(slug=marker).using_db(db).values(*_STATE_COLUMNS)
    sql = str(query.sql())
    if marker in sql:  # the slug must be a parameter, never part of the cached text
        raise RuntimeError("catalog_state: the slug was inlined in its SQL")
    return sql


@dataclass(frozen=True, slots=True)
class SavedFigures:
    """A provider's stored instance (None when nothing was ever saved) and its saved models."""

    provider: ProviderRecord | None
    models: tuple[StoredModel, ...] = ()


async def saved_with_figures(slug: str, figures: Sequence[Figure]) -> SavedFigures:
    """The provider row and all its saved models with `figures`, by model id."""
    rows = await Provider.filter(slug=slug).values(
        *PROVIDER_FIELDS, *stored_columns(figures, "models__")
    )
    if not rows:
        return SavedFigures(provider=None)
    saved = (row for row in rows if row["models__id"] is not None)
    models = sorted(
        (StoredModel.from_values(row, figures, slug, "models__") for row in saved),
        key=lambda model: model.model_id,
    )
    return SavedFigures(provider=ProviderRecord.from_values(rows[0]), models=tuple(models))
