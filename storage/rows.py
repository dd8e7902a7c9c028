"""Many rows in one hand-built `INSERT .. VALUES (..), (..) [ON CONFLICT .. DO UPDATE]`.

`bulk_create` builds a model instance per row and sends one `executemany`: for 500 saved
models that cost more than the database's own work (~20 of ~45 ms). Here the rows are plain
tuples, sent as one statement with one parameter per value (in batches below the parameter
limits of SQLite, 32,766, and PostgreSQL, 65,535). The SQL is built once per shape.

Each value is converted exactly as its field's `to_db_value` converts it (as `bulk_create`
does), a column at a time: a value that `to_db_value` would return as it is (text within its
length, a number, an aware datetime, None where allowed) is taken without the call, a JSON
object or list goes straight to the field's encoder, anything else through `to_db_value`
itself (`converter`; `tests/storage/test_rows.py` holds the two equal on a real sync's rows).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.fields import CharField, DatetimeField, Field, JSONField
from tortoise.models import Model
from tortoise.validators import MaxLengthValidator

MAX_PARAMETERS = 30_000
"""The most parameters one statement carries (each batch of rows is one statement)."""

Converter = Callable[[Sequence[Any]], list[Any]]
"""A column's Python values to what the database driver is given."""


async def insert_rows(
    db: BaseDBAsyncClient,
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
    changed: Sequence[str] = (),
) -> None:
    """Insert `rows` (Python values in the order of `columns`, the model's field names); on a
    conflict on `conflict`, set the `update` fields from the row that conflicted. With
    `changed`, only when one of those fields differs from the stored row (null-safe): a row
    that already holds the same values is not written at all. No model defaults are applied:
    a column left out is the database's default (NULL)."""
    converters = [converter(model, name) for name in columns]
    batch = max(1, MAX_PARAMETERS // len(columns))
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        by_column = zip(*chunk, strict=True)
        converted = [convert(column) for convert, column in zip(converters, by_column, strict=True)]
        values = [value for row in zip(*converted, strict=True) for value in row]
        sql = _sql(
            str(db.capabilities.dialect), model, tuple(columns), len(chunk),
            tuple(conflict), tuple(update), tuple(changed),
        )  # fmt: skip
        await db.execute_query(sql, values)


def converter(model: type[Model], name: str) -> Converter:
    """How the column `name` of `model` converts a column of values, as `to_db_value` would
    one by one (see the module docstring)."""
    field: Field[Any] = model._meta.fields_map[name]
    own = type(field).to_db_value
    validators = field.validators

    def each(values: Sequence[Any]) -> list[Any]:
        return [field.to_db_value(value, model) for value in values]

    if own is Field.to_db_value and not validators:
        field_type = field.field_type

        def plain(values: Sequence[Any]) -> list[Any]:
            return [
                value
                if value is None or isinstance(value, field_type)
                else field.to_db_value(value, model)
                for value in values
            ]

        return plain
    if own is Field.to_db_value and isinstance(field, CharField) and _only_length(field):
        most, null = field.max_length, field.null

        def text(values: Sequence[Any]) -> list[Any]:
            return [
                value
                if (type(value) is str and len(value) <= most) or (value is None and null)
                else field.to_db_value(value, model)
                for value in values
            ]

        return text
    if own is JSONField.to_db_value and not validators:
        encode = field.encoder  # type: ignore[attr-defined]

        def json(values: Sequence[Any]) -> list[Any]:
            return [
                encode(value)
                if type(value) is dict or type(value) is list
                else field.to_db_value(value, model)
                for value in values
            ]

        return json
    if own is DatetimeField.to_db_value and not validators and not hasattr(model, "_saved_in_db"):

        def aware(values: Sequence[Any]) -> list[Any]:  # a class: never stamped `auto_now`
            return [
                value
                if type(value) is datetime and value.utcoffset() is not None
                else field.to_db_value(value, model)
                for value in values
            ]

        return aware
    return each


def _only_length(field: CharField[Any]) -> bool:
    """Whether the field's one validator is its own maximum length."""
    checks = field.validators
    return (
        len(checks) == 1
        and type(checks[0]) is MaxLengthValidator
        and checks[0].max_length == field.max_length
    )


@lru_cache(maxsize=64)
def _sql(
    dialect: str,
    model: type[Model],
    columns: tuple[str, ...],
    count: int,
    conflict: tuple[str, ...],
    update: tuple[str, ...],
    changed: tuple[str, ...],
) -> str:
    projection = model._meta.fields_db_projection
    table = '"' + model._meta.db_table.replace('"', '""') + '"'

    def quoted(name: str) -> str:
        return '"' + projection[name].replace('"', '""') + '"'

    width = len(columns)
    if dialect == "postgres":
        groups = (
            "(" + ",".join(f"${row * width + k + 1}" for k in range(width)) + ")"
            for row in range(count)
        )
    else:
        groups = ("(" + ",".join("?" * width) + ")" for _ in range(count))
    sql = f"INSERT INTO {table} ({','.join(map(quoted, columns))}) VALUES {','.join(groups)}"
    if conflict:
        sets = ",".join(f"{quoted(name)}=EXCLUDED.{quoted(name)}" for name in update)
        action = f"DO UPDATE SET {sets}" if update else "DO NOTHING"
        sql += f" ON CONFLICT ({','.join(map(quoted, conflict))}) {action}"
        if update and changed:
            differs = " IS DISTINCT FROM " if dialect == "postgres" else " IS NOT "
            sql += " WHERE " + " OR ".join(
                f"{table}.{quoted(name)}{differs}EXCLUDED.{quoted(name)}" for name in changed
            )
    return sql
