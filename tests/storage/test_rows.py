"""`storage.rows.insert_rows`: many rows in one statement (or a few, below the parameter
limits), each value converted as the ORM converts it, a conflict updating only what it names.
Runs on SQLite, and on PostgreSQL with `TEST_DATABASE=postgres` (numbered parameters)."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from tortoise.models import Model
from tortoise.transactions import in_transaction

from bench.sqlcount import SQLCounter
from catalog.saving import to_values
from providers import openrouter
from storage import rows, saved
from storage.database import open_database
from storage.models import AuditModel, Provider, SavedModel
from storage.records import ModelValues
from tests.replay.catalogue import fixture_path

WHEN = datetime(2026, 12, 1, 12, 30, tzinfo=UTC)
LARGEST = "models-all-output-modalities-2026-08.json"
"""The largest OpenRouter capture (the bench's list)."""
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


async def test_a_conflict_with_changed_writes_only_the_rows_that_differ(database_url: str) -> None:
    """`changed`: a conflicting row holding the same values already (NULL as NULL, a price
    as the same price) is not written, not even the other columns `update` names."""
    async with open_database(database_url, migrate_schema=True):
        provider = await Provider.create(slug="p", kind="openrouter", display_name="P")
        first = [_row(provider.id, 0, "zero"), _row(provider.id, 1, "one")]
        async with in_transaction() as db:
            await rows.insert_rows(db, SavedModel, COLUMNS, first)
        later = datetime(2026, 12, 2, tzinfo=UTC)
        same, renamed = (list(_row(provider.id, n, name)) for n, name in ((0, "zero"), (1, "1")))
        same[-1] = renamed[-1] = later  # updated_at
        async with in_transaction() as db:
            await rows.insert_rows(
                db, SavedModel, COLUMNS, [same, renamed], conflict=("provider_id", "model_id"),
                update=("name", "input_price", "upstream", "updated_at"),
                changed=("name", "input_price", "upstream"),
            )  # fmt: skip
        stored = {m.model_id: m for m in await SavedModel.all()}
        assert (stored["m0"].name, stored["m0"].updated_at) == ("zero", WHEN)  # not written
        assert stored["m0"].input_price is None
        assert (stored["m1"].name, stored["m1"].updated_at) == ("1", later)
        assert stored["m1"].input_price == Decimal("0.15")


ODD: dict[str, tuple[object, ...]] = {
    "model_id": ("x" * 256, 7, None, "ok"),
    "name": ("x" * 300, None, 3.5),
    "display_name": (None, "y" * 129, "fine"),
    "input_price": (None, "1.25", 2, Decimal("0.000001")),
    "context_window": (None, "42", True, 8),
    "is_active": (0, 1, None, False),
    "capabilities": (None, '["chat"]', '{"broken"', (1, 2), {"a": [1]}, b"[]"),
    "created_at": (WHEN, datetime(2026, 1, 1), None, "2026-01-01T00:00:00+00:00"),
}
"""Values each kind of column takes the long way (`to_db_value` itself): too long, of
another type, null where not allowed, JSON given as text, a naive datetime."""


async def test_each_column_converts_as_its_field_does(database_url: str) -> None:
    """`rows.converter` equals the field's `to_db_value` (result or error) on every column
    of a real bulk sync of the largest capture, of the audit entry's models, and on values
    that take the long way."""
    body = json.loads(fixture_path("openrouter", LARGEST).read_bytes())
    values = [to_values(record, None) for record in openrouter.parse_models(body)]
    async with open_database(database_url, migrate_schema=True):
        synced = saved._sync_rows(1, values, {})
        by_column = zip(*synced, strict=True)
        columns = {name: list(c) for name, c in zip(saved._INSERTED, by_column, strict=True)}
        for name, odd in ODD.items():
            columns[name] += odd
        for name, column in columns.items():
            assert _converted(SavedModel, name, column) == _one_by_one(SavedModel, name, column)
        models = [1, 2, "3", None]
        assert _converted(AuditModel, "entry_id", models) == _one_by_one(
            AuditModel, "entry_id", models
        )


def _converted(model: type[Model], name: str, column: list[object]) -> list[object]:
    """Each value through `rows.converter` (alone, so one error does not hide the rest)."""
    convert = rows.converter(model, name)
    return [_outcome(lambda each: convert([each])[0], value) for value in column]


def _one_by_one(model: type[Model], name: str, column: list[object]) -> list[object]:
    field = model._meta.fields_map[name]
    return [_outcome(lambda each: field.to_db_value(each, model), value) for value in column]


def _outcome(convert: Callable[[object], object], value: object) -> object:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: object = ("value", convert(value))
        except Exception as exc:  # the same error, with the same message
            result = ("error", type(exc), str(exc))
    return result, [str(warning.message) for warning in caught]


def test_a_sync_row_holds_what_row_columns_gives_its_model() -> None:
    """`saved._sync_rows` (a column at a time) against `saved.row_columns` (the columns every
    write stores, model by model): the same values, a new row's flag and dates, an admin's
    capabilities kept, a field's default where a model gives no value."""
    body = json.loads(fixture_path("openrouter", LARGEST).read_bytes())
    values = [to_values(record, None) for record in openrouter.parse_models(body)][:50]
    partial = ModelValues("partial", {"name": "Partial", "capabilities": ["chat"]})
    values.append(partial)
    chosen = values[1].model_id
    existing = {chosen: {"capabilities_overridden": True, "capabilities": '["vision"]'}}
    for values_row, row in zip(values, saved._sync_rows(7, values, existing), strict=True):
        overridden = values_row.model_id == chosen
        expected = saved.row_columns(values_row, overridden)
        got = dict(zip(saved._INSERTED, row, strict=True))
        assert got.pop("updated_at") == got.pop("created_at")
        assert (got.pop("provider_id"), got.pop("is_active")) == (7, False)
        expected.pop("updated_at")
        if overridden:
            expected["capabilities"] = ["vision"]
        defaults = {name: saved._default(name) for name in got if name not in expected}
        assert got == {**expected, **defaults}, values_row.model_id
    assert "description" in defaults and defaults["description"] is None  # the partial one
