"""`storage.rows.insert_rows`: many rows in one statement (or a few, below the parameter
limits), each value converted as the ORM converts it, a conflict updating only what it names.
Runs on SQLite, and on PostgreSQL with `TEST_DATABASE=postgres` (numbered parameters)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from tortoise.transactions import in_transaction

from bench.sqlcount import SQLCounter
from storage import rows
from storage.database import open_database
from storage.models import Provider, SavedModel

WHEN = datetime(2026, 12, 1, 12, 30, tzinfo=UTC)
COLUMNS = (
    "provider_id", "model_id", "name", "input_price", "capabilities", "sources", "upstream",
    "is_active", "capabilities_overridden", "created_at", "updated_at",
)  # fmt: skip


def _row(provider_id: int, n: int, name: str) -> tuple[object, ...]:
    raw = {"id": f"m{n}", "nested": {"list": [1, "two", None]}, "quote": 'a "b"'}
    price = Decimal("0.15") if n % 2 else None
    sources = {"name": "name"}
    return (provider_id, f"m{n}", name, price, ["chat"], sources, raw, n == 0, False, WHEN, WHEN)


async def test_rows_read_back_as_the_orm_wrote_them_in_one_statement_per_batch(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with open_database(database_url, migrate_schema=True):
        provider = await Provider.create(slug="p", kind="openrouter", display_name="P")
        await SavedModel.create(
            provider_id=provider.id, model_id="orm", name="by the ORM",
            input_price=Decimal("0.15"), capabilities=["chat"], sources={"name": "name"},
            upstream=_row(provider.id, 1, "")[6], is_active=False, created_at=WHEN,
            updated_at=WHEN,
        )  # fmt: skip
        counter = SQLCounter()
        monkeypatch.setattr(rows, "MAX_PARAMETERS", 4 * len(COLUMNS))  # 4 rows a statement
        counter.start()
        async with in_transaction() as db:
            await rows.insert_rows(
                db, SavedModel, COLUMNS, [_row(provider.id, n, f"model {n}") for n in range(10)]
            )
        statements = counter.stop()
        assert len(statements) == 3  # 4 + 4 + 2 rows
        stored = {m.model_id: m for m in await SavedModel.all()}
        orm = stored.pop("orm")
        assert sorted(stored) == sorted(f"m{n}" for n in range(10))
        odd = stored["m1"]
        assert (odd.input_price, odd.capabilities, odd.sources, odd.upstream) == (
            orm.input_price, orm.capabilities, orm.sources, orm.upstream,
        )  # fmt: skip
        assert odd.created_at == orm.created_at == WHEN and odd.name == "model 1"
        assert stored["m0"].is_active and stored["m0"].input_price is None


async def test_a_conflict_updates_the_named_columns_only(database_url: str) -> None:
    async with open_database(database_url, migrate_schema=True):
        provider = await Provider.create(slug="p", kind="openrouter", display_name="P")
        async with in_transaction() as db:
            await rows.insert_rows(db, SavedModel, COLUMNS, [_row(provider.id, 0, "first")])
        later = datetime(2026, 12, 2, tzinfo=UTC)
        again: tuple[object, ...] = (
            provider.id,
            "m0",
            "second",
            Decimal("2"),
            [],
            {},
            {},
            False,
            True,
            later,
            later,
        )
        async with in_transaction() as db:
            await rows.insert_rows(
                db, SavedModel, COLUMNS, [again, _row(provider.id, 1, "new")],
                conflict=("provider_id", "model_id"), update=("name", "updated_at"),
            )  # fmt: skip
        stored = {m.model_id: m for m in await SavedModel.all()}
        kept = stored["m0"]
        assert (kept.name, kept.updated_at) == ("second", later)  # updated
        assert (kept.input_price, kept.is_active, kept.created_at) == (None, True, WHEN)  # kept
        assert stored["m1"].name == "new"
